"""What the distributions carry of the compiled kernels: the sdist has every kernel's Cython source
(setup.py builds each flagger/kernels/_*.pyx it finds, so an sdist without them builds flagger with
no kernels at all), and neither distribution has the C that cythonize generates; the installed
package (what build_py copies into a wheel) has no .pyx either: nothing reads it at run time, and
the kernels of a wheel are the build of its own sources (flagger/kernels/__init__.py checks a .so
against the .pyx beside it only where there is one). Checked on a copy of the project's packaging
files and package, without compiling (sdist and build_py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parent.parent
_KERNELS = sorted(p.name for p in (_ROOT / "flagger" / "kernels").glob("_*.pyx"))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("packaging")
    for name in ("setup.py", "pyproject.toml", "MANIFEST.in", "README.md"):
        shutil.copy(_ROOT / name, root / name)
    shutil.copytree(_ROOT / "flagger", root / "flagger", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.c"))
    return root


def _setup(root: Path, *args: str) -> None:
    subprocess.run([sys.executable, "setup.py", "-q", *args], cwd=root, check=True, capture_output=True)


def test_the_sdist_carries_the_kernels_sources_and_not_their_generated_c(project):
    _setup(project, "sdist", "-d", "dist")
    (sdist,) = (project / "dist").glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        kernels = sorted(Path(m.name).name for m in tar.getmembers() if "/flagger/kernels/" in m.name)
    assert _KERNELS, "no kernel sources found"
    assert kernels == sorted(["__init__.py", "_fingerprint.pxi", *_KERNELS])


def test_the_installed_package_has_no_kernel_sources_beside_the_modules(project):
    _setup(project, "sdist", "-d", "dist")    # (cythonize leaves the .c files in the tree)
    assert list((project / "flagger" / "kernels").glob("_*.c"))
    _setup(project, "build_py", "-d", "lib")
    assert sorted(p.name for p in (project / "lib" / "flagger" / "kernels").iterdir()) == ["__init__.py"]
    assert (project / "lib" / "flagger" / "names" / "data" / "equivalents.txt").exists()   # package data travels
