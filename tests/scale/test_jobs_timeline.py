"""benchmarks/jobs_timeline.py: how it tells the idle cores of a --jobs run apart."""

import os
import subprocess
import sys

import pytest

PARENT, W1, W2 = "100", "200", "300"


def _write(path, lines):
    path.write_text("".join(f"{line}\n" for line in lines))
    return path


@pytest.fixture
def timeline(load_benchmark):
    return load_benchmark("jobs_timeline")


def _run(tmp_path):
    """A fork at 0.0; w1 scans 0.0-0.65; the parent waits 0.5-0.65 for its result, then sleeps
    without waiting for one; w2 appears at 0.7 (samples every 0.1 s)."""
    events = [line.split() for line in [
        f"0.000 0.5 {PARENT} fork", f"0.000 0.0 {W1} batch_start 2000", f"0.650 0.7 {W1} batch_end 2000 10",
        f"0.650 0.6 {PARENT} waited 0.1500", f"0.650 0.0 {W2} batch_start 1000",
        f"1.000 0.8 {W2} batch_end 1000 5", f"1.000 0.9 {PARENT} end"]]
    samples = []
    for k in range(11):
        t = k / 10
        parent = "S0" if 0.5 <= t < 1.0 else "R1"
        samples.append(f"{t:.4f} {PARENT} {parent} {k}")
        samples.append(f"{t:.4f} {W1} {'R1' if t < 0.7 else 'S0'} {k}")
        if t >= 0.7:
            samples.append(f"{t:.4f} {W2} R1 {k}")
    return events, _write(tmp_path / "samples", samples)


def test_idle_cores_are_charged_to_what_the_processes_not_runnable_were_doing(timeline, tmp_path, capsys):
    events, samples = _run(tmp_path)
    timeline._causes(events, samples, PARENT, [W1, W2], fork=0.0, end=1.0, ncores=2)
    out = capsys.readouterr().out
    assert "left idle after the fork, 0.50 core-s" in out
    assert "0.20  parent waits for a result, w2 not forked yet" in out      # 0.5 and 0.6
    assert "0.30  parent S not waiting, w1 between batches" in out          # 0.7, 0.8, 0.9


def test_a_worker_gone_at_the_end_is_exited_not_unforked(timeline, tmp_path, capsys):
    events, samples = _run(tmp_path)
    lines = [line for line in samples.read_text().splitlines() if not line.startswith("0.9000 200")]
    timeline._causes(events, _write(samples, lines), PARENT, [W1, W2], fork=0.0, end=1.0, ncores=2)
    assert "parent S not waiting, w1 exited" in capsys.readouterr().out


def test_runnable_threads_count_whoever_holds_the_main_thread(timeline, tmp_path, capsys):
    # a worker whose main thread waits for its own threads (polars, numpy) is at work, not idle
    events, samples = _run(tmp_path)
    lines = [line.replace(f" {W1} S0 ", f" {W1} R2 ") for line in samples.read_text().splitlines()]
    timeline._causes(events, _write(samples, lines), PARENT, [W1, W2], fork=0.0, end=1.0, ncores=2)
    out = capsys.readouterr().out
    assert "left idle after the fork, 0.20 core-s" in out and "w1" not in out


def test_the_sampled_tree_is_the_process_and_what_it_forked(timeline):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert {os.getpid(), child.pid} <= set(timeline._descendants(os.getpid()))
    finally:
        child.kill()
        child.wait()


def test_page_faults_are_split_by_process_and_phase(timeline, tmp_path, capsys):
    """The first worker (the one whose words-learned hook ran) and the others apart; what no batch
    logged in the workers (packing, waiting) is their getrusage total less the batches'."""
    log = _write(tmp_path / "timeline", [
        f"0.000 0.5 {PARENT} fork",
        f"0.100 0.0 {W1} faults before_first 27000", f"0.100 0.0 {W1} batch_start 2000",
        f"0.400 0.3 {W1} faults first_learn 31000", f"0.450 0.0 {W2} faults before_first 600",
        f"0.450 0.0 {W2} batch_start 1000", f"0.700 0.6 {W1} batch_end 2000 10", f"0.700 0.6 {W1} faults first 19000",
        f"0.900 0.3 {W2} batch_end 1000 5", f"0.900 0.3 {W2} faults first 27000",
        f"1.000 0.8 {W2} batch_start 1000", f"1.200 0.9 {W2} batch_end 1000 5", f"1.200 0.9 {W2} faults later 3000",
        f"1.300 0.9 {PARENT} end"])
    timeline.faults_by_phase(log, 122000, timeline.Counter({"before the fork": 24000, "group": 69000}), 110000)
    out = capsys.readouterr().out
    assert ("parent: before the fork 24,000, group 69,000, other 29,000; first worker: before its first batch 27,000, "
            "first batch to its words learned 31,000, rest of the first batch (the others forked) 19,000; other workers: "
            "before their first batch 600, first batch 27,000, later batches 3,000; workers outside batches "
            "(packing, waiting, exiting) 2,400") in out


def test_no_page_fault_split_for_a_run_that_did_not_fork(timeline, tmp_path, capsys):
    log = _write(tmp_path / "timeline", [f"0.100 0.0 {PARENT} batch_start 1000", f"0.500 0.4 {PARENT} end"])
    timeline.faults_by_phase(log, 130000, timeline.Counter(), 0)
    assert capsys.readouterr().out == ""
