"""A trie of normalised token sequences, matched against an article's tokens in one pass."""

from __future__ import annotations

from array import array
from itertools import chain, compress, repeat
from operator import itemgetter
from typing import NamedTuple

import numpy as np
from rapidfuzz.distance import Indel
from rapidfuzz.fuzz import ratio

from flagger.engine.alternatives import EQUIV, EXACT, FUZZY, INFLECT, PRESS, TokenAlternatives
from flagger.text import TokenNorms

_END = ""  # trie key holding the payloads of a complete key (never a real token)
# Similarity points taken off per token matched by a known equivalent or an inflection, so an
# exact spelling always outranks a variant one.
EQUIV_PENALTY = 1.0
INFLECT_PENALTY = 3.0
_STARTS_LIMIT = 500_000


class Candidate(NamedTuple):
    """One key occurrence. A tuple, not a frozen dataclass: an article makes dozens, and a frozen
    dataclass's __init__ (object.__setattr__ per field) cost more than finding them."""

    start: int               # token index, inclusive
    end: int                 # token index, exclusive
    key: tuple[str, ...]     # the index key that matched
    payloads: tuple[int, ...]
    similarity: float        # 0–100
    kinds: tuple[str, ...]   # how each token matched
    exact_only: bool         # every token matched exactly (or by case/diacritic folding)


