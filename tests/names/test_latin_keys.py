"""The keyed Latin words a text in another script is read against are, for every way a script
merges sounds, the keys the definition gives (`merged(vowel_key or script_key)`, grouped by
their consonants), whichever ways were built before in the same scan (issue 19 shares the
unmerged keys between them); and the keys squeeze runs of a sound as the regex they replaced."""

import re
from collections import defaultdict
from itertools import permutations

from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.names.phonetic import _squeezed, consonants, merged, script_key, vowel_key
from flagger.names.scripts import LatinNames

NAMES = [("lazarus", "group"), ("kim", "jong", "un"), ("alexsei", "petrov"), ("complexzvezda", "trading"),
         ("shahid", "hemmat"), ("rason", "marine"), ("chong", "chon", "gang"), ("saafartexzona", "llc"),
         ("ri", "song", "chol"), ("mahan", "air")]
WAYS = [((False, False), False), ((False, False), True), ((True, True), True), ((False, True), True),
        ((False, True), False)]


def _definition(words, merge, vowels):
    keyed = vowel_key if vowels else script_key
    keys = {w: merged(keyed(w), *merge) for w in words}
    by = defaultdict(set)
    for w, k in keys.items():
        by[consonants(k)].add(w)
    return keys, dict(by)


def test_every_way_in_any_order_as_defined():
    words = {w for name in NAMES for w in name}
    for order in list(permutations(WAYS))[::17]:          # several orders of first use
        names = LatinNames(NAMES)
        for merge, vowels in order:
            keys, by = names._index(merge, vowels)
            assert (keys, dict(by)) == _definition(words, merge, vowels), (merge, vowels)
    # a key may hold a sound twice until merged: vowel_key('alexsei') has 'SS', its index key 'S'
    assert "SS" in vowel_key("alexsei") and LatinNames(NAMES)._index((False, False), True)[0]["alexsei"] == "ALIKSI"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="VAIUKSLXRPTMN\n a", max_size=24))
def test_squeezing_runs_as_the_regex_does(key):
    assert _squeezed(key) == re.sub(r"(.)\1+", r"\1", key)
    assert consonants(key) == re.sub(r"(.)\1+", r"\1", re.sub("[VAIU]", "", key))
    for merge in ((False, False), (True, False), (False, True), (True, True)):
        expected = key.replace("R", "L") if merge[0] else key
        expected = expected.replace("X", "S") if merge[1] else expected
        assert merged(key, *merge) == re.sub(r"(.)\1+", r"\1", expected)
