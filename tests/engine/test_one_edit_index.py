"""The typo look-up of words of 5-8 letters (`_OneEditIndex`: deletion keys as hashes in numpy, a
batch of words at once) finds exactly the index tokens one edit away that the same look-up
written with Python sets and one OSA call per pair finds (`one_edit_neighbours`)."""

import dataclasses
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.engine.alternatives import (
    FUZZY,
    Alternative,
    TokenAlternatives,
    _key_hashes,
    _one_edit_readings,
    _OneEditIndex,
    _python_key_hashes,
    _query_key_hashes,
    one_edit_neighbours,
)


def _typo(rng: random.Random, word: str, alphabet: str) -> str:
    """One random edit: a letter inserted, deleted, replaced, or two neighbours swapped."""
    i = rng.randrange(len(word))
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + rng.choice(alphabet) + word[i:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    if kind == 2:
        return word[:i] + rng.choice(alphabet) + word[i + 1:]
    return word[:i] + word[i + 1:i + 2] + word[i:i + 1] + word[i + 2:] if i + 1 < len(word) else word


def _fast(tokens, queries):
    index = _OneEditIndex(tokens)
    found = {}
    for length in sorted({len(q) for q in queries}):
        found.update(index.neighbours(sorted({q for q in queries if len(q) == length}), length))
    return found


def test_the_same_neighbours_as_the_reference_on_generated_words():
    rng = random.Random(19)
    for alphabet in ("abcdeklmnorstu", "aeiouy", "абвгдеклмнорст", "aäbcçdeéklmnoöpr", "ab\U0001f600z"):
        tokens = {"".join(rng.choice(alphabet) for _ in range(rng.randint(5, 9))) for _ in range(1500)}
        queries = [_typo(rng, _typo(rng, t, alphabet), alphabet) if rng.random() < 0.3 else _typo(rng, t, alphabet)
                   for t in rng.sample(sorted(tokens), 600)]
        queries += ["".join(rng.choice(alphabet) for _ in range(rng.randint(5, 8))) for _ in range(600)]
        queries += rng.sample(sorted(tokens), 100)      # a listed token is no neighbour of itself
        queries = [q for q in queries if 5 <= len(q) <= 8]
        expected = one_edit_neighbours(tokens, queries)
        assert _fast(tokens, queries) == expected
        index, one_at_a_time = _OneEditIndex(tokens), {}
        for q in queries:                   # a word at a time (outside a batch): the same
            one_at_a_time.update(index.neighbours([q], len(q)))
        assert one_at_a_time == expected
        assert sum(map(len, expected.values())) > 200      # there is something to compare


@settings(max_examples=200, deadline=None)
@given(st.sets(st.text("abcxyzé", min_size=5, max_size=9), max_size=40),
       st.lists(st.text("abcxyzé", min_size=5, max_size=8), max_size=40))
def test_the_same_neighbours_as_the_reference_on_any_words(tokens, queries):
    assert _fast(tokens, queries) == one_edit_neighbours(tokens, queries)


def test_a_words_key_hashes_are_those_of_itself_and_its_deletions_in_numpy_and_in_python():
    rng = random.Random(3)
    for length in range(5, 9):
        words = ["".join(rng.choice("abkéжц\U0001f600") for _ in range(length)) for _ in range(40)]
        bulk = _query_key_hashes(words, length)           # 40 words: numpy
        assert bulk.shape == (40, length + 1)
        for word, row in zip(words, bulk.tolist(), strict=True):
            assert row == _python_key_hashes(word, length)
            assert row[0] == _key_hashes([word], length)[0]
            assert row[1:] == [int(_key_hashes([word[:i] + word[i + 1:]], length - 1)[0]) for i in range(length)]


def test_no_index_tokens_and_no_queries():
    assert _OneEditIndex([]).neighbours(["abcde"], 5) == {}
    assert _OneEditIndex(["abcde"]).neighbours([], 5) == {}


def test_a_scanners_typo_table_holds_the_one_edit_neighbours():
    """Through `TokenAlternatives.prepare`, as a scan calls it: words of 5-8 letters get their
    listed neighbours one edit away, a frequent word none."""
    alts = TokenAlternatives({"hwasong", "musudan", "taepodong", "nodong"}, {"hwasong", "musudan", "taepodong"})
    alts.prepare(["hwasnog", "musudans", "mosudan", "hwasong", "taepodongs", "nodongg", "because"])
    cache = alts._fuzzy_cache
    assert cache["hwasnog"] == (Alternative("hwasong", FUZZY, 1, once=True),)    # two neighbours swapped
    assert cache["musudans"] == (Alternative("musudan", FUZZY, 1),)               # a letter added
    assert cache["mosudan"] == (Alternative("musudan", FUZZY, 1, once=True),)     # a letter replaced
    assert cache["hwasong"] == ()            # itself is no typo of itself
    assert cache["taepodongs"] == (Alternative("taepodong", FUZZY, 1),)     # 10 letters: the cdist path
    assert cache["nodongg"] == ()            # nodong is not in the fuzzy vocabulary
    assert cache["because"] == ()            # a frequent word is what it is


def test_a_batch_gets_the_typo_readings_each_word_gets_alone():
    """`prepare` of a batch (more than 16 words of a length: the one-edit pairs in numpy, which
    readings count as one edit decided in bulk) gives each word the readings, in the same order
    and with the same `once`, that preparing the word alone gives, lookalikes of known words
    included ("missives" of "missiles": not counted as one edit)."""
    rng = random.Random(11)
    listed = ["missiles", "musudan", "hwasong", "nodong", "shahed", "kinzhal", "iskander", "zircon",
              "sarmat", "burevestnik", "kalibr", "oreshnik", "tochka", "smerch", "tornado"]
    vocabulary = set(listed) | {"".join(rng.choice("aeiknorstu") for _ in range(rng.randint(5, 9))) for _ in range(300)}
    words = sorted({_typo(rng, rng.choice(sorted(vocabulary)), "aeiknorstu") for _ in range(600)}
                   | {"missives", "musudans", "hwasnog"} | set(listed))
    together, alone = TokenAlternatives(vocabulary, vocabulary), TokenAlternatives(vocabulary, vocabulary)
    together.prepare(words)
    for word in words:
        alone.prepare([word])
    assert together._fuzzy_cache == alone._fuzzy_cache
    readings = together._fuzzy_cache
    assert readings["missives"] == (Alternative("missiles", FUZZY, 1, once=False),)     # a known word
    assert readings["hwasnog"] == (Alternative("hwasong", FUZZY, 1, once=True),)
    assert sum(a.once for r in readings.values() for a in r) > 100
    assert sum(not a.once for r in readings.values() for a in r) > 100


def test_only_the_pairs_one_edit_apart_come_out_of_the_bulk_look_up():
    """The bulk path (more than 16 words of one length) checks only the pairs sharing a key of a
    one-edit shape: one side whole and the other a letter short, the same place left out on both,
    or two neighbouring places crossed (a swap). Pairs sharing a key at other places are two
    edits apart; a word is no neighbour of itself; doubled letters give several keys alike."""
    tokens = ["abcdef", "abdcef", "aabcde", "abccde", "xbcdey", "abcdefg", "bcdef", "abcdez", "zzzzzz"]
    queries = ["abcdef",     # listed: its neighbours, not itself
               "bacdef",     # a swap of the first two letters: abcdef
               "abcdfe",     # a swap at the end: abcdef
               "abcedf",     # a swap in the middle: abcdef (and two edits from abdcef)
               "abcxef",     # one letter replaced: abcdef, abcdez is two away
               "abcdex",     # abcdef, abcdez, xbcdey is two away
               "acbdef",     # abcdef swapped; abdcef is two away
               "aabcdd",     # shares aabcd with aabcde only by a replacement
               "abccdd",     # abccde replaced; doubled letters
               "xbcdef",     # abcdef replaced; xbcdey replaced
               "bcdefx",     # two edits from abcdef (a letter deleted and another inserted)
               "zzzzzy", "zzzzyz", "zzzzzz", "yzzzzz",
               "abdcfe",     # two swaps: two edits from abdcef and from abcdef
               "cbadef",     # the first and third letters swapped
               "qwerty", "abcdeg", "abcdeh"]
    assert len(queries) > 16
    expected = one_edit_neighbours(tokens, queries)
    assert _OneEditIndex(tokens).neighbours(queries, 6) == expected
    assert expected["bacdef"] == [("abcdef", 1), ("bcdef", 1)]      # swapped; its first letter deleted
    assert "qwerty" not in expected and ("abccde", 1) not in expected["abcdef"]     # they share abcde: two edits
    assert "abcdef" not in [o for o, _d in expected["abcdef"]]


def test_readings_made_in_bulk_are_the_dataclass_made_one_by_one():
    """`_one_edit_readings` sets the slots of many objects at once: each is the `Alternative` its
    constructor makes (equal, same hash and repr), and as frozen."""
    tokens, once = ["hwasong", "musudan", "hwasong"], [True, False, False]
    made = _one_edit_readings(tokens, once)
    expected = [Alternative(t, FUZZY, 1, o) for t, o in zip(tokens, once, strict=True)]
    assert made == expected
    assert list(map(hash, made)) == list(map(hash, expected))
    assert list(map(repr, made)) == list(map(repr, expected))
    assert all(type(a) is Alternative for a in made)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made[0].cost = 2
    assert _one_edit_readings([], []) == []
