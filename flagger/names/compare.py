"""Pair scoring of two names, with an explanation of which tokens matched how.

The score (0-1) is a weighted token alignment; every number below is a named weight in
`analysis.WEIGHTS` / this module, and reading this docstring tells the whole model.

* Alignment: tokens with equal text ("exact", 1.0) or equal equivalence key ("equivalent",
  0.95: romanisation/transliteration variants, see `phonetic.token_key`) pair first; the rest
  pair best-first by: consonant skeleton for abjad-script tokens ("skeleton", 0.85), initial
  ("initial", 0.75, persons only), or edit distance within a length budget ("fuzzy", optimal
  string alignment: two swapped letters are one edit; one edit costs its share of the token,
  two or more cost 1.25 times their share plus 0.1 per edit beyond the first; one-syllable
  tokens get no edit). A token may also pair with two or three adjacent tokens joined ("Jongun" =
  "Jong"+"Un", "Vanderbilt" = "van der bilt").
* Weights by role: legal form 0.15, particle 0.25, initial 0.3, number 0.5, common name or
  generic word 0.5, two-letter token 0.7, other name token 1.0.
* Unmatched tokens cost (analysis.py `_penalties`): for persons the full weight at the edges
  (surname or given name missing; common ones at least 0.8), 0.35 in the middle (a dropped
  middle name), 0.15 for a patronymic, legal forms 0.05; in syllable-by-syllable names
  (Korean, Chinese) every syllable costs in full. When both names have unmatched name parts
  the parts conflict (a different middle name, patronymic or initial) and cost in full.
* score = sum(similarity x weight of matched pairs) / (sum(weight of matched pairs) + costs).
* Shorter form: when one person name matched whole and in order inside a longer one (not a
  syllable-by-syllable Korean/Chinese name, not after bin/ibn in the longer name) the extra
  parts cost like dropped middle names, at most 0.5 in all, and the score is capped at 0.8:
  enough for a pair decision, below a list-screening alert, and flagged `partial` so a text
  hit inside a longer proper-noun chunk is still rejected. Likewise a qualifier of an
  organisation name, a word found only in parentheses ("Deutsche Bank (Schweiz) AG", "(CAGL)")
  or a region word after the first ("Faberlic Europe"), costs at most 0.25 when missing, again
  capped at 0.8.
* Caps: initials alone are never enough (0.5); two person names that each keep a name part the other lacks (a different given,
  middle, father's or family name in its place) are different persons: at most 0.7, below
  the pair threshold whatever threshold is passed; "X bin Y" against "Y bin X" x0.7; different vessel numbers (sister ships) below the
  threshold; at least two informative tokens must match when either name has two (a surname
  alone is never enough), unless the whole multi-token name matches (a kunya "Abu Anas"); a
  lone token must be 5+ characters (3+ between two companies) and not common; a match
  carried only by common tokens is capped below the threshold. None of these caps applies
  when two organisation names of two or more words (legal forms aside) match word for word:
  "AT&T Inc." / "AT and T Inc." and "Seven Eleven" / "7-Eleven" are whole names, however plain
  their words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA

from flagger.names import resources
from flagger.names.analysis import _FILIATION, WEIGHTS, AnalysedName, analyse, forms
from flagger.names.normalize import VESSEL
from flagger.names.phonetic import is_korean_syllable, is_syllable, skeleton, sound_key, syllable_key

DEFAULT_THRESHOLD = 0.75
WEAK_ALIAS_FACTOR = 0.85
EXACT, EQUIVALENT, SKELETON, INITIAL, FUZZY = "exact", "equivalent", "skeleton", "initial", "fuzzy"
NICKNAME = "nickname"
SOUND = "sound"
_SIM = {EXACT: 1.0, EQUIVALENT: 0.95, SKELETON: 0.85, NICKNAME: 0.85, SOUND: 0.8, INITIAL: 0.75}


@dataclass(frozen=True)
class NameComparison:
    score: float
    match: bool
    explanation: str
    matched_name: str | None = None
    details: tuple[str, ...] = field(default=(), repr=False)
    # matched only as the shorter form of a fuller name (see `_fuller_form`): evidence enough
    # for a pair decision, not for accepting a text hit inside a longer proper-noun chunk
    partial: bool = False


def _SIM_MULTI(d: int, length: int) -> float:
    return 1.0 - 1.5 * d / length - 0.1 * (d - 1)


def _budget(length: int) -> int:
    if length < 4:
        return 0
    if length < 6:
        return 1
    if length < 10:
        return 2
    return 3


def token_similarity(a: str, b: str, key_a: str, key_b: str, abjad_a: bool = False,
                     abjad_b: bool = False) -> tuple[float, str, int]:
    """(similarity, how, edit distance) of two folded tokens; similarity 0 means no match.
    `key_a`/`key_b` are the tokens' equivalence keys (`phonetic.token_key`)."""
    if a == b:
        return 1.0, EXACT, 0
    return _token_similarity(a, b, key_a, key_b, abjad_a, abjad_b)


