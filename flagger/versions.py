"""Versions of flagger and of the libraries whose behaviour decides a report's contents."""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version

#: the distribution name on the package index (`pip install sanctions-flagger`); the command and the
#: import are `flagger` (the name `flagger` on PyPI belongs to an unrelated project)
DISTRIBUTION = "sanctions-flagger"

#: libraries recorded in a report's provenance: they decide matching, language and stemming
RECORDED_LIBRARIES = ("polars", "rapidfuzz", "google-re2", "py3langid", "snowballstemmer", "anyascii")


@functools.cache
def flagger_version() -> str:
    """The installed flagger version ("0+unknown" when running from a tree that is not installed)."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "0+unknown"


@functools.cache
def _library_versions() -> tuple[tuple[str, str], ...]:
    out = []
    for name in RECORDED_LIBRARIES:
        try:
            out.append((name, version(name)))
        except PackageNotFoundError:
            continue
    return tuple(out)


def library_versions() -> dict[str, str]:
    return dict(_library_versions())