class PhraseIndex:
    def __init__(self) -> None:
        self.trie: dict = {}
        self.vocabulary: set[str] = set()
        self.fuzzy_vocabulary: set[str] = set()
        self.max_len = 0

    def add(self, key: tuple[str, ...], payload: int, fuzzy=True) -> None:
        """`fuzzy`: True (every token of the key may take typos), False, or the set of tokens
        that may (joined forms such as "hwasong18" are kept out of the fuzzy vocabulary: they
        would triple the typo look-up work for little recall)."""
        if not key:
            return
        node = self.trie
        for tok in key:
            node = node.setdefault(tok, {})
        node.setdefault(_END, []).append(payload)
        self.vocabulary.update(key)
        if fuzzy is True:
            self.fuzzy_vocabulary.update(key)
        elif fuzzy:
            self.fuzzy_vocabulary.update(t for t in key if t in fuzzy)
        self.max_len = max(self.max_len, len(key))

    def alternatives(self) -> TokenAlternatives:
        """The token-alternatives map for this index (built once, then shared: its caches are
        pure functions of the token, so scanners of the same index may share them)."""
        alts = getattr(self, "_alts", None)
        if alts is None:
            alts = self._alts = TokenAlternatives(self.vocabulary, self.fuzzy_vocabulary)
        return alts

    def match(self, norms: list[str], lang: str, alts: TokenAlternatives, floor=None,
              learned: bool = False) -> list[Candidate]:
        """Every key occurrence starting at any token, with its similarity, in text order.

        `floor(payloads) -> float`, when given, is the lowest similarity at which any of a key's
        payloads could be used; occurrences below it are not returned (the engine would drop
        them), so a typo that cannot reach a threshold costs nothing past the look-up.
        `learned`: the caller has passed every token of `norms` to `learn` for this language and
        floor already (the scanner does, once per batch)."""
        return self.match_many([norms], lang, alts, floor, learned)[0]

    def match_many(self, texts: list[list[str]], lang: str, alts: TokenAlternatives, floor=None,
                   learned: bool = False, words: set[str] | None = None,
                   reference: bool = False) -> list[list[Candidate]]:
        """`match` for several token sequences of one language at once.

        Where a key may start is found for all of them together, as numpy operations over the
        words' ids: which words are one-token keys, which begin longer keys, and which (start
        word, next word) pairs begin one. Python runs only where a key matches or may continue
        ("the" begins keys like "the 224th flight unit", and is followed by "224th" almost never).
        `words`: the texts' distinct words, when the caller has them (it saves a pass over them).
        `reference=True`: where a start word is followed by a word standing for another second key
        word, whether a key goes on is asked in Python per position (`_may_continue`), as before
        `_MatchState.positions` answered it in bulk; the candidates are the same
        (tests/engine/test_phrase_positions.py)."""
        state = self._state(lang, floor)
        if words is None:
            words = set().union(*texts)
        if not learned:
            self.learn(words, lang, alts, floor)
        singles_at, pairs_at, others_at = state.positions(texts, words, others_in_bulk=not reference)
        singles, multis, other_seconds = state.singles, state.multis, state.other_seconds
        get = alts.get
        table = alts.table(lang)
        extend = self._extend
        new = tuple.__new__
        out: list[list[Candidate]] = []
        for norms, one_at, at, maybe in zip(texts, singles_at, pairs_at, others_at, strict=True):
            tagged: list[tuple[int, int, int, Candidate]] = []
            if one_at:
                for i, word in zip(one_at, _words_at(norms, one_at), strict=True):
                    for k, one in singles[word]:
                        tagged.append((i, k, 0, new(Candidate, (i, i + 1, *one[2:]))))   # (one._replace, in C)
            if maybe:
                more = [i for i in maybe if _may_continue(multis[norms[i]], norms[i + 1], other_seconds.get(norms[i + 1]))]
                if more:
                    at = sorted(set(at).union(more))
            found: list[Candidate] = []
            if at:
                firsts, seconds = _words_at(norms, at), _words_at(norms, [i + 1 for i in at])
            else:
                firsts = seconds = at
            for i, first, tok in zip(at, firsts, seconds, strict=True):
                nxt = table.get(tok)
                if nxt is None:
                    nxt = get(tok, lang)
                for k, alt, node in multis[first]:
                    for alt2 in nxt:
                        child = node.get(alt2.token)
                        if child is not None:
                            extend(norms, table, get, lang, i, i + 2, child, [alt, alt2], found, floor)
                            tagged.extend((c.start, k, 1, c) for c in found)
                            found.clear()
            if tagged:
                # Text order, and at one start the order a depth-first walk gives (alternative by
                # alternative, the one-token key before longer ones): the engine breaks ties by it.
                tagged.sort(key=_ORDER)
            out.append([t[3] for t in tagged])
        return out

    def _state(self, lang: str, floor) -> _MatchState:
        states = self.__dict__.setdefault("_match_state", {})
        state = states.get((lang, floor))
        if state is None:
            state = states[(lang, floor)] = _MatchState(self._word_ids())
        return state

    def prepare_matching(self) -> None:
        """Build the word ids, pair array and second key words now (they are otherwise built at
        the first match, in every scanning process: ~0.1-0.4 CPU s at 185k listed names)."""
        self._word_ids()
        self._second_tokens()

    def _word_ids(self) -> _WordIds:
        words = self.__dict__.get("_words")
        if words is None:
            words = self._words = _WordIds(self.trie)
        return words

    def learn(self, tokens: set[str], lang: str, alts: TokenAlternatives, floor=None) -> None:
        """Fill the per-token tables for the tokens not seen yet (bounded: cleared when full)."""
        state = self._state(lang, floor)
        new = tokens.difference(state.seen)
        if not new:
            return
        words = self._word_ids()
        if len(words.ids) + len(new) > _STARTS_LIMIT:
            words.clear()
            for other in self.__dict__["_match_state"].values():
                other.clear()
            new = tokens
        alts.fill(new, lang)        # every new word's alternatives at once (the most in bulk)
        self._learn_starts(new, lang, alts.get, floor, state)

    def _second_tokens(self) -> frozenset[str]:
        """Every index token that is the second token of some key."""
        second = self.__dict__.get("_seconds")
        if second is None:
            second = self._seconds = frozenset(t for node in self.trie.values() for t in node if t != _END)
        return second

    def _learn_starts(self, tokens, lang, get, floor, state: _MatchState) -> None:
        all_seconds = self._second_tokens()
        seen, singles, multis, other_seconds = state.seen, state.singles, state.multis, state.other_seconds
        ids = state.words.ids
        tokens = list(tokens)
        # every word an id (as `intern` one by one gives them: in this order), in C
        missing = [t for t in tokens if t not in ids]
        ids.update(zip(missing, range(len(ids), len(ids) + len(missing)), strict=True))
        known = ids.__getitem__
        state.grow()
        flags, offsets, counts, alt_ids = state.flags, state.offsets, state.counts, state.alt_ids
        other_offsets, other_counts, other_ids = state.other_offsets, state.other_counts, state.other_ids
        seen.update(dict.fromkeys(tokens))
        # only the words with alternatives change the tables (most stand for nothing)
        found = [get(tok, lang) for tok in tokens]
        with_alternatives = list(compress(tokens, found))
        trie = self.trie
        for tok, tid, alternatives in zip(with_alternatives, map(known, with_alternatives), filter(None, found),
                                          strict=True):
            ones, longer = [], []
            for k, a in enumerate(alternatives):
                node = trie.get(a.token)
                if node is None:
                    continue
                payloads = node.get(_END)
                if payloads:
                    one = _one_token(tok, a, payloads)
                    if floor is None or one.exact_only or one.similarity >= floor(payloads):
                        ones.append((k, one))
                if len(node) > (1 if payloads else 0):
                    longer.append((k, a, node))
            flag = 0
            if ones:
                singles[tok] = tuple(ones)
                flag |= _SINGLE
            others = all_seconds.intersection([a.token for a in alternatives])
            if tok in others:
                others = others.difference((tok,))
            if others:
                other_seconds[tok] = others
                other_offsets[tid] = len(other_ids)
                other_counts[tid] = len(others)
                other_ids.extend(map(known, others))   # second key words: interned already
                flag |= _OTHER
            if longer:
                multis[tok] = tuple(longer)
                offsets[tid] = len(alt_ids)
                counts[tid] = len(longer)
                alt_ids.extend([known(a.token) for _k, a, _n in longer])   # index start tokens: interned already
                flag |= _MULTI
            flags[tid] = flag

    def _extend(self, norms, table, get, lang, start, pos, node, path, out, floor) -> None:
        payloads = node.get(_END)
        if payloads:
            cand = _candidate(norms, start, pos, path, payloads)
            if floor is None or cand.exact_only or cand.similarity >= floor(payloads):
                out.append(cand)
        if pos >= len(norms) or len(path) >= self.max_len:
            return
        tok = norms[pos]
        nxt = table.get(tok)
        if nxt is None:
            nxt = get(tok, lang)
        for alt in nxt:
            child = node.get(alt.token)
            if child is not None:
                path.append(alt)
                self._extend(norms, table, get, lang, start, pos + 1, child, path, out, floor)
                path.pop()


