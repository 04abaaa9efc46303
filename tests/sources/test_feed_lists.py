"""Issue 17, case 1: one rule decides what a .txt feed list is, and nothing in a list is skipped.

Before: a list with a scheme-less line, a trailing `# comment`, a file:// line, or 64 KB or more
was read as one text article (nothing fetched, exit 0)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main
from flagger.sources import read_inputs
from flagger.sources.feeds import _list_entry, looks_like_feed_list

FIXTURES = Path(__file__).parent.parent / "fixtures"
FEEDS = FIXTURES / "feeds"
LISTS = FIXTURES / "hostile" / "feedlists"
sys.path.insert(0, str(FEEDS))
from feedserver import FeedServer  # noqa: E402

BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config", "--retries", "0", "--timeout", "5"]


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s


def scan(*args):
    return CliRunner().invoke(main, ["scan", *BASE, *args], catch_exceptions=False)


def test_scheme_less_lines_and_trailing_comments_make_a_feed_list():
    data = (LISTS / "schemeless.txt").read_bytes()
    assert looks_like_feed_list(data)
    assert _list_entry(LISTS, "www.example.com/news/feed") == ("url", "https://www.example.com/news/feed")
    assert _list_entry(LISTS, "news.example.org:8080/rss.xml") == ("url", "https://news.example.org:8080/rss.xml")


def test_prose_stays_an_article():
    assert not looks_like_feed_list(b"North Korea shipped shells.\nhttps://a.example\n")
    assert not looks_like_feed_list(b"Officials said the ship e.g. left port.\nSee www.example.com for more.\n")


def test_file_and_other_schemes_are_refused_line_by_line():
    recs = list(read_inputs([str(LISTS / "refused_schemes.txt")]))
    assert [r.line for r in recs] == [1, 2]
    assert "refused_schemes.txt:1: file:///etc/passwd: file:// URLs are not fetched" in recs[0].error
    assert "refused_schemes.txt:2:" in recs[1].error and "ftp:// URLs are not supported" in recs[1].error


def test_a_prose_line_in_a_feed_list_is_an_error_row_naming_file_and_line(server, tmp_path):
    a = server.route("/a.xml", (FEEDS / "rss2.xml").read_bytes())
    lst = tmp_path / "feeds.txt"
    lst.write_text(f"{a}   # wire\nthis line is prose, not a URL\n{a}#frag\n")
    res = scan(str(lst), "-f", "json", "--no-dedupe")
    assert res.exit_code == 3
    arts = json.loads(res.stdout)["articles"]
    [err] = [x for x in arts if x["error"]]
    assert f"{lst}:2: this line is prose, not a URL: not a URL" in err["error"]
    assert server.hits("/a.xml") == 2 and len(arts) == 3 + 3 + 1


def test_a_list_of_64_kb_or_more_is_still_a_feed_list(server, tmp_path):
    a = server.route("/a.xml", (FEEDS / "rss2.xml").read_bytes())
    lst = tmp_path / "feeds.txt"
    padding = "".join(f"# feed number {i} was retired in the spring, kept here for the record\n" for i in range(1200))
    lst.write_text(padding + f"{a}\n")
    assert lst.stat().st_size > 64 * 1024
    res = scan(str(lst), "-f", "json")
    assert res.exit_code == 0, res.stderr
    assert [x["id"] for x in json.loads(res.stdout)["articles"]] == ["wire-0001", "wire-0002", "wire-0003"]
    assert server.hits("/a.xml") == 1


def test_a_feed_list_inside_a_folder_is_an_error_not_an_article(tmp_path):
    (tmp_path / "feeds.txt").write_text("https://a.example.com/rss\nhttps://b.example.com/rss\n")
    [rec] = list(read_inputs([str(tmp_path)]))
    assert rec.error == f"{tmp_path / 'feeds.txt'}: is a feed list; feeds are fetched only from a list named on the command line"


def test_a_symlink_out_of_a_scanned_folder_is_an_error_row_not_followed(tmp_path):
    """Issue 17 (minor): symlinks pointing outside a scanned folder were followed silently."""
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret\n\nNot for this scan.\n")
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text("Fair\n\nFarmers showed pumpkins.\n")
    (news / "leak.txt").symlink_to(outside / "secret.txt")
    (news / "elsewhere").symlink_to(outside)
    (news / "inside.txt").symlink_to(news / "a.txt")            # inside the folder: followed
    recs = {r.id: r for r in read_inputs([str(news)])}
    assert recs[str(news / "leak.txt")].error.endswith(f"symlink to {outside / 'secret.txt'}, outside the scanned "
                                                       "folder; not followed")
    assert "outside the scanned folder" in recs[str(news / "elsewhere")].error
    assert not recs[str(news / "inside.txt")].error and not recs[str(news / "a.txt")].error
    assert len(recs) == 4


def test_an_unclosed_csv_quote_is_one_error_row_not_one_per_line(tmp_path):
    """Issue 17 (minor): a CSV field spanning 200k lines became 189,526 error rows."""
    from flagger.sources.decode import ReadOptions

    src = tmp_path / "news.csv"
    body = "".join(f"line {i} of a quoted field that never closes, with some words\n" for i in range(3000))
    src.write_text(f'id,text\nok,Farmers showed pumpkins.\nbad,"{body}', encoding="utf-8")
    recs = list(read_inputs([str(src)], options=ReadOptions(max_article_bytes=100_000)))
    assert [r.id for r in recs] == ["ok", f"{src}:3"]
    assert "larger than the 100,000-byte article limit (an unclosed quote?)" in recs[1].error
    assert "the rest of the file (from line 3) was not read" in recs[1].error


def test_a_parquet_title_over_the_article_limit_is_an_error_row(tmp_path):
    """Issue 17 (minor): a 200 MB title in a Parquet file passed --max-article-bytes."""
    import polars as pl

    from flagger.sources.decode import ReadOptions

    src = tmp_path / "news.parquet"
    pl.DataFrame({"id": ["big", "fine"], "title": ["T" * 5000, "Fair"],
                  "text": ["short text", "Farmers showed pumpkins."]}).write_parquet(src)
    recs = list(read_inputs([str(src)], options=ReadOptions(max_article_bytes=1000)))
    assert recs[0].error == (f"{src}:1: field 'title' is larger than the 1,000-byte article limit "
                             "(--max-article-bytes); not scanned") and recs[0].title == ""
    assert not recs[1].error
