"""--jobs N: the same report, in the same order, as one process."""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from functools import partial

import pytest

from flagger.ci.baseline import Baseline, entry_for
from flagger.ci.gate import parse_fail_on
from flagger.forking import fork_map
from flagger.pipeline import ScanRequest, Target, run_scan
from flagger.records import as_records
from flagger.report.files import write_hits_file
from flagger.report.frames import article_row
from flagger.report.registry import FORMATS, write_report
from flagger.scale import tasks
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


def test_one_job_is_the_serial_scanner(test_scanner):
    assert _rows(scan_parallel(test_scanner, _records(5), jobs=1)) == _rows(test_scanner.scan_iter(_records(5)))


def test_scanner_scan_with_jobs(test_scanner):
    assert _rows(test_scanner.scan(_records(20), jobs=2).results) == _rows(test_scanner.scan(_records(20)).results)


def test_cli_jobs_gives_the_same_csv(tmp_path, fixtures):
    jsonl = tmp_path / "a.jsonl"
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


def _kinds_sent(monkeypatch) -> list[bytes]:
    """Batches run through `run_scan` in pieces of 4 records (so a fixture folder takes several
    workers' batches); returns how each batch's results crossed the pipe (`transport.pack`'s first
    byte), as the parent unpacks them."""
    from flagger import pipeline
    from flagger.scale import parallel

    kinds: list[bytes] = []
    real = parallel.unpack

    def unpack(data, batch):
        kinds.append(data[:1])
        return real(data, batch)

    monkeypatch.setattr(parallel, "unpack", unpack)
    monkeypatch.setattr(pipeline, "scan_parallel", partial(scan_parallel, batch_size=4))
    return kinds


def _inputs(fixtures) -> list[str]:
    return [str(fixtures / "articles"), str(fixtures.parent.parent / "data" / "samples")]   # every reader; real news


def _baseline(scanner, fixtures, gate) -> Baseline:
    """A baseline that suppresses the first failing finding of a one-process scan."""
    first = run_scan(scanner, ScanRequest(inputs=_inputs(fixtures), gate=gate, allow_errors=True, keep=True)).outcome.failing[0]
    return Baseline(entries=[entry_for(first.findings[0])], path="")


