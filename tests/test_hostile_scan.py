"""The scan as a whole under hostile input: nothing lost, never fail open, same bytes every run.

* every input record appears exactly once in the report (count in = count out), scanned or with
  its error, in every report format;
* any input error exits 3 unless --allow-errors; an internal failure on one article is that
  article's error row, not a crash;
* a crash or SIGTERM mid-scan leaves no report file (temp file + rename), and an old report at
  the same path is left untouched;
* the same input and rules give byte-identical reports whatever the hash seed;
* zero-width characters and soft hyphens do not hide a name; Hangul/Cyrillic/Arabic scan;
  pathological tokens and long articles stay linear.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from flagger.cli import main

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
FIXTURES = Path(__file__).parent / "fixtures"
BASE = ["scan", "--no-config", "--rules", str(FIXTURES / "rules" / "basic.yaml"), "--no-default-entities",
        "--entities", str(FIXTURES / "entities" / "small.csv")]
COPY = "Reuters: North Korea shipped artillery shells to Russia by rail, officials said on Monday.\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A mixed corpus of good and hostile inputs, and how many records each should give."""
    root = tmp_path_factory.mktemp("corpus")
    expected: dict[str, int] = {}
    for sub in ("text", "structured"):
        for f in sorted((HOSTILE / sub).iterdir()):
            shutil.copy(f, root / f.name)
    for name in os.listdir(root):
        expected[name] = 1
    expected.update({"malformed.jsonl": 11, "ragged.csv": 5, "lone_surrogate.jsonl": 4})
    pl.DataFrame({"id": [1, 2, 3], "text": [10, 20, 30]}).write_parquet(root / "wrong_types.parquet")
    pl.DataFrame({"id": ["a"], "body": ["x"]}).write_parquet(root / "missing_text.parquet")
    pl.DataFrame({"id": ["pq1", "pq2"], "text": ["KOMID sold ammunition.", "Nothing."]}).write_parquet(
        root / "good.parquet")
    expected.update({"wrong_types.parquet": 3, "missing_text.parquet": 1, "good.parquet": 2})
    with (root / "big_line.jsonl").open("wb") as f:
        f.write(b'{"id": "before", "text": "North Korea ammunition"}\n{"id": "huge", "text": "')
        f.write(b"A" * (11 * 1024 * 1024))
        f.write(b'"}\n{"id": "after", "text": "fine"}\n')
    expected["big_line.jsonl"] = 3
    (root / "loop.txt").symlink_to(root / "loop.txt")
    expected["loop.txt"] = 1
    sub = root / "sub"
    sub.mkdir()
    (sub / "copy1.txt").write_text(COPY, encoding="utf-8")
    (sub / "copy2.txt").write_text(COPY, encoding="utf-8")
    expected["sub/copy1.txt"] = expected["sub/copy2.txt"] = 1
    missing = str(root.parent / "does-not-exist.jsonl")
    return root, missing, sum(expected.values()) + 1     # + the missing path


def _run(*args):
    return CliRunner().invoke(main, [*BASE, *args], catch_exceptions=False)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json", "markdown"])
def test_count_in_equals_count_out_and_errors_exit_3(corpus, tmp_path, fmt):
    root, missing, n_in = corpus
    out = tmp_path / f"report.{fmt}"
    res = _run(str(root), missing, "-f", fmt, "-o", str(out), "--no-dedupe")
    assert res.exit_code == 3, res.output
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    elif fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    elif fmt == "json":
        rows = json.loads(out.read_text(encoding="utf-8"))["articles"]
    else:
        text = out.read_text(encoding="utf-8")
        assert f"{n_in} articles" in text
        return
    assert len(rows) == n_in
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids), "an input appears twice"
    errors = [r for r in rows if r["error"]]
    assert all(r["level"] == "" for r in errors)
    assert any(missing in r["error"] for r in errors)
    assert any("symlink loop" in r["error"] for r in errors)
    assert any("article limit" in r["error"] for r in errors)
    by_id = {r["id"]: r for r in rows}
    assert by_id["before"]["level"] in ("low", "medium", "high", "critical") or by_id["before"]["error"] == ""
    assert not by_id["after"]["error"]


