"""Issue 17, case 3: text inside deeply nested HTML is still scanned.

libxml2 (under lxml and trafilatura) stops building the tree past 255 nested elements and drops
the text below without an error. Before: a sentence inside 300 nested <div>s scored 0, exit 0, in
a page file, a page URL and an RSS description alike."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main
from flagger.sources.feeds import flat_text, fragment_text

FIXTURES = Path(__file__).parent.parent / "fixtures"
DEEP = FIXTURES / "hostile" / "html"
sys.path.insert(0, str(FIXTURES / "feeds"))
from feedserver import FeedServer  # noqa: E402

BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config", "--fail-on", "high", "-f", "csv", "--retries", "0"]


def scan(*args):
    return CliRunner().invoke(main, ["scan", *BASE, *args], catch_exceptions=False)


def test_flat_text_reads_any_depth_and_skips_scripts():
    text, depth = flat_text("<div>" * 400 + "<script>var a = 1;</script><p>deep words</p><br>" + "</div>" * 400)
    assert text == "deep words" and depth == 401        # 400 divs and the paragraph
    assert fragment_text("<div>" * 400 + "<p>deep words</p>" + "</div>" * 400) == "deep words"


@pytest.mark.parametrize("name", ["deep_nesting.html", "deep_nesting.rss"])
def test_a_sentence_under_300_divs_in_a_file_fails_the_gate(name):
    res = scan(str(DEEP / name))
    assert res.exit_code == 1, res.stdout
    assert "test.arms" in res.stdout


def test_a_sentence_under_300_divs_in_a_page_url_fails_the_gate():
    with FeedServer() as server:
        url = server.route("/notes.html", (DEEP / "deep_nesting.html").read_bytes(), "text/html; charset=utf-8")
        res = scan(url)
    assert res.exit_code == 1, res.stdout
    assert "test.arms" in res.stdout