def test_every_report_format_gate_and_baseline_are_the_same_with_workers(test_scanner, fixtures, monkeypatch,
                                                                          tmp_path):
    gate = parse_fail_on(["low", "arms-embargo=medium"])
    baseline = _baseline(test_scanner, fixtures, gate)
    kinds = _kinds_sent(monkeypatch)
    runs = [run_scan(test_scanner, ScanRequest(inputs=_inputs(fixtures), gate=gate, baseline=baseline, allow_errors=True, jobs=jobs,
                                               keep=True)) for jobs in (1, 2)]
    assert len(kinds) > 10 and set(kinds) == {b"m"}        # many workers' batches, all in the flat form
    one, two = runs
    outcomes = [(run.exit_code, run.outcome.n_failing, run.outcome.suppressed, dict(run.outcome.counts),
                 [(v.result.record.id, v.status, v.reasons, [f.fingerprint for f in v.findings])
                  for v in run.outcome.verdicts]) for run in runs]
    assert outcomes[0] == outcomes[1]
    assert one.exit_code == 1 and one.outcome.suppressed == 1 and one.outcome.n_failing > 1
    timing = ("started", "duration_seconds")
    assert ({k: v for k, v in one.provenance.items() if k not in timing}
            == {k: v for k, v in two.provenance.items() if k not in timing})      # the digests of rows and hits
    two.report.provenance, two.report.started, two.report.seconds = (one.report.provenance, one.report.started,
                                                                     one.report.seconds)
    for fmt in FORMATS:
        texts = []
        for run in runs:
            stream = io.StringIO()
            write_report(run.report, fmt, stream, explain=True)
            texts.append(stream.getvalue())
        assert texts[0] == texts[1], fmt
        assert "KOMID" in texts[0] or fmt == "junit", fmt            # (the report has rows)
    for name in ("h.csv", "h.jsonl"):
        for jobs, run in zip((1, 2), runs, strict=True):
            write_hits_file(run.report.results, tmp_path / f"{jobs}{name}")
        assert (tmp_path / f"1{name}").read_bytes() == (tmp_path / f"2{name}").read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_streamed_report_and_its_hits_are_the_same_with_workers(test_scanner, fixtures, monkeypatch, tmp_path,
                                                                 fmt):
    gate = parse_fail_on(["low"])
    baseline = _baseline(test_scanner, fixtures, gate)
    kinds = _kinds_sent(monkeypatch)
    runs = [run_scan(test_scanner, ScanRequest(inputs=_inputs(fixtures), gate=gate, baseline=baseline, allow_errors=True, jobs=jobs,
                                               targets=[Target(fmt, str(tmp_path / f"{jobs}.{fmt}"))],
                                               hits_path=str(tmp_path / f"{jobs}_hits.{fmt}")))
            for jobs in (1, 2)]
    assert len(kinds) > 10 and set(kinds) == {b"m"}
    assert runs[0].report is None                             # streamed, not kept
    for name in (f"{{}}.{fmt}", f"{{}}_hits.{fmt}"):
        one, two = ((tmp_path / name.format(jobs)).read_bytes() for jobs in (1, 2))
        assert one == two and one.count(b"\n") > 50, name
    assert [(run.exit_code, run.outcome.n_failing, run.outcome.suppressed, dict(run.outcome.counts))
            for run in runs] == [(1, runs[0].outcome.n_failing, 1, dict(runs[0].outcome.counts))] * 2
    digests = [(run.provenance["inputs"], run.provenance["results"]) for run in runs]
    assert digests[0] == digests[1] and digests[0][1]["sha256"]


def test_a_worker_sends_back_results_not_the_records_it_was_given(test_scanner, scan_fails_on):
    # Workers drop the records the parent already holds, and the parent puts its own back; a
    # record the scanner replaced (an internal error on that article) comes back as replaced.
    scan_fails_on("r3")

    records = list(as_records(_records(12)))
    results = list(scan_parallel(test_scanner, records, jobs=2, batch_size=5))
    assert [r.record.id for r in results] == [f"r{i}" for i in range(12)] + ["bad"]
    assert all(r.record is rec for r, rec in zip(results, records, strict=True) if r.record.id != "r3")
    failed = results[3].record
    assert failed is not records[3] and failed.text == "" and "matcher exploded" in failed.error
    assert results[0].record.text == records[0].text and results[0].level != "none"


def test_batches_go_to_the_workers_as_field_values_and_records_with_extras_come_back_whole(test_scanner, monkeypatch):
    # tasks.encode writes each batch the parent sends (marshal of the records' field values; a batch
    # that is not plain by pickle); the rows are one process's, input fields kept in extra included
    sent = []
    real = tasks.encode
    monkeypatch.setattr(tasks, "encode", lambda batch: sent.append(len(batch)) or real(batch))
    records = _records(40)
    records[5]["section"], records[6]["tags"] = "world", ["a", {"b": 1.5}]
    serial = list(test_scanner.scan_iter(as_records(records)))
    parallel = list(scan_parallel(test_scanner, records, jobs=2, batch_size=7))
    assert _rows(parallel) == _rows(serial)
    assert [r.record for r in parallel] == [r.record for r in serial]
    assert parallel[6].record.extra == {"tags": ["a", {"b": 1.5}]}
    assert sum(sent) == len(records) and len(sent) >= 3


# -- flagger.forking: the workers behind --jobs and NameIndex.screen ------------------------------

def _square_slowly_backwards(x: int) -> int:
    time.sleep(0.02 * (5 - x % 5))       # later items finish first: the order must still hold
    return x * x


