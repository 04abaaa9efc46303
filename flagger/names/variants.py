"""Token-tuple variants of a name to put in an index (`name_keys`).

A listed name is indexed under several token tuples so that a text or query written another
way still finds it with exact look-ups: the normalised tokens; for persons every cyclic
rotation ("Kim Jong Un" / "Jong Un Kim"), adjacent tokens joined ("Jong Un" / "Jongun",
"al Assad" / "Alassad"), the name without patronymic ("Vladimir Vladimirovich Putin" /
"Vladimir Putin"), the name without a middle name as the press writes it ("Ali Javad
Karimi" / "Ali Karimi", see `without_middle`); for organisations the name without its legal
form when at least two tokens remain ("Delta Mining Co., Ltd." / "Delta Mining").
"""

from __future__ import annotations

import re

from flagger.names import resources
from flagger.names.normalize import AIRCRAFT, ORGANISATION, PERSON, VESSEL, analyse_tokens, normalize_kind
from flagger.names.phonetic import is_syllable, token_key

_PATRONYMIC = re.compile(r".{3,}(ovich|evich|yevich|ovych|ich|ovna|evna|yevna|ichna|ivna|oglu|ogly|kyzy|qizi)$")


def is_patronymic(token: str) -> bool:
    return _PATRONYMIC.fullmatch(token) is not None


# "son/daughter of": the word after it is the father's name, not a middle name to drop
_FILIATION = frozenset({"bin", "ibn", "ben", "bint", "binti", "ould", "abu", "abou", "bou"})
# "servant of": the given name is this word and the next ("Abdul Rahman"), never the first alone
_COMPOUND_FIRST = frozenset({"abd", "abdul", "abdel", "abdal", "abdol", "abdulla", "abdallah"})


def without_middle(name: str, kind: str | None = None) -> list[tuple[str, ...]]:
    """A person's name as news writes it without a middle name: "Ali Javad Karimi" -> "Ali
    Karimi", "Behrouz Dariush Hashemi Neesna" -> "Behrouz Hashemi Neesna" (the second given
    name dropped, whatever follows: a name written in one run does not say where the surname
    begins, "Juan Pablo Garcia Ortega" -> "Juan Garcia Ortega", never "Juan Ortega"); a list's
    "SURNAME(S), Given names" keeps the first given name and the whole surname ("ARELLANO FELIX,
    Ramon Eduardo" -> "Ramon Arellano Felix", "KARIMI, Ali Javad" -> "Ali Karimi").

    Only where that is how the name is shortened and the short form still names someone in
    particular: not for Korean, Chinese or Vietnamese names (every syllable is part of the
    surname or given name: "Kim Jong Un" is not "Kim Un"), not across a filiation word ("Hamza
    bin Bassam al-Assad"), not after "Abdul" (half of a given name), not for a name in Arabic or
    Han script, and only when the surname kept has a distinctive word (not only common name
    tokens such as "Hassan")."""
    if normalize_kind(kind) != PERSON:
        return []
    order = _natural_order(name)
    if order is None:
        return []
    given, surname = order
    natural = given + surname
    if not 3 <= len(natural) <= 6:
        return []
    particles = resources.particles()
    common = resources.common_tokens()
    if (any(t in _FILIATION for t in natural) or natural[0] in _COMPOUND_FIRST
            or _east_asian(natural)):
        return []
    if not surname:
        # written in one run: the second word is the dropped one, unless it is a particle that
        # starts the surname ("Bassam al Assad")
        short = (natural[0], *natural[2:])
        dropped = (natural[1],)
    else:
        short = (given[0], *surname)
        dropped = given[1:]
    if (not dropped or natural[0] in particles or len(natural[0]) < 2
            or any(t in particles or len(t) < 2 for t in dropped)
            or all(t in common or token_key(t) in common or t in particles for t in short[1:])
            or len(short[-1]) < 3 or is_patronymic(short[-1])):
        return []
    return [short]


