"""`Report`: the outcome of one scan, as the library returns it and the writers read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from flagger.ci.gate import Evaluator, GateOutcome, parse_fail_on
from flagger.errors import ConfigError
from flagger.model import LEVELS, ArticleResult, count_levels
from flagger.report.files import write_report_file
from flagger.report.frames import articles_frame, hits_frame


@dataclass
class Report:
    """One `ArticleResult` per input record, in input order.

    `articles` and `hits` are polars DataFrames with the CSV report's columns; `provenance` says
    how the report was made (flagger version, rule-pack and entity-list hashes, thresholds,
    inputs, timing; see `flagger.report.provenance`); `gate` is the gate's verdict on each
    article; `rules` are the compiled rules that could fire (for the formats that describe them)."""

    results: list[ArticleResult]
    provenance: dict = field(default_factory=dict)
    started: float = 0.0
    seconds: float = 0.0
    rules: list = field(default_factory=list)
    gate: GateOutcome | None = None

    @property
    def errors(self) -> int:
        return sum(1 for r in self.results if r.record.error)

    @property
    def articles(self) -> pl.DataFrame:
        return articles_frame(self.results)

    @property
    def hits(self) -> pl.DataFrame:
        return hits_frame(self.results)

    def counts_by_level(self) -> dict[str, int]:
        return count_levels(self.results)

    def save(self, path: str | Path, format: str | None = None, **options) -> Path:
        """Write the report in `format`, by default the one its extension names (see
        `flagger.report.registry.FORMAT_BY_SUFFIX`; CSV for an unknown extension), and, for
        formats that cannot carry provenance inline, a `<path>.meta.json` sidecar."""
        return write_report_file(self, path, format, **options)

    def exit_code(self, fail_on: str | None = None, min_score: float | None = None, allow_errors: bool = False) -> int:
        """0 clean · 1 findings at/above the gate · 3 some inputs unreadable (wins over 1).

        `fail_on` is a level name (low, medium, high, critical); `min_score` is 0–100.
        Raises `ConfigError` for an unknown level."""
        if fail_on is not None and fail_on not in LEVELS[1:]:
            raise ConfigError(f"fail_on must be one of {', '.join(LEVELS[1:])}, got {fail_on!r}")
        evaluator = Evaluator(parse_fail_on(fail_on, min_score), allow_errors=allow_errors, keep=False)
        for r in self.results:
            evaluator.judge(r)
        return evaluator.finish().exit_code
