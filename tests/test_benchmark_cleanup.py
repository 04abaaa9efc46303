"""benchmarks/throughput.py removes the work directories of its own run when it ends (each held
a flagger snapshot, reports, hits files and a compile cache: 40-140 MB), unless --keep, which
says where they are; directories it did not make are never touched."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pytest


@pytest.fixture
def throughput(tmp_path, monkeypatch, load_benchmark):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return load_benchmark("throughput")


def _run_dirs(throughput, keep, monkeypatch):
    monkeypatch.delenv("FLAGGER_CACHE_DIR", raising=False)
    args = argparse.Namespace(keep=keep, scratch=[])
    work = Path(throughput._scratch(args, "flagger-bench-"))
    (work / "report.csv").write_text("article_id,score\n", encoding="utf-8")
    throughput._scratch_cache_dir(args)
    cache = Path(throughput.os.environ["FLAGGER_CACHE_DIR"])
    (cache / "index-x.pickle").write_bytes(b"index")
    throughput._clean_up(args)
    return work, cache


def test_run_removes_its_work_directories(throughput, tmp_path, monkeypatch):
    earlier = tmp_path / "flagger-bench-earlier"           # another run's, or the lead's
    earlier.mkdir()
    work, cache = _run_dirs(throughput, False, monkeypatch)
    assert not work.exists() and not cache.exists()
    assert earlier.exists()


def test_keep_leaves_them_and_says_where(throughput, monkeypatch, capsys):
    work, cache = _run_dirs(throughput, True, monkeypatch)
    assert (work / "report.csv").exists() and (cache / "index-x.pickle").exists()
    err = capsys.readouterr().err
    assert f"# kept: {work}" in err and f"# kept: {cache}" in err


def test_callers_cache_directory_is_used_and_kept(throughput, tmp_path, monkeypatch):
    mine = tmp_path / "my-cache"
    monkeypatch.setenv("FLAGGER_CACHE_DIR", str(mine))
    args = argparse.Namespace(keep=False, scratch=[])
    throughput._scratch_cache_dir(args)
    assert args.scratch == []
    assert throughput.os.environ["FLAGGER_CACHE_DIR"] == str(mine)
