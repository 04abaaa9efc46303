"""Precision at hit sites: is a name found in running text the whole name, or part of a
longer, different one?

`find_chunk()` grows a candidate hit to the proper-noun chunk around it using the original
casing: adjacent capitalised words, name particles (bin, al, de, van, von ...) between
capitalised words, and legal forms ("Co., Ltd."). Titles and common sentence words before a
name ("President", "Yesterday", "The") are not part of the chunk. Casing carries no evidence
in all-caps or title-case sentences and in caseless scripts (Hangul, Han, Arabic): the hit is
then taken as it is.

`verify_in_context()` accepts a hit when its chunk adds nothing but titles, legal forms or a
possessive, or when the whole chunk still matches one of the entity's names; it rejects a
listed name found inside a longer, different name ("Bassam al-Assad" inside "Hamza bin Bassam
al-Assad"; a company's core name "Delta Mining" inside "Delta Mining Shipping Ltd.").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from itertools import accumulate

from flagger.names import resources
from flagger.names.compare import DEFAULT_THRESHOLD, compare_names
from flagger.names.normalize import fold
from flagger.names.phonetic import is_syllable
from flagger.text import no_spaces_script

_POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)
# A word ending in a possessive or a Turkish case suffix after an apostrophe ("Un's", "Putin'in",
# "Rusya'nın") ends a proper noun: the capitalised word after it is not part of the name
# ("Kim Jong Un's Foreign Ministry", "Vladimir Putin'in Eylül ziyareti"). Only these endings: an
# apostrophe inside an Arabic name ("Ja'far", "Qa'ida") is no suffix.
# A capitalised word joined by a hyphen to a lower-case one: an adjective ("Korea-flagged",
# "Dubai-based", "Iran-backed"), not a part of the name beside it ("Rolls-Royce", "al-Assad" are).
_HYPHEN_ADJECTIVE = re.compile(r"[^\W\d_][\w.'\u2019]*(?:-[^\W\d_][\w'\u2019]*)*-[^\W\d_A-Z]{3,}")


def _hyphen_adjective(word: str) -> bool:
    # a Korean given name written with a hyphen ("Yong-chol", "Sung-hoon") is a name
    return _HYPHEN_ADJECTIVE.fullmatch(word) is not None and not is_syllable(word.rsplit("-", 1)[1].lower())


# The same endings but the English possessive: a Turkish case suffix on the capitalised word after
# a name makes it another noun phrase (subject-object-verb: "Sergei Lavrov Pyongyang'a gitti").
_CASE_SUFFIXED = re.compile(
    r"[^\W\d_]['\u2019](?:[nyl]?[iıuü]n|[nyl]?[ıiuüae]|[dt][ae]n?|n[ıiuü]n|y?l[ae]|nd[ae]n?|l[ae]r(?:[iı]n)?)$")
_WORD_SUFFIX = re.compile(r"^['\u2019][^\W\d_]{1,5}(?![^\W\d_])")
_SUFFIXED = re.compile(
    r"[^\W\d_]['\u2019](?:s|[nyl]?[iıuü]n|[nyl]?[ıiuüae]|[dt][ae]n?|n[ıiuü]n|y?l[ae]|nd[ae]n?|l[ae]r(?:[iı]n)?)$")
_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")     # _WORD as re.split's one group: words and what is between
# A sentence ends at . ! ? before white space and a capital or digit, at a blank line or a line
# break. The character class first and each ending's rest after it (its first character told by
# a lookbehind) lets the regex engine skip to candidate characters in C (a leading lookahead is
# entered at every character): the same matches, 2x faster (tests/names/test_chunk_speed.py).
_SENTENCE_END = re.compile(r"[.!?\n\r](?:(?<=[.!?])\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])|(?<=\n)\s*\n|(?<=[\n\r]))")


@cache
def _folded(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(t for w in words for t in fold(w).split())


# The folded word sets, each made once per process (every hit asked for them: re-hashing the
# word lists and uniting the sets again cost ~45 us of a verified hit's ~150 us).
@cache
def _boundary() -> frozenset[str]:
    return _folded(tuple(resources.boundary_words()))


@cache
def _connectors() -> frozenset[str]:
    return _folded(resources.connectors())


@cache
def _country_words() -> frozenset[str]:
    return _folded(resources.country_words())


@cache
def _roles() -> frozenset[str]:
    return _folded(resources.role_words())


@cache
def _stop_words() -> frozenset[str]:
    """Words a chunk never grows leftwards over: boundary words, titles, countries."""
    return _boundary() | resources.title_tokens() | _country_words()


@cache
def _chunk_particles() -> frozenset[str]:
    """Name particles a chunk grows through (not connectors, not German articles)."""
    return resources.particles() - _connectors() - _ARTICLES


# Prepositions between a role noun and its organisation ("head of Roscosmos", "Chef von Roskosmos",
# "directeur de Roscosmos").
_ROLE_LINKS = frozenset({"of", "von", "de", "di", "del", "della", "du", "des", "der", "do", "da", "dos", "das"})


def _role_compound(word: str) -> bool:
    """A hyphenated word ending in a role noun ("Roskosmos-Chef", "Gazprom-Sprecher"), or one word
    made of a noun and a role noun or title the way German, Dutch and the Nordic languages write
    them ("Kremlsprecher", "Kremlchef", "Vizeregierungschef", "Vizepremier", "Außenminister"): a
    role-holder, no part of the name beside it."""
    head, sep, tail = word.rpartition("-")
    if sep:
        return bool(head and tail) and fold(tail) in _roles()
    low = fold(word)
    # a role ending with at least _COMPOUND_HEAD letters before it: the word without its first
    # _COMPOUND_HEAD letters still ends in the role (one C call for every role)
    return " " not in low and low[_COMPOUND_HEAD:].endswith(_COMPOUND_ROLES)


# A compound's first noun has at least this many letters ("Vizepremier", "Kremlchef"): a name
# ending in a role's letters with a shorter head is taken as a name.
_COMPOUND_HEAD = 4
# The role nouns and titles German, Dutch and the Nordic languages write at the end of a compound
# ("Kremlsprecher", "Staatschef", "Außenminister", "Regeringsleider", "Utrikesminister"). Not the
# honorifics (a name may end in "amir" or "sayed": "Abdulamir"), not English words (no compounds).
_COMPOUND_ROLES = tuple(sorted({fold(w) for w in """
    chef chefin leiter leiterin sprecher sprecherin präsident präsidentin minister ministerin
    kanzler kanzlerin vorsitzender vorsitzende direktor direktorin botschafter premier machthaber
    diktator kommandeur befehlshaber gründer
    voorzitter woordvoerder topman directeur leider
    ledare ordförande talesperson talsman
    """.split()}))


# Lower-case words a name of an organisation can run through ("Bank of China", "Ministry of the
# People's Armed Forces", "Council for ..."): the chunk grows through them, but a hit that does
# not match the grown chunk is judged again on the chunk without them (the "core").
_JOINERS = frozenset({"of", "the", "for"})
# Name particles that are also German articles: German capitalises every noun, so "traf Kim Jong
# Un den Minister" or "ein Vertrauter des Wladimir Putin" would join a name to a noun. A name
# with one of these alone before its surname ("Joop den Uyl") is not grown through it.
_ARTICLES = frozenset({"der", "den", "des", "das"})
# Name particles that are also German prepositions: after a common noun ("des Regimes von Kim
# Jong Un", "der Besuch von Putin") they join nothing; after a name ("Otto von ...") they may.
_PREPOSITIONS = frozenset({"von", "zu"})


def _words(text: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """(start, end, word) of every _WORD in text[lo:hi]: one re.split, the offsets a running sum
    of the pieces' lengths (what _WORD.finditer gives, without a Python step per match)."""
    pieces = _WORD_SPLIT.split(text[lo:hi])
    at = list(accumulate(map(len, pieces), initial=lo))
    return list(zip(at[1:-1:2], at[2::2], pieces[1::2], strict=True))


