"""Which index tokens a text token may stand for, and at what cost.

Computed once per distinct (token, language) and cached for the life of the scanner; the
fuzzy part is computed in bulk per batch with rapidfuzz's C++ `cdist`, length-bucketed.
"""

from __future__ import annotations

import os
from array import array
from bisect import bisect_left
from collections import defaultdict, deque
from dataclasses import dataclass
from functools import cache
from itertools import compress, filterfalse, groupby, repeat
from operator import is_, itemgetter

import numpy as np
import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from flagger.engine.cache import known_words_path, load_known, store_known
from flagger.engine.compounds import CompoundReader
from flagger.names.normalize import fold
from flagger.names.phonetic import is_syllable, press_reachable, press_spellings
from flagger.names.resources import given_name_forms, given_name_groups
from flagger.resources import common_words, frequent_words, known_words, token_equivalents

EXACT, EQUIV, INFLECT, FUZZY = "exact", "equivalent", "inflection", "fuzzy"
# A frequent word read through press spellings as another name part ("poutine" -> putin): usable only
# inside a person's name beside another matched part of it (engine.hitsite.press_reading_corroborated)
PRESS = "press"

# py3langid code -> Snowball stemmer, for Latin-script tokens.
_LATIN_STEMMERS = {
    "en": "english", "es": "spanish", "fr": "french", "de": "german", "it": "italian",
    "pt": "portuguese", "pl": "polish", "nl": "dutch", "ro": "romanian", "tr": "turkish",
    "sv": "swedish", "da": "danish", "no": "norwegian", "fi": "finnish", "hu": "hungarian",
    "cs": "czech", "id": "indonesian", "ca": "catalan", "lt": "lithuanian",
}
_HANGUL_SUFFIX_MAX = 3
# Hebrew prefixes written onto the word (and, the, in, to, from, as, that; and their pairs), longest
# first: לרוסיה "to Russia", ומרוסיה "and from Russia", והטילים "and the missiles".
_HEBREW_PROCLITICS = ("וכש", "וה", "וב", "ול", "ומ", "וש", "שה", "שב", "של", "שמ", "כש", "מה", "לה", "בה",
                      "ו", "ה", "ב", "ל", "מ", "כ", "ש")
# Arabic proclitics (conjunction, prepositions, article and their combinations), longest first.
_ARABIC_PROCLITICS = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
# Per-token caches are dropped when they reach this many entries: a long stream keeps meeting new
# tokens (names, typos), and memory must not grow with the input. Refilling is cheap.
CACHE_LIMIT = 500_000
# Endings by which inflected forms of one word differ, across the languages news arrives in
# (English plurals/possessives; Romance and Germanic plurals; Slavic case endings).
_ENDINGS = frozenset("""
    _ s es e a i o u y n en er ern em es ie ies ed ing ов ев ей ам ям ами ями ах ях
    а я у ю о е ы и й ь ой ою ей ею ом ем ая яя ое ее ые ие ый ий ых их ым им ого его ому ему
    ą ę ó ów om ach ami ej ie iej ego emu ym im ych ich owi ami
    ow ои еи ыи ии ую юю ую ой ей
    """.split()) | {""}   # the last line: the same endings after diacritics are folded (й → и)


# A letter replaced or two neighbours swapped in a word of these lengths is one edit (Alternative.once):
# rapidfuzz's ratio (Indel) counts either as two, so a one-word term of 6-8 letters took such a typo at
# 83-88 (erkhwo for erkawo 83.3, alinzxba for alinzeba 87.5), below the default threshold of 88.
ONCE_LENGTHS = range(6, 10)


def max_edits(length: int) -> int:
    """Typo budget for a token of this length: none below 5 letters, 1 up to 8, 2 beyond."""
    if length < 5:
        return 0
    return 1 if length <= 8 else 2


def script_of(token: str) -> str:
    if token.isascii():
        return "latin"
    c = token[0]
    o = ord(c)
    if 0x0400 <= o <= 0x052F:
        return "cyrillic"
    if 0xAC00 <= o <= 0xD7A3:
        return "hangul"
    if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFEFF:
        return "arabic"
    if 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF:
        return "cjk"
    if c.isalpha() and c.lower() != c.upper() or o < 0x0250:
        return "latin"
    return "other"


_CDIST_ROWS = 2048
# `TokenAlternatives._may_stem_alike`: index tokens sharing a word's beginning asked one by one
_STEM_RANGE = 8


def _deletions(token: str) -> set[str]:
    """The token and every string made by deleting one of its characters."""
    out = {token[:i] + token[i + 1:] for i in range(len(token))}
    out.add(token)
    return out


_KEY_BASE = np.uint64(0x100000001B3)            # odd: a polynomial hash mod 2**64
_KEY_LENGTH = np.uint64(0x9E3779B97F4A7C15)


def _code_points(strings: list[str], length: int) -> np.ndarray:
    """Strings of one length as a (strings, length) uint64 array of their code points."""
    raw = "".join(strings).encode("utf-32-le", "surrogatepass")
    return np.frombuffer(raw, dtype=np.uint32).reshape(len(strings), length).astype(np.uint64)


