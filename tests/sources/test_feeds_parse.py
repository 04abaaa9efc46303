"""Feed and web-page readers: RSS 2.0, RSS 1.0, Atom, HTML pages, feed lists, and bad input."""

from __future__ import annotations

from pathlib import Path

from flagger.sources import read_inputs
from flagger.sources.feeds import fragment_text, looks_like_feed_list, parse_feed

FEEDS = Path(__file__).parent.parent / "fixtures" / "feeds"


def _read(*paths):
    return list(read_inputs([str(p) for p in paths]))


def test_rss2_entries_become_articles_with_title_link_date_source_and_plain_text():
    recs = _read(FEEDS / "rss2.xml")
    assert [r.id for r in recs] == ["wire-0001", "wire-0002", "wire-0003"]
    first = recs[0]
    assert first.title == "Rail cars carried shells north"
    assert first.url == "https://wire.example/2026/01/rail-shells"
    assert first.published == "2026-01-06T08:00:00Z"
    assert first.source == "Wire Service World"
    assert first.extra["guid"] == "wire-0001" and not first.error
    # the title leads the text (headlines carry evidence too); HTML is gone, paragraphs kept
    assert first.text.startswith("Rail cars carried shells north\n\n")
    assert "North Korea sent artillery shells to Russia" in first.text
    assert "<b>" not in first.text and "\nThe trains crossed" in first.text
    # content:encoded wins over description; scripts never reach the text
    assert "joint military exercise" in recs[1].text and "alert" not in recs[1].text


def test_rss1_and_atom():
    [rdf] = _read(FEEDS / "rss1.rdf")
    assert rdf.title == "Dealer network exposed" and rdf.url == "https://rdf.example/komid"
    assert rdf.published == "2026-01-05T12:00:00Z" and rdf.source == "RDF Monitor"
    assert "KOMID sold ammunition" in rdf.text
    sts, weather = _read(FEEDS / "atom.xml")
    assert sts.url == "https://atom.example/sts" and sts.source == "Coastal Watch"   # <source> of a syndicated entry
    assert weather.source == "Atom Observer"
    assert "ship-to-ship transfer of ammunition involved a DPRK tanker" in sts.text
    assert sts.published == "2026-01-09T18:30:02Z"


def test_html_page_is_reduced_to_its_main_text():
    [page] = _read(FEEDS / "article.html")
    assert not page.error
    assert page.title == "Rail cars carried shells north"
    assert "North Korea sent artillery shells to Russia by rail" in page.text
    # navigation, sidebar and footer are boilerplate, not evidence
    for boiler in ("Subscribe", "Most read", "Cookie settings", "ship-to-ship transfer guide"):
        assert boiler not in page.text
    assert page.source == "Daily Ledger" and page.published.startswith("2026-01-06")


def test_something_that_is_not_a_feed_is_an_error_row():
    [bad] = _read(FEEDS / "notafeed.xml")
    assert bad.error and "not an RSS/Atom feed" in bad.error


def test_broken_feed_bytes_never_raise():
    for data in (b"", b"\x00\x01\x02", b"<rss><channel><item><title>x", "<rss>é</rss>".encode("latin-1")):
        recs = parse_feed(data, "mem.xml")
        assert all(isinstance(r.error, str) for r in recs)


def test_feed_list_detection(tmp_path):
    assert looks_like_feed_list(b"# my feeds\nhttps://a.example/rss\n\nhttp://b.example/atom.xml\n")
    assert looks_like_feed_list(b"local/feed.xml\n")
    assert not looks_like_feed_list(b"North Korea shipped shells.\nhttps://a.example\n")
    assert not looks_like_feed_list(b"")
    lst = tmp_path / "feeds.txt"
    lst.write_text(f"# local feeds\n{FEEDS / 'rss2.xml'}\n{FEEDS / 'atom.xml'}\nmissing.xml\n")
    recs = _read(lst)
    assert len([r for r in recs if not r.error]) == 5
    [err] = [r for r in recs if r.error]
    assert "missing.xml" in err.error and ":4:" in err.error
    # an ordinary .txt article is still one article
    art = tmp_path / "note.txt"
    art.write_text("A note\n\nNothing about feeds here.\n")
    [one] = _read(art)
    assert one.title == "A note" and not one.error


def test_fragment_text():
    assert fragment_text("<p>a <b>b</b></p><p>c</p>") == "a b\nc"
    assert fragment_text("plain &amp; simple") == "plain & simple"
