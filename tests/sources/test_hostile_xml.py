"""XML list files and feeds: entity expansion (billion laughs) and external entities (XXE) are
refused or left unexpanded, never expanded, and nothing is fetched."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from flagger.errors import EntityListError

XML = Path(__file__).parent.parent / "fixtures" / "hostile" / "xml"


@pytest.fixture()
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


CASES = [
    ("billion_laughs_un.xml", "un-xml", "entity declaration 'lol'"),
    ("billion_laughs_un.xml", "ofac-xml", "entity declaration"),
    ("xxe_un.xml", "un-xml", "external entity (XXE) 'xxe'"),
    ("xxe_un.xml", "ofac-xml", "external entity (XXE)"),
    ("xxe_parameter_entity.xml", "ofac-xml", "external entity (XXE) 'remote'"),
    ("xxe_parameter_entity.xml", "un-xml", "XXE"),
]


@pytest.mark.parametrize("name,fmt,needle", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_entity_list_xml_attacks_are_refused(name, fmt, needle, no_network):
    from flagger.entities.formats import read_entities

    t0 = time.perf_counter()
    with pytest.raises(EntityListError) as info:
        read_entities(XML / name, format=fmt)
    assert time.perf_counter() - t0 < 10
    assert needle in str(info.value) and "refused" in str(info.value)
    assert str(XML / name) in str(info.value)


def test_external_dtd_is_not_fetched(no_network):
    from flagger.entities.formats import read_entities

    frame = read_entities(XML / "external_dtd.xml", format="un-xml")
    assert frame.height == 0


def test_auto_detected_format_is_refused_too(no_network):
    from flagger.entities.formats import read_entities

    with pytest.raises(EntityListError, match="refused"):
        read_entities(XML / "xxe_un.xml")


def test_cli_scan_with_a_hostile_entity_list_exits_2(fixtures):
    from click.testing import CliRunner

    from flagger.cli import main

    res = CliRunner().invoke(main, ["scan", str(fixtures / "articles" / "arms.txt"), "--entities",
                                    str(XML / "xxe_un.xml"), "--no-config"])
    assert res.exit_code == 2 and "refused" in res.output


@pytest.mark.parametrize("name", ["billion_laughs_feed.rss", "xxe_feed.rss"])
def test_feed_files_do_not_expand_entities(name, no_network):
    """Feeds go through the feed reader (feedparser): whatever it returns, the entity is not
    expanded and /etc/passwd is not read into an article."""
    feeds = pytest.importorskip("flagger.sources.feeds")
    pytest.importorskip("feedparser")
    t0 = time.perf_counter()
    records = feeds.read_feed_file(str(XML / name), (XML / name).read_bytes())
    assert time.perf_counter() - t0 < 10
    for r in records:
        assert len(r.text) < 10_000, "entity was expanded"
        assert "root:" not in r.text
