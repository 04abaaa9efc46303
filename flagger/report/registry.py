"""Output formats by name. Adding a format means adding one module and one line here."""

from __future__ import annotations

from typing import TextIO

from flagger.report import (
    csv_report,
    html_report,
    json_report,
    junit_report,
    markdown_report,
    sarif_report,
    table_report,
)

FORMATS = {
    "table": table_report.write,
    "csv": csv_report.write,
    "json": json_report.write,
    "jsonl": json_report.write_lines,
    "markdown": markdown_report.write,
    "sarif": sarif_report.write,
    "junit": junit_report.write,
    "html": html_report.write,
}


def write_report(report, fmt: str, stream: TextIO, **options) -> None:
    FORMATS[fmt](report, stream, **options)
