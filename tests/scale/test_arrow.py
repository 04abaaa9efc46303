"""scan_arrow_batch: one Arrow batch in, the report's article rows out (typed, in order)."""

from __future__ import annotations

import pyarrow as pa

from flagger.report.frames import ARTICLE_COLUMNS, article_row
from flagger.scale.arrow import ARTICLE_ARROW_SCHEMA, scan_arrow_batch


def test_batch_in_report_rows_out(test_scanner):
    rows = [
        {"id": "a1", "text": "North Korea shipped artillery shells to Russia.", "source": "Wire", "title": "T",
         "extra": 5},
        {"id": "a2", "text": "A quiet day at the beach.", "source": "Wire", "title": None, "extra": 6},
        {"id": "a3", "text": None, "source": None, "title": None, "extra": None},
    ]
    out = scan_arrow_batch(pa.RecordBatch.from_pylist(rows), test_scanner)
    assert out.schema == ARTICLE_ARROW_SCHEMA
    assert out.schema.names == ARTICLE_COLUMNS
    got = out.to_pylist()
    assert [g["id"] for g in got] == ["a1", "a2", "a3"]
    expected = [article_row(r) for r in test_scanner.scan_iter([{k: v for k, v in r.items() if v is not None}
                                                                  for r in rows])]
    assert got[:2] == expected[:2]
    assert got[2]["error"]             # no text: an error row, not a crash
    assert isinstance(got[0]["rules"], list)


def test_integer_ids_and_empty_batch(test_scanner):
    out = scan_arrow_batch(pa.RecordBatch.from_pydict({"id": [7], "text": ["KOMID sold ammunition."]}), test_scanner)
    assert out.column(0).to_pylist() == ["7"]
    empty = pa.RecordBatch.from_pydict({"text": pa.array([], type=pa.string())})
    assert scan_arrow_batch(empty, test_scanner).num_rows == 0