def test_syndicated_copies_are_folded_but_still_accounted_for(corpus, tmp_path):
    root, missing, n_in = corpus
    out = tmp_path / "r.json"
    res = _run(str(root), missing, "-o", str(out))
    assert res.exit_code == 3
    arts = json.loads(out.read_text(encoding="utf-8"))["articles"]
    folded = sum(len(a.get("duplicates") or []) for a in arts)
    copies = [a for a in arts if a["duplicate_of"]]
    assert folded >= 1 and len(copies) == folded and len(arts) == n_in     # every copy keeps its row


def test_allow_errors_is_the_only_way_to_exit_0_with_bad_inputs(corpus, tmp_path):
    root, missing, _ = corpus
    res = _run(str(root), missing, "-f", "csv", "-o", str(tmp_path / "r.csv"), "--allow-errors")
    assert res.exit_code == 0           # no gate given: findings alone never fail the run
    res = _run(str(HOSTILE / "text" / "empty.txt"), "-f", "csv", "-o", str(tmp_path / "e.csv"))
    assert res.exit_code == 3
    res = _run(str(HOSTILE / "text" / "empty.txt"), "-f", "csv", "-o", str(tmp_path / "e.csv"), "--fail-on", "low")
    assert res.exit_code == 3           # an unreadable input wins over a clean gate


def test_an_internal_failure_on_one_article_is_its_error_row(tmp_path, scan_fails_on):
    scan_fails_on("boom")
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "ok", "text": "North Korea sold artillery shells."}\n'
                   '{"id": "boom", "text": "anything"}\n{"id": "ok2", "text": "calm"}\n', encoding="utf-8")
    out = tmp_path / "r.csv"
    res = _run(str(src), "-o", str(out))
    assert res.exit_code == 3
    rows = {r["id"]: r for r in csv.DictReader(out.open(encoding="utf-8", newline=""))}
    assert list(rows) == ["ok", "boom", "ok2"]
    assert "internal error while scanning (ValueError: matcher exploded" in rows["boom"]["error"]
    assert rows["ok"]["level"] not in ("", "none")


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_a_crash_mid_scan_leaves_the_old_report_and_no_temp_files(tmp_path, monkeypatch, fmt):
    from flagger.api import Scanner

    real = Scanner.scan_iter

    def crashing(self, records):
        for i, r in enumerate(real(self, records)):
            if i == 2:
                raise KeyboardInterrupt
            yield r

    monkeypatch.setattr(Scanner, "scan_iter", crashing)
    out, hits = tmp_path / f"r.{fmt}", tmp_path / "h.csv"
    out.write_text("OLD REPORT\n", encoding="utf-8")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"a{i}", "text": f"Story {i}: North Korea ammunition"}) + "\n"
                           for i in range(5)), encoding="utf-8")
    res = CliRunner().invoke(main, [*BASE, str(src), "-f", fmt, "-o", str(out), "--hits", str(hits), "--no-dedupe"])
    assert res.exit_code != 0 and isinstance(res.exception, (KeyboardInterrupt, SystemExit))
    assert out.read_text(encoding="utf-8") == "OLD REPORT\n"
    assert not hits.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", f"r.{fmt}"]


def _flagger_cmd() -> list[str]:
    return [sys.executable, "-c", "import sys; from flagger.cli import main; sys.exit(main())"]


