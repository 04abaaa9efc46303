"""Scan with several processes: `--jobs N`.

Design (docs/scale.md): the parent forks N workers that inherit the compiled scanner (no
pickling of the index, no recompilation: `flagger.forking`). The parent reads records and
cuts them into batches; workers tokenise, match, evaluate and score; results come back in input
order. At most `2 × jobs` batches are in flight, so memory stays bounded however many records come.
Optionally (`central_fuzzy=True`) the parent computes each batch's *fuzzy token map* — one bulk
look-up over the batch's new distinct tokens — and ships the entries with the batch, so workers
never repeat that work; worth it only when typo look-ups dominate (very large name lists).

On platforms without `fork` (or with jobs ≤ 1) this falls back to the serial scanner.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from functools import partial
from itertools import chain

from flagger.forking import can_fork, fork_map
from flagger.model import ArticleResult, Record
from flagger.records import BATCH_RECORDS, iter_batches

_WORD = re.compile(r"\w+")


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _worker_scan(scanner, task: tuple[list[Record], dict]) -> list[ArticleResult]:
    batch, fuzzy = task
    if fuzzy:
        scanner.alternatives.add_fuzzy_entries(fuzzy)
    results = scanner.scan_batch(batch)
    # The parent holds these records already: sending each back with its text doubled what
    # crossed the pipe (4.8 of a batch's 6.1 MB) and what the parent unpickled. A record the
    # scanner replaced (an internal error: text dropped, error set) does go back.
    for record, result in zip(batch, results, strict=True):
        if result.record is record:
            result.record = None
    return results


def _with_records(batch: list[Record], results: list[ArticleResult]) -> list[ArticleResult]:
    for record, result in zip(batch, results, strict=True):
        if result.record is None:
            result.record = record
    return results


def _batch_fuzzy(scanner, batch: list[Record]) -> dict:
    """The fuzzy-map entries for the batch's distinct tokens, computed (once) in the parent.

    Distinct raw words are found with a cheap `\\w+` pass; the worker's own tokeniser may see
    a few more (apostrophes, CJK, joiners) and computes those itself."""
    words: set[str] = set()
    for record in batch:
        if not record.error:
            words.update(_WORD.findall(record.text))
    return scanner.alternatives.fuzzy_entries({scanner.normalise(w) for w in words})


def scan_parallel(scanner, records: Iterable, jobs: int | None = None,
                  batch_size: int = BATCH_RECORDS, central_fuzzy: bool = False) -> Iterator[ArticleResult]:
    """Results of `scanner` over `records`, in input order, using `jobs` processes.

    `central_fuzzy`: compute each batch's fuzzy token map in the parent and ship it with the
    batch. Off by default: since typo look-ups go through the deletion index they cost ~4 % of
    a scan, less than the parent's extra pass over the text (~10–15 %), which on a 2-core
    machine competes with the workers."""
    jobs = default_jobs() if not jobs or jobs < 1 else jobs
    if jobs <= 1 or not can_fork():
        yield from scanner.scan_iter(records)
        return
    batches = iter_batches(records, batch_size)
    first = next(batches, None)
    if first is None:
        return
    # The first batch is scanned here, before the workers are forked: the words the scanner
    # learns from it (a corpus's frequent words, most of what any batch needs learning) reach
    # every worker by fork, instead of each worker learning them again. Workers repeated that
    # learning: 1.18x the CPU of one process at --jobs 2 (docs/scale.md).
    yield from scanner.scan_batch(first)
    second = next(batches, None)
    if second is None:            # one batch: nothing left for workers
        return
    tasks = ((batch, _batch_fuzzy(scanner, batch) if central_fuzzy else {}) for batch in chain([second], batches))
    for (batch, _fuzzy), results in fork_map(partial(_worker_scan, scanner), tasks, jobs):
        yield from _with_records(batch, results)
