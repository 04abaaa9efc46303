"""--jobs N: the same report, in the same order, as one process."""

from __future__ import annotations

import subprocess
import sys

from flagger.report.frames import article_row
from flagger.scale.parallel import scan_parallel

TEXTS = [
    "North Korea shipped artillery shells and ballistic missiles to Russia by rail, officials said.",
    "KOMID sold ammunition abroad, according to a UN panel of experts.",
    "Seashells on the beach near Wonsan drew tourists all summer.",
    "It is unclear whether Pyongyang may have sent howitzers or rocket launchers to Moscow.",
    "Nothing to see here at all.",
]


def _records(n=60):
    return [{"id": f"r{i}", "text": TEXTS[i % len(TEXTS)] + f" Item {i}: armamants, amunition."}
            for i in range(n)] + [{"id": "bad"}]


def _rows(results):
    return [(article_row(r), [(h.start, h.end, h.term, h.similarity) for h in r.hits]) for r in results]


def test_parallel_equals_serial(test_scanner):
    serial = _rows(test_scanner.scan_iter(_records()))
    parallel = _rows(scan_parallel(test_scanner, _records(), jobs=2, batch_size=7))
    assert parallel == serial
    assert [row["id"] for row, _ in parallel] == [f"r{i}" for i in range(60)] + ["bad"]
    assert any(row["level"] not in ("", "none") for row, _ in parallel)
    central = _rows(scan_parallel(test_scanner, _records(), jobs=2, batch_size=9, central_fuzzy=True))
    assert central == serial


def test_one_job_is_the_serial_scanner(test_scanner):
    assert _rows(scan_parallel(test_scanner, _records(5), jobs=1)) == _rows(test_scanner.scan_iter(_records(5)))


def test_scanner_scan_with_jobs(test_scanner):
    assert _rows(test_scanner.scan(_records(20), jobs=2).results) == _rows(test_scanner.scan(_records(20)).results)


def test_cli_jobs_gives_the_same_csv(tmp_path, fixtures):
    jsonl = tmp_path / "a.jsonl"
    import json

    jsonl.write_text("".join(json.dumps(r) + "\n" for r in _records(40)[:-1]), encoding="utf-8")
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}.csv"
        subprocess.run([sys.executable, "-c", "import sys; from flagger.cli import main; sys.exit(main())", "scan",
                        str(jsonl), "--no-config", "--rules", str(fixtures / "rules" / "basic.yaml"),
                        "--entities", str(fixtures / "entities" / "small.csv"), "--no-default-entities",
                        "--jobs", jobs, "-o", str(out), "-q"], check=False, timeout=300)
        outs.append(out.read_text(encoding="utf-8"))
    assert outs[0] == outs[1]
    assert outs[0].count("\n") == 41          # header + 40 articles


def test_a_worker_sends_back_results_not_the_records_it_was_given(test_scanner, scan_fails_on):
    # Workers drop the records the parent already holds, and the parent puts its own back; a
    # record the scanner replaced (an internal error on that article) comes back as replaced.
    from flagger.records import as_records

    scan_fails_on("r3")

    records = list(as_records(_records(12)))
    results = list(scan_parallel(test_scanner, records, jobs=2, batch_size=5))
    assert [r.record.id for r in results] == [f"r{i}" for i in range(12)] + ["bad"]
    assert all(r.record is rec for r, rec in zip(results, records, strict=True) if r.record.id != "r3")
    failed = results[3].record
    assert failed is not records[3] and failed.text == "" and "matcher exploded" in failed.error
    assert results[0].record.text == records[0].text and results[0].level != "none"