def test_sigterm_mid_scan_leaves_no_report(tmp_path):
    src = tmp_path / "in.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for i in range(20_000):
            f.write(json.dumps({"id": f"a{i}", "text": f"Article {i}: North Korea sold ammunition. " * 20}) + "\n")
    out = tmp_path / "out" / "r.csv"
    out.parent.mkdir()
    proc = subprocess.Popen([*_flagger_cmd(), *BASE, str(src), "-o", str(out), "--no-dedupe"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and not any(out.parent.iterdir()):
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.1)
        assert any(out.parent.iterdir()), "the scan never started writing"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143
    assert list(out.parent.iterdir()) == []


def _scan_bytes(tmp_path: Path, seed: str) -> dict[str, bytes]:
    """Run the scan twice (streamed csv + hits; collected json + jsonl + markdown) at the same
    paths and cwd, and return every report's bytes."""
    names = {"csv": "r.csv", "hits": "h.csv", "json": "r.json", "jsonl": "r.jsonl", "md": "r.md"}
    env = {**os.environ, "PYTHONHASHSEED": seed}
    inputs = [str(FIXTURES / "articles"), str(HOSTILE / "text"), str(HOSTILE / "structured")]
    # Default (bundled) rules and entity list: the widest matcher surface.
    common = [*_flagger_cmd(), "scan", "--no-config", *inputs, "--allow-errors", "-q"]
    subprocess.run([*common, "-o", "r.csv", "--hits", "h.csv"], env=env, cwd=tmp_path, check=True)
    subprocess.run([*common, "-o", "r.json", "--report", "r.jsonl", "--report", "r.md"], env=env, cwd=tmp_path,
                   check=True)
    got = {k: (tmp_path / name).read_bytes() for k, name in names.items()}
    doc = json.loads(got["json"])
    for volatile in ("started", "duration_seconds"):   # provenance records when and how long
        doc["provenance"].pop(volatile, None)
    got["json"] = json.dumps(doc, sort_keys=True).encode()
    return got


def test_same_input_and_rules_give_byte_identical_reports(tmp_path):
    first = _scan_bytes(tmp_path, "1")
    second = _scan_bytes(tmp_path, "4242")
    for key in first:
        assert first[key] == second[key], f"{key} report differs between runs"
    rows = list(csv.DictReader(first["csv"].decode().splitlines()))
    assert any(r["level"] not in ("", "none") for r in rows), "the corpus should produce findings"
    for r in rows:        # floats are formatted the same way everywhere
        assert r["score"] == "" or r["score"] == f"{float(r['score']):.1f}" or r["score"] == f"{float(r['score']):.2f}"


# -- what the matcher sees ---------------------------------------------------------------------------

def test_zero_width_characters_do_not_hide_names(test_scanner):
    text = (HOSTILE / "text" / "zero_width_names.txt").read_text(encoding="utf-8")
    result = test_scanner.scan_text(text)
    found = {e.entity_id for e in result.entities}
    assert {"T:kju", "T:komid"} <= found
    for h in result.hits:
        assert text[h.start:h.end] == h.matched_text
    assert "test.arms" in result.rules


def test_mixed_scripts_scan_and_match(test_scanner):
    text = (HOSTILE / "text" / "mixed_scripts.txt").read_text(encoding="utf-8")
    result = test_scanner.scan_text(text)
    assert not result.record.error
    assert {"T:kju", "T:putin"} <= {e.entity_id for e in result.entities}
    assert "test.arms" in result.rules
    for h in result.hits:
        assert text[h.start:h.end] == h.matched_text


@pytest.mark.parametrize("token", ["A" * 1_000_000, "Ä" * 1_000_000, "\u200b" * 100_000 + "x", "ab" * 500_000])
def test_pathological_tokens_stay_fast(test_scanner, token):
    text = f"North Korea sold ammunition {token} and artillery shells."
    t0 = time.perf_counter()
    result = test_scanner.scan_text(text)
    assert time.perf_counter() - t0 < 20
    assert "test.arms" in result.rules
    for h in result.hits:
        assert text[h.start:h.end] == h.matched_text


def test_an_article_with_thousands_of_hits_stays_linear(test_scanner):
    small = "North Korea sold artillery shells to KOMID. \n" * 1000
    t0 = time.perf_counter()
    test_scanner.scan_text(small)
    t_small = time.perf_counter() - t0
    big = small * 8
    t0 = time.perf_counter()
    result = test_scanner.scan_text(big)
    t_big = time.perf_counter() - t0
    assert len(result.hits) > 8_000
    assert t_big < max(60.0, 20 * t_small), f"{t_small:.1f}s for 1x, {t_big:.1f}s for 8x"
    last = result.hits[-1]
    assert last.line == big.count("\n", 0, last.start) + 1


@pytest.mark.parametrize("option", ["-o", "--hits"])
def test_a_directory_where_a_report_file_is_expected_is_a_usage_error(tmp_path, option):
    res = CliRunner().invoke(main, [*BASE, str(FIXTURES / "articles" / "arms.txt"), option, str(tmp_path)])
    assert res.exit_code == 2 and "directory" in res.output
