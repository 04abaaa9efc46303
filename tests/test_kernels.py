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
from flagger.sources import dedupe

CI = bool(os.environ.get("CI"))
SETTINGS = settings(max_examples=300, deadline=None, derandomize=CI)

# any character but lone surrogates (a str from JSON or a file never holds one)
ANY_CHAR = st.characters(exclude_categories=["Cs"])
WORDS = ["North", "KOREA", "straße", "Σίσυφος", "ΣΊΣΥΦΟΣ", "İstanbul", "ﬁnance", "Ch'oe", "l'Iran",
         "Пхеньян", "朝鲜", "평양", "उत्तर", "ไทย", "e\u0301te\u0301", "𝔘𝔫", "😀", "snake_case", "42"]
SEPARATORS = [" ", "  ", "\n", ", ", ". ", "\t", "-", "\u00ad", "\u200b", "'"]
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
