"""Feeds and web articles as inputs: RSS 0.9x/1.0/2.0 and Atom files or URLs, feed lists, HTML pages.

* Feeds are parsed by feedparser (never by hand): it handles every RSS/Atom dialect, broken
  encodings and relative links, and sanitises embedded HTML. It is always given bytes, never a
  URL or a path, so it never fetches anything itself.
* HTML is reduced to text by trafilatura for whole pages (main-text extraction: navigation,
  footers and cookie banners do not become evidence) and by lxml for the small HTML fragments
  of feed summaries (trafilatura discards fragments too short to look like an article).
  trafilatura over selectolax/BeautifulSoup: those only parse; boilerplate removal would have to
  be written by hand, and on news pages boilerplate is exactly where false positives hide.
* Network fetches go through flagger.http (one deadline per try, retries with backoff, a size
  cap, truncation checks). How to fetch (timeout, retries, User-Agent) is a FetchOptions value
  passed in, normally ReadOptions.fetch; a feed list shares one pooled Client among its feeds.

Every feed or page that cannot be fetched or parsed becomes one Record with `error` set.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from flagger.http import DEFAULT_FETCH, Client, FetchError, FetchOptions
from flagger.model import Record
from flagger.sources.decode import DecodeFailure, decode_bytes

FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
HTML_SUFFIXES = (".html", ".htm")
MAX_WORKERS = 8
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)

def is_url(item: str) -> bool:
    return bool(_URL.match(item.strip()))


# -- HTML to text -------------------------------------------------------------------------------
_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre", "section",
           "article", "header", "footer", "table", "ul", "ol", "figcaption")


# libxml2 (under lxml and trafilatura) stops building the tree past 255 nested elements: text
# deeper than that is dropped without an error. Markup nested this deep is read by `flat_text`.
DEEP_NESTING = 240
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"))
_HIDDEN = frozenset(("script", "style", "noscript", "template"))


class _FlatText(HTMLParser):
    """Every visible text of a page, with no tree and so no depth limit; notes the deepest nesting."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open: list[str] = []
        self.depth = 0
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag == "br":
                self.parts.append("\n")
            return
        self.open.append(tag)
        self.depth = max(self.depth, len(self.open))
        self._hidden += tag in _HIDDEN
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.open:                 # close it and whatever was left open inside it
            while self.open:
                top = self.open.pop()
                self._hidden -= top in _HIDDEN
                if top == tag:
                    break
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def flat_text(markup: str) -> tuple[str, int]:
    """(visible text, deepest element nesting) of HTML, read without building a tree."""
    parser = _FlatText()
    parser.feed(markup)
    parser.close()
    return _tidy("".join(parser.parts)), parser.depth


def fragment_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed summary), paragraphs kept as line breaks."""
    if "<" not in fragment:
        return _tidy(html.unescape(fragment))
    import lxml.html
    from lxml import etree

    flat, depth = flat_text(fragment)
    if depth >= DEEP_NESTING:
        return flat
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return flat
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
    text = _tidy(root.text_content())
    # a fragment has no boilerplate to drop: lxml giving fewer words than are visible lost some
    return flat if len(flat.split()) > len(text.split()) else text


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out, blank = [], False
    for line in lines:
        if line:
            out.append(line)
            blank = False
        elif not blank and out:
            out.append("")
            blank = True
    return "\n".join(out).strip()


def article_from_html(data: bytes, url: str, origin: str) -> Record:
    """One web page as one article: its main text, title, date and site name."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(data, url=url or None, with_metadata=True, include_comments=False,
                                          include_tables=True)
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        return Record(id=url or origin, url=url, source=origin, origin=origin,
                      error=f"{origin}: cannot extract text from HTML ({type(exc).__name__})")
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    markup = data.decode("utf-8", "replace")
    flat, depth = flat_text(markup)
    if depth >= DEEP_NESTING:         # libxml2 dropped what lies deeper: every visible text instead
        text = flat
    elif not text:
        text = fragment_text(markup)
    if not text.strip():
        return Record(id=url or origin, url=url, source=origin, origin=origin,
                      error=f"{origin}: page has no article text")
    title = (getattr(doc, "title", None) or "") if doc is not None else ""
    body = text if not title or text.startswith(title) else f"{title}\n\n{text}"
    site = (getattr(doc, "sitename", None) or "") if doc is not None else ""
    if not site and url:
        site = urlsplit(url).hostname or ""
    return Record(id=url or origin, text=body, title=title, url=url,
                  published=(getattr(doc, "date", None) or "") if doc is not None else "",
                  source=site or origin, origin=origin)


