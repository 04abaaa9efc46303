"""Walk the inputs given on the command line, in a stable order, and dispatch by file type.

Readers stream: each is a generator over an open binary file, so one article (or one batch of
Parquet rows) is in memory at a time. A reader marked `streaming = True` has the signature
`reader(path, binary_stream, options) -> Iterator[Record]`; any other callable registered in
READERS gets `reader(path, data_bytes)` with the file read whole up to the JSON-document limit.

Every problem with a path (missing, broken symlink, symlink loop, permission denied, a folder
that cannot be listed, a reader that fails half-way) becomes an error Record naming the path, so
nothing is dropped silently and the scan goes on.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

from flagger.http import Client
from flagger.model import Record
from flagger.sources import feeds, structured, textfile
from flagger.sources.decode import DEFAULT_OPTIONS, ReadOptions, read_capped

FEED_LIST_HEAD = 64 * 1024
MAX_FEED_LIST_BYTES = 64 * 1024 * 1024
FEED_LIST_COMMENT_HEADER = 1024 * 1024


def _feed_list_head(stream) -> tuple[bytes, bool]:
    """(first bytes of the file, whether they make it a feed list). The decision is taken on the
    complete lines of the first 64 KB that hold a non-comment line (a comment header of up to
    1 MB is read past), so a list of any size is recognised."""
    head = stream.read(FEED_LIST_HEAD)
    while len(head) % FEED_LIST_HEAD == 0 and head and len(head) < FEED_LIST_COMMENT_HEADER:
        cut = head.rfind(b"\n")
        if cut < 0 or feeds.has_list_items(head[:cut + 1]):
            break
        chunk = stream.read(FEED_LIST_HEAD)
        if not chunk:
            break
        head += chunk
    complete = len(head) % FEED_LIST_HEAD != 0 or not head
    whole = head if complete else head[:head.rfind(b"\n") + 1]
    return head, bool(whole) and feeds.looks_like_feed_list(whole)


def is_feed_list_file(path: str | Path) -> bool:
    """Whether the reader would take this file, named on the command line, as a list of feeds to
    fetch (a .txt whose lines are mostly URLs, decided as `_feed_list_head` decides)."""
    p = Path(path)
    if p.suffix.lower() != ".txt" or not p.is_file():
        return False
    try:
        with p.open("rb") as stream:
            return _feed_list_head(stream)[1]
    except OSError:
        return False


def _text_or_feed_list(path: str, stream, options: ReadOptions) -> Iterator[Record]:
    """A .txt file whose lines are mostly feed URLs is a feed list; otherwise one article."""
    head, is_list = _feed_list_head(stream)
    if is_list:
        rest = stream.read(MAX_FEED_LIST_BYTES + 1 - len(head))
        if len(head) + len(rest) > MAX_FEED_LIST_BYTES:
            yield _error(path, f"feed list larger than {MAX_FEED_LIST_BYTES:,} bytes; not read")
            return
        yield from feeds.read_feed_list(path, head + rest, options.fetch)
        return
    yield from textfile.stream_text_file(path, io.BufferedReader(_Chain(head, stream)), options)


def _text_in_folder(path: str, stream, options: ReadOptions) -> Iterator[Record]:
    """A .txt met while walking a folder: never fetched (a folder of untrusted files must not make
    flagger go on the network), and a feed list there is an error, not an article of URLs."""
    head, is_list = _feed_list_head(stream)
    if is_list:
        yield _error(path, "is a feed list; feeds are fetched only from a list named on the command line")
        return
    yield from textfile.stream_text_file(path, io.BufferedReader(_Chain(head, stream)), options)


class _Chain(io.RawIOBase):
    """Bytes already read, then the rest of the stream (works for pipes too)."""

    def __init__(self, head: bytes, rest):
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        if self._head:
            n = min(len(buf), len(self._head))
            buf[:n], self._head = self._head[:n], self._head[n:]
            return n
        data = self._rest.read(len(buf))
        buf[:len(data)] = data
        return len(data)


_text_or_feed_list.streaming = True
_text_in_folder.streaming = True

# Feeds (RSS/Atom) and saved web pages: their parsers (feedparser, trafilatura) load on first use.
READERS: dict[str, Callable] = {
    ".txt": _text_or_feed_list,
    ".md": textfile.stream_text_file,
    ".text": textfile.stream_text_file,
    ".jsonl": structured.stream_jsonl,
    ".ndjson": structured.stream_jsonl,
    ".json": structured.stream_json,
    ".csv": structured.stream_csv,
    ".parquet": structured.stream_parquet,
    **dict.fromkeys(feeds.FEED_SUFFIXES, feeds.read_feed_file),
    **dict.fromkeys(feeds.HTML_SUFFIXES, feeds.read_html_file),
}


def _error(path: str, message: str) -> Record:
    return Record(id=path, source=path, origin=path, error=f"{path}: {message}")


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno == errno.ENOENT:
        return "no such file or folder"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return f"cannot read ({exc.strerror or exc})"


def _outside(entry: os.DirEntry, root: str) -> str:
    """The target of a symlink that leads out of the scanned folder `root`, else ""."""
    if not entry.is_symlink():
        return ""
    target = os.path.realpath(entry.path)
    if not os.path.exists(target) or target == root or target.startswith(root.rstrip(os.sep) + os.sep):
        return ""
    return target


def _walk(folder: Path, seen: set[str] | None = None, root: str | None = None,
          skipped: list[str] | None = None) -> Iterator[Path | Record]:
    """Every candidate file under `folder`, sorted; folders that cannot be listed become error
    records. Symlinked folders inside the folder are followed once (a symlink loop is visited only
    once); a symlink leading out of the scanned folder is an error record, never followed."""
    seen = set() if seen is None else seen
    real = os.path.realpath(folder)
    root = real if root is None else root
    if real in seen:
        return
    seen.add(real)
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield _error(str(folder), f"cannot list folder ({_os_reason(exc)})")
        return
    files, dirs = [], []
    for entry in entries:
        if entry.name.startswith("."):
            if skipped is not None:
                skipped.append(entry.path)
            continue
        try:
            is_dir = entry.is_dir()       # follows symlinks; False for a broken link or a loop
        except OSError:
            is_dir = False
        (dirs if is_dir else files).append(entry)
    for entry in files:
        if Path(entry.name).suffix.lower() not in READERS:
            if skipped is not None:
                skipped.append(entry.path)
        else:
            target = _outside(entry, root)
            if target:
                yield _error(entry.path, f"symlink to {target}, outside the scanned folder; not followed")
            else:
                yield Path(entry.path)
    for entry in dirs:
        target = _outside(entry, root)
        if target:
            yield _error(entry.path, f"symlink to {target}, outside the scanned folder; not followed")
        else:
            yield from _walk(Path(entry.path), seen, root, skipped)


def open_binary(path: str):
    """Open for reading (a seam for tests that simulate unreadable files)."""
    return open(path, "rb")  # noqa: SIM115 - the caller closes it


def read_path(path: str, options: ReadOptions = DEFAULT_OPTIONS, explicit: bool = True) -> Iterator[Record]:
    """Records of one file, whatever goes wrong. A .txt feed list is fetched only when the file
    was named explicitly: a folder of untrusted files must never make flagger go on the network."""
    try:
        st = os.stat(path)
    except OSError as exc:
        reason = _os_reason(exc)
        if exc.errno == errno.ENOENT and os.path.islink(path):
            reason = "broken symlink"
        yield _error(path, reason)
        return
    if stat.S_ISDIR(st.st_mode):
        yield _error(path, "is a directory")
        return
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode)):
        yield _error(path, "not a regular file")
        return
    if not explicit and not stat.S_ISREG(st.st_mode):
        # a FIFO or device met in a folder would block the scan forever: only one named on the
        # command line (a pipe the user set up) is read
        yield _error(path, "not a regular file (a FIFO or device in a folder is never opened)")
        return
    reader = READERS.get(Path(path).suffix.lower(), textfile.stream_text_file)
    if reader is _text_or_feed_list and not explicit:
        reader = _text_in_folder
    try:
        stream = open_binary(path)
    except OSError as exc:
        yield _error(path, _os_reason(exc))
        return
    count = 0
    with stream:
        try:
            if getattr(reader, "streaming", False):
                records = reader(path, stream, options)
            else:
                data, more = read_capped(stream, options.max_json_bytes)
                if more:
                    yield _error(path, f"larger than {options.max_json_bytes:,} bytes; not read")
                    return
                records = reader(path, data)
            for record in records:
                count += 1
                yield record
        except OSError as exc:
            yield _error(path, f"read failed after {count} records ({_os_reason(exc)}); the rest was not read")
        except Exception as exc:  # a reader bug must not drop the rest of the scan silently
            yield _error(path, f"read failed after {count} records ({type(exc).__name__}: {exc}); "
                               "the rest was not read")


def read_inputs(inputs: list[str], stdin=None, options: ReadOptions | None = None, skipped: list[str] | None = None,
                **kwargs) -> Iterator[Record]:
    """Records from every input, in order. `-` reads standard input (see `read_stdin`).
    Files met while walking a folder that are not an article type (and dot-files) are appended to
    `skipped`, when given, so the caller can say so.

    `options` (or keyword arguments max_article_bytes=, encoding=, fetch=) set the read limits and
    how URLs are fetched. The URLs given here share one pooled HTTP client.
    """
    if options is None:
        options = ReadOptions(**kwargs) if kwargs else DEFAULT_OPTIONS
    with ExitStack() as stack:
        client: Client | None = None
        for item in inputs:
            if item.startswith(("http://", "https://")):
                if client is None:
                    client = stack.enter_context(Client(options.fetch))
                yield from feeds.read_url(item, client=client)
            else:
                yield from _read_input(item, stdin, options, skipped)


def _read_input(item: str, stdin, options: ReadOptions, skipped: list[str] | None = None) -> Iterator[Record]:
    """Records of one input that is not a URL: `-` (standard input), a folder or a file."""
    if item == "-":
        yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer, options)
        return
    p = Path(item)
    try:
        is_dir = p.is_dir()
    except OSError:
        is_dir = False
    if is_dir:
        found = False
        for f in _walk(p, skipped=skipped):
            found = True
            if isinstance(f, Record):
                yield f
            else:
                yield from read_path(str(f), options, explicit=False)
        if not found:
            yield _error(item, f"folder holds no readable articles ({', '.join(sorted(READERS))})")
    else:
        yield from read_path(item, options)


def sniff_stdin(head: bytes) -> str:
    """What standard input holds, from its first bytes: "jsonl", "json", "csv" or "text".

    JSONL: the first line is a JSON object. JSON: the content opens with `[` or `{` (a document
    spread over lines). CSV: the first line is a comma-separated header naming a `text` column.
    Anything else is one text article."""
    body = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    first = body.split(b"\n", 1)[0].strip()
    if first.startswith(b"{"):
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except ValueError:
            pass
        return "json"
    if first.startswith(b"["):
        return "json"
    try:
        header = next(csv.reader([first.decode("utf-8")]))
    except (UnicodeDecodeError, StopIteration, csv.Error):
        return "text"
    if len(header) > 1 and "text" in {h.strip().lower() for h in header}:
        return "csv"
    return "text"


def read_stdin(stream, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Record]:
    """Records from standard input: JSONL, a JSON document or CSV when its content says so
    (`sniff_stdin`), else one text article. Errors name `-` and the line."""
    head = stream.read(FEED_LIST_HEAD)
    if isinstance(head, str):
        head = head.encode("utf-8")
        rest = io.BytesIO(stream.read().encode("utf-8"))
    else:
        rest = stream
    kind = sniff_stdin(head)
    whole = io.BufferedReader(_Chain(head, rest))
    try:
        if kind == "jsonl":
            yield from structured.stream_jsonl("-", whole, options)
        elif kind == "json":
            yield from structured.stream_json("-", whole, options)
        elif kind == "csv":
            yield from structured.stream_csv("-", whole, options)
        else:
            data = whole.read(options.max_article_bytes + 1)
            if len(data) > options.max_article_bytes:
                yield _error("-", f"standard input is larger than the {options.max_article_bytes:,}-byte article "
                                  "limit (--max-article-bytes); not scanned")
            elif data.strip():
                yield from textfile.read_text_file("-", data, options.encoding)
            else:
                yield _error("-", "standard input is empty")
    except OSError as exc:
        yield _error("-", f"read failed ({_os_reason(exc)}); the rest was not read")
