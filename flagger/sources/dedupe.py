"""Syndicated copies: the same wire story on many sites becomes one article with its copies listed.

Two articles are copies when their word 5-shingles overlap enough: Jaccard similarity ≥ the
threshold (default 0.7: one changed word in a 40-word story already drops it to about 0.76), or
one text is contained in the other (≥ 0.9 of the shorter one's shingles, for sites that trim or
append a paragraph) and the shorter is at least half as long.
Candidates come from an index of each text's lowest shingle hashes (a bottom-k sketch) queried
with every text's full shingle set, so the cost stays near-linear in the total text size.

The kept article is the earliest published (then the first read); each copy is recorded in its
`extra["duplicates"]` (id, url, source) and `extra["copies"]`, and is not scanned again: one
finding per story, not one per site.
"""

from __future__ import annotations

import heapq
import re
import zlib
from collections import defaultdict

from flagger.model import Record

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


def _similar(a: set[int], b: set[int], threshold: float) -> bool:
    if not a or not b:
        return False
    inter = len(a & b)
    if inter / len(a | b) >= threshold:
        return True
    small, large = sorted((len(a), len(b)))
    return small >= 0.5 * large and inter / small >= 0.9


def group_copies(records: list[Record], threshold: float = 0.7) -> list[list[int]]:
    """Groups of indexes into `records` (only groups of two or more), each sorted by keep-priority."""
    sets = [(_shingles(r.title + " " + r.text) if not r.error else set()) for r in records]
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Index each text's bottom-k sketch; a text finds its copies by intersecting its full shingle
    # set with the sketch keys (a C-level set operation): a copy's lowest shingles lie in the text.
    index: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for h in heapq.nsmallest(SKETCH, s):
            index[h].append(i)
    keys = set(index)
    for i, s in enumerate(sets):
        if not s:
            continue
        candidates: set[int] = set()
        for h in s & keys:
            postings = index[h]
            if len(postings) <= 1000:
                candidates.update(postings)
        candidates.discard(i)
        for j in sorted(candidates):
            if find(i) != find(j) and _similar(s, sets[j], threshold):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        if sets[i]:
            groups[find(i)].append(i)

    def priority(i: int):
        pub = records[i].published or "9999"
        return (pub, i)

    return [sorted(g, key=priority) for g in groups.values() if len(g) > 1]


def collapse_copies(records: list[Record], threshold: float = 0.7) -> tuple[list[Record], int]:
    """(records to scan, number of copies folded into their original)."""
    groups = group_copies(records, threshold)
    dropped: set[int] = set()
    for g in groups:
        keep = records[g[0]]
        copies = [records[i] for i in g[1:]]
        keep.extra["duplicates"] = [{"id": c.id, "url": c.url, "source": c.source, "published": c.published}
                                    for c in copies]
        keep.extra["copies"] = len(copies)
        for c in copies:
            c.extra["duplicate_of"] = keep.id
        dropped.update(g[1:])
    return [r for i, r in enumerate(records) if i not in dropped], len(dropped)


CHUNK = 20_000
# A chunk also ends after this many characters of text: a few hundred 10 MB articles (plus their
# shingle sets, ~5x the text) must not fill memory.
CHUNK_CHARS = 32_000_000


def collapse_in_chunks(records, threshold: float = 0.7, chunk: int = CHUNK):
    """(iterator of records to scan, callable giving the number of copies folded so far).

    Streams: copies are looked for within chunks of `chunk` records, so memory stays bounded on
    large batch inputs while a feed run (far smaller than a chunk) is compared as a whole."""
    folded = [0]

    def gen():
        buf: list[Record] = []
        chars = 0
        for r in records:
            buf.append(r)
            chars += len(r.text)
            if len(buf) >= chunk or chars >= CHUNK_CHARS:
                kept, n = collapse_copies(buf, threshold)
                folded[0] += n
                yield from kept
                buf, chars = [], 0
        if buf:
            kept, n = collapse_copies(buf, threshold)
            folded[0] += n
            yield from kept

    return gen(), lambda: folded[0]
