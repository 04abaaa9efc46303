"""Bytes to text, with a clear error instead of mojibake."""

from __future__ import annotations

import codecs


class DecodeFailure(Exception):
    pass


def decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is an error, not a guess."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeFailure(f"invalid UTF-16 at byte {exc.start}") from None
    if b"\x00" in data[:4096]:
        raise DecodeFailure("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DecodeFailure(f"line {line}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
