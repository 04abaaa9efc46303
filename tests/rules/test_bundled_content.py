"""The bundled rule packs prove themselves on their own examples, and the bundled samples
score at the levels an analyst assigned them."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent.parent
SAMPLES = ROOT / "data" / "samples" / "articles.jsonl"


@pytest.fixture(scope="module")
def bundled_scanner():
    from flagger.api import Scanner

    return Scanner()


def test_every_bundled_rule_passes_its_examples(bundled_scanner):
    from flagger.quality.rule_examples import run_rule_tests

    outcome = run_rule_tests(min_examples=3, scanner=bundled_scanner)
    assert not outcome.failures, "\n".join(outcome.failures)
    assert outcome.passed >= 6 * len(bundled_scanner.rules)


def test_bundled_packs_cover_the_required_categories(bundled_scanner):
    categories = {r.category for r in bundled_scanner.rules}
    assert {"arms-embargo", "ballistic-missile-space", "dual-use-tech", "sanctions-evasion", "military-cooperation",
            "iran-russia-transfer", "designation-notice"} <= categories


def test_samples_score_at_their_labelled_levels(bundled_scanner):
    from flagger.quality.metrics import evaluate_records, read_labelled

    records = read_labelled(str(SAMPLES))
    assert len(records) >= 40
    m = evaluate_records(records, bundled_scanner)
    assert m["by_level"][">=high"]["recall"] >= 0.95, m["by_level"]
    assert m["none_flagged_above_low"] == 0, m["far_misses"]
    # Never two levels away from the analyst's label for more than a few articles.
    assert len(m["far_misses"]) <= 3, m["far_misses"]


def test_evaluate_reports_precision_per_exact_level_and_the_confusion_of_levels(bundled_scanner):
    from flagger.quality.metrics import evaluate_records, format_metrics

    records = [
        {"id": "c", "label": "high", "text": "North Korea shipped artillery shells to Russia, the Pentagon said."},
        {"id": "n", "label": "none", "text": "A quiet afternoon of gardening by the river."},
        {"id": "d", "label": "low", "text": "North Korea has never shipped artillery shells to Russia, its ministry said."},
    ]
    m = evaluate_records(records, bundled_scanner)
    assert m["per_level"]["none"] == {"predicted": 1, "labelled": 1, "correct": 1, "precision": 1.0, "recall": 1.0}
    assert m["per_level"]["low"]["correct"] == 1
    assert sum(sum(row.values()) for row in m["confusion"].values()) == 3
    assert m["confusion"]["high"]["critical"] + m["confusion"]["high"]["high"] == 1
    text = format_metrics(m)
    assert "exact level" in text and "confusion (rows = label" in text
