"""Baselines: reviewed findings suppressed by fingerprint, surviving edits elsewhere; stale and
expired entries reported; a reason and an optional expiry per entry."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config"]
ARMS = "North Korea sent artillery shells to Russia by rail."
COOP = "Russia and North Korea staged a joint military exercise."


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    news = tmp_path / "news"
    news.mkdir()
    (news / "arms.txt").write_text(f"Shipment\n\n{ARMS}\n")
    (news / "coop.txt").write_text(f"Drills\n\n{COOP}\n")
    return tmp_path


def cli(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def scan(*args):
    return cli("scan", *BASE, "news", *args)


def make_baseline(*extra):
    assert scan("-f", "json", "-o", "report.json").exit_code == 0
    res = cli("baseline", "create", "report.json", "-o", ".flagger-baseline.json", *extra)
    assert res.exit_code == 0, res.output
    return json.loads(Path(".flagger-baseline.json").read_text())


def test_create_records_fingerprints_with_reason_and_expiry(work):
    doc = make_baseline("--reason", "reviewed by A.N. Analyst", "--expires", "2099-01-01")
    assert doc["flagger_baseline"] == 1
    entries = doc["entries"]
    assert {e["rule"] for e in entries} == {"test.arms", "test.coop"}
    for e in entries:
        assert len(e["fingerprint"]) == 32 and e["reason"] == "reviewed by A.N. Analyst"
        assert e["expires"] == "2099-01-01" and e["source"].startswith("news/") and e["evidence"]
        assert "line" not in e                         # never line numbers


def test_scan_with_baseline_suppresses_and_counts(work):
    make_baseline("--reason", "ok")
    res = scan("-f", "json", "--baseline", ".flagger-baseline.json", "--fail-on", "low")
    assert res.exit_code == 0, res.stderr
    assert "2 suppressed" in res.stderr
    arts = json.loads(res.stdout)["articles"]
    assert all(a["level"] == "none" and a["rules"] == [] for a in arts)
    assert {s["rule"] for a in arts for s in a["suppressed_findings"]} == {"test.arms", "test.coop"}


def test_suppression_survives_edits_elsewhere_and_realerts_when_evidence_changes(work):
    make_baseline()
    # new paragraphs above the evidence: line numbers move, the fingerprint does not
    Path("news/arms.txt").write_text(f"Shipment\n\nUpdated on Friday.\n\nMore context here.\n\n{ARMS}\n")
    res = scan("-f", "csv", "--baseline", ".flagger-baseline.json", "--fail-on", "low")
    assert res.exit_code == 0 and "2 suppressed" in res.stderr
    # different evidence in the same article: a new finding, and the old entry is stale
    Path("news/arms.txt").write_text("Shipment\n\nNorth Korea sent ammunition to Russia by sea.\n")
    res = scan("-f", "csv", "--baseline", ".flagger-baseline.json", "--fail-on", "low")
    assert res.exit_code == 1
    assert "1 suppressed" in res.stderr
    assert "1 baseline entry no longer match" in res.stderr and "test.arms news/arms.txt" in res.stderr


def test_expired_entries_stop_suppressing_and_say_so(work):
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    doc = make_baseline("--reason", "temporary", "--expires", "2099-01-01")   # a past date is refused (exit 2)
    for e in doc["entries"]:                        # time passes: the entries expire
        e["expires"] = yesterday
    Path(".flagger-baseline.json").write_text(json.dumps(doc))
    res = scan("-f", "csv", "--baseline", ".flagger-baseline.json", "--fail-on", "low")
    assert res.exit_code == 1
    assert "0 suppressed" in res.stderr
    assert res.stderr.count(f"expired on {yesterday}") == 2 and "no longer suppressed" in res.stderr


def test_merge_keeps_reviewer_reasons_and_prune_drops_stale(work):
    make_baseline("--reason", "first review")
    Path("news/new.txt").write_text("Deal\n\nKOMID sold ammunition abroad.\n")
    doc = make_baseline("--reason", "second review")
    reasons = sorted(e["reason"] for e in doc["entries"])
    assert reasons.count("first review") == 2 and "second review" in reasons
    Path("news/coop.txt").unlink()
    assert scan("-f", "json", "-o", "now.json").exit_code == 0
    res = cli("baseline", "prune", "now.json", "-b", ".flagger-baseline.json")
    assert res.exit_code == 0 and "removed 1 stale" in res.stderr
    res = cli("baseline", "show", ".flagger-baseline.json")
    assert res.exit_code == 0 and "test.coop" not in res.stdout and "first review" in res.stdout


def test_bad_baseline_files_are_usage_errors(work):
    Path("b.json").write_text("{not json")
    res = scan("--baseline", "b.json")
    assert res.exit_code == 2 and "b.json:1: malformed baseline JSON" in res.stderr
    Path("b.json").write_text('{"flagger_baseline": 1, "entries": [{"fingerprint": "x", "expires": "soon"}]}')
    res = scan("--baseline", "b.json")
    assert res.exit_code == 2 and "not a date" in res.stderr
    res = scan("--baseline", "missing.json")
    assert res.exit_code == 2 and "baseline create" in res.stderr
    Path("r.csv").write_text("id,text\n")
    res = cli("baseline", "create", "r.csv")
    assert res.exit_code == 2
