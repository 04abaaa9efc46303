"""A Spark executor's scanner (flagger.scale.spark._scanner_for) is built once per Python worker and
owns that process, as `flagger scan`'s scanner does: its index and what each batch learns are moved
out of the garbage collector's reach (tests/test_collector.py shows this changes no result). Needs
neither pyspark nor Java: the files are given as local paths, not shipped."""

from __future__ import annotations

import gc

import pyarrow as pa
import pytest

from flagger.scale.arrow import scan_arrow_batch
from flagger.scale.spark import _ScanConfig, _scanner_for


@pytest.fixture
def executor_scanner(fixtures):
    frozen = gc.get_freeze_count()
    config = _ScanConfig(rules=((str(fixtures / "rules" / "basic.yaml"), False),),
                         entities=((str(fixtures / "entities" / "small.csv"), False),),
                         default_entities=False, entity_threshold=90.0)
    _scanner_for.cache_clear()
    yield config, frozen
    _scanner_for.cache_clear()
    if gc.get_freeze_count() != frozen:     # given back to this test process
        gc.unfreeze()


def test_the_executors_scanner_owns_its_worker_process(executor_scanner):
    config, frozen = executor_scanner
    scanner = _scanner_for(config)
    assert scanner.owns_process
    assert _scanner_for(config) is scanner                # one per worker and configuration
    assert gc.get_freeze_count() > frozen                 # the index, out of the collector's reach
    frozen = gc.get_freeze_count()
    batch = pa.RecordBatch.from_pylist([{"id": "a1", "text": "KOMID sold ammunition abroad, a UN panel said."},
                                        {"id": "a2", "text": "Seashells on the beach drew tourists."}])
    out = scan_arrow_batch(batch, scanner)
    assert out.column("id").to_pylist() == ["a1", "a2"]
    assert gc.get_freeze_count() > frozen                 # what the batch learned, too
    assert gc.isenabled()
