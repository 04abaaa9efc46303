"""Issue 17, case 7: no input or output problem crashes or hangs a scan.

Before: a lone surrogate in a JSONL field exited 4 with no report (and with --state every later
run crashed the same way); a FIFO inside a scanned folder hung the scan; a disk-full or read-only
output was "internal error ... bug" (exit 4)."""

from __future__ import annotations

import csv
import errno
import os
from pathlib import Path

from click.testing import CliRunner

from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
SURROGATE = FIXTURES / "hostile" / "structured" / "lone_surrogate.jsonl"
BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config"]


def scan(*args):
    return CliRunner().invoke(main, ["scan", *BASE, *args], catch_exceptions=False)


def test_a_lone_surrogate_is_that_records_error_row_and_state_survives(tmp_path):
    out, state = tmp_path / "r.csv", tmp_path / "state.json"
    for _ in range(2):                                     # the second run reads the state the first saved
        res = scan(str(SURROGATE), "-o", str(out), "--state", str(state), "--allow-errors")
        assert res.exit_code == 0, res.stderr
    res = scan(str(SURROGATE), "-o", str(out))
    assert res.exit_code == 3
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [r["id"] for r in rows] == ["surrogate-ok-1", f"{SURROGATE}:2", "surrogate-in-text", "surrogate-ok-2"]
    assert f"{SURROGATE}:2: field 'id' holds a lone UTF-16 surrogate" in rows[1]["error"]
    assert f"{SURROGATE}:3: field 'text' holds a lone UTF-16 surrogate" in rows[2]["error"]


def test_a_fifo_inside_a_scanned_folder_is_an_error_row_and_never_opened(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Fair\n\nFarmers showed pumpkins at the fair.\n")
    os.mkfifo(folder / "pipe.txt")                         # opening it would block for ever
    res = scan(str(folder), "-f", "csv")
    assert res.exit_code == 3
    rows = list(csv.DictReader(res.stdout.splitlines()))
    assert [r["id"] for r in rows] == [str(folder / "a.txt"), str(folder / "pipe.txt")]
    assert "not a regular file (a FIFO or device in a folder is never opened)" in rows[1]["error"]


def test_an_output_that_cannot_be_written_is_a_clear_error_naming_it(tmp_path):
    (tmp_path / "a.txt").write_text("Fair\n\nFarmers showed pumpkins at the fair.\n")
    blocker = tmp_path / "reports"
    blocker.write_text("a file where a folder should be\n")
    for out in (blocker / "r.csv", blocker / "r.json"):      # streamed and whole-report writers
        res = scan(str(tmp_path / "a.txt"), "-o", str(out))
        assert res.exit_code == 2
        assert f"cannot write {out}" in res.stderr and "internal error" not in res.stderr


def test_a_full_disk_is_a_clear_error_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    import flagger.output

    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(flagger.output.os, "replace", full)   # the last step of every report write
    (tmp_path / "a.txt").write_text("Fair\n\nFarmers showed pumpkins at the fair.\n")
    out = tmp_path / "r.json"
    res = scan(str(tmp_path / "a.txt"), "-o", str(out))
    assert res.exit_code == 2
    assert f"cannot write {out}: no space left on the device" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
