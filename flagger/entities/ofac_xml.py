"""OFAC "enhanced" XML (`SDN_ENHANCED.XML`, `CONS_ENHANCED.XML`), streamed so the 100+ MB SDN file fits.

Per `<entity>`: the primary name (Latin translation) -> name; other names -> aliases, weak when
`isLowQuality` is true; non-Latin translations -> original_names; sanctionsPrograms -> programs;
features (birthdate, nationality/citizenship, vessel IMO, MMSI, SWIFT/BIC, digital currency
addresses) and identityDocuments -> birth_dates, countries, identifiers; every other feature is
kept as `type: value` in notes. listed_on = earliest `sanctionsList/@datePublished`.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from flagger.entities._common import (
    ImportStats,
    check_unique,
    countries,
    iso_date,
    join_notes,
    merge_aliases,
    to_frame,
    uniq,
)
from flagger.entities._xml import find, findall, iter_xml, local, text
from flagger.errors import EntityListError

VERSION = 1
TYPES = {"individual": "person", "entity": "organisation", "vessel": "vessel", "aircraft": "aircraft"}
DOC_SCHEMES = {
    "passport": "PASSPORT", "diplomatic passport": "PASSPORT", "national id no.": "NATIONAL_ID",
    "tax id no.": "TAX_ID", "registration id": "REGISTRATION", "registration number": "REGISTRATION",
    "cedula no.": "NATIONAL_ID", "nit #": "TAX_ID", "swift/bic": "SWIFT_BIC",
}
COUNTRY_FEATURES = ("nationality country", "citizenship country", "nationality of registration",
                    "vessel flag")


def _scheme(kind: str) -> str:
    k = kind.strip().lower()
    return DOC_SCHEMES.get(k) or re.sub(r"[^A-Z0-9]+", "_", k.upper()).strip("_") or "DOCUMENT"


def _feature(feat, out: dict) -> None:
    ftype = text(feat, "type") or ""
    value = text(feat, "value")
    low = ftype.lower().rstrip(":")
    if low == "birthdate":
        dates = iso_date(value) or ([d[:10]] if (d := text(feat, "valueDate/fromDateBegin")) else [])
        out["birth_dates"].extend(dates)
    elif low in COUNTRY_FEATURES:
        if value:
            out["countries"].append(value)
    elif low.startswith("vessel registration identification") and value:
        digits = re.sub(r"\D", "", value)
        out["identifiers"].append({"scheme": "IMO" if len(digits) == 7 else "VESSEL_REGISTRATION",
                                   "value": digits if len(digits) == 7 else value})
    elif low == "mmsi" and value:
        out["identifiers"].append({"scheme": "MMSI", "value": value})
    elif low == "swift/bic" and value:
        out["identifiers"].append({"scheme": "SWIFT_BIC", "value": value})
    elif low.startswith("digital currency address") and value:
        out["identifiers"].append({"scheme": "CRYPTO_" + ftype.rsplit("-", 1)[-1].strip().upper(), "value": value})
    elif value:
        out["notes"].append(f"{ftype.rstrip(':')}: {value}")


def _entity(elem, file: str, n: int, stats: ImportStats) -> dict:
    eid = elem.get("id")
    where = f"entity #{n}" + (f" (id {eid})" if eid else "")
    if not eid:
        raise EntityListError(f"{where}: no id attribute", file)
    etype_text = text(elem, "generalInfo/entityType")
    etype = TYPES.get((etype_text or "").lower())
    if etype is None:
        raise EntityListError(f"{where}: unknown entityType {etype_text!r}", file)
    name = None
    alias_list: list[dict] = []
    original: list[str] = []
    for nm in findall(elem, "names/name"):
        primary = text(nm, "isPrimary") == "true"
        weak = text(nm, "isLowQuality") == "true"
        for tr in findall(nm, "translations/translation"):
            full = text(tr, "formattedFullName")
            if not full:
                continue
            script = text(tr, "script") or "Latin"
            if script != "Latin":
                original.append(full)
            elif primary and name is None:
                name = full
            else:
                alias_list.append({"name": full, "strength": "weak" if weak else "strong"})
    if name is None:
        raise EntityListError(f"{where}: no primary Latin-script name", file)
    out = {"birth_dates": [], "countries": [], "identifiers": [], "notes": []}
    for feat in findall(elem, "features/feature"):
        _feature(feat, out)
    for doc in findall(elem, "identityDocuments/identityDocument"):
        number = text(doc, "documentNumber")
        if number:
            out["identifiers"].append({"scheme": _scheme(text(doc, "type") or ""), "value": number})
    addresses = []
    for addr in findall(elem, "addresses/address"):
        country = text(addr, "country")
        if country:
            out["countries"].append(country)
        parts = [text(p, "value") for p in findall(addr, "translations/translation/addressParts/addressPart")]
        line = ", ".join(p for p in parts + [country] if p)
        if line:
            addresses.append(line)
    lists = [s for s in findall(elem, "sanctionsLists/sanctionsList")]
    list_names = [text(s) for s in lists if text(s)]
    published = sorted(d for s in lists if (d := s.get("datePublished")))
    return {
        "id": f"OFAC:{eid}",
        "type": etype,
        "name": name,
        "aliases": merge_aliases(alias_list, exclude=name),
        "original_names": uniq(original),
        "countries": countries(out["countries"]),
        "programs": uniq(text(p) for p in findall(elem, "sanctionsPrograms/sanctionsProgram")),
        "list": "OFAC SDN" if "SDN List" in list_names else "OFAC Consolidated (non-SDN)",
        "identifiers": uniq(out["identifiers"]),
        "birth_dates": uniq(out["birth_dates"]),
        "listed_on": published[0][:10] if published else None,
        "source_file": file,
        "source_record": f"entity {eid}",
        "notes": join_notes(
            ("Lists: " + " | ".join(list_names)) if list_names else None,
            "; ".join(out["notes"]),
            ("Addresses: " + " | ".join(addresses)) if addresses else None),
    }


def read_ofac_xml(path: str | Path, *, stats: ImportStats | None = None) -> pl.DataFrame:
    """Read an OFAC enhanced XML file (SDN or consolidated) into the canonical frame."""
    stats = stats if stats is not None else ImportStats()
    file = str(path)
    rows = []
    root_seen = False
    for tag, elem in iter_xml(path, {"entity", "publicationInfo"}):
        if tag == "publicationInfo":
            root_seen = True
            continue
        if find(elem, "generalInfo") is None:  # an <entity> inside something else
            stats.skip("<entity> without generalInfo")
            continue
        rows.append(_entity(elem, file, len(rows) + 1, stats))
    if not rows and not root_seen:
        raise EntityListError("no <publicationInfo> or <entity> elements: not an OFAC enhanced XML file", file)
    check_unique(rows, file)
    stats.records = len(rows)
    stats.log_skips(file)
    return to_frame(rows)


__all__ = ["read_ofac_xml", "local"]
