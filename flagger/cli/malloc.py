"""The console script's C allocator settings: glibc's malloc keeps the memory a batch frees for
the next batch, instead of handing it back to the kernel and faulting it in again, zeroed.

By default glibc serves blocks above 128 KiB (raised, up to 32 MiB, as big blocks are freed) by
`mmap` and unmaps them when freed, and gives the top of its heap back once 128 KiB of it is free.
A scan frees and reallocates such memory every batch (the tokenizer's buffers, numpy arrays, a
batch's pickled records and packed results, copy grouping's shingles), so each batch touched
fresh pages again, each a page fault and a zeroed page in the kernel. With these settings big
blocks come from the heap and the heap is not trimmed: the freed memory is reused as it is.

Only `flagger.cli.entry` (the console script) applies them: its process exists for one
command, and holding on to freed memory until it exits is right there. A library user's
process (`flagger.api`, `ArticleScanner`) keeps its allocator as it was. Where the C library is
not glibc (musl, macOS, Windows) nothing is changed. The settings are the process's malloc state,
so the `--jobs` workers it forks have them too.
"""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass
from typing import Protocol

# mallopt's parameter numbers (glibc's malloc.h)
M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD = -1, -2, -3


@dataclass(frozen=True)
class MallocSettings:
    """What `keep_freed_memory` gives mallopt (bytes)."""

    mmap_threshold: int = 256 << 20   # blocks below this come from the heap, freed blocks stay there
    trim_threshold: int = 1 << 30     # the heap's free top is given back only beyond this
    top_pad: int = 64 << 20           # the heap grows by this much more each time (address space, not pages)

    def options(self) -> tuple[tuple[int, int], ...]:
        return ((M_MMAP_THRESHOLD, self.mmap_threshold), (M_TRIM_THRESHOLD, self.trim_threshold),
                (M_TOP_PAD, self.top_pad))


class _Mallopt(Protocol):
    def __call__(self, param: int, value: int) -> int: ...


def glibc_version() -> str | None:
    """glibc's version ("2.36") when the process runs on glibc, else None."""
    try:
        name = os.confstr("CS_GNU_LIBC_VERSION")    # "glibc 2.36"; unknown name elsewhere
    except (AttributeError, ValueError, OSError):   # (no os.confstr on Windows)
        return None
    if not name or not name.startswith("glibc "):
        return None
    return name.split()[1]


def _glibc_mallopt() -> _Mallopt:
    mallopt = ctypes.CDLL(None).mallopt
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt


def keep_freed_memory(settings: MallocSettings = MallocSettings(), mallopt: _Mallopt | None = None) -> bool:
    """Applies `settings` to this process's malloc when it is glibc's (or through `mallopt`, as
    glibc's is called); whether every setting was taken. Elsewhere nothing is done: False."""
    if mallopt is None:
        if glibc_version() is None:
            return False
        mallopt = _glibc_mallopt()
    return all([mallopt(param, value) == 1 for param, value in settings.options()])
