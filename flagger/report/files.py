"""A finished report written to files: the report itself, its provenance sidecar, its hits."""

from __future__ import annotations

from pathlib import Path

from flagger.output import atomic_text_writer
from flagger.report.provenance import write_sidecar
from flagger.report.registry import INLINE_FORMATS, check_format, format_for_path, write_report
from flagger.report.rows import HIT_ROWS, hits_format
from flagger.report.streaming import newline_for


def write_report_file(report, path: str | Path | None, fmt: str | None = None, **options) -> Path | None:
    """Write `report` to `path` (None or "-" = stdout) in `fmt` (default: by the extension, CSV
    for an unknown one), with a `.meta.json` provenance sidecar unless the format carries it
    inline or the report has none. Returns the report's path."""
    fmt = check_format(fmt or format_for_path(path) or "csv")
    with atomic_text_writer(None if path is None else str(path), newline=newline_for(fmt)) as stream:
        write_report(report, fmt, stream, **options)
    if path in (None, "-"):
        return None
    if fmt not in INLINE_FORMATS and report.provenance:
        write_sidecar(path, report.provenance, fmt)  # CSV etc. stay clean; `flagger verify` reads this
    return Path(path)


def write_hits_file(results, path: str | Path) -> None:
    """One row per hit: JSONL for .jsonl/.ndjson, else CSV."""
    fmt = hits_format(str(path))
    with atomic_text_writer(str(path), newline=newline_for(fmt)) as stream:
        rows = HIT_ROWS[fmt](stream)
        for r in results:
            rows.add(r)
        rows.flush()
