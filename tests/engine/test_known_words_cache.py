"""The known words of the typo reading are read from wordfreq once per cache directory, kept there
as a versioned file and loaded by every later compile; a missing, corrupt or stale file is rebuilt;
with caching off they are built in the process. Whatever the path, the typo reading is the same."""

from __future__ import annotations

import numpy as np
import pytest

from flagger.engine import alternatives, cache
from flagger.engine.alternatives import ONCE_LENGTHS, TokenAlternatives


@pytest.fixture
def words(fixtures):
    lines = (fixtures / "words" / "known_words.txt").read_text(encoding="utf-8").splitlines()
    return [w for w in lines if w and not w.startswith("#")]


@pytest.fixture
def reads(words, monkeypatch):
    """Stand in for wordfreq (seconds per read) with the fixture's words; count the reads."""
    calls = []

    def known_words(lengths):
        calls.append(lengths)
        return [w for w in words if len(w) in lengths]

    monkeypatch.setattr(alternatives, "known_words", known_words)
    alternatives._built_known_by_length.cache_clear()
    yield calls
    alternatives._built_known_by_length.cache_clear()


def _as_words(arrays):
    return {n: sorted(a.astype("<u4").tobytes().decode("utf-32-le")[i:i + n]
                      for i in range(0, a.size, n)) for n, a in arrays.items()}


def _file(cache_dir):
    files = list(cache_dir.glob("known-*.npz"))
    assert len(files) == 1
    return files[0]


def test_read_once_then_loaded_from_the_cache_directory(cache_dir, reads, words):
    first = alternatives._known_by_length()
    assert len(reads) == 1
    second = alternatives._known_by_length()
    assert len(reads) == 1                                 # loaded, not read again
    assert _as_words(first) == _as_words(second)
    expected = {n: sorted(w for w in words if len(w) == n) for n in ONCE_LENGTHS}
    assert _as_words(second) == expected                  # Cyrillic and Greek survive the file
    assert all(a.dtype == np.uint32 and a.shape == (len(expected[n]), n) for n, a in second.items())


def test_corrupt_file_is_rebuilt(cache_dir, reads, words):
    first = alternatives._known_by_length()
    path = _file(cache_dir)
    path.write_bytes(b"not an archive")
    again = alternatives._known_by_length()
    assert len(reads) == 2
    assert _as_words(again) == _as_words(first)
    assert cache.load_known(path, cache.known_words_key(ONCE_LENGTHS), ONCE_LENGTHS) is not None   # rewritten


def test_truncated_file_is_rebuilt(cache_dir, reads):
    first = alternatives._known_by_length()
    path = _file(cache_dir)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert _as_words(alternatives._known_by_length()) == _as_words(first)
    assert len(reads) == 2


def test_file_made_for_other_inputs_is_rebuilt(cache_dir, reads):
    """A file whose key is not this wordfreq/flagger/parameters' (e.g. copied, or written by a
    different version under the same name) is not trusted."""
    first = alternatives._known_by_length()
    path = _file(cache_dir)
    cache.store_known(path, "another key", {n: np.zeros((1, n), dtype=np.uint32) for n in ONCE_LENGTHS})
    assert _as_words(alternatives._known_by_length()) == _as_words(first)
    assert len(reads) == 2


def test_key_names_the_parameters():
    assert cache.known_words_key(range(6, 10)) != cache.known_words_key(range(5, 10))
    assert cache.known_words_key(range(6, 10)) == cache.known_words_key(range(6, 10))


def test_cache_off_builds_in_the_process(cache_dir, reads, monkeypatch):
    monkeypatch.setenv("FLAGGER_CACHE", "0")
    arrays = alternatives._known_by_length()
    alternatives._known_by_length()
    assert len(reads) == 1                                 # read once per process
    assert not cache_dir.exists()
    assert "missives" in _as_words(arrays)[8]


def test_unwritable_cache_directory_still_compiles(tmp_path, reads, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would be", encoding="utf-8")
    monkeypatch.setenv("FLAGGER_CACHE_DIR", str(blocker))
    monkeypatch.delenv("FLAGGER_CACHE", raising=False)
    assert "missives" in _as_words(alternatives._known_by_length())[8]


@pytest.mark.parametrize("cache_off", [False, True])
def test_typo_reading_is_the_same_from_the_file_and_from_wordfreq(cache_dir, reads, monkeypatch, cache_off):
    """'missives' and 'ракеты' are known words a replaced letter makes of the terms 'missiles' and
    'ракета': not read as one-edit typos; 'missilez' is no known word: it is. 'sanctions' is a
    letter longer than 'sanction': no lookalike. The same on a cold and a warm file."""
    if cache_off:
        monkeypatch.setenv("FLAGGER_CACHE", "0")
    vocabulary = {"missiles", "ракета", "sanction"}
    for _round in range(2):
        alts = TokenAlternatives(vocabulary, vocabulary)
        assert alts._lookalikes == {"missives", "ракеты"}
        assert not alts.reads_once("missives", "missiles", 1)
        assert alts.reads_once("missilez", "missiles", 1)
