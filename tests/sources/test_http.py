"""flagger.http against a local raw-socket server (127.0.0.1 only): the deadline per try, the size
cap, truncated bodies, retries with Retry-After, conditional GET, and what `lists update` makes of
a cut-off download. Every test takes at most a couple of seconds."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from flagger.entities.update import UPDATE_FETCH, Source, update_lists
from flagger.http import (
    Client,
    FetchError,
    FetchOptions,
    HTTPStatusError,
    TimedOut,
    TooLarge,
    Truncated,
    fetch,
)
from flagger.sources.feeds import read_url

UN_BYTES = (Path(__file__).parent.parent / "fixtures" / "lists" / "un" / "small.xml").read_bytes()
QUICK = FetchOptions(timeout=2.0, retries=0, backoff=0.01)


class RawServer:
    """Answers each request with a route function writing raw bytes to the socket; the function
    returns True to keep the connection open for the next request."""

    def __init__(self):
        self.routes = {}
        self.hits = Counter()
        self.headers: dict[str, list[dict[str, str]]] = {}
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}{path}"

    def route(self, path: str, answer) -> str:
        self.routes[path] = answer
        return self.url(path)

    def _accept(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket):
        conn.settimeout(10)
        buf = b""
        try:
            while True:
                while b"\r\n\r\n" not in buf:
                    more = conn.recv(4096)
                    if not more:
                        return
                    buf += more
                head, buf = buf.split(b"\r\n\r\n", 1)
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
                self.hits[path] += 1
                self.headers.setdefault(path, []).append(headers)
                answer = self.routes.get(path, not_found)
                if not answer(conn, self.hits[path], headers):
                    return
        except OSError:
            return
        finally:
            conn.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.listener.close()
        self.thread.join(2)


def response(status: str = "200 OK", body: bytes = b"", headers: dict | None = None, length: int | None = None) -> bytes:
    fields = {"Content-Type": "text/plain", "Content-Length": str(len(body) if length is None else length),
              **(headers or {})}
    head = "".join(f"{k}: {v}\r\n" for k, v in fields.items() if v is not None)
    return f"HTTP/1.1 {status}\r\n{head}\r\n".encode() + body


def not_found(conn, n, headers):
    conn.sendall(response("404 Not Found", b"no"))
    return True


def ok(body: bytes, **kw):
    def answer(conn, n, headers):
        conn.sendall(response(body=body, **kw))
        return True
    return answer


def reset(conn: socket.socket) -> None:
    """Close with a RST (SO_LINGER 0), as a crashed server or a middlebox does."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


@pytest.fixture
def server():
    with RawServer() as s:
        yield s


# --- the deadline ------------------------------------------------------------------------------

def drip(head: bytes, body: bytes, every: float):
    def answer(conn, n, headers):
        conn.sendall(head)
        for i in range(len(body)):
            conn.sendall(body[i:i + 1])
            time.sleep(every)
        return False
    return answer


def test_a_server_sending_a_byte_a_second_is_stopped_by_the_deadline(server):
    # each byte comes well inside the per-read timeout: only the deadline for the whole try stops it
    url = server.route("/drip", drip(response(length=600), b"x" * 600, every=1.0))
    t0 = time.perf_counter()
    with pytest.raises(TimedOut) as err:
        fetch(url, replace(QUICK, timeout=1.5))
    took = time.perf_counter() - t0
    assert 1.4 <= took < 2.5
    assert str(err.value) == f"{url}: timed out after 1.5s"
    assert server.hits["/drip"] == 1


def test_dripped_headers_and_chunked_bodies_meet_the_same_deadline(server):
    status_line = server.route("/head", drip(b"", b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 100, every=0.1))
    chunked = server.route("/chunks", drip(response(headers={"Content-Length": None, "Transfer-Encoding": "chunked"}),
                                           b"1\r\nx\r\n" * 100, every=0.05))
    for url in (status_line, chunked):
        t0 = time.perf_counter()
        with pytest.raises(TimedOut):
            fetch(url, replace(QUICK, timeout=0.6))
        assert time.perf_counter() - t0 < 1.5


