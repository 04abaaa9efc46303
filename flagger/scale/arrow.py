"""Scan one Arrow record batch: the engine-neutral entry point for Spark, Ray, Dask, DuckDB...

    >>> out = scan_arrow_batch(batch, scanner)     # pyarrow.RecordBatch in, RecordBatch out

Input columns: `text` (required), and optionally `id`, `title`, `url`, `published`, `source`
(any other column is ignored). Output: one row per input row, in order, with the report's
article columns (flagger.report.frames.ARTICLE_COLUMNS) — exactly what `flagger scan -f csv`
writes, as typed Arrow columns (lists stay lists).
"""

from __future__ import annotations

import polars as pl
import pyarrow as pa

from flagger.report.frames import ARTICLE_COLUMNS, ARTICLE_SCHEMA, article_row

_INPUT_FIELDS = ("id", "text", "title", "url", "published", "source")


def _arrow_type(dtype) -> pa.DataType:
    if dtype == pl.Float64:
        return pa.float64()
    if dtype == pl.Int64:
        return pa.int64()
    if isinstance(dtype, pl.List):
        return pa.list_(pa.string())
    return pa.string()


ARTICLE_ARROW_SCHEMA = pa.schema([pa.field(c, _arrow_type(t)) for c, t in ARTICLE_SCHEMA.items()])


def _records(batch: pa.RecordBatch) -> list[dict]:
    names = set(batch.schema.names)
    if "text" not in names:
        raise ValueError("the batch has no 'text' column")
    cols = {f: batch.column(f).to_pylist() for f in _INPUT_FIELDS if f in names}
    n = batch.num_rows
    rows = []
    for i in range(n):
        row = {}
        for f, values in cols.items():
            v = values[i]
            if v is not None and f != "text":
                v = str(v)
            if v is not None or f == "text":
                row[f] = v
        rows.append(row)
    return rows


def scan_arrow_batch(batch: pa.RecordBatch, scanner) -> pa.RecordBatch:
    """Scan every row of `batch` with `scanner` (a flagger.scanner.Scanner). In a worker process that
    exists to scan (a Ray or Dask worker, as flagger.scale.spark's executors), build the scanner
    once with `owns_process=True`: the garbage collector then no longer walks its index (see
    ArticleScanner)."""
    results = list(scanner.scan_iter(_records(batch)))
    cols: dict[str, list] = {c: [] for c in ARTICLE_COLUMNS}
    for r in results:
        row = article_row(r)
        for c in ARTICLE_COLUMNS:
            cols[c].append(row[c])
    return pa.RecordBatch.from_arrays([pa.array(cols[f.name], type=f.type) for f in ARTICLE_ARROW_SCHEMA],
                                      schema=ARTICLE_ARROW_SCHEMA)
