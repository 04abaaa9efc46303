"""A trie of normalised token sequences, matched against an article's tokens in one pass."""

from __future__ import annotations

from array import array
from itertools import chain, compress, repeat
from operator import attrgetter, itemgetter
from typing import NamedTuple

import numpy as np
from rapidfuzz.distance import Indel
from rapidfuzz.fuzz import ratio

from flagger import kernels
from flagger.engine.alternatives import EQUIV, EXACT, FUZZY, INFLECT, PRESS, TokenAlternatives
from flagger.text import TokenNorms

_END = ""  # trie key holding the payloads of a complete key (never a real token)
# Similarity points taken off per token matched by a known equivalent or an inflection, so an
# exact spelling always outranks a variant one.
EQUIV_PENALTY = 1.0
INFLECT_PENALTY = 3.0
# what a reading of each kind other than a typo takes off a candidate's similarity (a wildcard's is
# INFLECT's); a kind missing here fails loudly instead of scoring, or being screened, as exact
_PENALTY = {EXACT: 0.0, EQUIV: EQUIV_PENALTY, PRESS: EQUIV_PENALTY, INFLECT: INFLECT_PENALTY}
_STARTS_LIMIT = 500_000
_STEPS_LIMIT = 200_000      # (start word, next word) pairs whose walk is kept (then cleared)


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

    def flatten(self) -> None:
        """Keep the trie as flat arrays (`FlatTrie`) from now on: what the cached index pickles.
        No key is added afterwards."""
        if isinstance(self.trie, dict):
            self.trie = self._flat()
            self.__dict__.pop("_flat_trie", None)

    def _flat(self) -> FlatTrie:
        """The trie as matching reads it: flat, its nodes made one at a time (an index not
        flattened by `flatten`, as one made key by key, is flattened at its first match)."""
        trie = self.trie
        if isinstance(trie, FlatTrie):
            return trie
        flat = self.__dict__.get("_flat_trie")
        if flat is None:
            flat = self._flat_trie = FlatTrie.of(trie)
        return flat

    def tree(self) -> dict:
        """The trie as nested dicts (a whole walk of it: `{word: child, ..., _END: payloads}`)."""
        return self.trie.tree() if isinstance(self.trie, FlatTrie) else self.trie

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
        found = state.positions(texts, words, others_in_bulk=not reference)
        ones, pairs, maybe = found.ones, found.pairs, found.maybe
        get = alts.get
        table = alts.table(lang)
        longer = self._longer
        if len(maybe):
            # the reference: whether a key goes on past each such start word, asked in Python
            others = self._others
            more = [p for p, first, second in zip(maybe.tolist(), found.words(maybe), found.words(maybe + 1),
                                                   strict=True)
                    if _may_continue(longer(first, state, table, get, lang), state.words.first_by_id, second,
                                     others(second, state, table, get, lang))]
            if more:
                pairs = np.union1d(pairs, np.array(more, dtype=np.int64))
        # The candidates of all the texts are found in one pass over the batch's positions
        # (numbered over the texts one after the other), then sorted and cut per text.
        singles = state.singles
        extend = self._extend
        nodes = self._flat().node
        new = tuple.__new__
        tagged: list[tuple[int, int, int, Candidate]] = []
        if len(ones):
            for p, i, word in zip(ones.tolist(), found.local(ones), found.words(ones), strict=True):
                for k, one in singles[word]:
                    tagged.append((p, k, 0, new(Candidate, (i, i + 1, *one[2:]))))   # (one._replace, in C)
        if len(pairs):
            walked: list[Candidate] = []
            steps = state.steps
            if len(steps) > _STEPS_LIMIT:
                steps.clear()
            at = np.searchsorted(found.ends, pairs, side="right")         # per position, its text
            # the word after the two (where the text has one and some key is longer than two words)
            third = pairs + 2 < found.ends[at]
            if self.max_len <= 2:
                third[:] = False
            firsts, seconds = found.words(pairs), found.words(pairs + 1)
            new_pairs = [pair for pair in dict.fromkeys(zip(firsts, seconds, strict=True)) if pair not in steps]
            if new_pairs:
                self._learn_steps(new_pairs, state, table, get, lang, floor)
            for p, i, t, pair, more, tok3 in zip(
                    pairs.tolist(), (pairs - found.starts[at]).tolist(), at.tolist(), zip(firsts, seconds, strict=True),
                    third.tolist(), found.words(np.minimum(pairs + 2, found.ends[-1] - 1)), strict=True):
                walk = steps[pair]
                alts3 = None
                for k, path, node, fields in walk:
                    if fields is not None:      # the two-word key's candidate, made once per pair
                        tagged.append((p, k, 1, new(Candidate, (i, i + 2, *fields))))
                    if node is not None and more:
                        if alts3 is None:
                            alts3 = table.get(tok3)
                            if alts3 is None:
                                alts3 = get(tok3, lang)
                        for alt3 in alts3:
                            child = node.get(alt3.token)
                            if child is not None:
                                extend(texts[t], table, get, lang, i, i + 3, nodes(child), [*path, alt3], walked,
                                       floor)
                                tagged.extend((p, k, 1, c) for c in walked)
                                walked.clear()
        # Text order, and at one start the order a depth-first walk gives (alternative by
        # alternative, the one-token key before longer ones): the engine breaks ties by it.
        tagged.sort(key=_ORDER)
        cut = np.searchsorted(np.fromiter(map(_FIRST, tagged), dtype=np.int64, count=len(tagged)),
                              found.ends).tolist()
        cands = list(map(_LAST, tagged))
        return [cands[a:z] for a, z in zip([0, *cut], cut, strict=False)]

    def _longer(self, word: str, state: _MatchState, table, get, lang: str) -> tuple:
        """(k, alternative, its word id) for each of `word`'s alternatives that begins keys of
        several words: what the walk tries where such a key may begin. Made at the word's first
        such position (most learned words never reach one), then kept with the state. The start
        word's trie node is not made: at 185k listed names a frequent name part's has thousands
        of entries, and the walk finds its children through `_WordIds.children`."""
        longer = state.multis.get(word)
        if longer is None:
            alternatives = table.get(word)
            if alternatives is None:
                alternatives = get(word, lang)
            words = state.words
            id_of, kinds, known = words.ids.get, words.kind_bytes, len(words.kind_bytes)
            out = []
            for k, a in enumerate(alternatives):
                i = id_of(a.token)
                if i is not None and i < known and kinds[i] & _GOES_ON:
                    out.append((k, a, i))
            longer = state.multis[word] = tuple(out)
        return longer

    def _learn_steps(self, pairs: list[tuple[str, str]], state: _MatchState, table, get, lang: str, floor) -> None:
        """`_steps` of each (start word, next word) pair, into `state.steps`: the trie nodes the
        pairs reach are found for all of them at once (`_WordIds.children`)."""
        longer = self._longer
        starts = [longer(first, state, table, get, lang) for first, _second in pairs]
        nexts = []
        for _first, second in pairs:
            nxt = table.get(second)
            nexts.append(get(second, lang) if nxt is None else nxt)
        steps = state.steps
        for (first, second), reached in zip(pairs, state.words.children(starts, nexts), strict=True):
            steps[(first, second)] = self._steps(first, second, reached, floor)

    def _steps(self, first: str, second: str, reached: list, floor) -> tuple:
        """What the walk does where `first` is followed by `second`, in its order: per trie node
        reached through an alternative of each (`reached`: `_WordIds.children`), (k, the two
        alternatives, the node if it begins longer keys else None, the fields past start and end
        of the two-word key's candidate, or None where the node ends no key or the candidate falls
        below the floor). These depend on the two words only, so they are made once per pair of
        words."""
        out = []
        nodes = self._flat().node
        for (k, alt, _i), alt2, child in reached:
            child = nodes(child)
            payloads = child.get(_END)
            fields = None
            if payloads:
                cand = _candidate((first, second), 0, 2, (alt, alt2), payloads)
                if floor is None or cand.exact_only or cand.similarity >= floor(payloads):
                    fields = cand[2:]
            goes_on = len(child) > (1 if payloads else 0)
            if goes_on or fields is not None:
                out.append((k, (alt, alt2), child if goes_on else None, fields))
        return tuple(out)

    def _others(self, word: str, state: _MatchState, table, get, lang: str) -> frozenset[str] | None:
        """The second key words other than `word` itself that `word` stands for (a typo or an
        inflection of one), or None: for `match_many`'s reference path."""
        others = state.other_seconds.get(word, False)
        if others is False:
            alternatives = table.get(word)
            if alternatives is None:
                alternatives = get(word, lang)
            others = self._second_tokens().intersection([a.token for a in alternatives]).difference((word,))
            others = state.other_seconds[word] = others or None
        return others

    def _state(self, lang: str, floor) -> _MatchState:
        states = self.__dict__.setdefault("_match_state", {})
        state = states.get((lang, floor))
        if state is None:
            state = states[(lang, floor)] = _MatchState(self._word_ids())
        return state

    def prepare_matching(self) -> None:
        """Build the word ids, pair array and second key words now (they are otherwise built at
        the first match, in every scanning process: ~0.1-0.4 CPU s at 185k listed names)."""
        self._word_ids().one_edit_ids(self.alternatives())
        self._second_tokens()

    def _word_ids(self) -> _WordIds:
        words = self.__dict__.get("_words")
        if words is None:
            words = self._words = _WordIds(self._flat())
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
        self._learn_starts(new, lang, alts, floor, state)

    def _second_tokens(self) -> frozenset[str]:
        """Every index token that is the second token of some key."""
        second = self.__dict__.get("_seconds")
        if second is None:
            second = self._seconds = frozenset(t for _first, _whole, seconds, _node in self._flat().heads()
                                               for t in seconds)
        return second

    def _learn_starts(self, tokens, lang, alts: TokenAlternatives, floor, state: _MatchState) -> None:
        """Per new word id: whether the word is a one-token key (its candidates: the alternatives
        that are whole keys and reach the floor), begins longer keys (the ids of the index words
        it begins them through) and stands for second key words other than itself (their ids).
        Done for all the words at once, as numpy operations over their alternatives' ids; Python
        runs only per alternative that is a whole key (a candidate is made). What the walk needs
        of a start word (`_longer`) is made when it reaches one."""
        words = state.words
        ids = words.ids
        tokens = list(tokens)
        # every word an id (as `intern` one by one gives them: in this order), in C
        missing = [t for t in tokens if t not in ids]
        ids.update(zip(missing, range(len(ids), len(ids) + len(missing)), strict=True))
        state.grow()
        state.seen.update(dict.fromkeys(tokens))
        table = alts.table(lang)
        found = list(map(table.get, tokens))
        if None in found:     # (a word whose entry went when the table was cleared)
            found = [alts.get(t, lang) if f is None else f for t, f in zip(tokens, found, strict=True)]
        # only the words with alternatives change the tables (most stand for nothing)
        with_alternatives = list(compress(tokens, found))
        if not with_alternatives:
            return
        lists = list(filter(None, found))
        n = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        flat = list(chain.from_iterable(lists))
        # each alternative's word id: the words whose alternatives are their typo readings from
        # the one-edit index (most) by their index tokens' positions there, in numpy; the others
        # by looking each distinct alternative's token up
        pure, positions = alts.one_edit_tokens(with_alternatives, lists)
        if len(positions):
            aid = np.empty(len(flat), dtype=np.int64)
            mask = np.repeat(pure, n)
            aid[mask] = words.one_edit_ids(alts)[positions]
            aid[~mask] = _alternative_ids(list(compress(flat, (~mask).tolist())), ids)
        else:
            aid = _alternative_ids(flat, ids)
        kinds = words.kinds
        kind = kinds[np.minimum(aid, len(kinds) - 1)]          # id -1: the 0 past the end
        word = np.repeat(np.arange(len(lists)), n)              # per alternative, its word
        tid = np.fromiter(map(ids.__getitem__, with_alternatives), dtype=np.int64, count=len(lists))
        flags = np.zeros(len(lists), dtype=np.uint8)
        # one-token keys: a candidate per alternative that is one, if it reaches the floor
        whole = np.flatnonzero(kind & _WHOLE)
        if len(whole) and floor is not None:
            whole = whole[self._may_reach(whole, aid, tid[word[whole]], flat, with_alternatives, word, floor, state)]
        if len(whole):
            at = (whole - (np.cumsum(n) - n)[word[whole]]).tolist()      # the alternative's k
            first, singles = words.whole_payloads, state.singles
            ones: dict[int, list] = {}
            for j, w, k in zip(whole.tolist(), word[whole].tolist(), at, strict=True):
                a = flat[j]
                payloads = first(aid[j])
                one = _one_token(with_alternatives[w], a, payloads)
                if floor is None or one.exact_only or one.similarity >= floor(payloads):
                    ones.setdefault(w, []).append((k, one))
            for w, found_ones in ones.items():
                singles[with_alternatives[w]] = tuple(found_ones)
            flags[list(ones)] |= _SINGLE
        # longer keys: the ids of the index words each word begins them through, in its order
        goes_on = np.flatnonzero(kind & _GOES_ON)
        if len(goes_on):
            count = np.bincount(word[goes_on], minlength=len(lists))
            has = count > 0
            flags[has] |= _MULTI
            _place(state.offsets, state.counts, state.alt_ids, tid[has], count[has], aid[goes_on])
        # the second key words other than itself that a word stands for (a typo or an inflection)
        second = words.second
        other = np.flatnonzero(second[np.minimum(aid, len(second) - 1)] & (aid != tid[word]))
        if len(other):
            codes = _unique((word[other] << 32) | aid[other])     # (each once per word)
            count = np.bincount(codes >> 32, minlength=len(lists))
            has = count > 0
            flags[has] |= _OTHER
            _place(state.other_offsets, state.other_counts, state.other_ids, tid[has], count[has],
                   codes & 0xFFFFFFFF)
        view = np.frombuffer(state.flags, dtype=np.uint8)
        view[tid] = flags
        del view        # (a bytearray with a view on it cannot grow)

    def _may_reach(self, whole, aid, tid, flat, with_alternatives, word, floor, state) -> np.ndarray:
        """Which of the alternatives at `whole` (positions in `flat`, each an index word that is a
        one-token key) may make a candidate that reaches the floor: the word itself (an exact
        match reaches any floor), or another whose best possible similarity reaches its key's
        floor. Best possible: 100 less the smallest penalty of an equivalent, press spelling,
        inflection or wildcard reading, or for a typo (another string, Indel distance >= 1; one
        counted edit in `once`) 100 * (1 - 1 / (key length + the longer of the two lengths)).
        A weak alias (floor 100 at the default threshold) so takes no typo, equivalent or
        inflection candidates, without making them: at 185k listed names ~52k of ~54k such
        candidates a 2,000-article corpus (tests/engine/test_learn_filters.py: the same
        candidates as making each)."""
        floors, lengths = state.whole_floor, state.whole_length
        at = aid[whole]
        unknown = np.isnan(floors[at])
        if unknown.any():       # each index word's floor and length, read once per state
            ids, first = np.unique(at[unknown], return_index=True)
            tokens = [flat[j].token for j in whole[np.flatnonzero(unknown)[first]].tolist()]
            payloads = state.words.whole_payloads
            floors[ids] = [floor(payloads(i)) for i in ids.tolist()]
            lengths[ids] = list(map(len, tokens))
        key = lengths[at]
        text = np.fromiter(map(len, with_alternatives), dtype=np.int64, count=len(with_alternatives))[word[whole]]
        best = np.maximum(100.0 * (1.0 - 1.0 / (key + np.maximum(key, text))), _BEST_VARIANT)
        # (0.01 above: a candidate's similarity is rounded to 2 places)
        return (at == tid) | (floors[at] <= best + 0.01)

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
        nodes = None
        for alt in nxt:
            child = node.get(alt.token)
            if child is not None:
                if nodes is None:
                    nodes = self._flat().node
                path.append(alt)
                self._extend(norms, table, get, lang, start, pos + 1, nodes(child), path, out, floor)
                path.pop()


