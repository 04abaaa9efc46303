"""Issue 17, case 6: --state remembers only what was scanned, and keys records by where they came from.

Before: a record was marked seen before it was scanned, so with --allow-errors an article whose
scoring raised was never scanned again; and state was keyed by id alone, so two CSV files that
both number their rows from 1 shadowed each other."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config", "-f", "jsonl"]


def scan(*args):
    return CliRunner().invoke(main, ["scan", *BASE, *args], catch_exceptions=False)


def scanned_ids(res) -> list[str]:
    return [json.loads(line)["id"] for line in res.stdout.splitlines()]


def test_an_article_whose_scan_failed_is_scanned_again_next_run(tmp_path, scan_fails_on):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "ok", "text": "Farmers showed pumpkins at the fair."}\n'
                   '{"id": "boom", "text": "North Korea sold artillery shells."}\n', encoding="utf-8")
    state = tmp_path / "state.json"
    scan_fails_on("boom")
    first = scan(str(src), "--state", str(state), "--allow-errors")
    assert first.exit_code == 0 and scanned_ids(first) == ["ok", "boom"]
    scan_fails_on("nothing")                             # the bug is fixed
    second = scan(str(src), "--state", str(state), "--fail-on", "high")
    assert scanned_ids(second) == ["boom"] and second.exit_code == 1


def test_two_csv_files_numbering_rows_from_1_are_different_articles(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("id,text\n1,Farmers showed pumpkins at the fair.\n", encoding="utf-8")
    state = tmp_path / "state.json"
    assert scanned_ids(scan(str(a), "--state", str(state))) == ["1"]
    b.write_text("id,text\n1,North Korea sold artillery shells to Russia.\n", encoding="utf-8")
    res = scan(str(a), str(b), "--state", str(state), "--fail-on", "high")
    assert res.exit_code == 1
    assert [json.loads(line)["source"] for line in res.stdout.splitlines()] == [f"{b}:2"]
    keys = json.loads(state.read_text())["articles"]
    assert set(keys) == {f"{a}::1", f"{b}::1"}
