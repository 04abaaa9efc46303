"""CSV for spreadsheets: UTF-8, header, stable column order, lists joined with "; "."""

from __future__ import annotations

from typing import TextIO

from flagger.report.rows import CsvArticles, CsvHits


def write(report, stream: TextIO, **_options) -> None:
    rows = CsvArticles(stream)
    for r in report.results:
        rows.add(r)
    rows.flush()


def write_hits(report, stream: TextIO) -> None:
    rows = CsvHits(stream)
    for r in report.results:
        rows.add(r)
    rows.flush()