def test_fork_map_keeps_input_order_and_reads_items_as_room_frees():
    read = []

    def items():
        for i in range(23):
            read.append(i)
            yield i

    seen = []
    for item, result in fork_map(_square_slowly_backwards, items(), 2):
        assert result == item * item
        assert len(read) - len(seen) <= 2 * 2 + 1     # at most 2 x processes in flight (+ the one just read)
        seen.append(item)
    assert seen == list(range(23))


def test_fork_map_workers_inherit_state_without_pickling():
    lock = threading.Lock()                  # cannot be pickled: it reaches the workers by fork

    def work(x):
        with lock:
            return x + 1

    assert [r for _i, r in fork_map(work, range(5), 2)] == [1, 2, 3, 4, 5]


def _fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return x


def test_an_exception_in_a_worker_is_raised_in_the_parent_and_no_worker_is_left():
    with pytest.raises(ValueError, match="three"):
        list(fork_map(_fail_on_three, range(10), 2))
    assert multiprocessing.active_children() == []


def test_a_consumer_that_stops_early_leaves_no_worker():
    results = fork_map(_square_slowly_backwards, range(1000), 2)
    assert next(results) == (0, 0)
    results.close()
    assert multiprocessing.active_children() == []


def _die(x: int) -> int:
    os._exit(7)


def test_a_worker_that_dies_is_reported_not_waited_for():
    with pytest.raises(RuntimeError, match="exit code 7"):
        list(fork_map(_die, range(3), 2))


def test_a_failing_map_leaves_no_worker_even_when_the_parent_handles_sigterm():
    # the CLI turns SIGTERM into SystemExit in its own process (to remove half-written reports);
    # workers forked from it must still stop when the parent terminates them
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        with pytest.raises(ValueError, match="three"):
            list(fork_map(_fail_on_three, range(10), 2))
        assert multiprocessing.active_children() == []
    finally:
        signal.signal(signal.SIGTERM, previous)


def _copy_rows(results):
    return [(row, r.record.extra.get("duplicates"), r.record.extra.get("duplicate_of")) for row, r in
            zip((row for row, _hits in _rows(results)), results, strict=True)]


def test_copies_are_grouped_as_one_process_groups_them(test_scanner):
    # jobs=2, batches of 4: the first 4 batches of the first chunk go out before it is grouped
    # (records 0-15); copies among them are scanned and dropped, copies after them never sent
    from flagger.sources.dedupe import Copies

    story = TEXTS[0] + " The shipment left Rajin on Tuesday night, port officials said."
    texts = [f"Unrelated item {i} about the weather in region {i}, calm seas." for i in range(40)]
    texts[2] = texts[9] = texts[17] = story      # copies of record 2: one early, one after the early batches
    texts[5] = texts[30] = TEXTS[3] + " Reporters asked the ministry twice."   # across the chunk boundary
    texts[20] = texts[21] = TEXTS[1] + " It denied the report."
    records = [{"id": f"r{i}", "text": t, "published": f"2026-01-{1 + i % 28:02d}"} for i, t in enumerate(texts)]
    one, two = Copies(chunk=25), Copies(chunk=25)
    serial = list(one.rows(test_scanner.scan_iter(one.records(as_records(records)))))
    parallel = list(scan_parallel(test_scanner, as_records(records), jobs=2, batch_size=4, copies=two))
    assert _copy_rows(parallel) == _copy_rows(serial)
    assert two.folded == one.folded == 3
    assert len(parallel) == 40 and [r.record.extra.get("duplicate_of") for r in parallel].count("r2") == 2


