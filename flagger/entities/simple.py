"""flagger's own simple entity-list format (CSV or JSONL), documented in docs/entities.md."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl

from flagger.entities.schema import ENTITY_SCHEMA, ENTITY_TYPES
from flagger.errors import EntityListError

REQUIRED = ("id", "name", "type")
KNOWN = set(REQUIRED) | {
    "aliases", "original_names", "countries", "programs", "list", "identifiers",
    "birth_dates", "listed_on", "source", "notes",
}
TYPE_SYNONYMS = {
    "individual": "person", "person": "person",
    "entity": "organisation", "organisation": "organisation", "organization": "organisation",
    "company": "organisation", "vessel": "vessel", "ship": "vessel", "aircraft": "aircraft",
}


def _split(value, sep: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(sep) if part.strip()]


def _row_to_entity(row: dict, file: str, line: int, list_name: str) -> dict:
    unknown = set(row) - KNOWN
    if unknown:
        raise EntityListError(f"unknown column(s) {sorted(unknown)}; expected {sorted(KNOWN)}", file, line)
    for key in REQUIRED:
        if not str(row.get(key) or "").strip():
            raise EntityListError(f"missing required field {key!r}", file, line)
    etype = TYPE_SYNONYMS.get(str(row["type"]).strip().lower())
    if etype is None:
        raise EntityListError(f"type {row['type']!r} is not one of {', '.join(ENTITY_TYPES)}", file, line)
    aliases = []
    for alias in _split(row.get("aliases"), "|"):
        weak = alias.startswith("~")
        aliases.append({"name": alias.lstrip("~").strip(), "strength": "weak" if weak else "strong"})
    identifiers = []
    for ident in _split(row.get("identifiers"), ";"):
        scheme, sep, value = ident.partition(":")
        if not sep or not value.strip():
            raise EntityListError(f"identifier {ident!r} is not scheme:value", file, line)
        identifiers.append({"scheme": scheme.strip().upper(), "value": value.strip()})
    return {
        "id": str(row["id"]).strip(),
        "type": etype,
        "name": str(row["name"]).strip(),
        "aliases": aliases,
        "original_names": _split(row.get("original_names"), "|"),
        "countries": _split(row.get("countries"), ";"),
        "programs": _split(row.get("programs"), ";"),
        "list": (str(row.get("list") or "").strip() or list_name),
        "identifiers": identifiers,
        "birth_dates": _split(row.get("birth_dates"), ";"),
        "listed_on": (str(row.get("listed_on") or "").strip() or None),
        "source_file": file,
        "source_record": str(line),
        "notes": " ".join(x for x in (row.get("source"), row.get("notes")) if x) or None,
    }


def read_simple(path: str | Path, list_name: str | None = None) -> pl.DataFrame:
    """Read a simple-format CSV or JSONL entity list into the canonical frame."""
    path = Path(path)
    file = str(path)
    list_name = list_name or path.stem
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EntityListError(f"cannot read: {exc.strerror or exc}", file) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EntityListError(f"not valid UTF-8 at byte {exc.start}", file) from exc
    rows: list[dict] = []
    seen: dict[str, int] = {}
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        records = []
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EntityListError(f"malformed JSON: {exc.msg}", file, lineno) from exc
            if not isinstance(obj, dict):
                raise EntityListError("each line must be a JSON object", file, lineno)
            records.append((lineno, obj))
    else:
        reader = csv.DictReader(io.StringIO(text))
        if reader.fieldnames is None:
            raise EntityListError("empty file (no header row)", file)
        records = []
        for row in reader:
            if None in row:
                raise EntityListError("row has more fields than the header", file, reader.line_num)
            records.append((reader.line_num, row))
    for lineno, obj in records:
        entity = _row_to_entity(obj, file, lineno, list_name)
        if entity["id"] in seen:
            raise EntityListError(f"duplicate id {entity['id']!r} (first on line {seen[entity['id']]})", file, lineno)
        seen[entity["id"]] = lineno
        rows.append(entity)
    return pl.DataFrame(rows, schema=ENTITY_SCHEMA)
