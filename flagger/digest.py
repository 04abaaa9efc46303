"""Content hashes of files and folders, as recorded in provenance and compared by `flagger verify`."""

from __future__ import annotations

import hashlib
from pathlib import Path

_CHUNK = 1 << 20


def sha256_file(path: str | Path) -> str | None:
    """SHA-256 of a file's bytes, of a directory's files (names and bytes, sorted), None if unreadable."""
    p = Path(path)
    h = hashlib.sha256()
    try:
        if p.is_dir():  # a folder of lists (or an OFAC CSV set): every file below it, by relative path
            files = sorted((f.relative_to(p).as_posix(), f) for f in p.rglob("*")
                           if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts))
            for rel, f in files:
                h.update(f"{rel}\n{f.stat().st_size}\n".encode())
                _feed(h, f)
        else:
            _feed(h, p)
    except OSError:
        return None
    return h.hexdigest()


def _feed(h, path: Path) -> None:
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
