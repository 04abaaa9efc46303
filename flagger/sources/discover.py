"""Walk the inputs given on the command line, in a stable order, and dispatch by file type."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

from flagger.model import Record
from flagger.sources import structured, textfile

READERS = {
    ".txt": textfile.read_text_file,
    ".md": textfile.read_text_file,
    ".text": textfile.read_text_file,
    ".jsonl": structured.read_jsonl,
    ".ndjson": structured.read_jsonl,
    ".json": structured.read_json,
    ".csv": structured.read_csv,
    ".parquet": structured.read_parquet,
}


def _walk(folder: Path) -> Iterator[Path]:
    """Every readable file under `folder`, sorted, following no symlinked folders twice."""
    seen = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in READERS:
                yield Path(root) / name


def read_path(path: str) -> list[Record]:
    suffix = Path(path).suffix.lower()
    reader = READERS.get(suffix, textfile.read_text_file)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        return [Record(id=path, source=path, origin=path, error=f"{path}: is a directory")]
    except OSError as exc:
        return [Record(id=path, source=path, origin=path, error=f"{path}: cannot read ({exc.strerror or exc})")]
    return reader(path, data)


def read_inputs(inputs: list[str], stdin=None) -> Iterator[Record]:
    """Records from every input, in order. `-` reads one article from standard input."""
    for item in inputs:
        if item == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read()
            if isinstance(data, str):
                data = data.encode("utf-8")
            yield from textfile.read_text_file("-", data) if data.strip() else [
                Record(id="-", source="-", origin="-", error="-: standard input is empty")]
            continue
        p = Path(item)
        if p.is_dir():
            found = False
            for f in _walk(p):
                found = True
                yield from read_path(str(f))
            if not found:
                yield Record(id=item, source=item, origin=item, error=f"{item}: folder holds no readable articles "
                                                         f"({', '.join(sorted(READERS))})")
        elif not p.exists():
            reason = "broken symlink" if p.is_symlink() else "no such file or folder"
            yield Record(id=item, source=item, origin=item, error=f"{item}: {reason}")
        else:
            yield from read_path(item)
