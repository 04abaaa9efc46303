"""How a batch of input records crosses the pipe to a `--jobs` worker: `encode` in the parent,
`decode` in the worker (`fork_map`'s item `encode`/`decode`).

A batch goes as its records' field values, one tuple each, written by `marshal`, not as pickled
`Record` dataclasses: pickle writes each object's class and field names and rebuilds its
`__dict__` key by key, and it keeps each text's UTF-8 form cached in the parent's string (~4.6
MB a 1,000-article batch, until the record is dropped); marshal writes the values only and the
worker builds each `Record` by its class. A batch that is not plain goes by pickle, as it is: a
record of another class or with an attribute that is not a field, or a value whose type marshal
would not give back exactly (a `str` or `dict` subclass, a `bytearray`, which marshal writes as
`bytes`, a date in `extra`). Nothing is lost or changed either way.

Measured on the 20,000-article benchmark corpus (bf294a3 against the same with this module, this
VM at load 6-8, so absolute figures are inflated): per 1,000-record batch in process, with the
queue's own pickling of what is put on it, medians of 40 interleaved timings (CPU ms): sending
10.3 -> 7.4, receiving 7.2 -> 5.6. `benchmarks/jobs_timeline.py --jobs 2` (with `encode`/`decode`
timed as its pickle/unpickle), 4 alternating rounds, medians: the parent's encoding 0.283 -> 0.212 CPU s a run, the workers' decoding 0.155 -> 0.121;
the parent's minor page faults 123k -> 116k and its peak RSS 487 -> 461 MB in every round (most
likely the UTF-8 copies pickle kept). What is left is mostly the texts' UTF-8 encoding and decoding (in process at load ~5,
medians of 40: 7.5 of the 13.6 ms `encode` takes, 5.1 of `decode`'s 7.4). Sending the texts as
UTF-16 instead (about half the encoding time), judged by its parts, would not pay: twice the bytes
through the pipe cost the workers more than it saves (a 4.7 MB item through a multiprocessing queue, with the CLI's malloc
settings: ~1.7 ms in the sender and ~2.8 ms in the receiver; 9.4 MB: ~3.4 and ~6.5).
"""

from __future__ import annotations

import marshal
import pickle
from dataclasses import fields
from itertools import chain, starmap
from operator import itemgetter

from flagger.collector import paused
from flagger.model import Record
from flagger.scale.transport import NotPlain, field_values, plain_dicts

_FIELDS = tuple(f.name for f in fields(Record))
_values = itemgetter(*_FIELDS)          # a record's field values in order, from its __dict__ by one C call
_extra = itemgetter(_FIELDS.index("extra"))                                        # of those values
_others = itemgetter(*(k for k, name in enumerate(_FIELDS) if name != "extra"))   # the rest of them

# how the batch is written (the first item of the marshalled pair)
_FLAT, _PICKLED = "flat", "pickled"

# values marshal writes and reads back as they are (the exact types: not their subclasses)
_SCALARS = frozenset({str, int, float, bool, type(None), bytes, complex})
_CONTAINERS = frozenset({list, tuple, dict, set, frozenset})


def encode(batch: list[Record]) -> bytes:
    """`batch` as it crosses the pipe (`decode` gives it back)."""
    values = _flat(batch)
    if values is not None:
        try:
            return marshal.dumps((_FLAT, values))
        except ValueError:          # nested deeper than marshal goes
            pass
    return marshal.dumps((_PICKLED, pickle.dumps(batch, pickle.HIGHEST_PROTOCOL)))


def decode(data: bytes) -> list[Record]:
    """The batch `encode` wrote: records equal to the parent's, of the same types."""
    with paused():          # a batch's objects make no cycles: collections would walk them for nothing
        how, body = marshal.loads(data)
        if how == _FLAT:
            return list(starmap(Record, body))
        if how == _PICKLED:
            return pickle.loads(body)
    raise ValueError(f"not an encoded batch of records ({how!r})")


def _flat(batch: list[Record]) -> list[tuple] | None:
    """The records' field values, or None if one of them would not come back from them as it is."""
    if not batch:
        return []
    try:
        values = field_values(_values, plain_dicts(batch, Record, _FIELDS))
    except NotPlain:
        return None
    if (set(map(type, map(_extra, values))) != {dict}
            or not set(map(type, chain.from_iterable(map(_others, values)))) <= _SCALARS):
        return None
    return values if _exact(list(filter(None, map(_extra, values)))) else None


def _exact(values: list) -> bool:
    """Whether every value in `values`, and in every container among them, is of a type marshal
    gives back exactly (no subclass). A container met twice (shared, or one that holds itself)
    is left to pickle, which keeps it as it is."""
    todo, seen = list(values), set()
    while todo:
        value = todo.pop()
        kind = type(value)
        if kind in _SCALARS:
            continue
        if kind not in _CONTAINERS or id(value) in seen:
            return False
        seen.add(id(value))
        todo.extend(chain.from_iterable(value.items()) if kind is dict else value)
    return True
