"""benchmarks/throughput.py takes every ratio it reports for `--jobs` and the names sweep from two
whole-process runs timed back to back, in alternating order, because this machine's speed drifts
by a third within minutes: the order of the chain of runs, the ratios of its adjacent pairs, the
input cut by lines for N one-process scans at once, and the names sweep's ABBA rounds."""

from __future__ import annotations

import sys
from collections import Counter

import pytest


@pytest.fixture
def throughput(load_benchmark):
    return load_benchmark("throughput")


def test_chain_of_three_puts_every_two_kinds_next_to_each_other_equally_in_both_orders(throughput):
    order = throughput.chain_order(["one", "jobs", "parts"], 6)
    assert order[:7] == ["one", "jobs", "parts", "one", "parts", "jobs", "one"]
    assert len(order) == 19 and order[-1] == "one"
    adjacent = Counter(zip(order, order[1:], strict=False))
    assert all(a != b for a, b in adjacent)
    assert adjacent == {(a, b): 3 for a in ("one", "jobs", "parts") for b in ("one", "jobs", "parts") if a != b}


def test_chain_of_two_alternates(throughput):
    assert throughput.chain_order(["a", "b"], 5) == ["a", "b", "a", "b", "a", "b"]


@pytest.mark.parametrize(("kinds", "pairs", "message"), [
    (["one"], 3, "two or three"),
    (["a", "b", "c", "d"], 3, "two or three"),
    (["a", "a"], 3, "two or three different"),
    (["a", "b"], 0, "at least 1"),
])
def test_chains_that_cannot_pair_every_two_kinds_are_refused(throughput, kinds, pairs, message):
    with pytest.raises(ValueError, match=message):
        throughput.chain_order(kinds, pairs)


def test_ratios_come_from_adjacent_runs_only_and_say_which_ran_first(throughput):
    chain = [("one", 20.0), ("jobs", 10.0), ("parts", 8.0), ("one", 16.0), ("parts", 10.0), ("jobs", 12.5),
             ("one", 25.0)]
    # one→jobs 20/10, jobs→one 25/12.5: never the one run of 16 s with the jobs run of 10 s
    assert throughput.adjacent_ratios(chain, "jobs", "one") == [(2.0, True), (2.0, False)]
    assert throughput.adjacent_ratios(chain, "parts", "one") == [(2.0, False), (1.6, True)]
    assert throughput.adjacent_ratios(chain, "jobs", "parts") == [(0.8, False), (0.8, True)]


def test_input_is_cut_by_lines_into_consecutive_parts_losing_nothing(throughput, tmp_path):
    src = tmp_path / "articles.jsonl"
    lines = [f'{{"id": "a{i}", "text": "Text {i} é"}}\n' for i in range(7)]
    src.write_text("".join(lines)[:-1], encoding="utf-8")        # the last line without its newline
    parts = throughput.split_lines(src, 3, tmp_path)
    assert [p.name for p in parts] == ["part-1.jsonl", "part-2.jsonl", "part-3.jsonl"]
    texts = [p.read_text(encoding="utf-8") for p in parts]
    assert [t.count("\n") for t in texts] == [2, 2, 3]
    assert "".join(texts) == "".join(lines)


def test_input_with_fewer_lines_than_parts_stops_naming_the_file(throughput, tmp_path):
    src = tmp_path / "one.jsonl"
    src.write_text('{"id": "a", "text": "x"}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"one\.jsonl: 1 lines cannot be cut into 2 parts"):
        throughput.split_lines(src, 2, tmp_path)


def test_processes_started_together_report_each_end_and_the_last(throughput, tmp_path):
    out = throughput._run_together([[sys.executable, "-c", "pass"], [sys.executable, "-c", "pass"]],
                                   {}, tmp_path)
    assert len(out["each_s"]) == 2 and out["seconds"] == max(out["each_s"])
    assert out["cpu_s"] > 0 and out["rss_mb"] > 0


def test_a_failing_process_among_those_started_together_stops_the_run_with_its_error(throughput, tmp_path):
    fail = [sys.executable, "-c", "import sys; sys.exit('part 2 could not read its input')"]
    with pytest.raises(SystemExit, match="exited 1:\n.*part 2 could not read its input"):
        throughput._run_together([[sys.executable, "-c", "pass"], fail], {}, tmp_path)


def _sizes(names, cpus, positions):
    return {"meta": {"names": names}, "positions": positions,
            "flagger": [{"cpu": c, "seconds": c + 0.5} for c in cpus]}


def test_names_figure_is_one_ratio_per_abba_round(throughput):
    mid = _sizes(46_496, [2.0, 2.5, 2.0, 3.0], [1, 2, 1, 2])
    large = _sizes(184_991, [3.0, 3.0, 2.4, 3.9], [2, 1, 2, 1])
    lines = throughput._names_pair_lines(mid, large)
    assert lines[1] == "  round 1 (46,496 first): 2.00 -> 3.00 CPU s = 1.50 ×; 2.50 -> 3.50 s = 1.40 ×"
    assert lines[2].startswith("  round 2 (184,991 first): 2.50 -> 3.00 CPU s = 1.20 ×")
    assert lines[-1].startswith("46,496 -> 184,991 names: 1.25 (1.20–1.50) × the CPU time (target ≤ 1.5)")
    assert "4 rounds; CPU ratio with the 46,496 first 1.35 (1.20–1.50), with the 184,991 first 1.25 (1.20–1.30)" \
        in lines[-1]


def test_callgrind_count_is_read_from_the_totals_line(throughput, tmp_path):
    out = tmp_path / "cg.123"
    out.write_text("# callgrind format\nversion: 1\nevents: Ir\nsummary: 6871\nfl=(1) x.c\nfn=(1) f\n3 6871\n\n"
                   "totals: 6871\n", encoding="utf-8")
    assert throughput._callgrind_total(out) == 6871


def test_a_callgrind_file_without_totals_stops_the_run_naming_it(throughput, tmp_path):
    out = tmp_path / "cg.124"
    out.write_text("# callgrind format\nversion: 1\nevents: Ir\nfl=(1) x.c\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"cg\.124: no totals line"):
        throughput._callgrind_total(out)
