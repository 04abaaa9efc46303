"""Reference data for name matching, read once from the text files in `flagger/names/data/`.

Code never embeds the tables: titles, legal forms, particles, spelling equivalents, common
tokens and chunk-boundary words are plain text files that a reviewer can read and extend.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def _lines(filename: str) -> list[str]:
    text = (DATA_DIR / filename).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@cache
def titles() -> tuple[tuple[str, ...], ...]:
    """Titles/honorifics as token tuples, longest first."""
    return tuple(sorted({tuple(t.split()) for t in _lines("titles.txt")}, key=len, reverse=True))


@cache
def title_tokens() -> frozenset[str]:
    return frozenset(tok for title in titles() for tok in title)


@cache
def legal_forms() -> dict[tuple[str, ...], str]:
    """Variant token tuple -> canonical legal-form token."""
    out: dict[tuple[str, ...], str] = {}
    for line in _lines("legal_forms.txt"):
        canonical, _, variants = line.partition("\t")
        canonical = canonical.strip()
        for variant in [canonical, *variants.split("|")]:
            key = tuple(variant.replace(".", " ").split())
            if key:
                out.setdefault(key, canonical)
    return out


@cache
def legal_form_tokens() -> frozenset[str]:
    """Canonical legal-form tokens (what normalisation leaves in a name)."""
    return frozenset(legal_forms().values())


@cache
def long_legal_forms() -> tuple[dict, dict]:
    """Legal-form phrases of 3+ words with their canonical form, by first word and by second
    word (with at most one word misspelt, one of the two is exact), for the tolerant look-up
    of a misspelt or cut-off phrase ("joynt stock company")."""
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    by_second: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for k, v in legal_forms().items():
        if len(k) >= 3:
            by_first.setdefault(k[0], []).append((k, v))
            by_second.setdefault(k[1], []).append((k, v))
    return by_first, by_second


@cache
def max_legal_form_len() -> int:
    return max(len(k) for k in legal_forms())


@cache
def particles() -> frozenset[str]:
    return frozenset(_lines("particles.txt"))


@cache
def equivalents() -> dict[str, str]:
    """Token -> canonical token of its known-equivalent group."""
    out: dict[str, str] = {}
    for line in _lines("equivalents.txt"):
        group = line.split()
        for tok in group:
            out.setdefault(tok, group[0])
    return out


@cache
def common_tokens() -> frozenset[str]:
    return frozenset(_lines("common_tokens.txt"))


@cache
def boundary_words() -> frozenset[str]:
    return frozenset(w for line in _lines("boundary_words.txt") for w in line.split())


@cache
def connectors() -> tuple[str, ...]:
    """Words that join two names ("and", "und", "и", "та", "및" ...), as written (connectors.txt)."""
    return tuple(w for line in _lines("connectors.txt") for w in line.split())


@cache
def country_words() -> tuple[str, ...]:
    """Country and nationality words of many languages with case endings, as written (country_words.txt)."""
    return tuple(w for line in _lines("country_words.txt") for w in line.split())


@cache
def region_words() -> frozenset[str]:
    """Region and market words that qualify an organisation's name (region_words.txt)."""
    return frozenset(w for line in _lines("region_words.txt") for w in line.split())


@cache
def given_name_groups() -> dict[str, frozenset[int]]:
    """Given-name token -> ids of the groups of forms it belongs to (given_names.txt)."""
    out: dict[str, set[int]] = {}
    for gid, line in enumerate(_lines("given_names.txt")):
        for tok in line.split():
            out.setdefault(tok, set()).add(gid)
    return {tok: frozenset(ids) for tok, ids in out.items()}


@cache
def given_name_forms(token: str) -> tuple[str, ...]:
    """Every other form of a given name (its groups' tokens, in the file's order, each once),
    empty when not listed. Ordered, not a set: a caller that turns them into alternatives must
    give the same alternatives in the same order in every process (a set's order follows the
    string hash seed, which differs between processes and `--jobs` workers)."""
    groups = given_name_groups().get(token)
    if not groups:
        return ()
    lines = _lines("given_names.txt")
    return tuple(dict.fromkeys(t for g in sorted(groups) for t in lines[g].split() if t != token))


@cache
def number_words() -> dict[str, int]:
    out = {}
    for line in _lines("number_words.txt"):
        word, _, value = line.partition("\t")
        out[word.strip()] = int(value)
    return out


@cache
def hanja_korean() -> dict[str, tuple[str, ...]]:
    """Han character -> its Sino-Korean readings in Hangul (hanja_korean.txt, from Unihan)."""
    out = {}
    for line in _lines("hanja_korean.txt"):
        ch, _, readings = line.partition("\t")
        out[ch] = tuple(readings.split())
    return out


@cache
def role_words() -> tuple[str, ...]:
    """Nouns for a person's role in an organisation ("head", "Chef", "šéf", "szef", "глава"), as
    written (role_words.txt)."""
    return tuple(w for line in _lines("role_words.txt") for w in line.split())
