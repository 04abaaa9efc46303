"""How a report was made, so that a decision can be replayed (`flagger verify`) and defended.

Every report carries a provenance dict (``report.provenance``)::

    {
      "flagger_provenance": 1,
      "flagger_version": "0.1.0", "python": "3.12.1", "libraries": {"polars": ..., "rapidfuzz": ...},
      "started": "2026-11-27T21:04:05Z", "duration_seconds": 1.73, "cwd": "/home/me/project",
      "rule_packs": [{"id", "title", "version", "path", "sha256", "rules"}],
      "entity_lists": [{"name", "path", "builtin", "records", "list_date", "latest_listed_on", "sha256"}],
      "thresholds": {"entity_threshold": 90.0, "level_floors": {...}, "fail_on": null, "min_score": null},
      "options": {"rules": [...], "entities": [...], "default_entities": true, "inputs": [...], ...},
      "inputs": {"records": 12, "records_sha256": "...", "files": [{"path", "sha256", "records"}]},
      "results": {"articles": 12, "errors": 1, "by_level": {...}, "sha256": "..."}
    }

JSON (and SARIF) reports carry it inline; every other format written to a file gets a sidecar
``<output>.meta.json`` (see `sidecar_path`) so that a CSV stays a clean spreadsheet.

Hashes are SHA-256 of file bytes; a directory (an OFAC CSV set, a folder of lists) hashes the relative
paths and bytes of every file below it, in sorted order. ``records_sha256`` hashes the records as read (id, title, text, url,
published, source, error), ``results.sha256`` the report rows (article and hit columns), so two
runs can be compared without the report format getting in the way.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flagger.digest import sha256_file
from flagger.model import LEVEL_FLOORS, ArticleResult

if TYPE_CHECKING:  # pragma: no cover

    from flagger.rules.pack import RulePack

PROVENANCE_FORMAT = 1
SIDECAR_SUFFIX = ".meta.json"


# -- versions --------------------------------------------------------------------------------
@functools.cache
def flagger_version() -> str:
    """The installed flagger version ("0+unknown" when running from a tree that is not installed)."""
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover
        return "0+unknown"
    try:
        return version("flagger")
    except PackageNotFoundError:
        return "0+unknown"


@functools.cache
def _library_versions_cached() -> tuple[tuple[str, str], ...]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("polars", "rapidfuzz", "google-re2", "py3langid", "snowballstemmer", "anyascii"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return tuple(out.items())


def _library_versions() -> dict[str, str]:
    return dict(_library_versions_cached())


def _record_fields(r) -> list[str]:
    return [r.id, r.title, r.text, r.url, r.published, r.source, r.error]


def records_digest(results: Iterable[ArticleResult]) -> str:
    """SHA-256 over the records as read, in order (what was screened, whatever it came from)."""
    h = hashlib.sha256()
    for r in results:
        h.update(json.dumps(_record_fields(r.record), ensure_ascii=False).encode())
        h.update(b"\n")
    return h.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def article_digest(r: ArticleResult) -> str:
    """SHA-256 of one article's report row and its hits (the CSV/--hits columns)."""
    from flagger.report.frames import ARTICLE_COLUMNS, HIT_COLUMNS, article_row

    row = article_row(r)
    doc = [[_plain(row[c]) for c in ARTICLE_COLUMNS], [[_plain(getattr(h, c)) for c in HIT_COLUMNS] for h in r.hits]]
    return hashlib.sha256(json.dumps(doc, ensure_ascii=False).encode()).hexdigest()


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


# -- inputs ------------------------------------------------------------------------------------
def input_files(inputs: Sequence[str], results: Sequence[ArticleResult] = ()) -> list[dict]:
    """Each file the CLI would read for `inputs` (folders walked as the reader walks them), with
    its hash and how many records it gave. "-" (stdin) has no hash: it cannot be re-read."""
    from flagger.sources.discover import _walk

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


