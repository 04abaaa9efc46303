"""History framing: sentences that date what they tell years before the article was published.

A year is four digits 1901–2099 standing alone (no digit, thousands separator or decimal beside
it) and not a round hundred ("2000 containers" is a count far more often than a date). It is no
year right after a word of `not_after` ("resolution 1929", "No 1950"). A year with a `since` word
of the article's language among the two words before it ("since 2017", "since early 2017", "από
το 2017"), or followed by a `since_after` word ("2017年以来", "2017 yılından beri"), starts
something still going on and counts as recent. A sentence is history when it holds at least one year and every
year in it lies `years_before` or more years before the published year. The cue words and the
distance are data: the `history` kind of flagger/resources/cues.yaml; the multiplier is the
scoring model's (flagger/scoring.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from flagger.text import normalize_token

_YEAR = re.compile(r"(?<![\d.,'’/-])(1(?:9\d\d)|20\d\d)(?![\d]|[.,/-]\d)")
# Where a _YEAR match may start. Searching for it first and trying _YEAR only there finds the same
# matches (a skipped overlap starts after a digit, which _YEAR's lookbehind refuses) ~4x faster:
# _YEAR's leading lookbehind runs at every character of the text.
_YEAR_AT = re.compile(r"(?:19|20)\d\d")
_PUNCT = "()[]{},.;:!?\"'«»“”„‘’-–—"
_PUBLISHED_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_LOOK_BEFORE = 24
_LOOK_AFTER = 24


@dataclass(frozen=True)
class HistorySpec:
    years_before: int = 0                                   # 0: history by date is off
    since: tuple[tuple[str, frozenset[str]], ...] = ()      # language -> words before a year
    since_after: tuple[str, ...] = ()
    not_after: frozenset[str] = frozenset()

    def since_words(self, lang: str) -> frozenset[str]:
        return dict(self.since).get(lang, frozenset())


def history_spec(spec: dict | None) -> HistorySpec:
    """The `history` entry of cues.yaml, checked."""
    if not spec:
        return HistorySpec()
    years = spec.get("years_before", 0)
    if not isinstance(years, int) or years < 1:
        raise ValueError("cues.yaml: history.years_before must be a whole number of years, at least 1")
    since = spec.get("since") or {}
    if not isinstance(since, dict):
        raise ValueError("cues.yaml: history.since must map language codes to words")
    for lang in since:
        if not isinstance(lang, str):
            raise ValueError(f"cues.yaml: history.since: language code {lang!r} is not text (YAML reads "
                             "no/yes/on/off unquoted as true/false: quote it)")
    return HistorySpec(
        years_before=years,
        since=tuple(sorted((str(lang), frozenset(normalize_token(str(w)) for w in words))
                           for lang, words in since.items())),
        since_after=tuple(str(w) for w in spec.get("since_after") or ()),
        not_after=frozenset(normalize_token(str(w)) for w in spec.get("not_after") or ()))


def published_year(published: str) -> int | None:
    """The year of a `published` value ("2026-03-01", "Tue, 03 Mar 2026 10:00:00 GMT"), or None."""
    m = _PUBLISHED_YEAR.search(published or "")
    return int(m.group(1)) if m else None


def _years(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match]:
    """The matches of `_YEAR` in `text`, in order (what `_YEAR.finditer(text)` gives), those that
    start in text[start:end] only when given (each still read against the whole text: the
    characters before and after it)."""
    if end is None:
        found = _YEAR_AT.finditer(text, start)
    else:
        # a year starting before `end` may run 3 characters past it; a _YEAR_AT match skipped for
        # overlapping one that starts before `start` follows a digit, which _YEAR refuses anyway
        found = (at for at in _YEAR_AT.finditer(text, start, end + 3) if at.start() < end)
    for at in found:
        m = _YEAR.match(text, at.start())
        if m is not None:
            yield m


def dated_years(text: str, spec: HistorySpec, lang: str,
                spans: list[tuple[int, int]] | None = None) -> list[tuple[int, int, bool]]:
    """(character offset, year, ongoing) of every year written in `text` (in the character ranges
    `spans` only, when given: sorted, not overlapping); `ongoing` when a since word makes it the
    start of something still going on."""
    out = []
    since = spec.since_words(lang)
    found = _years(text) if spans is None else (m for a, b in spans for m in _years(text, a, b))
    for m in found:
        year = int(m.group(1))
        if year % 100 == 0:
            continue
        # the two words before the year, as written between spaces ("since early 2017", "από το 2017")
        words = [normalize_token(w.strip(_PUNCT)) for w in text[max(0, m.start() - _LOOK_BEFORE):m.start()].split()[-2:]]
        words = [w for w in words if w]
        if words and words[-1] in spec.not_after:
            continue
        after = text[m.end():m.end() + _LOOK_AFTER].lstrip(" 年년'’")
        ongoing = any(w in since for w in words) or any(after.startswith(w) for w in spec.since_after)
        out.append((m.start(), year, ongoing))
    return out


def history_sentences(text: str, sentence_at, spec: HistorySpec, lang: str,
                      published: int | None, sentences: dict[int, tuple[int, int]] | None = None) -> dict[int, str]:
    """sentence index -> the cue text ("2017, published 2026") for every sentence whose years all
    lie `years_before` or more years before `published`. `sentence_at(offset)` gives the sentence
    of a character offset (None outside any token). `sentences`: sentence -> its character range,
    when only those sentences are asked about (the years are then looked for in them alone: a
    year is inside a token, and a token inside one sentence)."""
    if not published or not spec.years_before:
        return {}
    spans = None if sentences is None else _merged(sorted(sentences.values()))
    years: dict[int, list[tuple[int, bool]]] = {}
    for offset, year, ongoing in dated_years(text, spec, lang, spans):
        sent = sentence_at(offset)
        if sent is not None and (sentences is None or sent in sentences):
            years.setdefault(sent, []).append((year, ongoing))
    out = {}
    for sent, found in years.items():
        if all(not ongoing and year <= published - spec.years_before for year, ongoing in found):
            shown = ", ".join(str(y) for y in sorted({y for y, _ in found}))
            out[sent] = f"{shown}, published {published}"
    return out


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted character ranges with touching or overlapping ones joined (a year is read once)."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
