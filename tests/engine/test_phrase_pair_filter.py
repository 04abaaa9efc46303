"""Where a key of several words may begin is looked up in bulk (`_MatchState.positions`) only at
start words followed by a word that is the second word of some key, as written, or that stands
for one (a typo or an inflection): before any other word no key can go on, so the filter drops no
candidate. Here the matcher's candidates are compared with a walk of the trie from every position
through every alternative of every word, which has no such filter."""

from __future__ import annotations

import os
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.engine.phrases import _END, PhraseIndex

CI = bool(os.environ.get("CI"))

# first words of keys, second words of keys, and words that are neither; close spellings, so
# that text words are typos of several index words
FIRST = ["kolara", "molara", "tirava", "darunel"]
SECOND = ["sonepa", "pesoka", "virava", "barunel"]
OTHER = ["the", "and", "sanctions", "report", "kolarax", "pesokid"]


def _index(seed: int) -> PhraseIndex:
    rng = random.Random(seed)
    index = PhraseIndex()
    for pid in range(30):
        key = (rng.choice(FIRST), *(rng.choice(SECOND) for _ in range(rng.randint(0, 2))))
        index.add(key, pid)
    index.add(("sonepa",), 30)       # a one-word key that is also a second word
    return index


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(len(word))
    return word[:i] + rng.choice("aeiknorst") + word[i + 1:]


def _text(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        word = rng.choice(FIRST + SECOND + OTHER)
        if rng.random() < 0.25 and len(word) > 4:
            word = _typo(rng, word)
        out.append(word)
    return out


def _walked(index: PhraseIndex, norms: list[str]) -> set[tuple[int, int, tuple[str, ...]]]:
    """Every key occurrence the trie admits, from every position, through every alternative."""
    alts = index.alternatives()
    out = set()

    def walk(start, pos, node, path):
        if node.get(_END):
            out.add((start, pos, tuple(path)))
        if pos >= len(norms):
            return
        for alt in alts.get(norms[pos], "en"):
            child = node.get(alt.token)
            if child is not None:
                walk(start, pos + 1, child, [*path, alt.token])

    for i in range(len(norms)):
        walk(i, i, index.tree(), [])
    return out


def _matched(index: PhraseIndex, texts: list[list[str]]) -> list[set[tuple[int, int, tuple[str, ...]]]]:
    return [{(c.start, c.end, c.key) for c in cands}
            for cands in index.match_many(texts, "en", index.alternatives())]


def test_keys_are_found_wherever_the_trie_admits_them_on_generated_texts():
    rng = random.Random(11)
    longer = 0
    for seed in range(6):
        index = _index(seed)
        texts = [_text(rng, rng.randint(0, 30)) for _ in range(25)]
        matched = _matched(index, texts)
        assert matched == [_walked(index, t) for t in texts]
        longer += sum(1 for found in matched for s, e, _k in found if e - s > 1)
    assert longer > 100     # the texts do exercise keys of several words


@settings(max_examples=50, deadline=None, derandomize=CI)
@given(st.integers(0, 1000), st.lists(st.lists(st.sampled_from(FIRST + SECOND + OTHER + ["sonepo", "kolar"]),
                                               max_size=10), min_size=1, max_size=4))
def test_keys_are_found_wherever_the_trie_admits_them_on_any_texts(seed, texts):
    index = _index(seed)
    assert _matched(index, texts) == [_walked(index, t) for t in texts]


def test_a_start_word_before_a_word_no_key_has_second_begins_nothing():
    index = PhraseIndex()
    index.add(("darunel", "sonepa"), 0)
    index.add(("darunel", "pesoka", "virava"), 1)
    text = ["darunel", "the", "darunel", "sonepa", "darunel", "pesoka", "virava", "darunel"]
    found = index.match_many([text], "en", index.alternatives())[0]
    assert [(c.start, c.end, c.key) for c in found] == [(2, 4, ("darunel", "sonepa")),
                                                        (4, 7, ("darunel", "pesoka", "virava"))]
    words = index._word_ids()
    assert words.second[words.ids["sonepa"]] and words.second[words.ids["pesoka"]]
    assert not words.second[words.ids["darunel"]]
    assert not words.second[-1]        # a word interned later (a text's) or id -1: no second word
