"""Syndicated copies: a reprint of a story is reported with the story's result, never lost.

A record is a copy of another only when its text adds nothing the other lacks: every word
5-shingle of the copy (title and text) is among the other's shingles. Similarity is not enough:
a reprint with one appended paragraph ("North Korea shipped artillery shells…") holds new
content and is scanned on its own. Two records with the same shingles are copies of each other;
the earlier published (then the first read) is the original. A record contained in a longer
one is a copy of the longer one, whatever the dates.

Candidates come from each text's lowest shingle hashes (a bottom-k sketch): when B's shingles all
lie in A, B's lowest ones do too, so the records holding one of B's sketch keys (its anchor) are
every possible A. Shingles are sorted numpy arrays (8 bytes each), the look-ups are done in numpy,
and only candidate pairs are checked one by one: the cost stays near-linear in the text size.

Copies are not scanned again, but every input record keeps its own row in every report: a copy's
row carries its original's result, with `duplicate_of` naming the original (count in = count out).
The original lists its copies in `extra["duplicates"]` and `extra["copies"]`.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cache

import numpy as np

from flagger import kernels
from flagger.model import ArticleResult, Record

SHINGLE = 5
SKETCH = 12
_WORD = re.compile(r"\w+")
# Odd 64-bit multipliers mixing a shingle's five word hashes into one (multiplication and xor
# wrap modulo 2**64); a text shorter than a shingle gets one hash of all its words, tagged by
# their count so it never equals a 5-word shingle's by construction.
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                 0xFF51AFD7ED558CCD], dtype=np.uint64)
_SHORT = np.uint64(0x27D4EB2F165667C5)
_ROT = np.uint64(29)
_ROT_BACK = np.uint64(64 - 29)
_EMPTY = np.zeros(0, dtype=np.uint64)


# Texts are shingled together, in slices of about this many characters (the slice's numpy arrays
# take ~40 bytes a character while it is worked on).
_SLICE_CHARS = 1 << 20
_WORD_BASE = np.uint64(0x100000001B3)
_WORD_LENGTH = np.uint64(0x9E3779B97F4A7C15)


@cache
def _word_chars() -> np.ndarray:
    r"""Per code point of the Basic Multilingual Plane: whether `\w` (the re module's, for str)
    matches it. Built once per process from the regex itself (~30 ms)."""
    every = "".join(map(chr, range(0x10000)))
    table = np.zeros(0x10000, dtype=bool)
    for m in _WORD.finditer(every):
        table[m.start():m.end()] = True
    return table


_MANY = np.uint32(0xFFFFFFFF)


@cache
def _fold_table() -> np.ndarray:
    """Per code point of the Basic Multilingual Plane: its casefold when that is one character,
    else _MANY (and _MANY at 0x10000, standing for every character beyond the plane). Built once
    per process from str.casefold of every character (~10 ms)."""
    every = "\0".join(map(chr, range(1, 0x10000)))
    folds = every.casefold().split("\0")       # NUL folds to itself and separates the others
    lengths = np.fromiter(map(len, folds), dtype=np.int64, count=len(folds))
    codes = np.frombuffer("".join(folds).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    first = np.zeros(len(folds), dtype=np.int64)
    np.cumsum(lengths[:-1], out=first[1:])
    table = np.full(0x10001, _MANY, dtype=np.uint32)
    table[0] = 0
    table[1:0x10000] = np.where(lengths == 1, codes[first], _MANY)
    table.flags.writeable = False
    return table


def _all_shingles(texts: list[str]) -> list[np.ndarray]:
    """Each text's sorted distinct word 5-gram hashes (uint64), for many texts at once: by the
    compiled kernel (flagger.kernels) text by text when it is built, else `_all_shingles_pure`."""
    native = kernels.dedupe
    if native is None:
        return _all_shingles_pure(texts)
    fold, word = _fold_table(), _word_chars().view(np.uint8)
    shingles = native.shingles
    out: list[np.ndarray] = []
    for text in texts:
        got = shingles(text, fold, word, False)
        # a character whose casefold is not one character (ß, or one beyond the BMP): the text
        # casefolded as a string, whose characters are then their own casefolds
        out.append(shingles(text.casefold(), fold, word, True) if got is None else got)
    return out


def _all_shingles_pure(texts: list[str]) -> list[np.ndarray]:
    """`_all_shingles` in numpy, the reference for the compiled kernel (tests/test_kernels.py)."""
    out: list[np.ndarray] = []
    start = 0
    while start < len(texts):
        end, size = start, 0
        while end < len(texts) and (end == start or size + len(texts[end]) <= _SLICE_CHARS):
            size += len(texts[end]) + 1
            end += 1
        out.extend(_slice_shingles(texts[start:end]))
        start = end
    return out


def _slice_shingles(texts: list[str]) -> list[np.ndarray]:
    r"""`_all_shingles` of a slice of texts, in numpy over their casefolded code points: the words are the
    runs of `\w` characters (what `re.findall(r"\w+")` gives: a table of the Basic Multilingual
    Plane, the regex itself for a text with characters beyond it), each hashed by a polynomial
    of its code points, and the 5-grams of one text's words mixed into one hash each."""
    n = len(texts)
    joined = "\0".join(texts)            # NUL is no word character: no word spans two texts
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    bases = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=n) + 1, out=bases[1:])
    # str.casefold, character by character: a table for the characters whose casefold is one
    # character; a text holding another (ß -> ss, or one beyond the Basic Multilingual Plane) is
    # casefolded as a string (casefold is idempotent: the table leaves its result as it is)
    table = _fold_table()
    cp_folded = table[np.minimum(cp, np.uint32(0x10000))]
    odd = np.flatnonzero(cp_folded == _MANY)
    if len(odd):
        redo = set(np.unique(np.searchsorted(bases, odd, side="right") - 1).tolist())
        texts = [t.casefold() if k in redo else t for k, t in enumerate(texts)]
        joined = "\0".join(texts)
        cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=n) + 1, out=bases[1:])
        cp_folded = table[np.minimum(cp, np.uint32(0x10000))]
        wide = np.flatnonzero(cp > 0xFFFF)
        cp_folded[wide] = cp[wide]
    cp = cp_folded
    del cp_folded
    if len(cp) and int(cp.max()) > 0xFFFF:
        wide = cp > 0xFFFF
        word = _word_chars()[np.where(wide, 0, cp)]
        for k in np.unique(np.searchsorted(bases, np.flatnonzero(wide), side="right") - 1).tolist():
            base = bases[k]
            word[base:base + len(texts[k])] = False
            for m in _WORD.finditer(texts[k]):
                word[base + m.start():base + m.end()] = True
    else:
        word = _word_chars()[cp]
    edges = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    if not len(starts):
        return [_EMPTY] * n
    # a word's hash: sum of (code point + 1) * BASE**(position in the word), mixed with its length
    lengths = ends - starts
    with np.errstate(over="ignore"):
        words = _word_sums(cp, starts, lengths)
        words ^= lengths.astype(np.uint64) * _WORD_LENGTH
        words *= _MIX[4]
        words ^= words >> np.uint64(31)
        owner = np.searchsorted(bases, starts, side="right") - 1
        bounds = np.searchsorted(owner, np.arange(n + 1)).tolist()
        m = len(words) - SHINGLE + 1
        grams = _EMPTY
        if m > 0:
            grams = words[:m] * _MIX[0]
            spare = np.empty_like(grams)         # in place: no fresh array (page faults) per step
            for k in range(1, SHINGLE):
                np.right_shift(grams, _ROT_BACK, out=spare)
                grams <<= _ROT
                grams |= spare
                np.multiply(words[k:k + m], _MIX[k], out=spare)
                grams ^= spare
            del spare
        out = []
        for k in range(n):
            lo, hi = bounds[k], bounds[k + 1]
            if hi - lo >= SHINGLE:
                h = np.sort(grams[lo:hi - SHINGLE + 1])
                out.append(h[np.concatenate(([True], h[1:] != h[:-1]))])
            elif hi > lo:
                h = _SHORT * np.uint64(hi - lo)
                for i, w in enumerate(words[lo:hi]):
                    h = ((h ^ w) * _MIX[i]) ^ (h >> _ROT_BACK)
                out.append(np.array([h], dtype=np.uint64))
            else:
                out.append(_EMPTY)
    return out


