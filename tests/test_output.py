"""Reports are written atomically and end up as ordinary files."""

from __future__ import annotations

import os

import pytest

from flagger.output import atomic_text_writer


def test_written_file_has_the_umask_mode_not_0600(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_text_writer(str(tmp_path / "r.csv")) as f:
            f.write("id\n")
    finally:
        os.umask(old)
    assert (tmp_path / "r.csv").stat().st_mode & 0o777 == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "r.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_text_writer(str(target)) as f:
        f.write("half")
        raise RuntimeError("crash")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]