def test_each_try_has_its_own_deadline_and_the_pool_survives_a_timeout(server):
    slow = server.route("/slow", drip(response(length=100), b"z" * 100, every=0.1))
    fast = server.route("/fast", ok(b"quick"))
    with Client(replace(QUICK, timeout=0.5, retries=1, backoff=0.01)) as client:
        t0 = time.perf_counter()
        with pytest.raises(TimedOut) as err:
            client.get(slow)
        assert 0.9 <= time.perf_counter() - t0 < 2.0 and server.hits["/slow"] == 2
        assert err.value.detail == "timed out after 0.5s, 2 tries"
        # kept-alive connections go on working, and no watchdog of an earlier try cuts them later
        for _ in range(3):
            assert client.get(fast).data == b"quick"
        time.sleep(0.6)
        assert client.get(fast).data == b"quick"


def test_read_url_turns_the_deadline_into_an_error_row(server):
    url = server.route("/drip.xml", drip(response(length=50), b"<" * 50, every=0.1))
    [rec] = read_url(url, replace(QUICK, timeout=0.5))
    assert rec.error == f"{url}: timed out after 0.5s"


# --- size cap ------------------------------------------------------------------------------------

def test_a_body_over_the_cap_is_refused(server):
    declared = server.route("/declared", ok(b"a" * 5000))
    chunked_body = b"".join(b"3e8\r\n" + b"b" * 1000 + b"\r\n" for _ in range(5)) + b"0\r\n\r\n"

    def chunked(conn, n, headers):
        conn.sendall(response(headers={"Content-Length": None, "Transfer-Encoding": "chunked"}) + chunked_body)
        return True

    undeclared = server.route("/undeclared", chunked)
    for url in (declared, undeclared):
        with pytest.raises(TooLarge) as err:
            fetch(url, replace(QUICK, max_bytes=1000, retries=2))
        assert str(err.value) == f"{url}: response larger than 1,000 bytes, refused"
    assert server.hits["/declared"] == 1 and server.hits["/undeclared"] == 1   # not retried
    assert fetch(undeclared, replace(QUICK, max_bytes=5000)).size == 5000        # at the cap is fine


# --- truncated bodies --------------------------------------------------------------------------

def test_a_body_shorter_than_its_content_length_is_truncated_and_retried(server):
    def short(conn, n, headers):
        if n <= 2:
            conn.sendall(response(body=b"x" * 500, length=1000))
            return False                                    # closes after 500 of 1,000 bytes
        conn.sendall(response(body=b"x" * 1000))
        return True

    url = server.route("/short", short)
    with pytest.raises(Truncated) as err:
        fetch(url, QUICK)
    assert str(err.value) == f"{url}: truncated response (500 of 1,000 bytes received)"
    got = fetch(url, replace(QUICK, retries=1))
    assert got.data == b"x" * 1000 and got.tries == 2 and server.hits["/short"] == 3


def test_a_close_delimited_body_cut_by_a_reset_is_truncated(server):
    def cut(conn, n, headers):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n" + b"y" * 300)
        time.sleep(0.1)
        reset(conn)
        return False

    def whole(conn, n, headers):
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + b"y" * 300)
        return False                                        # a clean close ends the body

    url = server.route("/cut", cut)
    with pytest.raises(Truncated) as err:
        fetch(url, QUICK)
    assert str(err.value).startswith(f"{url}: truncated response (the connection broke after 300 bytes")
    assert fetch(server.route("/whole", whole), QUICK).data == b"y" * 300


def cut_chunked(conn, n, headers):
    body = b"".join(b"100\r\n" + b"c" * 256 + b"\r\n" for _ in range(4))
    conn.sendall(response(headers={"Content-Length": None, "Transfer-Encoding": "chunked",
                                   "Content-Type": "application/xml"}) + body)
    return False                                            # no last chunk: the body is cut off


def test_a_chunked_body_cut_off_midway_is_a_clear_error(server):
    url = server.route("/chunked", cut_chunked)
    with pytest.raises(Truncated) as err:
        fetch(url, replace(QUICK, retries=1))
    assert str(err.value) == (f"{url}: truncated response (the chunked body was cut off after 1,024 bytes) "
                              "after 2 tries")
    [rec] = read_url(url, QUICK)
    assert rec.error.startswith(f"{url}: truncated response")