@lru_cache(maxsize=500_000)
def _token_similarity(a: str, b: str, key_a: str, key_b: str, abjad_a: bool,
                      abjad_b: bool) -> tuple[float, str, int]:
    """`token_similarity` of two different tokens, memoised (a list screening compares the
    same token pairs again and again)."""
    result: tuple[float, str, int] = (0.0, "", 0)
    if key_a == key_b:
        result = (_SIM[EQUIVALENT], EQUIVALENT, 0)
    elif a.isalpha() and b.isalpha() and ((len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))):
        result = (_SIM[INITIAL], INITIAL, 0)
    elif a.isalpha() and b.isalpha() and min(len(a), len(b)) > 1:
        if (abjad_a or abjad_b) and skeleton(a, abjad_a) == skeleton(b, abjad_b) and len(a) >= 2 and len(b) >= 2:
            result = (_SIM[SKELETON], SKELETON, 0)
        else:
            length = max(len(key_a), len(key_b))
            shortest = min(len(key_a), len(key_b))
            # one-syllable tokens (Korean/Chinese given-name syllables: Yong/Jong, Tae/Dan)
            # differ by one letter between different names, so they get no extra edit
            syllables = is_korean_syllable(a) and is_korean_syllable(b)
            budget = _budget(shortest if syllables else shortest + 1)
            d = OSA.distance(key_a, key_b, score_cutoff=budget)
            d2 = OSA.distance(a, b, score_cutoff=budget)
            d = min(d, d2)
            if d <= budget and key_a[0] == key_b[0] or d <= budget and d < 2 and length >= 5:
                # one edit costs its share of the token; two or more cost progressively more
                sim = 1.0 - d / length if d <= 1 else _SIM_MULTI(d, length)
                result = (max(0.0, sim), FUZZY, d)
    return result