# How far from a hit to look for its sentence's ends. Without a bound every hit rescans the text
# from its start: quadratic, minutes for a 2 MB article with thousands of hits.
SENTENCE_REACH = 4000


def _is_sentence_end(text: str, m: re.Match) -> bool:
    # a period after an abbreviation or legal form does not end the sentence
    if not m.group().startswith("."):
        return True
    before = _WORD.findall(text[max(0, m.start() - 12):m.start()])
    return not (before and _is_abbreviation(before[-1]))


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - SENTENCE_REACH)
    for reach in (400, SENTENCE_REACH):    # the nearest sentence end is usually close
        window = max(0, start - reach)
        found = [m for m in _SENTENCE_END.finditer(text, window, start)]
        last = next((m for m in reversed(found) if _is_sentence_end(text, m)), None)
        if last is not None:
            lo = last.end()
            break
        if window == 0:
            lo = 0
            break
    hi = min(len(text), end + SENTENCE_REACH)
    for m in _SENTENCE_END.finditer(text, end, hi):
        if not _is_sentence_end(text, m):
            continue
        hi = m.start() + 1
        break
    return lo, hi


def sentence_initial(text: str, start: int) -> bool:
    """Whether text[start:] begins its sentence's first word (only quotes or brackets before it)."""
    lo, _hi = _sentence_bounds(text, start, start)
    return _WORD.search(text, lo, start) is None