def test_one_batch_with_copies_scans_only_the_originals(test_scanner, monkeypatch):
    from flagger.scale import parallel
    from flagger.sources.dedupe import Copies

    monkeypatch.setattr(parallel, "fork_map", lambda *a, **k: pytest.fail("forked for one batch"))
    records = [{"id": "a", "text": TEXTS[0]}, {"id": "b", "text": TEXTS[0]}, {"id": "c", "text": TEXTS[3]}]
    scanned = []
    real = test_scanner.scan_batch
    monkeypatch.setattr(test_scanner, "scan_batch", lambda batch: scanned.extend(r.id for r in batch) or real(batch))
    copies = Copies()
    rows = list(scan_parallel(test_scanner, as_records(records), jobs=2, batch_size=7, copies=copies))
    assert scanned == ["a", "c"] and copies.folded == 1
    assert [(r.record.id, r.record.extra.get("duplicate_of")) for r in rows] == [("a", None), ("b", "a"), ("c", None)]


def test_a_single_batch_is_scanned_without_forking(test_scanner, monkeypatch):
    from flagger.scale import parallel

    monkeypatch.setattr(parallel, "fork_map", lambda *a, **k: pytest.fail("forked for one batch"))
    assert _rows(scan_parallel(test_scanner, _records(5), jobs=2, batch_size=7)) == \
        _rows(test_scanner.scan_iter(_records(5)))


def _frozen(_x: int) -> int:
    import gc

    return gc.get_freeze_count()


def test_fork_map_workers_get_the_parents_objects_out_of_the_collectors_reach():
    # a collection in a worker would otherwise walk (and so copy, page by page) the inherited heap
    import gc

    assert [frozen > 0 for _x, frozen in fork_map(_frozen, [1, 2, 3], 2)] == [True, True, True]
    assert gc.get_freeze_count() == 0        # the parent's collector is back as it was


def test_a_batch_sent_before_its_chunk_was_grouped_gives_its_rows_once_the_chunk_is_grouped(test_scanner):
    from flagger.scale.parallel import _Batches
    from flagger.sources.dedupe import Copies

    texts = [f"Unrelated item {i} about the weather in region {i}, calm seas." for i in range(10)]
    texts[1] = TEXTS[0]
    texts[8] = TEXTS[0] + " Officials confirmed it on Friday."     # contains record 1: its original
    batches = _Batches(as_records([{"id": f"r{i}", "text": t} for i, t in enumerate(texts)]), 3,
                       copies := Copies(chunk=100), ahead=1)
    cut = iter(batches)
    first = next(cut)                                    # out before the chunk was read to its end
    assert [r.id for r in first] == ["r0", "r1", "r2"]
    rows = list(batches.rows(first, test_scanner.scan_batch(first)))    # reads the rest and groups it
    assert [r.record.id for r in rows] == ["r0", "r2"] and copies.folded == 1
    rest = list(cut)
    assert [[r.id for r in b] for b in rest] == [["r3", "r4", "r5"], ["r6", "r7", "r8"], ["r9"]]
    rows = [r for b in rest for r in batches.rows(b, test_scanner.scan_batch(b))]
    assert [(r.record.id, r.record.extra.get("duplicate_of")) for r in rows][-3:] == \
        [("r8", None), ("r1", "r8"), ("r9", None)]



def test_the_workers_start_before_the_first_chunk_of_copies_is_read_to_its_end(test_scanner, monkeypatch):
    # forked once a batch and the record after it are read (more than one batch: worth forking): the
    # parent reads and groups the rest of the chunk while the workers scan (the parent used to
    # group the whole chunk and scan the first batch first)
    from flagger.scale import parallel
    from flagger.sources.dedupe import Copies

    read = []

    def records():
        for record in as_records(_records(60)):
            read.append(record.id)
            yield record

    at_fork = []
    real = parallel.fork_map

    def spy(*a, **k):
        at_fork.append(len(read))
        return real(*a, **k)

    monkeypatch.setattr(parallel, "fork_map", spy)
    got = _rows(scan_parallel(test_scanner, records(), jobs=2, batch_size=7, copies=Copies()))
    assert at_fork == [8]
    one = Copies()
    assert got == _rows(one.rows(test_scanner.scan_iter(one.records(as_records(_records(60))))))


