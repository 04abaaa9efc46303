"""The regime cue (cues.yaml `regime`, scope: clause): a sentence that describes what the sanctions
regime prohibits is no report of the act, but a comment on an act the sentence reports
("North Korea shipped shells to Russia, which the embargo prohibits") does not frame it.
Sentences are written for this test."""

from __future__ import annotations

import pytest

from flagger.api import Scanner
from flagger.engine.compile import _framing
from flagger.model import Record
from flagger.resources import cues
from flagger.scoring import cue_multipliers


@pytest.fixture(scope="module")
def bundled():
    return Scanner(default_entities=False)


def scan(scanner, text: str):
    return scanner.scan_batch([Record(id="t", text=text, published="2026-03-01")])[0]


# The act, then a clause saying it is banned: the act is the story.
COMMENTS = [
    "North Korea shipped artillery shells to Russia, which the UN arms embargo prohibits.",
    "North Korea has sent ballistic missiles to Russia, a transfer prohibited by UN resolutions.",
    "Nordkorea hat Russland Artilleriegranaten geliefert, was nach UN-Resolutionen verboten ist.",
    "La Corée du Nord a livré des obus à la Russie, ce qui est interdit par les résolutions de l'ONU.",
    "Corea del Norte envió proyectiles de artillería a Rusia, lo que está prohibido por las resoluciones de la ONU.",
    "КНДР поставила России артиллерийские снаряды, что запрещено резолюциями Совета Безопасности ООН.",
    "北朝鮮はロシアに砲弾を輸出しており、これは国連安保理決議で禁止されている。",
]

# What the regime bans, without a report that it happened.
DESCRIPTIONS = [
    "The resolution bans the sale of tanks, missiles, warships and large artillery to North Korea.",
    "UN resolutions prohibit the supply of weapons to North Korea.",
    "Die UN-Resolutionen verbieten die Lieferung von Waffen an Nordkorea.",
    "Nach den UN-Resolutionen ist es verboten, Waffen an Nordkorea zu liefern.",
    "Резолюции ООН запрещают поставки оружия в КНДР.",
    # commas inside the subject: the ban's own clause still holds words of the act
    "Selling any weapons to North Korea, even as donations, and buying North Korean ammunition are prohibited "
    "by UN resolutions.",
]


@pytest.mark.parametrize("text", COMMENTS)
def test_a_ban_named_after_the_act_does_not_frame_it(bundled, text):
    result = scan(bundled, text)
    assert result.level == "critical", (result.score, result.contributions)
    assert all(not c.note.startswith("regime:") for c in result.contributions), result.contributions


@pytest.mark.parametrize("text", DESCRIPTIONS)
def test_a_description_of_the_ban_is_regime_framing(bundled, text):
    result = scan(bundled, text)
    top = result.contributions[0]
    assert result.level in ("none", "low"), (result.score, result.contributions)
    assert top.note.startswith("regime:") and top.modifier == cue_multipliers()["regime"]


def test_an_act_in_violation_of_the_ban_is_not_framed_either(bundled):
    result = scan(bundled, "North Korea shipped shells to Russia in violation of the UN ban on arms exports.")
    assert result.level == "critical", (result.score, result.contributions)


def test_a_cue_kind_with_an_unknown_scope_is_refused():
    with pytest.raises(ValueError, match="regime: scope must be sentence, lead or clause, not 'paragraph'"):
        _framing({"regime": {"scope": "paragraph", "terms": ["prohibits @en"]}})


def test_the_bundled_regime_cue_has_clause_scope():
    assert "regime" in _framing(cues()).clause_kinds
