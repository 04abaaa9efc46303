"""A trie of normalised token sequences, matched against an article's tokens in one pass."""

from __future__ import annotations

from itertools import compress, islice, repeat
from operator import and_
from typing import NamedTuple

from rapidfuzz.fuzz import ratio

from flagger.matching.alternatives import EQUIV, EXACT, FUZZY, INFLECT, TokenAlternatives

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
        floor already (the scanner does, once per batch).

        Every per-token step is a C loop (map, compress) over tables kept per distinct token:
        which one-token keys a token is (with its similarity), which longer keys it may begin,
        and whether it may be the second token of some key. Python runs only where a key matches
        or may continue ("the" begins keys like "the 224th flight unit", and is followed by
        "224th" almost never)."""
        _seen, singles, multis, pairs, children, other_seconds = self._state(lang, floor)
        if not learned:
            self.learn(set(norms), lang, alts, floor)
        get = alts.get
        table = alts.table(lang)
        tagged: list[tuple[int, int, int, Candidate]] = []
        n = len(norms)
        for i in compress(range(n), map(singles.get, norms)):
            for k, one in singles[norms[i]]:
                tagged.append((i, k, 0, one._replace(start=i, end=i + 1)))
        if pairs and n > 1:
            # A longer key can start at i only if (norms[i], norms[i + 1]) begins one. The pairs
            # of a start word and a key's second word as written are a set, tested in C; a second
            # word that stands for another one (an inflection, a typo) is checked in Python, where
            # a start word precedes it (rare).
            at = list(compress(range(n - 1), map(pairs.__contains__, zip(norms, islice(norms, 1, None), strict=False))))
            if other_seconds:
                maybe = compress(range(n - 1), map(and_, map(multis.__contains__, islice(norms, n - 1)),
                                                   map(other_seconds.__contains__, islice(norms, 1, None))))
                more = [i for i in maybe if not children[norms[i]].isdisjoint(other_seconds[norms[i + 1]])]
                if more:
                    at = sorted(set(at).union(more))
            extend = self._extend
            found: list[Candidate] = []
            for i in at:
                tok = norms[i + 1]
                nxt = table.get(tok)
                if nxt is None:
                    nxt = get(tok, lang)
                for k, alt, node in multis[norms[i]]:
                    for alt2 in nxt:
                        child = node.get(alt2.token)
                        if child is not None:
                            extend(norms, table, get, lang, i, i + 2, child, [alt, alt2], found, floor)
                            tagged.extend((c.start, k, 1, c) for c in found)
                            found.clear()
        if not tagged:
            return []
        # Text order, and at one start the order a depth-first walk gives (alternative by
        # alternative, the one-token key before longer ones): the engine breaks ties by it.
        tagged.sort(key=lambda t: (t[0], t[1], t[2]))
        return [t[3] for t in tagged]

    def _state(self, lang: str, floor) -> tuple:
        """Per (language, floor): seen words; their one-token candidates; the longer keys they
        begin; pairs (start word, a key's second word as written); a start word's possible second
        index words; words that may stand for second index words other than themselves."""
        states = self.__dict__.setdefault("_match_state", {})
        state = states.get((lang, floor))
        if state is None:
            state = states[(lang, floor)] = ({}, {}, {}, set(), {}, {})
        return state

    def learn(self, tokens: set[str], lang: str, alts: TokenAlternatives, floor=None) -> None:
        """Fill the per-token tables for the tokens not seen yet (bounded: cleared when full)."""
        state = self._state(lang, floor)
        seen = state[0]
        new = tokens.difference(seen)
        if not new:
            return
        if len(seen) + len(new) > _STARTS_LIMIT:
            for d in state:
                d.clear()
            new = tokens
        self._learn_starts(new, lang, alts.get, floor, *state)

    def _second_tokens(self) -> frozenset[str]:
        """Every index token that is the second token of some key."""
        second = self.__dict__.get("_seconds")
        if second is None:
            second = self._seconds = frozenset(t for node in self.trie.values() for t in node if t != _END)
        return second

    def _learn_starts(self, tokens, lang, get, floor, seen, singles, multis, pairs, children, other_seconds) -> None:
        trie = self.trie
        all_seconds = self._second_tokens()
        for tok in tokens:
            ones, longer = [], []
            alternatives = get(tok, lang)
            for k, a in enumerate(alternatives):
                node = trie.get(a.token)
                if node is None:
                    continue
                payloads = node.get(_END)
                if payloads:
                    one = _candidate((tok,), 0, 1, (a,), payloads)
                    if floor is None or one.exact_only or one.similarity >= floor(payloads):
                        ones.append((k, one))
                if len(node) > (1 if payloads else 0):
                    longer.append((k, a, node))
            seen[tok] = None
            if ones:
                singles[tok] = tuple(ones)
            others = frozenset(a.token for a in alternatives if a.token != tok and a.token in all_seconds)
            if others:
                other_seconds[tok] = others
            if longer:
                multis[tok] = tuple(longer)
                follow = children[tok] = frozenset(t for _k, _a, node in longer for t in node if t != _END)
                pairs.update(zip(repeat(tok), follow))

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


def _candidate(norms, start, end, path, payloads) -> Candidate:
    key = tuple(a.token for a in path)
    kinds = tuple(a.kind for a in path)
    if all(k == EXACT for k in kinds):
        return Candidate(start, end, key, tuple(payloads), 100.0, kinds, True)
    resolved = []
    penalty = 0.0
    for alt, text_tok in zip(path, norms[start:end], strict=True):
        if alt.kind == FUZZY:
            resolved.append(text_tok)
        elif alt.token.endswith("*"):
            resolved.append(text_tok)   # a wildcard matches what is written
            penalty += INFLECT_PENALTY
            key = tuple(text_tok if k == alt.token else k for k in key)
        else:
            resolved.append(alt.token)
            if alt.kind == EQUIV:
                penalty += EQUIV_PENALTY
            elif alt.kind == INFLECT:
                penalty += INFLECT_PENALTY
    sim = ratio(" ".join(key), " ".join(resolved)) - penalty
    return Candidate(start, end, key, tuple(payloads), max(0.0, round(sim, 2)), kinds, False)