# -- the other workers are forked from the first once it has learned the first batch ---------------

def _note(path, *what) -> None:
    with open(path, "a", encoding="utf-8") as f:      # one short line per write: lines do not interleave
        f.write(" ".join(map(str, what)) + "\n")


def test_the_other_workers_start_knowing_the_first_batchs_words(test_scanner, monkeypatch, tmp_path):
    # each worker used to learn the first batches' words itself (the most common words of a run)
    from flagger.scale import parallel

    log = tmp_path / "batches.txt"
    real = parallel._worker_scan

    def spy(scanner, batch, learned=None):
        knows = any(raw.casefold() == "zorbulatex" for raw in scanner._norm_cache)
        _note(log, os.getpid(), batch[0].id, knows)
        return real(scanner, batch, learned)

    monkeypatch.setattr(parallel, "_worker_scan", spy)
    records = _records(40)
    records[0] = {"id": "r0", "text": "Zorbulatex shipped artillery shells to Russia."}   # a word of the first batch only
    parallel = _rows(scan_parallel(test_scanner, records, jobs=2, batch_size=5))    # (the parent learns nothing)
    assert parallel == _rows(test_scanner.scan_iter(records))
    seen = [line.split() for line in log.read_text().splitlines()]
    # batches of 5, the first two joined (r0-r9: the first worker learns them alone), the last two
    # (r35-r39 and "bad") cut in pieces of 2
    assert sorted(first for _pid, first, _knows in seen) == sorted(["r0", *(f"r{i}" for i in range(10, 35, 5)),
                                                                    "r35", "r37", "r39"])
    assert [(first, knows) for _pid, first, knows in seen if first == "r0"] == [("r0", "False")]
    assert all(knows == "True" for _pid, first, knows in seen if first != "r0")   # every later batch, in either worker
    assert len({pid for pid, _first, _knows in seen}) == 2


def _first_then_slowly(item: int, fork_rest) -> tuple[int, int]:
    _BUILT["first"] = item                  # what the first worker builds for the first item
    fork_rest()
    return _slowly(item)


def _slowly(item: int) -> tuple[int, int]:
    time.sleep(0.05)
    return item + _BUILT["first"], os.getpid()


_BUILT: dict[str, int] = {}


def test_fork_map_forks_the_other_workers_from_the_first_with_what_it_built():
    _BUILT.clear()
    got = list(fork_map(_slowly, range(100, 112), 2, first=_first_then_slowly))
    assert [(item, value) for item, (value, _pid) in got] == [(i, i + 100) for i in range(100, 112)]
    assert len({pid for _item, (_value, pid) in got}) == 2          # both workers took items
    assert _BUILT == {} and multiprocessing.active_children() == []


def _die_unless_first(item: int) -> tuple[int, int]:
    if os.getpid() != _BUILT["pid"]:
        os._exit(7)
    time.sleep(0.05)
    return item, 0


def _first_pid(item: int, fork_rest) -> tuple[int, int]:
    _BUILT["pid"] = os.getpid()
    return item, 0


def test_a_worker_forked_by_the_first_that_dies_is_reported_not_waited_for():
    _BUILT.clear()
    with pytest.raises(RuntimeError, match="a worker process died"):
        list(fork_map(_die_unless_first, range(20), 2, first=_first_pid))
    assert multiprocessing.active_children() == []


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")    # a zombie has stopped
    except FileNotFoundError:
        return False


