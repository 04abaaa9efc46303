"""The compiled kernels (flagger/kernels/_*.pyx, loaded by flagger/kernels/__init__.py) give exactly what the
pure-Python path gives, which stays the reference: compared on random text of every script
(combining marks, emoji, letters beyond the Basic Multilingual Plane, characters whose casefold is
longer than one character).

A kernel that is not built FAILS these tests (the README's test command builds them: a kernel
silently missing would leave the comparison untested): set FLAGGER_PURE=1 to run the suite on the
pure path alone, and these tests skip."""

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flagger import kernels
from flagger import text as text_module
from flagger.sources import dedupe

CI = bool(os.environ.get("CI"))
SETTINGS = settings(max_examples=300, deadline=None, derandomize=CI)

# any character but lone surrogates (a str from JSON or a file never holds one)
ANY_CHAR = st.characters(exclude_categories=["Cs"])
WORDS = ["North", "KOREA", "straße", "Σίσυφος", "ΣΊΣΥΦΟΣ", "İstanbul", "ﬁnance", "Ch'oe", "l'Iran", "C'est",
         "dell\u2019UE", "QU'IL", "lorsqu'on", "ſ'x", "l'\u0301a", "Korea's", "don't", "Дар'я", "Putin'in",
         "l\u02bc\u02bcx", "\u02bcl'a", "Пхеньян", "朝鲜", "평양", "उत्तर", "ไทย", "e\u0301te\u0301", "𝔘𝔫", "😀",
         "snake_case", "42"]
SEPARATORS = [" ", "  ", "\n", ", ", ". ", "\t", "-", "\u00ad", "\u200b", "'", "\u2019", "\u02bc"]
# texts of words (enough of them for five-word shingles) mixed with runs of arbitrary characters
TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(SEPARATORS), st.text(ANY_CHAR, max_size=6)),
                max_size=60).map("".join)


def compiled(name: str):
    """The compiled kernel module `name`: the test skips under FLAGGER_PURE=1 and fails when the
    kernel was not built."""
    if kernels.PURE:
        pytest.skip("FLAGGER_PURE=1: the compiled kernels are not in use")
    module = getattr(kernels, name)
    assert module is not None, (
        f"the compiled kernel {name!r} is not built ({kernels.status()[name]}): build it with "
        "`pip install -e .` (or `python setup.py build_ext --inplace`), or set FLAGGER_PURE=1")
    return module


def test_every_kernel_is_built_unless_the_pure_path_is_asked_for():
    for name in kernels.NAMES:
        compiled(name)
    assert set(kernels.status().values()) == {"compiled"}


