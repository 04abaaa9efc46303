"""Properties of the tokenizer and the normaliser, on arbitrary text (hypothesis)."""

from __future__ import annotations

import os
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.text import (
    normalize_text,
    normalize_token,
    normalize_tokens,
    sentence_ids,
    sentence_starts,
    snippet,
    tokenize,
)

# CI runs a fixed set of examples (a new counterexample must not fail an unrelated change);
# local runs explore new ones each time.
CI = bool(os.environ.get("CI"))
INVISIBLES = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Text that looks like the input: names in several scripts, hiding characters, punctuation.
PIECES = st.sampled_from([
    "North Korea", "KOMID", "Kim Jong Un", "Ch'oe", "Korea's", "김정은이", "Путин", "كوريا", "平壤", "l'Iran",
    "\u200b", "\u200d", "\u00ad", "\ufeff", "'", "\u2019", "-", "_", "\n", "\n\n", ". ", "! ", "\t", " ",
    "e\u0301", "\u0301", "ﬁ", "Ⅻ", "ß", "İ", "ǅ", "\U0001F600", "\ud7a3", "\u3002", "A" * 300,
])
TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join),
)
WORD_CHAR = re.compile(r"[^\W_]")

SETTINGS = settings(max_examples=300, deadline=None, derandomize=CI)


@SETTINGS
@given(TEXT)
def test_token_offsets_slice_the_original_text(text):
    tokens = tokenize(text)
    prev_end = 0
    for t in tokens:
        assert t.raw and text[t.start:t.end] == t.raw
        assert prev_end <= t.start < t.end <= len(text)
        assert not any(c.isspace() for c in t.raw)
        prev_end = t.end


@SETTINGS
@given(TEXT)
def test_no_word_character_is_left_outside_a_token(text):
    covered = bytearray(len(text))
    for t in tokenize(text):
        covered[t.start:t.end] = b"\x01" * (t.end - t.start)
    for i, c in enumerate(text):
        if WORD_CHAR.match(c):
            assert covered[i], f"{c!r} at {i} is in no token"


@SETTINGS
@given(TEXT)
def test_normalised_tokens_are_folded_and_free_of_invisibles(text):
    for t in tokenize(text):
        n = normalize_token(t.raw)
        assert isinstance(n, str)
        assert not any(c in n for c in INVISIBLES + "'\u2019\u02bc")
        assert n == n.casefold() or not n.isascii()
        if n.isascii():
            assert n == n.lower()


@SETTINGS
@given(st.text(alphabet=st.characters(categories=["Lu", "Ll", "Lo", "Nd"]), min_size=2, max_size=12),
       st.integers(min_value=1), st.sampled_from(INVISIBLES))
def test_an_invisible_character_inside_a_word_changes_nothing(word, pos, invisible):
    i = 1 + pos % (len(word) - 1)
    hidden = word[:i] + invisible + word[i:]
    assert [normalize_token(t.raw) for t in tokenize(hidden)] == [normalize_token(t.raw) for t in tokenize(word)]


@SETTINGS
@given(TEXT)
def test_normalisation_is_idempotent_on_tokens(text):
    for t in tokenize(text):
        once = normalize_token(t.raw)
        assert normalize_token(once) == once


@SETTINGS
@given(TEXT)
def test_sentences_and_snippets(text):
    tokens = tokenize(text)
    starts = sentence_starts(text)
    assert starts[0] == 0 and starts == sorted(starts)
    ids = sentence_ids(tokens, starts)
    assert ids == sorted(ids)
    for t in tokens[:20]:
        snip = snippet(text, t.start, t.end)
        assert "[[" in snip and "]]" in snip
    assert all(isinstance(w, str) and w for w in normalize_text(text))


@SETTINGS
@given(TEXT)
def test_the_fast_tokeniser_gives_the_general_tokenisers_tokens(text):
    # tokenize() cuts Latin/Cyrillic/Arabic/Hangul text with one re.split; the general
    # per-token tokeniser (kept for CJK text) is the reference it must agree with exactly.
    from flagger.text import _tokenize_cjk

    assert list(tokenize(text)) == _tokenize_cjk(text)


@SETTINGS
@given(st.lists(TEXT, max_size=8))
def test_the_batch_tokeniser_gives_tokenizes_tokens_and_exact_word_ids(texts):
    # tokenize_batch cuts many texts at once (the compiled kernel, or numpy: _tokenize_batch_pure,
    # checked here too); tokenize is the reference, text by text, and two tokens share a word id
    # exactly when they are the same string
    from flagger.text import _tokenize_batch_pure, tokenize_batch

    for batch in (tokenize_batch(texts), _tokenize_batch_pure(texts)):
        assert len(batch.tokens) == len(batch.ids) == len(texts)
        assert len(set(batch.words)) == len(batch.words)
        for text, tokens, ids in zip(texts, batch.tokens, batch.ids, strict=True):
            expected = tokenize(text)
            assert list(tokens) == list(expected)
            assert tokens.raws == expected.raws
            assert [batch.words[i] for i in ids.tolist()] == expected.raws


