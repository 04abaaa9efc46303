"""Issue 17 (minor): two runs writing the same -o or --state never lose one run's output.

Before: both ran; the state saved last silently dropped what the other run had marked seen."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from filelock import FileLock

from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--no-default-entities", "--no-config"]


def scan(*args):
    return CliRunner().invoke(main, ["scan", *BASE, *args], catch_exceptions=False)


def test_a_second_run_on_the_same_state_or_report_stops_with_exit_2(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Fair\n\nFarmers showed pumpkins.\n")
    state, out = tmp_path / "state.json", tmp_path / "r.csv"
    with FileLock(str(tmp_path / ".state.json.lock")):          # another run holds the state
        res = scan(str(article), "--state", str(state), "-o", str(out))
        assert res.exit_code == 2
        assert f"{state} is being written by another flagger run" in res.stderr
        assert not state.exists() and not out.exists()
    with FileLock(str(tmp_path / ".r.csv.lock")):                # another run writes the report
        res = scan(str(article), "-o", str(out))
        assert res.exit_code == 2 and f"{out} is being written by another flagger run" in res.stderr
    res = scan(str(article), "--state", str(state), "-o", str(out))
    assert res.exit_code == 0 and state.exists() and out.exists()  # the locks were released
    assert scan(str(article), "--state", str(state), "-o", str(out)).exit_code == 0


def test_a_temporary_file_left_by_a_killed_run_is_removed_by_the_next_run(tmp_path):
    """Issue 17 (minor): kill -9 left `.report.csv.*.tmp` files behind for good."""
    article = tmp_path / "a.txt"
    article.write_text("Fair\n\nFarmers showed pumpkins.\n")
    stale = tmp_path / ".r.csv.k3j9x2.tmp"
    stale.write_text("id,source\nhalf-written")
    other = tmp_path / ".notes.txt.abc.tmp"                      # not this report's: left alone
    other.write_text("x")
    assert scan(str(article), "-o", str(tmp_path / "r.csv")).exit_code == 0
    assert not stale.exists() and other.exists()
