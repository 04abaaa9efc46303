"""The compiled kernels (Cython, built by `pip install .` from setup.py), or None for each one that is
not there: an install without a C compiler, or `FLAGGER_PURE=1` in the environment, runs the
pure-Python path, which is the reference (the property tests in tests/test_kernels.py check that
both paths give the same results). This is the one module that may catch the ImportError of a
flagger module: a kernel is an optional build product, not a feature to lose silently (`status()`
says which are missing, and the tests fail when one is missing unless FLAGGER_PURE=1 is set). A
kernel built from another version of its .pyx than the one beside it is stale and is not loaded
either (`_fresh`): status() says "stale: ...".

Callers read the module attribute (`kernels.text is None`), so a test may compare both paths.
"""

from __future__ import annotations

import hashlib
import os
from importlib import import_module
from pathlib import Path

#: FLAGGER_PURE=1 (any value but "" and "0"): the compiled kernels are not used
PURE = os.environ.get("FLAGGER_PURE", "") not in ("", "0")

# Each kernel module (flagger/kernels/_<name>.pyx) is loaded on its own, so one that failed to build
# leaves the others in use. `_missing` keeps why a kernel is absent.
#: the kernel modules, as setup.py's KERNELS names them
NAMES = ("text", "dedupe", "sentences", "phrases")


def _load(name: str):
    """flagger.kernels._<name>, or None and why it is not there."""
    if PURE:
        return None, "FLAGGER_PURE=1"
    try:
        module = import_module(f"flagger.kernels._{name}")
    except ImportError as error:  # an optional build product (setup.py): the pure path runs instead
        return None, str(error)
    return (module, None) if _fresh(name, module) else (None, _STALE.format(name=name))


_STALE = ("stale: built from another _{name}.pyx than the one beside it "
          "(rebuild: `python setup.py build_ext --inplace`, or `pip install -e .`)")


def _fresh(name: str, module) -> bool:
    """Whether the kernel was built from the _<name>.pyx beside it. A checkout or an editable install
    has the .pyx, and an in-place module built from an older one would otherwise run silently:
    setup.py compiles the .pyx's sha256 into the module (SOURCE_SHA256, empty when it was built
    some other way, absent from a build older than the check). An installed package ships the
    modules without their .pyx, and each is the build of the wheel it came in."""
    source = Path(__file__).with_name(f"_{name}.pyx")
    if not source.exists():
        return True
    return getattr(module, "SOURCE_SHA256", "") == hashlib.sha256(source.read_bytes()).hexdigest()


_loaded = {name: _load(name) for name in NAMES}
text, dedupe, sentences, phrases = (_loaded[name][0] for name in NAMES)
_missing = tuple((name, why) for name, (_module, why) in _loaded.items() if why is not None)
del _loaded


def status() -> dict[str, str]:
    """Per kernel module: "compiled", or why the pure-Python path runs instead."""
    why = dict(_missing)
    return {name: why.get(name, "compiled") for name in NAMES}
