"""A record's title is scanned with its text: a headline's fact-check framing scopes the body, a
claim made only in the headline counts, and every span says which field its offsets index."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main
from flagger.model import Record
from flagger.scanner import with_title

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"


@pytest.fixture(scope="module")
def bundled():
    from flagger.api import Scanner

    return Scanner(default_entities=False)


@pytest.fixture(scope="module")
def results(bundled):
    records = [json.loads(line) for line in (FIXTURES / "titled.jsonl").read_text(encoding="utf-8").splitlines()]
    report = bundled.scan(records)
    return {r.record.id: r for r in report.results}


@pytest.mark.parametrize("article", ["fc-en", "fc-de"])
def test_a_fact_check_headline_frames_the_body(results, article):
    result = results[article]
    assert result.level == "low", (result.score, result.contributions)
    assert result.contributions[0].note.startswith("factcheck:")


def test_a_claim_made_only_in_the_headline_is_found_with_title_offsets(results):
    result = results["headline-claim"]
    assert result.level == "critical"
    title = result.record.title
    in_title = [h for h in result.hits if h.field == "title"]
    assert in_title and all(title[h.start:h.end] == h.matched_text for h in in_title)
    assert all(h.line == 1 and h.matched_text in h.snippet for h in in_title)
    assert result.record.text == "Officials gave no further details at a short briefing on Tuesday."


def test_body_offsets_index_the_text_field(results):
    result = results["fc-en"]
    text = result.record.text
    in_text = [h for h in result.hits if h.field == "text"]
    assert in_text and all(text[h.start:h.end] == h.matched_text for h in in_text)


def test_a_text_that_opens_with_its_title_is_not_scanned_twice(results):
    repeated, claim = results["title-repeated"], results["headline-claim"]
    assert repeated.score == claim.score
    assert all(h.field == "text" for h in repeated.hits)
    rec = Record(id="x", title="  North Korea shipped  shells ", text="north korea shipped shells\nmore")
    assert with_title(rec) is rec
    assert with_title(Record(id="y", title="", text="body")).text == "body"
    assert with_title(Record(id="z", title="Head", text="body")).text == "Head\n\nbody"


def test_csv_and_jsonl_reports_carry_each_hits_field(tmp_path):
    for src in ("titled.jsonl", "titled.csv"):
        out, hits = tmp_path / f"{src}.out.jsonl", tmp_path / f"{src}.hits.csv"
        run = CliRunner().invoke(main, ["scan", str(FIXTURES / src), "--no-config", "--no-default-entities",
                                        "-o", str(out), "--hits", str(hits), "-q"])
        assert run.exit_code in (0, 1), run.output
        articles = {a["id"]: a for a in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
        assert articles["headline-claim"]["level"] == "critical"
        assert articles["fc-en"]["level"] == "low"
        rows = list(csv.DictReader(hits.open(encoding="utf-8", newline="")))
        by_article = {}
        for row in rows:
            by_article.setdefault(row["article_id"], set()).add(row["field"])
        assert by_article["headline-claim"] == {"title"}
        assert by_article["title-repeated"] == {"text"}
        for row in rows:
            source = articles[row["article_id"]]["title"] if row["field"] == "title" else None
            if source is not None:
                assert source[int(row["start"]):int(row["end"])] == row["matched_text"]


def test_the_html_report_marks_a_headline_span_in_the_headline(tmp_path, bundled):
    out = tmp_path / "r.html"
    run = CliRunner().invoke(main, ["scan", str(FIXTURES / "titled.jsonl"), "--no-config", "--no-default-entities",
                                    "-o", str(out), "-q"])
    assert run.exit_code in (0, 1), run.output
    html = out.read_text(encoding="utf-8")
    start = html.index('<span class="title"><mark')          # the headline-claim article's title
    title = html[start:html.index("</span>", start)]
    assert ">North Korea</mark> <mark" in title and ">shipped</mark>" in title and ">artillery shells</mark>" in title
