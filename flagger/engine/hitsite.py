"""Is a candidate entity name in running text really that entity? Checks at the hit site."""

from __future__ import annotations

import re

from flagger.entities._common import known_country
from flagger.names.chunk import verify_in_context
from flagger.names.resources import common_tokens
from flagger.resources import common_words
from flagger.text import normalize_text, normalize_token

# "South Korea's Ministry of National Defense": up to four capitalised words and a possessive
# right before the hit.
_POSSESSOR = re.compile(r"((?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*)['\u2019]s\s+$")


def _written_as_name(text: str, start: int, end: int) -> tuple[bool, str]:
    span = text[start:end]
    letters = [c for c in span if c.isalpha()]
    if not letters or not all(c.isascii() or c.lower() != c.upper() for c in letters[:1]):
        return True, ""
    if any(c.lower() == c.upper() for c in letters):  # scripts without case
        return True, ""
    words = [w for w in span.replace("-", " ").split() if w[:1].isalpha()]
    # Names are written capitalised; "green pine trees" is not GREEN PINE ASSOCIATED CORP.
    if words and words[0][0].islower() and words[-1][0].islower():
        window = text[max(0, start - 200):end + 200]
        if window.lower() == window:     # the whole neighbourhood is lower-case: case says nothing
            return True, ""
        return False, "written in lower case, not as a name"
    return True, ""


def _possessor_country(text: str, start: int) -> tuple[str, str] | None:
    """(possessor as written, ISO country code) when the hit is owned by a named country."""
    m = _POSSESSOR.search(text, max(0, start - 80), start)
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
    written as a name (not in lower case amid capitalised text), not owned by another country
    ("South Korea's Ministry of Defense" is not the DPRK's), and the whole name in its context
    (`names.chunk.verify_in_context`: not part of a longer proper noun). A sentence's first word
    that is one of the `frequent` words of news languages ("Will", "Lunedì") is capitalised by
    convention, not as part of the name."""
    ok, reason = _written_as_name(text, start, end)
    if not ok:
        return ok, reason
    owner = _possessor_country(text, start)
    countries = [c for c in entity.get("countries") or [] if c]
    if owner is not None and countries and owner[1] not in countries:
        # the possessor names whose body this is: South Korea's defence ministry is not the DPRK's
        return False, (f"{text[start:end]!r} is {owner[0]}'s ({owner[1]}); the listed entity is of "
                       f"{', '.join(countries)}")
    generic = generic_name(text[start:end])
    foreign = _foreign_adjective(text, start, countries) if generic and entity.get("type") in (
        "organisation", "vessel") else None
    if foreign is not None:
        # a name of common words owned by another nationality: "the Russian Ministry of Defence",
        # "South Korean Ministry of National Defense" (a distinctive name is the entity whatever
        # the press calls its nationality)
        return False, f"{text[start:end]!r} is {foreign[0]} ({foreign[1]}); the listed entity is of {', '.join(countries)}"
    names = [entity["name"], *[a["name"] for a in entity.get("aliases") or []], *(entity.get("original_names") or [])]
    return verify_in_context(text, start, end, names, context_word=_is_country_word,
                             initial_word=lambda word: normalize_token(word) in frequent)


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


def generic_name(name: str) -> bool:
    """Whether a name is made only of common words and generic organisation words ("Ministry of
    Defence", "National Shipping Group"): it names a body of any country, not one listed party.
    (The hand lists, not wordfreq's: its frequent words hold place and person names, "Matera".)"""
    words = [w for w in normalize_text(name) if w not in _LINKS]
    common = common_words() | common_tokens()
    return bool(words) and all(w in common for w in words)


def _is_country_word(word: str) -> bool:
    """A country name or demonym ("Russian Vladimir Putin"): context before a name, not part of it."""
    return known_country(word) is not None