def test_flagger_pure_leaves_the_kernels_unused():
    out = subprocess.run([sys.executable, "-c", "from flagger import kernels; print(kernels.status())"],
                         env={**os.environ, "FLAGGER_PURE": "1"}, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == repr(dict.fromkeys(kernels.NAMES, "FLAGGER_PURE=1"))


@SETTINGS
@given(st.lists(TEXT, min_size=1, max_size=8))
def test_copy_grouping_shingles_are_the_pure_paths(texts):
    compiled("dedupe")
    got = dedupe._all_shingles(texts)
    want = dedupe._all_shingles_pure(texts)
    assert [a.dtype for a in got] == [a.dtype for a in want]
    assert [a.tolist() for a in got] == [a.tolist() for a in want]


def test_copy_grouping_shingles_of_texts_without_words_and_of_long_texts():
    compiled("dedupe")
    texts = ["", "...", "one", "one two three four", "one two three four five",
             ("Pyongyang shipped shells to Moscow again. " * 5000), "Straße " * 7, "𝔘𝔫 " * 9]
    got = dedupe._all_shingles(texts)
    want = dedupe._all_shingles_pure(texts)
    assert [a.tolist() for a in got] == [a.tolist() for a in want]
    assert [len(a) for a in got[:5]] == [0, 0, 1, 1, 1]


def _same_batch(got: text_module.TokenBatch, want: text_module.TokenBatch) -> None:
    assert got.words == want.words
    assert [list(t) for t in got.tokens] == [list(t) for t in want.tokens]
    assert [i.dtype for i in got.ids] == [i.dtype for i in want.ids]
    assert [i.tolist() for i in got.ids] == [i.tolist() for i in want.ids]


@SETTINGS
@given(st.lists(TEXT, max_size=8))
def test_the_batch_tokeniser_gives_tokenize_each_exactly(texts):
    # tokens, offsets, the words in the order first met and every token's word id: tokenize_each
    # (`tokenize` text by text, words numbered by a dict) is the reference
    compiled("text")
    _same_batch(text_module.tokenize_batch(texts), text_module.tokenize_each(texts))


@SETTINGS
@given(st.lists(TEXT, max_size=8))
def test_the_batch_tokeniser_gives_the_pure_paths_tokens_and_words(texts):
    compiled("text")
    got, pure = text_module.tokenize_batch(texts), text_module._tokenize_batch_pure(texts)
    assert [list(t) for t in got.tokens] == [list(t) for t in pure.tokens]
    assert [[got.words[i] for i in ids.tolist()] for ids in got.ids] == \
        [[pure.words[i] for i in ids.tolist()] for ids in pure.ids]
    assert sorted(got.words) == sorted(pure.words)


def test_every_elided_article_is_cut_as_tokenize_cuts_it():
    # the kernel hands a token to _elision_spans only when the letters before its apostrophe may be
    # an elided article: every article of text._ELISION, in every case, with every apostrophe
    compiled("text")
    articles = text_module._ELISION.pattern.split("(?:")[1].split(")")[0].split("|")
    texts = [f"{a}{q}Iran {a.upper()}{q}UE x{a}{q}y {a.title()}{q}\u0301x"
             for a in articles for q in ("'", "\u2019", "\u02bc")]
    assert len(articles) >= 20
    _same_batch(text_module.tokenize_batch(texts), text_module.tokenize_each(texts))
    assert [t.raw for t in text_module.tokenize_batch(["l'Iran"]).tokens[0]] == ["l", "Iran"]


def test_texts_cut_into_characters_are_numbered_in_their_place():
    compiled("text")
    texts = ["North Korea", "朝鲜 North 평양 Korea", "Korea 😀 North again", "", "again 朝"]
    batch = text_module.tokenize_batch(texts)
    _same_batch(batch, text_module.tokenize_each(texts))
    assert batch.words[:4] == ["North", "Korea", "朝", "鲜"]


def test_a_word_has_one_id_whatever_the_width_of_the_text_it_stands_in():
    # a text's characters are stored 1, 2 or 4 bytes wide (its widest character decides); short
    # words are keyed by their characters packed 8, 16 or 21 bits each: the same word is the same
    # id in every text, and words differing in one character never share one
    compiled("text")
    words = ["a", "ab", "abcdefgh", "abcdefghi", "é", "Ωmega", "Ωme", "ΩΩΩΩ", "ΩΩΩΩΩ", "Ж", "ЖЖЖ", "\u0100"]
    texts = [" ".join(words), " ".join(words) + " \u2014", " ".join(words) + " \U0001D518",
             " ".join(reversed(words)) + " ÿ"]
    batch = text_module.tokenize_batch(texts)
    _same_batch(batch, text_module.tokenize_each(texts))
    assert batch.words[:len(words)] == words
    assert all(ids[:len(words)].tolist() == list(range(len(words))) for ids in batch.ids[:3])


@SETTINGS
@given(st.lists(st.lists(st.integers(min_value=0, max_value=40), max_size=30), min_size=1, max_size=12),
       st.integers(min_value=1, max_value=12))
def test_the_records_holding_each_sketch_key_are_the_pure_paths(shingle_lists, sketch):
    # copy grouping's look-up of every record's shingles among the sketch keys (original_of): the
    # same (key, record) pairs in the same order; small numbers, so that records share many
    import numpy as np

    compiled("dedupe")
    sets = [np.unique(np.array(s, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)) for s in shingle_lists]
    has = [i for i, s in enumerate(sets) if len(s)]
    if not has:
        return
    keys = np.unique(np.concatenate([sets[i][:sketch] for i in has]))
    got, want = kernels.dedupe.held(keys, sets, has), dedupe._held(keys, sets, has)
    assert [a.dtype for a in got] == [a.dtype for a in want]
    assert [a.tolist() for a in got] == [a.tolist() for a in want]