def _align(a: AnalysedName, b: AnalysedName) -> list[tuple[float, str, int, tuple[int, ...], tuple[int, ...]]]:
    """Greedy token alignment: exact and equivalent tokens first (cheap dictionary work), then
    fuzzy/initial/skeleton pairs best-first among the rest, then adjacent-token joins."""
    out: list[tuple[float, str, int, tuple[int, ...], tuple[int, ...]]] = []
    free_b: dict[str, list[int]] = {}
    for j, key in enumerate(b.keys):
        free_b.setdefault(key, []).append(j)
    rest_a: list[int] = []
    used_b: set[int] = set()
    for i, key in enumerate(a.keys):
        js = free_b.get(key)
        if js:
            tok = a.tokens[i]
            pick = next((j for j in js if b.tokens[j] == tok), js[0])
            if a.native[i] and b.native[pick] and b.tokens[pick] != tok:
                # two Hangul/Han syllables that differ are different syllables, whatever their romanisation
                rest_a.append(i)
                continue
            js.remove(pick)
            used_b.add(pick)
            how = EXACT if b.tokens[pick] == tok else EQUIVALENT
            out.append((_SIM[how], how, 0, (i,), (pick,)))
        else:
            rest_a.append(i)
    rest_b = [j for j in range(len(b.tokens)) if j not in used_b]
    if not rest_a or not rest_b:
        return out
    cands = []
    persons = not (a.is_org or b.is_org)
    for i in rest_a:
        la = len(a.keys[i])
        forms = resources.given_name_forms(a.tokens[i]) if persons else ()
        for j in rest_b:
            if forms and b.tokens[j] in forms:
                # another form of the same given name ("Ted" / "Theodore", "Juan" / "John")
                cands.append((_SIM[NICKNAME], NICKNAME, 0, (i,), (j,)))
                continue
            lb = len(b.keys[j])
            if abs(la - lb) > 3 and la > 1 and lb > 1 and not (a.abjad[i] or b.abjad[j]):
                continue
            if a.native[i] and b.native[j]:
                continue
            sim, how, d = token_similarity(a.tokens[i], b.tokens[j], a.keys[i], b.keys[j], a.abjad[i], b.abjad[j])
            if (sim < _SIM[SOUND] and a.transcribed != b.transcribed and a.tokens[i].isalpha() and b.tokens[j].isalpha()
                    and len(sound_key(a.tokens[i], False)) >= 2 and sound_key(a.tokens[i], False) == sound_key(b.tokens[j], False)):
                # a Latin name transcribed into another script by its sounds ("beilake" = Barack)
                sim, how, d = _SIM[SOUND], SOUND, 0
            if sim > 0 and not (how == INITIAL and (a.is_org or b.is_org)):
                cands.append((sim, how, d, (i,), (j,)))
    for i in rest_a:
        if len(a.tokens[i]) < 4:
            continue
        la = len(a.tokens[i])
        for j in range(len(b.tokens) - 1):
            if abs(len(b.tokens[j]) + len(b.tokens[j + 1]) - la) > 2:
                continue
            joined, jkey = b.tokens[j] + b.tokens[j + 1], b.keys[j] + b.keys[j + 1]
            sim, how, d = token_similarity(a.tokens[i], joined, a.keys[i], jkey, a.abjad[i], b.abjad[j] or b.abjad[j + 1])
            if sim < _SIM[EQUIVALENT] and syllable_key(a.tokens[i]) == jkey:
                sim, how, d = _SIM[EQUIVALENT], EQUIVALENT, 0  # "Zedong" = "Tse"+"tung"
            elif how == FUZZY and is_syllable(b.tokens[j]) and is_syllable(b.tokens[j + 1]):
                continue  # syllables written apart: an edit makes another syllable ("Xiao-ping" / "Xiaoming")
            if sim > 0 and how != INITIAL:
                cands.append((sim, how, d, (i,), (j, j + 1)))
    for j in rest_b:
        if len(b.tokens[j]) < 4:
            continue
        lb = len(b.tokens[j])
        for i in range(len(a.tokens) - 1):
            if abs(len(a.tokens[i]) + len(a.tokens[i + 1]) - lb) > 2:
                continue
            joined, jkey = a.tokens[i] + a.tokens[i + 1], a.keys[i] + a.keys[i + 1]
            sim, how, d = token_similarity(joined, b.tokens[j], jkey, b.keys[j], a.abjad[i] or a.abjad[i + 1], b.abjad[j])
            if sim < _SIM[EQUIVALENT] and syllable_key(b.tokens[j]) == jkey:
                sim, how, d = _SIM[EQUIVALENT], EQUIVALENT, 0
            elif how == FUZZY and is_syllable(a.tokens[i]) and is_syllable(a.tokens[i + 1]):
                continue
            if sim > 0 and how != INITIAL:
                cands.append((sim, how, d, (i, i + 1), (j,)))
    if persons or a.is_org and b.is_org:
        # a run of initials written as one token: "JC" = "Jean-Claude", "AQ Khan" = "Abdul Qadeer
        # Khan"; an organisation's acronym for words of the other name: "PLA" = "People's
        # Liberation Army", "U.S." = "United States" (words of 3+ letters; vowels allowed)
        for x, y, rest_x, swap in ((a, b, rest_a, False), (b, a, rest_b, True)):
            for i in rest_x:
                tok = x.tokens[i]
                if not (2 <= len(tok) <= (3 if persons else 5) and tok.isalpha()
                        and (not persons or not _VOWELS.search(tok))):
                    continue
                n = len(tok)
                for j in range(len(y.tokens) - n + 1):
                    span = tuple(range(j, j + n))
                    # (an organisation's acronym may take the initial of its legal form: "KKBC")
                    if all(y.tokens[k][0] == ch and len(y.tokens[k]) > (1 if persons else 2)
                           and (y.info[k] or not persons and k > j and y.roles[k] == "form")
                           for k, ch in zip(span, tok, strict=True)):
                        cands.append((_SIM[INITIAL], INITIAL, 0, span, (i,)) if swap else (_SIM[INITIAL], INITIAL, 0, (i,), span))
    for x, y, rest_x, swap in ((a, b, rest_a, False), (b, a, rest_b, True)):
        for i in rest_x:
            lx = len(x.tokens[i])
            if lx < 6:
                continue
            for j in range(len(y.tokens) - 2):
                parts = y.tokens[j:j + 3]
                if abs(sum(map(len, parts)) - lx) > 1:
                    continue
                joined = "".join(parts)
                if joined == x.tokens[i]:
                    span = (j, j + 1, j + 2)
                    cands.append((1.0, EXACT, 0, span, (i,)) if swap else (1.0, EXACT, 0, (i,), span))
    if not cands:
        return out
    cands.sort(key=lambda c: (c[0], len(c[3]) + len(c[4])), reverse=True)
    used_a = set(range(len(a.tokens))) - set(rest_a)
    for cand in cands:
        ia, ib = cand[3], cand[4]
        if used_a.intersection(ia) or used_b.intersection(ib):
            continue
        used_a.update(ia)
        used_b.update(ib)
        out.append(cand)
    return out