def _slowly_then_fail(item: int) -> tuple[int, int]:
    if item == 130:
        raise ValueError("130")
    return _slowly(item)


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads process states from /proc")
@pytest.mark.parametrize("how", ["stop early", "error"])
def test_a_map_that_ends_early_leaves_no_worker_forked_by_the_first(how):
    _BUILT.clear()
    pids = set()
    results = fork_map(_slowly_then_fail if how == "error" else _slowly, range(100, 1000), 2, first=_first_then_slowly)
    with pytest.raises(ValueError, match="130") if how == "error" else contextlib.nullcontext():
        for _item, (_value, pid) in results:
            pids.add(pid)
            if how == "stop early" and len(pids) == 2:
                results.close()
                break
    assert len(pids) == 2                   # the worker forked by the first had taken items
    assert multiprocessing.active_children() == []
    deadline = time.monotonic() + 10
    while any(map(_running, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_running, pids))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")
def test_a_forked_worker_reads_entity_rows_after_the_parent_used_polars_threads():
    # a polars gather (frame[rows]) in a process forked after polars' thread pool started waits
    # for that pool forever: every --jobs worker hung in its first batch that way
    import polars as pl

    from flagger.engine.compile import EntityRows

    frame = pl.DataFrame({"entity_id": [f"e{i}" for i in range(50_000)], "name": [f"n{i % 977}" for i in range(50_000)]})
    frame.sort("name").group_by("name").len()           # the parent's thread pool is running now
    rows = EntityRows(frame)
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            rows.prefetch([7, 3, 49_999, 3])
            code = 0 if [rows[3]["entity_id"], rows[49_999]["name"]] == ["e3", f"n{49_999 % 977}"] else 2
        finally:
            os._exit(code)
    deadline = time.monotonic() + 60
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    if done[0] == 0:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail("the forked process waited for polars' thread pool")
    assert os.waitstatus_to_exitcode(done[1]) == 0


def _scanner(fixtures, **how):
    from flagger.api import Scanner

    return Scanner(rules=[fixtures / "rules" / "basic.yaml"], entities=[fixtures / "entities" / "small.csv"],
                   default_entities=False, **how)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")
def test_a_scanner_that_defers_its_index_scans_with_workers_and_the_parent_never_loads_it(test_scanner, fixtures):
    # `flagger scan --jobs N` (load_index=False): with the index in the cache, the parent forks the
    # first worker before reading and that worker loads it; the others inherit it from that one
    lazy = _scanner(fixtures, load_index=False)          # test_scanner put the same index in the cache
    assert not lazy.index_loaded
    assert [rule.id for rule in lazy.rules] == [rule.id for rule in test_scanner.rules]
    assert _rows(scan_parallel(lazy, _records(), jobs=2, batch_size=7)) == _rows(test_scanner.scan_iter(_records()))
    assert not lazy.index_loaded and multiprocessing.active_children() == []
    assert _rows(lazy.scan_iter(_records(5))) == _rows(test_scanner.scan_iter(_records(5)))   # loaded on first use
    assert lazy.index_loaded


def test_an_empty_input_is_scanned_without_forking_and_without_loading_the_index(fixtures, test_scanner,
                                                                                 monkeypatch):
    # with the index in the cache, `flagger scan --jobs 2` of an empty input made the first worker
    # load it for nothing (~0.3 s)
    from flagger.scale import parallel
    from flagger.sources.dedupe import Copies

    monkeypatch.setattr(parallel, "fork_map", lambda *a, **k: pytest.fail("forked for an empty input"))
    lazy = _scanner(fixtures, load_index=False)
    assert list(scan_parallel(lazy, [], jobs=2)) == []
    assert list(scan_parallel(lazy, iter(()), jobs=2, copies=Copies())) == []
    assert not lazy.index_loaded


def test_an_input_of_one_batch_is_scanned_in_this_process_as_one_process_scans_it(fixtures, test_scanner,
                                                                                   monkeypatch):
    # the first worker would scan it all alone: no fork (the index is loaded here, on first use)
    from flagger.scale import parallel

    monkeypatch.setattr(parallel, "fork_map", lambda *a, **k: pytest.fail("forked for one batch"))
    lazy = _scanner(fixtures, load_index=False)
    assert _rows(scan_parallel(lazy, _records(6), jobs=2, batch_size=7)) == _rows(test_scanner.scan_iter(_records(6)))
    assert lazy.index_loaded and multiprocessing.active_children() == []


