"""How a report was made, so that a decision can be replayed (`flagger verify`) and defended.

Every report carries a provenance dict (``report.provenance``)::

    {
      "flagger_provenance": 1,
      "flagger_version": "0.1.0", "python": "3.12.1", "libraries": {"polars": ..., "rapidfuzz": ...},
      "started": "2026-11-27T21:04:05Z", "duration_seconds": 1.73, "cwd": "/home/me/project",
      "rule_packs": [{"id", "title", "version", "path", "sha256", "rules"}],
      "entity_lists": [{"name", "path", "builtin", "records", "list_date", "latest_listed_on", "sha256",
                        "sources" (the default list only: [{"name", "file", "date", "records", "sha256"}])}],
      "thresholds": {"entity_threshold": 90.0, "level_floors": {...}, "fail_on": null, "min_score": null},
      "scoring_model": {"name": "flagger-score", "version": "1", "sha256": "...", "parameters": {...}},
      "options": {"rules": [...], "entities": [...], "default_entities": true, "inputs": [...], ...},
      "inputs": {"records": 12, "records_sha256": "...", "files": [{"path", "sha256", "records"}]},
      "results": {"articles": 12, "errors": 1, "by_level": {...}, "sha256": "..."}
    }

JSON (and SARIF) reports carry it inline; every other format written to a file gets a sidecar
``<output>.meta.json`` (see `sidecar_path`) so that a CSV stays a clean spreadsheet.

What the report itself holds is recorded too, so `flagger verify` can tell an edited report from
the one flagger wrote: the sidecar records the report's format and the SHA-256 of its bytes
(``report_format``, ``report_sha256``); a JSON report's inline provenance records
``report.content_sha256`` over its ``summary`` and ``articles``, a SARIF log's over its
``results`` and summary (`content_digest`: canonical JSON, sorted keys).

Hashes are SHA-256 of file bytes; a directory (an OFAC CSV set, a folder of lists) hashes the relative
paths and bytes of every file below it, in sorted order. ``records_sha256`` hashes the records as read (id, title, text, url,
published, source, error), ``results.sha256`` the report rows (article and hit columns), so two
runs can be compared without the report format getting in the way.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import starmap
from operator import itemgetter
from pathlib import Path
from typing import Any

from flagger.digest import sha256_file
from flagger.model import LEVELS, ArticleResult, add_level
from flagger.output import atomic_text_writer
from flagger.report.frames import ARTICLE_COLUMNS, ARTICLE_TYPES, HIT_COLUMNS, HIT_TYPES, article_row
from flagger.report.frames import hit_values as _hit_values  # (the --hits writer is handed these very tuples)
from flagger.rules.pack import RulePack
from flagger.scoring import MODEL
from flagger.sources.discover import _walk
from flagger.versions import flagger_version, library_versions

PROVENANCE_FORMAT = 1
SIDECAR_SUFFIX = ".meta.json"
# json.dumps(value, ensure_ascii=False), without making an encoder per call (the digests of a scan
# call it twice per article)
_to_json = json.JSONEncoder(ensure_ascii=False).encode
_row_values = itemgetter(*ARTICLE_COLUMNS)
_SIMILARITY = HIT_COLUMNS.index("similarity")     # the hit's one float (frames.HIT_TYPES)
# UTF-8 bytes of the characters JSON escapes other than the usual three (\\, " and the newline):
# the other control characters (UTF-8 never uses bytes below 0x80 inside a multi-byte character)
_RARE_ESCAPES = bytes(c for c in range(0x20) if c != 0x0A)
# Control characters (so JSON escapes them: no value holds one unescaped) that stand in a JSON
# document while it is built as text: _SEP between the fields of a record, _QUOTE for the quotes
# of a string value. `_escaped` turns them into `", "` and `"` after escaping the values.
_SEP, _QUOTE = "\x01", "\x02"
_ONLY_STR = frozenset({str})


def _escaped(doc: str, marks: int) -> bytes | None:
    """`doc`, a JSON document whose string values are written as they are between _QUOTE marks
    (or _SEP), with `marks` marks in all, as JSON writes it (UTF-8): its backslashes, quotes and
    newlines escaped, then the marks made quotes. None when a value holds another control
    character (JSON writes those as \\t, \\u0001 ...: the caller asks json). Bytes operations that
    run at memory speed: json's C escaper is a loop per character, and a Python call per value
    was most of the digests (corpus3k: 13.9M characters of text, 150,000 hit values)."""
    raw = doc.encode()             # a lone surrogate raises here, as `_to_json(...).encode()` does
    if len(raw) - len(raw.translate(None, _RARE_ESCAPES)) != marks:
        return None
    return (raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"').replace(b"\n", b"\\n")
            .replace(b"\x02", b'"').replace(b"\x01", b'", "'))


def _record_fields(r) -> list[str]:
    return [r.id, r.title, r.text, r.url, r.published, r.source, r.error]


def _record_line(record) -> bytes:
    """`_to_json(_record_fields(record)).encode() + b"\\n"`: one line of the records digest."""
    fields = _record_fields(record)
    if all(type(f) is str for f in fields):
        line = _escaped(f"[{_QUOTE}{_SEP.join(fields)}{_QUOTE}]", 2 + len(fields) - 1)
        if line is not None:
            return line + b"\n"
    return _to_json(fields).encode() + b"\n"


def records_digest(results: Iterable[ArticleResult]) -> str:
    """SHA-256 over the records as read, in order (what was screened, whatever it came from)."""
    h = hashlib.sha256()
    for r in results:
        h.update(_record_line(r.record))
    return h.hexdigest()


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or value is None:     # most values: as they are
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _plain_hit(hit) -> list:
    """`list(map(_plain, _hit_values(hit)))`, for the usual hit (each value of its column's type,
    `frames.HIT_TYPES`) in C calls: a Python call per value was most of a results digest (150,000
    for corpus3k's 9,302 hits). `_plain` keeps str and int, and writes the float similarity's repr."""
    values = _hit_values(hit)
    if tuple(map(type, values)) != HIT_TYPES:
        return list(map(_plain, values))
    plain = list(values)
    plain[_SIMILARITY] = repr(plain[_SIMILARITY])
    return plain


# An article row's and a hit's JSON arrays of `_plain` values with _QUOTE marks, for `str.format`
# of the values of the usual row and hit (each of its column's type; the one float as its repr):
# a list column is written in by `_quoted`
_ROW_JSON = "[" + ", ".join("[{}]" if t is list else f"{_QUOTE}{{{'!r' if t is float else ''}}}{_QUOTE}"
                            for t in ARTICLE_TYPES) + "]"
_HIT_JSON = "[" + ", ".join("{}" if t is int else f"{_QUOTE}{{{'!r' if t is float else ''}}}{_QUOTE}"
                            for t in HIT_TYPES) + "]"
_ROW_MARKS, _HIT_MARKS = _ROW_JSON.count(_QUOTE), _HIT_JSON.count(_QUOTE)
_LIST_COLUMNS = [k for k, t in enumerate(ARTICLE_TYPES) if t is list]
_QUOTES_APART = f"{_QUOTE}, {_QUOTE}"


def _quoted(items: list[str]) -> str:
    return f"{_QUOTE}{_QUOTES_APART.join(items)}{_QUOTE}" if items else ""


def _digest_doc(row: dict, hits, hit_values: list[tuple] | None = None) -> bytes | None:
    """`_to_json([row's _plain values, each hit's _plain values]).encode()` for the usual row and
    hits (each value of its column's type, lists of str) by one `str.format` per row and hit and
    `_escaped`; None for any other (the caller asks json). `hit_values`: the hits' `_hit_values`
    when the caller has them."""
    values = _row_values(row)
    if tuple(map(type, values)) != ARTICLE_TYPES:
        return None
    cells = list(values)
    marks = _ROW_MARKS + _HIT_MARKS * len(hits)
    for k in _LIST_COLUMNS:
        items = cells[k]
        if not _ONLY_STR.issuperset(map(type, items)):
            return None
        marks += 2 * len(items)
        cells[k] = _quoted(items)
    if hit_values is None:
        hit_values = list(map(_hit_values, hits))
    for v in hit_values:
        if tuple(map(type, v)) != HIT_TYPES:
            return None
    doc = f"[{_ROW_JSON.format(*cells)}, [{', '.join(starmap(_HIT_JSON.format, hit_values))}]]"
    return _escaped(doc, marks)


def article_digest(r: ArticleResult, row: dict | None = None, hit_values: list[tuple] | None = None) -> str:
    """SHA-256 of one article's report row and its hits (the CSV/--hits columns); `row`: the
    article's `article_row` when the caller has made it, `hit_values` its hits' values (in
    HIT_COLUMNS order)."""
    row = article_row(r) if row is None else row
    doc = _digest_doc(row, r.hits, hit_values)
    if doc is None:
        doc = _to_json([list(map(_plain, _row_values(row))), list(map(_plain_hit, r.hits))]).encode()
    return hashlib.sha256(doc).hexdigest()


def results_digest(results: Iterable[ArticleResult]) -> str:
    """SHA-256 over every article's report row and hits, in order."""
    h = hashlib.sha256()
    for r in results:
        h.update(article_digest(r).encode())
        h.update(b"\n")
    return h.hexdigest()


# -- rule packs and entity lists ---------------------------------------------------------------
def pack_info(pack: RulePack) -> dict:
    return {"id": pack.id, "title": pack.title, "version": pack.version or None, "path": pack.path,
            "sha256": pack.sha256, "rules": len(pack.rules)}


def entity_lists_line(provenance: dict) -> str:
    """The entity lists a report was made with, each with its size and date, for a report's header
    ("" when none): 'flagger default (15,313 entries: UN SC consolidated of 2026-02-27, OFAC SDN of
    2024-05-03)'. The default list names the official lists it was built from and their dates."""
    parts = []
    for e in provenance.get("entity_lists") or []:
        dated = [f"{s['name']} of {s['date']}" for s in e.get("sources") or [] if s.get("date")
                 and s.get("records") is not None]
        when = ", ".join(dated) if dated else (f"list of {e['list_date']}" if e.get("list_date") else "")
        parts.append(f"{e.get('name')} ({e.get('records', 0):,} entries{': ' + when if when else ''})")
    return "; ".join(parts)


# -- inputs ------------------------------------------------------------------------------------
def input_files(inputs: Sequence[str], results: Sequence[ArticleResult] = ()) -> list[dict]:
    """Each file the CLI would read for `inputs` (folders walked as the reader walks them), with
    its hash and how many records it gave. "-" (stdin) has no hash: it cannot be re-read."""
    per_origin = Counter(r.record.origin for r in results)
    out = []
    for item in inputs:
        if item == "-":
            out.append({"path": "-", "sha256": None, "records": per_origin.get("-", 0)})
            continue
        p = Path(item)
        files = [str(f) for f in _walk(p) if isinstance(f, Path)] if p.is_dir() else [item]
        for f in files:
            out.append({"path": f, "sha256": sha256_file(f) if Path(f).is_file() else None,
                        "records": per_origin.get(f, 0)})
    return out


# -- the provenance dict --------------------------------------------------------------------------
def iso_utc(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class RunDigest:
    """What a run's provenance records about its results, gathered one article at a time (so a
    streamed report needs no list of results): the digests of records and results, the counts
    per level and per input file."""

    def __init__(self) -> None:
        self.articles = 0
        self.errors = 0
        self.by_level = dict.fromkeys(LEVELS, 0)
        self.per_origin: Counter = Counter()
        self._records = hashlib.sha256()
        self._results = hashlib.sha256()
        # the result added last, its row and its hits' values
        self._last: tuple[ArticleResult, dict, list[tuple]] | None = None

    def add(self, result: ArticleResult) -> None:
        self.articles += 1
        self.per_origin[result.record.origin] += 1
        if result.record.error:
            self.errors += 1
        add_level(self.by_level, result)
        self._records.update(_record_line(result.record))
        row, values = article_row(result), list(map(_hit_values, result.hits))
        self._last = (result, row, values)
        self._results.update(article_digest(result, row, values).encode() + b"\n")

    def row_of(self, result: ArticleResult) -> dict:
        """`result`'s report row (`frames.article_row`): a copy of the one `add` made when `result`
        is the one added last (a streamed report writes each article right after its digest), so
        each row is made once; else made now."""
        last = self._last
        return dict(last[1]) if last is not None and last[0] is result else article_row(result)

    def hit_values_of(self, result: ArticleResult) -> list[tuple]:
        """The values of `result`'s hits, each a tuple in `frames.HIT_COLUMNS` order: the list
        `add` made when `result` is the one added last (the --hits file's rows are made from it,
        so each hit's values are read once), else made now."""
        last = self._last
        return last[2] if last is not None and last[0] is result else list(map(_hit_values, result.hits))

    def through(self, results: Iterable[ArticleResult]) -> Iterator[ArticleResult]:
        """`results`, unchanged, each added on its way through."""
        for r in results:
            self.add(r)
            yield r

    @property
    def records_sha256(self) -> str:
        return self._records.hexdigest()

    @property
    def results_sha256(self) -> str:
        return self._results.hexdigest()


def build_provenance(scanner, digest: RunDigest, *, started: float, seconds: float,
                     inputs: Sequence[str] | None = None, options: dict | None = None,
                     thresholds: dict | None = None) -> dict:
    """The provenance of one scan by `scanner` whose results went through `digest`.

    `inputs` are the paths read (None for records passed in memory); `options` and `thresholds`
    add to what the scanner knows (the gate, the report format, the CLI's options ...)."""
    entity_lists = list(scanner.entity_lists)
    opts = {
        "rules": scanner.rule_args,
        "entities": [e["path"] for e in entity_lists if not e.get("builtin") and e.get("path")],
        "default_entities": any(e.get("builtin") for e in entity_lists),
        "batch_size": scanner.batch_size,
        "inputs": list(inputs) if inputs is not None else None,
    }
    opts.update(options or {})
    thr = {"entity_threshold": scanner.entity_threshold, "level_floors": dict(MODEL.level_floors)}
    thr.update(thresholds or {})
    input_info: dict[str, Any] = {"records": digest.articles, "records_sha256": digest.records_sha256}
    if inputs is not None:
        files = input_files(list(inputs))
        for f in files:
            f["records"] = digest.per_origin.get(f["path"], 0)
        input_info["files"] = files
    return {
        "flagger_provenance": PROVENANCE_FORMAT,
        "flagger_version": flagger_version(),
        "python": platform.python_version(),
        "libraries": library_versions(),
        "started": iso_utc(started),
        "duration_seconds": round(seconds, 3),
        "cwd": os.getcwd(),
        "rule_packs": [pack_info(p) for p in scanner.packs],
        "entity_lists": entity_lists,
        "thresholds": thr,
        "scoring_model": MODEL.describe(),
        "options": opts,
        "inputs": input_info,
        "results": {"articles": digest.articles, "errors": digest.errors, "by_level": dict(digest.by_level),
                    "sha256": digest.results_sha256},
    }


# -- where provenance lives -----------------------------------------------------------------------
def sidecar_path(output: str | Path) -> Path:
    """``report.csv`` -> ``report.csv.meta.json``."""
    return Path(str(output) + SIDECAR_SUFFIX)


def content_digest(doc: Any) -> str:
    """SHA-256 of `doc` as canonical JSON (sorted keys, no spaces): the same for the document a
    writer dumps and for that document parsed back from the file."""
    text = json.dumps(json.loads(json.dumps(doc, ensure_ascii=False, default=str)), ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def write_sidecar(output: str | Path, provenance: dict, fmt: str | None = None) -> Path:
    """Write `provenance` next to a report file (atomically), with the report's format and the
    SHA-256 of its bytes as written; returns the sidecar's path."""
    target = sidecar_path(output)
    meta: dict[str, Any] = {"flagger_report_meta": 1, "report": Path(output).name}
    if fmt:
        meta["report_format"] = fmt
    if Path(output).is_file():
        meta["report_sha256"] = sha256_file(output)
    meta["provenance"] = provenance
    with atomic_text_writer(str(target)) as stream:
        json.dump(meta, stream, ensure_ascii=False, indent=2, default=str)
        stream.write("\n")
    return target


def find_provenance(doc: Any) -> dict | None:
    """The provenance inside a parsed JSON report, SARIF log (``runs[].properties.provenance``)
    or sidecar; None if there is none."""
    if not isinstance(doc, dict):
        return None
    prov = doc.get("provenance")
    if isinstance(prov, dict) and prov:
        return prov
    for run in doc.get("runs") or []:
        props = run.get("properties") if isinstance(run, dict) else None
        if isinstance(props, dict):
            for key in ("provenance", "flagger_provenance"):
                if isinstance(props.get(key), dict) and props[key]:
                    return props[key]
    return None
