"""Parsed rule packs kept in the cache folder: a scan reads a pack's YAML only when it changed.

Parsing and validating the bundled packs (324 kB of YAML) took 0.17-0.19 CPU s in every process
that loads them, corpus3k's one pack (100 rules, 2,000 terms) 0.05 s; unpickling them takes 0.024
and 0.006 s. A parsed pack depends only on its file's path (its rules name the file) and bytes,
the code and data of flagger/rules/ (the loader, the concept lexicon ...), the scoring model
(flagger/scoring.py) and the versions of flagger, PyYAML and Python: its key hashes all of them.

Only a pack that loaded without error is kept (a broken pack is read, and reported, every time).
`FLAGGER_CACHE=0` turns it off, as it turns off the compiled-index cache; a cache file that cannot
be read is ignored and rewritten, a cache folder that cannot be written is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from contextlib import suppress
from functools import cache
from pathlib import Path

import yaml

from flagger.paths import cache_dir
from flagger.rules.pack import RulePack
from flagger.versions import flagger_version

FORMAT = 1
PREFIX = "rulepack-"
_MAX_FILES = 64         # keep the newest parsed packs, drop older ones


@cache
def code_fingerprint() -> bytes:
    """What decides a parsed pack besides its file: versions, and the bytes of flagger/rules/ and
    flagger/scoring.py."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(f"{FORMAT}:{flagger_version()}:{sys.version}:{yaml.__version__}".encode())
    parts = sorted(p for p in here.iterdir() if p.suffix in (".py", ".yaml") and p.is_file())
    for p in [*parts, here.parent / "scoring.py"]:
        with suppress(OSError):
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.digest()


def pack_path(file: str, data: bytes) -> Path | None:
    """Where the pack parsed from `data`, read from `file`, is kept; None when caching is off."""
    d = cache_dir()
    if d is None:
        return None
    h = hashlib.sha256(code_fingerprint())
    h.update(os.fsencode(file) + b"\0")
    h.update(data)
    return d / f"{PREFIX}{h.hexdigest()[:40]}.pickle"


def load_pack(path: Path) -> RulePack | None:
    """The pack kept at `path`, or None when there is none or it cannot be read."""
    try:
        with path.open("rb") as f:
            pack = pickle.load(f)
    except Exception:
        return None
    return pack if isinstance(pack, RulePack) else None


def store_pack(path: Path, pack: RulePack) -> None:
    """Keep `pack` at `path` (atomically: a reader never sees half a file) and drop all but the
    newest few. A cache folder that cannot be written is ignored."""
    d = path.parent
    tmp = None
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=f".{PREFIX}", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(pack, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
        old = sorted(d.glob(f"{PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)[_MAX_FILES:]
        for p in old:
            p.unlink(missing_ok=True)
    except Exception:
        return
    finally:
        if tmp is not None:
            with suppress(OSError):
                os.unlink(tmp)
