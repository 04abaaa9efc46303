"""Is a candidate entity name in running text really that entity? Checks at the hit site."""

from __future__ import annotations

import re
from functools import lru_cache

from flagger.entities._common import known_country
from flagger.names.chunk import sentence_initial, verify_in_context
from flagger.names.normalize import fold
from flagger.names.phonetic import token_key
from flagger.names.resources import common_tokens, given_name_groups, particles
from flagger.names.variants import is_patronymic, without_middle
from flagger.resources import common_words, vessel_words
from flagger.text import no_spaces_script, normalize_text, normalize_token

# "South Korea's Ministry of National Defense": up to four capitalised words and a possessive
# right before the hit.
_POSSESSOR = re.compile(r"((?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*)['\u2019]s\s+$")
_POSSESSIVE_ENDS = ("'s", "\u2019s")


def _written_as_name(text: str, start: int, end: int) -> tuple[bool, str]:
    span = text[start:end]
    letters = [c for c in span if c.isalpha()]
    if not letters or not all(c.isascii() or c.lower() != c.upper() for c in letters[:1]):
        return True, ""
    if not span.isascii() and any(c.lower() == c.upper() or "\u10d0" <= c <= "\u10ff" for c in letters):
        # scripts without case (Georgian news writes Mkhedruli, which Unicode pairs with the
        # capitals of Mtavruli: "კიმ ჩენ ინმა" is a name as written); an ASCII letter always has case
        return True, ""
    words = [w for w in span.replace("-", " ").split() if w[:1].isalpha()]
    # Names are written capitalised; "green pine trees" is not GREEN PINE ASSOCIATED CORP.
    if words and words[0][0].islower() and words[-1][0].islower():
        window = text[max(0, start - 200):end + 200]
        if window.lower() == window:     # the whole neighbourhood is lower-case: case says nothing
            return True, ""
        return False, "written in lower case, not as a name"
    if len(words) >= 2 and words[0].islower() and fold(words[0]) not in particles() \
            and any(w[0].isupper() for w in words[1:]):
        # "officials said Omar Ghorbani" is not SAEED OMAR GHORBANI: a name's own first word is
        # capitalised (or a particle: "al-Qaida", "van der Berg")
        return False, f"its first word {words[0]!r} is written in lower case, not as part of a name"
    return True, ""


def _possessor_country(text: str, start: int) -> tuple[str, str] | None:
    """(possessor as written, ISO country code) when the hit is owned by a named country."""
    lo = max(0, start - 80)
    before = text[lo:start]
    stripped = before.rstrip()
    if len(stripped) == len(before) or not stripped.endswith(_POSSESSIVE_ENDS):
        return None     # (what _POSSESSOR needs right before the hit: 's and white space; most hits have neither)
    m = _POSSESSOR.search(text, lo, start)
    return None if m is None else _trailing_country(m.group(1).split())


def _trailing_country(words: list[str]) -> tuple[str, str] | None:
    """(the words as written, ISO code) of the longest country or nationality phrase that ends the
    words: "South Korea" before "Korea"; None when none does."""
    for i in range(len(words)):
        code = known_country(" ".join(words[i:]))
        if code:
            return " ".join(words[i:]), code
    return None