@lru_cache(maxsize=1 << 14)      # asked of the word before every period near a hit: words recur
def _is_abbreviation(word: str) -> bool:
    low = fold(word)
    return (len(word) == 1 or low in resources.legal_form_tokens() or (low,) in resources.legal_forms()
            or low in resources.title_tokens())


def _is_cap(word: str) -> bool:
    if word[0].isupper() or word[0].isdigit():
        return True
    head, sep, rest = word.partition("-")
    return bool(sep and rest and head.lower() in resources.particles() and rest[0].isupper())


def _casing_useless(sentence: str) -> bool:
    # map(str.islower, ...) walks the characters in C (a Python step per character cost more
    # than the rest of verifying a hit)
    has_lower = any(map(str.islower, sentence))
    if not has_lower and not any(map(str.isupper, sentence)):
        return True  # caseless script
    if not has_lower:
        return True  # all caps
    skip = resources.particles()
    # title-case headline: every word of 3+ letters capitalised (and at least four of them); the
    # first lower-case one decides
    words = 0
    for m in _WORD.finditer(sentence):       # the first lower-case word ends the look
        w = m.group()
        if len(w) >= 3 and w.lower() not in skip:
            if not (w[0].isupper() or w[0].isdigit()):
                return False
            words += 1
    return words >= 4


def _caseless_run(hit: str) -> bool:
    """Whether the hit is written in a script without spaces or case (Han, kana, Thai ...): such a
    name is a run of characters inside a longer run ("国防部长绍伊古会见"), and the casing of Latin
    words elsewhere in the sentence ("绍伊古(Sergei Shoigu)") says nothing about where it ends; it
    is taken as is, as in a sentence of that script alone."""
    return no_spaces_script(hit) and not any(map(str.isupper, hit)) and not any(map(str.islower, hit))


