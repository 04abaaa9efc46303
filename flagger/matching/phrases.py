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
_STARTS_LIMIT = 500_000


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
        get = alts.get
        table = alts.table(lang)
        # token -> ((alternative, trie node), ...) for the alternatives that begin a key: most
        # tokens begin none, and are then skipped with one dict look-up.
        starts_by_lang = self.__dict__.setdefault("_starts", {})
        starts = starts_by_lang.get(lang)
        if starts is None:
            starts = starts_by_lang[lang] = {}
        extend = self._extend
        for i, tok in enumerate(norms):
            first = starts.get(tok)
            if first is None:
                if len(starts) > _STARTS_LIMIT:
                    starts.clear()
                first = starts[tok] = tuple((a, trie[a.token]) for a in get(tok, lang) if a.token in trie)
            if first:
                for alt, node in first:
                    extend(norms, table, get, lang, i, i + 1, node, [alt], out)
        return out

    def _extend(self, norms, table, get, lang, start, pos, node, path, out) -> None:
        payloads = node.get(_END)
        if payloads:
            out.append(_candidate(norms, start, pos, path, payloads))
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
                self._extend(norms, table, get, lang, start, pos + 1, child, path, out)
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