# -- feeds -------------------------------------------------------------------------------------------
def _iso(parsed) -> str:
    if not parsed:
        return ""
    try:
        return dt.datetime(*parsed[:6], tzinfo=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return ""


def _entry_body(entry) -> str:
    contents = [c for c in entry.get("content") or [] if c.get("value")]
    if contents:
        markup = max(contents, key=lambda c: len(c["value"]))["value"]
    else:
        markup = entry.get("summary") or entry.get("description") or ""
    return fragment_text(markup)


def looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.startswith(b"<?xml") and (b"<rss" in data[:4096].lower() or b"<feed" in data[:4096].lower()
                                         or b"<rdf:rdf" in data[:4096].lower()) \
        or head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def parse_feed(data: bytes, origin: str, url: str = "") -> list[Record]:
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": url} if url else None)
    if not parsed.get("version"):
        why = str(parsed.get("bozo_exception") or "no RSS or Atom elements")
        return [Record(id=origin, source=origin, origin=origin, error=f"{origin}: not an RSS/Atom feed ({why})")]
    feed_title = parsed.feed.get("title") or origin
    out = []
    for i, entry in enumerate(parsed.entries):
        link = entry.get("link") or ""
        guid = entry.get("id") or ""
        title = " ".join((entry.get("title") or "").split())
        body = _entry_body(entry)
        text = f"{title}\n\n{body}".strip() if title and not body.startswith(title) else body
        src = entry.get("source") or {}
        source = (src.get("title") if isinstance(src, dict) else "") or feed_title
        rid = guid or link or f"{origin}#{i + 1}"
        extra = {"feed": url or origin, "feed_title": feed_title}
        if guid:
            extra["guid"] = guid
        if not text.strip():
            out.append(Record(id=rid, title=title, url=link, source=source, origin=origin, line=i + 1, extra=extra,
                              error=f"{origin}: entry {i + 1} ({link or guid or 'no link'}) has no text"))
            continue
        out.append(Record(id=rid, text=text, title=title, url=link,
                          published=_iso(entry.get("published_parsed") or entry.get("updated_parsed"))
                          or entry.get("published", "") or entry.get("updated", ""),
                          source=source, origin=origin, line=i + 1, extra=extra))
    return out


def read_feed_file(path: str, data: bytes) -> list[Record]:
    return parse_feed(data, path)


def read_html_file(path: str, data: bytes) -> list[Record]:
    return [article_from_html(data, "", path)]


def read_url(url: str, opts: FetchOptions = DEFAULT_FETCH, client: Client | None = None) -> list[Record]:
    """A feed URL (all its entries) or a web page URL (one article). `client` (shared pooled
    connections) is made from `opts` when not given."""
    url = url.strip()
    try:
        if client is None:
            with Client(opts) as own:
                got = own.get(url, headers={"Accept": FEED_ACCEPT})
        else:
            got = client.get(url, headers={"Accept": FEED_ACCEPT})
    except FetchError as exc:
        return [Record(id=url, url=url, source=url, origin=url, error=str(exc))]
    ctype = got.content_type.lower()
    if looks_like_feed(got.data) or any(t in ctype for t in ("rss", "atom", "/xml", "+xml")):
        return parse_feed(got.data, url, url=got.url)
    if "html" in ctype or got.data[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return [article_from_html(got.data, got.url, url)]
    try:
        text = decode_bytes(got.data)
    except DecodeFailure as exc:
        return [Record(id=url, url=url, source=url, origin=url, error=f"{url}: {exc}")]
    if not text.strip():
        return [Record(id=url, url=url, source=url, origin=url, error=f"{url}: empty response")]
    return [Record(id=url, text=text, url=url, source=url, origin=url)]


# -- feed lists ----------------------------------------------------------------------------------
# One rule decides what a .txt feed list is (`classify_list`): a text whose non-blank, non-comment
# lines are mostly URL-like. A line is URL-like when it has a scheme (`https://…`, `file://…`), is
# a host name with an optional port and path (`www.example.com/news/feed`), or names a local feed
# file (`feeds/wire.xml`). A trailing ` # comment` is not part of the line. In a feed list, every
# line that cannot be fetched (not a URL, a `file://` URL, another scheme) is an error row naming
# file:line: nothing in the list is skipped silently.
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)
_HOST_PATH = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}\.?(?::\d{1,5})?(?:[/?#]\S*)?$",
                        re.IGNORECASE)
_TRAILING_COMMENT = re.compile(r"\s+#.*$")


def _list_items(text: str) -> list[tuple[int, str]]:
    """(line number, item) for every non-blank line that is not a comment; trailing comments cut."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        item = _TRAILING_COMMENT.sub("", line).strip()
        if item and not item.startswith("#"):
            out.append((n, item))
    return out


def _is_feed_file_name(item: str) -> bool:
    return " " not in item and item.lower().endswith(FEED_SUFFIXES)


def url_like(item: str) -> bool:
    """Could this list line name a feed: a URL of any scheme, a host/path, or a local feed file?"""
    return " " not in item and bool(_SCHEME.match(item) or _HOST_PATH.match(item) or _is_feed_file_name(item))


def has_list_items(data: bytes) -> bool:
    """Does the text hold a line that is neither blank nor a comment?"""
    return bool(_list_items(data.decode("utf-8", "replace")))


def looks_like_feed_list(data: bytes) -> bool:
    """A text whose non-comment lines are more than half URL-like is a feed list (the others then
    become error rows); an article that quotes a URL on a line of its own stays an article."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    items = _list_items(text)
    return bool(items) and 2 * sum(url_like(s) for _, s in items) > len(items)


def _list_entry(base: Path, item: str) -> tuple[str, str]:
    """What one list line is: ("url", url) | ("file", path) | ("error", reason)."""
    m = _SCHEME.match(item)
    if m:
        scheme = m.group(1).lower()
        if scheme in ("http", "https"):
            return "url", item
        if scheme == "file":
            return "error", "file:// URLs are not fetched from a feed list; name the local feed file instead"
        return "error", f"{scheme}:// URLs are not supported (only http and https)"
    if " " in item:
        return "error", "not a URL"
    if _is_feed_file_name(item) and ("/" not in item or (base / item).exists() or not _HOST_PATH.match(item)):
        return "file", item
    if _HOST_PATH.match(item):
        return "url", "https://" + item
    return "error", "not a URL"


def read_feed_list(path: str, data: bytes, opts: FetchOptions = DEFAULT_FETCH) -> list[Record]:
    """Every feed named in the list, fetched in parallel (sharing one pooled client), in list order.
    A line that is not a fetchable URL or a local feed file is an error row naming path:line."""
    items = _list_items(data.decode("utf-8-sig", "replace"))
    base = Path(path).parent
    entries = [(n, s, *_list_entry(base, s)) for n, s in items]

    def one(entry, client: Client | None) -> list[Record]:
        n, s, kind, value = entry
        if kind == "url":
            return read_url(value, client=client)
        if kind == "file":
            return _read_listed_file(path, base, (n, value))
        return [Record(id=f"{path}:{n}", source=path, origin=path, line=n, error=f"{path}:{n}: {s}: {value}")]

    if not any(e[2] == "url" for e in entries):        # no network: no client, no threads
        return [r for e in entries for r in one(e, None)]
    with Client(opts) as client, ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(entries))) as pool:
        results = list(pool.map(lambda e: one(e, client), entries))
    return [r for batch in results for r in batch]


def _read_listed_file(path: str, base: Path, item: tuple[int, str]) -> list[Record]:
    n, s = item
    p = base / s
    try:
        return parse_feed(p.read_bytes(), str(p))
    except OSError as exc:
        return [Record(id=str(p), source=path, origin=path, line=n,
                       error=f"{path}:{n}: {s}: cannot read ({exc.strerror or exc})")]
