"""Where flagger's files live: the bundled rule packs and entity list, and the cache folder.

The cache folder is ``$FLAGGER_CACHE_DIR`` (default ``~/.cache/flagger``). It holds compiled
rule indexes and parsed rule packs (``cache_dir()``, off when ``FLAGGER_CACHE=0``), imported entity lists and the
lists downloaded by ``flagger lists update`` (``lists_dir()``, or ``$FLAGGER_LISTS_DIR``).
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_OFF = ("0", "false", "no", "off")


def bundled_rules_dir() -> Path:
    """The rule packs that ship inside the package (a checkout's top-level rules/)."""
    return _PACKAGE / "_bundled" / "rules"


def bundled_entities_path() -> Path:
    """The default entity list that ships inside the package (a checkout's data/entities/), built
    by scripts/build_default_entities.py from the official lists and the curated additions."""
    return _PACKAGE / "_bundled" / "entities" / "default.parquet"


def bundled_curated_path() -> Path:
    """The hand-curated additions merged into the default list (names in other scripts, press
    spellings, nicknames); `flagger lists update` merges them into the lists it downloads."""
    return _PACKAGE / "_bundled" / "entities" / "curated.csv"


def cache_root() -> Path:
    """``$FLAGGER_CACHE_DIR``, else ``~/.cache/flagger``."""
    env = os.environ.get("FLAGGER_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "flagger"


def cache_dir() -> Path | None:
    """Where compiled rule indexes are kept; None when caching is switched off (FLAGGER_CACHE=0)."""
    if os.environ.get("FLAGGER_CACHE", "1").strip().lower() in _OFF:
        return None
    return cache_root()


def lists_dir() -> Path:
    """Where `flagger lists update` keeps downloaded official lists."""
    env = os.environ.get("FLAGGER_LISTS_DIR")
    return Path(env) if env else cache_root() / "lists"
