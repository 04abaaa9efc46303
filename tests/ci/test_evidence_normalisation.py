"""A finding's fingerprint normalises its evidence the same way whatever the text: ASCII evidence
takes a shortcut (issue 19) that must give what the Unicode normalisations give, or a baseline
written before would re-alert."""

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.ci.gate import fingerprint, normalise_evidence


def _reference(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", text))


def test_ascii_and_unicode_evidence():
    assert normalise_evidence("North Korea   SHIPPED \"artillery shells\" -- to Russia!") == \
        "north korea shipped artillery shells to russia"
    assert normalise_evidence("Pjöngjang liefert Granaten „an Russland“") == "pjongjang liefert granaten an russland"
    assert normalise_evidence("ＳＨＩＰＰＥＤ Straße") == "shipped strasse"        # full-width, ß
    # the same finding quoted with other marks and spacing keeps its fingerprint
    assert fingerprint("a.html", "r1", "shipped “shells”") == fingerprint("a.html", "r1", "Shipped  'shells'")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=80))
def test_ascii_evidence_as_the_unicode_path(text):
    assert normalise_evidence(text) == _reference(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_evidence_as_defined(text):
    assert normalise_evidence(text) == _reference(text)
