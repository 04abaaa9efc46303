"""Write a scan's report while it runs, so memory does not grow with the number of articles.

CSV and JSONL reports (and the --hits file, CSV or JSONL) are written row by row as articles are
scanned; each result is dropped once written. Files are still written atomically: rows go to a
temporary file beside the target, renamed over it only when the whole scan has finished, so a
crash or Ctrl-C never leaves a half-written report that looks complete (stdout cannot be made
atomic: there a crash shows as a non-zero exit code and a missing summary line).

The exit code and the level counts are tallied per article with the same rules as
`Report.exit_code` / `Report.counts_by_level`, applied to one article at a time.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flagger.model import ArticleResult

STREAMING_FORMATS = ("csv", "jsonl")


@dataclass
class ScanTally:
    """What the summary line and the exit code need, without keeping the results."""

    articles: int = 0
    errors: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"none": 0, "low": 0, "medium": 0, "high": 0,
                                                             "critical": 0})
    codes: set[int] = field(default_factory=set)
    per_origin: Counter = field(default_factory=Counter)
    records_hash: Any = field(default_factory=hashlib.sha256)
    results_hash: Any = field(default_factory=hashlib.sha256)

    def add(self, result: ArticleResult, fail_on=None, min_score=None, allow_errors=False) -> None:
        from flagger.report.provenance import _record_fields, article_digest
        from flagger.scanner import Report

        self.articles += 1
        self.per_origin[result.record.origin] += 1
        self.records_hash.update(json.dumps(_record_fields(result.record), ensure_ascii=False).encode() + b"\n")
        self.results_hash.update(article_digest(result).encode() + b"\n")
        one = Report(results=[result])
        if result.record.error:
            self.errors += 1
        for level, n in one.counts_by_level().items():
            self.counts[level] = self.counts.get(level, 0) + n
        self.codes.add(one.exit_code(fail_on=fail_on, min_score=min_score, allow_errors=allow_errors))

    def exit_code(self) -> int:
        for code in (3, 1):
            if code in self.codes:
                return code
        return 0

    def counts_by_level(self) -> dict[str, int]:
        return dict(self.counts)

    def provenance(self, scanner, *, inputs, started: float, seconds: float, options: dict,
                   thresholds: dict) -> dict:
        """The same provenance `Scanner.scan` + `add_run_context` make, from the running tallies
        (same digests: `records_digest` / `results_digest` computed one article at a time)."""
        from flagger.report.provenance import build_provenance, input_files

        prov = build_provenance(scanner, [], started=started, seconds=seconds, options=options,
                                thresholds=thresholds)
        prov["options"]["inputs"] = list(inputs)
        files = input_files(list(inputs), ())
        for f in files:
            f["records"] = self.per_origin.get(f["path"], 0)
        prov["inputs"].update(records=self.articles, records_sha256=self.records_hash.hexdigest(), files=files)
        prov["results"] = {"articles": self.articles, "errors": self.errors, "by_level": self.counts_by_level(),
                           "sha256": self.results_hash.hexdigest()}
        return prov


def _is_jsonl(path: str) -> bool:
    return Path(path).suffix.lower() in (".jsonl", ".ndjson")


def stream_report(results: Iterable[ArticleResult], fmt: str, output: str | None, hits_path: str | None = None, *,
                  fail_on=None, min_score=None, allow_errors=False) -> ScanTally:
    """Scan-and-write in one pass; returns the tally. `fmt` must be one of STREAMING_FORMATS."""
    from flagger.output import atomic_text_writer
    from flagger.report.csv_report import _cell
    from flagger.report.frames import ARTICLE_COLUMNS, HIT_COLUMNS, article_row
    from flagger.report.json_report import article_object

    if fmt not in STREAMING_FORMATS:
        raise ValueError(f"format {fmt!r} cannot be streamed")
    tally = ScanTally()
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(atomic_text_writer(output, newline="" if fmt == "csv" else None))
        hits = None
        hits_json = bool(hits_path) and _is_jsonl(hits_path)
        if hits_path:
            hits = stack.enter_context(atomic_text_writer(hits_path, newline=None if hits_json else ""))
        out_csv = csv.writer(out, lineterminator="\n") if fmt == "csv" else None
        hits_csv = csv.writer(hits, lineterminator="\n") if hits is not None and not hits_json else None
        if out_csv is not None:
            out_csv.writerow(ARTICLE_COLUMNS)
        if hits_csv is not None:
            hits_csv.writerow(HIT_COLUMNS)
        for r in results:
            if out_csv is not None:
                row = article_row(r)
                out_csv.writerow([_cell(row[c]) for c in ARTICLE_COLUMNS])
            else:
                out.write(json.dumps(article_object(r), ensure_ascii=False, default=str) + "\n")
            if hits_csv is not None:
                for h in r.hits:
                    hits_csv.writerow([_cell(getattr(h, c)) for c in HIT_COLUMNS])
            elif hits is not None:
                for h in article_object(r, explain=False)["hits"]:
                    hits.write(json.dumps(h, ensure_ascii=False) + "\n")
            tally.add(r, fail_on=fail_on, min_score=min_score, allow_errors=allow_errors)
    return tally
