"""Write a report while the scan runs, so memory does not grow with the number of articles.

CSV and JSONL reports (and the --hits file, CSV or JSONL) are written row by row as articles are
scanned; each result is dropped once written. Files are still written atomically: rows go to a
temporary file beside the target, renamed over it only when the whole scan has finished, so a
crash or Ctrl-C never leaves a half-written report that looks complete (stdout cannot be made
atomic: there a crash shows as a non-zero exit code and a missing summary line).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable

from flagger.model import ArticleResult
from flagger.output import atomic_text_writer
from flagger.report.frames import article_row
from flagger.report.registry import STREAMING_FORMATS, at_least
from flagger.report.rows import ARTICLE_ROWS, HIT_ROWS, hits_format


def newline_for(fmt: str) -> str | None:
    """CSV rows end in the writer's own terminator: the stream must not translate newlines."""
    return "" if fmt == "csv" else None


def stream_report(results: Iterable[ArticleResult], fmt: str, output: str | None,
                  hits_path: str | None = None, min_level: str | None = None,
                  row_of: Callable[[ArticleResult], dict] = article_row,
                  hit_values_of: Callable[[ArticleResult], list[tuple]] | None = None) -> None:
    """Write every result to `output` in `fmt` (one of STREAMING_FORMATS), and its hits to
    `hits_path`, as the results come; with `min_level` only articles at or above it (and
    unreadable inputs) get an article row. `row_of(result)`: its `article_row`, a new dict
    (`RunDigest.row_of` hands over the one the provenance digest made); `hit_values_of(result)`:
    its hits' values for the hits file (`RunDigest.hit_values_of`), else the file reads them."""
    keep = at_least(min_level)
    if fmt not in STREAMING_FORMATS:
        raise ValueError(f"format {fmt!r} cannot be streamed")
    with contextlib.ExitStack() as stack:
        rows = ARTICLE_ROWS[fmt](stack.enter_context(atomic_text_writer(output, newline=newline_for(fmt))))
        hits = None
        if hits_path:
            hfmt = hits_format(hits_path)
            hits = HIT_ROWS[hfmt](stack.enter_context(atomic_text_writer(hits_path, newline=newline_for(hfmt))))
        for r in results:
            if keep(r):
                rows.add(r, row_of(r))
            if hits is not None:
                hits.add(r, None if hit_values_of is None else hit_values_of(r))
        rows.flush()
        if hits is not None:
            hits.flush()
