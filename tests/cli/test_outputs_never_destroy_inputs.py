"""Issue 17, case 10: an output never overwrites an input or another output.

Before: `-o` equal to an input (or to `--hits`) overwrote it, exit 0."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config"]
FEED = '{"id": "a", "text": "North Korea sold artillery shells."}\n'


def scan(*args):
    return CliRunner().invoke(main, ["scan", *BASE, *args], catch_exceptions=False)


@pytest.mark.parametrize("options, message", [
    (["-o", "{feed}"], "-o {feed} is also an input"),
    (["-o", "{link}"], "-o {link} is also an input"),                  # the same file by another name
    (["--hits", "{feed}", "-o", "{out}"], "--hits {feed} is also an input"),
    (["--report", "{feed}"], "is also an input"),
    (["-o", "{out}", "--hits", "{out}"], "-o {out} and --hits {out} are the same file"),
])
def test_a_clashing_output_is_a_usage_error_before_anything_is_read(tmp_path, options, message):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(FEED, encoding="utf-8")
    link = tmp_path / "alias.jsonl"
    os.link(feed, link)
    names = {"feed": feed, "link": link, "out": tmp_path / "out.jsonl"}
    res = scan(str(feed), *[o.format(**names) for o in options])
    assert res.exit_code == 2
    assert message.format(**names) in res.stderr
    assert feed.read_text(encoding="utf-8") == FEED
    assert not (tmp_path / "out.jsonl").exists()