_SINGLE, _MULTI, _OTHER = 1, 2, 4
_ORDER = itemgetter(0, 1, 2)


class _WordIds:
    """One int per word, for an index and every text word it has learned, and the index's
    (first token, second token) pairs as one int each (first << 32 | second), sorted: whether a
    key may begin at a text position is then a bulk search of the (start word's index
    alternative, next word as written) code in this array."""

    def __init__(self, trie: dict) -> None:
        self.trie = trie
        self.clear()

    def clear(self) -> None:
        self.ids: dict[str, int] = {}
        pairs = [(self.intern(first) << 32) | self.intern(second)
                 for first, node in self.trie.items() for second in node if second != _END]
        self.pairs = np.unique(np.array(pairs, dtype=np.int64))
        # per word id, whether it is the second word of some key (one False past the end: the
        # words interned later, text words, and id -1 are none)
        self.second = np.zeros(len(self.ids) + 1, dtype=bool)
        self.second[self.pairs & 0xFFFFFFFF] = True

    def intern(self, word: str) -> int:
        i = self.ids.get(word)
        if i is None:
            i = self.ids[word] = len(self.ids)
        return i


class _MatchState:
    """What an index has learned of the words of one (language, floor): per word id, flags (a
    one-token key; begins longer keys; stands for a second key word other than itself) and the
    ids of the index tokens through which it begins longer keys (offsets and counts into one
    flat array); per word, its one-token candidates, the longer keys it begins, the second key
    words it may stand for."""

    def __init__(self, words: _WordIds) -> None:
        self.words = words
        self.clear()

    def clear(self) -> None:
        self.seen: dict[str, None] = {}
        self.flags = bytearray()
        self.offsets = array("q")
        self.counts = array("q")
        self.alt_ids = array("q")
        # per word id: the ids of the second key words it stands for (other than itself)
        self.other_offsets = array("q")
        self.other_counts = array("q")
        self.other_ids = array("q")
        self.singles: dict = {}
        self.multis: dict = {}
        self.other_seconds: dict = {}

    def grow(self) -> None:
        """Room in the per-id tables for every id given out so far."""
        missing = len(self.words.ids) - len(self.flags)
        if missing > 0:
            # zeros from bytes (one C copy): extend(repeat(0, n)) took an int at a time, and a
            # language's first batch grows its state by every word id given out so far
            zeros = bytes(self.offsets.itemsize * missing)
            self.flags.extend(bytes(missing))
            self.offsets.frombytes(zeros)
            self.counts.frombytes(zeros)
            self.other_offsets.frombytes(zeros)
            self.other_counts.frombytes(zeros)

    def positions(self, texts: list[list[str]], words: set[str],
                  others_in_bulk: bool = True) -> tuple[list[list[int]], list[list[int]], list[list[int]]]:
        """Per text: where a one-token key is; where a key's first two words begin (the start
        word as any of its index alternatives, the next word as written, or with `others_in_bulk`
        as any second key word it stands for); without `others_in_bulk`, where a start word is
        followed by a word that stands for another second key word (for the caller to check).
        `words`: every word of the texts."""
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        total = int(lengths.sum())
        if total == 0:
            return [[] for _ in texts], [[] for _ in texts], [[] for _ in texts]
        ids = self._ids(texts, words, total)
        # one 0 flag past the end: the flags of id -1, a word these texts do not hold
        flags = np.frombuffer(bytes(self.flags) + b"\0", dtype=np.uint8)[ids]
        ends = np.cumsum(lengths)
        starts = ends - lengths
        ones = np.flatnonzero(flags & _SINGLE)
        multi = (flags & _MULTI) != 0
        multi[ends[lengths > 0] - 1] = False          # a text's last word has no next word
        at = np.flatnonzero(multi)
        follow = at + 1
        arr = self.words.pairs
        second = self.words.second
        # a key goes on with the next word as written only where that word is some key's second
        # word: the other positions make no code that can be in `arr` (at 185k listed names
        # ~1M codes a 1,000-article batch, most of them before a word no key has second)
        written = at[second[np.minimum(ids[follow], len(second) - 1)]]
        if len(arr) and len(written):
            # One (index alternative of the start word, next word) code per alternative: a
            # dense name list gives frequent words several (typo neighbours of name parts).
            wid = ids[written]
            n = np.frombuffer(self.counts, dtype=np.int64)[wid]
            where = np.repeat(written, n)
            first = np.repeat(np.frombuffer(self.offsets, dtype=np.int64)[wid] - (np.cumsum(n) - n), n)
            alt = np.frombuffer(self.alt_ids, dtype=np.int64)[first + np.arange(len(where))]
            codes = (alt << 32) | ids[where + 1]
            k = np.minimum(np.searchsorted(arr, codes), len(arr) - 1)
            pairs = np.unique(where[arr[k] == codes])
        else:
            pairs = at[:0]
        maybe = at[(flags[follow] & _OTHER) != 0]
        if others_in_bulk and len(maybe) and len(arr):
            # A start word followed by a word that stands for other second key words (a typo or
            # an inflection of one): every (index alternative of the start word, second key word
            # the next word stands for) code, looked up in the pairs as above. (Per position in
            # Python, `_may_continue`, this was ~4 % of a /tmp/corpus3k scan: 75k positions.)
            start_id, next_id = ids[maybe], ids[maybe + 1]
            n_alt = np.frombuffer(self.counts, dtype=np.int64)[start_id]
            n_other = np.frombuffer(self.other_counts, dtype=np.int64)[next_id]
            per = n_alt * n_other
            which = np.repeat(np.arange(len(maybe)), per)
            local = np.arange(len(which)) - np.repeat(np.cumsum(per) - per, per)
            width = n_other[which]
            alt = np.frombuffer(self.alt_ids, dtype=np.int64)[
                np.frombuffer(self.offsets, dtype=np.int64)[start_id][which] + local // width]
            other = np.frombuffer(self.other_ids, dtype=np.int64)[
                np.frombuffer(self.other_offsets, dtype=np.int64)[next_id][which] + local % width]
            codes = (alt << 32) | other
            k = np.minimum(np.searchsorted(arr, codes), len(arr) - 1)
            pairs = np.union1d(pairs, maybe[which[arr[k] == codes]])
            maybe = maybe[:0]
        return _split(ones, starts, ends), _split(pairs, starts, ends), _split(maybe, starts, ends)


    def _ids(self, texts, words: set[str], total: int) -> np.ndarray:
        """The texts' word ids, concatenated. Texts of one `tokenize_batch` (`TokenNorms` sharing
        the batch's word list) map each distinct word once, then every token by a numpy take;
        other texts look each token up (in a dict of these texts' words only: the index-wide one
        holds every word learned so far, 1.5M at 185k names, and looking up each of a batch's
        ~900k tokens there cost ~2x, in cache misses)."""
        first = texts[0]
        if isinstance(first, TokenNorms) and all(isinstance(t, TokenNorms) and t.norms is first.norms for t in texts):
            get = self.words.ids.get
            norms = first.norms
            local = np.concatenate([t.ids for t in texts])
            if len(local) < 4 * len(norms):
                # a few texts of a larger batch (one language of many): their own words only
                used, local = np.unique(local, return_inverse=True)
                norms = [norms[k] for k in used.tolist()]
            known = np.fromiter(map(get, norms, repeat(-1, len(norms))), dtype=np.int64, count=len(norms))
            # a word of the batch learned only for another language (or not yet) is none of
            # these texts' words
            known[known >= len(self.flags)] = -1
            return known[local.reshape(-1)]
        get = self.words.ids.__getitem__
        batch_ids = {w: get(w) for w in words}
        return np.fromiter(map(batch_ids.__getitem__, chain.from_iterable(texts)), dtype=np.int64, count=total)


def _words_at(norms, positions: list[int]) -> list[str]:
    """`[norms[i] for i in positions]`; for a batch's `TokenNorms` one numpy take and C calls
    (its __getitem__ is a Python call per word: ~105k a corpus3k scan)."""
    if isinstance(norms, TokenNorms):
        return list(map(norms.norms.__getitem__, norms.ids[positions].tolist()))
    return [norms[i] for i in positions]


def _may_continue(longer, nxt: str, others) -> bool:
    """Whether a start word's keys may go on with `nxt`: as written, or as one of the second key
    words it stands for (`others`, an inflection or a typo)."""
    for _k, _a, node in longer:
        # node.keys().isdisjoint walks the smaller side; others.isdisjoint(node.keys()) walked
        # every key of the node (a frozenset walks any non-set argument), and the start node
        # of a common name part has thousands.
        if nxt in node or (others is not None and not node.keys().isdisjoint(others)):
            return True
    return False


def _split(positions: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[list[int]]:
    """Sorted positions in the concatenated texts -> per text, positions within it."""
    lo = np.searchsorted(positions, starts).tolist()
    hi = np.searchsorted(positions, ends).tolist()
    flat = positions.tolist()
    base = starts.tolist()
    return [[p - b for p in flat[a:z]] if z > a else [] for a, z, b in zip(lo, hi, base, strict=True)]


_PENALTY = {EQUIV: EQUIV_PENALTY, PRESS: EQUIV_PENALTY, INFLECT: INFLECT_PENALTY}


def _one_token(tok: str, alt, payloads) -> Candidate:
    """`_candidate((tok,), 0, 1, (alt,), payloads)`, written out for one token: the learning of a
    corpus's words makes ~26k such candidates, and the general path's loops and joins were most
    of their cost (tests/engine/test_learn_filters.py compares the two)."""
    kind = alt.kind
    if kind == EXACT:
        return Candidate(0, 1, (alt.token,), tuple(payloads), 100.0, (kind,), True)
    key = alt.token
    if kind == FUZZY:
        if alt.once:
            # ratio is 100 * (1 - Indel distance / total length), and such a typo counts one Indel edit
            sim = 100.0 * (1.0 - (Indel.distance(key, key) + 1) / (len(key) + len(key))) - 0.0
        else:
            sim = ratio(key, tok) - 0.0
    elif key.endswith("*"):
        key = tok       # a wildcard matches what is written
        sim = ratio(tok, tok) - (0.0 + INFLECT_PENALTY)
    else:
        sim = ratio(key, key) - (0.0 + _PENALTY.get(kind, 0.0))
    return Candidate(0, 1, (key,), tuple(payloads), max(0.0, round(sim, 2)), (kind,), False)


def _candidate(norms, start, end, path, payloads) -> Candidate:
    key = tuple(a.token for a in path)
    kinds = tuple(a.kind for a in path)
    if all(k == EXACT for k in kinds):
        return Candidate(start, end, key, tuple(payloads), 100.0, kinds, True)
    resolved = []
    penalty = 0.0
    once = 0     # typos counted as one edit each (Alternative.once)
    for alt, text_tok in zip(path, norms[start:end], strict=True):
        if alt.kind == FUZZY:
            if alt.once:
                resolved.append(alt.token)     # (as long as the text's word: a letter replaced or swapped)
                once += 1
            else:
                resolved.append(text_tok)
        elif alt.token.endswith("*"):
            resolved.append(text_tok)   # a wildcard matches what is written
            penalty += INFLECT_PENALTY
            key = tuple(text_tok if k == alt.token else k for k in key)
        else:
            resolved.append(alt.token)
            if alt.kind == EQUIV or alt.kind == PRESS:
                penalty += EQUIV_PENALTY
            elif alt.kind == INFLECT:
                penalty += INFLECT_PENALTY
    if once:
        # ratio is 100 * (1 - Indel distance / total length), and such a typo counts one Indel edit
        joined, written = " ".join(key), " ".join(resolved)
        sim = 100.0 * (1.0 - (Indel.distance(joined, written) + once) / (len(joined) + len(written))) - penalty
    else:
        sim = ratio(" ".join(key), " ".join(resolved)) - penalty
    return Candidate(start, end, key, tuple(payloads), max(0.0, round(sim, 2)), kinds, False)
