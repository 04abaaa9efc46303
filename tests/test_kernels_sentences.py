"""The sentence-end kernel (flagger/kernels/_sentences.pyx) finds the sentence ends the pattern finds
(`flagger.text._SENTENCE_END`, the pure path and the reference), and SentenceOf numbers sentences the
same with it and without it. Like tests/test_kernels.py: a kernel not built FAILS, unless
FLAGGER_PURE=1 (then these tests skip)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flagger import kernels
from flagger.text import _SENTENCE_END, SentenceOf, sentence_ids, sentence_starts, tokenize_batch

# every character the pattern tells apart (endings, closing quotes, line breaks, list bullets, white
# space of several kinds) beside letters, digits, CJK and characters of every plane
MARKS = list(".!?;:\u3002\uff01\uff1f\uff1b\n\"'\u201d\u2019)]-*\u2022 \t\r\f\v\u00a0\u2003\u3000\x1c\x85")
TEXT = st.lists(st.one_of(st.sampled_from(MARKS), st.sampled_from(["Word", "e.g.", "Mr. Kim", "平壤", "😀", "42"]),
                          st.text(st.characters(exclude_categories=["Cs"]), max_size=4)),
                max_size=50).map("".join)


def _kernel():
    if kernels.PURE:
        pytest.skip("FLAGGER_PURE=1: the compiled kernels are not in use")
    assert kernels.sentences is not None, (
        f"the compiled kernel 'sentences' is not built ({kernels.status()['sentences']}): build it with "
        "`pip install -e .` (or `python setup.py build_ext --inplace`), or set FLAGGER_PURE=1")
    return kernels.sentences


@given(TEXT)
@settings(max_examples=200, deadline=None)
def test_the_kernel_finds_the_ends_the_pattern_finds(text):
    assert _kernel().sentence_ends(text) == [m.end() for m in _SENTENCE_END.finditer(text)]


def test_the_kernel_reads_each_ending_as_the_pattern_does():
    ends = _kernel().sentence_ends
    assert ends("One. Two! Three?\u201d Four") == [4, 9, 17]
    assert ends("a.b. c") == [4]                 # no white space after the first period
    assert ends("end...") == []                  # nothing after the text's last period
    assert ends("平壤。朝鲜！") == [3, 6]         # an ending by itself in CJK
    assert ends("x\ny") == [] and ends("x\n \n y") == [4] and ends("x\n - item") == [2]


@given(TEXT, st.randoms(use_true_random=False))
@settings(max_examples=200, deadline=None)
def test_sentences_are_numbered_the_same_with_and_without_the_kernel(text, rnd):
    kernel = _kernel()
    tokens = tokenize_batch([text]).tokens[0]
    expected = sentence_ids(list(tokens), sentence_starts(text))
    order = list(range(len(tokens)))
    rnd.shuffle(order)
    with_kernel = SentenceOf(tokens, text)
    assert [with_kernel[i] for i in order] == [expected[i] for i in order]
    kernels.sentences = None        # the pure path (restored below)
    try:
        pure = SentenceOf(tokens, text)
        assert [pure[i] for i in order] == [expected[i] for i in order]
    finally:
        kernels.sentences = kernel