def _word_sums(cp: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """For each word (`starts`, `lengths` into the code points `cp`): the sum of (code point + 1)
    * _WORD_BASE**(position in the word + 1), modulo 2**64. From prefix sums: with S[i] the sum
    of (cp[j] + 1) * BASE**(j + 1) over j < i, a word's sum is (S[end] - S[start]) * BASE**-start
    (BASE is odd, so it has an inverse modulo 2**64): three passes over the characters and three
    gathers per word, whatever the words' lengths, and no sort."""
    n = len(cp)
    powers, inverses = _powers(n + 1)
    prefix = np.zeros(n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        terms = np.add(cp, np.uint64(1), dtype=np.uint64)
        terms *= powers[1:n + 1]
        np.cumsum(terms, out=prefix[1:])
        del terms
        sums = prefix[starts + lengths]
        sums -= prefix[starts]
        sums *= inverses[starts]
    return sums


# Powers of _WORD_BASE and of its inverse modulo 2**64, kept for slices up to this many characters
# (2 x 8 bytes a character: 16 MB); a longer slice (one text longer than _SLICE_CHARS) computes its own.
_POWERS = (1 << 20) + 2
_WORD_BASE_INVERSE = np.uint64(pow(int(_WORD_BASE), -1, 1 << 64))


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i (modulo 2**64), for i < n at least (read-only)."""
    return _shared_powers() if n <= _POWERS else _powers_table(n)


@cache
def _shared_powers() -> tuple[np.ndarray, np.ndarray]:
    return _powers_table(_POWERS)


def _powers_table(n: int) -> tuple[np.ndarray, np.ndarray]:
    out = []
    for base in (_WORD_BASE, _WORD_BASE_INVERSE):
        table = np.full(n, base, dtype=np.uint64)
        table[0] = 1
        with np.errstate(over="ignore"):
            np.cumprod(table, out=table)
        table.flags.writeable = False
        out.append(table)
    return out[0], out[1]


def _contains(big: np.ndarray, small: np.ndarray) -> bool:
    """Every element of sorted `small` is in sorted `big`."""
    at = np.searchsorted(big, small)
    return bool(at[-1] < len(big)) and bool(np.array_equal(big[np.minimum(at, len(big) - 1)], small))


def original_of(records: list[Record]) -> list[int | None]:
    """For each record, the index of the record it copies (its text adds nothing that one lacks),
    or None. Originals are never copies themselves.

    Each record is anchored by one of its SKETCH lowest shingles, the one fewest records hold:
    a record containing all of B's shingles holds B's anchor, so the records holding an anchor
    (found for all records at once, in numpy) are all of B's possible originals; each is then
    checked in full. Boilerplate shared by many records is never the anchor of a record that has
    anything of its own, so the candidate pairs stay near the number of real containments."""
    n = len(records)
    texts = [r.title + " " + r.text for r in records if not r.error]
    shingled = iter(_all_shingles(texts))
    del texts
    sets = [_EMPTY if r.error else next(shingled) for r in records]
    sizes = np.fromiter(map(len, sets), dtype=np.int64, count=n)
    has = np.flatnonzero(sizes)
    best: list[int | None] = [None] * n
    if len(has) < 2:
        return best
    # rank: bigger text first, then earliest published, then first read
    order = sorted(has.tolist(), key=lambda i: (-sizes[i], records[i].published or "9999", i))
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(len(order))
    sketch_len = np.minimum(sizes[has], SKETCH)
    sketch = np.concatenate([sets[i][:SKETCH] for i in has.tolist()])
    keys = np.unique(sketch)
    native = kernels.dedupe
    key_of, holder = (_held if native is None else native.held)(keys, sets, has.tolist())
    held_by = np.bincount(key_of, minlength=len(keys))           # records holding each key
    # each record's anchor: the sketch key the fewest records hold (the first such in its sketch),
    # for all records at once: the least (holders, place in the sketch) of each record's sketch
    ks = np.searchsorted(keys, sketch)
    heads = np.zeros(len(has), dtype=np.int64)
    np.cumsum(sketch_len[:-1], out=heads[1:])
    rank = held_by[ks] * SKETCH + (np.arange(len(ks)) - np.repeat(heads, sketch_len))
    anchor = ks[heads + np.minimum.reduceat(rank, heads) % SKETCH]
    # candidate pairs (container j, record i): j holds i's anchor and ranks before i
    by_anchor = np.argsort(anchor, kind="stable")
    first = np.searchsorted(anchor[by_anchor], key_of, side="left")
    count = np.searchsorted(anchor[by_anchor], key_of, side="right") - first
    js = np.repeat(holder, count)
    starts = np.repeat(first, count)
    offsets = np.arange(len(js)) - np.repeat(np.cumsum(count) - count, count)
    iss = has[by_anchor[starts + offsets]]
    keep = pos[js] < pos[iss]
    js, iss = js[keep], iss[keep]
    for p in np.lexsort((pos[js], iss)).tolist():   # per record, its candidates best-ranked first
        i, j = int(iss[p]), int(js[p])
        if best[i] is None and sizes[i] <= sizes[j] and _contains(sets[j], sets[i]):
            best[i] = j
    # the best container of a copy is a record nothing contains (a containing record of a copy's
    # original would contain the copy too, and rank better), so one step reaches the original
    return [b if b is None or best[b] is None else _root(best, b) for b in best]


# records are looked up in blocks of about this many shingles (8 bytes each, a few arrays of it)
_HELD_BLOCK = 1 << 20


def _held(keys: np.ndarray, sets: list[np.ndarray], has: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Every (sketch key, record) with the key (its index in sorted `keys`) among the record's
    shingles: the keys' indexes and the records', for the records of about _HELD_BLOCK shingles at
    a time, in numpy (a chunk's shingles side by side would be several copies of its text's size)."""
    last = len(keys) - 1
    key_of, holder = [], []
    block: list[int] = []
    count = 0
    for k, i in enumerate(has):
        block.append(i)
        count += len(sets[i])
        if count < _HELD_BLOCK and k + 1 < len(has):
            continue
        shingles = np.concatenate([sets[j] for j in block])
        at = np.minimum(np.searchsorted(keys, shingles), last)
        found = keys[at] == shingles
        key_of.append(at[found])
        holder.append(np.repeat(np.array(block, dtype=np.int64), [len(sets[j]) for j in block])[found])
        block, count = [], 0
    return np.concatenate(key_of), np.concatenate(holder)


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
# A chunk also ends after this many characters of text: a few hundred 10 MB articles must not fill
# memory (their shingle arrays add ~1.5 bytes a character).
CHUNK_CHARS = 32_000_000


class Copies:
    """Copy grouping for one run: `records(...)` yields the records to scan; `rows(results)` gives
    back one result per input record, each copy's right after its original's."""

    def __init__(self, chunk: int = CHUNK):
        self.chunk = chunk
        self.folded = 0
        self._pending: deque[list[Record]] = deque()

    def chunk_full(self, records: int, chars: int) -> bool:
        """Whether a chunk of `records` records holding `chars` characters of text is complete:
        the one rule of where chunks end (`--jobs` cuts its chunks by it too, so that copies are
        grouped as one process groups them)."""
        return records >= self.chunk or chars >= CHUNK_CHARS

    def records(self, records: Iterable[Record]) -> Iterator[Record]:
        """Copies are looked for within chunks of `chunk` records, so memory stays bounded on large
        batch inputs while a feed run (far smaller than a chunk) is compared as a whole."""
        buf: list[Record] = []
        chars = 0
        for r in records:
            buf.append(r)
            chars += len(r.text)
            if self.chunk_full(len(buf), chars):
                yield from self._flush(buf)
                buf, chars = [], 0
        if buf:
            yield from self._flush(buf)

    def _flush(self, buf: list[Record]) -> Iterator[Record]:
        kept, n, copies = collapse_copies(buf)
        buf.clear()
        self.folded += n
        # handed out one by one and forgotten here: a record scanned and written is freed while
        # the rest of its chunk is scanned
        todo = deque(zip(kept, copies, strict=True))
        del kept, copies
        while todo:
            record, its_copies = todo.popleft()
            self._pending.append(its_copies)
            yield record
            del record

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