def test_one_record_beyond_a_batch_is_more_than_one_batch_and_none_is_lost(monkeypatch):
    from flagger.scale import parallel

    def check(records, batch_size):
        got, more = parallel._more_than_one_batch(records, batch_size)
        assert [r.id for r in got] == [r.id for r in as_records(records)]
        return more

    assert check([], 3) is False
    assert check(_records(2), 3) is False                        # 3 records with "bad": one full batch
    assert check(_records(3), 3) is True                         # 4 records
    texts = [{"id": f"t{i}", "text": "x" * 40} for i in range(3)]
    monkeypatch.setattr(parallel, "BATCH_CHARS", 80)             # a batch also closes at this much text
    assert check(texts[:2], 10) is False and check(texts, 10) is True


def test_a_scanner_that_defers_its_index_loads_it_at_once_when_it_is_not_in_the_cache(test_scanner, fixtures,
                                                                                    monkeypatch, tmp_path):
    # compiling it later, in a forked worker, would need polars (the cache key), which hangs there
    from flagger.engine import cache

    monkeypatch.setattr(cache, "index_path", lambda packs, entities: tmp_path / "index-not-there.pickle")
    assert _scanner(fixtures, load_index=False).index_loaded
    monkeypatch.setattr(cache, "index_path", lambda packs, entities: None)     # the cache is off
    assert _scanner(fixtures, load_index=False).index_loaded


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")
def test_a_deferred_index_gone_from_the_cache_is_compiled_in_the_worker_after_the_parent_used_polars_threads(
        test_scanner, fixtures, monkeypatch, tmp_path):
    import shutil

    import polars as pl

    from flagger.engine import cache

    stored = tmp_path / "index-copy.pickle"
    shutil.copy(test_scanner.compiled.cache_file, stored)
    monkeypatch.setattr(cache, "index_path", lambda packs, entities: stored)
    lazy = _scanner(fixtures, load_index=False)
    assert not lazy.index_loaded
    stored.unlink()                                      # gone before the worker loads it
    frame = pl.DataFrame({"k": [i % 97 for i in range(50_000)]})
    frame.sort("k").group_by("k").len()                  # the parent's thread pool is running now
    done: list = []
    scan = threading.Thread(target=lambda: done.append(_rows(scan_parallel(lazy, _records(), jobs=2, batch_size=7))),
                            daemon=True)
    scan.start()
    scan.join(120)
    assert done == [_rows(test_scanner.scan_iter(_records()))], "the worker hung or failed compiling the index"
    assert stored.exists() and not lazy.index_loaded     # compiled there (and stored again), not here


def _prepare() -> None:
    _BUILT["prepared"] = os.getpid()


def _prepared(item: int) -> tuple[int, int]:
    time.sleep(0.02)
    return _BUILT["prepared"], os.getpid()


def _prepared_first(item: int, fork_rest) -> tuple[int, int]:
    return _prepared(item)


def _prepare_fails() -> None:
    raise ValueError("no index to load")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")
def test_fork_map_prepare_runs_in_the_first_worker_and_the_others_inherit_what_it_built():
    _BUILT.clear()
    got = [value for _item, value in fork_map(_prepared, range(12), 2, first=_prepared_first, prepare=_prepare)]
    first_pid = got[0][1]
    assert {prepared for prepared, _pid in got} == {first_pid}     # built once, by the first worker
    assert len({pid for _prepared, pid in got}) == 2
    assert _BUILT == {} and multiprocessing.active_children() == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")