def test_lists_update_reports_a_cut_off_list_and_still_tries_the_others(server, tmp_path):
    old = tmp_path / "un" / "consolidated.xml"
    old.parent.mkdir()
    old.write_bytes(b"OLD CONTENT")
    sources = [Source("un", server.route("/un.xml", cut_chunked), "un/consolidated.xml"),
               Source("gone", server.url("/missing.xml"), "gone/missing.xml"),
               Source("un-copy", server.route("/copy.xml", ok(UN_BYTES, headers={"Content-Type": "application/xml"})),
                      "copy/consolidated.xml")]
    seen = []
    result = update_lists(sources, tmp_path, fetch=replace(UPDATE_FETCH, timeout=2.0, retries=0), on_list=seen.append)
    assert [u.status for u in result.lists] == ["failed", "failed", "updated"] and seen == list(result.lists)
    assert "truncated response" in result.lists[0].error and "/un.xml" in result.lists[0].error
    assert result.lists[0].error.endswith("(kept the previous file)") and old.read_bytes() == b"OLD CONTENT"
    assert "HTTP 404" in result.lists[1].error and result.lists[1].error.endswith("(kept the previous file; none yet)")
    assert (tmp_path / "copy" / "consolidated.xml").read_bytes() == UN_BYTES and not result.ok
    assert [p for p in tmp_path.rglob("*") if p.name.endswith(".part")] == []


# --- retries -------------------------------------------------------------------------------------

def test_503_with_retry_after_is_retried_after_the_wait_the_server_asked_for(server):
    def busy(conn, n, headers):
        if n == 1:
            conn.sendall(response("503 Service Unavailable", b"busy", headers={"Retry-After": "1"}))
        else:
            conn.sendall(response(body=b"ready"))
        return True

    url = server.route("/busy", busy)
    waits = []
    t0 = time.perf_counter()
    got = Client(replace(QUICK, retries=2, backoff=0.0)).get(url, on_retry=lambda n, delay, err: waits.append(
        (n, delay, err.detail)))
    assert got.data == b"ready" and got.tries == 2 and server.hits["/busy"] == 2
    assert waits == [(1, 1.0, "HTTP 503 Service Unavailable")]
    assert 0.95 <= time.perf_counter() - t0 < 2.0


def test_retries_back_off_and_a_client_error_is_not_retried(server):
    def down(conn, n, headers):
        conn.sendall(response("502 Bad Gateway", b"down"))
        return True

    url = server.route("/down", down)
    waits = []
    with pytest.raises(HTTPStatusError) as err:
        Client(replace(QUICK, retries=2, backoff=0.05)).get(url, on_retry=lambda n, d, e: waits.append(d))
    assert waits == [0.05, 0.1] and err.value.status == 502
    assert str(err.value) == f"{url}: HTTP 502 Bad Gateway after 3 tries"
    with pytest.raises(HTTPStatusError) as err:
        fetch(server.url("/nope"), replace(QUICK, retries=3))
    assert err.value.status == 404 and server.hits["/nope"] == 1 and err.value.tries == 1


def test_connection_refused_names_the_url():
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x"
    with pytest.raises(FetchError) as err:
        fetch(url, replace(QUICK, retries=1))
    assert str(err.value) == f"{url}: connection refused or unreachable after 2 tries"


# --- conditional GET, headers, redirects ---------------------------------------------------------

def test_conditional_get_and_304(server):
    def versioned(conn, n, headers):
        if headers.get("If-None-Match") == '"v2"' or headers.get("If-Modified-Since") == "Fri, 27 Nov 2026 10:00:00 GMT":
            conn.sendall(b"HTTP/1.1 304 Not Modified\r\nETag: \"v2\"\r\n\r\n")
        else:
            conn.sendall(response(body=b"list", headers={"ETag": '"v2"', "Last-Modified": "Fri, 27 Nov 2026 10:00:00 GMT"}))
        return True

    url = server.route("/list", versioned)
    with Client(QUICK) as client:
        first = client.get(url)
        assert (first.status, first.data, first.etag, first.last_modified) == (
            200, b"list", '"v2"', "Fri, 27 Nov 2026 10:00:00 GMT")
        assert client.get(url, etag=first.etag).not_modified
        assert client.get(url, last_modified=first.last_modified).not_modified
        assert not client.get(url, etag='"v1"').not_modified
    sent = server.headers["/list"]
    assert sent[1]["If-None-Match"] == '"v2"' and "If-None-Match" not in sent[0]
    assert all(h["User-Agent"] == "flagger" for h in sent)


def test_redirects_give_the_final_url(server):
    target = server.route("/final", ok(b"here"))

    def moved(conn, n, headers):
        conn.sendall(response("301 Moved Permanently", b"", headers={"Location": "/final"}))
        return True

    got = fetch(server.route("/old", moved), QUICK)
    assert got.url == target and got.data == b"here"


