"""The compiled-index cache: same content -> loaded, not recompiled; any change -> recompiled;
cached and fresh indexes scan identically; a broken cache never breaks a scan."""

from __future__ import annotations

import shutil

import pytest

from flagger.api import Scanner
from flagger.engine import alternatives, cache
from flagger.engine.alternatives import ONCE_LENGTHS

TEXT = ("Pyongyang shipped artillery shells and ballistic missiles to Russia, officials said; "
        "Korea Mining Development Trading Corporation arranged the deal.")


@pytest.fixture
def cache_dir(cache_dir, known_words_file):
    """The engine's empty cache directory with the known words in it, as every cache directory
    holds them after its first compile. These tests are about the index, names and scripts files;
    making the known words again from wordfreq (~10 CPU s, tested in test_known_words_cache.py)
    was most of each test's time."""
    cache_dir.mkdir()
    shutil.copy(known_words_file, cache_dir / known_words_file.name)
    return cache_dir


def _scanner(fixtures, rules=None):
    return Scanner(rules=[rules or fixtures / "rules" / "basic.yaml"],
                   entities=[fixtures / "entities" / "small.csv"], default_entities=False)


def _summary(result):
    return (result.score, result.level, result.rules, [(h.start, h.end, h.term, h.similarity) for h in result.hits],
            [e.entity_id for e in result.entities])


def test_second_scanner_loads_the_cached_index(cache_dir, fixtures, monkeypatch):
    first = _scanner(fixtures)
    files = list(cache_dir.glob("index-*.pickle"))
    assert len(files) == 1
    calls = []
    import flagger.engine.compile as compile_mod

    original = compile_mod._compile_rules
    monkeypatch.setattr(compile_mod, "_compile_rules", lambda *a: calls.append(1) or original(*a))
    second = _scanner(fixtures)
    assert calls == []                      # loaded, not compiled
    assert _summary(first.scan_text(TEXT)) == _summary(second.scan_text(TEXT))
    assert second.rules[0] is second.packs[0].rules[0]    # rules are the caller's objects
    # Entity rows are made from the caller's frame, not unpickled: the same rows, in the same order.
    assert list(second.compiled.entity_rows) == list(first.compiled.entity_rows) == first.entity_frame.to_dicts()
    assert second.compiled.entity_rows[-1] == first.entity_frame.to_dicts()[-1]


def test_changed_rules_recompile(cache_dir, fixtures, tmp_path):
    _scanner(fixtures)
    changed = tmp_path / "basic.yaml"
    changed.write_text((fixtures / "rules" / "basic.yaml").read_text(encoding="utf-8") + "\n# changed\n",
                       encoding="utf-8")
    _scanner(fixtures, rules=changed)
    assert len(list(cache_dir.glob("index-*.pickle"))) == 2


@pytest.fixture
def wordfreq_read_as_the_run_read_it(known_words_file, monkeypatch):
    """`alternatives.known_words` (a read of wordfreq's lists, ~7 CPU s) answers with the words the
    run has already read into its known-words file: a compile that cannot use a cache directory
    (caching off, a directory that cannot be written) still builds the known words in the process,
    from the same words, without reading wordfreq twice more. The in-process copy made with caching
    off (`_built_known_by_length`) is emptied first, so this test makes it, and left as made: it
    holds exactly what wordfreq gives."""
    arrays = cache.load_known(known_words_file, cache.known_words_key(ONCE_LENGTHS), ONCE_LENGTHS)
    assert arrays is not None, known_words_file
    words = [text[i:i + n] for n, a in arrays.items()
             for text in [a.astype("<u4").tobytes().decode("utf-32-le")] for i in range(0, len(text), n)]
    monkeypatch.setattr(alternatives, "known_words", lambda lengths: [w for w in words if len(w) in lengths])
    alternatives._built_known_by_length.cache_clear()


