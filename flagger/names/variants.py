"""Token-tuple variants of a name to put in an index (`name_keys`).

A listed name is indexed under several token tuples so that a text or query written another
way still finds it with exact look-ups: the normalised tokens; for persons every cyclic
rotation ("Kim Jong Un" / "Jong Un Kim"), adjacent tokens joined ("Jong Un" / "Jongun",
"al Assad" / "Alassad"), the name without patronymic ("Vladimir Vladimirovich Putin" /
"Vladimir Putin"); for organisations the name without its legal form when at least two
tokens remain ("Delta Mining Co., Ltd." / "Delta Mining").
"""

from __future__ import annotations

import re

from flagger.names.normalize import AIRCRAFT, ORGANISATION, PERSON, VESSEL, analyse_tokens
from flagger.names.phonetic import token_key

_PATRONYMIC = re.compile(r".{3,}(ovich|evich|yevich|ovych|ich|ovna|evna|yevna|ichna|ivna|oglu|ogly|kyzy|qizi)$")


def is_patronymic(token: str) -> bool:
    return _PATRONYMIC.fullmatch(token) is not None


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
    if canonical:
        out = [tuple(token_key(t) for t in key) for key in out]
    seen: set[tuple[str, ...]] = set()
    result = []
    for key in out:
        if key and key not in seen and (len(key) > 1 or len(base) == 1):
            seen.add(key)
            result.append(key)
    return result
