"""The scan pipeline: read → skip seen → group copies → scan → gate → write → provenance.

Every report flagger makes comes out of `run_scan`: the `flagger scan` command, the library's
`Scanner.scan`, `flagger verify` replaying a recorded scan, and `flagger evaluate`. A
`ScanRequest` says what to scan and what to do with the results; a `ScanRun` is what happened.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flagger.ci.baseline import Baseline
from flagger.ci.gate import Evaluator, Gate, GateOutcome
from flagger.ci.state import State
from flagger.digest import sha256_file
from flagger.model import ArticleResult, Record
from flagger.records import RecordsLike, as_records
from flagger.report.files import write_hits_file, write_report_file
from flagger.report.provenance import RunDigest, build_provenance, write_sidecar
from flagger.report.registry import STREAMING_FORMATS, check_format
from flagger.report.scan_report import Report
from flagger.report.streaming import stream_report
from flagger.scale.parallel import scan_parallel
from flagger.scanner import ArticleScanner
from flagger.sources.decode import ReadOptions
from flagger.sources.dedupe import Copies
from flagger.sources.discover import read_inputs


@dataclass(frozen=True)
class Target:
    """One report to write: a format and a path (None or "-" = standard output)."""

    format: str
    path: str | None = None


@dataclass
class ScanRequest:
    """What to scan and what to do with the results.

    Give `inputs` (paths, URLs, "-" for stdin: read with `read_options`) or `records` (in
    memory). With no `targets` the results are kept and returned as a `Report`; with one CSV or
    JSONL target (and `keep` unset) they are written while scanning and not kept."""

    inputs: Sequence[str] | None = None
    records: RecordsLike | None = None
    read_options: ReadOptions = field(default_factory=ReadOptions)
    gate: Gate = field(default_factory=Gate)
    allow_errors: bool = False
    baseline: Baseline | None = None
    state: State | None = None
    dedupe: bool = False
    jobs: int = 1
    targets: Sequence[Target] = ()
    hits_path: str | None = None
    keep: bool | None = None
    explain: bool = False
    color: bool = False
    report_options: dict = field(default_factory=dict)   # passed to the report writers (include_none ...)
    progress: Callable[[Iterable[Record]], Iterable[Record]] | None = None
    run_options: dict = field(default_factory=dict)   # recorded in the provenance, for `flagger verify`

    @property
    def streams(self) -> bool:
        """Results are written as they come and not kept (a lone CSV/JSONL target)."""
        if self.keep:
            return False
        return len(self.targets) == 1 and self.targets[0].format in STREAMING_FORMATS


@dataclass
class ScanRun:
    """What a run did: the gate's outcome, the provenance, and the report unless it streamed."""

    outcome: GateOutcome
    provenance: dict
    report: Report | None
    seconds: float

    @property
    def exit_code(self) -> int:
        return self.outcome.exit_code


def gate_thresholds(gate: Gate) -> dict:
    """The gate as the provenance records it."""
    return {"fail_on": gate.fail_on, "min_score": gate.min_score, "gate": gate.describe(),
            "fail_on_categories": {k: v or "off" for k, v in gate.categories.items()}}


def baseline_info(baseline: Baseline | None) -> dict:
    """The baseline as the provenance records it (path and sha256), so `flagger verify` replays it."""
    if baseline is None or not baseline.path:
        return {}
    path = Path(baseline.path)
    return {"baseline": str(baseline.path), "baseline_sha256": sha256_file(path) if path.is_file() else None}


def run_scan(scanner: ArticleScanner, request: ScanRequest) -> ScanRun:
    """Run one scan as `request` says; returns what happened. The exit code is `run.exit_code`;
    nothing here exits the process."""
    for target in request.targets:
        check_format(target.format)
    started, t0 = time.time(), time.perf_counter()
    skipped: list[str] = []                 # files in scanned folders that are not an article type
    records, copies = _records(request, skipped)
    if request.jobs != 1:
        # copies are grouped there: the first batches go out while the first chunk is still read
        results: Iterable[ArticleResult] = scan_parallel(scanner, records, jobs=request.jobs or None, copies=copies)
    else:
        results = scanner.scan_iter(records if copies is None else copies.records(records))
        if copies is not None:
            results = copies.rows(results)     # every copy gets its row back, with its original's result
    if request.state is not None:
        results = request.state.remember(results)   # only what was scanned without an error is "seen"
    evaluator = Evaluator(request.gate, allow_errors=request.allow_errors, baseline=request.baseline,
                          partial=request.state is not None, keep=not request.streams)
    digest = RunDigest()
    judged = digest.through(evaluator(results))
    report = None
    if request.streams:
        target = request.targets[0]
        stream_report(judged, target.format, target.path, request.hits_path,
                      min_level=request.report_options.get("min_level"), row_of=digest.row_of,
                      hit_values_of=digest.hit_values_of)
    else:
        report = Report(results=list(judged), rules=list(scanner.rules), started=started)
    outcome = evaluator.finish()
    outcome.skipped_seen = request.state.skipped if request.state is not None else 0
    outcome.duplicates = copies.folded if copies is not None else 0
    outcome.skipped_files = skipped
    seconds = time.perf_counter() - t0
    provenance = build_provenance(scanner, digest, started=started, seconds=seconds, inputs=request.inputs,
                                  options={**request.run_options, **baseline_info(request.baseline)},
                                  thresholds=gate_thresholds(request.gate))
    if report is None:
        path = request.targets[0].path
        if path and path != "-":
            write_sidecar(path, provenance, request.targets[0].format)
    else:
        report.provenance, report.gate, report.seconds = provenance, outcome, seconds
        for target in request.targets:
            write_report_file(report, target.path, target.format, explain=request.explain,
                              color=request.color and target.path in (None, "-"), **request.report_options)
        if request.hits_path:
            write_hits_file(report.results, request.hits_path)
    if request.state is not None and outcome.exit_code in (0, 1):
        request.state.save()              # only a completed run moves the state forward
    return ScanRun(outcome=outcome, provenance=provenance, report=report, seconds=seconds)


def _records(request: ScanRequest, skipped: list[str]) -> tuple[Iterator[Record] | Iterable[Record], Copies | None]:
    if request.records is not None:
        records: Iterable[Record] = as_records(request.records)
    else:
        records = read_inputs(list(request.inputs or ()), options=request.read_options, skipped=skipped)
    if request.state is not None:
        records = request.state.filter_new(records)
    copies = Copies() if request.dedupe else None     # (applied by run_scan)
    if request.progress is not None:
        records = request.progress(records)
    return records, copies
