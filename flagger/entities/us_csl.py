"""US Consolidated Screening List CSV (trade.gov `consolidated.csv`): 13 US export/sanctions lists.

id `CSL:<list abbreviation>:<_id>` (the same party appears once per list). Records of non-OFAC
lists carry no type: they are taken as persons when they give a date of birth, nationality or
citizenship, else as organisations. `ids` entries (`CC, number, Type`) become identifiers;
`IMO nnnnnnn, Vessel Registration Identification` -> IMO. Exact duplicate rows are skipped and
counted.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from flagger.entities._common import (
    ImportStats,
    aliases,
    countries,
    iso_date,
    iso_listed,
    join_notes,
    to_frame,
    uniq,
)
from flagger.entities._csvutil import read_table, split_multi
from flagger.errors import EntityListError

VERSION = 1
REQUIRED = ("_id", "source", "type", "programs", "name", "alt_names", "ids")
TYPES = {"individual": "person", "entity": "organisation", "vessel": "vessel", "aircraft": "aircraft"}
ID_SCHEMES = {"passport": "PASSPORT", "national id no.": "NATIONAL_ID", "tax id no.": "TAX_ID",
              "registration number": "REGISTRATION", "registration id": "REGISTRATION", "swift/bic": "SWIFT_BIC",
              "mmsi": "MMSI"}
NOTE_FIELDS = ("title", "addresses", "federal_register_notice", "end_date", "license_requirement",
               "license_policy", "call_sign", "vessel_type", "vessel_owner", "places_of_birth", "remarks",
               "source_list_url", "source_information_url")


def _abbrev(source: str) -> str:
    m = re.search(r"\(([^)]+)\)", source)
    return m.group(1).replace(" ", "-") if m else re.sub(r"\W+", "-", source)[:20]


def _ids(value: str | None) -> tuple[list[dict], list[str]]:
    ident, other = [], []
    for entry in split_multi(value):
        parts = [p.strip() for p in entry.split(", ")]
        kind = parts[-1].lower().rstrip(":") if len(parts) > 1 else ""
        if kind.startswith("vessel registration identification") or (kind == "identification number"
                                                                       and parts[0].startswith("IMO ")):
            num = re.sub(r"\D", "", parts[0])
            scheme = "IMO" if kind.startswith("vessel") else "IMO_COMPANY"
            ident.append({"scheme": scheme, "value": num})
        elif kind in ID_SCHEMES and len(parts) >= 2:
            ident.append({"scheme": ID_SCHEMES[kind], "value": parts[-2]})
        elif kind.startswith("digital currency address") and len(parts) >= 2:
            ident.append({"scheme": "CRYPTO_" + kind.rsplit("-", 1)[-1].strip().upper(), "value": parts[-2]})
        else:
            other.append(entry)
    return ident, other


def read_us_csl(path: str | Path, *, stats: ImportStats | None = None) -> pl.DataFrame:
    stats = stats if stats is not None else ImportStats()
    file = str(path)
    rows: list[dict] = []
    seen: dict[str, tuple[int, dict]] = {}
    for line, r in read_table(path, REQUIRED, stats):
        if not r["_id"] or not r["source"]:
            raise EntityListError("empty _id or source", file, line)
        if not r["name"]:
            raise EntityListError("empty name", file, line)
        rid = f"CSL:{_abbrev(r['source'])}:{r['_id']}"
        if rid in seen:
            if seen[rid][1] == r:
                stats.skip("exact duplicate row")
                continue
            stats.warn(f"{file}:{line}: id {rid} already on line {seen[rid][0]} with other content; kept as {rid}:L{line}")
            rid = f"{rid}:L{line}"
        seen[rid] = (line, r)
        rtype = (r["type"] or "").lower()
        if rtype:
            etype = TYPES.get(rtype)
            if etype is None:
                raise EntityListError(f"unknown type {r['type']!r}", file, line)
        else:
            etype = "person" if (r.get("dates_of_birth") or r.get("nationalities") or r.get("citizenships")) \
                else "organisation"
        ident, other_ids = _ids(r.get("ids"))
        addr_countries = [a.rsplit(",", 1)[-1].strip() for a in split_multi(r.get("addresses"))]
        births = []
        for v in split_multi(r.get("dates_of_birth")):
            births.extend(iso_date(v))
        rows.append({
            "id": rid,
            "type": etype,
            "name": r["name"],
            "aliases": aliases(split_multi(r.get("alt_names")), exclude=r["name"]),
            "original_names": [],
            "countries": countries(split_multi(r.get("nationalities")) + split_multi(r.get("citizenships"))
                                   + ([r["vessel_flag"]] if r.get("vessel_flag") else [])
                                   + [c for c in addr_countries if len(c) == 2 and c.isupper()]),
            "programs": split_multi(r.get("programs")),
            "list": f"US CSL {_abbrev(r['source'])}",
            "identifiers": uniq(ident),
            "birth_dates": uniq(births),
            "listed_on": iso_listed(r.get("start_date")),
            "source_file": file,
            "source_record": str(line),
            "notes": join_notes(f"source: {r['source']}", *(f"{k}: {r[k]}" for k in NOTE_FIELDS if r.get(k)),
                                ("ids: " + "; ".join(other_ids)) if other_ids else None),
        })
    stats.records = len(rows)
    stats.log_skips(file)
    return to_frame(rows)
