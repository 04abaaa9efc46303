"""A name analysed once for comparison: tokens, equivalence keys and per-token roles.

Pair scoring (`compare.py`) and the index (`index.py`) both work on `AnalysedName`, so a
listed name is normalised once, not once per comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from flagger.names import resources
from flagger.names.normalize import (
    AIRCRAFT,
    ORGANISATION,
    VESSEL,
    analyse_tokens,
    fold,
    korean_readings,
    transcribed_reading,
)
from flagger.names.phonetic import is_korean_syllable, token_key
from flagger.names.variants import is_patronymic

# Token roles and their weight in the score.
WEIGHTS = {"form": 0.15, "particle": 0.25, "initial": 0.3, "number": 0.5, "common": 0.5, "short": 0.7, "name": 1.0}


@dataclass(frozen=True, slots=True)
class AnalysedName:
    raw: str
    kind: str | None
    tokens: tuple[str, ...]
    keys: tuple[str, ...]
    abjad: tuple[bool, ...]       # token transliterated from an abjad script (Arabic, Persian)
    native: tuple[bool, ...]      # token transliterated from Hangul/Han (one syllable)
    roles: tuple[str, ...]
    weights: tuple[float, ...]
    patronymic: tuple[bool, ...]
    is_org: bool
    info: tuple[bool, ...]        # informative token (a name part, not particle/form/initial)
    rare: tuple[bool, ...]        # informative and not a common name token
    penalty: tuple[float, ...]    # what the token costs when left unmatched
    informative: int
    filiation: bool               # carries bin/ibn/ben/bint/ould ("son/daughter of")
    syllabic: bool                # written syllable by syllable (Korean, Chinese): 3+ syllables
    qualifier: tuple[bool, ...] = ()  # organisation word found only in parentheses, or a region word
    transcribed: bool = False     # written in a script other than Latin, Cyrillic or Greek


def _penalties(tokens: tuple[str, ...], roles: tuple[str, ...], weights: tuple[float, ...],
               patronymic: tuple[bool, ...], is_org: bool) -> tuple[float, ...]:
    """Cost of leaving each token unmatched: the token weight, scaled by position for person
    names (edges = surname/given name: full, raised to 0.8 for common names; middle: 0.35;
    patronymic: 0.15)."""
    if is_org:
        # a generic word ("Shipping", "Trading") weighs little when matched, but an extra one
        # still tells two companies apart: unmatched, it costs like a name
        return tuple(0.05 if r == "form" else max(w, 0.8) if r == "common" else w
                     for r, w in zip(roles, weights, strict=True))
    informative = [k for k, r in enumerate(roles) if r not in ("particle", "form")]
    edges = {informative[0], informative[-1]} if informative else set()
    if _syllabic(tokens):
        # Korean (and Chinese) names written syllable by syllable: each syllable is part of
        # the surname or given name, so a missing one is a different name, not a middle name
        edges = set(range(len(tokens)))
    out = []
    for k, (role, weight) in enumerate(zip(roles, weights, strict=True)):
        if role == "form":
            out.append(0.05)
        elif patronymic[k]:
            out.append(weight * 0.15)
        elif k in edges:
            out.append(max(weight, 0.8) if role in _INFO_ROLES else weight)
        else:
            out.append(weight * 0.35)
    return tuple(out)


def _syllabic(tokens) -> bool:
    return len(tokens) >= 3 and all(is_korean_syllable(t) for t in tokens)


_INFO_ROLES = ("name", "common", "short")
_FILIATION = frozenset({"bin", "ibn", "ben", "bint", "ould", "binti"})


def _role(token: str, is_form: bool) -> str:
    if is_form:
        return "form"
    if token in resources.particles():
        return "particle"
    if token.isdigit():
        return "number"
    if len(token) == 1:
        return "initial"
    if token in resources.common_tokens() or token_key(token) in resources.common_tokens():
        return "common"
    if len(token) == 2:
        return "short"
    return "name"


def _transcribed(name: str) -> bool:
    """Letters of a script other than Latin, Cyrillic or Greek (Arabic, Hebrew, Han, kana,
    Hangul, Khmer, Devanagari ...): a name there is transcribed by sound."""
    return any(c.isalpha() and ord(c) >= 0x0530 and not 0x1d00 <= ord(c) <= 0x1fff for c in name)


@lru_cache(maxsize=300_000)
def analyse(name: str, kind: str | None = None, transcribed: bool = False) -> AnalysedName:
    """`name` analysed; `transcribed` marks a romanised reading of a name in another script
    (`normalize.transcribed_reading`)."""
    tokens, abjad, is_form, kind = analyse_tokens(name, kind)
    roles = tuple(_role(t, f) for t, f in zip(tokens, is_form, strict=True))
    weights = tuple(WEIGHTS[r] for r in roles)
    patronymic = tuple(is_patronymic(t) for t in tokens)
    is_org = kind in (ORGANISATION, VESSEL, AIRCRAFT) or "form" in roles
    info = tuple(r in _INFO_ROLES for r in roles)
    return AnalysedName(
        raw=name,
        kind=kind,
        tokens=tuple(tokens),
        keys=tuple(token_key(t) for t in tokens),
        abjad=tuple(x == "abjad" for x in abjad),
        native=tuple(x == "syllabic" for x in abjad),
        roles=roles,
        weights=weights,
        patronymic=patronymic,
        is_org=is_org,
        info=info,
        rare=tuple(r in ("name", "short") for r in roles),
        penalty=_penalties(tuple(tokens), roles, weights, patronymic, is_org),
        qualifier=_qualifiers(name, tokens, is_org),
        transcribed=transcribed or _transcribed(name),
        informative=sum(info),
        filiation=any(t in _FILIATION for t in tokens),
        syllabic=_syllabic(tokens),
    )


_PARENTHESES = re.compile(r"\(([^()]*)\)")


def _qualifiers(name: str, tokens, is_org: bool) -> tuple[bool, ...]:
    """Which words of an organisation name qualify it rather than name it: words that stand in
    parentheses only ("Deutsche Bank (Schweiz) AG", an acronym "(CAGL)"), and region or market
    words after its first word ("Faberlic Europe", `resources.region_words`)."""
    if not is_org:
        return (False,) * len(tokens)
    regions = resources.region_words()
    region = tuple(k > 0 and t in regions for k, t in enumerate(tokens))
    if "(" not in name:
        return region
    inside = set(fold(" ".join(_PARENTHESES.findall(name))).split())
    outside = set(fold(_PARENTHESES.sub(" ", name)).split())
    return tuple(r or t in inside and t not in outside for t, r in zip(tokens, region, strict=True))


def forms(name: str, kind: str | None = None) -> tuple[AnalysedName, ...]:
    """The analysed name, then the same name read another way where its script allows: a
    name in Han characters also read as Korean (see `normalize.korean_readings`), a foreign
    name in Han or kana with middle dots read part by part (`normalize.transcribed_reading`)."""
    reading = transcribed_reading(name)
    extra = (analyse(reading, kind, True),) if reading else ()
    return (analyse(name, kind), *(analyse(r, kind) for r in korean_readings(name)), *extra)