def build_provenance(scanner, results: Sequence[ArticleResult], *, started: float, seconds: float,
                     inputs: Sequence[str] | None = None, options: dict | None = None,
                     thresholds: dict | None = None) -> dict:
    """The provenance of one scan by `scanner` (a `flagger.Scanner`) that produced `results`.

    `inputs` are the paths given to the CLI (None for records passed in memory); `options` and
    `thresholds` add to what the scanner knows (the CLI adds fail_on, min_score, format ...)."""
    counts = {"none": 0, "low": 0, "medium": 0, "high": 0, "critical": 0}
    for r in results:
        if not r.record.error:
            counts[r.level] += 1
    entity_lists = list(getattr(scanner, "entity_lists", None) or [])
    opts = {
        "rules": getattr(scanner, "rule_args", None),
        "entities": [e["path"] for e in entity_lists if not e.get("builtin") and e.get("path")],
        "default_entities": any(e.get("builtin") for e in entity_lists),
        "batch_size": getattr(scanner, "batch_size", None),
        "inputs": list(inputs) if inputs is not None else None,
    }
    opts.update(options or {})
    thr = {"entity_threshold": getattr(scanner, "entity_threshold", None), "level_floors": dict(LEVEL_FLOORS)}
    thr.update(thresholds or {})
    input_info: dict[str, Any] = {"records": len(results), "records_sha256": records_digest(results)}
    if inputs is not None:
        input_info["files"] = input_files(list(inputs), results)
    return {
        "flagger_provenance": PROVENANCE_FORMAT,
        "flagger_version": flagger_version(),
        "python": platform.python_version(),
        "libraries": _library_versions(),
        "started": iso_utc(started),
        "duration_seconds": round(seconds, 3),
        "cwd": os.getcwd(),
        "rule_packs": [pack_info(p) for p in getattr(scanner, "packs", ())],
        "entity_lists": entity_lists,
        "thresholds": thr,
        "options": opts,
        "inputs": input_info,
        "results": {"articles": len(results), "errors": sum(1 for r in results if r.record.error),
                    "by_level": counts, "sha256": results_digest(results)},
    }


def add_run_context(report, *, inputs: Sequence[str] | None = None, options: dict | None = None,
                    thresholds: dict | None = None, started: float | None = None,
                    seconds: float | None = None) -> dict:
    """Complete `report.provenance` (made by `Scanner.scan`) with what only the caller knows:
    the input paths (hashed, with records per file), CLI options and gates, the run's timing."""
    prov = report.provenance
    if inputs is not None:
        prov["options"]["inputs"] = list(inputs)
        prov["inputs"]["files"] = input_files(list(inputs), report.results)
    prov["options"].update(options or {})
    prov["thresholds"].update(thresholds or {})
    if started is not None:
        prov["started"] = iso_utc(started)
    if seconds is not None:
        prov["duration_seconds"] = round(seconds, 3)
    return prov


# -- where provenance lives -----------------------------------------------------------------------
def sidecar_path(output: str | Path) -> Path:
    """``report.csv`` -> ``report.csv.meta.json``."""
    return Path(str(output) + SIDECAR_SUFFIX)


def write_sidecar(output: str | Path, provenance: dict) -> Path:
    """Write `provenance` next to a report file (atomically); returns the sidecar's path."""
    from flagger.output import atomic_text_writer

    target = sidecar_path(output)
    with atomic_text_writer(str(target)) as stream:
        json.dump({"flagger_report_meta": 1, "report": Path(output).name, "provenance": provenance}, stream,
                  ensure_ascii=False, indent=2, default=str)
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


def write_report_file(report, path: str | Path, fmt: str | None = None, **options) -> Path:
    """Write `report` to `path` in `fmt` (default: by extension), with a sidecar unless the
    format carries provenance inline. Returns the report's path."""
    from flagger.output import atomic_text_writer
    from flagger.report import FORMATS, write_report

    by_suffix = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".md": "markdown",
                 ".txt": "table", ".sarif": "sarif"}
    fmt = fmt or by_suffix.get(Path(path).suffix.lower(), "csv")
    if fmt not in FORMATS:
        from flagger.errors import ConfigError

        raise ConfigError(f"unknown report format {fmt!r}; known: {', '.join(FORMATS)}")
    with atomic_text_writer(str(path), newline="" if fmt == "csv" else None) as stream:
        write_report(report, fmt, stream, **options)
    if fmt not in INLINE_FORMATS and getattr(report, "provenance", None):
        write_sidecar(path, report.provenance)
    return Path(path)


INLINE_FORMATS = ("json", "sarif")
