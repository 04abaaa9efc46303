"""A trie of normalised token sequences, matched against an article's tokens in one pass."""

from __future__ import annotations

from itertools import compress
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

    def match(self, norms: list[str], lang: str, alts: TokenAlternatives, floor=None) -> list[Candidate]:
        """Every key occurrence starting at any token, with its similarity.

        `floor(payloads) -> float`, when given, is the lowest similarity at which any of a key's
        payloads could be used; occurrences below it are not returned (the engine would drop
        them), so a typo that cannot reach a threshold costs nothing past the look-up."""
        out: list[Candidate] = []
        trie = self.trie
        get = alts.get
        table = alts.table(lang)
        # token -> ((alternative, trie node, one-token candidate or None), ...) for the alternatives
        # that begin a key, computed once per distinct token. Most tokens begin none: they are
        # dropped by C loops (map + compress) and never reach a Python step.
        starts = self.__dict__.setdefault("_starts", {}).setdefault((lang, floor), {})
        new = set(norms).difference(starts)
        if new:
            if len(starts) + len(new) > _STARTS_LIMIT:
                starts.clear()
                new = set(norms)
            for tok in new:
                entries = []
                for a in get(tok, lang):
                    node = trie.get(a.token)
                    if node is None:
                        continue
                    one = None
                    payloads = node.get(_END)
                    if payloads:
                        one = _candidate((tok,), 0, 1, (a,), payloads)
                        if floor is not None and not one.exact_only and one.similarity < floor(payloads):
                            one = None
                    if one is not None or len(node) > (1 if payloads else 0):
                        entries.append((a, node, one))
                starts[tok] = tuple(entries)
        firsts = list(map(starts.__getitem__, norms))
        extend = self._extend
        last = len(norms) - 1
        for i in compress(range(len(norms)), firsts):
            for alt, node, one in firsts[i]:
                if one is not None:
                    out.append(one._replace(start=i, end=i + 1))
                if i == last:
                    continue
                # The second token is looked at here, not in a call: most keys that start at a
                # word ("the", "he", "in") end right there.
                tok = norms[i + 1]
                nxt = table.get(tok)
                if nxt is None:
                    nxt = get(tok, lang)
                for alt2 in nxt:
                    child = node.get(alt2.token)
                    if child is not None:
                        extend(norms, table, get, lang, i, i + 2, child, [alt, alt2], out, floor)
        return out

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
