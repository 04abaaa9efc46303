"""The scan command: formats, report shapes, hits file, exit codes."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from flagger.cli import main
from flagger.report.frames import ARTICLE_COLUMNS, HIT_COLUMNS
from flagger.scoring import MODEL


@pytest.fixture()
def run(fixtures):
    def _run(*args, input=None):
        base = ["scan", "--rules", str(fixtures / "rules" / "basic.yaml"), "--no-default-entities",
                "--entities", str(fixtures / "entities" / "small.csv")]
        return CliRunner().invoke(main, base + list(args), input=input, catch_exceptions=False)

    return _run


def test_csv_report_and_hits_have_stable_columns(run, fixtures, tmp_path):
    out, hits = tmp_path / "r.csv", tmp_path / "h.csv"
    res = run(str(fixtures / "articles" / "arms.txt"), str(fixtures / "articles" / "beach.md"),
              "-f", "csv", "-o", str(out), "--hits", str(hits))
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ARTICLE_COLUMNS
    levels = {r["id"].rsplit("/", 1)[-1]: r["level"] for r in rows}
    assert levels["arms.txt"] in ("critical", "high") and levels["beach.md"] == "none"
    hit_rows = list(csv.DictReader(hits.open(encoding="utf-8")))
    assert list(hit_rows[0]) == HIT_COLUMNS
    text = (fixtures / "articles" / "arms.txt").read_text()
    for h in hit_rows:
        assert text[int(h["start"]):int(h["end"])] == h["matched_text"]


def test_json_nests_hits_and_keeps_unknown_fields(run, fixtures, tmp_path):
    out = tmp_path / "r.json"
    res = run(str(fixtures / "articles" / "feed.jsonl"), "-o", str(out), "--allow-errors")
    assert res.exit_code == 0
    doc = json.loads(out.read_text())
    arts = {a["id"]: a for a in doc["articles"]}
    j1 = arts["j1"]
    assert j1["lang_hint"] == "en"
    assert j1["hits"] and all(set(HIT_COLUMNS) <= set(h) for h in j1["hits"])
    assert j1["entities"][0]["id"] == "T:komid" and j1["entities"][0]["list"] == "test list"
    assert isinstance(j1["rules"], list) and j1["score_explanation"]
    assert doc["summary"]["errors"] == 2


def test_jsonl_and_markdown_and_table(run, fixtures):
    art = str(fixtures / "articles" / "arms.txt")
    lines = run(art, "-f", "jsonl").output.strip().splitlines()
    assert json.loads(lines[0])["level"] in ("critical", "high")
    md = run(art, "-f", "markdown").output
    assert "| level | score |" in md
    table = run(art, "-f", "table", "--explain").output
    assert "test.arms" in table and f"weight {MODEL.severity_weights['critical']:g}" in table


def test_stdin(run):
    res = run("-", "-f", "jsonl", input="Title\n\nPyongyang bought ammunition.\n")
    assert json.loads(res.output.splitlines()[0])["rules"] == ["test.arms"]


def test_exit_codes(run, fixtures):
    arms, beach = str(fixtures / "articles" / "arms.txt"), str(fixtures / "articles" / "beach.md")
    assert run(beach, "-f", "csv", "--fail-on", "low").exit_code == 0
    assert run(arms, "-f", "csv", "--fail-on", "high").exit_code == 1
    assert run(arms, "-f", "csv", "--min-score", "50").exit_code == 1
    assert run(arms, "-f", "csv").exit_code == 0
    # Unreadable input wins over findings: a scan that could not read everything never looks clean.
    assert run(arms, str(fixtures / "articles" / "empty.txt"), "-f", "csv").exit_code == 3
    assert run(arms, str(fixtures / "articles" / "empty.txt"), "-f", "csv", "--fail-on", "high").exit_code == 3
    assert run(str(fixtures / "articles" / "empty.txt"), "-f", "csv", "--allow-errors").exit_code == 0


def test_rule_errors_exit_2_with_location(fixtures):
    bad = fixtures / "hostile" / "rules" / "unknown_key.yaml"
    res = CliRunner().invoke(main, ["scan", "--rules", str(bad), "-"], input="x")
    assert res.exit_code == 2
    assert f"{bad}:9: unknown key 'colour'" in res.output


def test_help_documents_exit_codes():
    res = CliRunner().invoke(main, ["scan", "--help"])
    assert "Exit codes" in res.output and "3  some inputs could not be read" in res.output


def test_rules_test_command_runs_examples(fixtures):
    res = CliRunner().invoke(main, ["rules", "test", str(fixtures / "rules" / "basic.yaml")])
    assert res.exit_code == 0, res.output
    assert "8 passed, 0 failed" in res.output


def test_rules_test_reports_a_failing_example(fixtures, tmp_path):
    pack = tmp_path / "p.yaml"
    pack.write_text((fixtures / "rules" / "basic.yaml").read_text().replace(
        '- "Pyongyang supplied KN-23 missiles."', '- "Pyongyang supplied bananas."'))
    res = CliRunner().invoke(main, ["rules", "test", str(pack)])
    assert res.exit_code == 1
    assert "test.arms: must match but did not (no hit for group(s) arms)" in res.output
