"""Fixtures shared by the engine's tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def news_scanner(fixtures):
    """The missile rule and the list of names as the news writes them (tests/fixtures/entities)."""
    from flagger.api import Scanner

    return Scanner(rules=[fixtures / "entities" / "missile_rule.yaml"],
                   entities=[fixtures / "entities" / "news_names.csv"], default_entities=False)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """An empty compile cache directory of the test's own, with the cache switched on."""
    d = tmp_path / "cache"
    monkeypatch.setenv("FLAGGER_CACHE_DIR", str(d))
    monkeypatch.delenv("FLAGGER_CACHE", raising=False)
    return d


@pytest.fixture(scope="session")
def known_words_file(session_cache_dir) -> Path:
    """The run's known-words file (engine.alternatives: wordfreq's words of the typo-reading lengths,
    ~10 CPU s to read), in the run's cache: loaded when an earlier compile of the run made it, else
    made now. For tests of the other cache files, which start from a directory holding only it;
    tests/engine/test_known_words_cache.py tests how it is made."""
    from flagger.engine import alternatives, cache

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FLAGGER_CACHE_DIR", str(session_cache_dir))
        mp.delenv("FLAGGER_CACHE", raising=False)
        path, key = cache.known_words_path(alternatives.ONCE_LENGTHS)
        if cache.load_known(path, key, alternatives.ONCE_LENGTHS) is None:
            alternatives._known_by_length()
    assert path.is_file(), path
    return path
