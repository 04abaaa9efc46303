"""UK sanctions lists as CSV: the FCDO "UK Sanctions List" (`UK-Sanctions-List.csv`, the only UK list
since OFSI retired its Consolidated List on 28 January 2026) and the OFSI Consolidated List
(`ConList.csv`, old and 2022 layouts).

A preamble line (`Report Date: ...` or `Last Updated,<date>`) may precede the header. One row per
name; rows sharing `Unique ID` (FCDO) or `Group ID` (OFSI) are one target. The primary-name row
(`Name type` = Primary Name, or `Alias Type` = Prime Alias) gives the name; other rows the
aliases, weak when `Alias strength` / `Alias Quality` says low/weak. Column names are matched
case-insensitively. Windows-1252 files (the 2018 OFSI copy) are accepted.
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

VERSION = 2
LIST_NAMES = {"fcdo": "UK Sanctions List", "ofsi": "UK OFSI consolidated"}
TYPES = {"individual": "person", "entity": "organisation", "ship": "vessel", "vessel": "vessel"}
PRIMARY = ("primary name", "prime alias")
# canonical key -> column names (FCDO first, then OFSI), compared lower-case
COLUMNS = {
    "id": ("unique id", "group id"),
    "name_type": ("name type", "alias type"),
    "strength": ("alias strength", "alias quality"),
    "kind": ("designation type", "individual, entity, ship", "group type"),
    "regime": ("regime name", "regime"),
    "original": ("name non-latin script",),
    "dob": ("d.o.b", "dob"),
    "nationality": ("nationality(/ies)", "nationality"),
    "country": ("address country", "country"),
    "flag": ("current believed flag of ship",),
    "listed": ("date designated", "listed on"),
    "passport": ("passport number",),
    "national_id": ("national identifier number", "national identification number"),
    "imo": ("imo number",),
    "registration": ("business registration number (s)",),
}
NOTE_COLUMNS = ("title", "position", "un reference number", "ofsi group id", "sanctions imposed",
                "passport details", "passport additional information", "national identification details",
                "national identifier additional information", "ni number", "town of birth", "country of birth",
                "type of ship", "current owner/operator (s)", "previous flags", "other information",
                "uk statement of reasons")
NAME_PARTS = ("name 1", "name 2", "name 3", "name 4", "name 5", "name 6")


def _get(r: dict, key: str) -> str | None:
    for col in COLUMNS[key]:
        if r.get(col):
            return r[col]
    return None


def _name(r: dict) -> str:
    return " ".join(r[c] for c in NAME_PARTS if r.get(c))


def _split_numbered(value: str | None) -> list[str]:
    """`1) Saudi Arabia 2) Qatar` -> ["Saudi Arabia", "Qatar"]; FCDO uses `|` between values."""
    if not value:
        return []
    parts = re.split(r"\s*\(?\d+\)\s*|\s*\|\s*", value)
    return [p.strip(" ,;.") for p in parts if p.strip(" ,;.")]


def read_uk_ofsi(path: str | Path, *, stats: ImportStats | None = None) -> pl.DataFrame:
    stats = stats if stats is not None else ImportStats()
    file = str(path)
    groups: dict[str, list[tuple[int, dict]]] = {}
    layout = None
    for line, raw in read_table(path, ("Name 6",), stats, encodings=("utf-8-sig", "cp1252"), header_prefix="Name 6"):
        r = {k.lower(): v for k, v in raw.items()}
        if layout is None:
            layout = "fcdo" if "unique id" in r else "ofsi"
            missing = [COLUMNS[k][0 if layout == "fcdo" else -1] for k in ("id", "name_type", "kind", "regime")
                       if not any(c in r for c in COLUMNS[k])]
            if missing:
                raise EntityListError(f"header lacks column(s) {missing}", file, line - 1)
        gid = _get(r, "id")
        if not gid:
            raise EntityListError(f"empty {'Unique ID' if layout == 'fcdo' else 'Group ID'}", file, line)
        if not _name(r) and not r.get("name non-latin script"):
            raise EntityListError("row has no name (Name 1..6 empty)", file, line)
        groups.setdefault(gid, []).append((line, r))
    rows = []
    for gid, members in groups.items():
        prime = [m for m in members if (_get(m[1], "name_type") or "").lower() in PRIMARY]
        if not prime:
            stats.skip("target without a primary-name row (its first row was used as the name)")
        line, head = (prime or members)[0]
        name = _name(head) or head.get("name non-latin script")
        kind = _get(head, "kind") or ""
        etype = TYPES.get(kind.lower())
        if etype is None:
            raise EntityListError(f"unknown designation type {kind!r} (expected Individual, Entity or Ship)",
                                  file, line)
        alias_list, original, ctry, births, ident, regimes, notes = [], [], [], [], [], [], []
        for _ln, r in members:
            strength = (_get(r, "strength") or "").lower()
            if _name(r):
                alias_list.append({"name": _name(r),
                                   "strength": "weak" if ("low" in strength or "weak" in strength) else "strong"})
            if _get(r, "original"):
                original.append(_get(r, "original"))
            ctry += _split_numbered(_get(r, "nationality")) + _split_numbered(_get(r, "country")) \
                + _split_numbered(_get(r, "flag"))
            for dob in _split_numbered(_get(r, "dob")) if layout == "fcdo" else [_get(r, "dob")]:
                births += iso_date(dob)
            for key, scheme in (("passport", "PASSPORT"), ("national_id", "NATIONAL_ID"),
                                ("registration", "REGISTRATION")):
                for value in _split_numbered(_get(r, key)) if _get(r, key) else []:
                    ident.append({"scheme": scheme, "value": value})
            if _get(r, "imo"):
                digits = re.sub(r"\D", "", _get(r, "imo"))
                ident.append({"scheme": "IMO", "value": digits or _get(r, "imo")})
            regimes.append(_get(r, "regime"))
            notes += [f"{k}: {r[k]}" for k in NOTE_COLUMNS if r.get(k)]
        rows.append({
            "id": f"UK:{gid}",
            "type": etype,
            "name": name,
            "aliases": merge_aliases(alias_list, exclude=name),
            "original_names": uniq(original),
            "countries": countries(ctry),
            "programs": uniq(regimes),
            "list": LIST_NAMES[layout],
            "identifiers": uniq(ident),
            "birth_dates": uniq(births),
            "listed_on": iso_listed(_get(head, "listed")),
            "source_file": file,
            "source_record": str(line),
            "notes": join_notes(*uniq(notes)),
        })
    stats.records = len(rows)
    stats.log_skips(file)
    return to_frame(rows)
