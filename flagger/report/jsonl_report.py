"""JSON Lines: one JSON report article object per line, for pipelines and `jq`."""

from __future__ import annotations

from typing import TextIO

from flagger.report.rows import JsonlArticles


def write(report, stream: TextIO, **_options) -> None:
    rows = JsonlArticles(stream)
    for r in report.results:
        rows.add(r)
