"""Bytes to text, with a clear error naming where instead of mojibake, and bounded reads.

Encoding policy (documented in `flagger scan --help`):

* default: UTF-8 (a UTF-8 BOM is skipped) or UTF-16 when the input starts with a UTF-16 BOM;
  anything else is an error naming the file, line and byte offset, never a guess. A Latin-1 or
  Windows-1252 file is therefore *reported*, not silently mis-decoded; pass `--encoding latin-1`
  (or any Python codec name) to read it.
* NUL bytes mean a binary file (except in UTF-16), reported with the offset of the first one.

Size policy: no single article may be larger than `max_article_bytes` (default 10 MB). A larger
text file, JSONL line, CSV line, Parquet or JSON value becomes an error record naming its size
and the limit (the scan exits 3), rather than being truncated: a truncated article could hide a
finding past the cut, and this tool never fails open. Readers never hold more than one article
(plus one read buffer) of a file in memory, so an oversized line is skipped without loading it.

URL inputs and the feeds of a feed list are fetched as `ReadOptions.fetch` says (timeout per try,
retries, User-Agent, size cap: flagger.http.FetchOptions).
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from flagger.http import DEFAULT_FETCH, FetchOptions

DEFAULT_MAX_ARTICLE_BYTES = 10 * 1024 * 1024
# A .json document is parsed whole (JSONL streams); past this size use JSONL.
JSON_DOCUMENT_FACTOR = 10
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ReadOptions:
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES
    encoding: str | None = None      # None = UTF-8, or UTF-16 with BOM
    fetch: FetchOptions = DEFAULT_FETCH   # how URL inputs and feed lists are fetched

    @property
    def max_json_bytes(self) -> int:
        return self.max_article_bytes * JSON_DOCUMENT_FACTOR


DEFAULT_OPTIONS = ReadOptions()


class DecodeFailure(Exception):
    pass


def check_encoding(name: str) -> str:
    """The codec's canonical name, or ValueError for an unknown one."""
    return codecs.lookup(name).name


def _is_utf16(data: bytes) -> bool:
    return data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE)


def _wide(encoding: str | None) -> bool:
    return bool(encoding) and codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


def _hint(encoding: str | None) -> str:
    return "" if encoding else "; if the file is Latin-1/Windows-1252, pass --encoding latin-1 or cp1252"


def decode_bytes(data: bytes, encoding: str | None = None) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM, or `encoding` if given; else DecodeFailure."""
    if encoding and not _wide(encoding):
        nul = data.find(b"\x00")
        if nul >= 0:
            raise DecodeFailure(f"binary file, not text (NUL byte at offset {nul})")
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise DecodeFailure(f"line {line}: not valid {encoding} (byte 0x{data[exc.start]:02x} at offset "
                                f"{exc.start})") from None
    if encoding or _is_utf16(data):
        codec = encoding or "utf-16"
        try:
            return data.decode(codec)
        except UnicodeDecodeError as exc:
            raise DecodeFailure(f"invalid {codec.upper()} at byte {exc.start}") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DecodeFailure(f"binary file, not text (NUL byte at offset {nul})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DecodeFailure(f"line {line}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
                            f"{_hint(encoding)}") from None


def read_capped(stream: BinaryIO, cap: int) -> tuple[bytes, bool]:
    """Read at most `cap` bytes; the flag says whether there was more (the rest is not read)."""
    data = stream.read(cap + 1)
    if data is None:
        data = b""
    return data[:cap], len(data) > cap


# -- line streaming ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Line:
    number: int       # 1-based physical line
    offset: int       # byte offset of the line's start (-1 when decoding a wide encoding)
    text: str


@dataclass(frozen=True, slots=True)
class LineProblem:
    number: int
    message: str      # what is wrong, starting with "line N"
    fatal: bool = False   # the rest of the file cannot be read


class LineSource:
    """Decoded lines of a binary stream, one at a time, never more than `max_line` bytes each.

    Iterating yields `Line` or `LineProblem` (a line that is too long or does not decode; after a
    non-fatal problem iteration goes on with the next line). Memory: one line plus one buffer.
    """

    def __init__(self, stream: BinaryIO, max_line: int, encoding: str | None = None):
        self.stream = stream
        self.max_line = max_line
        self.encoding = encoding
        self.number = 0
        self.offset = 0
        self.binary_at = -1
        head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
        self.wide = _wide(encoding) or (not encoding and _is_utf16(head))
        if not self.wide:
            # Binary: a NUL in the first line, or NULs in more than 1% of the first 4 KB. A stray
            # NUL further down is that line's problem (an error row), not the whole file's.
            nul = head.find(b"\x00")
            if nul >= 0 and (b"\n" not in head[:nul] or head.count(b"\x00") * 100 > len(head)):
                self.binary_at = nul
            if not encoding and head.startswith(codecs.BOM_UTF8):
                stream.read(len(codecs.BOM_UTF8))
                self.offset = len(codecs.BOM_UTF8)
        self._codec = encoding or ("utf-16" if self.wide else "utf-8")
        self._text = (io.TextIOWrapper(stream, encoding=self._codec, errors="strict", newline="")
                      if self.wide else None)
        self._done = False

    def __iter__(self) -> Iterator[Line | LineProblem]:
        return self

    def __next__(self) -> Line | LineProblem:
        if self._done:
            raise StopIteration
        return self._next_wide() if self.wide else self._next_bytes()

    def _next_bytes(self) -> Line | LineProblem:
        raw = self.stream.readline(self.max_line + 1)
        if not raw:
            self._done = True
            raise StopIteration
        self.number += 1
        start = self.offset
        self.offset += len(raw)
        if len(raw) > self.max_line and not raw.endswith(b"\n"):
            size = len(raw)
            while True:     # skip the rest of the line without keeping it
                more = self.stream.readline(_CHUNK)
                size += len(more)
                self.offset += len(more)
                if not more or more.endswith(b"\n"):
                    break
            return LineProblem(self.number, f"line {self.number}: {size:,} bytes, larger than the "
                                            f"{self.max_line:,}-byte article limit (--max-article-bytes)")
        try:
            text = raw.decode(self.encoding or "utf-8")
        except UnicodeDecodeError as exc:
            return LineProblem(self.number, f"line {self.number}: not valid {self.encoding or 'UTF-8'} (byte "
                                            f"0x{raw[exc.start]:02x} at offset {start + exc.start})"
                                            f"{_hint(self.encoding)}")
        return Line(self.number, start, text)

    def _next_wide(self) -> Line | LineProblem:
        try:
            text = self._text.readline(self.max_line + 1)
        except UnicodeDecodeError as exc:
            self._done = True
            return LineProblem(self.number + 1, f"line {self.number + 1}: not valid {self._codec.upper()} "
                                                f"({exc.reason}); the rest of the file was not read", fatal=True)
        if not text:
            self._done = True
            raise StopIteration
        self.number += 1
        if len(text) > self.max_line and not text.endswith(("\n", "\r")):
            while True:
                try:
                    more = self._text.readline(_CHUNK)
                except UnicodeDecodeError:
                    self._done = True
                    break
                if not more or more.endswith(("\n", "\r")):
                    break
            return LineProblem(self.number, f"line {self.number}: longer than the {self.max_line:,}-character "
                                            f"article limit (--max-article-bytes)")
        if self.number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        return Line(self.number, -1, text)
