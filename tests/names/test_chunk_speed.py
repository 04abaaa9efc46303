"""Site verification reads a hit's sentence through two fast forms of what it used to run per
match (names.chunk): the words of a stretch from one re.split, and the sentence ends from a
pattern that starts with its character class. Both must give what the plain forms give."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.names.chunk import _SENTENCE_END, _WORD, _words

# the pattern as first written: every ending after one lookahead for its first character
_REFERENCE_END = re.compile(r"(?=[.!?\n\r])(?:[.!?]\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])|\n\s*\n|[\n\r])")
PIECES = st.sampled_from(["Kim", "Jong", "un", "O'Neil", "al-Assad", "Putin\u2019s", "-", "'", "_", "2", " ", "\t",
                          ".", "!", "?", "\n", "\r", "\n\n", " \n ", "\u201c", "(", "A", "a", "Ж", "平壤", "\u00a0"])
TEXT = st.lists(PIECES, max_size=40).map("".join)


@given(TEXT, st.integers(0, 50), st.integers(0, 50))
@settings(max_examples=400, deadline=None)
def test_the_words_of_a_stretch_are_those_finditer_gives(text, lo, hi):
    assert _words(text, lo, hi) == [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, lo, hi)]


@given(TEXT, st.integers(0, 50), st.integers(0, 50))
@settings(max_examples=400, deadline=None)
def test_the_sentence_ends_are_the_reference_patterns(text, lo, hi):
    assert [m.span() for m in _SENTENCE_END.finditer(text, lo, hi)] == \
        [m.span() for m in _REFERENCE_END.finditer(text, lo, hi)]


def test_words_and_ends_of_a_plain_sentence():
    text = "Officials said. Kim Jong Un met O'Neil!\n\nThen al-Assad spoke."
    assert [w for _s, _e, w in _words(text, 16, 39)] == ["Kim", "Jong", "Un", "met", "O'Neil"]
    assert [m.span() for m in _SENTENCE_END.finditer(text)] == [(14, 16), (38, 41)]   # ". " and "!\n\n"
