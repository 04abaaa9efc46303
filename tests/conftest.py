from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

# One fresh cache per test run, set before any flagger import (flagger.paths reads the environment
# on every call) and inherited by the CLI tests that run `flagger` in a subprocess. The user's
# ~/.cache/flagger and whatever an earlier run left there never decide whether a run is fast or slow,
# passes or fails; the bundled index still compiles only once per run. Tests that need their own cache
# monkeypatch FLAGGER_CACHE_DIR over this one. FLAGGER_CACHE is dropped so that a user's
# FLAGGER_CACHE=0 does not switch the cache off for the suite.
_SESSION_CACHE = Path(tempfile.mkdtemp(prefix="flagger-test-cache-"))
_SAVED_ENV = {k: os.environ.get(k) for k in ("FLAGGER_CACHE_DIR", "FLAGGER_LISTS_DIR", "FLAGGER_CACHE")}
os.environ["FLAGGER_CACHE_DIR"] = str(_SESSION_CACHE)
os.environ["FLAGGER_LISTS_DIR"] = str(_SESSION_CACHE / "lists")
os.environ.pop("FLAGGER_CACHE", None)


def pytest_unconfigure(config) -> None:
    """The run's cache goes at the end of the session; the environment is put back as it was."""
    for key, value in _SAVED_ENV.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    shutil.rmtree(_SESSION_CACHE, ignore_errors=True)


FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def load_benchmark(monkeypatch):
    """`load(name)`: the script benchmarks/<name>.py imported as a module, with benchmarks/ on the
    path as when it is run (its own imports of its neighbours), dropped again after the test."""
    folder = ROOT / "benchmarks"
    monkeypatch.syspath_prepend(str(folder))
    loaded: list[str] = []

    def load(name: str):
        spec = importlib.util.spec_from_file_location(f"bench_{name}", folder / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        loaded.append(spec.name)
        return module

    yield load
    for name in loaded:
        sys.modules.pop(name, None)


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def session_cache_dir() -> Path:
    """The run's compile cache (FLAGGER_CACHE_DIR unless a test patches it)."""
    return _SESSION_CACHE


@pytest.fixture(scope="session")
def known_words_file(session_cache_dir) -> Path:
    """The run's known-words file (engine.alternatives: wordfreq's words of the typo-reading lengths,
    ~10 CPU s to read), in the run's cache: loaded when an earlier compile of the run made it, else
    made now. For tests and processes that need a cache directory of their own (any compile reads it);
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


@pytest.fixture
def own_cache_dir(tmp_path, known_words_file) -> Path:
    """A compile cache of the test's own, holding the run's known words, for a subprocess that
    compiles an index no other test uses: a process keeps only the newest 8 indexes of the cache it
    stores in (see below), so a subprocess storing in the run's cache dropped the bundled index
    compiled by an earlier module, and later modules compiled it again (~10 CPU s each time)."""
    d = tmp_path / "own-cache"
    d.mkdir()
    shutil.copy(known_words_file, d / known_words_file.name)
    return d


@pytest.fixture(scope="session", autouse=True)
def _the_run_keeps_every_index():
    """The run's cache keeps every index the run compiles. A cache keeps its newest 8 of each kind
    (flagger.engine.cache._MAX_FILES) and the suite compiles dozens of packs and lists, so the
    bundled index (~12 CPU s to compile) was dropped and compiled again by module after module.
    In this process only: a `flagger` subprocess that stores an index still keeps 8 (`own_cache_dir`)."""
    from flagger.engine import cache

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cache, "_MAX_FILES", 1_000_000)
        yield


@pytest.fixture(scope="session")
def test_scanner():
    """A scanner over the small fixture pack and entity list (independent of the bundled content)."""
    from flagger.api import Scanner

    return Scanner(rules=[FIXTURES / "rules" / "basic.yaml"], entities=[FIXTURES / "entities" / "small.csv"],
                   default_entities=False)


@pytest.fixture
def scan_fails_on(monkeypatch):
    """`scan_fails_on(record_id)`: from now on, scoring that record raises ValueError("matcher
    exploded"), as an internal bug would; every other record scans as usual."""
    from flagger.api import Scanner

    real = Scanner._scan_one

    def fail_on(record_id: str) -> None:
        def flaky(self, record, data, **how):
            if record.id == record_id:
                raise ValueError("matcher exploded")
            return real(self, record, data, **how)

        monkeypatch.setattr(Scanner, "_scan_one", flaky)

    return fail_on
