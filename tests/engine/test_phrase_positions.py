"""Where a key of several words may go on past a start word whose next word stands for another
second key word (a typo or an inflection of one) is decided in bulk, over word ids
(`_MatchState.positions`), and gives the candidates the per-position check in Python gives
(`PhraseIndex.match_many(reference=True)`)."""

from __future__ import annotations

import os
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.engine.phrases import PhraseIndex

CI = bool(os.environ.get("CI"))

# Words of 5-7 letters close to each other, so that a text word is a typo of several index words
# and the second words of keys have typo and inflection neighbours among the text's words.
STEMS = ["kolara", "kolare", "kolira", "molara", "sonepa", "sonipa", "sonepo", "tirava", "tirova", "virava",
         "darunel", "darunal", "barunel", "pesoka", "pesoki"]


def _index(seed: int, n_keys: int) -> PhraseIndex:
    rng = random.Random(seed)
    index = PhraseIndex()
    for pid in range(n_keys):
        key = tuple(rng.choice(STEMS) for _ in range(rng.randint(1, 3)))
        index.add(key, pid)
    return index


def _text(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        word = rng.choice(STEMS)
        roll = rng.random()
        if roll < 0.2:          # a typo: a letter replaced
            i = rng.randrange(len(word))
            word = word[:i] + rng.choice("aeikmnorst") + word[i + 1:]
        elif roll < 0.3:        # an inflection
            word += rng.choice(["s", "es", "en", "a"])
        elif roll < 0.4:
            word = rng.choice(["and", "the", "of", "sanctions"])
        out.append(word)
    return out


def _candidates(index: PhraseIndex, texts, reference: bool):
    return [[(c.start, c.end, c.key, c.payloads, c.similarity, c.kinds) for c in cands]
            for cands in index.match_many(texts, "en", index.alternatives(), reference=reference)]


def test_the_bulk_check_finds_what_the_per_position_check_finds_on_generated_texts():
    rng = random.Random(5)
    continued = 0
    for seed in range(6):
        index = _index(seed, 60)
        texts = [_text(rng, rng.randint(0, 40)) for _ in range(30)]
        fast, slow = _candidates(index, texts, False), _candidates(index, texts, True)
        assert fast == slow
        # keys that went on through a second word written as a typo or an inflection
        continued += sum(1 for cands in fast for c in cands if c[1] - c[0] > 1 and c[5][1] != "exact")
    assert continued > 50


@settings(max_examples=50, deadline=None, derandomize=CI)
@given(st.integers(0, 1000), st.lists(st.lists(st.sampled_from(STEMS + ["kolar", "sonepas", "tirav", "xx"]),
                                               max_size=12), min_size=1, max_size=4))
def test_the_bulk_check_finds_what_the_per_position_check_finds_on_any_texts(seed, texts):
    index = _index(seed, 25)
    assert _candidates(index, texts, False) == _candidates(index, texts, True)


def test_a_key_goes_on_through_a_typo_of_its_second_word():
    index = PhraseIndex()
    index.add(("darunel", "sonepa"), 0)
    found = index.match_many([["darunel", "sonepo", "and", "darunel", "sonepa"]], "en", index.alternatives())[0]
    assert [(c.start, c.end, c.key) for c in found] == [(0, 2, ("darunel", "sonepa")), (3, 5, ("darunel", "sonepa"))]
