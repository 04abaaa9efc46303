"""flagger's optional compiled kernels: Cython modules built by `pip install .` beside the pure-Python
package. Each is optional: where no C compiler is found the build warns and flagger runs its
pure-Python path, which stays the reference (flagger/kernels/__init__.py loads the modules; FLAGGER_PURE=1
leaves them unused; the property tests in tests/test_kernels.py compare the two paths).

Everything else about the package is declared in pyproject.toml."""

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

EXTENSIONS = cythonize([Extension(f"flagger.kernels._{name}", [f"flagger/kernels/_{name}.pyx"]) for name in KERNELS],
                       compiler_directives=DIRECTIVES)
for extension in EXTENSIONS:
    # no C compiler, or one that fails: a warning, and flagger runs its pure-Python path (set here,
    # after cythonize, which makes new Extension objects without it)
    extension.optional = True

setup(ext_modules=EXTENSIONS)
