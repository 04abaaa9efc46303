"""The console script's process keeps the memory it frees (glibc's malloc, through mallopt): a scan
reuses each batch's freed buffers instead of faulting fresh zeroed pages in again, in the process
and in the `--jobs` workers it forks. Elsewhere (another C library, a library user's process, a
test's CliRunner) the allocator is left alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger import cli
from flagger.cli import malloc
from flagger.cli.malloc import M_MMAP_THRESHOLD, M_TOP_PAD, M_TRIM_THRESHOLD, MallocSettings

ON_GLIBC = malloc.glibc_version() is not None


class _Mallopt:
    def __init__(self, refuse: int | None = None) -> None:
        self.calls: list[tuple[int, int]] = []
        self.refuse = refuse

    def __call__(self, param: int, value: int) -> int:
        self.calls.append((param, value))
        return 0 if param == self.refuse else 1


def test_each_setting_goes_to_mallopt():
    mallopt = _Mallopt()
    settings = MallocSettings(mmap_threshold=1 << 20, trim_threshold=2 << 20, top_pad=3 << 20)
    assert malloc.keep_freed_memory(settings, mallopt) is True
    assert sorted(mallopt.calls) == sorted([(M_MMAP_THRESHOLD, 1 << 20), (M_TRIM_THRESHOLD, 2 << 20),
                                            (M_TOP_PAD, 3 << 20)])


def test_a_setting_mallopt_refuses_is_reported_and_the_others_still_go():
    mallopt = _Mallopt(refuse=M_TRIM_THRESHOLD)
    assert malloc.keep_freed_memory(mallopt=mallopt) is False
    assert len(mallopt.calls) == 3


@pytest.mark.parametrize("confstr", ["missing", ValueError("unrecognized configuration name"), None,
                                     "musl libc 1.2"])
def test_another_c_library_is_left_alone(monkeypatch, confstr):
    if confstr == "missing":                    # Windows: no os.confstr at all
        monkeypatch.delattr(os, "confstr", raising=False)
    else:
        def fake(name):
            if isinstance(confstr, Exception):
                raise confstr
            return confstr
        monkeypatch.setattr(os, "confstr", fake)
    monkeypatch.setattr(malloc, "_glibc_mallopt", lambda: pytest.fail("mallopt looked up outside glibc"))
    assert malloc.glibc_version() is None
    assert malloc.keep_freed_memory() is False


def test_glibcs_version_is_read_from_confstr(monkeypatch):
    monkeypatch.setattr(os, "confstr", lambda name: "glibc 2.36")
    assert malloc.glibc_version() == "2.36"


_REFAULTS = """
import os, resource, sys
from flagger.cli.malloc import keep_freed_memory
if sys.argv[1] != "default":
    assert keep_freed_memory()
if sys.argv[1] == "keep-then-fork" and os.fork():      # the parent: waits, prints nothing
    sys.exit(os.waitstatus_to_exitcode(os.wait()[1]))
buffer = bytearray(40 << 20)        # above glibc's largest dynamic mmap threshold (32 MiB)
del buffer
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
buffer = bytearray(40 << 20)        # (zero-filled: every page written)
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults_of_a_reallocated_buffer(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", _REFAULTS, mode], capture_output=True, text=True, check=True)
    return int(out.stdout)


@pytest.mark.skipif(not ON_GLIBC, reason="mallopt is glibc's")
def test_with_glibc_a_freed_buffer_is_reused_without_faulting_it_in_again():
    pages = (40 << 20) // os.sysconf("SC_PAGE_SIZE")
    assert _faults_of_a_reallocated_buffer("default") > pages // 2     # unmapped when freed, faulted in again
    assert _faults_of_a_reallocated_buffer("keep") < pages // 20       # the same pages, already there


@pytest.mark.skipif(not ON_GLIBC or not hasattr(os, "fork"), reason="mallopt is glibc's; --jobs forks")
def test_a_process_forked_after_the_settings_keeps_its_freed_memory_too():
    """--jobs workers are forked from the console script's process: its malloc settings are theirs."""
    pages = (40 << 20) // os.sysconf("SC_PAGE_SIZE")
    assert _faults_of_a_reallocated_buffer("keep-then-fork") < pages // 20


def test_the_console_script_keeps_freed_memory_and_main_run_in_a_process_does_not(monkeypatch):
    applied: list[bool] = []
    monkeypatch.setattr(cli, "keep_freed_memory", lambda: applied.append(True))
    assert CliRunner().invoke(cli.main, ["--version"]).exit_code == 0     # (a test's or an application's main)
    assert applied == []
    monkeypatch.setattr(sys, "argv", ["flagger", "--version"])
    with pytest.raises(SystemExit) as ended:
        cli.entry()
    assert ended.value.code == 0 and applied == [True]


def test_the_settings_docs_state_are_the_ones_applied():
    """docs/scale.md's Memory paragraph gives the settings as MallocSettings holds them."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "scale.md").read_text(encoding="utf-8")
    settings = MallocSettings()
    stated = (f"mmap threshold {settings.mmap_threshold >> 20} MiB, trim threshold "
              f"{settings.trim_threshold >> 30} GiB, top pad {settings.top_pad >> 20} MiB")
    assert stated in " ".join(docs.split())
