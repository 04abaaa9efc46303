"""Which language an article is written in (ISO 639-1), for the report and for stemming."""

from __future__ import annotations


def detect_language(text: str, sample: int = 2000) -> str:
    """ISO 639-1 code of the text's language, or "" when there is too little text to tell."""
    snippet = text[:sample]
    if sum(1 for c in snippet if c.isalpha()) < 12:
        return ""
    import py3langid  # loads its model on first use (~0.5 s), so only when needed

    lang, _score = py3langid.classify(snippet)
    return lang