def _east_asian(tokens: tuple[str, ...]) -> bool:
    """A Korean, Chinese or Vietnamese name: a one-syllable surname before or after a given
    name of one or two syllables ("Kim Jong Un", "Chen Leibo ...", "... Leibo Chen"), or the
    Vietnamese middle name "Thi"."""
    def syllables(token: str) -> bool:
        return is_syllable(token) or any(is_syllable(token[:i]) and is_syllable(token[i:])
                                         for i in range(1, len(token)))
    return ("thi" in tokens[1:-1] or (is_syllable(tokens[0]) and syllables(tokens[1]))
            or (is_syllable(tokens[-1]) and syllables(tokens[-2])))


def _natural_order(name: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(given names, surname) of a person's name in the order running text writes them:
    "KARIMI, Ali Javad" as (ali javad, karimi); a name without a comma as (all its tokens, ()),
    the surname unknown. None for a name in a script whose names are not shortened this way
    (Arabic, Hangul, Han) or with more than one comma."""
    tokens, scripts, _forms, _kind = analyse_tokens(name, PERSON)
    if any(scripts) or name.count(",") > 1:
        return None
    if "," not in name:
        return tuple(tokens), ()
    before, after = (analyse_tokens(part, PERSON)[0] for part in name.split(","))
    if not before or not after or before + after != tokens:
        return None
    return tuple(after), tuple(before)


# How the press numbers a ship of a series: "Samjong No. 2", "Billions No 18", "Wan Heng Nr. 11"
_NUMBER_WORDS = ("no", "nr")


def _numbered(keys: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """A vessel's name ending in a number, also with "No."/"Nr." before the number ("SAM JONG 2"
    -> "Sam Jong No. 2", "Samjong No. 2"), and a listed "BILLIONS NO. 18" also without it."""
    out = []
    for key in keys:
        if len(key) < 2 or not key[-1].isdigit():
            continue
        if key[-2] in _NUMBER_WORDS:
            if len(key) >= 3:
                out.append(key[:-2] + key[-1:])
        else:
            out.extend(key[:-1] + (word, key[-1]) for word in _NUMBER_WORDS)
    return out


def _joins(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [tokens[:i] + (tokens[i] + tokens[i + 1],) + tokens[i + 2:] for i in range(len(tokens) - 1)]


def _rotations(form: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Word-order variants: every cyclic rotation of short names, else first/last moved."""
    if len(form) <= 4:
        return [form[i:] + form[:i] for i in range(len(form))]
    return [form, form[1:] + form[:1], form[-1:] + form[:-1]]


def name_keys(name: str, kind: str | None = None, canonical: bool = False) -> list[tuple[str, ...]]:
    """Token tuples under which to index `name` (see module docstring), most faithful first.

    Tokens are folded surface forms (lower-case ASCII, legal forms canonical); pass
    `canonical=True` to get equivalence keys (`token_key`) instead, which makes
    "Kim Chong-un" and "Kim Jong Un" share a key. Single-token tuples are returned only for
    single-token names; whether a one-token name may match alone is the caller's decision.
    """
    tokens, _abjad, is_form, kind = analyse_tokens(name, kind)
    if not tokens:
        return []
    base = tuple(tokens)
    out: list[tuple[str, ...]] = [base]
    if kind in (ORGANISATION, VESSEL, AIRCRAFT) or any(is_form):
        core = tuple(t for t, f in zip(tokens, is_form, strict=True) if not f)
        if len(core) >= 2:
            out.append(core)
        out.extend(_joins(core if len(core) >= 2 else base)[:3])
        if kind == VESSEL:
            out.extend(_numbered(out))
    else:
        forms = [base]
        without_patronymic = tuple(t for t in base if not is_patronymic(t))
        if len(base) >= 3 and 2 <= len(without_patronymic) < len(base):
            forms.append(without_patronymic)
        for form in forms:
            out.extend(_rotations(form))
            if kind == PERSON or len(form) <= 4:
                # joins of neighbours in the written order, then moved around like the name
                for joined in _joins(form):
                    out.extend(_rotations(joined))
        out.extend(without_middle(name, kind))
    if canonical:
        out = [tuple(token_key(t) for t in key) for key in out]
    seen: set[tuple[str, ...]] = set()
    result = []
    for key in out:
        if key and key not in seen and (len(key) > 1 or len(base) == 1):
            seen.add(key)
            result.append(key)
    return result
