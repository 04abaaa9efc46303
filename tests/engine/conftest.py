"""Fixtures shared by the engine's tests."""

from __future__ import annotations

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
