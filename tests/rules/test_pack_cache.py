"""A rule pack is parsed once per content: later loads of the same bytes, from the same file, by
the same code, read the parsed pack from the cache folder (flagger.rules.pack_cache), and anything
that could change the result parses it again."""

from __future__ import annotations

import shutil

import pytest

from flagger.errors import RuleError
from flagger.rules import load_rule_packs, loader, pack_cache


@pytest.fixture
def pack(fixtures, tmp_path, monkeypatch):
    """A copy of the basic fixture pack, and an empty cache folder of its own."""
    monkeypatch.setenv("FLAGGER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FLAGGER_CACHE", raising=False)
    path = tmp_path / "basic.yaml"
    shutil.copy(fixtures / "rules" / "basic.yaml", path)
    return path


@pytest.fixture
def parses(monkeypatch):
    """How many times the loader parsed a pack's YAML."""
    count = []
    real = loader.load_located

    def counted(text, file):
        count.append(file)
        return real(text, file)

    monkeypatch.setattr(loader, "load_located", counted)
    return count


def _kept(tmp_path):
    return sorted((tmp_path / "cache").glob(f"{pack_cache.PREFIX}*.pickle"))


def test_a_second_load_reads_the_parsed_pack(pack, parses, tmp_path):
    first = load_rule_packs([pack])
    second = load_rule_packs([pack])
    assert parses == [str(pack)]                         # parsed once
    assert second == first and second[0] is not first[0]
    assert [r.file for r in second[0].rules] == [str(pack)] * 2
    assert len(_kept(tmp_path)) == 1


def test_changed_bytes_are_parsed_again(pack, parses):
    (before,) = load_rule_packs([pack])
    pack.write_text(pack.read_text(encoding="utf-8").replace("title: ", "title: Changed ", 1), encoding="utf-8")
    (after,) = load_rule_packs([pack])
    assert len(parses) == 2 and after.title != before.title and after.sha256 != before.sha256


def test_the_same_bytes_from_another_file_are_that_files_pack(pack, parses, tmp_path):
    other = tmp_path / "other.yaml"
    shutil.copy(pack, other)
    load_rule_packs([pack])
    (copy,) = load_rule_packs([other])
    assert len(parses) == 2 and copy.path == str(other) and {r.file for r in copy.rules} == {str(other)}


def test_other_rule_code_parses_again(pack, parses, monkeypatch):
    load_rule_packs([pack])
    monkeypatch.setattr(pack_cache, "code_fingerprint", lambda: b"another loader")
    load_rule_packs([pack])
    assert len(parses) == 2


def test_a_broken_pack_is_never_kept_and_reported_each_time(pack, tmp_path):
    pack.write_text(pack.read_text(encoding="utf-8").replace("severity: critical", "severity: apocalyptic", 1),
                    encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleError, match="severity") as info:
            load_rule_packs([pack])
        assert info.value.file == str(pack) and info.value.line
    assert not _kept(tmp_path)


def test_an_unreadable_cache_file_is_parsed_again_and_rewritten(pack, parses, tmp_path):
    (first,) = load_rule_packs([pack])
    (kept,) = _kept(tmp_path)
    kept.write_bytes(b"not a pickle")
    (again,) = load_rule_packs([pack])
    assert again == first and len(parses) == 2
    assert load_rule_packs([pack]) == [first] and len(parses) == 2


def test_caching_off_keeps_nothing(pack, parses, tmp_path, monkeypatch):
    monkeypatch.setenv("FLAGGER_CACHE", "0")
    load_rule_packs([pack])
    load_rule_packs([pack])
    assert len(parses) == 2 and not (tmp_path / "cache").exists()


def test_a_cache_folder_that_cannot_be_written_is_ignored(pack, parses, tmp_path, monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("FLAGGER_CACHE_DIR", str(blocker / "sub"))
    assert load_rule_packs([pack]) == load_rule_packs([pack])
    assert len(parses) == 2


def test_the_bundled_packs_load_the_same_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FLAGGER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FLAGGER_CACHE", raising=False)
    parsed = load_rule_packs()
    assert load_rule_packs() == parsed and len(_kept(tmp_path)) == len(parsed)
