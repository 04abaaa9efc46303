"""What a scanner does to its process's cyclic garbage collector (flagger.scanner.ArticleScanner,
`owns_process`): nothing lasting in a library user's process; in a process that exists for the
scan (the CLI), the compiled index and what each batch learns are moved out of its reach."""

from __future__ import annotations

import gc
import json

import pytest

from flagger.api import Scanner
from flagger.records import as_records


@pytest.fixture(scope="module")
def records(fixtures):
    lines = (fixtures / "articles" / "collector.jsonl").read_text(encoding="utf-8").splitlines()
    return list(as_records([json.loads(line) for line in lines]))


def _scanner(fixtures, **kwargs) -> Scanner:
    return Scanner(rules=[fixtures / "rules" / "basic.yaml"], entities=[fixtures / "entities" / "small.csv"],
                   default_entities=False, **kwargs)


def _collector() -> tuple:
    return gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()


def _hits(results) -> list:
    return [(r.record.id, r.level, [(h.start, h.end, h.kind, h.term, h.entity_id, h.similarity) for h in r.hits])
            for r in results]


@pytest.fixture
def collector_restored():
    """The test may freeze this process's objects (as the CLI does); they are given back after."""
    before = gc.get_freeze_count()
    yield
    if gc.get_freeze_count() != before:
        gc.unfreeze()


def test_a_library_users_collector_is_as_it_was_after_building_a_scanner_and_scanning(fixtures, records):
    before = _collector()
    scanner = _scanner(fixtures)
    assert _collector() == before
    scanner.scan_batch(records[:3])
    scanner.scan_batch(records[3:])
    list(scanner.scan_iter(records))
    assert _collector() == before


def test_a_library_user_who_turned_the_collector_off_finds_it_off(fixtures, records):
    gc.disable()
    try:
        scanner = _scanner(fixtures)
        scanner.scan_batch(records)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_scanner_that_owns_its_process_freezes_the_index_and_each_batch(fixtures, records, collector_restored):
    frozen = gc.get_freeze_count()
    scanner = _scanner(fixtures, owns_process=True)
    assert gc.get_freeze_count() > frozen             # the index, out of the collector's reach
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    scanner.scan_batch(records)
    assert gc.get_freeze_count() > frozen             # what the batch learned, too
    assert gc.isenabled()


def test_owning_the_process_changes_no_result(fixtures, records, collector_restored):
    library = _scanner(fixtures)
    owner = _scanner(fixtures, owns_process=True)
    for batch in (records[:2], records[2:], records):
        assert _hits(owner.scan_batch(batch)) == _hits(library.scan_batch(batch))


def test_the_command_line_scanner_owns_its_process(fixtures, tmp_path, collector_restored):
    from click.testing import CliRunner

    from flagger.cli import main as cli

    frozen = gc.get_freeze_count()
    out = CliRunner().invoke(cli, ["scan", str(fixtures / "articles" / "collector.jsonl"), "--no-config",
                                   "--rules", str(fixtures / "rules" / "basic.yaml"),
                                   "--entities", str(fixtures / "entities" / "small.csv"), "--no-default-entities",
                                   "-f", "csv", "-o", str(tmp_path / "report.csv"), "-q", "--no-progress"])
    assert out.exit_code in (0, 1), out.output     # (1: the gate found something)
    assert (tmp_path / "report.csv").read_text(encoding="utf-8").count("\n") == 7     # header + 6 articles
    assert gc.get_freeze_count() > frozen
    assert gc.isenabled()


def test_a_library_users_index_joins_the_oldest_generation_without_a_collection(fixtures):
    # the first collections after a load walked all of it (as young objects, then again on their
    # way up): it is put where long-lived objects are, and left to full collections
    from flagger.engine import cache
    from flagger.engine.compile import compile_at

    scanner = _scanner(fixtures)               # (its index is in the cache now)
    before = _collector()
    runs: list[int] = []
    gc.callbacks.append(on_start := lambda phase, info: runs.append(info["generation"]) if phase == "start" else None)
    try:
        compiled = compile_at(cache.index_path(scanner.packs, scanner.entity_frame), scanner.packs,
                              scanner.entity_frame)
        oldest = gc.get_objects(generation=2)
    finally:
        gc.callbacks.remove(on_start)
    assert runs == [] and any(o is compiled.index for o in oldest)
    assert _collector() == before              # on, the same thresholds, nothing frozen
