"""A trie of normalised token sequences, matched against an article's tokens in one pass."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.fuzz import ratio

from flagger.matching.alternatives import EQUIV, EXACT, FUZZY, INFLECT, TokenAlternatives

_END = ""  # trie key holding the payloads of a complete key (never a real token)
# Similarity points taken off per token matched by a known equivalent or an inflection, so an
# exact spelling always outranks a variant one.
EQUIV_PENALTY = 1.0
INFLECT_PENALTY = 3.0


@dataclass(frozen=True, slots=True)
class Candidate:
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

    def match(self, norms: list[str], lang: str, alts: TokenAlternatives) -> list[Candidate]:
        """Every key occurrence starting at any token, with its similarity."""
        out: list[Candidate] = []
        trie = self.trie
        n = len(norms)
        get = alts.get
        for i in range(n):
            first = get(norms[i], lang)
            if not first:
                continue
            for alt in first:
                node = trie.get(alt.token)
                if node is None:
                    continue
                self._extend(norms, lang, get, i, i + 1, node, [alt], out)
        return out

    def _extend(self, norms, lang, get, start, pos, node, path, out) -> None:
        payloads = node.get(_END)
        if payloads:
            out.append(_candidate(norms, start, pos, path, payloads))
        if pos >= len(norms) or len(path) >= self.max_len:
            return
        for alt in get(norms[pos], lang):
            child = node.get(alt.token)
            if child is not None:
                path.append(alt)
                self._extend(norms, lang, get, start, pos + 1, child, path, out)
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
