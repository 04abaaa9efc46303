"""HTTP(S) fetches for feeds and web pages: timeouts, retries with backoff, a clear User-Agent.

urllib3 (already required by trafilatura) gives connection pooling and a Retry policy that
honours Retry-After; we add a size cap so a hostile or broken server cannot exhaust memory, and
turn every failure into one readable sentence for the report's error row.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 20 * 1024 * 1024
RETRY_STATUSES = (408, 425, 429, 500, 502, 503, 504)


class FetchError(Exception):
    pass


@dataclass
class Fetched:
    url: str            # the final URL, after redirects
    data: bytes
    content_type: str


@dataclass
class FetchOptions:
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 0.5            # seconds; doubled on each retry (0.5, 1, 2, ...)
    user_agent: str = "flagger"
    max_bytes: int = MAX_BYTES
    max_retry_after: float = 30.0   # a server's Retry-After is honoured up to this many seconds


_POOLS: dict[tuple, object] = {}


def _pool(opts: FetchOptions):
    import urllib3

    key = (opts.user_agent,)
    pool = _POOLS.get(key)
    if pool is None:
        pool = _POOLS[key] = urllib3.PoolManager(
            headers={"User-Agent": opts.user_agent,
                     "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
                               "text/html;q=0.8, */*;q=0.5"},
            num_pools=16)
    return pool


def fetch(url: str, opts: FetchOptions | None = None) -> Fetched:
    import urllib3
    from urllib3.exceptions import HTTPError, MaxRetryError

    opts = opts or FetchOptions()
    retry = _retry_class(opts.max_retry_after)(total=opts.retries, connect=opts.retries, read=opts.retries, status=opts.retries,
                          backoff_factor=opts.backoff, status_forcelist=RETRY_STATUSES,
                          allowed_methods=frozenset({"GET"}), respect_retry_after_header=True,
                          raise_on_status=False, redirect=5)
    timeout = urllib3.Timeout(connect=min(opts.timeout, 10.0), read=opts.timeout)
    tries = opts.retries + 1
    try:
        resp = _pool(opts).request("GET", url, retries=retry, timeout=timeout, preload_content=False,
                                   decode_content=True)
    except MaxRetryError as exc:
        reason = exc.reason
        raise FetchError(f"{_describe(reason)} after {tries} tries") from None
    except HTTPError as exc:
        raise FetchError(_describe(exc)) from None
    try:
        if resp.status >= 400:
            raise FetchError(f"HTTP {resp.status} {resp.reason or ''}".strip()
                             + (f" after {tries} tries" if resp.status in RETRY_STATUSES else ""))
        chunks, size = [], 0
        for chunk in resp.stream(64 * 1024):
            size += len(chunk)
            if size > opts.max_bytes:
                raise FetchError(f"response larger than {opts.max_bytes:,} bytes, refused")
            chunks.append(chunk)
        final = resp.geturl() or url
        return Fetched(url=final if final.startswith(("http://", "https://")) else url, data=b"".join(chunks),
                       content_type=resp.headers.get("Content-Type", ""))
    except HTTPError as exc:
        raise FetchError(_describe(exc)) from None
    finally:
        resp.release_conn()


def _retry_class(cap: float):
    """urllib3's Retry with Retry-After capped: a server asking for an hour must not stall a CI job."""
    import urllib3

    class CappedRetry(urllib3.Retry):
        def get_retry_after(self, response):
            value = super().get_retry_after(response)
            return None if value is None else min(value, cap)

    return CappedRetry


def _describe(exc) -> str:
    from urllib3.exceptions import (
        ConnectTimeoutError,
        NameResolutionError,
        NewConnectionError,
        ProtocolError,
        ReadTimeoutError,
        ResponseError,
        SSLError,
    )

    if isinstance(exc, ConnectTimeoutError):
        return "connection timed out"
    if isinstance(exc, ReadTimeoutError):
        return "read timed out"
    if isinstance(exc, NameResolutionError):
        return "host name not found"
    if isinstance(exc, NewConnectionError):
        return "connection refused or unreachable"
    if isinstance(exc, SSLError):
        return f"TLS error ({exc})"
    if isinstance(exc, ResponseError):
        text = str(exc)
        if "too many" in text:
            import re

            m = re.search(r"too many (\d+) error responses", text)
            return f"HTTP {m.group(1)} (server kept failing)" if m else "server kept failing"
        return text
    if isinstance(exc, ProtocolError):
        return f"connection broken ({exc.args[0] if exc.args else exc})"
    return str(exc) or type(exc).__name__
