"""Reference data for scanning, read once from the files beside this module."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from flagger.names.resources import equivalents
from flagger.text import normalize_text, normalize_token, normalize_tokens

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _text(name: str) -> str:
    return resources.files("flagger.resources").joinpath(name).read_text(encoding="utf-8")


@cache
def common_words() -> frozenset[str]:
    """Frequent words that never take a fuzzy (typo) match: 'state' must not become 'statue'."""
    words = set()
    for line in _text("common_words.txt").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.update(line.split())
    return frozenset(words)


@cache
def token_equivalents() -> dict[str, str]:
    """Token -> canonical token of its equivalence group (romanisation variants)."""
    return equivalents()


@cache
def cues() -> dict:
    """Hedging/negation cue lexicon: {kind: {"terms": [...]}} (multipliers: flagger.scoring.MODEL).
    Read with libyaml's safe loader when PyYAML has it (as the rule packs are): the same data,
    5 ms instead of 48 ms of every scan's start-up."""
    return yaml.load(_text("cues.yaml"), Loader=_SAFE_LOADER)


def cue_phrase(entry) -> tuple[str, tuple[str, ...]]:
    """A phrase of cues.yaml and the languages it is written in: 'reportedly @en' -> ('reportedly',
    ('en',)), 'presunto @es @it @pt' -> three languages; a phrase without tags is language-neutral
    (every language: 'propaganda', 'resolution 1718'). Raises ValueError on a malformed tag."""
    words = str(entry).split()
    tags = tuple(w[1:] for w in words if w.startswith("@"))
    phrase = " ".join(w for w in words if not w.startswith("@"))
    bad = [t for t in tags if not (2 <= len(t) <= 3 and t.isascii() and t.isalpha() and t.islower())]
    if bad or not phrase or any(w.startswith("@") for w in words[:len(words) - len(tags)]):
        raise ValueError(f"cues.yaml: {entry!r}: write a phrase, then its language codes as @xx tags")
    return phrase, tags


@cache
def vessel_words() -> frozenset[str]:
    words = set()
    for line in _text("vessel_words.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            for w in line.split():
                words.update(normalize_text(w))
    return frozenset(words)


# Languages whose frequent words never take typo matches, by script of the token.
_FREQUENT_LANGS = ("en", "fr", "de", "es", "it", "pt", "pl", "nl", "ru", "uk")
_FREQUENT_TOP = 30000


@cache
def frequent_words() -> frozenset[str]:
    """The 30,000 most frequent words of each major news language (wordfreq), folded like tokens,
    plus the hand list in common_words.txt. Loaded on first use (about a second)."""
    import wordfreq  # not a flagger module: loaded only by a run that compiles an index

    words = set(common_words())
    for lang in _FREQUENT_LANGS:
        words.update(normalize_token(w) for w in wordfreq.top_n_list(lang, _FREQUENT_TOP))
        _forget_wordfreq_lists(wordfreq)
    return frozenset(words)


def _forget_wordfreq_lists(wordfreq) -> None:
    """Empty wordfreq's caches of whole frequency lists. It keeps each language's list in an
    unbounded cache (~340 MB for the ten of `frequent_words`): a scan that compiled its index held
    it to the end (peak RSS 1,118 MiB against 763 MiB for the same scan from the cache), though
    only part of each list is read, once."""
    for name in ("get_frequency_list", "get_frequency_dict", "top_n_list"):
        clear = getattr(getattr(wordfreq, name, None), "cache_clear", None)
        if clear is not None:
            clear()


# A word as rare as this (Zipf 1.5: 3 in 100 million words) is still a word of its language, not a
# typo: "missives" (Zipf 2.1) must not read as "missiles".
KNOWN_MIN_ZIPF = 1.5


def known_words(lengths: range) -> list[str]:
    """Every word of `lengths` letters (folded like tokens) that wordfreq lists at Zipf
    KNOWN_MIN_ZIPF or more in a language it has a large list for (21, the languages of
    `frequent_words` among them), or at Zipf 3 or more (its "small" list) in any other of its 42
    languages (Indonesian 'pasokan', supplies, and Swedish 'skickas', is sent, are words, not typos
    of 'pasukan' and 'skickat'), plus `frequent_words` of those lengths, in no order. Not cached:
    the caller keeps what it needs (1.6 million strings of 6-9 letters)."""
    import wordfreq  # not a flagger module: loaded only by a run that compiles an index

    # get_frequency_list: one list of words per centibel, from the most frequent (Zipf 9 - i/100)
    last = round((9 - KNOWN_MIN_ZIPF) * 100)
    lo, hi = lengths.start, lengths.stop
    words = {w for w in frequent_words() if lo <= len(w) < hi}
    large = set(wordfreq.available_languages(wordlist="large"))
    lists = [(lang, "large", last + 1) if lang in large else (lang, "small", None)
             for lang in sorted(wordfreq.available_languages(wordlist="small"))]
    for lang, wordlist, buckets in lists:
        # (a folded word is at most as long as it was written here but for a few ligatures)
        raw = [w for bucket in wordfreq.get_frequency_list(lang, wordlist=wordlist)[:buckets]
               for w in bucket if lo <= len(w) <= hi + 2]
        _forget_wordfreq_lists(wordfreq)
        # folded as normalize_token folds them, apostrophes dropped: English "military's" is the
        # text word "militarys" ("'s" stays on the word, text.normalize_match_token)
        words.update(t for w in raw if w.isascii() and lo <= len(t := w.replace("'", "")) < hi and t.isalpha())
        other = [w for w in raw if not w.isascii()]
        words.update(t for t in normalize_tokens(other) if lo <= len(t) < hi and t.isalpha())
    return list(words)      # (in no order: sorting took 0.5 s)
