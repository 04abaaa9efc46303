"""Whether an article may name a listed party in another script (names.scripts.to_read) is
decided on its non-ASCII characters alone; it must be what searching the whole text decides."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.names.scripts import _NOT_CYRILLIC, SCRIPTS_PATTERN, _cyrillic_kind_words, non_ascii, to_read
from flagger.text import no_spaces_script

PIECES = st.sampled_from(["North Korea ", "\u201cquoted\u201d", "\u2014", "é", "группа", "Группа ", "банк", "Путин",
                          "مجموعة", "لازاروس", "김정은", "Λάζαρος", "ლაზარუსი", "लाजरस", "\ud800", "\udfff",
                          "\U0001F600", " ", "\n", "x", "平壤", "ไทย", "カタカナ"])


def _whole_text(text: str) -> bool:
    if text.isascii() or SCRIPTS_PATTERN.search(text) is None:
        return False
    return _NOT_CYRILLIC.search(text) is not None or _cyrillic_kind_words().search(text) is not None


@given(st.one_of(st.text(max_size=60), st.lists(PIECES, max_size=20).map("".join)))
@settings(max_examples=400, deadline=None)
def test_reading_the_non_ascii_characters_decides_as_the_whole_text(text):
    assert non_ascii(text) == "".join(c for c in text if not c.isascii())
    assert to_read(text) == _whole_text(text)
    # engine.match._window_scale asks the same of the scripts cut into characters
    assert no_spaces_script(non_ascii(text)) == no_spaces_script(text)


def test_a_latin_text_is_not_read_and_an_arabic_or_cyrillic_group_is():
    assert not to_read("The \u201cgroup\u201d met \u2014 in Caf\u00e9 Lazarus.")
    assert to_read("Hackers of \u0645\u062c\u0645\u0648\u0639\u0629 \u0644\u0627\u0632\u0627\u0631\u0648\u0633 struck.")
    assert to_read("Хакеры группа Лазарус")          # Cyrillic with a kind word
    assert not to_read("Путин сказал")               # Cyrillic without one
