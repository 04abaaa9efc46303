"""UK HM Treasury / OFSI Consolidated List CSV (`ConList.csv`).

Line 1 `Last Updated,<date>`, then a header, then one row per name of a target; rows sharing a
`Group ID` are one target. `Prime Alias` gives the name; AKA/FKA rows the aliases (strong, or
weak when the newer `Alias Quality` column says low). Windows-1252 files are accepted.
The newer (2022+) columns `Name Non-Latin Script`, `Alias Quality`, `Passport Number`,
`National Identification Number` are used when present.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from flagger.entities._common import (
    ImportStats,
    countries,
    iso_date,
    iso_listed,
    join_notes,
    merge_aliases,
    to_frame,
    uniq,
)
from flagger.entities._csvutil import read_table
from flagger.errors import EntityListError

VERSION = 1
LIST_NAME = "UK OFSI consolidated"
REQUIRED = ("Name 6", "Name 1", "Group Type", "Alias Type", "Regime", "Group ID")
TYPES = {"individual": "person", "entity": "organisation", "ship": "vessel", "vessel": "vessel"}
NOTE_FIELDS = ("Title", "Position", "Passport Details", "National Identification Details", "NI Number",
               "Town of Birth", "Country of Birth", "Other Information")


def _name(r: dict) -> str:
    return " ".join(r[c] for c in ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6") if r.get(c))


def _split_numbered(value: str | None) -> list[str]:
    """`1) Saudi Arabia 2) Qatar` -> ["Saudi Arabia", "Qatar"]."""
    if not value:
        return []
    parts = re.split(r"\s*\(?\d+\)\s*", value)
    return [p.strip(" ,;.") for p in parts if p.strip(" ,;.")]


def read_uk_ofsi(path: str | Path, *, stats: ImportStats | None = None) -> pl.DataFrame:
    stats = stats if stats is not None else ImportStats()
    file = str(path)
    groups: dict[str, list[tuple[int, dict]]] = {}
    for line, r in read_table(path, REQUIRED, stats, encodings=("utf-8-sig", "cp1252"), header_prefix="Name 6"):
        gid = r.get("Group ID")
        if not gid:
            raise EntityListError("empty Group ID", file, line)
        if not _name(r):
            raise EntityListError("row has no name (Name 1..6 empty)", file, line)
        groups.setdefault(gid, []).append((line, r))
    rows = []
    for gid, members in groups.items():
        prime = [m for m in members if (m[1].get("Alias Type") or "").lower() == "prime alias"]
        if not prime:
            stats.skip("target without a Prime Alias row (first row used as the name)")
        line, head = (prime or members)[0]
        name = _name(head)
        gtype = (head.get("Group Type") or "").lower()
        etype = TYPES.get(gtype)
        if etype is None:
            raise EntityListError(f"unknown Group Type {head.get('Group Type')!r}", file, line)
        alias_list, original, ctry, births, ident, regimes, notes = [], [], [], [], [], [], []
        for _ln, r in members:
            quality = (r.get("Alias Quality") or "").lower()
            alias_list.append({"name": _name(r), "strength": "weak" if quality.startswith("low") else "strong"})
            if r.get("Name Non-Latin Script"):
                original.append(r["Name Non-Latin Script"])
            ctry += _split_numbered(r.get("Nationality")) + ([r["Country"]] if r.get("Country") else [])
            births += iso_date(r.get("DOB"))
            for col, scheme in (("Passport Number", "PASSPORT"), ("National Identification Number", "NATIONAL_ID")):
                if r.get(col):
                    ident.append({"scheme": scheme, "value": r[col]})
            regimes.append(r.get("Regime"))
            notes += [f"{k}: {r[k]}" for k in NOTE_FIELDS if r.get(k)]
        rows.append({
            "id": f"UK:{gid}",
            "type": etype,
            "name": name,
            "aliases": merge_aliases(alias_list, exclude=name),
            "original_names": uniq(original),
            "countries": countries(ctry),
            "programs": uniq(regimes),
            "list": LIST_NAME,
            "identifiers": uniq(ident),
            "birth_dates": uniq(births),
            "listed_on": iso_listed(head.get("Listed On")),
            "source_file": file,
            "source_record": str(line),
            "notes": join_notes(*uniq(notes)),
        })
    stats.records = len(rows)
    stats.log_skips(file)
    return to_frame(rows)
