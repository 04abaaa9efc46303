"""benchmarks/parts.py times the flagger functions it is asked for during a whole in-process scan:
each named function is wrapped where it is looked up (a module attribute or a class's method,
static and class methods and generators included), every call counted, and a name that does not
resolve stops the run with a message naming it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

_BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture
def parts(load_benchmark):
    return load_benchmark("parts")


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """A small module whose functions parts.wrap times."""
    (tmp_path / "parts_toy.py").write_text(textwrap.dedent("""
        def square(x):
            return x * x

        def countdown(n):
            return 0 if n == 0 else countdown(n - 1)

        def pairs(n):
            for i in range(n):
                yield i, i

        class Box:
            def add(self, x):
                return x + 1

            @staticmethod
            def twice(x):
                return 2 * x

            @classmethod
            def name(cls):
                return cls.__name__
    """), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import parts_toy

    yield parts_toy
    sys.modules.pop("parts_toy", None)


def test_wrapped_functions_keep_their_results_and_count_their_calls(parts, toy):
    acc: dict = {}
    for name in ("square", "countdown", "pairs", "Box.add", "Box.twice", "Box.name"):
        parts.wrap(f"parts_toy:{name}", acc)
    assert [toy.square(3), toy.square(4)] == [9, 16]
    assert toy.countdown(5) == 0
    assert list(toy.pairs(3)) == [(0, 0), (1, 1), (2, 2)]
    assert toy.Box().add(1) == 2 and toy.Box.twice(4) == 8 and toy.Box.name() == "Box"
    calls = {spec.split(":")[1]: n for spec, (_seconds, n) in acc.items()}
    # every recursive call is counted; only the outermost one is timed
    assert calls == {"square": 2, "countdown": 6, "pairs": 1, "Box.add": 1, "Box.twice": 1, "Box.name": 1}
    assert all(seconds >= 0 for seconds, _n in acc.values())


@pytest.mark.parametrize(("functions", "message"), [
    ("flagger.scanner", "is not module:Qualified.name"),
    (" , ", "no function named"),
])
def test_malformed_function_lists_are_refused(parts, functions, message):
    with pytest.raises(SystemExit, match=message):
        parts.parse_specs(functions)


@pytest.mark.parametrize(("spec", "message"), [
    ("parts_toy:missing", "parts_toy has no missing"),
    ("parts_toy:Box.gone", "parts_toy has no Box.gone"),
    ("parts_toy_absent:square", "cannot import parts_toy_absent"),
])
def test_a_name_that_does_not_resolve_stops_the_run_naming_it(parts, toy, spec, message):
    with pytest.raises(SystemExit, match=message):
        parts.wrap(spec, {})


def test_it_times_the_functions_asked_for_over_a_scan_of_a_tiny_corpus(tmp_path, load_benchmark, own_cache_dir):
    corpus = tmp_path / "corpus"
    load_benchmark("corpus").generate(corpus, n_articles=6, n_terms=12, n_entities=20, seed=7)
    asked = ["flagger.scanner:tokenize_batch", "flagger.scanner:ArticleScanner._scan_one",
             "flagger.engine.phrases:PhraseIndex.match_many"]
    out = tmp_path / "parts.json"
    run = subprocess.run([sys.executable, str(_BENCH / "parts.py"), ",".join(asked), "--corpus", str(corpus),
                          "--flagger-rev", "worktree", "--rounds", "1", "--json", str(out)],
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "FLAGGER_CACHE_DIR": str(own_cache_dir)})
    assert run.returncode == 0, run.stderr
    assert list(own_cache_dir.glob("index-*.pickle")), "the caller's FLAGGER_CACHE_DIR holds the scan's index"
    res = json.loads(out.read_text())
    assert res["functions"] == asked and res["snapshots"] == ["worktree"]
    (only,) = res["rounds"][0]
    assert only["functions"]["flagger.scanner:ArticleScanner._scan_one"][1] == 6   # one call per article
    assert all(calls >= 1 for _seconds, calls in only["functions"].values())
    assert 0 < only["total"] <= only["process"]
    for spec in [*asked, "total", "process"]:
        assert spec in run.stdout
