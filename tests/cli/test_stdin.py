"""Issue 17, case 11: standard input is read as what it holds.

Before: `cat feed.jsonl | flagger scan -` gave one text article with id `-` (exit 0) and
`flagger screen -` said "No such file"."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main
from flagger.sources.discover import sniff_stdin

FIXTURES = Path(__file__).parent.parent / "fixtures"
BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config"]
JSONL = ('{"id": "calm", "text": "Farmers showed pumpkins at the fair."}\n'
         '{"id": "arms", "text": "North Korea sold artillery shells to Russia."}\n'
         '{"id": "broken", "text": \n')


def run(args, data: str):
    return CliRunner().invoke(main, args, input=data, catch_exceptions=False)


@pytest.mark.parametrize("head, kind", [
    (b'{"id": "a", "text": "t"}\n', "jsonl"),
    (b'\xef\xbb\xbf  {"id": "a", "text": "t"}', "jsonl"),
    (b'{\n  "articles": []\n}', "json"),
    (b'[{"id": "a", "text": "t"}]', "json"),
    (b"id,title,text\n1,a,b\n", "csv"),
    (b"Shells, trains and ports\n\nA story.", "text"),
    (b"", "text"),
])
def test_sniffing(head, kind):
    assert sniff_stdin(head) == kind


def test_jsonl_on_stdin_is_read_record_by_record():
    res = run(["scan", *BASE, "-", "-f", "jsonl", "--fail-on", "high"], JSONL)
    assert res.exit_code == 3                                  # the broken line is an error row
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["calm", "arms", "-:3"]
    assert rows[1]["rules"] == ["test.arms"] and rows[2]["error"].startswith("-:3:")


def test_csv_on_stdin_is_read_row_by_row():
    res = run(["scan", *BASE, "-", "-f", "csv", "--fail-on", "high"],
              "id,text\nc1,Farmers showed pumpkins.\nc2,North Korea sold artillery shells.\n")
    assert res.exit_code == 1
    assert [r["id"] for r in csv.DictReader(io.StringIO(res.stdout))] == ["c1", "c2"]


def test_plain_text_on_stdin_is_still_one_article():
    res = run(["scan", *BASE, "-", "-f", "jsonl"], "Shells\n\nNorth Korea sold artillery shells.\n")
    [row] = [json.loads(line) for line in res.stdout.splitlines()]
    assert row["id"] == "-" and row["title"] == "Shells"


@pytest.mark.parametrize("data", ['{"name": "Kim Jong Un"}\n{"name": "Ada Lovelace"}\n',
                                  "name\nKim Jong Un\nAda Lovelace\n"])
def test_screen_reads_stdin(data):
    res = run(["screen", "-", "--entities", str(FIXTURES / "entities" / "small.csv"), "--no-default-entities",
               "-f", "jsonl"], data)
    assert res.exit_code in (0, 1), res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == 2 and rows[0]["matched"] is True and rows[1]["matched"] is False
