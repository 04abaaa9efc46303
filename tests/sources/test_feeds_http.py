"""Feeds over HTTP from a local server: User-Agent, retries with backoff, timeouts, error rows,
feed lists, and syndicated copies grouped into one finding."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main
from flagger.http import FetchOptions
from flagger.sources import read_inputs
from flagger.sources.decode import ReadOptions
from flagger.sources.feeds import read_url

FIXTURES = Path(__file__).parent.parent / "fixtures"
FEEDS = FIXTURES / "feeds"
sys.path.insert(0, str(FEEDS))
from feedserver import FeedServer  # noqa: E402

BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config"]


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s


def scan(*args):
    return CliRunner().invoke(main, ["scan", *BASE, *args], catch_exceptions=False)


def test_feed_url_is_fetched_with_a_clear_user_agent(server):
    url = server.route("/world.xml", (FEEDS / "rss2.xml").read_bytes())
    res = scan(url, "-f", "json", "--retries", "0")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert [a["id"] for a in doc["articles"]] == ["wire-0001", "wire-0002", "wire-0003"]
    assert doc["articles"][0]["rules"] == ["test.arms"] and doc["articles"][0]["level"] in ("high", "critical")
    assert doc["articles"][0]["url"].startswith("https://wire.example/")
    [(path, headers)] = server.log
    ua = headers.get("User-Agent")
    assert ua.startswith("flagger/") and "sanctions-compliance" in ua


def test_failing_feed_is_retried_then_becomes_an_error_row_and_exit_3(server):
    bad = server.route("/down.xml", "oops", "text/plain", status=503)
    good = server.route("/world.xml", (FEEDS / "rss2.xml").read_bytes())
    t0 = time.perf_counter()
    res = scan(bad, good, "-f", "json", "--retries", "2")
    assert res.exit_code == 3
    assert server.hits("/down.xml") == 3                    # 1 try + 2 retries
    assert time.perf_counter() - t0 >= 0.5                  # backoff between retries
    doc = json.loads(res.stdout)
    errors = [a for a in doc["articles"] if a["error"]]
    assert len(errors) == 1 and bad in errors[0]["error"] and "503" in errors[0]["error"]
    assert len(doc["articles"]) == 4                        # the good feed still scanned
    assert "1 error " in res.stderr


def test_flaky_feed_succeeds_after_a_retry(server):
    url = server.route("/flaky.xml", answers=[(502, ""), (200, (FEEDS / "atom.xml").read_bytes())],
                       content_type="application/atom+xml")
    recs = read_url(url, FetchOptions(retries=2, backoff=0.05))
    assert [r.error for r in recs] == ["", ""] and server.hits("/flaky.xml") == 2


def test_http_404_is_not_retried_and_slow_server_times_out(server):
    missing = server.url("/nope.xml")
    [rec] = read_url(missing, FetchOptions(retries=3, backoff=0.01))
    assert "HTTP 404" in rec.error and server.hits("/nope.xml") == 1
    slow = server.route("/slow.xml", (FEEDS / "rss2.xml").read_bytes(), delay=2.0)
    t0 = time.perf_counter()
    [rec] = read_url(slow, FetchOptions(timeout=0.3, retries=0))
    assert "timed out" in rec.error and time.perf_counter() - t0 < 1.9


def test_read_options_fetch_reaches_every_url_and_feed_list(server, tmp_path):
    a = server.route("/a.xml", (FEEDS / "rss2.xml").read_bytes())
    b = server.route("/b.xml", (FEEDS / "atom.xml").read_bytes(), "application/atom+xml")
    flaky = server.route("/flaky.xml", answers=[(503, "busy"), (200, (FEEDS / "rss2.xml").read_bytes())])
    lst = tmp_path / "feeds.txt"
    lst.write_text(f"{b}\n{flaky}\n")
    options = ReadOptions(fetch=FetchOptions(user_agent="custom-agent/1", retries=0, timeout=5))
    recs = list(read_inputs([a, str(lst)], options=options))
    assert {h["User-Agent"] for _, h in server.log} == {"custom-agent/1"}
    [err] = [r for r in recs if r.error]                    # retries=0: the 503 is not tried again
    assert err.error == f"{flaky}: HTTP 503 Service Unavailable" and server.hits("/flaky.xml") == 1
    assert len(recs) == 3 + 2 + 1


def test_web_page_url_becomes_one_article(server):
    url = server.route("/story.html", (FEEDS / "article.html").read_bytes(), "text/html; charset=utf-8")
    res = scan(url, "-f", "json")
    [art] = json.loads(res.stdout)["articles"]
    assert art["title"] == "Rail cars carried shells north" and art["rules"] == ["test.arms"]
    assert art["url"] == url


def test_feed_list_file_fetches_each_feed(server, tmp_path):
    a = server.route("/a.xml", (FEEDS / "rss2.xml").read_bytes())
    b = server.route("/b.xml", (FEEDS / "rss1.rdf").read_bytes(), "application/rdf+xml")
    gone = server.url("/gone.xml")
    lst = tmp_path / "feeds.txt"
    lst.write_text(f"# hourly feeds\n{a}\n{b}\n{gone}\n")
    res = scan(str(lst), "-f", "json", "--retries", "0")
    assert res.exit_code == 3
    arts = json.loads(res.stdout)["articles"]
    assert [x["id"] for x in arts if not x["error"]] == ["wire-0001", "wire-0002", "wire-0003",
                                                         "https://rdf.example/komid"]
    [err] = [x for x in arts if x["error"]]
    assert gone in err["error"] and "404" in err["error"]


SYNDICATED = """<?xml version="1.0"?><rss version="2.0"><channel><title>{site}</title>
<item><title>Rail cars carried shells north</title><link>https://{host}/story</link><guid>{host}-1</guid>
<pubDate>{date}</pubDate>
<description>Satellite images show North Korea sent artillery shells to Russia by rail this winter, officials
said on Tuesday. The trains crossed the border bridge at Tumangang and returned empty a few days later,
according to analysts who studied the images for several weeks.{extra}</description></item>
<item><title>Local football</title><link>https://{host}/football</link><guid>{host}-2</guid>
<description>The {site} team won its home game three to one on Saturday afternoon.</description></item>
</channel></rss>"""


def test_syndicated_copies_are_scanned_once_and_every_copy_keeps_its_row(server):
    urls = []
    for i, (site, host, date, extra) in enumerate([
            ("Herald", "herald.example", "Tue, 06 Jan 2026 10:00:00 GMT", ""),
            ("Wire", "wire.example", "Tue, 06 Jan 2026 08:00:00 GMT", ""),
            ("Gazette", "gazette.example", "Wed, 07 Jan 2026 08:00:00 GMT", ""),
            ("Courier", "courier.example", "Wed, 07 Jan 2026 09:00:00 GMT",
             " North Korea also shipped artillery shells by sea in March.")]):
        urls.append(server.route(f"/f{i}.xml", SYNDICATED.format(site=site, host=host, date=date, extra=extra)))
    res = scan(*urls, "-f", "json", "--fail-on", "high")
    assert res.exit_code == 1
    arts = json.loads(res.stdout)["articles"]
    assert len(arts) == 8                                      # count in = count out
    story = {a["url"]: a for a in arts if a["url"].endswith("/story")}
    # the Courier adds a paragraph: nothing holds all of its text, so it is scanned; the three
    # others add nothing the Courier lacks, so they are its copies and carry its result
    courier = story["https://courier.example/story"]
    assert courier["duplicate_of"] == "" and courier["copies"] == 3
    for host in ("wire", "herald", "gazette"):
        copy = story[f"https://{host}.example/story"]
        assert copy["duplicate_of"] == courier["id"]
        assert (copy["score"], copy["level"]) == (courier["score"], courier["level"]) and copy["score"] > 0
        assert {h["article_id"] for h in copy["hits"]} == {copy["id"]}
    assert sum(1 for a in arts if "football" in a["url"]) == 4  # different stories are not grouped
    assert "3 copies grouped" in res.stderr
    sarif = json.loads(scan(*urls, "-f", "sarif").stdout)
    assert any(r["properties"].get("copies") == 3 for r in sarif["runs"][0]["results"])
    csv_rows = scan(*urls, "-f", "csv").stdout.splitlines()
    assert csv_rows[0].endswith(",error,duplicate_of") and len(csv_rows) == 1 + 8
    res = scan(*urls, "-f", "json", "--no-dedupe")
    assert len(json.loads(res.stdout)["articles"]) == 8