def score_core(a: AnalysedName, b: AnalysedName, threshold: float = DEFAULT_THRESHOLD):
    """(score, alignment, cap reason) without building an explanation (the hot path)."""
    if not a.tokens or not b.tokens:
        return 0.0, [], "empty name"
    alignment = _align(a, b)
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched = total = 0.0
    informative_matched = 0
    rare_matched = False
    first_info = ""
    for sim, _how, _d, ia, ib in alignment:
        used_a.update(ia)
        used_b.update(ib)
        w = (sum(a.weights[i] for i in ia) + sum(b.weights[j] for j in ib)) / 2
        matched += sim * w
        total += w
        n_info = max(sum(a.info[i] for i in ia), sum(b.info[j] for j in ib))
        if n_info:
            informative_matched += n_info
            if not first_info:
                first_info = a.tokens[ia[0]]
            if any(a.rare[i] for i in ia) or any(b.rare[j] for j in ib):
                rare_matched = True
    penalty = relaxed_penalty = 0.0
    unmatched_informative = 0
    unmatched_qualifiers = {id(a): 0, id(b): 0}
    # an unmatched name part on both sides is a conflict (a different middle name, patronymic
    # or initial), not an omission: it then costs its full weight
    conflict = _has_unmatched_part(a, used_a) and _has_unmatched_part(b, used_b)
    # organisations (not vessels) numbered in a series: a number only one name carries ("Solutions"
    # / "Solutions II") is another company and costs like a name; two different numbers are
    # members of one series ("Partners VII" / "Partners VIII") and qualify the name instead
    series = _series(a, used_a, b, used_b)
    for name, used in ((a, used_a), (b, used_b)):
        if len(used) == len(name.tokens):
            continue
        for k in range(len(name.tokens)):
            if k not in used:
                pen = name.penalty[k]
                if conflict and name.roles[k] not in ("form", "particle"):
                    # conflicting initials ("William G." / "William W.") count like names
                    pen = max(pen, 0.8 if name.roles[k] == "initial" else name.weights[k])
                if series == "extra" and name.roles[k] == "number":
                    pen = max(pen, WEIGHTS["name"])
                penalty += pen
                qualifier = bool(name.qualifier and name.qualifier[k]) or series == "swap" and name.roles[k] == "number"
                relaxed_penalty += min(pen, QUALIFIER_COST) if qualifier else pen
                unmatched_informative += name.info[k]
                unmatched_qualifiers[id(name)] += qualifier and name.info[k]
    score = matched / (total + penalty) if total + penalty else 0.0
    cap = ""
    if relaxed_penalty < penalty:
        # words only in parentheses qualify an organisation's name ("Deutsche Bank (Schweiz)
        # AG"): missing, they cost at most QUALIFIER_COST each, and such a match stays below a
        # list-screening alert like a shorter form
        relaxed_score = min(FULLER_FORM_MAX, matched / (total + relaxed_penalty))
        if relaxed_score > score:
            score, cap = relaxed_score, f"{QUALIFIED} (at most {FULLER_FORM_MAX})"
    # name words, qualifiers that only one name carries aside ("Faberlic" / "Faberlic Europe")
    most_informative = max(a.informative, b.informative)
    if cap:
        most_informative = max(a.informative - unmatched_qualifiers[id(a)], b.informative - unmatched_qualifiers[id(b)])
    fuller = _fuller_form(a, used_a, b, used_b, alignment)
    if (fuller is not None and informative_matched >= 2 and rare_matched
            and all(how != FUZZY for _s, how, *_ in alignment)):
        # the shorter name is the whole of a fuller form of itself ("Dost Mohammad" /
        # "Dost Mohammad Khan Haqqani"): the extra parts cost like dropped middle names, at
        # most FULLER_FORM_COST in all, and such a match stays below a list-screening alert
        used_f = used_a if fuller is a else used_b
        extra = [k for k in range(len(fuller.tokens)) if k not in used_f]
        relaxed = min(FULLER_FORM_COST, sum(fuller.weights[k] * MIDDLE_COST for k in extra))
        relaxed_score = min(FULLER_FORM_MAX, matched / (total + relaxed))
        if relaxed_score > score and sum(fuller.info[k] for k in extra) <= FULLER_FORM_PARTS:
            score = relaxed_score
            cap = f"{FULLER_FORM} ({len(extra)} extra part(s); at most {FULLER_FORM_MAX})"
    if a.filiation and b.filiation and _inverted(alignment, a, b):
        score, cap = score * 0.7, "name order around bin/ibn differs (x0.7)"
    complete = len(used_a) == len(a.tokens) and len(used_b) == len(b.tokens)
    if (a.kind == VESSEL or b.kind == VESSEL) and _number_differs(a, used_a, b, used_b):
        score, cap = min(score, threshold - 0.1), "vessel numbers differ (a sister ship is another vessel)"
    elif (complete and a.is_org and b.is_org and all(sim >= _SIM[EQUIVALENT] for sim, *_ in alignment)
          and sum(r != "form" for r in a.roles) >= WHOLE_NAME_WORDS):
        pass  # an organisation name of 2+ words written the same, whatever its words ("AT&T", "7-Eleven")
    elif informative_matched == 0:
        score, cap = min(score, 0.3), "no informative token matched"
    elif _whole_acronym(a, used_a, b, used_b, alignment):
        # an organisation's acronym of 3+ letters for all the name words of the other name ("PLA"
        # / "People's Liberation Army"): a pair match, never a list-screening alert on its own
        score, cap = min(max(score, FULLER_FORM_MAX), FULLER_FORM_MAX), f"{ACRONYM} (at most {FULLER_FORM_MAX})"
    elif all(how == INITIAL for _s, how, *_ in alignment):
        score, cap = min(score, 0.5), "initials alone are never enough"
    elif conflict and not (a.is_org or b.is_org) and score > CONFLICT_CAP:
        # a name part in one name and another one in its place in the other ("ben Hamid" /
        # "ben Abdallah", "Jalil Habbush al-Dulaimi" / "al-Tikriti"): a different person
        score, cap = CONFLICT_CAP, "a name part differs between the two names (another person)"
    elif (informative_matched == 1 and complete and len(a.tokens) >= 2 and len(b.tokens) >= 2
          and len(first_info) >= 3 and rare_matched and all(sim >= _SIM[EQUIVALENT] for sim, *_ in alignment)):
        pass  # the whole name matches, e.g. a kunya "Abu Anas" or "al-Haq": not a lone token
    elif informative_matched == 1 and most_informative >= 2:
        score, cap = min(score, 0.5), "only one name token matched (a surname alone is never enough)"
    elif informative_matched == 1 and (not rare_matched or len(first_info) < (3 if a.is_org and b.is_org else 5)):
        score, cap = min(score, 0.5), "single short or common token"
    elif not rare_matched and unmatched_informative:
        score, cap = min(score, threshold - 0.1), "only common name tokens matched"
    elif a.is_org and b.is_org and _has_unmatched_rare(a, used_a) and _has_unmatched_rare(b, used_b):
        # "Parchin Money Exchange" / "Hanifa Money Exchange": a distinctive word substituted
        score, cap = min(score, threshold - 0.05), "a distinctive word differs between the two company names"
    return round(score, 4), alignment, cap


