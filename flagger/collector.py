"""The cyclic garbage collector paused around work that makes many containers and no garbage."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside the block, then as it was: objects made there that form no cycles
    (loaded tables, a batch's packed results) are not walked by collections their allocation
    would set off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
