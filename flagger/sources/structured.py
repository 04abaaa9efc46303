"""JSONL / JSON / CSV / Parquet: one article per record, fields id,title,text,url,published,source.

JSONL, CSV and Parquet stream: a line (CSV row, Parquet batch) at a time, so memory does not grow
with the file. A .json document is parsed whole and so is limited to 10 × --max-article-bytes.
A broken line or row becomes one error record naming file:line and the scan goes on with the next.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from flagger.model import Record
from flagger.sources.decode import (
    DEFAULT_OPTIONS,
    DecodeFailure,
    LineProblem,
    LineSource,
    ReadOptions,
    decode_bytes,
    read_capped,
)

FIELDS = ("id", "title", "text", "url", "published", "source")
PARQUET_BATCH_ROWS = 1000


def _error(path: str, message: str, line: int | None = None, rid: str | None = None) -> Record:
    where = f"{path}:{line}" if line is not None else path
    return Record(id=rid or where, source=path, origin=path, line=line, error=f"{where}: {message}")


def _to_record(obj, path: str, line: int, where: str, opts: ReadOptions = DEFAULT_OPTIONS) -> Record:
    rid_default = f"{path}:{line}"
    if not isinstance(obj, dict):
        return Record(id=rid_default, source=path, origin=path, line=line,
                      error=f"{path}:{line}: {where} is a JSON {_json_kind(obj)}, expected an object")
    rid = obj.get("id")
    rid = rid_default if rid is None or str(rid).strip() == "" else str(rid)
    text = obj.get("text")
    extra = {k: v for k, v in obj.items() if k not in FIELDS}
    source = _s(obj.get("source")) or f"{path}:{line}"
    base = dict(id=rid, source=source, origin=path, line=line, extra=extra, title=_s(obj.get("title")), url=_s(obj.get("url")),
                published=_s(obj.get("published")))
    bad = _lone_surrogate(obj)
    if bad:
        base.update(id=rid_default if _SURROGATE.search(rid) else rid, title="", url="", source=f"{path}:{line}",
                    published="", extra={})
        return Record(**base, error=f"{path}:{line}: field {bad!r} holds a lone UTF-16 surrogate (an escape like "
                                    "\\ud800 that is not a character); not scanned")
    if text is None:
        return Record(**base, error=f"{path}:{line}: missing field 'text'")
    if not isinstance(text, str):
        return Record(**base, error=f"{path}:{line}: field 'text' must be a string, got {type(text).__name__}")
    if not text.strip():
        return Record(**base, error=f"{path}:{line}: field 'text' is empty")
    for name in ("text", "title"):      # both are scanned: a 200 MB title is as much an article as a text
        value = text if name == "text" else base["title"]
        if len(value) * 4 > opts.max_article_bytes and len(value.encode("utf-8", "surrogatepass")) > opts.max_article_bytes:
            if name == "title":
                base["title"] = ""
            return Record(**base, error=f"{path}:{line}: field {name!r} is larger than the {opts.max_article_bytes:,}-byte "
                                        f"article limit (--max-article-bytes); not scanned")
    return Record(**base, text=text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(obj: dict) -> str:
    """The first field (or key) holding a lone surrogate: JSON allows the escape, but such a string
    cannot be written as UTF-8, so it would crash the report writers."""
    for key, value in obj.items():
        if _has_surrogate(str(key)):
            return "(a key)"
        if isinstance(value, str):
            if _has_surrogate(value):
                return str(key)
        elif isinstance(value, (dict, list)) and _has_surrogate(json.dumps(value, ensure_ascii=False)):
            return str(key)
    return ""


def _has_surrogate(value: str) -> bool:
    """Whether the string holds a surrogate code point: never when it is ASCII (a flag Python
    keeps), else exactly when it cannot be encoded as UTF-8 (every other code point can). A regex
    search over every article's text cost ~2 % of a scan."""
    if value.isascii():
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _json_kind(obj) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null", int: "number",
            float: "number"}.get(type(obj), type(obj).__name__)


def _s(value) -> str:
    return "" if value is None else str(value)


# -- JSONL ---------------------------------------------------------------------------------------

def stream_jsonl(path: str, stream: BinaryIO, opts: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Record]:
    """One record per non-blank line, read line by line from the binary stream."""
    lines = LineSource(stream, opts.max_article_bytes, opts.encoding)
    if lines.binary_at >= 0:
        yield _error(path, f"binary file, not text (NUL byte at offset {lines.binary_at})")
        return
    n = 0
    for item in lines:
        if isinstance(item, LineProblem):
            n += 1
            yield _error(path, item.message.split(": ", 1)[1], item.number)
            if item.fatal:
                return
            continue
        if not item.text.strip():
            continue
        n += 1
        try:
            obj = json.loads(item.text)
        except json.JSONDecodeError as exc:
            yield _error(path, f"malformed JSON ({exc.msg} at column {exc.colno})", item.number)
            continue
        except RecursionError:
            yield _error(path, "malformed JSON (nested too deeply)", item.number)
            continue
        yield _to_record(obj, path, item.number, "line", opts)
    if n == 0:
        yield _error(path, "empty file (no records)")


stream_jsonl.streaming = True


def read_jsonl(path: str, data: bytes, opts: ReadOptions = DEFAULT_OPTIONS) -> list[Record]:
    import io

    return list(stream_jsonl(path, io.BufferedReader(io.BytesIO(data)), opts))


# -- JSON document --------------------------------------------------------------------------------

