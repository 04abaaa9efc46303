"""Reference data for scanning, read once from the files beside this module."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml


def _text(name: str) -> str:
    return resources.files("flagger.resources").joinpath(name).read_text(encoding="utf-8")


@cache
def common_words() -> frozenset[str]:
    """Frequent words that never take a fuzzy (typo) match: 'state' must not become 'statue'."""
    words = set()
    for line in _text("common_words.txt").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.update(line.split())
    return frozenset(words)


@cache
def token_equivalents() -> dict[str, str]:
    """Token -> canonical token of its equivalence group (romanisation variants)."""
    from flagger.names.resources import equivalents

    return equivalents()


@cache
def cues() -> dict:
    """Hedging/negation cue lexicon: {kind: {"multiplier": float, "terms": [...]}}."""
    return yaml.safe_load(_text("cues.yaml"))


@cache
def vessel_words() -> frozenset[str]:
    from flagger.text import normalize_text

    words = set()
    for line in _text("vessel_words.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            for w in line.split():
                words.update(normalize_text(w))
    return frozenset(words)