WHOLE_NAME_WORDS = 2
CONFLICT_CAP = 0.7  # below DEFAULT_THRESHOLD, whatever threshold a caller passes
QUALIFIER_COST = 0.25
QUALIFIED = "a qualifier of the organisation name (a word in parentheses, a region) is missing"
FULLER_FORM = "one name is the whole of a fuller form of the other"
FULLER_FORM_COST = 0.5
FULLER_FORM_PARTS = 3    # a shorter form leaves out at most three name parts of the fuller one
FULLER_FORM_MAX = 0.8
MIDDLE_COST = 0.35


def _fuller_form(a: AnalysedName, used_a: set[int], b: AnalysedName, used_b: set[int], alignment):
    """The longer of two person names when the shorter one matched whole, in the same order
    (or that order rotated: "SURNAME Given"), inside it; None otherwise, and also when the longer name is written syllable by syllable
    (Korean/Chinese: every syllable counts, "Jong Un" is not "Kim Jong Un") or the match sits
    after a filiation particle ("Hamza bin Bassam al-Assad": "Bassam al-Assad" is the father)."""
    if a.is_org or b.is_org or a.kind is not None and a.kind != "person" or not alignment:
        return None
    complete_a, complete_b = len(used_a) == len(a.tokens), len(used_b) == len(b.tokens)
    if complete_a == complete_b:
        return None
    longer, used_l = (b, used_b) if complete_a else (a, used_a)
    if longer.syllabic:
        return None
    pairs = sorted((ia[0], ib[0]) for _s, _h, _d, ia, ib in alignment)
    other = [j for _i, j in pairs]
    descents = sum(1 for x, y in zip(other, other[1:], strict=False) if y < x)
    if descents > 1 or descents == 1 and other[-1] > other[0]:
        return None  # the same order, or the same order rotated ("Hekmatyar, Gulbuddin"), only
    first = min(used_l)
    if any(longer.tokens[k] in _FILIATION for k in range(first) if k not in used_l):
        return None
    return longer


