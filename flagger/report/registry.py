"""Report formats: the one table of names, file extensions and capabilities.

Adding a format means adding one module with ``write(report, stream, **options)`` and one line
in `FORMATS` (and its extensions in `FORMAT_BY_SUFFIX`).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TextIO

from flagger.errors import ConfigError
from flagger.model import LEVELS
from flagger.report import (
    csv_report,
    html_report,
    json_report,
    jsonl_report,
    junit_report,
    markdown_report,
    sarif_report,
    table_report,
)

FORMATS = {
    "table": table_report.write,
    "csv": csv_report.write,
    "json": json_report.write,
    "jsonl": jsonl_report.write,
    "markdown": markdown_report.write,
    "sarif": sarif_report.write,
    "junit": junit_report.write,
    "html": html_report.write,
}
FORMAT_BY_SUFFIX = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".md": "markdown",
                    ".txt": "table", ".sarif": "sarif", ".xml": "junit", ".html": "html", ".htm": "html"}
#: formats that carry the provenance inside the report; every other one gets a sidecar file
INLINE_FORMATS = ("json", "sarif")
#: formats written row by row while scanning, so memory does not grow with the number of articles
STREAMING_FORMATS = ("csv", "jsonl")


def format_for_path(path: str | Path | None) -> str | None:
    """The format a file name asks for by its extension; None when the extension names none."""
    if path is None:
        return None
    return FORMAT_BY_SUFFIX.get(Path(path).suffix.lower())


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ConfigError(f"unknown report format {fmt!r}; known: {', '.join(FORMATS)}")
    return fmt


def at_least(level: str | None):
    """A test of whether an article's row belongs in a report cut at `level` (``--min-level``):
    articles at or above it, and every unreadable input (never hidden). None keeps every row."""
    if not level:
        return lambda _r: True
    if level not in LEVELS:
        raise ConfigError(f"unknown level {level!r}; known: {', '.join(LEVELS)}")
    floor = LEVELS.index(level)
    return lambda r: bool(r.record.error) or LEVELS.index(r.level) >= floor


def write_report(report, fmt: str, stream: TextIO, min_level: str | None = None, **options) -> None:
    """Write `report` in `fmt`. With `min_level`, the rows of articles below it are left out
    (the counts, the gate and the provenance still cover every article)."""
    if min_level:
        keep = at_least(min_level)
        gate = report.gate
        if gate is not None:
            gate = dataclasses.replace(gate, verdicts=[v for v in gate.verdicts if keep(v.result)])
        report = dataclasses.replace(report, results=[r for r in report.results if keep(r)], gate=gate)
    FORMATS[check_format(fmt)](report, stream, **options)
