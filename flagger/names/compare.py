"""Pair scoring of two names, with an explanation of which tokens matched how.

The score (0-1) is a weighted token alignment:

* tokens are aligned greedily, best pair first; a token may also align with two adjacent
  tokens of the other name joined ("Jongun" = "Jong" + "Un");
* a pair counts 1.0 when the folded tokens are equal ("exact"), 0.95 when their equivalence
  keys are equal ("equivalent": romanisation/transliteration variants), 0.85 when an
  abjad-script token has the same consonant skeleton, 0.75 for an initial ("J" ~ "John"),
  and 1 - distance/length for a fuzzy match within a length-dependent edit budget;
* each token carries a weight by role (legal form 0.15, particle 0.25, initial 0.3, common
  name 0.5, two-letter 0.7, other 1.0); unmatched tokens count against the score, fully at
  the edges of a person name (surname or given name missing), 0.35 in the middle (a
  dropped middle name), 0.15 for a patronymic;
* caps: at least two informative tokens must match when either name has two or more
  (a surname alone is never enough); a lone token must be 5+ characters and not common;
  a match carried only by common tokens is capped below the threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from flagger.names.analysis import AnalysedName, analyse
from flagger.names.phonetic import skeleton

DEFAULT_THRESHOLD = 0.8
WEAK_ALIAS_FACTOR = 0.85
EXACT, EQUIVALENT, SKELETON, INITIAL, FUZZY = "exact", "equivalent", "skeleton", "initial", "fuzzy"
_SIM = {EXACT: 1.0, EQUIVALENT: 0.95, SKELETON: 0.85, INITIAL: 0.75}


@dataclass(frozen=True)
class NameComparison:
    score: float
    match: bool
    explanation: str
    matched_name: str | None = None
    details: tuple[str, ...] = field(default=(), repr=False)


def _budget(length: int) -> int:
    if length < 4:
        return 0
    if length < 6:
        return 1
    if length < 10:
        return 2
    return 3


_pair_cache: dict[tuple[str, str, bool, bool], tuple[float, str, int]] = {}


def token_similarity(a: str, b: str, key_a: str, key_b: str, abjad_a: bool = False,
                     abjad_b: bool = False) -> tuple[float, str, int]:
    """(similarity, how, edit distance) of two folded tokens; similarity 0 means no match."""
    if a == b:
        return 1.0, EXACT, 0
    cache_key = (a, b, abjad_a, abjad_b)
    hit = _pair_cache.get(cache_key)
    if hit is not None:
        return hit
    result: tuple[float, str, int] = (0.0, "", 0)
    if key_a == key_b:
        result = (_SIM[EQUIVALENT], EQUIVALENT, 0)
    elif (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        result = (_SIM[INITIAL], INITIAL, 0)
    elif a.isalpha() and b.isalpha() and min(len(a), len(b)) > 1:
        if (abjad_a or abjad_b) and skeleton(a, abjad_a) == skeleton(b, abjad_b) and len(skeleton(a)) >= 2:
            result = (_SIM[SKELETON], SKELETON, 0)
        else:
            length = max(len(key_a), len(key_b))
            budget = _budget(min(len(key_a), len(key_b)) + 1)
            d = Levenshtein.distance(key_a, key_b, score_cutoff=budget)
            d2 = Levenshtein.distance(a, b, score_cutoff=budget)
            d = min(d, d2)
            if d <= budget and key_a[0] == key_b[0] or d <= budget and d < 2 and length >= 5:
                result = (max(0.0, 1.0 - d / length), FUZZY, d)
    if len(_pair_cache) > 500_000:
        _pair_cache.clear()
    _pair_cache[cache_key] = result
    return result


def _candidates(a: AnalysedName, b: AnalysedName):
    """Yield (sim, how, dist, a_indices, b_indices) for token pairs and adjacent joins."""
    na, nb = len(a.tokens), len(b.tokens)
    for i in range(na):
        for j in range(nb):
            sim, how, d = token_similarity(a.tokens[i], b.tokens[j], a.keys[i], b.keys[j], a.abjad[i], b.abjad[j])
            if sim > 0:
                yield sim, how, d, (i,), (j,)
    for i in range(na):
        if len(a.tokens[i]) < 4:
            continue
        for j in range(nb - 1):
            joined, jkey = b.tokens[j] + b.tokens[j + 1], b.keys[j] + b.keys[j + 1]
            sim, how, d = token_similarity(a.tokens[i], joined, a.keys[i], jkey)
            if sim > 0 and how != INITIAL:
                yield sim, how, d, (i,), (j, j + 1)
    for j in range(nb):
        if len(b.tokens[j]) < 4:
            continue
        for i in range(na - 1):
            joined, jkey = a.tokens[i] + a.tokens[i + 1], a.keys[i] + a.keys[i + 1]
            sim, how, d = token_similarity(joined, b.tokens[j], jkey, b.keys[j])
            if sim > 0 and how != INITIAL:
                yield sim, how, d, (i, i + 1), (j,)


def _unmatched_factor(name: AnalysedName, idx: int) -> float:
    if name.is_org:
        return 1.0
    if name.patronymic[idx]:
        return 0.15
    informative = [k for k, r in enumerate(name.roles) if r not in ("particle", "form")]
    if informative and idx in (informative[0], informative[-1]):
        return 1.0
    return 0.35


def score_analysed(a: AnalysedName, b: AnalysedName, threshold: float = DEFAULT_THRESHOLD) -> tuple[float, list[str]]:
    """Score two analysed names; return (score, explanation parts)."""
    if not a.tokens or not b.tokens:
        return 0.0, ["empty name"]
    cands = sorted(_candidates(a, b), key=lambda c: (c[0], len(c[3]) + len(c[4])), reverse=True)
    used_a: set[int] = set()
    used_b: set[int] = set()
    parts: list[str] = []
    matched = total = 0.0
    informative_matched = 0
    common_only = True
    for sim, how, d, ia, ib in cands:
        if used_a.intersection(ia) or used_b.intersection(ib):
            continue
        used_a.update(ia)
        used_b.update(ib)
        wa = sum(a.weights[i] for i in ia)
        wb = sum(b.weights[j] for j in ib)
        w = (wa + wb) / 2
        matched += sim * w
        total += w
        roles = [a.roles[i] for i in ia] + [b.roles[j] for j in ib]
        if any(r in ("name", "common", "short") for r in roles):
            informative_matched += 1
            if any(r in ("name", "short") for r in roles):
                common_only = False
        ta = "+".join(a.tokens[i] for i in ia)
        tb = "+".join(b.tokens[j] for j in ib)
        if how == EXACT:
            parts.append(f"{ta}={tb} exact")
        elif how == FUZZY:
            parts.append(f"{ta}~{tb} fuzzy (distance {d})")
        else:
            parts.append(f"{ta}~{tb} {how}")
    penalty = 0.0
    unmatched_informative = 0
    for name, used, side in ((a, used_a, "first"), (b, used_b, "second")):
        for k, tok in enumerate(name.tokens):
            if k in used:
                continue
            factor = _unmatched_factor(name, k)
            weight = name.weights[k]
            if name.roles[k] in ("name", "common", "short"):
                unmatched_informative += 1
                if factor == 1.0:
                    weight = max(weight, 0.8)  # a missing surname counts even when common
            penalty += weight * factor
            parts.append(f"{tok} ({side} name) unmatched")
    score = matched / (total + penalty) if total + penalty else 0.0
    cap_reason = ""
    if informative_matched == 0:
        score, cap_reason = min(score, 0.3), "no informative token matched"
    elif informative_matched == 1 and max(a.informative, b.informative) >= 2:
        score, cap_reason = min(score, 0.5), "only one name token matched (a surname alone is never enough)"
    elif informative_matched == 1:
        tok = [a.tokens[k] for k in used_a if a.roles[k] in ("name", "common", "short")]
        if not tok or len(tok[0]) < 5 or common_only:
            score, cap_reason = min(score, 0.5), "single short or common token"
    elif common_only and unmatched_informative:
        score, cap_reason = min(score, threshold - 0.1), "only common name tokens matched"
    if cap_reason:
        parts.append(f"capped: {cap_reason}")
    return round(score, 4), parts


def compare_names(a: str, b: str, schema: str | None = None, threshold: float = DEFAULT_THRESHOLD) -> NameComparison:
    """Compare two names; `schema` is an entity type or FollowTheMoney schema (Person,
    Company, Organization, Vessel ...). Returns score, decision at `threshold`, explanation."""
    sa, sb = analyse(a, schema), analyse(b, schema)
    score, parts = score_analysed(sa, sb, threshold)
    explanation = f"{a!r} vs {b!r}: " + "; ".join(parts) + f" -> {score:.2f}"
    return NameComparison(score, score >= threshold, explanation, b, tuple(parts))


def entity_names(entity: Mapping) -> list[tuple[str, str]]:
    """(name, strength) for every name of an entity row: primary, aliases, original names."""
    out = []
    if entity.get("name"):
        out.append((entity["name"], "primary"))
    for alias in entity.get("aliases") or []:
        if isinstance(alias, Mapping):
            if alias.get("name"):
                out.append((alias["name"], alias.get("strength") or "strong"))
        elif alias:
            out.append((str(alias), "strong"))
    for original in entity.get("original_names") or []:
        if original:
            out.append((original, "original"))
    return out


def _identifier_decision(entity: Mapping, identifiers: Mapping[str, str] | None) -> tuple[bool | None, str]:
    if not identifiers:
        return None, ""
    listed: dict[str, set[str]] = {}
    for ident in entity.get("identifiers") or []:
        scheme = str(ident.get("scheme") or "").upper()
        value = "".join(ch for ch in str(ident.get("value") or "") if ch.isalnum()).upper()
        if scheme and value:
            listed.setdefault(scheme, set()).add(value)
    for scheme, value in identifiers.items():
        if not value:
            continue
        scheme = scheme.upper()
        clean = "".join(ch for ch in str(value) if ch.isalnum()).upper()
        if scheme == "IMO":
            clean = clean.removeprefix("IMO")
        if clean in listed.get(scheme, ()):
            return True, f"{scheme} {clean} matches exactly"
        if scheme == "IMO" and listed.get("IMO"):
            return False, f"IMO {clean} differs from listed {', '.join(sorted(listed['IMO']))}"
    return None, ""


def compare_entity(name: str, entity: Mapping, schema: str | None = None,
                   threshold: float = DEFAULT_THRESHOLD,
                   identifiers: Mapping[str, str] | None = None,
                   names: Iterable[tuple[str, str]] | None = None) -> NameComparison:
    """Best comparison of `name` with any name of an entity row (canonical entity frame row as
    a dict): primary name, aliases (weak aliases weighted down by WEAK_ALIAS_FACTOR) and
    original-script names. Identifiers (e.g. {"IMO": "9191943"}) decide when present: an
    exact match matches, a different IMO number rules the vessel out."""
    kind = schema or entity.get("type")
    decided, why = _identifier_decision(entity, identifiers)
    if decided is True:
        return NameComparison(1.0, True, why, entity.get("name"), (why,))
    qa = analyse(name, kind)
    best: tuple[float, list[str], str, str] | None = None
    for listed, strength in names if names is not None else entity_names(entity):
        score, parts = score_analysed(qa, analyse(listed, kind), threshold)
        if strength == "weak":
            score = round(score * WEAK_ALIAS_FACTOR, 4)
            parts = [*parts, f"weak alias (x{WEAK_ALIAS_FACTOR})"]
        if best is None or score > best[0]:
            best = (score, parts, listed, strength)
    if best is None:
        return NameComparison(0.0, False, "entity has no names")
    score, parts, listed, strength = best
    if decided is False:
        score = min(score, 0.5)
        parts = [*parts, why]
    explanation = f"{name!r} vs {strength} name {listed!r}: " + "; ".join(parts) + f" -> {score:.2f}"
    return NameComparison(score, score >= threshold, explanation, listed, tuple(parts))
