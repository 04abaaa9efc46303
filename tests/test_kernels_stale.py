"""A compiled kernel built from another version of its .pyx than the one beside it is stale: it is not
loaded (the pure-Python path runs, as for a missing kernel) and `status()` says so, so the kernel
tests fail until it is rebuilt. An installed package, whose kernels come without their .pyx, loads
them. Shown with a real build of one kernel in a temporary copy of the package's loader."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parent.parent
_KERNEL = "sentences"   # the smallest .pyx: the quickest real build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A copy of flagger's package root, loader and one kernel's source, with that kernel built in
    place by the project's setup.py (as `pip install -e .` builds it)."""
    if not shutil.which(os.environ.get("CC", "cc")):
        pytest.skip("no C compiler: the kernel cannot be built")
    root = tmp_path_factory.mktemp("stale")
    (root / "flagger" / "kernels").mkdir(parents=True)
    for rel in ("setup.py", "pyproject.toml", "flagger/__init__.py", "flagger/errors.py", "flagger/kernels/__init__.py",
                "flagger/kernels/_fingerprint.pxi", f"flagger/kernels/_{_KERNEL}.pyx"):
        shutil.copy(_ROOT / rel, root / rel)
    _build(root)
    return root


def _build(root: Path) -> None:
    subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=root, check=True,
                   capture_output=True)


def _status(root: Path, **env) -> dict[str, str]:
    code = ("from flagger import kernels; import sys; "
            f"assert kernels.__file__.startswith({str(root)!r}), kernels.__file__; "
            f"print(kernels.status()); print(kernels.{_KERNEL} is None)")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(root), "FLAGGER_PURE": "", **env})
    status, absent = out.stdout.strip().splitlines()
    return {"status": ast.literal_eval(status)[_KERNEL], "loaded": absent == "False"}


def test_a_kernel_built_from_the_pyx_beside_it_is_loaded(built):
    assert _status(built) == {"status": "compiled", "loaded": True}


def test_a_kernel_whose_pyx_changed_after_the_build_is_stale_until_rebuilt(built, tmp_path):
    stale = tmp_path / "tree"
    shutil.copytree(built, stale, ignore=shutil.ignore_patterns("build"))
    pyx = stale / "flagger" / "kernels" / f"_{_KERNEL}.pyx"
    pyx.write_text(pyx.read_text(encoding="utf-8") + "\n# an edit after the build\n", encoding="utf-8")
    after_edit = _status(stale)
    assert not after_edit["loaded"]
    assert after_edit["status"].startswith(f"stale: built from another _{_KERNEL}.pyx")
    assert "build_ext --inplace" in after_edit["status"]
    _build(stale)
    assert _status(stale) == {"status": "compiled", "loaded": True}


def test_an_installed_kernel_without_its_pyx_is_loaded(built, tmp_path):
    installed = tmp_path / "site"
    shutil.copytree(built, installed, ignore=shutil.ignore_patterns("build", "*.pyx", "*.pxi", "*.c", "setup.py"))
    assert _status(installed) == {"status": "compiled", "loaded": True}


def test_a_kernel_built_without_the_fingerprint_is_stale_beside_its_pyx(built, tmp_path):
    """A module built some other way than by setup.py (or before the check) cannot show which
    source it came from: beside a .pyx it is not trusted."""
    other = tmp_path / "other"
    shutil.copytree(built, other, ignore=shutil.ignore_patterns("build", "*.so", "*.c"))
    subprocess.run([sys.executable, "-m", "cython", "-3", f"flagger/kernels/_{_KERNEL}.pyx"], cwd=other, check=True,
                   capture_output=True)
    # compiled by hand, without setup.py's -DFLAGGER_SOURCE_SHA256
    so = other / "flagger" / "kernels" / f"_{_KERNEL}{sysconfig.get_config_var('EXT_SUFFIX')}"
    subprocess.run([os.environ.get("CC", "cc"), "-shared", "-fPIC", "-O0", f"-I{sysconfig.get_paths()['include']}",
                    f"flagger/kernels/_{_KERNEL}.c", "-o", str(so)], cwd=other, check=True, capture_output=True)
    assert _status(other)["status"].startswith("stale")

