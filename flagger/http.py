"""flagger's one HTTP client: feeds and web pages (flagger.sources.feeds) and the official list
downloads of `flagger lists update` (flagger.entities.update) both fetch through it.

* urllib3 underneath: connection pooling (one `Client` per scan or per update run, shared by its
  threads), TLS, up to 5 redirects. urllib3 loads on first use, not when flagger starts.
* One deadline per try, `timeout` seconds, for all of it: connecting, the headers and the whole
  body. Socket timeouts only bound each read, so a server that sends a byte a second would pass
  them for hours; here a watchdog shuts the try's socket down when the deadline passes (the body
  is read in chunks and the deadline checked between them too), and the try fails with TimedOut.
  A fetch therefore takes at most (retries + 1) x timeout plus the waits between tries.
  (A DNS lookup cannot be interrupted; the system resolver's own timeout bounds it.)
* Retries, up to `retries` more tries, after connection failures, timeouts, truncated bodies and
  the answers 408, 425, 429 and 5xx: waiting backoff x 1, 2, 4 ... seconds, or what the server's
  Retry-After asks, capped at `max_retry_after` (a server asking for an hour must not stall CI).
* A body larger than `max_bytes` (after decompression: a gzip bomb is refused too) is refused,
  never truncated. A body shorter than its Content-Length, a chunked body cut off before its last
  chunk, or a connection reset mid-body is an error (Truncated), never a short success.
* Conditional GET: `etag=` / `last_modified=` send If-None-Match / If-Modified-Since; a 304
  answer comes back as a Response whose `not_modified` is true.

Every failure raises a FetchError (a FlaggerError) whose str() is "URL: reason" (with the number
of tries when there were several); its subclass says which kind of failure it was.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import BinaryIO
from urllib.parse import urljoin, urlsplit

from flagger.errors import FlaggerError

MAX_BYTES = 20 * 1024 * 1024
CONNECT_TIMEOUT = 10.0         # seconds; a host that takes longer to accept is tried again (or given up)
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
RETRY_STATUSES = frozenset({408, 425, 429})   # and every 5xx


def retried_status(status: int) -> bool:
    """An answer that may go away if asked again: 408, 425, 429 and 5xx."""
    return status in RETRY_STATUSES or status >= 500


@dataclass(frozen=True)
class FetchOptions:
    """How to fetch: a value, passed down to whatever fetches (no module-level settings)."""

    timeout: float = 20.0           # seconds for a whole try: connect, headers and body
    retries: int = 3                # tries after the first
    backoff: float = 0.5            # seconds before the first retry; doubled on each (0.5, 1, 2, ...)
    user_agent: str = "flagger"
    max_bytes: int = MAX_BYTES      # a larger body is refused
    max_retry_after: float = 30.0   # a server's Retry-After is honoured up to this many seconds

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise ValueError(f"timeout must be more than 0 seconds, not {self.timeout!r}")
        if self.retries < 0:
            raise ValueError(f"retries must be 0 or more, not {self.retries!r}")
        if self.backoff < 0 or self.max_retry_after < 0:
            raise ValueError("backoff and max_retry_after must be 0 or more")
        if self.max_bytes < 0:
            raise ValueError(f"max_bytes must be 0 or more, not {self.max_bytes!r}")


@dataclass(frozen=True)
class Response:
    url: str                        # the final URL, after redirects
    status: int                     # 2xx, or 304 when a conditional GET found nothing new
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    data: bytes = b""               # the body; empty when it was written to a sink
    size: int = 0                   # bytes of body (decompressed)
    tries: int = 1

    @property
    def not_modified(self) -> bool:
        return self.status == 304


# -- errors --------------------------------------------------------------------------------------

class FetchError(FlaggerError):
    """A URL could not be fetched. str() is "URL: reason"; `detail` is the reason without the URL."""

    def __init__(self, url: str, reason: str, tries: int = 1):
        self.url = url
        self.reason = reason
        self.tries = tries
        super().__init__(f"{url}: {self.detail}")

    @property
    def detail(self) -> str:
        return f"{self.reason} after {self.tries} tries" if self.tries > 1 else self.reason


class TimedOut(FetchError):
    """The try's deadline passed (connecting, waiting for the headers or reading the body)."""

    @property
    def detail(self) -> str:
        return f"{self.reason}, {self.tries} tries" if self.tries > 1 else self.reason


class TooLarge(FetchError):
    """The body is larger than FetchOptions.max_bytes; it was not read to the end."""


class Truncated(FetchError):
    """The body ended early: shorter than its Content-Length, a chunked body cut off, a reset."""


class ConnectionFailed(FetchError):
    """No answer: the host name is unknown, the connection was refused or broken, TLS failed."""


