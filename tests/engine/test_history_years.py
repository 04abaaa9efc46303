"""History framing finds the years of a text by a fast pre-search (engine.history._years); it must
find exactly what the year pattern itself finds, wherever digits and separators stand."""

from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.engine.history import _YEAR, _years, dated_years, history_sentences, history_spec
from flagger.resources import cues

# digits (ASCII and Arabic-Indic, which \d also reads), the separators the pattern looks at, letters
PIECES = st.sampled_from(["1", "9", "2", "0", "19", "20", "2017", "1999", "٢", "٩", ".", ",", "'", "’",
                          "/", "-", " ", "a", "年", "\n"])


@given(st.lists(PIECES, max_size=40).map("".join))
@settings(max_examples=500, deadline=None)
def test_the_pre_search_finds_every_year_the_pattern_finds(text):
    assert [(m.start(), m.end(), m.group(1)) for m in _years(text)] == \
        [(m.start(), m.end(), m.group(1)) for m in _YEAR.finditer(text)]


def test_years_next_to_digits_separators_and_counts():
    text = "In 2017 it began; 12019 is no year, nor 2017.5 or 1,2019; resolution 1929 was 19/2019. 2000 boxes."
    spec = history_spec(cues()["history"])
    assert [year for _offset, year, _ongoing in dated_years(text, spec, "en")] == [2017]
    assert [m.group(1) for m in _years(text)] == ["2017", "1929", "2000"]   # 1929: "resolution"; 2000: round


@given(st.lists(PIECES, max_size=40).map("".join), st.integers(0, 60), st.integers(0, 60))
@settings(max_examples=500, deadline=None)
def test_the_years_of_a_stretch_are_those_of_the_whole_text_that_start_in_it(text, a, b):
    assert [(m.start(), m.group(1)) for m in _years(text, a, b)] == \
        [(m.start(), m.group(1)) for m in _years(text) if a <= m.start() < b]


SENTENCES = st.lists(st.sampled_from(["In 2009 ships sailed.", "Since 2015 they sail.", "It sailed in 2025.",
                                      "No year here.", "From 1999 to 2024 it sailed.", "Resolution 1929 held.",
                                      " ", "\n\n", "2011"]), max_size=12).map(" ".join)


@given(SENTENCES, st.sets(st.integers(0, 14)))
@settings(max_examples=300, deadline=None)
def test_history_of_chosen_sentences_is_the_whole_texts_history_of_them(text, chosen):
    """The scan asks only about the sentences its evidence is in (engine.match.find_matches): the
    answer for them is what reading every sentence gives."""
    from flagger.engine.match import token_span_for_chars
    from flagger.text import SentenceOf, tokenize_batch

    spec = history_spec(cues()["history"])
    tokens = tokenize_batch([text]).tokens[0]
    sentence_of = SentenceOf(tokens, text)

    def sentence_at(offset):
        span = token_span_for_chars(tokens, tokens.starts, offset, offset + 4)
        return None if span is None else sentence_of[span[0]]

    whole = history_sentences(text, sentence_at, spec, "en", 2026)
    some = history_sentences(text, sentence_at, spec, "en", 2026,
                             sentences={s: SentenceOf(tokens, text).span(s) for s in chosen})
    assert some == {s: cue for s, cue in whole.items() if s in chosen}


def test_a_sentence_asked_about_is_history_when_all_its_years_are_old():
    from flagger.text import SentenceOf, tokenize_batch

    text = "The tanker sailed in 2009. It sailed again in 2025. Old news from 2011 and 2012."
    tokens = tokenize_batch([text]).tokens[0]
    sentence_of = SentenceOf(tokens, text)
    spans = {s: sentence_of.span(s) for s in (0, 1, 2)}
    assert text[slice(*spans[0])] == "The tanker sailed in 2009." and text[slice(*spans[2])] == " Old news from 2011 and 2012."

    def sentence_at(offset):
        return sentence_of[tokens.starts.index(offset)]

    spec = history_spec(cues()["history"])
    assert history_sentences(text, sentence_at, spec, "en", 2026, sentences={2: spans[2], 1: spans[1]}) == \
        {2: "2011, 2012, published 2026"}
    assert history_sentences(text, sentence_at, spec, "en", 2026, sentences={0: spans[0]}) == \
        {0: "2009, published 2026"}