def confirm_entity_site(text: str, start: int, end: int, entity: dict, matched_name: str,
                        frequent: frozenset[str] = frozenset()) -> tuple[bool, str]:
    """(whether the entity name found at text[start:end] stands for `entity` there, why not):
    written as a name (not in lower case amid capitalised text, nor with a lower-case first word
    that is no particle: "said Omar ..." is not SAID OMAR ...), a vessel's name in Han, kana or
    Hangul marked as a ship (`_ship_marked`: "天马山号", "「白馬」", "천마산호가"), not owned by another country
    ("South Korea's Ministry of Defense" is not the DPRK's), and the whole name in its context
    (`names.chunk.verify_in_context`: not part of a longer proper noun). A sentence's first word
    that is one of the `frequent` words of news languages ("Will", "Lunedì") is capitalised by
    convention, not as part of the name."""
    ok, reason = _written_as_name(text, start, end)
    if not ok:
        return ok, reason
    if entity.get("type") == "vessel" and _east_asian_script(text[start:end]) and not _ship_marked(text, start, end):
        return False, (f"{text[start:end]!r}: a vessel name in Han, kana or Hangul needs a ship suffix "
                       "(号, 號, 丸, 호), quotes or a ship word beside it")
    if (entity.get("type") == "vessel" and normalize_token(text[start:end]) in frequent
            and sentence_initial(text, start)):
        # "Unica nave arrivata ...": a sentence's first word is capitalised whatever it is
        return False, (f"{text[start:end]!r} is a frequent word at the start of its sentence, not written "
                       "as a ship's name")
    owner = _possessor_country(text, start)
    countries = [c for c in entity.get("countries") or [] if c]
    if owner is not None and countries and owner[1] not in countries:
        # the possessor names whose body this is: South Korea's defence ministry is not the DPRK's
        return False, (f"{text[start:end]!r} is {owner[0]}'s ({owner[1]}); the listed entity is of "
                       f"{', '.join(countries)}")
    # (only an organisation's or vessel's name of known country is read so: the word lists are
    # looked up for those alone)
    foreign = _foreign_adjective(text, start, countries) if countries and entity.get("type") in (
        "organisation", "vessel") and generic_name(text[start:end]) else None
    if foreign is not None:
        # a name of common words owned by another nationality: "the Russian Ministry of Defence",
        # "South Korean Ministry of National Defense" (a distinctive name is the entity whatever
        # the press calls its nationality)
        return False, f"{text[start:end]!r} is {foreign[0]} ({foreign[1]}); the listed entity is of {', '.join(countries)}"
    names = [entity["name"], *[a["name"] for a in entity.get("aliases") or []], *(entity.get("original_names") or [])]
    context = _is_ship_or_country_word if entity.get("type") == "vessel" else _is_country_word
    ok, reason = verify_in_context(text, start, end, names, context_word=context,
                                   initial_word=lambda word: normalize_token(word) in frequent,
                                   person=entity.get("type") == "person")
    if ok and entity.get("type") == "person":
        short = _short_form_of(text[start:end], matched_name)
        if short:
            reason = f"{reason}; {short}"
    return ok, reason


def press_reading_corroborated(key: tuple[str, ...], kinds: tuple[str, ...], written: list[str],
                               frequent: frozenset[str], press: str) -> bool:
    """Whether a name found with some of its words read from frequent words through press spellings
    (kind `press`: French "Poutine" as putin, Dutch "Poetin", "Bachar" as bashar) stands beside
    other parts of the same name that say it is a name: a listed given name ("Vladimir Poutine"),
    a patronymic, a word of the name that is no frequent word, or two words of the name read
    otherwise ("Bachar al-Assad"). `key`: the index tokens matched, `kinds`: how each was read,
    `written`: the text's normalised tokens. A frequent word alone never names anyone this way:
    "la poutine" is a dish."""
    given = given_name_groups()
    others = [(tok, word) for tok, kind, word in zip(key, kinds, written, strict=True) if kind != press]
    return len(others) >= 2 or any(tok in given or word in given or is_patronymic(tok) or word not in frequent
                                   for tok, word in others)


@lru_cache(maxsize=1 << 14)      # the same names recur across articles; a pure function of the two
def _short_form_of(written: str, listed: str) -> str:
    """"written without the middle name ..." when `written` is the listed person's name without
    a middle name (names.variants.without_middle), else "": the report says the match is partial."""
    shorts = without_middle(listed, "person")
    if not shorts:      # the written words are keyed only for a name that has such a form
        return ""
    words = tuple(token_key(t) for t in fold(written).split())
    for short in shorts:
        if tuple(token_key(t) for t in short) == words:
            return f"written without a middle name of {listed!r}"
    return ""


# Chinese, Japanese and Korean write a ship's name with a suffix ("天马山号", "白馬丸", "천마산호"),
# in quotes ("「天马山」号", "“白马”轮") or beside a ship word ("货轮", "선박"); without any of these
# the same characters are a mountain, a temple or a white horse. Ship words as characters or
# words found in the few characters around the name:
_SHIP_SUFFIXES = frozenset("号號丸호")
_OPENING_QUOTES = frozenset("「『“‘《«\"'〈【")
_CLOSING_QUOTES = frozenset("」』”’》»\"'〉】")
_SHIP_WORDS = ("船", "轮", "輪", "舰", "艦", "선박", "화물선", "유조선", "선적", "상선", "어선", "탱커", "タンカー")
_SHIP_REACH = 12   # characters either side