_VOWELS = re.compile("[aeiouy]")
_ROMAN = frozenset({"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"})


def _number_differs(a: AnalysedName, used_a: set[int], b: AnalysedName, used_b: set[int]) -> bool:
    """A number (or roman numeral / single letter suffix) present on one side only or differing."""
    for name, used in ((a, used_a), (b, used_b)):
        for k, tok in enumerate(name.tokens):
            if k not in used and (tok.isdigit() or tok in _ROMAN or (len(tok) == 1 and k == len(name.tokens) - 1)):
                return True
    return False


ACRONYM = "an acronym of the whole other name"


def _whole_acronym(a: AnalysedName, used_a: set[int], b: AnalysedName, used_b: set[int], alignment) -> bool:
    """Two organisation names, one an acronym (3+ letters) of every name word of the other, with
    nothing else unmatched but qualifiers (a region or country word, a legal form)."""
    if not (a.is_org and b.is_org) or len(alignment) != 1 or alignment[0][1] != INITIAL:
        return False
    _s, _h, _d, ia, ib = alignment[0]
    short, span = (a, ib) if len(ia) == 1 else (b, ia)
    longer, used_l = (b, used_b) if short is a else (a, used_a)
    used_s = used_a if short is a else used_b
    if len(span) < 3 or any(longer.info[k] and k not in used_l for k in range(len(longer.tokens))):
        return False
    return all(short.roles[k] == "form" or short.qualifier[k] for k in range(len(short.tokens)) if k not in used_s)


