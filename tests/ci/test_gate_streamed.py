"""A streamed scan with no baseline is judged without finding fingerprints (nothing reads them),
and reaches the outcome a kept report reaches; with a baseline they are made and suppress."""

from __future__ import annotations

import re

import pytest

from flagger.ci.baseline import Baseline, entry_for
from flagger.ci.gate import FAILING_SAMPLE, Evaluator, _judged_by_score, judge, parse_fail_on

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


GATES = [(None, None), ("low", None), ("medium", None), ("high", None), ("critical", None), (None, 1.0),
         (None, 99.0), ("critical", 20.0)]


@pytest.mark.parametrize(("fail_on", "min_score"), GATES)
def test_an_article_judged_by_its_score_gets_the_status_and_score_judge_gives_it(test_scanner, fail_on, min_score):
    gate = parse_fail_on(fail_on, min_score)
    statuses = set()
    for result in test_scanner.scan_iter(ARTICLES):
        full = judge(result, gate, fingerprints=False)
        quick = _judged_by_score(result, gate)
        assert (quick.status, quick.reasons) == (full.status, full.reasons) and quick.findings == []
        if fail_on or min_score is not None:
            assert quick.gate_score == full.gate_score
        statuses.add(quick.status)
    if fail_on == "low":
        assert statuses == {"fail", "pass"}


@pytest.mark.parametrize(("fail_on", "min_score"), GATES)
def test_a_streamed_gate_reaches_the_kept_reports_outcome_whatever_the_gate(test_scanner, fail_on, min_score):
    gate = parse_fail_on(fail_on, min_score)
    assert _judged(Evaluator(gate, keep=True), test_scanner) == _judged(Evaluator(gate, keep=False), test_scanner)


def test_a_gate_with_category_thresholds_judges_every_finding(test_scanner):
    gate = parse_fail_on(["arms-embargo=low", "medium"])
    result = next(iter(test_scanner.scan_iter(ARTICLES[:1])))
    assert _judged_by_score(result, gate) is None
    assert _judged(Evaluator(gate, keep=True), test_scanner) == _judged(Evaluator(gate, keep=False), test_scanner)


def test_an_unreadable_article_is_judged_an_error(test_scanner):
    result = next(iter(test_scanner.scan_iter([{"id": "no-text"}])))
    assert result.record.error and _judged_by_score(result, parse_fail_on("low")) is None
    streamed = Evaluator(parse_fail_on("low"), keep=False)
    assert streamed.judge(result).status == "error" and streamed.outcome.errors == 1


def test_a_streamed_gate_keeps_the_findings_of_its_sample_of_failures_and_counts_every_failure(test_scanner):
    articles = [dict(a, id=f"{a['id']}-{k}") for k in range(8) for a in ARTICLES]    # 16 fail "low"
    kept, streamed = Evaluator(parse_fail_on("low"), keep=True), Evaluator(parse_fail_on("low"), keep=False)
    for result in test_scanner.scan_iter(articles):
        kept.judge(result)
        streamed.judge(result)
    assert streamed.outcome.n_failing == kept.outcome.n_failing == 16
    sample = streamed.outcome.failing_sample
    assert len(sample) == FAILING_SAMPLE and all(v.findings for v in sample)
    assert [(v.result.record.id, v.reasons) for v in sample] == [
        (v.result.record.id, v.reasons) for v in kept.outcome.failing_sample]
