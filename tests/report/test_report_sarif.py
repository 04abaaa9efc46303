"""SARIF 2.1.0 output validated against the OASIS schema (vendored in tests/fixtures)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())
BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config"]


def validate(doc):
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(doc), key=str)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.fixture
def sarif(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "arms.txt").write_text("Shipment\n\nLine three.\nNorth Korea sent artillery shells to Russia.\n")
    (tmp_path / "news" / "calm.txt").write_text("Fair\n\nPumpkins at the fair.\n")
    (tmp_path / "news" / "feed.jsonl").write_text(
        '{"id": "j1", "title": "Dealer", "url": "https://example.org/j1", "text": "KOMID sold ammunition abroad."}\n'
        "{broken\n")

    def run(*args):
        res = CliRunner().invoke(main, ["scan", *BASE, "news", str(FIXTURES / "feeds" / "rss2.xml"), "-f", "sarif",
                                        *args], catch_exceptions=False)
        doc = json.loads(res.stdout)
        validate(doc)
        return res, doc

    return run


def test_sarif_validates_and_has_one_result_per_finding(sarif):
    res, doc = sarif("--fail-on", "high")
    assert res.exit_code == 3                      # the broken JSONL line
    [run] = doc["runs"]
    assert doc["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "flagger"
    results = run["results"]
    # arms.txt: test.arms; j1: test.arms (+ KOMID is evidence); rss2: shells item (test.arms), drills (test.coop)
    by_rule = sorted(r["ruleId"] for r in results)
    assert by_rule.count("test.arms") == 3 and by_rule.count("test.coop") == 1
    for r in results:
        assert r["partialFingerprints"]["flaggerFingerprint/v1"]
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]


def test_rules_carry_legal_basis_as_help(sarif):
    _, doc = sarif()
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    arms = rules["test.arms"]
    assert "UNSCR 1718 (2006)" in arms["help"]["text"] and "Legal basis" in arms["help"]["markdown"]
    assert arms["helpUri"] == "https://www.un.org/securitycouncil/sanctions/1718"
    assert arms["properties"]["legal_basis"] == ["UNSCR 1718 (2006)"]
    assert float(arms["properties"]["security-severity"]) > 8


def test_locations_are_file_and_line_or_article_url(sarif):
    _, doc = sarif()
    results = doc["runs"][0]["results"]
    txt = next(r for r in results if r["properties"]["article_id"].endswith("arms.txt"))
    phys = txt["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"] == {"uri": "news/arms.txt", "uriBaseId": "%SRCROOT%"}
    assert phys["region"]["startLine"] == 4                 # the evidence's line, not the file's first
    jl = next(r for r in results if r["properties"]["article_id"] == "j1")
    assert jl["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "news/feed.jsonl"
    assert jl["locations"][0]["physicalLocation"]["region"]["startLine"] == 1   # the record's line
    feed = next(r for r in results if r["properties"]["article_id"] == "wire-0001")
    # a feed entry's location is its article URL, even when the feed was a local file
    assert feed["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "https://wire.example/2026/01/rail-shells"}}


def test_unreadable_inputs_are_tool_notifications(sarif):
    _, doc = sarif()
    inv = doc["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    [note] = inv["toolExecutionNotifications"]
    assert "feed.jsonl:2" in note["message"]["text"] and note["level"] == "error"


def test_feed_article_url_is_the_location(tmp_path, monkeypatch):
    import sys

    sys.path.insert(0, str(FIXTURES / "feeds"))
    from feedserver import FeedServer

    with FeedServer() as server:
        url = server.route("/w.xml", (FIXTURES / "feeds" / "rss2.xml").read_bytes())
        res = CliRunner().invoke(main, ["scan", *BASE, url, "-f", "sarif"], catch_exceptions=False)
    doc = json.loads(res.stdout)
    validate(doc)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert uris == {"https://wire.example/2026/01/rail-shells", "https://wire.example/2026/01/drills"}


def test_baseline_suppressions_are_kept_as_accepted(sarif, tmp_path):
    _, doc = sarif()
    (tmp_path / "r.sarif").write_text(json.dumps(doc))
    res = CliRunner().invoke(main, ["baseline", "create", "r.sarif", "-o", "b.json", "--reason", "reviewed"])
    assert res.exit_code == 0, res.output
    res, doc2 = sarif("--baseline", "b.json", "--fail-on", "low", "--allow-errors")
    assert res.exit_code == 0
    results = doc2["runs"][0]["results"]
    assert results and all(r["suppressions"] == [{"kind": "external", "status": "accepted",
                                                  "justification": "reviewed"}] for r in results)