def _east_asian_script(span: str) -> bool:
    return no_spaces_script(span) or any("\uac00" <= c <= "\ud7a3" for c in span)


def ship_suffixed(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] carries a Chinese, Japanese or Korean ship suffix:
    right after it, or after its closing quote ("「天马山」号"); a Hangul word carries it inside
    ("천마산호가": name, suffix 호, particle 가)."""
    after = end
    while after < len(text) and text[after] in _CLOSING_QUOTES:
        after += 1
    if after < len(text) and text[after] in _SHIP_SUFFIXES:
        return True
    span = text[start:end]
    return any("\uac00" <= c <= "\ud7a3" for c in span) and "호" in span[2:]


def _ship_marked(text: str, start: int, end: int) -> bool:
    """Whether a vessel name written in Han, kana or Hangul at text[start:end] is marked as a
    ship: a ship suffix (`ship_suffixed`), quotes around it, or a ship word within _SHIP_REACH
    characters."""
    if ship_suffixed(text, start, end):
        return True
    if start > 0 and text[start - 1] in _OPENING_QUOTES and end < len(text) and text[end] in _CLOSING_QUOTES:
        return True
    around = text[max(0, start - _SHIP_REACH):start] + " " + text[end:end + _SHIP_REACH]
    return any(word in around for word in _SHIP_WORDS)


# "South Korean Ministry ...": up to two words right before the hit
_BEFORE = re.compile(r"((?:[A-Z][\w-]*\s+)?[A-Z][\w-]*)\s+$")


def _foreign_adjective(text: str, start: int, countries: list[str]) -> tuple[str, str] | None:
    """(word as written, ISO code) when a country or nationality word other than the entity's
    stands right before the hit; None otherwise (or when the entity's country is unknown)."""
    if not countries:
        return None
    m = _BEFORE.search(text, max(0, start - 40), start)
    found = None if m is None else _trailing_country(m.group(1).split())
    return found if found is not None and found[1] not in countries else None


_LINKS = frozenset({"of", "the", "and", "for"})


@lru_cache(maxsize=1 << 14)      # asked of each organisation's or vessel's hit: names recur
def generic_name(name: str) -> bool:
    """Whether a name is made only of common words and generic organisation words ("Ministry of
    Defence", "National Shipping Group"): it names a body of any country, not one listed party.
    (The hand lists, not wordfreq's: its frequent words hold place and person names, "Matera".)"""
    words = [w for w in normalize_text(name) if w not in _LINKS]
    frequent, generic = common_words(), common_tokens()    # looked up in both, not united per call
    return bool(words) and all(w in frequent or w in generic for w in words)


def _is_country_word(word: str) -> bool:
    """A country name or demonym ("Russian Vladimir Putin"), or the capitals a paper abbreviates a
    country or union to ("президента РФ Дмитрий Песков", "KLDR Kim Čong-un", "ONU António
    Guterres"): context before a name, not part of it."""
    return known_country(word) is not None or (word.isupper() and normalize_token(word) in _ABBREVIATIONS)


# Country, union and UN abbreviations as news writes them in capitals (the full names and the
# ones known_country reads, USA UK UAE DPRK, are found there): ru/uk, en, pl, cs/sk, fr/es/pt/it, de
_ABBREVIATIONS = frozenset(normalize_token(w) for w in """
    РФ США КНДР КНР ФРГ ЕС ЄС ООН ОАЭ ИРИ
    US ROK PRC EU UN
    ChRL KRLD UE ONZ RFN ZEA
    KLDR ČLR ČĽR OSN
    RPDC EUA ONU RPC
    BRD KDVR VAE
    """.split())


def _is_ship_or_country_word(word: str) -> bool:
    """A ship word ("der Tanker Sam Jong Nr. 2": German capitalises the noun) or a country word:
    context before a vessel's name, not part of it."""
    return normalize_token(word) in vessel_words() or _is_country_word(word)