def test_cache_off_and_unwritable_and_corrupt(cache_dir, fixtures, monkeypatch, tmp_path,
                                              wordfreq_read_as_the_run_read_it):
    monkeypatch.setenv("FLAGGER_CACHE", "0")
    _scanner(fixtures)
    assert not list(cache_dir.glob("index-*.pickle"))
    monkeypatch.delenv("FLAGGER_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("FLAGGER_CACHE_DIR", str(blocker / "sub"))   # cannot be created
    assert _scanner(fixtures).scan_text(TEXT).score > 0
    monkeypatch.setenv("FLAGGER_CACHE_DIR", str(cache_dir))
    fresh = _summary(_scanner(fixtures).scan_text(TEXT))
    for f in cache_dir.glob("index-*.pickle"):
        f.write_bytes(b"not a pickle")
    assert _summary(_scanner(fixtures).scan_text(TEXT)) == fresh


def test_key_covers_entities_and_resources(cache_dir, fixtures, monkeypatch):
    s = _scanner(fixtures)
    key = cache.content_key(s.packs, s.entity_frame)
    assert key == cache.content_key(s.packs, s.entity_frame.clone())
    assert key != cache.content_key(s.packs, s.entity_frame.head(1))
    import flagger.resources as res

    monkeypatch.setattr(res, "common_words", lambda: frozenset({"something"}))
    assert key != cache.content_key(s.packs, s.entity_frame)


def test_cached_index_survives_a_copied_cache_dir(cache_dir, fixtures, tmp_path, monkeypatch):
    fresh = _summary(_scanner(fixtures).scan_text(TEXT))
    other = tmp_path / "copy"
    shutil.copytree(cache_dir, other)
    monkeypatch.setenv("FLAGGER_CACHE_DIR", str(other))
    assert _summary(_scanner(fixtures).scan_text(TEXT)) == fresh


# -- the screening index (flagger names screen|search, Scanner.screen) ---------------------------------
SCREENED = ["Kim Jong-un", "Korea Mining Development Trading Corp", "Vladimir V. Putin", "Maria Schmidt"]


def _screened(scanner) -> list[tuple]:
    frame = scanner.screen(SCREENED)
    return list(zip(frame["name"], frame["matched"], frame["entity_id"], frame["score"], strict=True))


def test_the_screening_index_is_built_once_then_loaded(cache_dir, fixtures, monkeypatch):
    built = []
    from flagger.names.index import NameIndex

    original = NameIndex.__init__
    monkeypatch.setattr(NameIndex, "__init__", lambda self, *a: built.append(1) or original(self, *a))
    first = _screened(_scanner(fixtures))
    assert built == [1] and len(list(cache_dir.glob("names-*.pickle"))) == 1
    assert [m for _n, m, _e, _s in first] == [True, True, True, False]
    second = _screened(_scanner(fixtures))
    assert built == [1]                     # loaded from the cache, not built again
    assert second == first


def test_the_screening_index_follows_the_list_and_survives_a_broken_cache(cache_dir, fixtures, tmp_path):
    fresh = _screened(_scanner(fixtures))
    shorter = tmp_path / "one.csv"
    lines = (fixtures / "entities" / "small.csv").read_text(encoding="utf-8").splitlines()
    shorter.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    only_kim = Scanner(rules=[fixtures / "rules" / "basic.yaml"], entities=[shorter], default_entities=False)
    assert [m for _n, m, _e, _s in _screened(only_kim)] == [True, False, False, False]   # its own index
    assert len(list(cache_dir.glob("names-*.pickle"))) == 2
    for f in cache_dir.glob("names-*.pickle"):
        f.write_bytes(b"not a pickle")
    assert _screened(_scanner(fixtures)) == fresh      # a corrupt file is rebuilt
    index_file = next(cache_dir.glob("index-*.pickle"))
    for f in cache_dir.glob("names-*.pickle"):
        f.write_bytes(index_file.read_bytes())          # another kind of object under the name
    assert _screened(_scanner(fixtures)) == fresh


# -- Latin list names read in other scripts (engine.transcribed): made once, then loaded -----------
ARABIC = "اتهمت واشنطن مجموعة لازاروس بسرقة العملات المشفرة."     # 'Lazarus Group' in Arabic script


def _transcribing(fixtures):
    return Scanner(rules=[fixtures / "entities" / "missile_rule.yaml"],
                   entities=[fixtures / "entities" / "transcribed_names.csv"], default_entities=False)


def _found(scanner) -> list[tuple]:
    return [(e.entity_id, e.matched_text, e.similarity) for e in scanner.scan_text(ARABIC).entities]


def test_names_read_in_other_scripts_are_made_once_then_loaded(cache_dir, fixtures, monkeypatch):
    fresh = _found(_transcribing(fixtures))
    assert [e for e, _t, _s in fresh] == ["T:lazarus"]
    assert len(list(cache_dir.glob("scripts-*.pickle"))) == 1
    from flagger.engine.transcribed import TranscribedNames

    built = TranscribedNames._build

    def no_build(self):
        raise AssertionError("built again")

    monkeypatch.setattr(TranscribedNames, "_build", no_build)
    assert _found(_transcribing(fixtures)) == fresh        # loaded from the file
    monkeypatch.setattr(TranscribedNames, "_build", built)
    for f in cache_dir.glob("scripts-*.pickle"):
        f.write_bytes(b"not a pickle")
    assert _found(_transcribing(fixtures)) == fresh        # a corrupt file is made again
    assert next(cache_dir.glob("scripts-*.pickle")).read_bytes() != b"not a pickle"   # and stored
    monkeypatch.setenv("FLAGGER_CACHE", "0")
    assert _found(_transcribing(fixtures)) == fresh        # no cache: made in the process


def test_names_read_in_other_scripts_are_stored_with_the_frequent_words_of_every_script(cache_dir, fixtures,
                                                                                        monkeypatch):
    # wordfreq's lists (2.8 CPU s for every script's) were read again by every process whose scan
    # met a text in one of those scripts; now once, when the names are made, and stored with them
    import wordfreq

    from flagger.names import scripts

    fresh = _found(_transcribing(fixtures))
    scripts.frequent_words.cache_clear()
    monkeypatch.setattr(wordfreq, "top_n_list", lambda *a, **k: pytest.fail("read wordfreq again"))
    again = _transcribing(fixtures)
    assert _found(again) == fresh
    names = again._transcribed._names
    assert names._frequent.keys() == scripts._LANGUAGES.keys() and len(names._frequent["arabic"]) > 10_000