def _key_hashes(strings: list[str], length: int) -> np.ndarray:
    """One uint64 per string of this length: sum(c[j] * B**(length-1-j)), then the length mixed in."""
    h = np.zeros(len(strings), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in _code_points(strings, length).T:
            h = h * _KEY_BASE + column
        return h * _KEY_LENGTH + np.uint64(length)


_MASK = (1 << 64) - 1
_POWERS = [pow(int(_KEY_BASE), e, 1 << 64) for e in range(64)]


def _query_key_hashes(strings: list[str], length: int) -> np.ndarray:
    """(strings, length + 1): the `_key_hashes` of each string itself and of each of its
    one-letter deletions (column i + 1: the letter at i deleted), from prefix and suffix sums.
    A few strings (single words looked up outside a batch) in Python integers mod 2**64: numpy's
    per-call cost made each 0.1-0.2 ms."""
    if len(strings) <= 16:
        return np.array([_python_key_hashes(s, length) for s in strings], dtype=np.uint64).reshape(-1, length + 1)
    cp = _code_points(strings, length)
    n = len(strings)
    power = np.array(_POWERS[:length + 1], dtype=np.uint64)
    with np.errstate(over="ignore"):
        prefix = np.zeros((n, length + 1), dtype=np.uint64)      # hash of the first i letters
        suffix = np.zeros((n, length + 1), dtype=np.uint64)      # sum of c[j] B**(length-1-j), j >= i
        for i in range(length):
            prefix[:, i + 1] = prefix[:, i] * _KEY_BASE + cp[:, i]
        for i in range(length - 1, -1, -1):
            suffix[:, i] = cp[:, i] * power[length - 1 - i] + suffix[:, i + 1]
        out = np.empty((n, length + 1), dtype=np.uint64)
        out[:, 0] = prefix[:, length] * _KEY_LENGTH + np.uint64(length)
        for i in range(length):
            out[:, i + 1] = (prefix[:, i] * power[length - 1 - i] + suffix[:, i + 1]) * _KEY_LENGTH + np.uint64(length - 1)
    return out


def _python_key_hashes(string: str, length: int) -> list[int]:
    """One row of `_query_key_hashes`, with Python integers."""
    base, mix, mask, power = int(_KEY_BASE), int(_KEY_LENGTH), _MASK, _POWERS
    codes = [ord(c) for c in string]
    prefix = [0] * (length + 1)
    for i, c in enumerate(codes):
        prefix[i + 1] = (prefix[i] * base + c) & mask
    suffix = [0] * (length + 1)
    for i in range(length - 1, -1, -1):
        suffix[i] = (codes[i] * power[length - 1 - i] + suffix[i + 1]) & mask
    return [(prefix[length] * mix + length) & mask] + [
        ((prefix[i] * power[length - 1 - i] + suffix[i + 1]) * mix + length - 1) & mask for i in range(length)]


def _runs(sorted_at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal values of a sorted array begins and ends (exclusive)."""
    cut = np.flatnonzero(sorted_at[1:] != sorted_at[:-1]) + 1
    return np.concatenate(([0], cut)), np.concatenate((cut, [len(sorted_at)]))


class _OneEditIndex:
    """Every index token of 5-9 letters under itself and each of its one-letter deletions, as a
    sorted array of the keys' hashes with the token each belongs to. A query shares a key with
    every token within one edit of it (a letter inserted, deleted, replaced, or two neighbours
    swapped: OSA distance 1); the candidates so found (a hash collision only adds candidates)
    are checked with OSA in one rapidfuzz call. `one_edit_neighbours` is the same with sets of
    strings, one query at a time (the reference, tests/engine/test_one_edit_index.py)."""

    def __init__(self, tokens) -> None:
        self.tokens = tuple(sorted(set(tokens)))       # sorted: candidates come out in string order
        # per key: its hash, the token it belongs to, and which letter of it the key leaves out
        # (0: none, i + 1: the letter at i), as `_query_key_hashes` orders a query's keys
        by_len: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
        for t, token in enumerate(self.tokens):
            by_len[len(token)].append((token, t, 0))
            for i in range(len(token)):
                by_len[len(token) - 1].append((token[:i] + token[i + 1:], t, i + 1))
        hashes, owners = [np.zeros(0, dtype=np.uint64)], [np.zeros(0, dtype=np.int64)]
        cuts = [np.zeros(0, dtype=np.int8)]
        for length, keys in by_len.items():
            hashes.append(_key_hashes([k for k, _t, _c in keys], length))
            owners.append(np.fromiter((t for _k, t, _c in keys), dtype=np.int64, count=len(keys)))
            cuts.append(np.fromiter((c for _k, _t, c in keys), dtype=np.int8, count=len(keys)))
        h, o, c = np.concatenate(hashes), np.concatenate(owners), np.concatenate(cuts)
        order = np.argsort(h, kind="stable")
        self.owners, self.cuts = o[order], c[order]
        # each distinct hash once, with where its owners begin and how many there are
        self.hashes, self.first, self.count = np.unique(h[order], return_index=True, return_counts=True)
        self.lengths()

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        for made in ("_made", "_array"):
            state.pop(made, None)       # (made again when first used)
        return state

    def lengths(self) -> np.ndarray:
        """Each token's length, by its position (made once, at compile: kept in the cached index)."""
        made = self.__dict__.get("_lengths")
        if made is None:
            made = self._lengths = np.fromiter(map(len, self.tokens), dtype=np.int64, count=len(self.tokens))
        return made

    def _token_array(self) -> np.ndarray:
        """The tokens as a numpy object array (taken by index in bulk; made once per process)."""
        made = self.__dict__.get("_array")
        if made is None:
            # (fromiter: assigning the tuple made numpy look into each string for a sequence)
            made = self._array = np.fromiter(self.tokens, dtype=object, count=len(self.tokens))
        return made

    def _results(self) -> np.ndarray:
        """One (token, 1) result tuple per token, as a numpy object array (for `neighbours`; made
        when first used: a scan's batches take `pairs`, and making them cost ~20 ms a process)."""
        made = self.__dict__.get("_made")
        if made is None:
            made = self._made = np.empty(len(self.tokens), dtype=object)
            for t, token in enumerate(self.tokens):
                made[t] = (token, 1)
        return made

    def neighbours(self, queries: list[str], length: int) -> dict[str, list[tuple[str, int]]]:
        """query -> [(index token, 1)] in string order, for the queries (all of `length` letters)
        that have any; each index token at OSA distance exactly 1."""
        if not queries or not len(self.hashes):
            return {}
        if len(queries) <= 16:
            return self._few(queries, length)
        query_at, token_at = self.pairs(queries, length)
        if not len(query_at):
            return {}
        results = self._results()[token_at].tolist()
        starts, ends = _runs(query_at)
        return dict(zip(map(queries.__getitem__, query_at[starts].tolist()),
                        map(results.__getitem__, map(slice, starts.tolist(), ends.tolist())), strict=True))

    def pairs(self, queries: list[str], length: int) -> tuple[np.ndarray, np.ndarray]:
        """`neighbours` as two arrays: each (query, index token) pair one edit apart, as positions
        in `queries` and in `self.tokens`, by query and then by token (string order). For a batch
        (more than 16 queries: numpy's per-call cost)."""
        none = np.zeros(0, dtype=np.int64)
        if not queries or not len(self.hashes):
            return none, none
        keys = _query_key_hashes(queries, length).reshape(-1)
        # looked up in sorted order: each search starts where the last one ended (a random
        # order cost a cache miss per step, 3x the time)
        order = np.argsort(keys)
        sorted_keys = keys[order]
        slot = np.minimum(np.searchsorted(self.hashes, sorted_keys), len(self.hashes) - 1)
        hit = self.hashes[slot] == sorted_keys
        slot, key_at = slot[hit], order[hit]
        count = self.count[slot]
        if not len(count):
            return none, none
        which = np.repeat(key_at, count)
        at = np.repeat(self.first[slot], count) + (np.arange(len(which)) - np.repeat(np.cumsum(count) - count, count))
        # Only some shared keys can make a pair one edit apart: one side whole and the other with
        # a letter left out (a letter inserted or deleted), both with the letter at one place left
        # out (replaced), or both with neighbouring letters left out, crossed (two neighbours
        # swapped: q without i = t without i + 1 and q without i + 1 = t without i). A pair sharing
        # no such key is two edits apart or more (different places left out), and is not checked.
        q_cut = (which % (length + 1)).astype(np.int8)
        t_cut = self.cuts[at]
        step = q_cut - t_cut
        both = (q_cut > 0) & (t_cut > 0)
        flag = (((q_cut == 0) != (t_cut == 0)) | (both & (step == 0))).astype(np.int8)
        flag |= (both & (step == -1)) * np.int8(2)
        flag |= (both & (step == 1)) * np.int8(4)
        kept = np.flatnonzero(flag)
        if not len(kept):
            return none, none
        width = len(self.tokens)
        pair = which[kept] // (length + 1) * width + self.owners[at[kept]]
        # sorted with each pair's flag in its 3 low bits: one np.sort, no argsort and gathers (a
        # stable argsort was ~4x the time: the order among a pair's own keys does not matter)
        packed = np.sort(pair << 3 | flag[kept])
        pair, flag = packed >> 3, (packed & 7).astype(np.int8)
        starts = np.flatnonzero(np.concatenate(([True], pair[1:] != pair[:-1])))
        flag = np.bitwise_or.reduceat(flag, starts)
        pair = pair[starts][((flag & 1) != 0) | ((flag & 6) == 6)]     # (query, token), once each
        query_at, token_at = pair // width, pair % width
        tokens = self._token_array()
        left = np.empty(len(queries), dtype=object)
        left[:] = queries
        near = process.cpdist(left[query_at], tokens[token_at], scorer=OSA.distance, score_cutoff=1,
                              dtype=np.int32) == 1
        return query_at[near], token_at[near]

    def _few(self, queries: list[str], length: int) -> dict[str, list[tuple[str, int]]]:
        """`neighbours` for a few queries (single words looked up outside a batch): the same
        look-up one key at a time, without numpy's per-call cost (~0.1 ms a call)."""
        width = length + 1
        keys = [h for q in queries for h in _python_key_hashes(q, length)]
        hashes, first, count, owners, tokens = self.hashes, self.first, self.count, self.owners, self.tokens
        slots = np.minimum(np.searchsorted(hashes, np.array(keys, dtype=np.uint64)), len(hashes) - 1).tolist()
        found: dict[str, list[tuple[str, int]]] = {}
        for k, q in enumerate(queries):
            candidates: set[int] = set()
            for j in range(k * width, (k + 1) * width):
                slot = slots[j]
                if int(hashes[slot]) == keys[j]:
                    start = int(first[slot])
                    candidates.update(owners[start:start + int(count[slot])].tolist())
            near = [(tokens[t], 1) for t in sorted(candidates) if OSA.distance(q, tokens[t], score_cutoff=1) == 1]
            if near:
                found[q] = near
        return found


def one_edit_neighbours(tokens, queries: list[str]) -> dict[str, list[tuple[str, int]]]:
    """`_OneEditIndex(tokens).neighbours` for queries of any length, written with Python sets and
    OSA one pair at a time: the reference the index is tested against."""
    deletes: dict[str, set[str]] = defaultdict(set)
    for token in tokens:
        for key in _deletions(token):
            deletes[key].add(token)
    found: dict[str, list[tuple[str, int]]] = {}
    for q in queries:
        near = sorted({o for key in _deletions(q) for o in deletes.get(key, ()) if o != q
                       and OSA.distance(q, o, score_cutoff=1) <= 1})
        if near:
            found[q] = [(o, 1) for o in near]
    return found


def _known_arrays(words: list[str]) -> dict[int, np.ndarray]:
    """Words of ONCE_LENGTHS letters as {length n: (words, n) uint32 array of their code points}."""
    by_length: dict[int, list[str]] = defaultdict(list)
    for word in words:
        by_length[len(word)].append(word)
    out = {}
    for n in ONCE_LENGTHS:
        raw = "".join(by_length.get(n, ())).encode("utf-32-le", "surrogatepass")
        out[n] = np.frombuffer(raw, dtype="<u4").astype(np.uint32).reshape(-1, n)
    return out


@cache
def _built_known_by_length() -> dict[int, np.ndarray]:
    """`_known_arrays` of `flagger.resources.known_words`, read from wordfreq in this process
    (3.5-7 CPU s) and kept for its life: the path taken when caching is off (FLAGGER_CACHE=0)."""
    return _known_arrays(known_words(ONCE_LENGTHS))


def _known_by_length() -> dict[int, np.ndarray]:
    """`flagger.resources.known_words` of ONCE_LENGTHS letters as `_known_arrays`: loaded from the
    cache directory (`cache.known_words_path`; ~0.1 s), else read from wordfreq and stored there
    for every later compile (a missing, corrupt or stale file is rebuilt). Not kept: the caller
    drops it after the compile (~60 MB)."""
    where = known_words_path(ONCE_LENGTHS)
    if where is None:
        return _built_known_by_length()
    path, key = where
    arrays = load_known(path, key, ONCE_LENGTHS)
    if arrays is None:
        arrays = _known_arrays(known_words(ONCE_LENGTHS))
        store_known(path, key, arrays)
    return arrays


def _heads_hashes(cp: np.ndarray, columns: slice) -> np.ndarray:
    """One uint64 per row of a code-point array over `columns` (a polynomial hash mod 2**64: equal
    letters give equal hashes; a rare collision only adds a word to be looked up)."""
    h = np.zeros(len(cp), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in cp[:, columns].T:
            h = h * _KEY_BASE + column.astype(np.uint64)
    return h


@dataclass(frozen=True, slots=True)
class Alternative:
    token: str    # an index token
    kind: str     # exact | equivalent | inflection | fuzzy
    cost: int     # edit distance for fuzzy, else 0
    # fuzzy: a typo counted as one edit in the similarity (phrases._candidate): a letter replaced or
    # two neighbours swapped in a word of ONCE_LENGTHS letters that is no known word of a news language
    once: bool = False


_ALTERNATIVE_FIELDS = tuple(Alternative.__dict__[name] for name in ("token", "kind", "cost", "once"))


def _one_edit_readings(tokens: list[str], once: list[bool]) -> list[Alternative]:
    """`Alternative(token, FUZZY, 1, once)` for many tokens at once: each field set through its slot
    for all the objects together, as the frozen dataclass's `__init__` sets it, without a Python call
    per object (half the time; ~80k readings in a 2,000-article scan against 185k names)."""
    made = list(map(object.__new__, repeat(Alternative, len(tokens))))
    for field, values in zip(_ALTERNATIVE_FIELDS, (tokens, repeat(FUZZY), repeat(1), once), strict=True):
        deque(map(field.__set__, made, values), maxlen=0)
    return made


class TokenAlternatives:
    """Maps a normalised text token to the index tokens it may match."""

    def __init__(self, vocabulary: set[str], fuzzy_vocabulary: set[str]):
        self.vocabulary = vocabulary
        self._equiv = token_equivalents()
        self._common = common_words()
        # Loaded here, at compile time, so the cached index carries it (reading wordfreq's lists
        # took ~3 s of every scan's first batch).
        self._frequent = frequent_words()
        # the compounding languages' lexicon heads among these tokens (engine.compounds)
        self._compounds = CompoundReader(vocabulary)
        self._given = frozenset(given_name_groups())
        self._stemmers: dict[str, object] = {}
        self._stem_maps: dict[str, dict[str, tuple[str, ...]]] = {}
        # For the stemmers without a map (`_stemmed_alike`): the vocabulary by first three
        # letters and length, and per stemmer the stems of the tokens met so far (made when used)
        self._by_head: dict[tuple[str, int], list[str]] | None = None
        self._vocab_stems: dict[str, dict[str, str | bool]] = {}
        # Equivalence classes restricted to the vocabulary: text token -> index tokens.
        self._equiv_vocab: dict[str, list[str]] = defaultdict(list)
        for token in sorted(vocabulary):
            canon = self._equiv.get(token)
            if canon is not None:
                self._equiv_vocab[canon].append(token)
        self._fuzzy_by_len: dict[int, list[str]] = defaultdict(list)
        for token in sorted(fuzzy_vocabulary):
            if len(token) >= 5 and "*" not in token and script_of(token) in ("latin", "cyrillic", "other"):
                self._fuzzy_by_len[len(token)].append(token)
        # Distance-1 look-ups (query tokens of 5–8 letters, the bulk of any text) go through a
        # deletion index instead of cdist: every index token of 5–9 letters under itself and
        # each of its one-letter deletions. Two strings are within one edit (a letter inserted,
        # deleted or replaced, or two neighbours swapped: the OSA distance, since swaps are among
        # the commonest typos) only if they share such a key; candidates are then checked with
        # OSA, so the result is exactly cdist's. The keys are held as hashes in numpy
        # (`_OneEditIndex`): a batch's queries are looked up together, not ~10 dict look-ups each.
        self._one_edit = _OneEditIndex(
            t for length in range(5, 10) for t in self._fuzzy_by_len.get(length, ()))
        # Words of the news languages that a replaced letter or a swap makes of an index token
        # ("missives" of "missiles"): their typo reading is not counted as one edit (`once`).
        self._lookalikes = self._known_lookalikes()
        # Prefix wildcards ("российск*"): any token starting with the prefix stands for it.
        self._wild = {t[:-1] for t in vocabulary if t.endswith("*") and len(t) > 1}
        self._wild_lengths = sorted({len(p) for p in self._wild})
        # token -> alternatives, one dict per language (plain str keys: no tuple per look-up).
        self._by_lang: dict[str, dict[str, tuple[Alternative, ...]]] = {}
        self._cached = 0
        self._fuzzy_cache: dict[str, tuple[Alternative, ...]] = {}
        # The typo readings made from the one-edit index in bulk (`_fill_one_edit`) also as the
        # positions of their index tokens in `_one_edit.tokens`: one flat array, and per word
        # where its readings begin in it (`one_edit_tokens`; cleared with the cache)
        self._fuzzy_tokens = array("q")
        self._fuzzy_at: dict[str, int] = {}
        # The vocabulary sorted, for `_may_stem_alike`: whether any index token begins as a word's
        # inflection would (compiled in: sorting it took ~40 ms of every scan's first batch)
        self._sorted_vocabulary = sorted(vocabulary)
        # Per batch (`prepare`), the words of which some press spelling may be a listed token or
        # one of its spelling equivalents (`phonetic.press_reachable`, all words at once in C);
        # `_compute` reads press spellings only for these and for words no batch screened.
        self._press_screened: set[str] = set()
        self._press_maybe: set[str] = set()
        # One Alternative per (index token, distance, once) of a typo reading: made once, then
        # shared (constructing a frozen dataclass cost ~1 us, for ~80k typo readings a corpus)
        self._fuzzy_alternatives: dict[tuple[str, int, bool], Alternative] = {}

    def _known_lookalikes(self) -> frozenset[str]:
        """The known words (`flagger.resources.known_words`: Zipf >= 1.5 in a major news language,
        >= 3 in any language wordfreq has) that are an index token of ONCE_LENGTHS letters with one letter replaced or two neighbours
        swapped. Only words sharing the first or last (n - 2) // 2 letters with such a token can be
        one (either edit leaves one of the two halves as it was), so only those are looked up."""
        out: set[str] = set()
        if not any(self._fuzzy_by_len.get(n) for n in ONCE_LENGTHS):
            return frozenset()
        known = _known_by_length()
        for n in ONCE_LENGTHS:
            tokens = self._fuzzy_by_len.get(n)
            if not tokens:
                continue
            k = (n - 2) // 2
            cp = _code_points(tokens, n)
            heads, tails = _heads_hashes(cp, slice(0, k)), _heads_hashes(cp, slice(n - k, n))
            words = known[n]
            near_half = np.isin(_heads_hashes(words, slice(0, k)), heads) | np.isin(_heads_hashes(words, slice(n - k, n)), tails)
            text = np.ascontiguousarray(words[near_half], dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
            queries = [text[i:i + n] for i in range(0, len(text), n)]
            for word, near in self._one_edit.neighbours(queries, n).items():
                if any(len(other) == n for other, _d in near):
                    out.add(word)
        return frozenset(out)

    def _press_targets(self) -> tuple[set[str], frozenset[str]]:
        """What a press spelling must be for `_compute` to read it as anything: an index token, or a
        token whose spelling equivalents include index tokens (made when first used), as the two
        sets (`press_reachable` takes both: copying the vocabulary into one set was ~60 ms of
        every scanning process at 185k listed names)."""
        made = self.__dict__.get("_press_target_tokens")
        if made is None or made[0] != len(self.vocabulary):     # (tokens added to the index since)
            equiv_vocab = self._equiv_vocab
            reaching = frozenset(t for t, canon in self._equiv.items() if canon in equiv_vocab)
            made = self._press_target_tokens = (len(self.vocabulary), (self.vocabulary, reaching))
        return made[1]

    def _screen_press(self, tokens: set[str]) -> None:
        """Find, for all new words of a batch at once, those a press spelling may make listed."""
        new = tokens.difference(self._press_screened)
        if not new:
            return
        if len(self._press_screened) > CACHE_LIMIT:
            self._press_screened.clear()
            self._press_maybe.clear()
        if "" in self._equiv_vocab:     # (every word would reach it: no word is screened out)
            return
        self._press_maybe.update(press_reachable(new, self._press_targets()))
        self._press_screened.update(new)

    def _may_stem_alike(self, token: str) -> bool:
        """Whether `_stemmed_alike` may give a token `_plausible_inflection` accepts, asked before
        the stemmer (stemming every distinct word was ~0.2 CPU s of the benchmark corpus). Such a
        token shares at least the first k >= 4 letters with `token` where `token[k:]` is an ending
        (at most 3 letters), so it begins with the shortest such start: the index tokens that do
        are one range of the sorted vocabulary, and a few are asked `_plausible_inflection`
        itself (a long range: True). A necessary condition (tests/engine/test_learn_filters.py)."""
        n = len(token)
        if n < 4:
            return False
        k = max(4, n - 3)
        while token[k:] not in _ENDINGS:
            k += 1          # ("" is an ending: stops at n)
        head = token[:k]
        vocab = self._vocabulary_sorted()
        i = bisect_left(vocab, head)
        for other in vocab[i:i + _STEM_RANGE]:
            if not other.startswith(head):
                return False
            if other != token and _plausible_inflection(token, other):
                return True
        return i + _STEM_RANGE < len(vocab) and vocab[i + _STEM_RANGE].startswith(head)

    def _vocabulary_sorted(self) -> list[str]:
        vocab = self._sorted_vocabulary
        if len(vocab) != len(self.vocabulary):      # (tokens added to the index since)
            vocab = self._sorted_vocabulary = sorted(self.vocabulary)
        return vocab

    def reads_once(self, token: str, other: str, dist: int) -> bool:
        """Whether text `token` standing for index token `other` at edit distance `dist` is a typo
        counted as one edit (`Alternative.once`)."""
        return (dist == 1 and len(token) == len(other) and len(token) in ONCE_LENGTHS
                and token not in self._lookalikes)

    # -- stemming ---------------------------------------------------------------------------
    def _stemmer_name(self, token: str, lang: str) -> str | None:
        script = script_of(token)
        if script == "cyrillic":
            return "russian"
        if script == "arabic":
            return "persian" if lang == "fa" else "arabic"
        if script == "latin":
            return _LATIN_STEMMERS.get(lang, "english")
        return None

    def _stemmer(self, name: str):
        stemmer = self._stemmers.get(name)
        if stemmer is None:
            stemmer = self._stemmers[name] = snowballstemmer.stemmer(name)
            if hasattr(stemmer, "maxCacheSize"):
                # PyStemmer keeps the last 10,000 words' stems; a word comes here once per language,
                # so the cache never hit, and keeping it made a batch's stemming 2.5x slower
                stemmer.maxCacheSize = 0
        return stemmer

    def _stem(self, name: str, token: str) -> str:
        return self._stemmer(name).stemWord(token)

    def _stem_map(self, name: str) -> dict[str, tuple[str, ...]]:
        """stem -> the vocabulary tokens with that stem, sorted. Tuples, and a stem equal to one of
        its tokens is that token's string: the English map is in every cached index, and with 86k
        one-element sets (49k names) unpickling it took 0.062 s, 0.028 s so."""
        m = self._stem_maps.get(name)
        if m is None:
            grouped: dict[str, list[str]] = defaultdict(list)
            lang = _lang_for(name)
            for token in self.vocabulary:
                if len(token) >= 3 and self._stemmer_name(token, lang) == name:
                    stem = self._stem(name, token)
                    grouped[token if stem == token else stem].append(token)
            m = self._stem_maps[name] = {stem: tuple(sorted(tokens)) for stem, tokens in grouped.items()}
        return m

    def frequent(self) -> frozenset[str]:
        """The frequent words of the news languages (`flagger.resources.frequent_words`), as
        compiled into this index (so a scan from the cache need not read wordfreq)."""
        return self._frequent

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_stemmers"] = {}     # C stemmer objects do not pickle; made again when used
        state["_by_head"], state["_vocab_stems"] = None, {}     # made again when used
        # per-batch screening and shared readings: found again by the batches that need them
        state["_press_screened"], state["_press_maybe"], state["_fuzzy_alternatives"] = set(), set(), {}
        state.pop("_press_target_tokens", None)
        state.pop("_one_edit_made", None)
        return state

    def _stemmed_alike(self, name: str, token: str, stem: str | None = None) -> list[str]:
        """The vocabulary tokens with the stem of `token` under the Snowball stemmer `name` that
        `_plausible_inflection` could accept, sorted: 2 letters shorter to 1 longer than it, and
        sharing its first max(3, len - 4) letters (its rules ask no less). From the stem map when
        one is built (English, at compile time); else only such tokens are stemmed, each once:
        building the map of a language met in a scan stemmed the whole vocabulary (0.25-0.4 CPU s
        per language; the 153 articles of the 41-language dev set spent 4.4 of their 6.6 CPU s
        there). `stem`: the stem of `token`, when the caller has it."""
        if stem is None:
            stem = self._stem(name, token)
        n = len(token)
        head = token[:max(3, n - 4)]
        m = self._stem_maps.get(name)
        if m is not None:
            found = m.get(stem)
            return sorted(o for o in found if n - 2 <= len(o) <= n + 1 and o.startswith(head)) if found else []
        by_head = self._by_head
        if by_head is None:
            grouped: dict[tuple[str, int], list[str]] = defaultdict(list)
            for other in self.vocabulary:
                if len(other) >= 3:
                    grouped[(other[:3], len(other))].append(other)
            by_head = self._by_head = dict(grouped)
        stems = self._vocab_stems.get(name)
        if stems is None:
            stems = self._vocab_stems[name] = {}
        near = [o for size in range(n - 2, n + 2) for o in by_head.get((token[:3], size), ()) if o.startswith(head)]
        new = [o for o in near if o not in stems]
        if new:
            lang = _lang_for(name)
            mine = [o for o in new if self._stemmer_name(o, lang) == name]
            stems.update(dict.fromkeys(new, False))     # False: another script's token, not stemmed
            stems.update(zip(mine, self._stemmer(name).stemWords(mine), strict=True))
        return sorted(o for o in near if stems[o] == stem)

    def prepare_stems(self, name: str) -> None:
        """Stem the vocabulary for one Snowball stemmer now (it is otherwise done when first needed)."""
        self._stem_map(name)

    def _a_word_of_its_own(self, token: str, base: str) -> bool:
        """A frequent word that is a short index token plus a letter or two is a word in its own
        right, not that token inflected: "they" is not "the", "into" not "int", "more" not "mor",
        and "They Shipping Company" must not match "The Shipping Company" at 97. Plurals stay
        inflections ("arms" of "arm", "kims" of "kim"), and so do rare forms ("kima", Polish)."""
        return (len(base) <= 3 and token in self._frequent
                and not (token.startswith(base) and token[len(base):] in _PLURALS))

    def _suffixed(self, token: str, lang: str) -> tuple[Alternative, ...]:
        """A word with a case ending after an apostrophe ("putin'in", `flagger.text.
        normalize_match_token`): what the word written without the apostrophe stands for, and what
        the part before it stands for, as an inflection (Turkish and Azerbaijani write case endings
        on proper nouns so: Putin'in, Lavrov'a, Kim Jong Un'un, Moskova'ya)."""
        head, _, _ending = token.partition("'")
        out: dict[str, Alternative] = {a.token: a for a in self.get(token.replace("'", ""), lang)}
        for a in self.get(head, lang):
            if a.token not in out:
                out[a.token] = Alternative(a.token, INFLECT, 0) if a.kind == EXACT else a
        return tuple(out.values())

    # -- bulk fuzzy --------------------------------------------------------------------------
    def prepare(self, tokens) -> None:
        """Compute the typo readings of every new distinct token of a batch in bulk: per token, its
        FUZZY alternatives (`_fuzzy_cache`), one shared `Alternative` per (index token, distance,
        once)."""
        if len(self._fuzzy_cache) > CACHE_LIMIT:
            self._fuzzy_cache.clear()
            self._fuzzy_alternatives.clear()
            self.__dict__.pop("_one_edit_made", None)
            self._fuzzy_tokens = array("q")
            self._fuzzy_at.clear()
        words = set(tokens)
        suffixed = [t for t in words if "'" in t]
        if suffixed:        # (a suffixed word as its two readings)
            words.difference_update(suffixed)
            words.update(t.replace("'", "") for t in suffixed)
        self._screen_press(words)
        new = words.difference(self._fuzzy_cache)
        if not new:
            return
        # A frequent word of a news language is what it is, not a typo of an index token:
        # "German" must not become "Geran", nor "reporting" "exporting". Nor has a word of fewer
        # than 5 letters (`max_edits`), a number, or a word of a script no typo is read in any.
        # (Decided for all the words at once, with set operations and C-level maps.)
        readable = new.difference(self._common).difference(self._frequent)
        readable = list(filterfalse(str.isdigit, compress(readable, map((5).__le__, map(len, readable)))))
        other = list(filterfalse(str.isascii, readable))
        if other:
            unread = {t for t in other if script_of(t) not in ("latin", "cyrillic", "other")}
            if unread:
                readable = [t for t in readable if t not in unread]
        self._fuzzy_cache.update(dict.fromkeys(new.difference(readable), ()))
        readable.sort(key=len)
        for length, group in groupby(readable, key=len):
            queries = list(group)
            if max_edits(length) == 1 and len(queries) > 16:
                self._fill_one_edit(queries, length)
            else:
                self._fill_fuzzy(queries, length)

    def _fill_one_edit(self, queries: list[str], length: int) -> None:
        """`_fill_fuzzy` for a batch's queries of one length with a one-edit budget, from the
        one-edit index's pairs in bulk: which typo readings count as one edit (`reads_once`) is
        decided in numpy, and each query's readings are one slice of a list of shared objects."""
        query_at, token_at = self._one_edit.pairs(queries, length)
        cache = self._fuzzy_cache
        if not len(query_at):
            cache.update(dict.fromkeys(queries, ()))
            return
        tokens = self._one_edit.tokens
        if length in ONCE_LENGTHS:
            # a letter replaced or two neighbours swapped (as long as the index token) in a word that
            # is no lookalike (`reads_once`)
            once = self._one_edit.lengths()[token_at] == length
            lookalikes = self._lookalikes
            if lookalikes:
                looks = np.fromiter(map(lookalikes.__contains__, queries), dtype=bool, count=len(queries))
                once &= ~looks[query_at]
        else:
            once = np.zeros(len(token_at), dtype=bool)
        # one shared Alternative per (index token, once), found by numpy indexing and made the
        # first time it is read
        code = token_at * 2 + once
        made, have = self._one_edit_alternatives()
        new = np.flatnonzero(np.bincount(code[~have[code]], minlength=len(have)))
        if len(new):
            # (fromiter: assigning a list of objects made numpy look into each for a sequence)
            made[new] = np.fromiter(_one_edit_readings(list(map(tokens.__getitem__, (new >> 1).tolist())),
                                                       ((new & 1) == 1).tolist()), dtype=object, count=len(new))
            have[new] = True
        found = made[code].tolist()
        starts, ends = _runs(query_at)
        cache.update(dict.fromkeys(queries, ()))
        read = list(map(queries.__getitem__, query_at[starts].tolist()))
        cache.update(zip(read, map(tuple, map(found.__getitem__, map(slice, starts.tolist(), ends.tolist()))),
                         strict=True))
        self._fuzzy_at.update(zip(read, (starts + len(self._fuzzy_tokens)).tolist(), strict=True))
        self._fuzzy_tokens.frombytes(token_at.astype(np.int64).tobytes())

    def _fill_fuzzy(self, queries: list[str], length: int) -> None:
        """The typo readings of tokens of one length: every index token within `max_edits` (OSA),
        in string order, as one shared `Alternative` each."""
        k = max_edits(length)
        found: dict[str, list[tuple[str, int]]] = defaultdict(list)
        if k == 1:
            found.update(self._one_edit.neighbours(queries, length))
        else:
            for other_len in range(length - k, length + k + 1):
                choices = self._fuzzy_by_len.get(other_len)
                if not choices:
                    continue
                budget = min(k, max_edits(other_len))
                if budget == 0:
                    continue
                for lo in range(0, len(queries), _CDIST_ROWS):   # bounded matrix memory
                    block = queries[lo:lo + _CDIST_ROWS]
                    dist = process.cdist(block, choices, scorer=OSA.distance,
                                         score_cutoff=budget, dtype=np.uint8, workers=-1)
                    rows, cols = np.nonzero(dist <= budget)
                    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
                        if block[r] != choices[c]:
                            found[block[r]].append((choices[c], int(dist[r, c])))
        shared = self._fuzzy_alternatives
        for token in queries:
            out = []
            for other, dist in sorted(found.get(token, ())):
                key = (other, dist, self.reads_once(token, other, dist))
                alt = shared.get(key)
                if alt is None:
                    alt = shared[key] = Alternative(other, FUZZY, dist, key[2])
                out.append(alt)
            self._fuzzy_cache[token] = tuple(out)

    def _one_edit_alternatives(self) -> tuple[np.ndarray, np.ndarray]:
        """Per one-edit index token t, the shared typo readings of it as object array entries 2t
        (not `once`) and 2t + 1 (`once`), and whether each is made yet (`_fill_one_edit` makes
        them when first read)."""
        made = self.__dict__.get("_one_edit_made")
        if made is None:
            n = 2 * len(self._one_edit.tokens)
            made = self._one_edit_made = (np.full(n, None, dtype=object), np.zeros(n, dtype=bool))
        return made

    def one_edit_tokens(self, words: list[str], readings: list[tuple[Alternative, ...]]) -> tuple[np.ndarray, np.ndarray]:
        """Which of the words' alternatives (`readings`, as `table` holds them) are exactly their
        typo readings from the one-edit index in bulk (one bool per word), and those words'
        alternatives as positions of their index tokens in `_one_edit.tokens`, in order: a
        caller maps them to its own numbers in numpy instead of reading each object's token."""
        cache, at = self._fuzzy_cache, self._fuzzy_at
        pure = np.fromiter(map(is_, readings, map(cache.get, words)), dtype=bool, count=len(words))
        pure &= np.fromiter(map(at.__contains__, words), dtype=bool, count=len(words))
        chosen = np.flatnonzero(pure).tolist()
        if not chosen:
            return pure, np.zeros(0, dtype=np.int64)
        first = np.fromiter(map(at.__getitem__, map(words.__getitem__, chosen)), dtype=np.int64, count=len(chosen))
        n = np.fromiter(map(len, map(readings.__getitem__, chosen)), dtype=np.int64, count=len(chosen))
        step = np.repeat(first - (np.cumsum(n) - n), n)
        return pure, np.frombuffer(self._fuzzy_tokens, dtype=np.int64)[step + np.arange(len(step))]

    # -- lookup ------------------------------------------------------------------------------
    def table(self, lang: str) -> dict[str, tuple[Alternative, ...]]:
        """The (growing) token -> alternatives dict for one language; `get` fills it."""
        t = self._by_lang.get(lang)
        if t is None:
            t = self._by_lang[lang] = {}
        return t

    def get(self, token: str, lang: str = "en") -> tuple[Alternative, ...]:
        t = self._by_lang.get(lang)
        if t is None:
            t = self.table(lang)
        alts = t.get(token)
        if alts is None:
            if self._cached > CACHE_LIMIT:
                for d in self._by_lang.values():
                    d.clear()           # in place: callers may hold a table
                self._cached = 0
            alts = t[token] = self._compute(token, lang)
            self._cached += 1
        return alts

    def fill(self, tokens, lang: str) -> None:
        """`get` for every token not yet in `lang`'s table, at once. Most words of running text can
        only be typos of index tokens, or nothing: no index token, spelling equivalent, wildcard
        prefix or inflectional base of one, no press spelling that is listed (`_screen_press`), no
        inflection of an index token under the language's stemmer (`_inflections`), no compound
        with a lexicon head (`CompoundReader.may_split`). Those conditions are checked for all the
        words together, with set operations and C-level maps; the words that meet them take their
        typo readings (`prepare`) as they are, and only the others go through `_compute`
        (tests/engine/test_learn_filters.py: the same tables as `get` word by word)."""
        table = self.table(lang)
        new = list(filterfalse(table.__contains__, tokens))
        if not new:
            return
        if self._cached + len(new) > CACHE_LIMIT:
            for d in self._by_lang.values():
                d.clear()               # in place: callers may hold a table
            self._cached = 0
        self.prepare(new)
        vocabulary = self.vocabulary
        # the words `_compute` must read: not ASCII (other scripts, transcriptions), with an
        # apostrophe (a suffixed name), an index token, a spelling equivalent, ...
        words = set(new)
        full = words.difference(compress(new, map(str.isascii, new)))
        full.update(t for t in new if "'" in t or not t)
        full.update(vocabulary.intersection(words))
        full.update(words.intersection(self._equiv))
        for n in self._wild_lengths:
            prefixes = list(map(itemgetter(slice(n)), new))
            hits = self._wild.intersection(prefixes)
            if hits:
                full.update(compress(new, map(hits.__contains__, prefixes)))
        for cut in (1, 2, 3):        # an index token plus an inflectional ending
            ended = list(compress(new, map(_ENDINGS.__contains__, map(itemgetter(slice(-cut, None)), new))))
            bases = list(map(itemgetter(slice(-cut)), ended))
            hits = vocabulary.intersection(bases)
            if hits:
                full.update(compress(ended, map(hits.__contains__, bases)))
        full.update(words.intersection(self._press_maybe))
        full.update(words.difference(self._press_screened))
        full.update(self._compounds.may_split(new, lang))
        inflections = self._inflections(new, lang)
        full.update(inflections)
        for token in filter(full.__contains__, new):
            if token not in table:      # (a compound tail or suffixed word may have filled it)
                table[token] = self._compute(token, lang, inflections.get(token, ()))
        # the rest: their typo readings, as they are
        typos = list(filterfalse(full.__contains__, new))
        cache = self._fuzzy_cache
        missing = list(filterfalse(cache.__contains__, typos))
        if missing:         # (the cache was cleared while reading the others: it was full)
            self.prepare(missing)
        table.update(zip(typos, map(cache.__getitem__, typos), strict=True))
        self._cached += len(new)

    def _inflections(self, words: list[str], lang: str) -> dict[str, list[str]]:
        """word -> the index tokens `_compute`'s stem step reads it as inflections of (the words
        with none left out), for many words at once. The words are stemmed in one call per
        stemmer; with a stem map (English, compiled in) only the words whose stem is in it are
        read further, else only those for which `_may_stem_alike` holds (its answer is implied:
        without it no index token is a `_plausible_inflection`)."""
        by_stemmer: dict[str, list[str]] = defaultdict(list)
        latin = _LATIN_STEMMERS.get(lang, "english")
        long = list(compress(words, map((4).__le__, map(len, words))))   # (`_may_stem_alike`: 4 letters)
        by_stemmer[latin] = list(filter(str.isascii, long))
        for token in filterfalse(str.isascii, long):
            name = self._stemmer_name(token, lang)
            if name is not None:
                by_stemmer[name].append(token)
        out: dict[str, list[str]] = {}
        for name, group in by_stemmer.items():
            stem_map = self._stem_maps.get(name)
            if stem_map is None:
                group = list(filter(self._may_stem_alike, group))
            if not group:
                continue
            stems = self._stemmer(name).stemWords(group)
            if stem_map is not None:
                listed = list(map(stem_map.__contains__, stems))
                group, stems = list(compress(group, listed)), list(compress(stems, listed))
            for token, stem in zip(group, stems, strict=True):
                found = self._stem_inflections(name, token, stem)
                if found:
                    out[token] = found
        return out

    def _stem_inflections(self, name: str, token: str, stem: str) -> list[str]:
        """The index tokens that `token` (with this stem under the Snowball stemmer `name`) is read
        as an inflection of: the same stem, a plausible inflection, no word of its own."""
        return [other for other in self._stemmed_alike(name, token, stem)
                if other != token and _plausible_inflection(token, other) and not self._a_word_of_its_own(token, other)]

    def _compute(self, token: str, lang: str, inflections: list[str] | tuple[()] | None = None) -> tuple[Alternative, ...]:
        """What `token` stands for in `lang` (`get`, without the cache). `inflections`: what its
        stem reading gives, when the caller knows (`_inflections`)."""
        if "'" in token:
            return self._suffixed(token, lang)
        out: dict[str, Alternative] = {}
        if token in self.vocabulary:
            out[token] = Alternative(token, EXACT, 0)
        for n in self._wild_lengths:
            if n > len(token):
                break
            if token[:n] in self._wild:
                out.setdefault(token[:n] + "*", Alternative(token[:n] + "*", INFLECT, 0))
        canon = self._equiv.get(token)
        if canon is not None:
            for other in self._equiv_vocab.get(canon, ()):
                out.setdefault(other, Alternative(other, EQUIV, 0))
        script = script_of(token)
        if script == "hangul":
            # Korean attaches particles and endings to the noun: 김정은이, 미사일을.
            for cut in range(1, _HANGUL_SUFFIX_MAX + 1):
                base = token[:-cut]
                if len(base) >= 2 and base in self.vocabulary:
                    out.setdefault(base, Alternative(base, INFLECT, 0))
        elif script in ("latin", "cyrillic"):
            # A listed word plus an inflectional ending: Ирану, Ирана (the Russian stemmer cuts
            # "Иран" to "ира"), Ыну in "Ким Чен Ыну".
            shortest = 2 if script == "cyrillic" else 3
            for cut in (1, 2, 3):
                base = token[:-cut]
                if (len(base) >= shortest and token[-cut:] in _ENDINGS and base in self.vocabulary
                        and not self._a_word_of_its_own(token, base)):
                    out.setdefault(base, Alternative(base, INFLECT, 0))
        elif script == "arabic":
            # Arabic writes conjunctions, prepositions and the article onto the word:
            # وقذائف "and shells", بصواريخ "with missiles", والصواريخ "and the missiles".
            for prefix in _ARABIC_PROCLITICS:
                base = token[len(prefix):]
                if token.startswith(prefix) and len(base) >= 3:
                    for cand in (base, "ال" + base):
                        if cand in self.vocabulary:
                            out.setdefault(cand, Alternative(cand, INFLECT, 0))
        elif "\u05d0" <= token[0] <= "\u05ea":   # Hebrew (script "other")
            for prefix in _HEBREW_PROCLITICS:
                base = token[len(prefix):]
                if token.startswith(prefix) and len(base) >= 3 and base in self.vocabulary:
                    out.setdefault(base, Alternative(base, INFLECT, 0))
        if script == "latin":
            # Russian names as German, Polish, Czech, French, Dutch, Baltic ... papers write them,
            # case endings and all: Lawrow, Szojgu, Siergieja, Choïgou, Poetin, Putinem, Lavrovas
            # (names.phonetic.press_spellings): the English-based list spelling, when listed. A
            # frequent word is only read as a syllable of a longer name ("Kim Dzong Unem")
            # (German papers write Wladimir, a frequent German word: a given name is read as its
            # list spelling all the same, as a given name alone never names a listed person)
            # Any other reading of a frequent word is PRESS ("Vladimir Poutine", "Bachar al-Assad"):
            # a listed name part only beside another part of the same person's name, and never a
            # Korean or Chinese syllable ("jong" is not "yong").
            frequent = token in self._frequent
            may_press = token not in self._press_screened or token in self._press_maybe
            for cand in press_spellings(token) if may_press else ():
                press = frequent and len(cand) > 2 and cand not in self._given
                if press and (len(cand) < 5 or is_syllable(cand)):
                    continue
                for other in (cand, *self._equiv_vocab.get(self._equiv.get(cand, ""), ())):
                    # (a common word only as a syllable of a longer name: "Kim Dzong Unem")
                    if other in self.vocabulary and (other not in self._common or len(other) <= 2):
                        out.setdefault(other, Alternative(other, PRESS if press else EQUIV, 0))
        if script == "cyrillic":
            # a Latin list name written in Cyrillic ("Ангара" the vessel ANGARA): its
            # romanisation, exactly or through the spelling equivalents
            roman = fold(token).replace(" ", "")
            for cand in (roman, *self._equiv_vocab.get(self._equiv.get(roman, ""), ())):
                if len(cand) >= 4 and cand in self.vocabulary:
                    out.setdefault(cand, Alternative(cand, EQUIV, 0))
            frequent = token in self._frequent
            # Belarusian and Ukrainian spellings, case endings ("Лаўроў", "Лаврова"); of a frequent
            # word only the other forms of a given name, which never name a listed person alone
            # ("Володимиром" -> volodymyr -> vladimir, names/data/given_names.txt)
            for cand in (roman, *press_spellings(roman, cyrillic=True)):
                if cand == roman and cand not in self._given:
                    continue    # (the romanisation itself was looked up above)
                if not frequent and len(cand) >= 5 and cand in self.vocabulary and cand not in self._common:
                    out.setdefault(cand, Alternative(cand, EQUIV, 0))
                elif cand in self._given:
                    for other in given_name_forms(cand):
                        if len(other) >= 5 and other in self.vocabulary and other not in self._common:
                            out.setdefault(other, Alternative(other, EQUIV, 0))
            if _UKRAINIAN_LETTERS.intersection(token):
                # a Ukrainian word in Russian letters (і -> и, и -> ы, є -> е, ї -> и, ґ -> г:
                # "Путіним" -> "путиным"), with a Russian case ending taken off, in Cyrillic and
                # romanised ("путин", "putin"), as a Russian word's inflection is read
                russian = token.translate(_UKRAINIAN_TO_RUSSIAN)
                for cut in (0, 1, 2, 3):
                    base = russian[:len(russian) - cut]
                    if len(base) < 4 or russian[len(russian) - cut:] not in _ENDINGS:
                        continue
                    for cand in (base, fold(base).replace(" ", "")):
                        if cand in self.vocabulary and cand not in self._common:
                            out.setdefault(cand, Alternative(cand, INFLECT, 0))
        if token and ord(token[0]) >= _TRANSCRIBED_FROM and script in ("latin", "other"):
            # Scripts no list writes names in (Devanagari, Greek, Georgian, Hebrew, Thai ...): a
            # name there is a Latin list name transcribed, so its romanisation is looked up too
            # ("पुतिन" -> "putin"), with the spelling equivalents of that romanisation.
            roman = fold(_greek_digraphs(token)).replace(" ", "")
            if roman and roman != token:
                for cand in (roman, *self._equiv_vocab.get(self._equiv.get(roman, ""), ())):
                    if cand in self.vocabulary:
                        out.setdefault(cand, Alternative(cand, EQUIV, 0))
                if roman not in self.vocabulary and roman.isascii() and roman.isalpha():
                    # transcription is loose ("Πούτιν" -> "poutin"): near romanisations as typos
                    if roman not in self._fuzzy_cache:
                        self.prepare([roman])
                    for a in self._fuzzy_cache[roman]:
                        out.setdefault(a.token, Alternative(a.token, FUZZY, a.cost))
        if script == "latin" and token not in self.vocabulary:
            # a lexicon noun as the last element of a compound, Langstrecken|raketen (engine.compounds)
            for tail in self._compounds.tails(token, lang):
                for a in self.get(tail, lang):
                    if a.kind != FUZZY and a.kind != PRESS and self._compounds.is_head(a.token, lang):
                        out.setdefault(a.token, Alternative(a.token, INFLECT, 0))
        if inflections is None:
            stemmer = self._stemmer_name(token, lang)
            inflections = ()
            if stemmer is not None and len(token) >= 3 and self._may_stem_alike(token):
                inflections = self._stem_inflections(stemmer, token, self._stem(stemmer, token))
        for other in inflections:
            out.setdefault(other, Alternative(other, INFLECT, 0))
        if token not in self._fuzzy_cache:
            self.prepare([token])
        for a in self._fuzzy_cache[token]:
            if a.token not in out:
                out[a.token] = a
        return tuple(out.values())


_UKRAINIAN_LETTERS = frozenset("іїєґ")
_UKRAINIAN_TO_RUSSIAN = str.maketrans({"и": "ы", "і": "и", "ї": "и", "є": "е", "ґ": "г"})
# From Greek on: cased scripts other than Latin (Greek, Armenian, Georgian) read as "latin" by
# script_of, and caseless ones (Devanagari, Hebrew, Thai) as "other"
_TRANSCRIBED_FROM = 0x0370
# Greek spells foreign sounds with digraphs ("Πούτιν" Putin, "Βλαντιμίρ" Vladimir, "Γκ" g)
_GREEK_DIGRAPHS = (("ου", "u"), ("ού", "u"), ("μπ", "b"), ("ντ", "d"), ("γκ", "g"), ("τζ", "j"))


def _greek_digraphs(token: str) -> str:
    for digraph, sound in _GREEK_DIGRAPHS:
        token = token.replace(digraph, sound)
    return token


_PLURALS = ("s", "es")


def _plausible_inflection(token: str, other: str) -> bool:
    """Stemmers over-stem (Spanish cuts "iranair" to "iran"): an inflection differs from its
    base only in a short ending, and the text word is not shorter than the indexed one by more
    than a letter. Short index tokens only take endings added to them, so "arms" never stands
    for "armed", and "arm" never for the French alias "armes"."""
    if abs(len(token) - len(other)) > 2 or len(token) < len(other) - 1:
        return False
    if len(other) < 5 and not token.startswith(other):
        return False
    shorter = min(len(token), len(other))
    prefix = len(os.path.commonprefix([token, other]))
    # Short words may change one final letter (korea/korei), longer ones two (северная/северной),
    # and what differs must be an inflectional ending on both sides: "armed" is not a form of
    # the French alias "armes" (d/s), though an English stemmer gives both as "arm".
    if prefix < max(3, shorter - (1 if shorter <= 6 else 2)):
        return False
    # The ending may start inside the shared prefix (военн-ых / военн-ые share "военны").
    return any(token[k:] in _ENDINGS and other[k:] in _ENDINGS for k in range(prefix, max(3, prefix - 3), -1))


def _lang_for(stemmer_name: str) -> str:
    for code, name in _LATIN_STEMMERS.items():
        if name == stemmer_name:
            return code
    return {"persian": "fa"}.get(stemmer_name, "xx")
