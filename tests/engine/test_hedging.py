"""Hedged, denied and negated claims count less than confirmed ones, in a documented order."""

from __future__ import annotations

from flagger.scoring import cue_multipliers


def score(scanner, text: str) -> float:
    return scanner.scan_text(text).score


def test_confirmed_outranks_hedged_outranks_denied_outranks_negated(test_scanner):
    confirmed = score(test_scanner, "North Korea sent artillery shells to Russia.")
    hedged = score(test_scanner, "North Korea reportedly sent artillery shells to Russia.")
    denied = score(test_scanner, "North Korea denied it sent artillery shells to Russia.")
    negated = score(test_scanner, "Inspectors found no evidence North Korea sent artillery shells to Russia.")
    assert confirmed > hedged > denied > negated > 0


def test_modifier_is_named_in_the_hits_and_explanation(test_scanner):
    result = test_scanner.scan_text("North Korea allegedly sent artillery shells.")
    assert any("hedge:allegedly" in h.modifiers for h in result.hits)
    top = result.contributions[0]
    assert top.modifier == cue_multipliers()["hedge"] and "hedge:allegedly" in top.note


def test_cue_in_another_sentence_does_not_apply(test_scanner):
    result = test_scanner.scan_text("Rumours are denied daily. North Korea sent artillery shells.")
    assert result.contributions[0].modifier == 1.0


def test_non_english_cues(test_scanner):
    plain = score(test_scanner, "Пхеньян передал боеприпасы.")
    hedged = score(test_scanner, "Пхеньян якобы передал боеприпасы.")
    assert hedged < plain
