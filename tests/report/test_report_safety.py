"""Reports cannot be turned against their readers: a crafted article (tests/fixtures/reports/
hostile.jsonl: a formula id, a CR and a | in a title and url, a javascript: url, terminal escapes
in a title, a Hangul title) is shown as text in a spreadsheet, a browser, a Markdown viewer and
a terminal."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main
from flagger.report.safe import clip_middle, csv_text, display_width, fit, terminal_text

FIXTURES = Path(__file__).parent.parent / "fixtures"
HOSTILE = FIXTURES / "reports" / "hostile.jsonl"
CALM = FIXTURES / "reports" / "calm.jsonl"
BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config", "--no-progress"]
RECORDS = [json.loads(line) for line in HOSTILE.read_text().splitlines()]


def scan(*args, env=None):
    res = CliRunner(env=env).invoke(main, ["scan", *BASE, *map(str, args)], catch_exceptions=False)
    assert res.exit_code in (0, 1, 3), res.stderr
    return res


# -- CSV ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("value,expected", [("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2", "'-2"),
                                            ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("\rx", "'\rx"),
                                            ("plain", "plain"), ("a=b", "a=b")])
def test_formula_leading_text_is_prefixed(value, expected):
    assert csv_text(value) == expected


def _csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:      # as a spreadsheet reads it: no newline translation
        return list(csv.DictReader(f))


@pytest.mark.parametrize("whole", [False, True], ids=["streamed", "whole"])
def test_csv_cells_never_start_a_formula_and_each_record_is_one_row(tmp_path, whole):
    out, hits = tmp_path / "r.csv", tmp_path / "hits.csv"
    extra = ["--report", str(tmp_path / "also.json")] if whole else []    # a second report: not streamed
    scan(HOSTILE, "-o", out, "--hits", hits, *extra)
    rows = _csv_rows(out)
    assert len(rows) == len(RECORDS) == 4                  # the bare CR in a title does not split a row
    by_title = {r["id"]: r for r in rows}
    formula_id = RECORDS[0]["id"]
    assert "'" + formula_id in by_title
    first = by_title["'" + formula_id]
    assert first["title"].startswith("'+SUM") and first["source"] == "'@feed"
    cr = by_title["cr-row"]
    assert cr["title"].startswith("line one\rline two") and cr["source"] == "'-wire"
    assert by_title["escape-row"]["source"] == "'\tsrc"
    for r in rows:
        for key, value in r.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (key, value)
        float(r["score"])                                  # the numeric column stays a number
    hit_rows = _csv_rows(hits)
    assert hit_rows and {h["article_id"] for h in hit_rows} >= {"'" + formula_id, "cr-row"}
    for h in hit_rows:
        int(h["start"]), int(h["end"]), float(h["similarity"])
        assert not any(v.startswith(("=", "+", "-", "@")) for v in h.values())


def test_error_rows_have_an_empty_score_not_zero(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = tmp_path / "r.csv"
    res = CliRunner().invoke(main, ["scan", *BASE, str(empty), str(CALM), "-o", str(out)])
    assert res.exit_code == 3
    rows = _csv_rows(out)
    err = [r for r in rows if r["error"]]
    assert len(err) == 1 and err[0]["score"] == "" and err[0]["level"] == ""
    assert all(r["score"] == "0.0" for r in rows if not r["error"])
    table = CliRunner().invoke(main, ["scan", *BASE, str(empty), str(CALM), "-f", "table"])
    line = next(x for x in table.stdout.splitlines() if x.startswith("ERROR"))
    assert "0.0" not in line


# -- HTML ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def page(tmp_path_factory):
    d = tmp_path_factory.mktemp("html")
    scan(HOSTILE, CALM, "-o", d / "r.html")
    return (d / "r.html").read_text()


def test_only_http_urls_become_links(page):
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith(("http://", "https://", "data:")) for h in hrefs)
    assert "javascript:alert(document.domain)" in page      # shown as text, never a link
    assert 'href="javascript' not in page.lower()


def test_the_csp_allows_only_the_reports_own_script(page):
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "unsafe-inline" not in script_src and "default-src 'none'" in csp
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert script_src == f"'sha256-{digest}'"


def test_collapsed_rows_show_rules_and_entities(page):
    summaries = re.findall(r"<summary>(.*?)</summary>", page, re.S)
    flagged = [s for s in summaries if "lvl-critical" in s]
    assert flagged and all("test.arms" in s for s in flagged)
    assert any("Korea Mining Development Trading Corporation" in s for s in flagged)


def test_no_finding_articles_are_counted_not_shown_unless_asked(page, tmp_path):
    assert 'data-id="calm-0"' not in page and "Pumpkins" not in page
    assert "3 articles with no finding not shown" in page
    scan(HOSTILE, CALM, "-o", tmp_path / "all.html", "--html-include-none")
    full = (tmp_path / "all.html").read_text()
    assert 'data-id="calm-0"' in full and "not shown" not in full


def test_error_rows_sort_above_articles_with_no_finding(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    res = CliRunner().invoke(main, ["scan", *BASE, str(CALM), str(empty), str(HOSTILE), "-o", str(tmp_path / "r.html"),
                                    "--html-include-none"])
    assert res.exit_code == 3
    levels = re.findall(r'<details class="article" id="a-\d+" data-level="(\w+)"', (tmp_path / "r.html").read_text())
    assert levels.index("error") < levels.index("none")
    assert levels.index("error") > max(i for i, lv in enumerate(levels) if lv in ("critical", "high"))


def test_one_mark_per_evidence_span(page):
    # "KOMID arranged the ammunition": the entity, the term and the rule's span overlap -> one mark each place
    marks = re.findall(r"<mark[^>]*>(.*?)</mark>", page)
    assert marks and "data-label" not in page             # no label chip after every word
    article = page[page.index('data-id="cr-row"'):]
    article = article[:article.index("</details>")]
    text_marks = re.findall(r'<mark[^>]*title="([^"]*)"[^>]*>(.*?)</mark>', article)
    assert [m[1] for m in text_marks] == ["KOMID", "ammunition"]
    assert "test.arms" in text_marks[1][0] or "test.arms" in text_marks[0][0]


# -- Markdown -----------------------------------------------------------------------------------
def test_markdown_cells_cannot_break_the_table_or_load_images():
    md = scan(HOSTILE, "-f", "markdown").stdout
    rows = [line for line in md.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == 4
    header = next(line for line in md.splitlines() if line.startswith("| # |"))
    header_cells = len(header.split("|"))
    for row in rows:
        assert len(re.split(r"(?<!\\)\|", row)) == header_cells, row
    assert "![x](" not in md and "!\\[x\\]" in md
    assert "(javascript:" not in md                        # not a link target
    assert "\r" not in md


# -- terminal -----------------------------------------------------------------------------------
def test_terminal_text_strips_escapes_and_shows_controls():
    assert terminal_text("\x1b]0;owned\x07\x1b[31mRED\x1b[0m ok") == "RED ok"
    assert terminal_text("a\x00b\u202ed") == "a\\x00b\\u202ed"   # NUL, and a right-to-left override
    assert terminal_text("8-bit \x9b31mCSI") == "8-bit CSI"
    assert terminal_text("bell\x07") == "bell\\x07"


def test_table_has_no_escapes_and_aligns_wide_titles():
    out = scan(HOSTILE, "-f", "table").stdout
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    lines = [line for line in out.splitlines() if line.startswith(("critical", "high"))]
    assert len(lines) == 4
    col = {display_width(line[:line.index("test.arms")]) for line in lines}
    assert len(col) == 1                                   # the rules column starts at one display column


def test_gate_lines_on_stderr_have_no_escapes(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "\x1b]0;pwn\x07id", "text": "North Korea sent artillery shells to Russia.",
                               "url": "https://x.example/\x1b[2J"}) + "\n")
    res = CliRunner().invoke(main, ["scan", *BASE, str(bad), "--fail-on", "high", "-o", str(tmp_path / "r.csv")])
    assert res.exit_code == 1
    assert "gate failed" in res.stderr and "\x1b" not in res.stderr and "1 article " in res.stderr


def test_color_follows_the_flag_and_no_color():
    always = scan(HOSTILE, "-f", "table", "--color", "always").stdout
    assert "\x1b[3" in always
    assert "\x1b" not in scan(HOSTILE, "-f", "table", "--color", "never").stdout
    assert "\x1b" not in scan(HOSTILE, "-f", "table", env={"NO_COLOR": "1"}).stdout   # auto, not a terminal


def test_long_ids_are_cut_in_the_middle_keeping_the_file_name():
    path = "/srv/news/archive/2026/very-long-folder-name/another-level/article-0042.txt"
    cut = clip_middle(path, 32)
    assert display_width(cut) <= 32 and cut.endswith("/article-0042.txt") and "…" in cut and cut.startswith("/srv")
    assert display_width(fit("평양 탄약", 6)) == 6 and fit("평양 탄약", 6).endswith("…")


def test_explain_shows_the_table_when_piped():
    out = scan(HOSTILE, "--explain").stdout                # not a terminal, no -f/-o: the explained table
    assert out.startswith("LEVEL") and "+ test.arms:" in out and "weight" in out
    assert "+ test.arms:" not in scan(HOSTILE).stdout       # without --explain a pipe still gets CSV
    assert scan(HOSTILE).stdout.startswith("id,source,title")


def test_summary_words_agree_with_their_numbers(tmp_path):
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps({"id": "x", "text": "Pumpkins at the fair."}) + "\n")
    res = scan(one, "-f", "table")
    assert "1 article ·" in res.stdout and "0 errors" in res.stdout and "flagger: 1 article ·" in res.stderr


def test_markdown_explains_scores_when_asked():
    md = scan(HOSTILE, "-f", "markdown", "--explain").stdout
    section = md[md.index("## How the scores were made"):]
    assert "- test.arms:" in section and "weight" in section and "proximity" in section
    assert "How the scores were made" not in scan(HOSTILE, "-f", "markdown").stdout
