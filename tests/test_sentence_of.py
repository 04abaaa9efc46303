"""SentenceOf reads a text's sentence boundaries only as far as the tokens asked about; whatever
the order they are asked in, it numbers them as sentence_starts does for the whole text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from flagger import kernels
from flagger.text import (
    _SENTENCE_BLOCK,
    _SENTENCE_END,
    SentenceOf,
    sentence_ids,
    sentence_starts,
    tokenize_batch,
)

PIECES = st.sampled_from(["Ships sail", "word", ". ", "! ", "?", ";", ": ", ".\u201d ", "\u3002", "平壤",
                          "\n", "\n\n", "\n- item", " ", "Mr. Kim", "...", "e.g."])


@given(st.lists(PIECES, max_size=40).map("".join), st.randoms(use_true_random=False))
@settings(max_examples=300, deadline=None)
def test_sentences_asked_in_any_order_are_numbered_as_for_the_whole_text(text, rnd):
    tokens = tokenize_batch([text]).tokens[0]
    starts = sentence_starts(text)
    expected = sentence_ids(list(tokens), starts)
    order = list(range(len(tokens)))
    rnd.shuffle(order)
    sentence_of = SentenceOf(tokens, text)
    assert [sentence_of[i] for i in order] == [expected[i] for i in order]
    bounds = [*starts, len(text)]
    fresh = SentenceOf(tokens, text)
    for s in rnd.sample(range(len(starts) + 2), len(starts) + 2):
        assert fresh.span(s) == ((bounds[s], bounds[s + 1]) if s < len(starts) else (len(text), len(text)))


def test_the_boundaries_are_read_only_up_to_the_token_asked_about(monkeypatch):
    # the pure path (the compiled kernel, flagger.kernels.sentences, reads them all at once in C)
    monkeypatch.setattr(kernels, "sentences", None)
    text = "First one. Second one. " + "More words here. " * 1000
    tokens = tokenize_batch([text]).tokens[0]
    sentence_of = SentenceOf(tokens, text)
    assert sentence_of[2] == 1          # "Second"
    # read just past "Second", in one block of boundaries, not through the 1,000 sentences after
    assert sentence_of._sent_starts[:3] == [0, 10, 22] and len(sentence_of._sent_starts) <= 1 + _SENTENCE_BLOCK
    assert sentence_of[len(tokens) - 1] == 1001


# The sentence-end pattern as first written: every ending after one lookahead for its first character.
_REFERENCE_END = re.compile(r"(?=[.!?;:\u3002\uff01\uff1f\uff1b\n])(?:[.!?;:]+[\"'\u201d\u2019)\]]*(?=\s)"
                            r"|[\u3002\uff01\uff1f\uff1b]|\n\s*\n|\n(?=\s*[-*\u2022]))")
ENDINGS = st.sampled_from(["word", ".", "!", "?", ";", ":", "...", "?!", "\u201d", "\u2019", "'", '"', ")", "]",
                           " ", "\t", "\u00a0", "\u3000", "\n", "\n\n", " \n \n", "\r\n", "-", "*", "\u2022",
                           "\u3002", "\uff01", "\uff1f", "\uff1b", "平壤", "e.g."])


@given(st.lists(ENDINGS, max_size=40).map("".join))
@settings(max_examples=500, deadline=None)
def test_the_sentence_ends_are_the_reference_patterns(text):
    assert [m.span() for m in _SENTENCE_END.finditer(text)] == [m.span() for m in _REFERENCE_END.finditer(text)]