def _series(a: AnalysedName, used_a: set[int], b: AnalysedName, used_b: set[int]) -> str:
    """For two organisation names (not vessels): "swap" when each keeps a number the other lacks,
    "extra" when only one does, else ""."""
    if not (a.is_org and b.is_org) or VESSEL in (a.kind, b.kind):
        return ""
    na = any(k not in used_a and r == "number" for k, r in enumerate(a.roles))
    nb = any(k not in used_b and r == "number" for k, r in enumerate(b.roles))
    return "swap" if na and nb else "extra" if na or nb else ""


def _has_unmatched_rare(name: AnalysedName, used: set[int]) -> bool:
    return any(k not in used and name.rare[k] and not name.tokens[k].isdigit() for k in range(len(name.tokens)))


def _has_unmatched_part(name: AnalysedName, used: set[int]) -> bool:
    return any(k not in used and name.roles[k] in ("name", "common", "short", "initial")
               for k in range(len(name.tokens)))


def _inverted(alignment, a: AnalysedName, b: AnalysedName) -> bool:
    """"X bin Y" against "Y bin X": the names on either side of a filiation particle (son/
    daughter of) swapped between the two names."""
    def around(name: AnalysedName) -> tuple[int, int, int] | None:
        # the informative tokens either side of the particle, over articles ("bin al-Din")
        for p, tok in enumerate(name.tokens):
            if tok in _FILIATION and 0 < p < len(name.tokens) - 1 and name.info[p - 1]:
                after = next((k for k in range(p + 1, len(name.tokens)) if name.info[k]), None)
                if after is not None and all(name.roles[k] == "particle" for k in range(p + 1, after)):
                    return p - 1, p, after
        return None

    sa, sb = around(a), around(b)
    if sa is None or sb is None:
        return False
    to_b = {ia[0]: ib[0] for _s, _h, _d, ia, ib in alignment if len(ia) == 1 and len(ib) == 1}
    before, after = to_b.get(sa[0]), to_b.get(sa[2])
    return before is not None and after is not None and before > sb[1] and after < sb[1]


def explain(a: AnalysedName, b: AnalysedName, alignment, cap: str) -> list[str]:
    """Human-readable parts: how each token matched, which did not, and any cap applied."""
    parts = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _sim, how, d, ia, ib in alignment:
        used_a.update(ia)
        used_b.update(ib)
        ta = "+".join(a.tokens[i] for i in ia)
        tb = "+".join(b.tokens[j] for j in ib)
        if how == EXACT:
            parts.append(f"{ta}={tb} exact")
        elif how == FUZZY:
            parts.append(f"{ta}~{tb} fuzzy (distance {d})")
        else:
            parts.append(f"{ta}~{tb} {how}")
    for name, used, side in ((a, used_a, "first"), (b, used_b, "second")):
        parts.extend(f"{tok} ({side} name) unmatched" for k, tok in enumerate(name.tokens) if k not in used)
    if cap:
        parts.append(f"capped: {cap}")
    return parts


def score_analysed(a: AnalysedName, b: AnalysedName, threshold: float = DEFAULT_THRESHOLD) -> tuple[float, list[str]]:
    """Score two analysed names; return (score, explanation parts)."""
    score, alignment, cap = score_core(a, b, threshold)
    return score, explain(a, b, alignment, cap)


