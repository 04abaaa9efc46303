"""A .txt/.md file is one article; its first non-empty line is the title."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from flagger.model import Record
from flagger.sources.decode import DEFAULT_OPTIONS, DecodeFailure, ReadOptions, decode_bytes, read_capped

_FIRST_LINE = re.compile(r"\S[^\r\n]*")


def record_from_text(text: str, rid: str, source: str) -> Record:
    if not text.strip():
        return Record(id=rid, source=source, origin=source, error=f"{source}: empty file")
    m = _FIRST_LINE.search(text)
    title = m.group().strip().lstrip("#").strip() if m else ""
    return Record(id=rid, text=text, title=title, source=source, origin=source)


def read_text_file(path: str, data: bytes, encoding: str | None = None) -> list[Record]:
    """One article from bytes already read (kept for callers that have the bytes)."""
    try:
        text = decode_bytes(data, encoding)
    except DecodeFailure as exc:
        return [Record(id=path, source=path, origin=path, error=f"{path}: {exc}")]
    return [record_from_text(text, path, path)]


def stream_text_file(path: str, stream: BinaryIO, opts: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Record]:
    data, more = read_capped(stream, opts.max_article_bytes)
    if more:
        yield Record(id=path, source=path, origin=path,
                     error=f"{path}: larger than the {opts.max_article_bytes:,}-byte article limit "
                           f"(--max-article-bytes); not scanned")
        return
    yield from read_text_file(path, data, opts.encoding)


stream_text_file.streaming = True
