"""A streamed scan with no baseline is judged without finding fingerprints (nothing reads them),
and reaches the outcome a kept report reaches; with a baseline they are made and suppress."""

from __future__ import annotations

import re

from flagger.ci.baseline import Baseline, entry_for
from flagger.ci.gate import Evaluator, parse_fail_on

ARTICLES = [
    {"id": "arms", "text": "North Korea sent artillery shells to Russia by rail."},
    {"id": "coop", "text": "Russia and North Korea staged a joint military exercise."},
    {"id": "calm", "text": "Farmers showed pumpkins at the autumn fair."},
]


def _judged(evaluator, scanner):
    for result in scanner.scan_iter(ARTICLES):
        evaluator.judge(result)
    outcome = evaluator.finish()
    return outcome.n_failing, dict(outcome.counts), [(v.result.record.id, v.status, v.reasons)
                                                     for v in outcome.failing_sample]


def test_a_streamed_gate_without_a_baseline_reaches_the_kept_reports_outcome(test_scanner):
    gate = parse_fail_on("low")
    kept, streamed = Evaluator(gate, keep=True), Evaluator(gate, keep=False)
    outcome = _judged(kept, test_scanner)
    assert outcome == _judged(streamed, test_scanner)
    assert outcome[0] >= 1                                   # something failed the gate
    prints = [f.fingerprint for v in kept.outcome.verdicts for f in v.findings]
    assert prints and all(re.fullmatch("[0-9a-f]{32}", p) for p in prints)   # kept verdicts carry them
    assert all(f.fingerprint == "" for v in streamed.outcome.failing_sample for f in v.findings)


def test_a_streamed_gate_with_a_baseline_still_suppresses_by_fingerprint(test_scanner):
    gate = parse_fail_on("low")
    kept = Evaluator(gate, keep=True)
    _judged(kept, test_scanner)
    finding = next(f for v in kept.outcome.verdicts for f in v.findings)
    streamed = Evaluator(gate, keep=False, baseline=Baseline(entries=[entry_for(finding, reason="reviewed")]))
    _judged(streamed, test_scanner)
    assert streamed.outcome.suppressed == 1 and not streamed.outcome.stale_baseline
