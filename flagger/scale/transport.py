"""What a `--jobs` worker sends back for a batch, and how the parent turns it back into results.

The one seam between the processes' results: `pack` (in the worker) and `unpack` (in the
parent). Everything above it, the gate, the digest and every report, gets the same
`ArticleResult`s as with one process.

A batch's results are flat tuples of builtin values (each dataclass's fields in order) written
by `marshal`, not the dataclass objects by `pickle`: pickle writes and reads each object's
class and field names and rebuilds its `__dict__` key by key; marshal writes the values only and
the parent builds each object by its class. On the 20,000-article benchmark corpus, for a
1,000-article batch (about 7,000 objects), in process, old and new alternating (medians of 45 and
60 timings at load 2-6): writing 15.1 -> 11.0 ms and 20.8 -> 16.1 ms (0.73 x, 0.77 x), reading
25.9 -> 14.0 ms and 36.3 -> 20.2 ms (0.54 x, 0.56 x). Results that are not plain (an object of
another class, one with an attribute that is not a field, one with a field deleted) go by pickle,
as they are; a value marshal cannot write, in the flat form by pickle: nothing is lost or changed
either way.

`pack` reads an object's values from its `__dict__`, which the check that it is plain (exactly its
class, as many attributes as fields) makes anyway (`vars()`), by one itemgetter of all its fields
(a dict look-up each, cheaper than attrgetter's attribute look-ups; a field missing is a KeyError,
so an object with a field deleted and another attribute in its place is not plain either). Real
1,000-article batches of the benchmark corpus (4 batches x 40 rounds, old and new alternating,
load 4-7): pack 32.4 -> 30.1 ms median, paired new/old 0.92 (quartiles 0.80-1.04). In the
workers of `benchmarks/jobs_timeline.py --jobs 2` runs (load 4-8, old and new alternating): pack
of a 1,000-article batch 32.2 -> 25.2 ms median (60 calls each, 4 rounds); a run's pack 0.624
(0.514-0.713) -> 0.573 (0.488-0.632) CPU s, median of 10 rounds. Measured and not kept: marshal version 2 (no table of shared values; 4 batches x 60, paired medians): writing
0.84 x, reading 1.19 x, 1.33 x the bytes, and a value two results share would come back as two;
each object built by `cls.__new__` with its `__dict__` set in bulk (assigned or update()d, by
C-level maps): medians 7.1-8.1 ms for a batch's hits (2 batches x 25) against 1.8 ms by the
generated `__init__` (`starmap(cls, ...)`); counting each object's attributes by
`gc.get_referents` instead of `vars()`: slower (0.75 ms for a batch's 3,138 hits, minimum,
against 0.56 ms); the values sent by field (columns, objects built by `map(cls, *columns)`):
pack 0.97 x, unpack 1.03 x.

A record the worker was given is not sent back (the parent holds it: sending each record's text
back doubled what crossed the pipe); a record the scanner replaced (an internal error on that
article: text dropped, error set) is.

`pack` drops the objects (`results` is emptied) once their values are read, before marshal writes
them: marshal enters every value held more than once in a table (to keep what is shared shared),
and while the objects lived every value was. Once they are gone, the values that were theirs
alone are held once (in a --jobs 2 worker on the benchmark corpus, ~23 % of a batch's hits'
values; the others are shared with the scanner's own tables, rule ids and the like). Both sides
run with the cyclic collector paused: a batch's ~7,000 objects, tuples and dicts make no cycles,
and the collections their allocation set off walked them. Per batch, in the workers of --jobs 2
scans of the benchmark corpus at load 7 (2 workers x 2 runs each, ms): reading the values
3.7-4.7 -> 2.5-3.2; marshal 6.3-8.4 -> 4.4-5.7, plus the objects' drop now in `pack` (1.6-1.9),
which the worker did after it before.
"""

from __future__ import annotations

import marshal
import pickle
from collections.abc import Iterator
from dataclasses import fields
from itertools import chain, islice, repeat, starmap
from operator import itemgetter

from flagger.collector import paused
from flagger.model import ArticleResult, Contribution, EntityMatch, Hit, Record

# the first byte of a packed batch: how the rest is written (the flat form by marshal, or by pickle
# when a value is not one marshal writes; the results as they are, by pickle)
_MARSHAL, _PICKLED_FLAT, _PICKLE = b"m", b"f", b"p"


def _names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


_RECORD, _HIT, _ENTITY, _CONTRIBUTION, _RESULT = map(_names, (Record, Hit, EntityMatch, Contribution, ArticleResult))
_PARTS = ("entities", "hits", "contributions")        # a result's lists of objects, sent flat (below)
_SCALARS = tuple(name for name in _RESULT if name != "record" and name not in _PARTS)
# each class's fields in order, read from an object's __dict__ by one C call
_record_values, _hit_values, _entity_values, _contribution_values, _scalars = (
    itemgetter(*names) for names in (_RECORD, _HIT, _ENTITY, _CONTRIBUTION, _SCALARS))
