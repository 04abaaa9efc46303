"""Issue 17, case 2: copy grouping never hides text, and every input record keeps its row.

Before: a record that was another plus an appended paragraph was grouped under it and never
scanned (exit 0 with --fail-on high; exit 1 with --no-dedupe), and a copy lost its CSV row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
FEED = FIXTURES / "hostile" / "copies" / "appended_paragraph.jsonl"
BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config"]


def scan(*args):
    return CliRunner().invoke(main, ["scan", *BASE, *args], catch_exceptions=False)


@pytest.mark.parametrize("grouping", ["--dedupe", "--no-dedupe"])
def test_an_appended_paragraph_is_scanned_whether_copies_are_grouped_or_not(grouping):
    res = scan(str(FEED), "-f", "json", "--fail-on", "high", grouping)
    assert res.exit_code == 1
    arts = {a["id"]: a for a in json.loads(res.stdout)["articles"]}
    assert arts["port-1-updated"]["rules"] == ["test.arms"]


def test_every_record_keeps_its_row_in_every_format_with_duplicate_of(tmp_path):
    res = scan(str(FEED), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert sorted(r["id"] for r in rows) == ["port-1", "port-1-reprint", "port-1-updated"]    # count in = count out
    by_id = {r["id"]: r for r in rows}
    # the short story and its reprint add nothing the update lacks: both copy it and carry its result
    assert by_id["port-1"]["duplicate_of"] == by_id["port-1-reprint"]["duplicate_of"] == "port-1-updated"
    assert by_id["port-1"]["score"] == by_id["port-1-updated"]["score"] != "0.0"
    assert by_id["port-1-updated"]["duplicate_of"] == ""
    for fmt in ("json", "jsonl", "sarif", "junit", "markdown", "html", "table"):
        out = tmp_path / f"r.{fmt}"
        assert scan(str(FEED), "-f", fmt, "-o", str(out)).exit_code == 0
        text = out.read_text()
        assert all(i in text for i in ("port-1-reprint", "port-1-updated")), fmt
