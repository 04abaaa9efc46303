"""A .txt/.md file is one article; its first non-empty line is the title."""

from __future__ import annotations

from flagger.model import Record
from flagger.sources.decode import DecodeFailure, decode_bytes


def record_from_text(text: str, rid: str, source: str) -> Record:
    title = ""
    for line in text.splitlines():
        if line.strip():
            title = line.strip().lstrip("#").strip()
            break
    if not text.strip():
        return Record(id=rid, source=source, origin=source, error=f"{source}: empty file")
    return Record(id=rid, text=text, title=title, source=source, origin=source)


def read_text_file(path: str, data: bytes) -> list[Record]:
    try:
        text = decode_bytes(data)
    except DecodeFailure as exc:
        return [Record(id=path, source=path, origin=path, error=f"{path}: {exc}")]
    return [record_from_text(text, path, path)]
