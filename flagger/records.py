"""What the library accepts as articles, turned into `Record`s, and cut into bounded batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeAlias

import polars as pl

from flagger.errors import InputError
from flagger.model import Record

#: what `Scanner.scan` accepts: a DataFrame, or dicts / Records / strings (one or many)
RecordsLike: TypeAlias = "pl.DataFrame | Iterable[dict[str, Any] | Record | str] | Record | str"
#: records per scan batch: per batch the scanner learns the batch's new words and matches them in
#: bulk (with batches of 250 a --jobs worker spent 15-20 % more CPU than with 1,000)
BATCH_RECORDS = 1000
#: ... and at most this many characters of article text, so a few huge records cannot fill memory
BATCH_CHARS = 8_000_000


def iter_batches(records: RecordsLike, batch_size: int = BATCH_RECORDS,
                 max_chars: int = BATCH_CHARS) -> Iterator[list[Record]]:
    """`records` as lists of at most `batch_size` records and about `max_chars` characters of text
    (a batch closes once it reaches either), in input order."""
    batch: list[Record] = []
    chars = 0
    for record in as_records(records):
        batch.append(record)
        chars += len(record.text)
        if len(batch) >= batch_size or chars >= max_chars:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def as_records(records) -> Iterable[Record]:
    if isinstance(records, pl.DataFrame):
        records = records.iter_rows(named=True)
    elif isinstance(records, (str, Record)):
        records = [records]
    for i, item in enumerate(records):
        if isinstance(item, Record):
            yield item
        elif isinstance(item, str):
            yield Record(id=f"text-{i + 1}", text=item)
        elif isinstance(item, dict):
            yield _record_from_dict(item, i)
        else:
            raise InputError(f"expected a dict, str or Record, got {type(item).__name__}", "<records>", i + 1)


_RECORD_FIELDS = ("id", "title", "text", "url", "published", "source")


def _record_from_dict(item: dict, i: int) -> Record:
    extra = {k: v for k, v in item.items() if k not in _RECORD_FIELDS}
    rid = item.get("id")
    text = item.get("text")
    error = ""
    if text is None or not isinstance(text, str):
        error = f"record {i + 1}: field 'text' is missing or not a string"
        text = ""
    return Record(
        id=str(rid) if rid not in (None, "") else f"record-{i + 1}", text=text,
        title=str(item.get("title") or ""), url=str(item.get("url") or ""),
        published=str(item.get("published") or ""), source=str(item.get("source") or ""),
        error=error, extra=extra,
    )
