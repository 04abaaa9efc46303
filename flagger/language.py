"""Which language an article is written in (ISO 639-1), for the report and for stemming."""

from __future__ import annotations

import re

# English function words. Running English has 40–50 % of its words in this set; no other
# language comes near a third, so above that share the answer is "en" without the classifier
# (py3langid costs ~4 ms per article: more than all the matching of a typical article).
_ENGLISH = frozenset(
    "the of and to in is was that for it with as on be at by this had not are but from or have an they "
    "which were has will been their said would its who he she his her we there".split()
)
_WORDS = re.compile(r"[A-Za-z]+")
_ENGLISH_SHARE = 0.35


def _looks_english(snippet: str, words: list[str] | None = None) -> bool:
    if words is None:
        words = [w.lower() for w in _WORDS.findall(snippet, 0, 1200)]
    if len(words) < 40:
        return False
    hits = sum(map(_ENGLISH.__contains__, words))
    return hits >= _ENGLISH_SHARE * len(words)


def detect_language(text: str, sample: int = 2000, words: list[str] | None = None) -> str:
    """ISO 639-1 code of the text's language, or "" when there is too little text to tell.

    `words`: the text's first words, lower-cased, when the caller has them already (the scanner
    passes its normalised tokens from the first 1,200 characters; finding them again with a
    regex cost more than matching a typical article)."""
    snippet = text[:sample]
    letters = 0
    for c in snippet:
        if c.isalpha():
            letters += 1
            if letters >= 12:
                break
    else:
        return ""
    if _looks_english(snippet, words):
        return "en"
    import py3langid  # loads its model on first use (~0.5 s), so only when needed

    lang, _score = py3langid.classify(snippet)
    return lang


# Languages whose short texts the detector often tells one for another, and which write much of
# their vocabulary alike: a framing cue written for one of them is read in all of them (a Norwegian
# sentence is told "da" or "nn", a Croatian one "bs", Indonesian and Malay share most words).
CLOSE_LANGUAGES = (
    frozenset({"da", "no", "nb", "nn", "sv"}),
    frozenset({"hr", "bs", "sr", "sl", "me"}),
    frozenset({"id", "ms", "jv"}),
    frozenset({"cs", "sk"}),
    frozenset({"ru", "uk", "be"}),
    frozenset({"bg", "mk"}),
    frozenset({"es", "pt", "gl"}),
    frozenset({"tr", "az", "crh"}),
    frozenset({"ar", "ary", "arz"}),
    frozenset({"hi", "mr", "ne"}),
    frozenset({"zh", "wuu", "yue"}),
    frozenset({"en", "pcm"}),
    frozenset({"fr", "oc", "wa"}),
    frozenset({"de", "lb"}),
    frozenset({"nl", "af", "fy"}),
)


def close_languages(lang: str) -> frozenset[str]:
    """`lang` and the languages of its CLOSE_LANGUAGES group."""
    return frozenset({lang}).union(*(g for g in CLOSE_LANGUAGES if lang in g))
