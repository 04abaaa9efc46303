"""A typo in a term word of 6-9 letters (a letter replaced, or two neighbours swapped) counts as
one edit in the hit's similarity, unless the word as written is a word of a news language."""

from __future__ import annotations

from pathlib import Path

import pytest

from flagger.api import Scanner

RULES = Path(__file__).resolve().parents[1] / "fixtures" / "rules" / "typo_terms.yaml"


@pytest.fixture(scope="module")
def scanner():
    return Scanner(rules=[RULES], default_entities=False)


def hits(scanner, text: str) -> list[tuple[str, str, float]]:
    return [(h.term, h.matched_text, h.similarity) for h in scanner.scan_text(text).hits]


@pytest.mark.parametrize(("text", "term", "written"), [
    ("The navy tested two new missiel launchers.", "missile", "missiel"),       # swap, 7 letters
    ("Inspectors found enriched urznium at the site.", "uranium", "urznium"),   # replaced letter
    ("A tnaker left the port at night.", "tanker", "tnaker"),                   # swap, 6 letters
    ("Поставки ракеыт продолжаются.", "ракеты", "ракеыт"),                      # Cyrillic swap
])
def test_a_replaced_or_swapped_letter_is_one_edit(scanner, text, term, written):
    # ratio counts a replaced letter or a swap as two edits: 83-88 for such words, below the
    # threshold of 88; counted once it is 100 * (1 - 1 / (2 * length))
    assert hits(scanner, text) == [(term, written, round(100 * (1 - 1 / (2 * len(term))), 2))]


def test_a_typo_inside_a_longer_term_counts_once_too(scanner):
    found = hits(scanner, "Talks on uranuim enrichment resumed.")
    joined = len("uranium enrichment")
    assert ("uranium enrichment", "uranuim enrichment", round(100 * (1 - 1 / (2 * joined)), 2)) in found


@pytest.mark.parametrize("text", [
    "The embassy sent two missives to the ministry.",     # missive: missile with one letter replaced
    "Fissile material was not mentioned.",                # fissile: missile with one letter replaced
    "The banker and the tanner met at the port.",         # banker, tanner: tanker with one replaced
    "Rusia mencari pasokan amunisi.",      # Indonesian 'supplies': pasukan (troops) with one replaced
    "Varorna skickas med båt.",            # Swedish 'are sent': skickat with one replaced
    "Vláda schválila sanaci skládky.",     # Czech 'remediation' (Zipf 2.97): sankci with one replaced
])
def test_known_words_never_read_as_a_term(scanner, text):
    assert hits(scanner, text) == []


@pytest.mark.parametrize("text", [
    "A rifel was found.",          # 5 letters: a swap reads as no term
    "A sarni attack was denied.",  # 5 letters: a swap
    "A rifla was found.",          # 5 letters: a replaced letter
])
def test_short_terms_take_no_replaced_or_swapped_letter(scanner, text):
    assert hits(scanner, text) == []


def test_an_inserted_or_dropped_letter_keeps_its_similarity(scanner):
    # ratio already counts an insertion or a deletion as one edit
    assert hits(scanner, "A tannker left the port.") == [("tanker", "tannker", round(100 * (1 - 1 / 13), 2))]
    assert hits(scanner, "A taker left the port.") == []     # 'taker' is an English word


def test_which_readings_count_once(scanner):
    alts = scanner.compiled.index.alternatives()
    assert alts.reads_once("missiel", "missile", 1)
    assert not alts.reads_once("missive", "missile", 1)      # a known word
    assert not alts.reads_once("rifel", "rifle", 1)          # 5 letters
    assert not alts.reads_once("tannker", "tanker", 1)       # an insertion: ratio counts it once already


def test_the_documented_rule_is_the_code():
    import wordfreq

    from flagger.engine.alternatives import ONCE_LENGTHS
    from flagger.resources import _FREQUENT_LANGS, KNOWN_MIN_ZIPF

    doc = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    assert f"in a word of {ONCE_LENGTHS[0]}–{ONCE_LENGTHS[-1]} letters counts as one" in doc
    assert f"Zipf {KNOWN_MIN_ZIPF} or more" in doc
    large = wordfreq.available_languages(wordlist="large")
    assert f"one of the {len(large)} languages it has a large list for" in doc
    assert f"in any other of its {len(wordfreq.available_languages(wordlist='small'))} languages" in doc
    assert set(_FREQUENT_LANGS) | {"cs", "sv", "fi", "nb", "ca"} <= set(large)
    assert "`missiel` is `missile` at 92.86" in doc and "not 85.71" in doc