_SINGLE, _MULTI, _OTHER = 1, 2, 4
# the best similarity a one-token candidate other than an exact or typo reading may take
_BEST_VARIANT = 100.0 - min(penalty for kind, penalty in _PENALTY.items() if kind != EXACT)
# per index word id (`_WordIds.kinds`): its trie node holds payloads; it has child tokens
_WHOLE, _GOES_ON = 1, 2
_ORDER = itemgetter(0, 1, 2)
_FIRST, _LAST = itemgetter(0), itemgetter(-1)
_TOKEN = attrgetter("token")


class _WordIds:
    """One int per word, for an index and every text word it has learned, and the index's
    (first token, second token) pairs as one int each (first << 32 | second), sorted: whether a
    key may begin at a text position is then a bulk search of the (start word's index
    alternative, next word as written) code in this array."""

    def __init__(self, trie: FlatTrie) -> None:
        self.trie = trie
        self.clear()

    def clear(self) -> None:
        self.ids: dict[str, int] = {}
        heads = self.trie.heads()
        pairs = [(self.intern(first) << 32) | self.intern(second)
                 for first, _whole, seconds, _node in heads for second in seconds]
        self.pairs, pair_at = np.unique(np.array(pairs, dtype=np.int64), return_index=True)
        # per word id, its trie node's kind (_WHOLE, _GOES_ON) for the keys' first words, 0 for
        # the others (and one 0 past the end, for id -1 and the ids given out later)
        kinds = [(self.intern(first), (_WHOLE if whole else 0) | (_GOES_ON if seconds else 0))
                 for first, whole, seconds, _node in heads]
        # per word id, the trie node of the keys it begins (-1: none): the trie's first words are
        # found through these ids, so a loaded index makes no dict of them besides `ids`
        head_ids = np.array([self.ids[first] for first, *_ in heads], dtype=np.int64)
        head_nodes = np.array([node for *_, node in heads], dtype=np.int64)
        nodes = np.full(len(self.ids), -1, dtype=np.int32)
        nodes[head_ids] = head_nodes
        self.first_nodes = nodes
        # per pair, the trie node its two words lead to; per word id, the payload tuple of its
        # one-token key (-1: none): read from the arrays, so that the walk makes no start word's
        # node (`children`, `whole_payloads`)
        owner, entry_word, entry_to = self.trie.entries(head_nodes)
        goes = entry_word >= 0
        self.pair_child = entry_to[goes][pair_at]
        self.whole_payload = np.full(len(self.ids), -1, dtype=np.int64)
        self.whole_payload[head_ids[owner[~goes]]] = entry_to[~goes]
        self.kinds = np.zeros(len(self.ids) + 1, dtype=np.uint8)
        if kinds:
            at, kind = zip(*kinds, strict=True)
            self.kinds[list(at)] = kind
        self.kind_bytes = self.kinds.tobytes()        # (read one id at a time, as Python ints)
        # per word id, whether it is the second word of some key (one False past the end: the
        # words interned later, text words, and id -1 are none)
        self.second = np.zeros(len(self.ids) + 1, dtype=bool)
        self.second[self.pairs & 0xFFFFFFFF] = True
        self.second_bytes = self.second.tobytes()
        # the pairs as a hash set, for the compiled kernel (made when it first runs)
        self.pair_table: np.ndarray | None = None

    def first(self, word: str) -> dict | None:
        """The trie node of the keys `word` begins (`FlatTrie.node`), or None."""
        i = self.ids.get(word)
        if i is None or i >= len(self.first_nodes):
            return None
        n = int(self.first_nodes[i])
        return None if n < 0 else self.trie.node(n)

    def first_by_id(self, i: int) -> dict:
        """`first` of the word of id `i`, a first key word."""
        return self.trie.node(int(self.first_nodes[i]))

    def whole_payloads(self, i: int) -> tuple[int, ...]:
        """The payloads of the one-token key that is the word of id `i` (its node's `_END`)."""
        return self.trie.payload(int(self.whole_payload[i]))

    def children(self, starts: list[tuple], nexts: list) -> list[list[tuple[tuple, object, int]]]:
        """Per (start word, next word) pair, given as the start word's `PhraseIndex._longer`
        entries (its index alternatives that begin longer keys, word id last) and the next word's
        alternatives (`.token`): (entry, next word's alternative, child node number) per two
        alternatives that begin a key, in the order of a walk (entries, then alternatives). Found
        by searching the pairs' codes, for all the pairs at once: the start words' trie nodes
        (thousands of entries for a frequent name part at 185k listed names) are not made."""
        id_of, second, known = self.ids.get, self.second_bytes, len(self.second_bytes)
        entries, alternatives = [], []
        first_ids, second_ids = [], []
        n_first, n_second = [], []
        for longer, nxt in zip(starts, nexts, strict=True):
            tail = [(a, i) for a in nxt if (i := id_of(a.token)) is not None and i < known and second[i]] \
                if longer else []
            entries.extend(longer)
            first_ids.extend(e[-1] for e in longer)
            n_first.append(len(longer))
            alternatives.extend(a for a, _i in tail)
            second_ids.extend(i for _a, i in tail)
            n_second.append(len(tail) if longer else 0)
        out: list[list] = [[] for _ in starts]
        rows, cols = np.array(n_first, dtype=np.int64), np.array(n_second, dtype=np.int64)
        size = rows * cols
        total = int(size.sum())
        if total == 0 or not len(self.pairs):
            return out
        # every (start entry, next alternative) of every pair, row-major per pair
        owner = np.repeat(np.arange(len(starts)), size)
        local = np.arange(total) - np.repeat(np.cumsum(size) - size, size)
        width = cols[owner]
        row = np.repeat(np.cumsum(rows) - rows, size) + local // width
        col = np.repeat(np.cumsum(cols) - cols, size) + local % width
        codes = (np.array(first_ids, dtype=np.int64)[row] << 32) | np.array(second_ids, dtype=np.int64)[col]
        pairs = self.pairs
        at = np.minimum(np.searchsorted(pairs, codes), len(pairs) - 1)
        hit = np.flatnonzero(pairs[at] == codes)
        for o, r, c, child in zip(owner[hit].tolist(), row[hit].tolist(), col[hit].tolist(),
                                  self.pair_child[at[hit]].tolist(), strict=True):
            out[o].append((entries[r], alternatives[c], child))
        return out

    def one_edit_ids(self, alts: TokenAlternatives) -> np.ndarray:
        """Per token of the alternatives' one-edit index (by position), its word id here if it is
        a first or second key word, else -1 (an id that `kinds` and `second` read as none, as
        they read the ids given to text words). The index's words keep their ids when the ids
        are cleared (interned again in the same order), so this is made once per one-edit index."""
        tokens = alts._one_edit.tokens
        made = self.__dict__.get("_one_edit_ids")
        if made is None or made[0] is not tokens:
            ids = np.fromiter(map(self.ids.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
            ids[ids >= len(self.kinds) - 1] = -1
            made = self._one_edit_ids = (tokens, ids)
        return made[1]

    def intern(self, word: str) -> int:
        i = self.ids.get(word)
        if i is None:
            i = self.ids[word] = len(self.ids)
        return i


class FlatTrie:
    """The phrase trie as flat arrays: nodes numbered from 0 (the root), each node's entries one
    run of `edge_word` / `edge_to` in its order (a word's index in `words` and the child node's
    number, or -1 and the index of the key's payload tuple: the `_END` entry). Loading a compiled
    index so makes a few arrays instead of a Python dict per node (567k distinct nodes, 1.5M
    entries at 185k listed names: ~0.5 of the ~0.85 CPU s that unpickling the whole index took).
    Matching reads one node at a time (`node`; a first key word's through `_WordIds.first`, so the
    root's dict of ~287k first words at 185k names is made only for `get`, `[]`, `in`, `len` and
    whole walks): a dict of its entries in their order,
    each child as its number (`node(child)` reads it), `_END` as its payload tuple (equal payloads
    one tuple, as the floors are keyed by identity), made when first read and kept. A scan so
    makes only the nodes it reaches, one level at a time (made whole, the subtrees of every start
    word reached cost more than the load saved). No key can be added."""

    def __init__(self, words: list[str], edges: np.ndarray, edge_word: np.ndarray, edge_to: np.ndarray,
                 payload_at: np.ndarray, payload_ids: np.ndarray) -> None:
        self.words = words                # every word of the trie
        self.edges = edges                # node n's entries are edges[n]:edges[n + 1]
        self.edge_word = edge_word        # per entry, its word's index in `words`, or -1 (_END)
        self.edge_to = edge_to            # per entry, the child node, or (_END) the payload tuple
        self.payload_at = payload_at      # payload tuple p is payload_ids[payload_at[p]:payload_at[p + 1]]
        self.payload_ids = payload_ids
        self._start()

    def _start(self) -> None:
        # (memoryviews: their items and slices read as Python ints without numpy's per-call cost,
        # ~20 % of making a node)
        self._edges, self._edge_word, self._edge_to = map(memoryview, (self.edges, self.edge_word, self.edge_to))
        self._payload_at, self._payload_ids = memoryview(self.payload_at), memoryview(self.payload_ids)
        self._nodes: dict[int, dict] = {}
        self._payloads: dict[int, tuple[int, ...]] = {}

    @property
    def _root(self) -> dict:
        # the root node (made at its first read: a scan finds the first key words through the
        # word ids, `_WordIds.first`, and does not make this dict of ~287k words at 185k names)
        return self.node(0)

    @classmethod
    def of(cls, trie: dict) -> FlatTrie:
        """The flat form of a dict trie (its nodes numbered as first met, breadth first)."""
        words: dict[str, int] = {}
        numbers: dict[int, int] = {id(trie): 0}
        payload_numbers: dict[int, int] = {}
        payloads: list[tuple[int, ...]] = []
        edges, edge_word, edge_to = [0], [], []
        order = [trie]
        for node in order:          # (grows as nodes are met)
            for tok, child in node.items():
                if tok == _END:
                    p = payload_numbers.get(id(child))
                    if p is None:
                        p = payload_numbers[id(child)] = len(payloads)
                        payloads.append(tuple(child))
                    edge_word.append(-1)
                    edge_to.append(p)
                    continue
                n = numbers.get(id(child))
                if n is None:
                    n = numbers[id(child)] = len(order)
                    order.append(child)
                edge_word.append(words.setdefault(tok, len(words)))
                edge_to.append(n)
            edges.append(len(edge_word))
        lengths = np.fromiter(map(len, payloads), dtype=np.int64, count=len(payloads))
        return cls(list(words), np.array(edges, dtype=np.int64), np.array(edge_word, dtype=np.int32),
                   np.array(edge_to, dtype=np.int32), np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
                   np.fromiter(chain.from_iterable(payloads), dtype=np.int32, count=int(lengths.sum())))

    def __getstate__(self):
        return (self.words, self.edges, self.edge_word, self.edge_to, self.payload_at, self.payload_ids)

    def __setstate__(self, state) -> None:
        self.words, self.edges, self.edge_word, self.edge_to, self.payload_at, self.payload_ids = state
        self._start()

    def node(self, n: int) -> dict:
        """Node `n`: {word: child node number, ..., _END: payload tuple} in its order (made once)."""
        made = self._nodes.get(n)
        if made is None:
            edges = self._edges
            a, z = edges[n], edges[n + 1]
            word, to = self._edge_word[a:z].tolist(), self._edge_to[a:z].tolist()
            if -1 in word:
                words = self.words
                made = {}
                for w, t in zip(word, to, strict=True):
                    made[words[w] if w >= 0 else _END] = t if w >= 0 else self._payload(t)
            else:
                made = dict(zip(map(self.words.__getitem__, word), to, strict=True))
            self._nodes[n] = made
        return made

    def entries(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The entries of `nodes`, one node after the other in their order: per entry, the
        position in `nodes` of its node, its word (`edge_word`) and its child (`edge_to`)."""
        a, z = self.edges[nodes], self.edges[nodes + 1]
        n = z - a
        owner = np.repeat(np.arange(len(nodes)), n)
        at = np.repeat(a - (np.cumsum(n) - n), n) + np.arange(int(n.sum()))
        return owner, self.edge_word[at], self.edge_to[at]

    def payload(self, p: int) -> tuple[int, ...]:
        """Payload tuple `p` (as `node` gives it: one tuple per p)."""
        return self._payload(p)

    def _payload(self, p: int) -> tuple[int, ...]:
        ids = self._payloads.get(p)
        if ids is None:
            at = self._payload_at
            ids = self._payloads[p] = tuple(self._payload_ids[at[p]:at[p + 1]].tolist())
        return ids

    def get(self, word: str, default=None):
        """The node of the first key word `word` (`node`), or `default`."""
        n = self._root.get(word)
        return default if n is None else self.node(n)

    def __getitem__(self, word: str) -> dict:
        return self.node(self._root[word])

    def __contains__(self, word) -> bool:
        return word in self._root

    def __len__(self) -> int:
        return len(self._root)

    def tree(self) -> dict:
        """The whole trie as nested dicts, as it was before it was flattened (a shared subtree one
        object): for a walk of every key."""
        return self.tree_of(self.node(0))

    def tree_of(self, node: dict) -> dict:
        """A node (`node`) and its subtree as nested dicts."""
        made: dict[int, dict] = {}

        def nested(node: dict) -> dict:
            return {w: (t if w == _END else made.get(t) or made.setdefault(t, nested(self.node(t))))
                    for w, t in node.items()}

        return nested(node)

    def heads(self) -> list[tuple[str, bool, list[str], int]]:
        """Per first key word, in the trie's order: the word, whether it is a whole key, the second
        words of its keys in its node's order, and its node (read from the arrays: no node is made)."""
        words, edges, edge_word = self.words, self.edges.tolist(), self.edge_word.tolist()
        out = []
        for w, n in zip(edge_word[edges[0]:edges[1]], self.edge_to[edges[0]:edges[1]].tolist(), strict=True):
            if w < 0:
                continue
            entries = edge_word[edges[n]:edges[n + 1]]
            out.append((words[w], -1 in entries, [words[e] for e in entries if e >= 0], n))
        return out


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
        # (start word, next word) -> what the walk does there (`PhraseIndex._steps`)
        self.steps: dict[tuple[str, str], tuple] = {}
        # per index word id of a one-token key: the floor of its payloads and its length, read
        # when a word first has it as an alternative (NaN: not yet; `PhraseIndex._may_reach`)
        self.whole_floor = np.full(len(self.words.kinds), np.nan)
        self.whole_length = np.zeros(len(self.words.kinds), dtype=np.int64)

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

    def positions(self, texts: list[list[str]], words: set[str], others_in_bulk: bool = True) -> _Positions:
        """Over the texts one after the other (`_Positions`): where a one-token key is; where a
        key's first two words begin (the start word as any of its index alternatives, the next
        word as written, or with `others_in_bulk` as any second key word it stands for); without
        `others_in_bulk`, where a start word is followed by a word that stands for another second
        key word (for the caller to check). `words`: every word of the texts."""
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        total = int(lengths.sum())
        ends = np.cumsum(lengths)
        if total == 0:
            none = np.zeros(0, dtype=np.int64)
            return _Positions(none, none, none, ends - lengths, ends, None, [])
        ids, word_of, norms = self._ids(texts, words, total)
        kernel = kernels.phrases
        if kernel is not None and others_in_bulk:
            # the same positions in one pass over the ids, in C (flagger/kernels/_phrases.pyx)
            table = self.words.pair_table
            if table is None:
                table = self.words.pair_table = kernel.pair_table(self.words.pairs)
            ones, pairs = kernel.positions(
                ids, ends, self.flags, _int64(self.offsets), _int64(self.counts), _int64(self.alt_ids),
                _int64(self.other_offsets), _int64(self.other_counts), _int64(self.other_ids),
                table, self.words.second.view(np.uint8))
            return _Positions(ones, pairs, ones[:0], ends - lengths, ends, word_of, norms)
        # one 0 flag past the end: the flags of id -1, a word these texts do not hold
        flags = np.frombuffer(bytes(self.flags) + b"\0", dtype=np.uint8)[ids]
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
            pairs = _unique(where[arr[k] == codes])
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
        return _Positions(ones, pairs, maybe, ends - lengths, ends, word_of, norms)


    def _ids(self, texts, words: set[str], total: int) -> tuple[np.ndarray, np.ndarray | None, list[str]]:
        """The texts' word ids, concatenated, and how to read their words back: `norms[word_of[p]]`
        is the word at position p (`word_of` None: `norms[p]`). Texts of one `tokenize_batch`
        (`TokenNorms` sharing the batch's word list) map each distinct word once, then every
        token by a numpy take; other texts look each token up (in a dict of these texts' words
        only: the index-wide one holds every word learned so far, 1.5M at 185k names, and looking
        up each of a batch's ~900k tokens there cost ~2x, in cache misses)."""
        first = texts[0]
        if isinstance(first, TokenNorms) and all(isinstance(t, TokenNorms) and t.norms is first.norms for t in texts):
            get = self.words.ids.get
            norms = first.norms
            local = np.concatenate([t.ids for t in texts])
            if len(local) < 4 * len(norms):
                # a few texts of a larger batch (one language of many): their own words only
                used, local = np.unique(local, return_inverse=True)
                norms = [norms[k] for k in used.tolist()]
            local = local.reshape(-1)
            known = np.fromiter(map(get, norms, repeat(-1, len(norms))), dtype=np.int64, count=len(norms))
            # a word of the batch learned only for another language (or not yet) is none of
            # these texts' words
            known[known >= len(self.flags)] = -1
            return known[local], local, norms
        get = self.words.ids.__getitem__
        batch_ids = {w: get(w) for w in words}
        flat = list(chain.from_iterable(texts))
        return np.fromiter(map(batch_ids.__getitem__, flat), dtype=np.int64, count=total), None, flat


def _alternative_ids(flat: list, ids: dict[str, int]) -> np.ndarray:
    """Each alternative's word id (-1: none), its token looked up once per distinct alternative
    object. A word's typo readings are objects shared by every word one edit from the same
    index token (`TokenAlternatives._fuzzy_alternatives`): at 185k listed names a batch's
    alternatives are ~4x the distinct ones, and reading each one's token and looking it up among
    the ~360k ids, a cache miss or two each, was the largest part of learning's growth with the
    names. (The objects are alive in `flat`, so their ids are distinct.)"""
    addresses = np.fromiter(map(id, flat), dtype=np.int64, count=len(flat))
    distinct, first, inverse = np.unique(addresses, return_index=True, return_inverse=True)
    tokens = map(_TOKEN, map(flat.__getitem__, first.tolist()))
    return np.fromiter(map(ids.get, tokens, repeat(-1)), dtype=np.int64, count=len(distinct))[inverse.reshape(-1)]


def _unique(values: np.ndarray) -> np.ndarray:
    """`np.unique(values)`, by one sort: numpy 2.4's np.unique without return_index and the like
    hashes the values first, and took ~140 ms on 400k int64 codes where a sort takes ~14 ms
    (`np.unique(..., return_index=True)` sorts, as before)."""
    values = np.sort(values)
    keep = np.empty(len(values), dtype=bool)
    keep[:1] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _int64(values: array) -> np.ndarray:
    """An array('q') as int64 numpy (a view: the array cannot grow while it is held)."""
    return np.frombuffer(values, dtype=np.int64)


def _place(offsets: array, counts: array, flat: array, tids: np.ndarray, count: np.ndarray,
           values: np.ndarray) -> None:
    """Append `values` (`count[j]` of them for word id `tids[j]`, one word after the other) to
    `flat`, and set those ids' offsets and counts into it."""
    view = np.frombuffer(offsets, dtype=np.int64)
    view[tids] = len(flat) + np.cumsum(count) - count
    view = np.frombuffer(counts, dtype=np.int64)
    view[tids] = count
    del view        # (an array with a view on it cannot grow)
    flat.frombytes(values.astype(np.int64).tobytes())


class _Positions(NamedTuple):
    """`_MatchState.positions`: positions numbered over a batch's texts one after the other."""

    ones: np.ndarray      # a one-token key's word
    pairs: np.ndarray     # where a key of several words may begin
    maybe: np.ndarray     # (without others_in_bulk) a start word before a word standing for others
    starts: np.ndarray    # per text, the position of its first word
    ends: np.ndarray      # per text, the position past its last word
    word_of: np.ndarray | None    # per position, its word's index in `norms` (None: `norms[p]`)
    norms: list[str]

    def words(self, positions: np.ndarray) -> list[str]:
        """The words at `positions` (numpy takes and C calls: no Python step per word)."""
        if self.word_of is None:
            return list(map(self.norms.__getitem__, positions.tolist()))
        return list(map(self.norms.__getitem__, self.word_of[positions].tolist()))

    def local(self, positions: np.ndarray) -> list[int]:
        """Per position, its token index in its text."""
        return (positions - self.starts[np.searchsorted(self.ends, positions, side="right")]).tolist()


def _may_continue(longer, first_node, nxt: str, others) -> bool:
    """Whether a start word's keys may go on with `nxt`: as written, or as one of the second key
    words it stands for (`others`, an inflection or a typo). `first_node(word id)`: its trie node."""
    for _k, _a, i in longer:
        node = first_node(i)
        # node.keys().isdisjoint walks the smaller side; others.isdisjoint(node.keys()) walked
        # every key of the node (a frozenset walks any non-set argument), and the start node
        # of a common name part has thousands.
        if nxt in node or (others is not None and not node.keys().isdisjoint(others)):
            return True
    return False


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
        sim = ratio(key, key) - (0.0 + _PENALTY[kind])
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
            penalty += _PENALTY[alt.kind]
    if once:
        # ratio is 100 * (1 - Indel distance / total length), and such a typo counts one Indel edit
        joined, written = " ".join(key), " ".join(resolved)
        sim = 100.0 * (1.0 - (Indel.distance(joined, written) + once) / (len(joined) + len(written))) - penalty
    else:
        sim = ratio(" ".join(key), " ".join(resolved)) - penalty
    return Candidate(start, end, key, tuple(payloads), max(0.0, round(sim, 2)), kinds, False)
