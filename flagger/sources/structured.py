"""JSONL / JSON / CSV / Parquet: one article per record, fields id,title,text,url,published,source."""

from __future__ import annotations

import io
import json

import polars as pl

from flagger.model import Record
from flagger.sources.decode import DecodeFailure, decode_bytes

FIELDS = ("id", "title", "text", "url", "published", "source")


def _to_record(obj, path: str, line: int, where: str) -> Record:
    rid_default = f"{path}:{line}"
    if not isinstance(obj, dict):
        return Record(id=rid_default, source=path, origin=path, line=line,
                      error=f"{path}:{line}: {where} is a JSON {type(obj).__name__}, expected an object")
    rid = obj.get("id")
    rid = rid_default if rid is None or str(rid).strip() == "" else str(rid)
    text = obj.get("text")
    extra = {k: v for k, v in obj.items() if k not in FIELDS}
    source = _s(obj.get("source")) or f"{path}:{line}"
    base = dict(id=rid, source=source, origin=path, line=line, extra=extra, title=_s(obj.get("title")), url=_s(obj.get("url")),
                published=_s(obj.get("published")))
    if text is None:
        return Record(**base, error=f"{path}:{line}: missing field 'text'")
    if not isinstance(text, str):
        return Record(**base, error=f"{path}:{line}: field 'text' must be a string, got {type(text).__name__}")
    if not text.strip():
        return Record(**base, error=f"{path}:{line}: field 'text' is empty")
    return Record(**base, text=text)


def _s(value) -> str:
    return "" if value is None else str(value)


def read_jsonl(path: str, data: bytes) -> list[Record]:
    try:
        text = decode_bytes(data)
    except DecodeFailure as exc:
        return [Record(id=path, source=path, origin=path, error=f"{path}: {exc}")]
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(Record(id=f"{path}:{lineno}", source=path, origin=path, line=lineno,
                              error=f"{path}:{lineno}: malformed JSON ({exc.msg} at column {exc.colno})"))
            continue
        out.append(_to_record(obj, path, lineno, "line"))
    if not out:
        out.append(Record(id=path, source=path, origin=path, error=f"{path}: empty file (no records)"))
    return out


def read_json(path: str, data: bytes) -> list[Record]:
    try:
        text = decode_bytes(data)
        doc = json.loads(text)
    except DecodeFailure as exc:
        return [Record(id=path, source=path, origin=path, error=f"{path}: {exc}")]
    except json.JSONDecodeError as exc:
        return [Record(id=path, source=path, origin=path, error=f"{path}:{exc.lineno}: malformed JSON ({exc.msg})")]
    if isinstance(doc, dict) and isinstance(doc.get("articles"), list):
        doc = doc["articles"]
    if isinstance(doc, dict):
        doc = [doc]
    if not isinstance(doc, list):
        return [Record(id=path, source=path, origin=path, error=f"{path}: expected an object or a list of objects")]
    if not doc:
        return [Record(id=path, source=path, origin=path, error=f"{path}: empty list (no records)")]
    return [_to_record(obj, path, i + 1, f"item {i + 1}") for i, obj in enumerate(doc)]


def _frame_records(frame: pl.DataFrame, path: str, first_line: int) -> list[Record]:
    if "text" not in frame.columns:
        return [Record(id=path, source=path, origin=path, error=f"{path}: no 'text' column (columns: {', '.join(frame.columns)})")]
    out = []
    for i, row in enumerate(frame.iter_rows(named=True)):
        out.append(_to_record(row, path, i + first_line, f"row {i + 1}"))
    if not out:
        out.append(Record(id=path, source=path, origin=path, error=f"{path}: no rows"))
    return out


def read_csv(path: str, data: bytes) -> list[Record]:
    try:
        text = decode_bytes(data)
    except DecodeFailure as exc:
        return [Record(id=path, source=path, origin=path, error=f"{path}: {exc}")]
    if not text.strip():
        return [Record(id=path, source=path, origin=path, error=f"{path}: empty file")]
    try:
        frame = pl.read_csv(io.StringIO(text), infer_schema=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        return [Record(id=path, source=path, origin=path, error=f"{path}: unreadable CSV ({str(exc).splitlines()[0]})")]
    # Line numbers: header is line 1 (CSV rows with embedded newlines shift this; ids stay stable).
    return _frame_records(frame, path, 2)


def read_parquet(path: str, data: bytes) -> list[Record]:
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except Exception as exc:  # polars raises several error types for corrupt files
        return [Record(id=path, source=path, origin=path, error=f"{path}: unreadable Parquet ({str(exc).splitlines()[0]})")]
    return _frame_records(frame, path, 1)
