"""Syndicated copies: a reprint of a story is reported with the story's result, never lost.

A record is a copy of another only when its text adds nothing the other lacks: every word
5-shingle of the copy (title and text) is among the other's shingles. Similarity is not enough:
a reprint with one appended paragraph ("North Korea shipped artillery shells…") holds new
content and is scanned on its own. Two records with the same shingles are copies of each other;
the earlier published (then the first read) is the original. A record contained in a longer
one is a copy of the longer one, whatever the dates.

Candidates come from an index of each text's lowest shingle hashes (a bottom-k sketch): when B's
shingles all lie in A, B's lowest ones do too, so intersecting A's full shingle set with the
sketch keys finds every B. The cost stays near-linear in the total text size.

Copies are not scanned again, but every input record keeps its own row in every report: a copy's
row carries its original's result, with `duplicate_of` naming the original (count in = count out).
The original lists its copies in `extra["duplicates"]` and `extra["copies"]`.
"""

from __future__ import annotations

import heapq
import re
import zlib
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import replace

from flagger.model import ArticleResult, Record

SHINGLE = 5
SKETCH = 12
_WORD = re.compile(r"\w+")


def _shingles(text: str) -> set[int]:
    """Hashes of the text's word 5-grams. crc32 per word and the (int-only, so unsalted) tuple hash
    keep this deterministic across runs and entirely in C loops."""
    words = list(map(zlib.crc32, map(str.encode, _WORD.findall(text.casefold()))))
    if len(words) < SHINGLE:
        return {hash(tuple(words))} if words else set()
    return set(map(hash, zip(*(words[i:] for i in range(SHINGLE)), strict=False)))


def original_of(records: list[Record]) -> list[int | None]:
    """For each record, the index of the record it copies (its text adds nothing that one lacks),
    or None. Originals are never copies themselves."""
    sets = [(_shingles(r.title + " " + r.text) if not r.error else set()) for r in records]

    def rank(i: int):        # bigger text first, then earliest published, then first read
        return (-len(sets[i]), records[i].published or "9999", i)

    index: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for h in heapq.nsmallest(SKETCH, s):
            index[h].append(i)
    keys = set(index)
    best: list[int | None] = [None] * len(records)
    for j, s in enumerate(sets):          # j: a possible original of every record found here
        if not s:
            continue
        candidates: set[int] = set()
        for h in s & keys:
            candidates.update(index[h])
        candidates.discard(j)
        for i in candidates:
            if rank(j) < rank(i) and sets[i] <= s and (best[i] is None or rank(j) < rank(best[i])):
                best[i] = j
    # the best container of a copy is a record nothing contains (a containing record of a copy's
    # original would contain the copy too, and rank better), so one step reaches the original
    return [b if b is None or best[b] is None else _root(best, b) for b in best]


def _root(best: list[int | None], i: int) -> int:
    while best[i] is not None:
        i = best[i]
    return i


def group_copies(records: list[Record]) -> list[list[int]]:
    """Groups of indexes into `records` (only groups of two or more): the original, then its copies
    in input order. Copies are found by containment, never by similarity."""
    of = original_of(records)
    groups: dict[int, list[int]] = defaultdict(list)
    for i, o in enumerate(of):
        if o is not None:
            groups[o].append(i)
    return [[o, *groups[o]] for o in sorted(groups)]


def collapse_copies(records: list[Record]) -> tuple[list[Record], int, list[list[Record]]]:
    """(records to scan, number of copies, the copies of each record to scan, in the same order)."""
    groups = group_copies(records)
    copies_of: dict[int, list[Record]] = {}
    for g in groups:
        keep = records[g[0]]
        copies = [records[i] for i in g[1:]]
        keep.extra["duplicates"] = [{"id": c.id, "url": c.url, "source": c.source, "published": c.published}
                                    for c in copies]
        keep.extra["copies"] = len(copies)
        for c in copies:
            c.extra["duplicate_of"] = keep.id
        copies_of[g[0]] = copies
    dropped = {i for g in groups for i in g[1:]}
    kept = [i for i in range(len(records)) if i not in dropped]
    return [records[i] for i in kept], len(dropped), [copies_of.get(i, []) for i in kept]


CHUNK = 20_000
# A chunk also ends after this many characters of text: a few hundred 10 MB articles (plus their
# shingle sets, ~5x the text) must not fill memory.
CHUNK_CHARS = 32_000_000


class Copies:
    """Copy grouping for one run: `records(...)` yields the records to scan; `rows(results)` gives
    back one result per input record, each copy's right after its original's."""

    def __init__(self, chunk: int = CHUNK):
        self.chunk = chunk
        self.folded = 0
        self._pending: deque[list[Record]] = deque()

    def records(self, records: Iterable[Record]) -> Iterator[Record]:
        """Copies are looked for within chunks of `chunk` records, so memory stays bounded on large
        batch inputs while a feed run (far smaller than a chunk) is compared as a whole."""
        buf: list[Record] = []
        chars = 0
        for r in records:
            buf.append(r)
            chars += len(r.text)
            if len(buf) >= self.chunk or chars >= CHUNK_CHARS:
                yield from self._flush(buf)
                buf, chars = [], 0
        if buf:
            yield from self._flush(buf)

    def _flush(self, buf: list[Record]) -> Iterator[Record]:
        kept, n, copies = collapse_copies(buf)
        self.folded += n
        for record, its_copies in zip(kept, copies, strict=True):
            self._pending.append(its_copies)
            yield record

    def rows(self, results: Iterable[ArticleResult]) -> Iterator[ArticleResult]:
        """Results in scan order (one per record to scan), each followed by its copies' rows."""
        for result in results:
            yield result
            for copy in self._pending.popleft():
                yield copy_result(result, copy)


def copy_result(original: ArticleResult, copy: Record) -> ArticleResult:
    """A copy's row: the original's result under the copy's own record (its hits name the copy)."""
    if original.record.error:
        copy = replace(copy, error=f"{copy.origin or copy.id}: not scanned: the article it copies "
                                   f"({original.record.id}) could not be scanned")
    return replace(original, record=copy, hits=[replace(h, article_id=copy.id) for h in original.hits])
