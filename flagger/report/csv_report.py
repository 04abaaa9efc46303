"""CSV for spreadsheets: UTF-8, header, stable column order, lists joined with "; "."""

from __future__ import annotations

import csv
from typing import TextIO

from flagger.report.frames import ARTICLE_COLUMNS, HIT_COLUMNS, article_row


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.1f}" if value == round(value, 1) else f"{value:.2f}"
    return str(value)


def write(report, stream: TextIO, **_options) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(ARTICLE_COLUMNS)
    for r in report.results:
        row = article_row(r)
        writer.writerow([_cell(row[c]) for c in ARTICLE_COLUMNS])


def write_hits(report, stream: TextIO) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(HIT_COLUMNS)
    for r in report.results:
        for h in r.hits:
            writer.writerow([_cell(getattr(h, c)) for c in HIT_COLUMNS])