def _gap_ok(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    gap = text[left[1]:right[0]]
    if not gap.strip():
        return True
    if gap.strip() in (".", ".,", ",") and _is_abbreviation(left[2]) and _legal_form_at(text, right[0]):
        return True  # "Co., Ltd.", "Handel, sp. z o.o."
    return gap.strip() == "." and len(left[2]) == 1 and bool(gap.endswith(" "))  # initials "J. Smith"


def _legal_form_at(text: str, start: int) -> bool:
    """Whether a whole legal form is written from text[start] on ("Ltd.", "sp. z o.o."): a word
    of one ("o" of "s.r.o.") is not enough ("Limited, O Un Chol" is a company and a person)."""
    words = fold(text[start:start + 40].replace(".", " ")).split()
    forms = resources.legal_forms()
    return any(tuple(words[:n]) in forms for n in range(1, min(len(words), resources.max_legal_form_len()) + 1))


def find_chunk(text: str, start: int, end: int) -> tuple[int, int]:
    """Character span of the proper-noun chunk around text[start:end] (see module docstring)."""
    return _find_chunk(text, start, end)[:2]


def _find_chunk(text: str, start: int, end: int,
                context_word: Callable[[str], bool] | None = None) -> tuple[int, int, bool]:
    """find_chunk's span, and whether the sentence's casing said nothing (then the span is the hit)."""
    span, _core, caseless = _chunk_and_core(text, start, end, context_word, None)
    return span[0], span[1], caseless


def _chunk_and_core(text: str, start: int, end: int, context_word: Callable[[str], bool] | None,
                    initial_word: Callable[[str], bool] | None,
                    person: bool = False) -> tuple[tuple[int, int], tuple[int, int], bool]:
    """(chunk span, core span, casing useless). The chunk grows over capitalised words, name
    particles and the joiners of _JOINERS; the core is the same growth without the joiners. Neither
    grows through a connector ("and", "und", "и" ...), nor leftwards over a title, a boundary
    word, a country or nationality word, a word `context_word` says is context, or the sentence's
    first word when `initial_word` says it is a common word capitalised only for starting it.
    Nor does it grow leftwards over a role compound ("Roskosmos-Chef"), and for a `person` named in
    two or more words, over an organisation named after a role noun ("head of Roscosmos Dmitry
    Rogozin", "šéf Roskosmosu Dmitrij Rogozin": `_role_genitive`)."""
    lo, hi = _sentence_bounds(text, start, end)
    if _casing_useless(text[lo:hi]) or _caseless_run(text[start:end]):
        return (start, end), (start, end), True
    words = _words(text, lo, hi)
    inside = [k for k, w in enumerate(words) if w[1] > start and w[0] < end]
    if not inside:
        return (start, end), (start, end), False
    connectors = _connectors()
    boundary = _boundary()
    countries = _country_words()
    stop = _stop_words()
    particles = _chunk_particles()

    def context(word: str, low: str, k: int) -> bool:
        # k: the word's place in the sentence (-1: joined to the name by a particle, "Hamza bin")
        return (low in stop or bool(context_word and context_word(word))
                or (k == 0 and bool(initial_word and initial_word(word))))

    def grow_left(first: int, joiners: bool) -> int:
        k = first
        while k > 0:
            prev = words[k - 1]
            low = fold(prev[2])
            if not _gap_ok(text, prev, words[k]):
                break
            if _POSSESSIVE.search(prev[2]):
                break   # "the North's National Aerospace ...": the possessor is not part of the name
            if _hyphen_adjective(prev[2]):
                break   # "the North Korea-flagged Kum Un San 3", "Dubai-based ...": an adjective
            if _role_compound(prev[2]):
                break   # "der Roskosmos-Chef Dmitrij Rogosin": a role, not a given name
            if _is_cap(prev[2]) and not context(prev[2], low, k - 1):
                k -= 1
            elif low in particles and (joiners or low not in _JOINERS) and prev[2][0].islower() and k - 2 >= 0 \
                    and _is_cap(words[k - 2][2]) and not context(words[k - 2][2], fold(words[k - 2][2]), -1) \
                    and not (low in _PREPOSITIONS and initial_word and initial_word(words[k - 2][2])) \
                    and _gap_ok(text, words[k - 2], prev):
                k -= 2
            else:
                break
        if person and k < first and len(inside) >= 2 and _role_genitive(words, k, first, particles):
            return first
        return k

    def grow_right(last: int, joiners: bool) -> int:
        k = last
        while k + 1 < len(words) and not _SUFFIXED.search(words[k][2]):
            nxt = words[k + 1]
            low = fold(nxt[2])
            if not _gap_ok(text, words[k], nxt):
                break
            if _is_cap(nxt[2]) and low not in boundary and low not in connectors \
                    and not _hyphen_adjective(nxt[2]) and low not in countries \
                    and not _CASE_SUFFIXED.search(nxt[2]):
                k += 1
            elif low in particles and (joiners or low not in _JOINERS) and nxt[2][0].islower() \
                    and k + 2 < len(words) and _is_cap(words[k + 2][2]) and _gap_ok(text, nxt, words[k + 2]):
                k += 2
            else:
                break
        return k

    def span(first: int, last: int) -> tuple[int, int]:
        cstart, cend = min(start, words[first][0]), max(end, words[last][1])
        if cend < len(text) and text[cend] == "." and _is_abbreviation(words[last][2]) and cend > end:
            cend += 1
        return cstart, cend

    first, last = inside[0], inside[-1]
    chunk = span(grow_left(first, True), grow_right(last, True))
    core = span(grow_left(first, False), grow_right(last, False))
    return chunk, core, False


def _role_genitive(words: list[tuple[int, int, str]], k: int, first: int, particles: frozenset[str]) -> bool:
    """Whether capitalised words right before words[first] follow a role noun, directly (a
    genitive: "šéf Roskosmosu", "szef Roskosmosu", "глава Роскосмоса") or through a preposition
    ("head of Roscosmos", "Chef von Roskosmos"): they name the organisation whose role-holder
    the person named from words[first] is. Only an unbroken run of capitalised words without
    name particles counts ("commander Hamza bin Bassam ..." is a longer name)."""
    roles = _roles()
    j = first - 1
    while j >= max(k, first - 3):
        low = fold(words[j][2])
        if low in particles or not _is_cap(words[j][2]):
            return False
        before = fold(words[j - 1][2]) if j >= 1 else ""
        if before in roles or (before in _ROLE_LINKS and j >= 2 and fold(words[j - 2][2]) in roles):
            return True
        j -= 1
    return False


def _extra_is_harmless(extra: str) -> bool:
    forms = resources.legal_form_tokens() | {t for k in resources.legal_forms() for t in k}
    tokens = fold(extra).split()
    return all(t in forms or t in resources.title_tokens() or t == "s" for t in tokens)


def verify_in_context(text: str, start: int, end: int, entity_names: Iterable[str],
                      threshold: float = DEFAULT_THRESHOLD,
                      context_word: Callable[[str], bool] | None = None,
                      initial_word: Callable[[str], bool] | None = None,
                      person: bool = False) -> tuple[bool, str]:
    """Decide whether the name hit text[start:end] stands on its own in `text`.

    Returns (ok, reason). `entity_names` are the names of the entity the hit was matched to
    (primary name and aliases). `context_word(word)` marks further words that are context, not
    part of a name, when they stand before it (the caller's country names and demonyms);
    `initial_word(word)` whether a word is a common word: a sentence's first word that is one is
    capitalised only for starting it, and one before German "von"/"zu" is a noun, not a given name.
    `person`: the entity is a person, whose name an organisation named after a role noun does not
    extend ("head of Roscosmos Dmitry Rogozin").
    """
    hit = text[start:end]
    (cstart, cend), core, caseless = _chunk_and_core(text, start, end, context_word, initial_word, person)
    if (cstart, cend) == (start, end):
        if caseless:
            return True, f"{hit!r}: no casing evidence (all-caps, title-case or caseless script); hit taken as is"
        return True, f"{hit!r} is the whole proper-noun chunk"
    names = [n for n in entity_names if n]
    ok, reason = _judge_chunk(text, start, end, cstart, cend, names, threshold)
    if ok or core == (cstart, cend):
        return ok, reason
    # "Kim Jong Un of North Korea", "Shoigu for Russia": the joiner only joined two names
    ok_core, reason_core = _judge_chunk(text, start, end, core[0], core[1], names, threshold)
    if ok_core:
        return True, f"{reason_core} (not part of {text[cstart:cend]!r}, which it only joins)"
    return False, reason


def _judge_chunk(text: str, start: int, end: int, cstart: int, cend: int, names: list[str],
                 threshold: float) -> tuple[bool, str]:
    hit = text[start:end]
    chunk = text[cstart:cend]
    if (cstart, cend) == (start, end):
        return True, f"{hit!r} is the whole proper-noun chunk"
    # a suffix on the hit's last word ("Putin'in", "Un's") is an ending, not more name
    extra = text[cstart:start] + " " + _WORD_SUFFIX.sub("", text[end:cend])
    if _extra_is_harmless(extra):
        return True, f"{hit!r} extends only by legal form/title/possessive to {chunk!r}"
    best_score, best_name = 0.0, None
    for name in names:
        cmp = compare_names(chunk, name, threshold=threshold)
        if cmp.partial:
            continue  # the listed name is only a shorter form of the chunk: the very case to reject
        if cmp.score > best_score:
            best_score, best_name = cmp.score, name
    if best_name is not None and best_score >= threshold:
        return True, f"the whole chunk {chunk!r} matches listed name {best_name!r} (score {best_score:.2f})"
    against = f" (best {best_score:.2f} against {best_name!r})" if best_name else ""
    return False, f"{hit!r} is part of the longer name {chunk!r}, which matches no listed name{against}"
