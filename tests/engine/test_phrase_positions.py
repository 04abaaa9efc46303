"""Where a key of several words may go on past a start word whose next word stands for another
second key word (a typo or an inflection of one) is decided in bulk, over word ids
(`_MatchState.positions`), and gives the candidates the per-position check in Python gives
(`PhraseIndex.match_many(reference=True)`). The compiled kernel (flagger/kernels/_phrases.pyx, used
when built) finds the positions the numpy path finds; the tests above run on whichever is in use."""

from __future__ import annotations

import os
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flagger import kernels
from flagger.engine.phrases import PhraseIndex
from flagger.text import TokenNorms

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


# -- the compiled kernel (flagger/kernels/_phrases.pyx) against the numpy path --------------------------

def _kernel():
    """The compiled positions kernel: skipped under FLAGGER_PURE=1, a failure when it was not built
    (as tests/test_kernels.py asks of every kernel)."""
    if kernels.PURE:
        pytest.skip("FLAGGER_PURE=1: the compiled kernels are not in use")
    assert kernels.phrases is not None, f"the phrases kernel is not built: {kernels.status()['phrases']}"
    return kernels.phrases


def _batch(texts: list[list[str]]) -> list[TokenNorms]:
    """The texts as one `tokenize_batch` gives them: ids into one shared word list."""
    norms = sorted({w for text in texts for w in text})
    number = {w: i for i, w in enumerate(norms)}
    return [TokenNorms(np.array([number[w] for w in text], dtype=np.int64), norms) for text in texts]


def _positions(index: PhraseIndex, texts, kernel) -> tuple[list[int], list[int]]:
    """(ones, pairs) found with `kernel` in use (None: the numpy path)."""
    was = kernels.phrases
    kernels.phrases = kernel
    try:
        found = index._state("en", None).positions(texts, set().union(*texts))
    finally:
        kernels.phrases = was
    assert not len(found.maybe)
    return found.ones.tolist(), found.pairs.tolist()


@settings(max_examples=60, deadline=None, derandomize=CI)
@given(st.integers(0, 1000), st.lists(st.lists(st.sampled_from(STEMS + ["kolar", "sonepas", "tirav", "xx"]),
                                               max_size=15), min_size=1, max_size=5), st.booleans())
def test_the_kernel_finds_the_positions_the_numpy_path_finds(seed, texts, batch):
    kernel = _kernel()
    index = _index(seed, 30)
    texts = _batch(texts) if batch else texts
    index.learn(set().union(*texts), "en", index.alternatives())
    assert _positions(index, texts, kernel) == _positions(index, texts, None)


def test_the_kernel_and_the_numpy_path_give_the_same_candidates(monkeypatch):
    kernel = _kernel()
    rng = random.Random(11)
    for seed in range(4):
        index = _index(seed, 60)
        texts = _batch([_text(rng, rng.randint(0, 40)) for _ in range(30)])
        monkeypatch.setattr(kernels, "phrases", None)
        pure = _candidates(index, texts, False)
        monkeypatch.setattr(kernels, "phrases", kernel)
        assert _candidates(index, texts, False) == pure
        assert sum(map(len, pure)) > 30


@settings(max_examples=100, deadline=None, derandomize=CI)
@given(st.sets(st.integers(0, 2**62), max_size=300))
def test_the_kernels_pair_table_holds_every_pair_once_and_is_at_most_half_full(present):
    kernel = _kernel()
    table = kernel.pair_table(np.array(sorted(present), dtype=np.int64))
    assert len(table) >= 2 * len(present) and len(table) & (len(table) - 1) == 0      # a power of two
    assert sorted(table[table >= 0].tolist()) == sorted(present)
    assert (table == -1).sum() == len(table) - len(present)                           # the rest empty
