"""The negation pattern looks for a negator within `reach` words of an evidence word, up to a
clause boundary (a clause mark or a sentence's end). It finds that boundary with one search of
the text between the words instead of a search per pair of neighbouring words; whatever the
words, marks and sentences, it must find the negator stepping word by word finds."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from flagger.engine.compile import _framing
from flagger.engine.match import TermHit, _NegationPattern
from flagger.resources import cues
from flagger.text import SentenceOf, sentence_ids, sentence_starts, tokenize_batch

FRAMING = _framing(cues())


class _Stepping(_NegationPattern):
    """The reference: asks `_apart` of each pair of neighbouring words, nearest first."""

    def _open_from(self, lo: int, j: int) -> int:
        while lo < j and not self._apart(j - 1, j):
            j -= 1
        return j

    def _open_to(self, i: int, hi: int) -> int:
        while i < hi and not self._apart(i, i + 1):
            i += 1
        return i


# English (negators before the word), German (also "nicht" after it) and Turkish (negation in the
# verb); clause marks, sentence ends, a digit after a negator and "not only" (negates nothing)
PIECES = {
    "en": ["not", "never", "only", "ship", "2", ",", ";", ". ", "\u2014", "(", "\n\n", "\u2019"],
    "de": ["nicht", "keine", "nur", "Granaten", "geliefert", ",", ". ", ":", "\u201e"],
    "tr": ["göndermedi", "gönderdi", "mermisi", "sadece", ",", ". ", "(", "\n\n"],   # negated by an affix
}


@given(st.sampled_from(sorted(PIECES)).flatmap(
    lambda lang: st.tuples(st.just(lang), st.lists(st.sampled_from(PIECES[lang]), max_size=30))),
       st.integers(1, 2))
@example(("en", ["arms", ",", "not", "\u2014", "ship", "Granaten", ",", "nicht", "(", "no"]), 1)
@example(("de", ["Granaten", ",", "geliefert", "\u201e", "nicht", ",", "keine"]), 1)
@settings(max_examples=400, deadline=None)
def test_the_negator_found_is_the_one_stepping_word_by_word_finds(case, width):
    lang, pieces = case
    text = " ".join(pieces)
    tokens = tokenize_batch([text]).tokens[0]
    for sentence_of in (SentenceOf(tokens, text), sentence_ids(list(tokens), sentence_starts(text)), None):
        fast = _NegationPattern(FRAMING, text, tokens, sentence_of, lang)
        slow = _Stepping(FRAMING, text, tokens, sentence_of, lang)
        for start in range(len(tokens) - width + 1):
            hit = TermHit(start, start + width, 100.0, "term")
            assert fast._find(hit) == slow._find(hit), (text, start)


def test_a_negator_before_the_word_counts_within_its_clause_only():
    text = "Officials said it did not ship shells, and Russia shipped shells; nothing else."
    tokens = tokenize_batch([text]).tokens[0]
    neg = _NegationPattern(FRAMING, text, tokens, SentenceOf(tokens, text), "en")
    words = [text[a:b] for a, b in zip(tokens.starts, tokens.ends, strict=True)]
    first, second = words.index("ship"), words.index("shipped")
    assert neg._find(TermHit(first, first + 1, 100.0, "ship")) == "not ship"
    assert neg._find(TermHit(second, second + 1, 100.0, "ship")) == ""