@SETTINGS
@given(st.lists(TEXT, min_size=1, max_size=6), st.integers(min_value=-1, max_value=260))
def test_batch_tokens_read_their_offsets_as_tokenizes_lists(texts, offset):
    # tokenize_batch hands each text's offsets as numpy arrays, made lists only when read: the
    # count of tokens before an offset (read without the lists), the lists, the length and a
    # pickled copy are what tokenize gives
    import pickle
    from bisect import bisect_left

    from flagger.text import _tokenize_batch_pure, tokenize_batch

    for text, tokens in zip(texts * 2, tokenize_batch(texts).tokens + _tokenize_batch_pure(texts).tokens, strict=True):
        expected = tokenize(text)
        assert tokens.count_before(offset) == bisect_left(expected.starts, offset)
        assert len(tokens) == len(expected)
        copy = pickle.loads(pickle.dumps(tokens))
        assert (tokens.starts, tokens.ends) == (expected.starts, expected.ends)
        assert tokens.count_before(offset) == bisect_left(expected.starts, offset)
        assert list(copy) == list(expected) and len(copy) == len(expected)
        assert all(type(x) is int for x in tokens.starts + tokens.ends)


def test_word_ids_stay_exact_when_hashes_collide(monkeypatch):
    # With a hash base of 0 a token's hash is its last character and length: "cat", "hat" and
    # "rat" collide. The character-by-character check finds it and ids come from the strings.
    # (The numpy path's hashes: the compiled kernel compares every token with its hash's word.)
    import numpy as np

    from flagger import text as text_module

    monkeypatch.setattr(text_module, "_HASH_BASE", np.uint64(0))
    batch = text_module._tokenize_batch_pure(["the cat sat", "a hat, a rat and the cat"])
    words = [[batch.words[i] for i in ids.tolist()] for ids in batch.ids]
    assert words == [["the", "cat", "sat"], ["a", "hat", "a", "rat", "and", "the", "cat"]]
    assert len(set(batch.words)) == len(batch.words) == 7


def test_word_ids_stay_exact_when_words_of_two_chunks_share_a_hash(monkeypatch):
    # each chunk alone has no collision ("cat" in one, "hat" in the other), but with a hash base
    # of 0 their hashes are equal: numbering the batch's words compares the strings, so the two
    # stay two words
    import numpy as np

    from flagger import text as text_module

    monkeypatch.setattr(text_module, "_HASH_BASE", np.uint64(0))
    monkeypatch.setattr(text_module, "_CHUNK_CHARS", 5)        # a chunk per text
    texts = ["the cat", "a hat", "the cat"]
    assert all(text_module._tokenize_chunk([t]).keys is not None for t in texts)     # no collision inside
    batch = text_module._tokenize_batch_pure(texts)
    words = [[batch.words[i] for i in ids.tolist()] for ids in batch.ids]
    assert words == [["the", "cat"], ["a", "hat"], ["the", "cat"]]
    assert len(set(batch.words)) == len(batch.words) == 4
    assert batch.ids[0][0] == batch.ids[2][0] and batch.ids[0][1] == batch.ids[2][1]


def test_the_batch_tokeniser_hands_scripts_cut_into_characters_to_tokenize():
    from flagger.text import _tokenize_batch_pure, tokenize_batch

    texts = ["北朝鮮の平壤", "l'Iran e dell'UE", "Kim \U0001F600 Jong\u200bUn", "Ch'oe Korea's"]
    for batch in (tokenize_batch(texts), _tokenize_batch_pure(texts)):
        for text, tokens, ids in zip(texts, batch.tokens, batch.ids, strict=True):
            assert list(tokens) == list(tokenize(text))
            assert [batch.words[i] for i in ids.tolist()] == tokenize(text).raws
        assert batch.tokens[1].raws == ["l", "Iran", "e", "dell", "UE"]


@SETTINGS
@given(st.lists(TEXT, max_size=8))
def test_a_batch_tokenised_in_chunks_numbers_its_words_for_the_whole_batch(texts):
    # a batch larger than _CHUNK_CHARS is cut into chunks: the words of every chunk get one
    # numbering (here a chunk every few texts)
    from unittest.mock import patch

    from flagger import text as text_module

    with patch.object(text_module, "_CHUNK_CHARS", 30):
        batch = text_module._tokenize_batch_pure(texts)
    assert len(set(batch.words)) == len(batch.words)
    for text, tokens, ids in zip(texts, batch.tokens, batch.ids, strict=True):
        assert list(tokens) == list(tokenize(text))
        assert [batch.words[i] for i in ids.tolist()] == tokenize(text).raws


@SETTINGS
@given(st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=30))
def test_normalising_many_tokens_at_once_is_normalising_each(tokens):
    # (pieces with newlines, combining marks at a token's start, ligatures, Hangul, astral letters)
    assert normalize_tokens(tokens) == [normalize_token(t) for t in tokens]


def test_normalising_many_words_of_many_scripts_at_once():
    words = ["Ławrowa", "Choïgou", "Пхеньян", "Ёлка", "김정은이", "ﬁnance", "İstanbul", "Straße", "e\u0301cole",
             "\u0301x", "Ǆemal", "ﾊﾝｶｸ", "ΣΊΣΥΦΟΣ", "a\u200bb", "d\u2019Arc", "plain"]
    assert normalize_tokens(words) == [normalize_token(w) for w in words]
    assert normalize_tokens([]) == []