_RECORD_OF = itemgetter("record")
_PART_CLASSES = ((itemgetter("entities"), EntityMatch, _ENTITY, _entity_values),
                 (itemgetter("hits"), Hit, _HIT, _hit_values),
                 (itemgetter("contributions"), Contribution, _CONTRIBUTION, _contribution_values))


class NotPlain(Exception):
    """An object holds what the flat form would not give back as it is (`plain_dicts`,
    `field_values`; `flagger.scale.tasks` checks a batch's records by them too)."""


def plain_dicts(objects: list, cls, names: tuple[str, ...]) -> list[dict]:
    """The `__dict__`s of `objects`, checked to be exactly `cls` with as many attributes as it has
    fields (C calls); `field_values` then finds each field there."""
    if objects and set(map(type, objects)) != {cls}:
        raise NotPlain
    dicts = list(map(vars, objects))
    if dicts and set(map(len, dicts)) != {len(names)}:
        raise NotPlain
    return dicts


def field_values(get: itemgetter, dicts: list[dict]) -> list:
    """`get` (an itemgetter of fields) of each of `dicts`: `NotPlain` if one lacks a field (an
    attribute of another name in its place)."""
    try:
        return list(map(get, dicts))
    except KeyError:
        raise NotPlain from None


def pack(results: list[ArticleResult], batch: list[Record]) -> bytes:
    """A worker's results for `batch` (one per record, in order) as they cross the pipe. The
    results are the worker's to drop: their records are taken out of them, and `results` is
    emptied.

    Flat: the results' other fields, then per list (entities, hits, contributions) how many each
    result has and every object's field values, the batch's in one list (a few C calls a batch
    instead of Python steps per result)."""
    for result, record in zip(results, batch, strict=True):
        if result.record is record:
            result.record = None
    with paused():
        try:
            flat = _flat(results)
        except NotPlain:
            flat = None
            data = _PICKLE + pickle.dumps(results, pickle.HIGHEST_PROTOCOL)
        results.clear()
        if flat is None:
            return data
        try:
            return _MARSHAL + marshal.dumps(flat)
        except ValueError:                  # a value marshal cannot write: pickle writes it as it is
            return _PICKLED_FLAT + pickle.dumps(flat, pickle.HIGHEST_PROTOCOL)


def _flat(results: list[ArticleResult]) -> list:
    """The flat form of `results` (`pack`), holding none of their objects; `NotPlain` if one of
    them would not come back from it as it is."""
    dicts = plain_dicts(results, ArticleResult, _RESULT)
    flat = [field_values(_scalars, dicts),
            [(k, field_values(_record_values, plain_dicts([record], Record, _RECORD))[0])
             for k, record in enumerate(field_values(_RECORD_OF, dicts)) if record is not None]]
    for get, cls, names, values in _PART_CLASSES:
        lists = field_values(get, dicts)
        flat.append(list(map(len, lists)))
        flat.append(field_values(values, plain_dicts(list(chain.from_iterable(lists)), cls, names)))
    return flat


def unpack(data: bytes, batch: list[Record]) -> list[ArticleResult]:
    """The results `pack` packed, each with its record: `batch`'s own unless the worker replaced it."""
    kind, body = data[:1], memoryview(data)[1:]
    if kind not in (_MARSHAL, _PICKLED_FLAT, _PICKLE):
        raise ValueError(f"not a packed batch of results (first byte {bytes(kind)!r})")
    with paused():
        if kind == _PICKLE:
            results = pickle.loads(body)
            for result, own in zip(results, batch, strict=True):
                if result.record is None:
                    result.record = own
            return results
        return _results(marshal.loads(body) if kind == _MARSHAL else pickle.loads(body), batch)


def _results(flat: list, batch: list[Record]) -> list[ArticleResult]:
    scalars, replaced, *parts = flat
    records = list(batch)
    for k, values in replaced:
        records[k] = Record(*values)
    entities, hits, contributions = (_split(starmap(cls, parts[2 * i + 1]), parts[2 * i])
                                     for i, cls in enumerate((EntityMatch, Hit, Contribution)))
    return [ArticleResult(record, language, score, level, rules, categories, its_entities, its_hits, evidence,
                          its_contributions)
            for record, (language, score, level, rules, categories, evidence), its_entities, its_hits,
            its_contributions in zip(records, scalars, entities, hits, contributions, strict=True)]


def _split(objects: Iterator, counts: list[int]) -> list[list]:
    """`objects` cut into lists of `counts` items, in order: C calls only (a batch's three splits
    1.42 -> 1.28 ms against a list comprehension of islices, 2 batches x 200, paired 0.91 x)."""
    return list(map(list, map(islice, repeat(objects), counts)))
