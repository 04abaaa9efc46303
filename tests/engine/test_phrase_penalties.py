"""One table says what each kind of reading takes off a candidate's similarity; the learning screen
(`PhraseIndex._may_reach`) reads its best case from the same table."""

import pytest

from flagger.engine import alternatives, phrases


def test_every_reading_kind_but_a_typo_has_its_penalty():
    kinds = {alternatives.EXACT, alternatives.EQUIV, alternatives.PRESS, alternatives.INFLECT}
    assert set(phrases._PENALTY) == kinds
    assert phrases._PENALTY[alternatives.EXACT] == 0.0


def test_the_screens_best_variant_is_the_smallest_penalty_off_100():
    smallest = min(p for k, p in phrases._PENALTY.items() if k != alternatives.EXACT)
    assert 100.0 - smallest == phrases._BEST_VARIANT


def test_a_kind_without_a_penalty_fails_loudly_rather_than_scoring_as_exact():
    alt = alternatives.Alternative("kim", "made-up kind", 0)
    with pytest.raises(KeyError, match="made-up kind"):
        phrases._one_token("kim", alt, ["payload"])
