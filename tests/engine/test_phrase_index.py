"""The phrase index finds every key occurrence in a token sequence, whatever it learned before."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flagger.engine.phrases as phrases
from flagger.engine.phrases import PhraseIndex

CI = bool(os.environ.get("CI"))

# Two-letter made-up words: below the typo budget and the stemmers' minimum length, so the only
# way a text word matches an index word is exactly, and a brute-force reference is easy to write.
WORDS = ["qa", "qb", "qc", "qd", "qe", "qf"]


def build(keys: list[tuple[str, ...]]) -> PhraseIndex:
    index = PhraseIndex()
    for pid, key in enumerate(keys):
        index.add(key, pid)
    return index


def found(index: PhraseIndex, norms: list[str], **kw) -> list[tuple[int, int, tuple[str, ...]]]:
    return [(c.start, c.end, c.key) for c in index.match(norms, "en", index.alternatives(), **kw)]


def brute_force(keys, norms) -> list[tuple[int, int, tuple[str, ...]]]:
    wanted = set(keys)
    return sorted({(i, j, tuple(norms[i:j])) for i in range(len(norms)) for j in range(i + 1, len(norms) + 1)
                   if tuple(norms[i:j]) in wanted}, key=lambda t: (t[0], t[1]))


def test_keys_of_one_and_several_words_are_found_in_text_order():
    index = build([("qa",), ("qb", "qc"), ("qb", "qc", "qd"), ("qe", "qf")])
    assert found(index, ["qd", "qb", "qc", "qd", "qa", "qe"]) == [
        (1, 3, ("qb", "qc")), (1, 4, ("qb", "qc", "qd")), (4, 5, ("qa",))]


def test_a_word_that_begins_a_long_key_matches_only_with_its_continuation():
    # "the" begins "the 224th flight unit"; it is followed by anything else almost always
    index = build([("the", "224th", "flight", "unit")])
    assert found(index, "the unit of the 224th flight unit".split()) == [(3, 7, ("the", "224th", "flight", "unit"))]
    assert found(index, "the 224th flight crew".split()) == []


def test_words_learned_in_any_order_give_the_same_matches():
    index = build([("qa", "qb"), ("qb", "qc")])
    alts = index.alternatives()
    index.learn({"qb"}, "en", alts)            # second words first, their first words later
    index.learn({"qc", "qa"}, "en", alts)
    assert found(index, ["qa", "qb", "qc"], learned=True) == [(0, 2, ("qa", "qb")), (1, 3, ("qb", "qc"))]


def test_a_typo_below_every_payloads_floor_is_not_returned():
    index = PhraseIndex()
    index.add(("sanctioned",), 0)
    alts = index.alternatives()
    text = ["sanctionad", "sanctioned"]
    assert [c.similarity for c in index.match(text, "en", alts)] == [90.0, 100.0]
    assert [c.similarity for c in index.match(text, "en", alts, floor=lambda pids: 95.0)] == [100.0]


def test_full_tables_are_emptied_and_matching_stays_right(monkeypatch):
    monkeypatch.setattr(phrases, "_STARTS_LIMIT", 3)
    keys = [("qa", "qb"), ("qc",)]
    index = build(keys)
    for norms in (["qa", "qb"], ["qd", "qe", "qf", "qc"], ["qf", "qa", "qb", "qc"]):
        assert found(index, norms) == brute_force(keys, norms)


@settings(max_examples=200, deadline=None, derandomize=CI)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(tuple), min_size=1, max_size=8),
       st.lists(st.lists(st.sampled_from(WORDS), max_size=30), min_size=1, max_size=3))
def test_match_equals_brute_force_over_every_ngram(keys, texts):
    index = build(keys)
    for norms in texts:           # several texts through one index: its tables persist between them
        assert found(index, norms) == brute_force(keys, norms)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_tables_are_kept_per_language(lang):
    index = build([("qa", "qb")])
    assert [(c.start, c.end) for c in index.match(["qa", "qb"], lang, index.alternatives())] == [(0, 2)]


def test_a_start_word_with_several_index_alternatives_begins_the_keys_of_each():
    # "kalashnikof" is one typo away from two listed spellings, each beginning its own key
    index = build([("kalashnikov", "rifles"), ("kalashnikow", "carbines")])
    assert found(index, "kalashnikof carbines and kalashnikof rifles".split()) == [
        (0, 2, ("kalashnikow", "carbines")), (3, 5, ("kalashnikov", "rifles"))]
