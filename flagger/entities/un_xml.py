"""UN Security Council Consolidated List XML (`consolidated.xml`, schema sc-sanctions.xsd).

INDIVIDUAL and ENTITY records. A name or alias field listing several names ("X; Y", "a) X b) Y")
becomes one name each. Alias QUALITY `Good` -> strong, `Low` -> weak (entities' `a.k.a.`
/ `f.k.a.` and an empty quality -> strong). NAME_ORIGINAL_SCRIPT -> original_names.
UN_LIST_TYPE gives the programmes `UN-<regime>` plus `UN-<committee resolution>` where known.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from flagger.entities._common import (
    ImportStats,
    check_unique,
    countries,
    iso_date,
    join_notes,
    merge_aliases,
    split_name_list,
    to_frame,
    uniq,
)
from flagger.entities._xml import find, findall, local, parse_xml, text
from flagger.errors import EntityListError

VERSION = 1
LIST_NAME = "UN SC consolidated"

# UN_LIST_TYPE -> resolution that set up the sanctions committee.
COMMITTEES = {
    "DPRK": "1718", "Al-Qaida": "1267", "Taliban": "1988", "Iraq": "1518", "DRC": "1533",
    "Libya": "1970", "CAR": "2127", "GB": "2048", "Yemen": "2140", "Haiti": "2653", "Sudan": "1591",
    "SouthSudan": "2206", "Somalia": "2713", "Iran": "1737",
}
STRENGTH = {"good": "strong", "low": "weak", "a.k.a.": "strong", "f.k.a.": "strong", "": "strong"}
DOC_SCHEMES = {"passport": "PASSPORT", "número de pasaporte": "PASSPORT", "numéro de passeport": "PASSPORT",
               "national identification number": "NATIONAL_ID"}


def _doc_scheme(kind: str | None) -> str:
    k = (kind or "").strip().lower()
    return DOC_SCHEMES.get(k) or (k.upper().replace(" ", "_") if k else "DOCUMENT")


def _record(elem, kind: str, file: str, n: int, stats: ImportStats) -> dict:
    dataid = text(elem, "DATAID")
    where = f"{kind} #{n}" + (f" (DATAID {dataid})" if dataid else "")
    if dataid is None:
        raise EntityListError(f"{where}: no DATAID", file)
    name = " ".join(p for p in (text(elem, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")) if p)
    if not name:
        raise EntityListError(f"{where}: no name (FIRST_NAME is empty)", file)
    # "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ; GREAT LAKES BUSINESS COMPANY (GLBC)": two names
    name, *also_named = split_name_list(name) or [name]
    ref = text(elem, "REFERENCE_NUMBER")
    regime = text(elem, "UN_LIST_TYPE")
    alias_tag = "INDIVIDUAL_ALIAS" if kind == "INDIVIDUAL" else "ENTITY_ALIAS"
    alias_list = []
    for a in findall(elem, alias_tag):
        alias_name = text(a, "ALIAS_NAME")
        if not alias_name:
            continue
        quality = (text(a, "QUALITY") or "").lower()
        strength = STRENGTH.get(quality)
        if strength is None:
            stats.warn(f"{file}: {where}: unknown alias QUALITY {quality!r}, taken as strong")
            strength = "strong"
        alias_list.extend({"name": n, "strength": strength} for n in split_name_list(alias_name))
    country_names = [text(v) for v in findall(elem, "NATIONALITY/VALUE")]
    addr_tag = "INDIVIDUAL_ADDRESS" if kind == "INDIVIDUAL" else "ENTITY_ADDRESS"
    addresses = []
    for a in findall(elem, addr_tag):
        parts = [text(c) for c in a if local(c.tag) != "NOTE" and text(c)]
        if text(a, "COUNTRY"):
            country_names.append(text(a, "COUNTRY"))
        if parts:
            addresses.append(", ".join(parts))
    birth_dates: list[str] = []
    for d in findall(elem, "INDIVIDUAL_DATE_OF_BIRTH"):
        if text(d, "DATE"):
            birth_dates.extend(iso_date(text(d, "DATE")))
        elif text(d, "YEAR"):
            birth_dates.append(text(d, "YEAR"))
        elif text(d, "FROM_YEAR") or text(d, "TO_YEAR"):
            birth_dates.extend(y for y in (text(d, "FROM_YEAR"), text(d, "TO_YEAR")) if y)
    identifiers = []
    for doc in findall(elem, "INDIVIDUAL_DOCUMENT"):
        number = text(doc, "NUMBER")
        if number:
            identifiers.append({"scheme": _doc_scheme(text(doc, "TYPE_OF_DOCUMENT")), "value": number})
    programs = []
    if regime:
        programs.append(f"UN-{regime}")
        if regime in COMMITTEES:
            programs.append(f"UN-{COMMITTEES[regime]}")
    original = text(elem, "NAME_ORIGINAL_SCRIPT")
    return {
        "id": f"UN:{ref}" if ref else f"UN:DATAID:{dataid}",
        "type": "person" if kind == "INDIVIDUAL" else "organisation",
        "name": name,
        "aliases": merge_aliases([{"name": n, "strength": "strong"} for n in also_named], alias_list, exclude=name),
        "original_names": [original] if original else [],
        "countries": countries(country_names),
        "programs": programs,
        "list": LIST_NAME,
        "identifiers": uniq(identifiers),
        "birth_dates": uniq(birth_dates),
        "listed_on": text(elem, "LISTED_ON"),
        "source_file": file,
        "source_record": f"DATAID {dataid}",
        "notes": join_notes(
            "; ".join(text(v) for v in findall(elem, "TITLE/VALUE") if text(v)),
            "; ".join(text(v) for v in findall(elem, "DESIGNATION/VALUE") if text(v)),
            ("Addresses: " + " | ".join(addresses)) if addresses else None,
            text(elem, "COMMENTS1")),
    }


def read_un_xml(path: str | Path, *, stats: ImportStats | None = None) -> pl.DataFrame:
    """Read the UN SC consolidated list XML into the canonical frame."""
    stats = stats if stats is not None else ImportStats()
    file = str(path)
    root, _raw = parse_xml(path)
    if local(root.tag) != "CONSOLIDATED_LIST":
        raise EntityListError(f"root element is <{local(root.tag)}>, expected <CONSOLIDATED_LIST>", file)
    rows = []
    for kind, group in (("INDIVIDUAL", "INDIVIDUALS"), ("ENTITY", "ENTITIES")):
        container = find(root, group)
        if container is None:
            stats.warn(f"{file}: no <{group}> element")
            continue
        for n, elem in enumerate(findall(container, kind), 1):
            rows.append(_record(elem, kind, file, n, stats))
        other = [c for c in container if local(c.tag) != kind]
        if other:
            stats.skip(f"unexpected element(s) inside <{group}>", len(other))
    check_unique(rows, file)
    stats.records = len(rows)
    stats.log_skips(file)
    return to_frame(rows)
