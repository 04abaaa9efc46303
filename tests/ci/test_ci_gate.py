"""The gate: --fail-on LEVEL, per-category CATEGORY=LEVEL|off, --min-score, and the exit codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.ci import gate as gate_module
from flagger.ci.gate import (
    EXIT_FINDINGS,
    EXIT_INPUT_ERRORS,
    EXIT_OK,
    Gate,
    GateSpecError,
    exit_code_for,
    fingerprint,
    judge_report,
    normalise_evidence,
    parse_fail_on,
)
from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config"]


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "articles"
    d.mkdir()
    (d / "arms.txt").write_text("Shipment\n\nNorth Korea sent artillery shells to Russia by rail.\n")
    (d / "coop.txt").write_text("Drills\n\nRussia and North Korea staged a joint military exercise.\n")
    (d / "calm.txt").write_text("Fair\n\nFarmers showed pumpkins at the autumn fair.\n")
    return d


def scan(*args):
    return CliRunner().invoke(main, ["scan", *BASE, *args], catch_exceptions=False)


def test_parse_fail_on_syntax():
    g = parse_fail_on(["high", "arms-embargo=medium", "military-cooperation=off"])
    assert g == Gate(fail_on="high", categories={"arms-embargo": "medium", "military-cooperation": None})
    assert parse_fail_on(["arms-embargo=low,dual-use=never"]).categories == {"arms-embargo": "low", "dual-use": None}
    assert parse_fail_on({"default": "critical", "arms-embargo": "medium"}).fail_on == "critical"
    assert not parse_fail_on([]).active
    for bad in (["severe"], ["arms-embargo=bad"], ["Arms Embargo=high"]):
        with pytest.raises(GateSpecError):
            parse_fail_on(bad)


def test_no_gate_exits_0_even_with_findings(corpus):
    res = scan(str(corpus), "-f", "csv")
    assert res.exit_code == 0
    assert "flagger: 3 articles · 0 errors · flagged:" in res.stderr


def test_global_level_gate(corpus):
    assert scan(str(corpus), "-f", "csv", "--fail-on", "medium").exit_code == 1
    assert scan(str(corpus / "calm.txt"), "-f", "csv", "--fail-on", "low").exit_code == 0


def test_category_gate_fails_only_on_its_own_findings(corpus):
    # arms-embargo findings at medium or above fail; military cooperation only warns
    res = scan(str(corpus), "-f", "csv", "--fail-on", "arms-embargo=medium", "--fail-on", "military-cooperation=off")
    assert res.exit_code == 1
    assert "test.arms is" in res.stderr and "gate arms-embargo=medium" in res.stderr
    res = scan(str(corpus / "coop.txt"), "-f", "csv", "--fail-on", "low", "--fail-on", "military-cooperation=off")
    assert res.exit_code == 0, res.stderr           # off wins over the global gate for that category
    res = scan(str(corpus / "coop.txt"), "-f", "csv", "--fail-on", "military-cooperation=medium")
    assert res.exit_code == 1


def test_min_score(corpus):
    assert scan(str(corpus / "coop.txt"), "-f", "csv", "--min-score", "95").exit_code == 0
    assert scan(str(corpus / "coop.txt"), "-f", "csv", "--min-score", "10").exit_code == 1


def test_unreadable_input_exit_3_wins_unless_allowed(corpus):
    missing = str(corpus / "missing.txt")
    assert scan(str(corpus), missing, "-f", "csv", "--fail-on", "low").exit_code == 3
    assert scan(str(corpus), missing, "-f", "csv", "--fail-on", "low", "--allow-errors").exit_code == 1
    assert scan(str(corpus / "calm.txt"), missing, "-f", "csv", "--allow-errors").exit_code == 0


def test_bad_gate_is_a_usage_error(corpus):
    res = scan(str(corpus), "--fail-on", "arms-embargo=severe")
    assert res.exit_code == 2 and "unknown level" in res.stderr


def test_streaming_and_in_memory_formats_agree_on_the_exit_code(corpus):
    for fmt in ("csv", "jsonl", "json", "markdown", "sarif", "junit", "table"):
        assert scan(str(corpus), "-f", fmt, "--fail-on", "arms-embargo=high").exit_code == 1, fmt
        assert scan(str(corpus), "-f", fmt, "--fail-on", "arms-embargo=off").exit_code == 0, fmt


def test_fingerprint_ignores_case_punctuation_and_spacing_but_not_words():
    a = fingerprint("x.txt", "r", "North Korea … artillery shells")
    assert a == fingerprint("x.txt", "r", "north  korea ... Artillery shells!")
    assert a != fingerprint("x.txt", "r", "North Korea … artillery rockets")
    assert a != fingerprint("y.txt", "r", "North Korea … artillery shells")
    assert normalise_evidence("Ünïcode — “quotes”") == "unicode quotes"


def test_summary_line_and_no_progress_bar_in_pipes(corpus):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "CI"}
    proc = subprocess.run([sys.executable, "-c", "from flagger.cli import main; main()", "scan", *BASE, str(corpus),
                           "-f", "csv", "-o", str(corpus.parent / "r.csv")], capture_output=True, text=True, env=env)
    assert proc.returncode == 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr          # one summary line; no progress bar in a pipe
    assert lines[0].startswith("flagger: 3 articles · 0 errors · flagged: low")
    assert "suppressed" in lines[0] and lines[0].endswith("exit 0") and " s · " in lines[0]


@pytest.mark.parametrize(("errors", "failing", "allow_errors", "code"), [
    (0, 0, False, EXIT_OK), (0, 2, False, EXIT_FINDINGS), (1, 0, False, EXIT_INPUT_ERRORS),
    (1, 2, False, EXIT_INPUT_ERRORS), (1, 2, True, EXIT_FINDINGS), (1, 0, True, EXIT_OK),
])
def test_exit_code_for(errors, failing, allow_errors, code):
    assert exit_code_for(errors, failing, allow_errors) == code


def test_judge_report_keeps_the_outcome_on_the_report(test_scanner):
    report = test_scanner.scan([{"id": "a", "text": "North Korea sent artillery shells to Russia."},
                                {"id": "b", "text": "Farmers showed pumpkins at the autumn fair."}])
    outcome = judge_report(report, parse_fail_on(["high"]))
    assert report.gate is outcome and outcome.articles == 2
    assert outcome.exit_code == EXIT_FINDINGS and outcome.n_failing == 1
    assert outcome.counts_by_level() == report.counts_by_level()


@pytest.mark.parametrize("doc", ["README.md", "docs/ci.md"])
def test_documented_exit_codes_are_the_gates(doc):
    """The exit-code tables list exactly the codes defined once in flagger.ci.gate."""
    defined = sorted(v for k, v in vars(gate_module).items() if k.startswith("EXIT_"))
    text = (Path(__file__).resolve().parent.parent.parent / doc).read_text(encoding="utf-8")
    section = text.split("## Exit codes", 1)[1].split("\n#", 1)[0]
    documented = [int(m) for m in re.findall(r"^\|\s*(\d+)\s*\|", section, re.M)]
    assert documented == defined
