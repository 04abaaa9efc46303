"""A streamed report makes each article's row once: the provenance digest and the CSV/JSONL
writer share it, and the file is byte for byte what the whole-report writer writes."""

from __future__ import annotations

import pytest

from flagger.pipeline import ScanRequest, Target, run_scan
from flagger.report import frames, json_report, provenance, rows, streaming


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_streamed_report_makes_each_article_row_once(test_scanner, fixtures, tmp_path, monkeypatch, fmt):
    inputs = [str(fixtures / "articles" / "titled.jsonl"), str(fixtures / "articles" / "empty.txt")]
    kept = tmp_path / f"kept.{fmt}"
    run_scan(test_scanner, ScanRequest(inputs=inputs, targets=[Target(fmt, str(kept))], keep=True))

    made: list[str] = []
    real = frames.article_row

    def counted(result):
        made.append(result.record.id)
        return real(result)

    for module in (provenance, streaming, rows, json_report):
        monkeypatch.setattr(module, "article_row", counted)
    streamed = tmp_path / f"streamed.{fmt}"
    run = run_scan(test_scanner, ScanRequest(inputs=inputs, targets=[Target(fmt, str(streamed))]))

    assert run.report is None                                   # it streamed
    assert run.provenance["results"]["errors"] == 1             # the empty file's row is among them
    assert len(made) == run.provenance["results"]["articles"] == len(set(made))
    assert streamed.read_bytes() == kept.read_bytes()
