"""Reading header-row CSV list files with located errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from flagger.entities._common import ImportStats, decode, read_bytes
from flagger.errors import EntityListError


def read_table(path: str | Path, required: tuple[str, ...], stats: ImportStats,
               encodings: tuple[str, ...] = ("utf-8-sig",), header_prefix: str | None = None,
               header_within: int = 5):
    """Yield (line, row-dict) for each data row of a header-row CSV.

    `header_prefix`: the header is the first of the first `header_within` rows that has a cell equal to it
    (OFSI's `Last Updated,...` and FCDO's `Report Date: ...` lines come before the header).
    Errors (missing columns, too many fields) name the file and line.
    """
    file = str(path)
    text, enc = decode(read_bytes(path), file, encodings)
    if enc != encodings[0]:
        stats.warn(f"{file}: not {encodings[0]}, read as {enc}")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = None
    for fields in reader:
        if header_prefix is None or header_prefix in (f.strip() for f in fields):
            header = [h.strip() for h in fields]
            break
        if reader.line_num >= header_within:
            break
    if header is None:
        raise EntityListError(f"no header row{f' with a {header_prefix!r} column' if header_prefix else ''} "
                              "(empty file?)", file, reader.line_num or None)
    header_line = reader.line_num
    missing = [c for c in required if c not in header]
    if missing:
        raise EntityListError(f"header lacks column(s) {missing}; found {header[:12]}"
                              f"{' ...' if len(header) > 12 else ''}", file, header_line)
    width = len(header)
    for fields in reader:
        line = reader.line_num
        if not fields or all(not f.strip() for f in fields):
            continue
        if len(fields) > width and any(f.strip() for f in fields[width:]):
            raise EntityListError(f"row has {len(fields)} fields, header has {width}", file, line)
        if len(fields) < width:
            fields = fields + [""] * (width - len(fields))
        yield line, {h: (fields[i].strip() or None) for i, h in enumerate(header) if h}


def split_multi(value: str | None, sep: str = ";") -> list[str]:
    """Split a multi-valued cell on `sep`, honouring CSV quoting inside the cell."""
    if not value:
        return []
    if '"' in value:
        parts = next(csv.reader([value], delimiter=sep, skipinitialspace=True))
    else:
        parts = value.split(sep)
    return [p.strip() for p in parts if p.strip()]
