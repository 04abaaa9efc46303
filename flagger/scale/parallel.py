"""Scan with several processes: `--jobs N`.

Design (docs/scale.md): the parent forks N workers that inherit the compiled scanner (no
pickling of the index, no recompilation: `flagger.forking`) as soon as it has read a batch and
the record after it (an input of one batch at most is scanned without forking), so the workers
start scanning while the parent is still reading. The parent reads records,
groups copies and cuts batches; workers tokenise, match, evaluate and score; results come back
in input order. At most `2 × jobs` batches are in flight, so memory stays bounded however many
records come. Each worker learns the words of the batches it meets. The first two batches, joined
into one, go to one worker alone, which forks the others as soon as their words are learned (before
its articles are scanned): they inherit those words, the most common of the run, instead of each
learning them again (what the parent scanning the first batch itself saved in learning it lost
in keeping a core idle; sending what one worker learned to the other cost as much as it saved).

Copy grouping (`flagger.sources.dedupe.Copies`) needs a whole chunk of records (up to 20,000):
the first `2 × jobs` batches of the first chunk are sent as they are read, before it is
grouped, so the workers scan while the parent reads the rest of the chunk and groups it. A copy
among them is scanned for nothing and its result dropped: its row is its original's, as with
one process. Later chunks are grouped before any of their records is sent (while the workers
scan the batches in flight), at most one ahead of the batches waiting to go out; two until the
first (joined) batches' results are in, as the first worker learns them alone (the parent reads
then on a core that would idle).

On platforms without `fork` (or with jobs ≤ 1) this falls back to the serial scanner.
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Iterable, Iterator
from functools import partial

from flagger.forking import can_fork, fork_map
from flagger.model import ArticleResult, Record
from flagger.records import BATCH_CHARS, BATCH_RECORDS, as_records, iter_batches
from flagger.scale import tasks
from flagger.scale.transport import pack, unpack
from flagger.sources.dedupe import Copies, collapse_copies, copy_result


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _worker_scan(scanner, batch: list[Record], learned=None) -> bytes:
    """A worker's batch: its results as they cross the pipe (`transport.pack`: without the
    records the parent holds; `transport.unpack` there gives them back)."""
    results = scanner.scan_batch(batch) if learned is None else scanner.scan_batch(batch, learned=learned)
    return pack(results, batch)


_PIECES = 4     # the last batches of a run go out in this many pieces each (`_taper`)


def _taper(batches: list[list[Record]], last: int) -> list[list[Record]]:
    """`batches` with the records of the last `last` cut into batches `_PIECES` times smaller: the
    workers' last batches end closer together (one alone on the last full batch kept the other
    cores idle), and once they end the parent has only a small batch left to write."""
    if last <= 0 or not batches:
        return batches
    tail = [record for batch in batches[-last:] for record in batch]
    size = max(1, -(-max(map(len, batches[-last:])) // _PIECES))
    return batches[:-last] + [tail[i:i + size] for i in range(0, len(tail), size)]


def _tapered(batches: Iterable[list[Record]], last: int) -> Iterator[list[Record]]:
    """`batches` as they come, the last `last` (of more than `last + 1`) cut by `_taper`: each
    batch goes out once the `last` after it have been read, or the input has ended."""
    held: deque[list[Record]] = deque()
    count = 0
    for batch in batches:
        held.append(batch)
        count += 1
        if len(held) > last:
            yield held.popleft()
    yield from _taper(list(held), last if count > last + 1 else 0)


def _first_joined(batches: Iterator[list[Record]], n: int = 2) -> Iterator[list[Record]]:
    """`batches` with the first `n` joined into one: the batch the first worker learns alone."""
    first: list[Record] = []
    for batch in itertools.islice(batches, n):
        first += batch
    if first:
        yield first
    yield from batches


class _Batches:
    """The batches to scan and, with copy grouping, which of their records are copies.

    Copies are looked for within chunks cut as `Copies.records` cuts them. The first `ahead`
    batches of the first chunk go out as they are read, before it is grouped, so the workers
    have work while the parent reads the rest of it and groups it: a copy among them is scanned
    for nothing and its result dropped. `fate[id(record)]`: a
    record to report, its copies' records (rows after its own); None: a copy that went out
    before its chunk was grouped. Entries are removed as rows are given out."""

    def __init__(self, records: Iterable, batch_size: int, copies: Copies | None, ahead: int, last: int = 0) -> None:
        self.source = iter(as_records(records)) if copies is not None else None
        self.plain = _tapered(iter_batches(records, batch_size), last) if copies is None else None
        self.last, self.made = last, 0                # the input's last batches go in pieces (`_taper`); batches cut so far
        self.batch_size, self.copies = batch_size, copies
        self.fate: dict[int, list[Record] | None] = {}
        self.ready: deque[list[Record]] = deque()     # batches of grouped records to scan
        self.chunk: list[Record] = []                 # the chunk being read
        self.chars = self.sent = self.sent_chars = 0  # its text; its records sent ungrouped, their text
        self.early = self.ahead = ahead               # batches of it that may still go out ungrouped; in flight
        self.spare = 1                                # chunks `read_ahead` may group beyond its cap (`solo_ended`)
        self.read_all = False

    def __iter__(self) -> Iterator[list[Record]]:
        if self.plain is not None:
            yield from self.plain
            return
        while True:
            if self.ready:
                yield self.ready.popleft()
            elif self.read_all:
                return
            else:
                early = self._read()
                if early is not None:
                    yield early

    def read_ahead(self) -> bool:
        """Reads a record of a chunk not needed yet, while the parent waits for a result (the
        workers were forked, the first alone while it learns the first batches' words: the
        parent read and grouped the next chunk later, competing with both). At most one chunk
        is read ahead of the batches waiting to go out; one more before `solo_ended()`. False:
        nothing to read now."""
        if self.copies is None or self.read_all or (len(self.ready) >= self.ahead and not self.spare):
            return False
        early = self._read()
        if early is not None:
            self.ready.append(early)
        return True

    def _read(self) -> list[Record] | None:
        """Reads a record; a batch to send before its chunk is grouped, when one is full."""
        record = next(self.source, None)
        if record is None:
            self._group(final=True)
            self.read_all = True
            return None
        chunk = self.chunk
        chunk.append(record)
        self.chars += len(record.text)
        early = None
        if self.early and (len(chunk) - self.sent >= self.batch_size or self.chars - self.sent_chars >= BATCH_CHARS):
            early = chunk[self.sent:]
            self.sent, self.sent_chars, self.early = len(chunk), self.chars, self.early - 1
            self.made += 1
        # (the chunk as Copies.records cuts it: reports equal one process's)
        if self.copies.chunk_full(len(chunk), self.chars):
            self._group()
        return early

    def _group(self, final: bool = False) -> None:
        """Groups the chunk's copies; its records not sent yet that are to be scanned go to `ready`
        in batches (the last one short, before the next chunk's first: rows stay in input order;
        the `last` of the input's batches in pieces, if it has more than `last + 1`)."""
        chunk, sent = self.chunk, self.sent
        self.chunk, self.chars, self.sent, self.sent_chars, self.early = [], 0, 0, 0, 0
        if not chunk:
            return
        kept, folded, copies = collapse_copies(chunk)
        self.copies.folded += folded
        fate = self.fate
        for record, its_copies in zip(kept, copies, strict=True):
            fate[id(record)] = its_copies
        for record in chunk[:sent]:
            fate.setdefault(id(record), None)
        cut = list(iter_batches([record for record in chunk[sent:] if id(record) in fate], self.batch_size))
        self.made += len(cut)
        if len(self.ready) >= self.ahead:       # a chunk grouped beyond the cap: the spare one
            self.spare = 0
        self.ready.extend(_taper(cut, min(self.last, len(cut)) if final and self.made > self.last + 1 else 0))

    def solo_ended(self) -> None:
        """The first (joined) batches' results are in: `read_ahead` keeps to one chunk ahead from
        now on. Until then the first worker learns their words alone, the others not forked yet,
        and a core idled while the parent waited with its chunk read: it reads and groups one
        chunk more there instead of later, when it competes with every worker for the cores."""
        self.spare = 0

    def rows(self, batch: list[Record], results: list[ArticleResult]) -> Iterator[ArticleResult]:
        """A batch's rows: each reported record's result, then its copies' rows."""
        if self.copies is None:
            yield from results
            return
        fate = self.fate
        for record, result in zip(batch, results, strict=True):
            while id(record) not in fate:       # its chunk is not grouped yet: read the rest of it
                early = self._read()
                if early is not None:
                    self.ready.append(early)
            its_copies = fate.pop(id(record))
            if its_copies is None:
                continue
            yield result
            for copy in its_copies:
                yield copy_result(result, copy)


def _more_than_one_batch(records: Iterable, batch_size: int) -> tuple[Iterator[Record], bool]:
    """`records` as `Record`s (none lost) and whether they make more than one batch as
    `iter_batches` cuts them: its first batch and the record after it are read to know."""
    source = iter(as_records(records))
    first = next(iter_batches(source, batch_size, BATCH_CHARS), [])
    after = next(source, None)
    if after is None:
        return iter(first), False
    return itertools.chain(first, (after,), source), True


def scan_parallel(scanner, records: Iterable, jobs: int | None = None, batch_size: int = BATCH_RECORDS,
                  copies: Copies | None = None) -> Iterator[ArticleResult]:
    """Results of `scanner` over `records`, in input order, using `jobs` processes.

    `copies`: group syndicated copies as `copies.rows(scanner.scan_iter(copies.records(records)))`
    does (the same rows in the same order; `copies.folded` counts them)."""
    jobs = default_jobs() if not jobs or jobs < 1 else jobs
    more = False
    if jobs > 1 and can_fork():
        records, more = _more_than_one_batch(records, batch_size)
    if not more:
        # One process; or an input of one batch at most, scanned here as one process scans it: a
        # fork would not pay for itself (and with the index not loaded, an empty input made the
        # first worker load it for nothing, ~0.3 s).
        if copies is None:
            yield from scanner.scan_iter(records)
        else:
            yield from copies.rows(scanner.scan_iter(copies.records(records)))
        return
    in_flight = 2 * jobs
    batches = _Batches(records, batch_size, copies, ahead=in_flight, last=jobs)
    cut = iter(batches)
    # The index not loaded (`ArticleScanner(load_index=False)`): the first worker loads it as soon as
    # it is forked, while this process reads on; the other workers inherit it from that one, and
    # this process never holds it.
    prepare = None if scanner.index_loaded else scanner.load_index
    # The first two batches, joined, are scanned by one worker, which forks the others once their
    # words are learned: they start knowing them (they hold most of a run's distinct words: 55.4k of
    # the 76.9k one process learns on the 20,000-article benchmark corpus) instead of each learning
    # them again. With the first batch alone (43.8k words) the workers learned 98.8k words in all,
    # with two 87.9k; the parent reads ahead meanwhile.
    scan = partial(_worker_scan, scanner)
    # A batch goes to its worker as its records' field values (`tasks.encode`), its results come back
    # packed (`transport.pack`, bytes: they cross as they are).
    for batch, results in fork_map(scan, _first_joined(cut), jobs, in_flight, first=scan, prepare=prepare,
                                   idle=batches.read_ahead, encode=tasks.encode, decode=tasks.decode):
        batches.solo_ended()
        yield from batches.rows(batch, unpack(results, batch))
