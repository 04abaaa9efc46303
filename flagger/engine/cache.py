"""Compiled-index cache: a second run with the same rules and lists starts in well under a second.

Compiling rule packs and entity lists (name variants, token keys, the phrase trie, the typo
deletion index) costs seconds per 10k names; the result depends only on the packs' content,
the entity frame's content and flagger's own code. So it is pickled under
`$FLAGGER_CACHE_DIR` (default `~/.cache/flagger`) keyed by the SHA-256 of

* every rule pack (its source file's bytes, or the pickled pack when it has no file),
* the entity frame (schema + NDJSON of the canonical frame: any list format, same content, same key),
* flagger's version and the bytes of the modules and data files that shape the index.

`FLAGGER_CACHE=0` turns it off. A cache file that cannot be read is ignored and rewritten; a
cache directory that cannot be written is ignored (scanning never fails because of the cache).

This module knows keys and files; what of a compiled index is stored, and how a loaded one is
attached to the caller's packs and entity frame, is `flagger.engine.compile.compile_rules`'s.
The screening index of an entity frame (`flagger names screen|search`, `Scanner.screen`) is kept
the same way (`name_index_path`, `flagger.engine.compile.name_index`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import tempfile
import unicodedata
from contextlib import suppress
from functools import cache
from pathlib import Path

import numpy as np

from flagger import resources
from flagger.paths import cache_dir
from flagger.versions import flagger_version

FORMAT = 2              # 2: the phrase trie is kept as flat arrays (engine.phrases.FlatTrie)
_MAX_FILES = 8          # keep the newest few compiled indexes, drop older ones


@cache
def code_fingerprint() -> str:
    """Version + bytes of everything that decides what compile_rules produces."""
    from importlib.metadata import PackageNotFoundError, version

    v = flagger_version()
    root = Path(__file__).resolve().parent.parent     # the flagger package
    h = hashlib.sha256(f"{FORMAT}:{v}".encode())
    with suppress(PackageNotFoundError):    # the index carries wordfreq's frequent-word lists
        h.update(version("wordfreq").encode())
    parts = [root / "text.py", root / "language.py", root / "scoring.py"]
    for sub in ("engine", "names", "resources", "rules"):
        parts += sorted(p for p in (root / sub).rglob("*") if p.is_file() and p.suffix != ".pyc")
    for p in parts:
        try:
            h.update(p.name.encode())
            h.update(p.read_bytes())
        except OSError:
            continue
    return h.hexdigest()


def _resources_digest() -> bytes:
    """The reference data as loaded in this process (a test or an embedding application may
    have replaced it: the cached index must not outlive that)."""
    h = hashlib.sha256()
    h.update("\n".join(sorted(resources.common_words())).encode())
    h.update(json.dumps(resources.cues(), sort_keys=True, default=str).encode())
    h.update(json.dumps(sorted(resources.token_equivalents().items())).encode())
    return h.digest()


def content_key(packs, entities) -> str:
    h = hashlib.sha256(code_fingerprint().encode())
    h.update(_resources_digest())
    for pack in packs:
        path = getattr(pack, "path", None)
        data = None
        if path:
            try:
                data = Path(path).read_bytes()
            except OSError:
                data = None
        h.update(b"pack\0")
        h.update(data if data is not None else pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL))
        # a pack narrowed by --select/--ignore has its file's bytes but fewer rules
        h.update(b"rules\0" + "\0".join(r.id for r in getattr(pack, "rules", ())).encode())
    h.update(b"entities\0")
    if entities is not None and entities.height:
        # NDJSON, not Arrow IPC: IPC bytes depend on chunking and string-buffer layout, which
        # differ between a freshly parsed list and the same list read from another cache.
        buf = io.BytesIO()
        entities.write_ndjson(buf)
        h.update(",".join(f"{k}:{v}" for k, v in entities.schema.items()).encode())
        h.update(buf.getvalue())
    return h.hexdigest()


def index_path(packs, entities) -> Path | None:
    """Where the index compiled from this content is kept; None when caching is off or the
    content cannot be keyed (an unhashable pack or frame: then it is just compiled)."""
    d = cache_dir()
    if d is None:
        return None
    try:
        key = content_key(packs, entities)
    except Exception:
        return None
    return d / f"index-{key[:40]}.pickle"


def name_index_path(entities) -> Path | None:
    """Where the screening index (`flagger.names.index.NameIndex`) of this entity frame is kept;
    None when caching is off or the frame cannot be keyed. Its key is the compiled index's with
    no rule packs (flagger's code, the reference data, the frame), under its own file prefix."""
    d = cache_dir()
    if d is None:
        return None
    try:
        key = content_key([], entities)
    except Exception:
        return None
    return d / f"names-{key[:40]}.pickle"


def companion_path(index_file: Path | None, kind: str) -> Path | None:
    """Where something made from a compiled index, and used by some scans only, is kept beside it
    under the same key (`kind-<key>.pickle`: loaded when first needed, not at start-up), in this
    process's cache directory (an index may have come from elsewhere, e.g. pickled to a worker)."""
    d = cache_dir()
    if index_file is None or d is None:
        return None
    return d / f"{kind}-{index_file.name.split('-', 1)[1]}"


def load(path: Path):
    """The object stored at `path`, or None when there is none or it cannot be read."""
    if not path.exists():
        return None
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except Exception:
        return None


def store(path: Path, obj) -> None:
    """Pickle `obj` to `path` (atomically: a reader never sees half a file) and drop all but the
    newest few indexes. A cache directory that cannot be written is ignored."""
    d = path.parent
    try:
        d.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".index-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        kind = path.name.split("-", 1)[0]      # index- or names-: each kind keeps its newest few
        old = sorted(d.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)[_MAX_FILES:]
        for p in old:
            p.unlink(missing_ok=True)
    except Exception:
        return


# -- the known words of the typo reading ------------------------------------------------------
# `flagger.resources.known_words` reads wordfreq's lists of 42 languages: 3.5-7 CPU s and ~200 MB
# for ~2 million words, in every process that compiles an index. They depend only on wordfreq's
# data, the parameters and the folding, so they are kept once per cache directory (`known_arrays`).
KNOWN_FORMAT = 1
_MAX_KNOWN_FILES = 2


def known_words_key(lengths: range) -> str:
    """What the known words of `lengths` letters are made from: wordfreq's version, the lengths
    and Zipf bound, the Unicode data and the bytes of the code that folds them (flagger.text,
    flagger.resources), and the hand list of frequent words as loaded in this process."""
    from importlib.metadata import PackageNotFoundError, version

    root = Path(__file__).resolve().parent.parent     # the flagger package
    h = hashlib.sha256(f"known:{KNOWN_FORMAT}:{lengths.start}-{lengths.stop}:{resources.KNOWN_MIN_ZIPF}:"
                       f"{unicodedata.unidata_version}".encode())
    with suppress(PackageNotFoundError):
        h.update(b"wordfreq\0" + version("wordfreq").encode())
    for p in (root / "text.py", root / "resources" / "__init__.py", root / "resources" / "common_words.txt"):
        with suppress(OSError):
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    h.update("\n".join(sorted(resources.common_words())).encode())
    return h.hexdigest()


def known_words_path(lengths: range) -> tuple[Path, str] | None:
    """Where the known words of `lengths` letters are kept, and the key the file must carry;
    None when caching is off."""
    d = cache_dir()
    if d is None:
        return None
    key = known_words_key(lengths)
    return d / f"known-{key[:40]}.npz", key


def load_known(path: Path, key: str, lengths: range) -> dict[int, np.ndarray] | None:
    """The arrays stored at `path` ({length: (words, length) uint32 code points}), or None when
    there is no file, it cannot be read, or it was not made for `key` (then it is rebuilt)."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as f:
            if str(f["key"]) != key:
                return None
            out = {n: f[f"n{n}"] for n in lengths}
    except Exception:
        return None
    if any(a.dtype != np.uint32 or a.ndim != 2 or a.shape[1] != n for n, a in out.items()):
        return None
    return out


def store_known(path: Path, key: str, arrays: dict[int, np.ndarray]) -> None:
    """Write the known-word arrays to `path` (atomically) and drop older known-word files. A cache
    directory that cannot be written is ignored."""
    d = path.parent
    tmp = None
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".known-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            np.savez(f, key=np.array(key), **{f"n{n}": a for n, a in arrays.items()})
        os.replace(tmp, path)
        old = sorted(d.glob("known-*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)[_MAX_KNOWN_FILES:]
        for p in old:
            p.unlink(missing_ok=True)
    except Exception:
        if tmp is not None:
            with suppress(OSError):
                Path(tmp).unlink(missing_ok=True)
        return
