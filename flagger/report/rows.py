"""Row-at-a-time writers for the flat formats: CSV and JSONL articles, and the hits file.

The whole-report writers (`csv_report`, `json_report.write_lines`), the streamed report and the
``--hits`` file all write through these, so a row is written the same way wherever it goes.
"""

from __future__ import annotations

import csv
import json
from itertools import repeat
from operator import itemgetter
from typing import TextIO

from flagger.model import ArticleResult
from flagger.report.frames import (
    ARTICLE_COLUMNS,
    ARTICLE_TYPES,
    HIT_COLUMNS,
    HIT_TYPES,
    article_row,
    hit_values,
)
from flagger.report.json_report import article_object
from flagger.report.safe import FORMULA_LEADERS, csv_text

HITS_JSONL_SUFFIXES = (".jsonl", ".ndjson")


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
        return _number(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return csv_text("; ".join(str(v) for v in value))
    return csv_text(str(value))


def _number(value: float) -> str:
    return f"{value:.1f}" if value == round(value, 1) else f"{value:.2f}"


_SIMILARITY = HIT_COLUMNS.index("similarity")     # the hit's one float (frames.HIT_TYPES)
_SCORE = ARTICLE_COLUMNS.index("score")             # the article row's one float (frames.ARTICLE_TYPES)
_LISTS = [k for k, t in enumerate(ARTICLE_TYPES) if t is list]
_hit_texts = itemgetter(*(k for k, t in enumerate(HIT_TYPES) if t is str))
_row_values = itemgetter(*ARTICLE_COLUMNS)
_row_texts = itemgetter(*(k for k, t in enumerate(ARTICLE_TYPES) if t is str or t is list))
_ONLY_STR = frozenset({str})
#: every character a formula leader can be is below this one
_ABOVE_LEADERS = chr(max(map(ord, "".join(FORMULA_LEADERS))) + 1)


def _no_formula(texts: tuple[str, ...]) -> bool:
    """No text starts with a formula leader: the first character of every non-empty one is above
    every leader (one C call for the usual row), or none starts with one."""
    return (min(filter(None, texts), default=_ABOVE_LEADERS) >= _ABOVE_LEADERS
            or not any(map(str.startswith, texts, repeat(FORMULA_LEADERS))))


def article_cells(row: dict) -> list:
    """`[cell(row[c]) for c in ARTICLE_COLUMNS]` as the csv writer writes it, for the usual row
    (each value of its column's type, lists of str, no text a spreadsheet reads as a formula)
    in C calls."""
    values = _row_values(row)
    if tuple(map(type, values)) == ARTICLE_TYPES:
        cells = list(values)
        for k in _LISTS:
            if not _ONLY_STR.issuperset(map(type, cells[k])):
                break
            cells[k] = "; ".join(cells[k])
        else:
            if _no_formula(_row_texts(cells)):
                cells[_SCORE] = _number(cells[_SCORE])
                return cells
    return list(map(cell, values))


def hit_cells(hit) -> list:
    """`[cell(v) for v in hit_values(hit)]` as the csv writer writes it, for the usual hit (each
    value of its column's type, `frames.HIT_TYPES`; no text a spreadsheet reads as a formula) in
    C calls: a Python call per cell was most of writing the hits file (150,000 for corpus3k's
    9,302 hits). The writer writes an int as str(int), as `cell` does."""
    return value_cells(hit_values(hit))


def value_cells(values: tuple) -> list:
    """`hit_cells` of the hit whose `hit_values` are `values`."""
    if tuple(map(type, values)) == HIT_TYPES and _no_formula(_hit_texts(values)):
        cells = list(values)
        cells[_SIMILARITY] = _number(cells[_SIMILARITY])
        return cells
    return list(map(cell, values))


#: CSV rows held before they go to the stream in one write: a write per row (the csv writer's)
#: cost more than making the row (TextIOWrapper's encode and the stream guard, per call: writing
#: the 20,000-article corpus's 61,732 hits took 0.93 CPU s one row at a time, 0.57 in chunks).
#: (Polars' write_csv made the hits in 0.32 s in one process, but its threads cost the --jobs
#: parent more than that on 2 busy cores: the rows stay the csv writer's.)
FLUSH_ROWS = 512


class _CsvRows:
    """A csv writer whose rows are gathered and written to `stream` FLUSH_ROWS at a time (each row
    at once to a terminal, where someone reads them as they come). `flush()` writes the rest: the
    caller calls it when the last row is added."""

    def __init__(self, stream: TextIO, header: list[str]):
        self._stream = stream
        self._rows: list[str] = []
        self._writer = csv.writer(_Appender(self._rows), **CSV_DIALECT)
        self._limit = 1 if _interactive(stream) else FLUSH_ROWS
        self._writer.writerow(header)

    def _written(self) -> None:
        if len(self._rows) >= self._limit:
            self.flush()

    def flush(self) -> None:
        """Write the rows gathered so far to the stream."""
        if self._rows:
            text = "".join(self._rows)
            self._rows.clear()
            self._stream.write(text)


class _Appender:
    """A stream for csv.writer that keeps each row it writes in a list."""

    __slots__ = ("write",)

    def __init__(self, rows: list[str]):
        self.write = rows.append


def _interactive(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class CsvArticles(_CsvRows):
    """The article CSV: a header, then one row per article (`flush()` after the last)."""

    def __init__(self, stream: TextIO):
        super().__init__(stream, ARTICLE_COLUMNS)

    def add(self, result: ArticleResult, row: dict | None = None) -> None:
        """`row`: the result's `article_row` when the caller has made it (it may be changed here)."""
        row = article_row(result) if row is None else row
        if result.record.error:
            row["score"] = None       # an unreadable article has no score, not a score of 0
        self._writer.writerow(article_cells(row))
        self._written()


class JsonlArticles:
    """One JSON object per article (the JSON report's article objects)."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def add(self, result: ArticleResult, row: dict | None = None) -> None:
        self._stream.write(json.dumps(article_object(result, row=row), ensure_ascii=False, default=str) + "\n")

    def flush(self) -> None:
        """(Each object is written as it is added.)"""


class CsvHits(_CsvRows):
    """The hits CSV: a header, then one row per hit (`flush()` after the last)."""

    def __init__(self, stream: TextIO):
        super().__init__(stream, HIT_COLUMNS)

    def add(self, result: ArticleResult, values: list[tuple] | None = None) -> None:
        """`values`: the `hit_values` of the result's hits when the caller has them."""
        values = list(map(hit_values, result.hits)) if values is None else values
        self._writer.writerows(list(map(value_cells, values)))
        self._written()


class JsonlHits:
    """One JSON object per hit."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def add(self, result: ArticleResult, values: list[tuple] | None = None) -> None:
        """(`values`, as `CsvHits.add` takes them, are not needed here.)"""
        for h in article_object(result, explain=False)["hits"]:
            self._stream.write(json.dumps(h, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        """(Each object is written as it is added.)"""


ARTICLE_ROWS = {"csv": CsvArticles, "jsonl": JsonlArticles}


def hits_format(path: str) -> str:
    """The hits file's format from its name: JSONL for .jsonl/.ndjson, else CSV."""
    return "jsonl" if str(path).lower().endswith(HITS_JSONL_SUFFIXES) else "csv"


HIT_ROWS = {"csv": CsvHits, "jsonl": JsonlHits}