def test_a_sink_gets_the_body_and_is_emptied_before_a_retry(server, tmp_path):
    def flaky(conn, n, headers):
        if n == 1:
            conn.sendall(response(body=b"partial", length=100))
            return False
        conn.sendall(response(body=b"complete"))
        return True

    url = server.route("/flaky", flaky)
    with open(tmp_path / "out", "wb") as sink:
        got = fetch(url, replace(QUICK, retries=1), sink=sink)
    assert got.data == b"" and got.size == 8 and (tmp_path / "out").read_bytes() == b"complete"


def test_options_are_checked():
    with pytest.raises(ValueError):
        FetchOptions(timeout=0)
    with pytest.raises(ValueError):
        FetchOptions(retries=-1)


def test_proxies_from_the_environment_are_used_as_urllib_did(server, monkeypatch):
    # the local server plays the proxy: it gets the absolute URL on the request line
    server.route("http://lists.example/un.xml", ok(b"via proxy"))
    for name in ("http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", server.url(""))
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with Client(QUICK) as client:
        assert client.get("http://lists.example/un.xml").data == b"via proxy"
        assert client.get(server.route("/direct", ok(b"direct"))).data == b"direct"   # NO_PROXY
    assert server.hits["http://lists.example/un.xml"] == 1 and server.hits["/direct"] == 1


# --- issue 17, case 8: the deadline seen from the command line --------------------------------------

def test_scan_url_timeout_bounds_the_whole_fetch_not_each_read(server):
    """A byte every 0.3 s never trips a per-read timeout; `--timeout 1` still ends the fetch, as an
    error row (exit 3), not minutes later."""
    from click.testing import CliRunner

    from flagger.cli import main

    url = server.route("/drip.xml", drip(response(length=400, headers={"Content-Type": "application/rss+xml"}),
                                         b"<" * 400, every=0.3))
    res = CliRunner().invoke(main, ["scan", "--no-config", "--no-default-entities", "-f", "csv", "--timeout", "1",
                                    "--retries", "0", url], catch_exceptions=False)
    assert res.exit_code == 3
    assert f"{url}: timed out after 1s" in res.stdout
    assert server.hits["/drip.xml"] == 1


def test_lists_update_timeout_bounds_the_whole_download(server, tmp_path):
    from click.testing import CliRunner

    from flagger.cli import main

    url = server.route("/sdn.xml", drip(response(length=400), b"<" * 400, every=0.3))
    res = CliRunner().invoke(main, ["lists", "update", "--url", f"un={url}", "--only", "un", "--dest",
                                    str(tmp_path), "--timeout", "1", "--retries", "0"], catch_exceptions=False)
    assert res.exit_code != 0
    assert "timed out after 1s" in res.output


# --- issue 17, case 9: a list cut cleanly at a line boundary ----------------------------------------

def _targets_csv(rows: int) -> bytes:
    head = (b"id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,program_ids,"
            b"dataset,first_seen,last_seen,last_change\n")
    return head + b"".join(f"t-{i},Company,Harbour Trading {i} Ltd,,,kp,,,UN 1718,,,UN-SC1718,Test list,,,\n".encode()
                           for i in range(rows))


def close_delimited(body: bytes):
    def answer(conn, n, headers):
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/csv\r\n\r\n" + body)
        return False                                        # the close ends the body: HTTP sees no cut
    return answer


def test_lists_update_refuses_a_list_that_lost_more_than_half_its_entries(server, tmp_path):
    """A close-delimited response cut cleanly after a line is valid HTTP and valid CSV: the entry
    count against the previous file is what tells (before: 2,000 -> 1,009 entries, exit 0)."""
    old = tmp_path / "os" / "targets.simple.csv"
    old.parent.mkdir()
    old.write_bytes(_targets_csv(200))
    cut = Source("os", server.route("/cut.csv", close_delimited(_targets_csv(200)[:4000].rsplit(b"\n", 1)[0] + b"\n")),
                 "os/targets.simple.csv")
    result = update_lists([cut], tmp_path, fetch=replace(UPDATE_FETCH, timeout=2.0, retries=0))
    [update] = result.lists
    assert update.status == "failed" and "entries, the previous file 200" in update.error
    assert "lost more than 50% of its entries" in update.error and old.read_bytes() == _targets_csv(200)
    grown = Source("os", server.route("/ok.csv", close_delimited(_targets_csv(150))), "os/targets.simple.csv")
    [update] = update_lists([grown], tmp_path, fetch=replace(UPDATE_FETCH, timeout=2.0, retries=0)).lists
    assert update.status == "updated" and old.read_bytes() == _targets_csv(150)    # a 25% drop is a list change