def compare_names(a: str, b: str, schema: str | None = None, threshold: float = DEFAULT_THRESHOLD) -> NameComparison:
    """Compare two names; `schema` is an entity type or FollowTheMoney schema (Person,
    Company, Organization, Vessel ...). Returns score, decision at `threshold`, explanation."""
    score, alignment, cap, sa, sb = best_of_forms(forms(a, schema), forms(b, schema), threshold)
    parts = explain(sa, sb, alignment, cap) + reading_notes(a, sa, b, sb)
    explanation = f"{a!r} vs {b!r}: " + "; ".join(parts) + f" -> {score:.2f}"
    return NameComparison(score, score >= threshold, explanation, b, tuple(parts),
                          cap.startswith((FULLER_FORM, QUALIFIED, ACRONYM)))


def best_of_forms(forms_a, forms_b, threshold: float = DEFAULT_THRESHOLD):
    """(score, alignment, cap, form a, form b) of the best-scoring pair of readings."""
    best = None
    for fa in forms_a:
        for fb in forms_b:
            score, alignment, cap = score_core(fa, fb, threshold)
            if best is None or score > best[0]:
                best = (score, alignment, cap, fa, fb)
    return best


def reading_notes(a: str, fa: AnalysedName, b: str, fb: AnalysedName) -> list[str]:
    return [f"{name!r} read as {'a transcription' if form.transcribed and form.raw.isascii() else 'Korean'} {form.raw!r}"
            for name, form in ((a, fa), (b, fb)) if form.raw != name]


def weak_alias_score(score: float, alias: AnalysedName, threshold: float = DEFAULT_THRESHOLD) -> float:
    """Weak (low-quality) aliases count less, and a one-word weak alias never matches alone."""
    score = score * WEAK_ALIAS_FACTOR
    if alias.informative <= 1:
        score = min(score, threshold - 0.1)
    return round(score, 4)


# "Armament Industries Group (AIG)": a name ending in its parenthesised acronym
_ACRONYM = re.compile(r"^(?P<name>.*\S)\s*\((?P<acronym>[A-Z][A-Z0-9&.\- ]{1,11})\)\s*$")


def split_acronym(name: str) -> tuple[str, str] | None:
    """(name without it, acronym) for a name that ends in a parenthesised acronym of capitals
    ("Korea Kwangson Banking Corporation (KKBC)"), else None."""
    m = _ACRONYM.match(name)
    if m is None or not any(c.isalpha() for c in m.group("acronym")):
        return None
    return m.group("name").rstrip(" ,;-"), m.group("acronym").strip()


def entity_names(entity: Mapping) -> list[tuple[str, str]]:
    """(name, strength) for every name of an entity row: primary, aliases, original names. A
    name ending in a parenthesised acronym also stands without it (a weak name when 3+ name words) and
    the acronym is a name of its own (strong for a primary or strong name)."""
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
    seen = {n for n, _ in out}
    for name, strength in list(out):
        parts = split_acronym(name)
        if parts is None:
            continue
        # without its acronym a name of 3+ name words (legal forms, particles aside) stands as a weak name (x WEAK_ALIAS_FACTOR: found
        # when written exactly, but "ISLAMIC STATE WEST AFRICA PROVINCE BANK" no longer passes for
        # "... PROVINCE (ISWAP)"); a shorter one keeps its strength ("VNESHECONOMBANK (VEB)"), and
        # the acronym alone is as strong as the name
        bare = "weak" if strength == "weak" or analyse(parts[0]).informative >= 3 else strength
        for extra, st in ((parts[0], bare), (parts[1], "weak" if strength == "weak" else "strong")):
            if extra and extra not in seen:
                seen.add(extra)
                out.append((extra, st))
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
    qa = forms(name, kind)
    best: tuple[float, list[str], str, str] | None = None
    for listed, strength in names if names is not None else entity_names(entity):
        score, alignment, cap, fa, fb = best_of_forms(qa, forms(listed, kind), threshold)
        parts = explain(fa, fb, alignment, cap) + reading_notes(name, fa, listed, fb)
        if strength == "weak":
            score = weak_alias_score(score, fb, threshold)
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
