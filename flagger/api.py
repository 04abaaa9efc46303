"""The library's entry point: `Scanner`, an `ArticleScanner` whose `scan()` runs the pipeline."""

from __future__ import annotations

from flagger.pipeline import ScanRequest, run_scan
from flagger.records import RecordsLike
from flagger.report.scan_report import Report
from flagger.scanner import ArticleScanner


class Scanner(ArticleScanner):
    """Load rule packs and entity lists once; scan many batches of articles.

    >>> scanner = Scanner()                          # bundled rules and entity list
    >>> report = scanner.scan([{"id": "a1", "text": "..."}])
    >>> report.articles                              # polars DataFrame, one row per article
    """

    def scan(self, records: RecordsLike, jobs: int = 1) -> Report:
        """Scan a batch: a polars DataFrame (columns id, text, title, url, published, source),
        dicts with those keys, `Record`s, or plain strings. Returns a `Report` with provenance.
        Raises `InputError` for an item that is none of these; a record without text is kept
        in the report with its `error` set. `jobs` > 1 (0 = one per CPU) scans with that many
        processes: same results, same order."""
        return run_scan(self, ScanRequest(records=records, jobs=jobs, keep=True)).report
