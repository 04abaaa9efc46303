"""Row-at-a-time writers for the flat formats: CSV and JSONL articles, and the hits file.

The whole-report writers (`csv_report`, `json_report.write_lines`), the streamed report and the
``--hits`` file all write through these, so a row is written the same way wherever it goes.
"""

from __future__ import annotations

import csv
import json
from operator import attrgetter
from typing import TextIO

from flagger.model import ArticleResult
from flagger.report.frames import ARTICLE_COLUMNS, HIT_COLUMNS, article_row
from flagger.report.json_report import article_object
from flagger.report.safe import csv_text

HITS_JSONL_SUFFIXES = (".jsonl", ".ndjson")
#: a hit's HIT_COLUMNS values, in order (one C call instead of a getattr per column)
hit_values = attrgetter(*HIT_COLUMNS)


#: RFC 4180 line ends: a field holding CR or LF (either, alone) is quoted, so every reader sees
#: one record per row (with "\n" as the terminator a bare CR went unquoted and split the row)
CSV_DIALECT = {"lineterminator": "\r\n", "quoting": csv.QUOTE_MINIMAL}


def cell(value) -> str:
    """One CSV cell: lists joined with "; ", scores with one decimal (two when they need it).

    Text that a spreadsheet would run as a formula (starting with = + - @, tab or CR) is
    prefixed with ' (numbers are written as numbers: no score or offset is negative)."""
    if type(value) is str:      # most cells, so asked first (a str subclass goes the general way)
        return csv_text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.1f}" if value == round(value, 1) else f"{value:.2f}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return csv_text("; ".join(str(v) for v in value))
    return csv_text(str(value))


class CsvArticles:
    """The article CSV: a header, then one row per article."""

    def __init__(self, stream: TextIO):
        self._writer = csv.writer(stream, **CSV_DIALECT)
        self._writer.writerow(ARTICLE_COLUMNS)

    def add(self, result: ArticleResult, row: dict | None = None) -> None:
        """`row`: the result's `article_row` when the caller has made it (it may be changed here)."""
        row = article_row(result) if row is None else row
        if result.record.error:
            row["score"] = None       # an unreadable article has no score, not a score of 0
        self._writer.writerow([cell(row[c]) for c in ARTICLE_COLUMNS])


class JsonlArticles:
    """One JSON object per article (the JSON report's article objects)."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def add(self, result: ArticleResult, row: dict | None = None) -> None:
        self._stream.write(json.dumps(article_object(result, row=row), ensure_ascii=False, default=str) + "\n")


class CsvHits:
    """The hits CSV: a header, then one row per hit."""

    def __init__(self, stream: TextIO):
        self._writer = csv.writer(stream, **CSV_DIALECT)
        self._writer.writerow(HIT_COLUMNS)

    def add(self, result: ArticleResult) -> None:
        self._writer.writerows([list(map(cell, hit_values(h))) for h in result.hits])


class JsonlHits:
    """One JSON object per hit."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def add(self, result: ArticleResult) -> None:
        for h in article_object(result, explain=False)["hits"]:
            self._stream.write(json.dumps(h, ensure_ascii=False) + "\n")


ARTICLE_ROWS = {"csv": CsvArticles, "jsonl": JsonlArticles}


def hits_format(path: str) -> str:
    """The hits file's format from its name: JSONL for .jsonl/.ndjson, else CSV."""
    return "jsonl" if str(path).lower().endswith(HITS_JSONL_SUFFIXES) else "csv"


HIT_ROWS = {"csv": CsvHits, "jsonl": JsonlHits}
