"""The console script's numpy starts no BLAS threads: flagger makes no BLAS call, and OpenBLAS's
idle thread spun at every start (0.15 of `flagger scan --help`'s 0.47 CPU s). A user's own
OPENBLAS_NUM_THREADS is kept."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_THREADS_NUMPY_ADDS = """
import os, sys
from flagger import cli
if sys.argv[1] == "console script":
    sys.argv = ["flagger", "--version"]
    try:
        cli.entry()
    except SystemExit:
        pass
before = len(os.listdir("/proc/self/task"))
import numpy
print(len(os.listdir("/proc/self/task")) - before, os.environ.get("OPENBLAS_NUM_THREADS"))
"""


def _after_numpy(how: str, **env: str) -> list[str]:
    environ = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"} | env
    return subprocess.run([sys.executable, "-c", _THREADS_NUMPY_ADDS, how], capture_output=True, text=True,
                          check=True, env=environ).stdout.splitlines()[-1].split()   # (after --version's line)


@pytest.mark.skipif(not os.path.isdir("/proc/self/task") or len(os.sched_getaffinity(0)) < 2,
                    reason="threads counted in /proc, on more than one core")
def test_numpy_imported_under_the_console_script_starts_no_blas_thread():
    assert _after_numpy("plain") == ["1", "None"]       # (OpenBLAS's own default: a thread per extra core)
    assert _after_numpy("console script") == ["0", "1"]


def test_a_users_own_blas_threads_setting_is_kept():
    assert _after_numpy("console script", OPENBLAS_NUM_THREADS="2")[1] == "2"
