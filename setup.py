"""flagger's optional compiled kernels: Cython modules built by `pip install .` beside the pure-Python
package. Each is optional: where no C compiler is found the build warns and flagger runs its
pure-Python path, which stays the reference (flagger/kernels/__init__.py loads the modules; FLAGGER_PURE=1
leaves them unused; the property tests in tests/test_kernels.py compare the two paths).

Everything else about the package is declared in pyproject.toml."""

import hashlib
from pathlib import Path

from Cython.Build import cythonize
from setuptools import Extension, setup

# Every flagger/kernels/_<name>.pyx builds the module flagger.kernels._<name> (flagger/kernels/__init__.py
# names the ones it loads)
KERNELS = sorted(path.stem[1:] for path in Path("flagger/kernels").glob("_*.pyx"))

DIRECTIVES = {
    "language_level": 3,
    "boundscheck": False,      # every index is checked by the kernel's own logic (tests compare paths)
    "wraparound": False,
    "initializedcheck": False,
    "cdivision": True,
}


def _kernel(name: str) -> Extension:
    """The Extension of flagger/kernels/_<name>.pyx, compiled with the sha256 of that .pyx as
    FLAGGER_SOURCE_SHA256: the module's SOURCE_SHA256 (flagger/kernels/_fingerprint.pxi), which
    flagger/kernels/__init__.py compares with the .pyx beside it to refuse a stale build."""
    source = Path(f"flagger/kernels/_{name}.pyx")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    return Extension(f"flagger.kernels._{name}", [str(source)], define_macros=[("FLAGGER_SOURCE_SHA256", f'"{digest}"')])


EXTENSIONS = cythonize([_kernel(name) for name in KERNELS], compiler_directives=DIRECTIVES)
for extension in EXTENSIONS:
    # no C compiler, or one that fails: a warning, and flagger runs its pure-Python path (set here,
    # after cythonize, which makes new Extension objects without it)
    extension.optional = True

setup(ext_modules=EXTENSIONS)