def test_an_exception_in_prepare_is_raised_as_the_first_items_and_no_worker_is_left():
    with pytest.raises(ValueError, match="no index to load"):
        list(fork_map(_prepared, range(12), 2, first=_prepared_first, prepare=_prepare_fails))
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("grouped", [False, True])
def test_the_last_batches_go_out_in_pieces_and_every_record_once_in_order(grouped):
    # the workers' last batches end closer together, and the parent has little left to write then
    from flagger.scale.parallel import _Batches
    from flagger.sources.dedupe import Copies

    records = [{"id": f"r{i}", "text": f"Story number {i} about {TEXTS[i % len(TEXTS)]}"} for i in range(61)]
    batches = list(_Batches(records, 10, Copies() if grouped else None, ahead=4, last=2))
    assert [len(b) for b in batches] == [10, 10, 10, 10, 10, 3, 3, 3, 2]
    assert [r.id for b in batches for r in b] == [f"r{i}" for i in range(61)]
    small = list(_Batches(records[:30], 10, Copies() if grouped else None, ahead=4, last=2))
    assert [len(b) for b in small] == [10, 10, 10]          # an input of last + 1 batches is left whole


def test_tapered_batches_give_the_serial_rows(test_scanner):
    from flagger.sources.dedupe import Copies

    records = _records(40) + [{"id": "copy", "text": TEXTS[0] + " Item 0: armamants, amunition."}]
    serial = Copies()
    want = _rows(serial.rows(test_scanner.scan_iter(serial.records(as_records(records)))))
    copies = Copies()
    assert _rows(scan_parallel(test_scanner, as_records(records), jobs=2, batch_size=6, copies=copies)) == want
    assert copies.folded == serial.folded == 1


def _stories(n: int) -> list[dict]:
    return [{"id": f"r{i}", "text": f"Story number {i} about {TEXTS[i % len(TEXTS)]}"} for i in range(n)]


def test_while_the_parent_waits_it_reads_and_groups_at_most_one_chunk_ahead():
    from flagger.scale.parallel import _Batches
    from flagger.sources.dedupe import Copies

    batches = _Batches(_stories(100), 5, Copies(chunk=20), ahead=2, last=0)
    cut = iter(batches)
    assert [r.id for r in next(cut)] == [f"r{i}" for i in range(5)]        # the first chunk's first batch
    batches.solo_ended()
    while batches.read_ahead():
        pass
    assert len(batches.ready) == 3 and batches.fate and not batches.chunk  # the rest of chunk 1, grouped
    assert not batches.read_ahead()                                         # no further while those wait
    rest = [r.id for b in cut for r in b]
    assert rest == [f"r{i}" for i in range(5, 100)]                         # every record once, in order


def test_while_the_first_worker_is_alone_the_parent_reads_and_groups_one_chunk_more():
    # the others are not forked yet: a core would idle while the parent waits with its chunk read
    from flagger.scale.parallel import _Batches
    from flagger.sources.dedupe import Copies

    batches = _Batches(_stories(100), 5, Copies(chunk=20), ahead=2, last=0)
    cut = iter(batches)
    next(cut)
    while batches.read_ahead():
        pass
    assert len(batches.ready) == 3 + 4 and not batches.chunk                # chunks 1 and 2, grouped
    assert not batches.read_ahead()                                         # no third one
    batches.solo_ended()
    assert not batches.read_ahead()
    assert [r.id for b in cut for r in b] == [f"r{i}" for i in range(5, 100)]


def _counted() -> bool:
    _BUILT["idle"] = _BUILT.get("idle", 0) + 1
    return _BUILT["idle"] < 1000                                            # work ahead, then none left


def test_fork_map_calls_idle_while_a_result_is_awaited_and_still_gives_every_result_in_order():
    _BUILT.clear()
    got = list(fork_map(_slowly, range(100, 108), 2, first=_first_then_slowly, idle=_counted))
    assert [(item, value) for item, (value, _pid) in got] == [(i, i + 100) for i in range(100, 108)]
    assert _BUILT["idle"] >= 1000 and multiprocessing.active_children() == []     # all its work done, here