class HTTPStatusError(FetchError):
    """The server answered with an error status (4xx, 5xx)."""

    def __init__(self, url: str, reason: str, tries: int = 1, status: int = 0):
        self.status = status
        super().__init__(url, reason, tries)


class _Failure(Exception):
    """One try's failure, made into the public FetchError once the number of tries is known."""

    def __init__(self, kind: type[FetchError], reason: str, *, retry: bool = True, status: int = 0,
                 retry_after: float | None = None):
        super().__init__(reason)
        self.kind, self.reason, self.retry, self.status, self.retry_after = kind, reason, retry, status, retry_after

    def error(self, url: str, tries: int) -> FetchError:
        if self.kind is HTTPStatusError:
            return HTTPStatusError(url, self.reason, tries, status=self.status)
        return self.kind(url, self.reason, tries)


# -- the deadline watchdog ---------------------------------------------------------------------

class _Try:
    """The sockets one try uses; `expire` (the watchdog, on its own thread) shuts them down, which
    wakes a read blocked in the fetching thread. After `finish` nothing is shut down any more: the
    connection goes back to the pool and may serve another try."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._done = False
        self.expired = False

    def track(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if self._done:
                return
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def finish(self) -> bool:
        """Stop watching; True when the deadline had passed."""
        with self._lock:
            self._done = True
            self._sockets.clear()
            return self.expired


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):          # already closed: nothing left to wake
        sock.shutdown(socket.SHUT_RDWR)


def _watched_pool_classes(track: Callable[[socket.socket | None], None]) -> dict[str, type]:
    """urllib3 connection pools whose connections report their socket to `track` when they connect
    and before each request (a pooled connection is reused without connecting again)."""
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    def watched(base: type) -> type:
        class Watched(base):
            def connect(self) -> None:
                super().connect()
                track(self.sock)

            def request(self, *args, **kwargs):
                track(self.sock)
                return super().request(*args, **kwargs)

        Watched.__name__ = Watched.__qualname__ = f"Watched{base.__name__}"
        return Watched

    return {"http": type("WatchedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": watched(HTTPConnection)}),
            "https": type("WatchedHTTPSConnectionPool", (HTTPSConnectionPool,),
                          {"ConnectionCls": watched(HTTPSConnection)})}


# -- the client ----------------------------------------------------------------------------------

class Client:
    """Pooled connections and the fetch options; safe to share between threads. Close it (or use
    it as a context manager) when done."""

    def __init__(self, options: FetchOptions | None = None, *, max_connections_per_host: int = 8):
        import urllib.request

        import urllib3  # start-up: urllib3 (and ssl, http.client) load only when something is fetched

        options = options if options is not None else FetchOptions()
        self.options = options
        self._local = threading.local()          # the try running on each thread
        self._pool_size = max_connections_per_host
        self._manager = self._watched(urllib3.PoolManager(num_pools=16, maxsize=max_connections_per_host))
        # Proxies as urllib (and so the old `lists update`) finds them: HTTP(S)_PROXY and NO_PROXY in
        # the environment, or the system's settings on macOS and Windows.
        self._proxies = urllib.request.getproxies()
        self._via_proxy: dict[str, object] = {}  # proxy URL -> its urllib3.ProxyManager
        self._lock = threading.Lock()
        self._redirects = urllib3.Retry(total=None, connect=0, read=0, status=0, other=0, redirect=MAX_REDIRECTS,
                                        raise_on_redirect=True, raise_on_status=False,
                                        respect_retry_after_header=False)
        self._timeout = urllib3.Timeout(connect=min(options.timeout, CONNECT_TIMEOUT), read=options.timeout)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._manager.clear()
        with self._lock:
            for manager in self._via_proxy.values():
                manager.clear()

    def _watched(self, manager):
        manager.pool_classes_by_scheme = _watched_pool_classes(self._track)
        return manager

    def _manager_for(self, url: str):
        """The pool manager for `url`: direct, or through the proxy that urllib would use for it."""
        import urllib.request

        import urllib3

        if not self._proxies:
            return self._manager
        try:
            parts = urlsplit(url)
            host = parts.hostname
        except ValueError:                   # not a URL: urllib3 says so (LocationValueError)
            return self._manager
        proxy = self._proxies.get(parts.scheme.lower())
        if not proxy or not host or urllib.request.proxy_bypass(host):
            return self._manager
        with self._lock:
            manager = self._via_proxy.get(proxy)
            if manager is None:
                try:
                    manager = urllib3.ProxyManager(proxy, num_pools=16, maxsize=self._pool_size)
                except ValueError as exc:    # e.g. socks5://, which urllib did not support either
                    raise _Failure(ConnectionFailed, f"cannot use the proxy {proxy} ({exc})", retry=False) from None
                manager = self._via_proxy[proxy] = self._watched(manager)
        return manager

    def _track(self, sock: socket.socket | None) -> None:
        current = getattr(self._local, "try_", None)
        if current is not None:
            current.track(sock)

    def get(self, url: str, *, headers: Mapping[str, str] | None = None, etag: str | None = None,
            last_modified: str | None = None, sink: BinaryIO | None = None,
            on_retry: Callable[[int, float, FetchError], None] | None = None) -> Response:
        """GET `url`, retrying as FetchOptions says; FetchError when it cannot.

        `etag` / `last_modified` make it a conditional GET (a 304 answer: Response.not_modified).
        With `sink` (a seekable binary file) the body is written there instead of kept in memory;
        it is emptied again before each retry. `on_retry(number, delay, error)` is called before
        each retry (number 1, 2, ...; error: what went wrong with the try before)."""
        opts = self.options
        sent = {"User-Agent": opts.user_agent, **(headers or {})}
        if etag:
            sent["If-None-Match"] = etag
        if last_modified:
            sent["If-Modified-Since"] = last_modified
        conditional = bool(etag or last_modified)
        tries = 0
        while True:
            tries += 1
            if sink is not None and tries > 1:
                sink.seek(0)
                sink.truncate()
            try:
                got = self._try(url, sent, conditional, sink)
            except _Failure as failure:
                if not failure.retry or tries > opts.retries:
                    raise failure.error(url, tries) from None
                delay = failure.retry_after if failure.retry_after else opts.backoff * 2 ** (tries - 1)
                if on_retry is not None:
                    on_retry(tries, delay, failure.error(url, 1))
                time.sleep(delay)
                continue
            return replace(got, tries=tries)

    # -- one try --------------------------------------------------------------------------------
    def _try(self, url: str, headers: dict[str, str], conditional: bool, sink: BinaryIO | None) -> Response:
        from urllib3.exceptions import HTTPError, LocationValueError

        opts = self.options
        current = _Try()
        self._local.try_ = current
        deadline = time.monotonic() + opts.timeout
        watchdog = threading.Timer(opts.timeout, current.expire)
        watchdog.daemon = True
        watchdog.start()
        resp = None
        complete = False
        try:
            try:
                resp = self._manager_for(url).request("GET", url, headers=headers, retries=self._redirects,
                                             timeout=self._timeout, preload_content=False, decode_content=True)
            except LocationValueError as exc:
                raise _Failure(FetchError, f"not a URL flagger can fetch ({exc})", retry=False) from None
            except HTTPError as exc:
                raise self._request_failure(exc, current) from None
            got = self._answer(resp, url, conditional, sink, current, deadline)
            watchdog.cancel()
            if current.finish():
                raise self._timed_out()
            complete = True
            return got
        finally:
            watchdog.cancel()
            current.finish()
            self._local.try_ = None
            if resp is not None:
                if not complete:
                    resp.close()             # never pool a connection with a half-read body
                resp.release_conn()

    def _answer(self, resp, url: str, conditional: bool, sink: BinaryIO | None, current: _Try,
                deadline: float) -> Response:
        from http.client import HTTPException

        from urllib3.exceptions import HTTPError

        opts = self.options
        final = resp.geturl() or url
        history = resp.retries.history if resp.retries is not None else ()
        if history and history[-1].url:       # a Location may be relative to the URL that redirected
            final = urljoin(history[-1].url, final)
        final = final if final.startswith(("http://", "https://")) else url
        ctype = resp.headers.get("Content-Type", "")
        etag, modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
        if resp.status == 304 and conditional:
            return Response(url=final, status=304, content_type=ctype, etag=etag, last_modified=modified)
        if resp.status >= 400:
            retry = retried_status(resp.status)
            raise _Failure(HTTPStatusError, f"HTTP {resp.status} {resp.reason or ''}".strip(), retry=retry,
                           status=resp.status, retry_after=self._retry_after(resp) if retry else None)
        length = resp.length_remaining          # the Content-Length (bytes on the wire), None if not given
        if length is not None and length > opts.max_bytes:
            raise self._too_large()
        chunks: list[bytes] = []
        size = 0
        # read1 returns what has arrived (up to CHUNK) instead of waiting for a full CHUNK: the size
        # and deadline checks see every piece, and a cut-off body says how much did arrive
        read = getattr(resp, "read1", None) or resp.read      # read1: urllib3 >= 2.3
        while True:
            try:
                chunk = read(CHUNK)
            except (HTTPError, HTTPException, OSError) as exc:
                raise self._body_failure(exc, resp, size, length, current) from None
            if not chunk:
                break
            size += len(chunk)
            if size > opts.max_bytes:
                raise self._too_large()
            if sink is not None:
                sink.write(chunk)
            else:
                chunks.append(chunk)
            if time.monotonic() > deadline:
                current.expire()
                raise self._timed_out()
        if current.expired:                      # the watchdog cut a body that ends where the connection does
            raise self._timed_out()
        if length is not None and resp.tell() < length:   # urllib3 checks this too; the check is cheap
            raise _Failure(Truncated, f"truncated response ({resp.tell():,} of {length:,} bytes received)")
        return Response(url=final, status=resp.status, content_type=ctype, etag=etag, last_modified=modified,
                        data=b"".join(chunks), size=size)

    # -- what went wrong ------------------------------------------------------------------------
    def _timed_out(self) -> _Failure:
        return _Failure(TimedOut, f"timed out after {self.options.timeout:g}s")

    def _too_large(self) -> _Failure:
        return _Failure(TooLarge, f"response larger than {self.options.max_bytes:,} bytes, refused", retry=False)

    def _request_failure(self, exc: Exception, current: _Try) -> _Failure:
        """A failure before the headers arrived (urllib3 wraps it in MaxRetryError)."""
        import ssl

        from urllib3.exceptions import (
            ConnectTimeoutError,
            MaxRetryError,
            NameResolutionError,
            NewConnectionError,
            ProtocolError,
            ReadTimeoutError,
            ResponseError,
            SSLError,
        )

        reason = exc.reason if isinstance(exc, MaxRetryError) and exc.reason is not None else exc
        if current.expired or isinstance(reason, ReadTimeoutError):
            return self._timed_out()
        # NewConnectionError is a ConnectTimeoutError (urllib3 keeps it so): test it first
        if isinstance(reason, NameResolutionError):
            return _Failure(ConnectionFailed, "host name not found")
        if isinstance(reason, NewConnectionError):
            return _Failure(ConnectionFailed, "connection refused or unreachable")
        if isinstance(reason, ConnectTimeoutError):
            return _Failure(TimedOut, f"timed out after {min(self.options.timeout, CONNECT_TIMEOUT):g}s "
                                      "while connecting")
        if isinstance(reason, SSLError):
            cause = reason.args[0] if reason.args else None
            return _Failure(ConnectionFailed, f"TLS error ({_short(cause or reason)})",
                            retry=not isinstance(cause, ssl.SSLCertVerificationError))
        if isinstance(reason, ResponseError):
            text = str(reason)
            return _Failure(FetchError, "too many redirects" if "redirect" in text else text, retry=False)
        if isinstance(reason, ProtocolError):
            detail = reason.args[-1] if reason.args else reason
            return _Failure(ConnectionFailed, f"connection broken ({_short(detail)})")
        return _Failure(ConnectionFailed, _short(reason))

    def _body_failure(self, exc: Exception, resp, size: int, length: int | None, current: _Try) -> _Failure:
        """A failure while reading the body: the deadline, a body that cannot be decoded, or one cut short."""
        from urllib3.exceptions import DecodeError, ReadTimeoutError

        if current.expired or isinstance(exc, ReadTimeoutError):
            return self._timed_out()
        if isinstance(exc, DecodeError):
            return _Failure(FetchError, f"cannot decode the response body ({_short(exc)})", retry=False)
        if length is not None:
            return _Failure(Truncated, f"truncated response ({resp.tell():,} of {length:,} bytes received)")
        if resp.chunked:
            return _Failure(Truncated, f"truncated response (the chunked body was cut off after {size:,} bytes)")
        return _Failure(Truncated, f"truncated response (the connection broke after {size:,} bytes: "
                                   f"{_short(exc.args[-1] if exc.args else exc)})")

    def _retry_after(self, resp) -> float | None:
        """The server's Retry-After in seconds, capped at max_retry_after; None if absent or unreadable."""
        import urllib3
        from urllib3.exceptions import InvalidHeader

        value = resp.headers.get("Retry-After")
        if not value:
            return None
        try:
            seconds = urllib3.Retry(0).parse_retry_after(value)
        except (InvalidHeader, ValueError, OverflowError):
            return None
        return min(max(seconds, 0.0), self.options.max_retry_after)


def _short(what) -> str:
    text = str(what) or type(what).__name__
    return text if len(text) <= 200 else text[:197] + "..."


DEFAULT_FETCH = FetchOptions()


def fetch(url: str, options: FetchOptions = DEFAULT_FETCH, **kwargs) -> Response:
    """One GET with a client of its own (see Client.get for the keyword arguments)."""
    with Client(options) as client:
        return client.get(url, **kwargs)
