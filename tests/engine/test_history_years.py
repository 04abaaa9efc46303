"""History framing finds the years of a text by a fast pre-search (engine.history._years); it must
find exactly what the year pattern itself finds, wherever digits and separators stand."""

from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.engine.history import _YEAR, _years, dated_years, history_spec
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
