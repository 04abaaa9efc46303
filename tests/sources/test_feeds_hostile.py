"""Hostile feeds and servers: entities, oversized and compressed responses, markup injection."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

from flagger.http import FetchOptions
from flagger.sources.feeds import parse_feed, read_url

FIXTURES = Path(__file__).parent.parent / "fixtures"
sys.path.insert(0, str(FIXTURES / "feeds"))
from feedserver import FeedServer  # noqa: E402

LAUGHS = "".join(f'<!ENTITY l{i + 1} "' + f"&l{i};" * 10 + '">' for i in range(8))
HOSTILE = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY l0 "lol">{LAUGHS}]>
<rss version="2.0"><channel><title>t</title>
<item><title>secret &xxe;</title><link>https://x.example/1</link><description>&l8;</description></item>
</channel></rss>"""


def test_external_entities_and_entity_expansion_are_not_resolved():
    recs = parse_feed(HOSTILE.encode(), "hostile.xml")
    text = " ".join(r.title + r.text + r.error for r in recs)
    assert "root:" not in text                      # /etc/passwd never read
    assert len(text) < 10_000                       # no billion-laughs expansion


def test_oversized_and_decompression_bomb_responses_are_refused():
    with FeedServer() as server:
        big = server.route("/big.xml", b"<rss>" + b" " * 50_000 + b"</rss>")
        [rec] = read_url(big, FetchOptions(retries=0, max_bytes=10_000))
        assert "larger than 10,000 bytes" in rec.error
        bomb = gzip.compress(b"<rss>" + b"A" * 5_000_000 + b"</rss>")
        url = server.route("/bomb.xml", bomb, "application/rss+xml")
        # served with Content-Encoding: gzip, the decompressed size is what counts
        orig = server.httpd.RequestHandlerClass._send

        def send(self, status, body, ctype):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        server.httpd.RequestHandlerClass._send = send
        try:
            [rec] = read_url(url, FetchOptions(retries=0, max_bytes=1_000_000))
        finally:
            server.httpd.RequestHandlerClass._send = orig
        assert "larger than 1,000,000 bytes" in rec.error


def test_script_and_markup_in_entries_never_reach_the_text():
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>A &lt;b&gt;bold&lt;/b&gt; title</title>
    <description>&lt;script&gt;steal()&lt;/script&gt;&lt;p onclick="x()"&gt;Body &amp;amp; more&lt;/p&gt;&lt;style&gt;p{}&lt;/style&gt;</description>
    </item></channel></rss>"""
    [rec] = parse_feed(feed, "x.xml")
    assert "steal" not in rec.text and "onclick" not in rec.text and "p{}" not in rec.text
    assert "Body & more" in rec.text


def test_retry_after_is_honoured_but_capped():
    import time

    with FeedServer() as server:
        handler = server.httpd.RequestHandlerClass
        orig = handler._send

        def send(self, status, body, ctype):
            self.send_response(status)
            self.send_header("Retry-After", "3600")          # "come back in an hour"
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        handler._send = send
        try:
            url = server.route("/busy.xml", "busy", "text/plain", status=503)
            t0 = time.perf_counter()
            [rec] = read_url(url, FetchOptions(retries=2, max_retry_after=0.3))
        finally:
            handler._send = orig
    took = time.perf_counter() - t0
    assert "HTTP 503" in rec.error and "after 3 tries" in rec.error and server.hits("/busy.xml") == 3
    assert 0.5 <= took < 5