def read_json(path: str, data: bytes, opts: ReadOptions = DEFAULT_OPTIONS) -> list[Record]:
    try:
        text = decode_bytes(data, opts.encoding)
        doc = json.loads(text)
    except DecodeFailure as exc:
        return [_error(path, str(exc))]
    except json.JSONDecodeError as exc:
        return [_error(path, f"malformed JSON ({exc.msg})", exc.lineno)]
    except RecursionError:
        return [_error(path, "malformed JSON (nested too deeply)")]
    if isinstance(doc, dict) and isinstance(doc.get("articles"), list):
        doc = doc["articles"]
    if isinstance(doc, dict):
        doc = [doc]
    if not isinstance(doc, list):
        return [_error(path, "expected an object or a list of objects")]
    if not doc:
        return [_error(path, "empty list (no records)")]
    return [_to_record(obj, path, i + 1, f"item {i + 1}", opts) for i, obj in enumerate(doc)]


def stream_json(path: str, stream: BinaryIO, opts: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Record]:
    data, more = read_capped(stream, opts.max_json_bytes)
    if more:
        yield _error(path, f"JSON document larger than {opts.max_json_bytes:,} bytes (a .json file is parsed whole; "
                           "use JSONL, one article per line, for large inputs)")
        return
    yield from read_json(path, data, opts)


stream_json.streaming = True


# -- CSV ------------------------------------------------------------------------------------------

class _BadLine(Exception):
    def __init__(self, problem: LineProblem):
        super().__init__(problem.message)
        self.problem = problem


class _CsvLines:
    """Feeds decoded lines to csv.reader; a bad line raises, and iteration can go on after it."""

    def __init__(self, lines: LineSource):
        self.lines = lines
        self.last = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        item = next(self.lines)
        self.last = item.number
        if isinstance(item, LineProblem):
            raise _BadLine(item)
        return item.text


def stream_csv(path: str, stream: BinaryIO, opts: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Record]:
    """Rows streamed with the csv module. Line numbers are physical lines (header = line 1)."""
    csv.field_size_limit(max(opts.max_article_bytes, 1 << 17))
    lines = LineSource(stream, opts.max_article_bytes, opts.encoding)
    if lines.binary_at >= 0:
        yield _error(path, f"binary file, not text (NUL byte at offset {lines.binary_at})")
        return
    feed = _CsvLines(lines)
    reader = csv.reader(feed)
    try:
        header = next(reader)
        while not any(h.strip() for h in header):
            header = next(reader)
    except StopIteration:
        yield _error(path, "empty file")
        return
    except _BadLine as exc:
        yield _error(path, f"cannot read the header: {exc.problem.message}")
        return
    except csv.Error as exc:
        yield _error(path, f"unreadable CSV header ({exc})", feed.last)
        return
    header = [h.strip() for h in header]
    if "text" not in header:
        yield _error(path, f"no 'text' column (columns: {', '.join(header)}); no row was read")
        return
    n = 0
    while True:
        start = feed.last + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except _BadLine as exc:
            n += 1
            yield _error(path, exc.problem.message.split(": ", 1)[1], exc.problem.number)
            if exc.problem.fatal:
                return
            reader = csv.reader(feed)   # start afresh at the next line
            continue
        except csv.Error as exc:
            n += 1
            if "field larger than field limit" in str(exc):
                # a quoted field that runs on for more than an article's worth of lines (an
                # unclosed quote): re-reading each of its lines as a row would give thousands of
                # meaningless error rows, so one error names where it began and the read stops
                yield _error(path, f"a field starting in the row at line {start} is larger than the "
                                   f"{opts.max_article_bytes:,}-byte article limit (an unclosed quote?); "
                                   f"the rest of the file (from line {start}) was not read", start)
                return
            yield _error(path, f"unreadable CSV row ({exc})", start)
            reader = csv.reader(feed)
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        n += 1
        if len(row) != len(header):
            yield _error(path, f"row has {len(row)} fields, the header has {len(header)} "
                               f"({', '.join(header)})", start)
            continue
        yield _to_record(dict(zip(header, row, strict=True)), path, start, f"row {n}", opts)
    if n == 0:
        yield _error(path, "no rows (header only)")


stream_csv.streaming = True


def read_csv(path: str, data: bytes, opts: ReadOptions = DEFAULT_OPTIONS) -> list[Record]:
    import io

    return list(stream_csv(path, io.BufferedReader(io.BytesIO(data)), opts))


# -- Parquet -------------------------------------------------------------------------------------

def stream_parquet(path: str, stream: BinaryIO, opts: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Record]:
    """Rows in batches of PARQUET_BATCH_ROWS (pyarrow reads one row group at a time)."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(stream)
        names = pf.schema_arrow.names
    except Exception as exc:  # pyarrow raises several error types for corrupt files
        yield _error(path, f"unreadable Parquet ({_first_line(exc)})")
        return
    if "text" not in names:
        yield _error(path, f"no 'text' column (columns: {', '.join(names)}); no row was read")
        return
    columns = [c for c in names if c in FIELDS] + [c for c in names if c not in FIELDS]
    row = 0
    try:
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns):
            for obj in batch.to_pylist():
                row += 1
                yield _to_record(obj, path, row, f"row {row}", opts)
    except Exception as exc:
        yield _error(path, f"unreadable Parquet from row {row + 1} on ({_first_line(exc)}); the rest was not read",
                     row + 1)
        return
    if row == 0:
        yield _error(path, "no rows")


stream_parquet.streaming = True


def read_parquet(path: str, data: bytes, opts: ReadOptions = DEFAULT_OPTIONS) -> list[Record]:
    import io

    return list(stream_parquet(path, io.BytesIO(data), opts))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
