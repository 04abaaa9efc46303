"""Framing modifiers the issue names, each in English and at least five other languages: a
confirmed transfer is critical; the same claim dated years before the article (history), hedged,
or led by an explainer/encyclopedic/academic headline (genre) counts less, and says why in its
contribution's note (what `--explain` prints). Sentences written for these tests."""

from __future__ import annotations

import pytest

from flagger.model import Record
from flagger.scoring import MODEL, cue_multipliers

PUBLISHED = "2026-03-01"

# language: (confirmed, dated in 2017, "since 2017": still going on)
HISTORY = {
    "en": ("North Korea shipped artillery shells to Russia, the Pentagon confirmed.",
           "In 2017 North Korea shipped artillery shells to Russia, the Pentagon confirmed.",
           "North Korea has shipped artillery shells to Russia since 2017, the Pentagon confirmed."),
    "de": ("Nordkorea hat Artilleriegranaten an Russland geliefert, bestätigte das Pentagon.",
           "Im Jahr 2017 hat Nordkorea Artilleriegranaten an Russland geliefert, bestätigte das Pentagon.",
           "Seit 2017 hat Nordkorea Artilleriegranaten an Russland geliefert, bestätigte das Pentagon."),
    "fr": ("La Corée du Nord a livré des obus à la Russie, a confirmé le Pentagone.",
           "En 2017, la Corée du Nord a livré des obus à la Russie, a confirmé le Pentagone.",
           "Depuis 2017, la Corée du Nord a livré des obus à la Russie, a confirmé le Pentagone."),
    "es": ("Corea del Norte entregó proyectiles de artillería a Rusia, confirmó el Pentágono.",
           "En 2017 Corea del Norte entregó proyectiles de artillería a Rusia, confirmó el Pentágono.",
           "Desde 2017 Corea del Norte entregó proyectiles de artillería a Rusia, confirmó el Pentágono."),
    "ru": ("КНДР передала России артиллерийские снаряды, подтвердили в Пентагоне.",
           "В 2017 году КНДР передала России артиллерийские снаряды, подтвердили в Пентагоне.",
           "С 2017 года КНДР передаёт России артиллерийские снаряды, подтвердили в Пентагоне."),
    "zh": ("五角大楼证实，朝鲜向俄罗斯运送了炮弹。",
           "五角大楼证实，朝鲜在2017年向俄罗斯运送了炮弹。",
           "五角大楼证实，2017年以来朝鲜向俄罗斯运送了炮弹。"),
    "ko": ("국방부는 북한이 러시아에 포탄을 공급했다고 확인했다.",
           "국방부는 북한이 2017년 러시아에 포탄을 공급했다고 확인했다.",
           "국방부는 북한이 2017년부터 러시아에 포탄을 공급했다고 확인했다."),
}

# language: a hedged version of the confirmed claim (reported speech, "allegedly", "reportedly")
HEDGED = {
    "en": "Analysts suspect North Korea shipped artillery shells to Russia.",
    "de": "Nordkorea soll Artilleriegranaten an Russland geliefert haben.",
    "fr": "La Corée du Nord aurait livré des obus à la Russie.",
    "es": "Corea del Norte habría entregado proyectiles de artillería a Rusia.",
    "ru": "КНДР якобы передала России артиллерийские снаряды.",
    "zh": "据报道，朝鲜向俄罗斯运送了炮弹。",
}

# language: an explainer / encyclopedic headline or lead over the same claim
GENRE = {
    "en": "Explainer: the arms trade between North Korea and Russia. North Korea shipped artillery shells to Russia.",
    "de": "Was Sie wissen müssen: Nordkorea hat Artilleriegranaten an Russland geliefert.",
    "fr": "Ce qu'il faut savoir : la Corée du Nord a livré des obus à la Russie.",
    "es": "Lo que hay que saber: Corea del Norte entregó proyectiles de artillería a Rusia.",
    "ru": "Что нужно знать: КНДР передала России артиллерийские снаряды.",
    "zh": "百科：朝鲜向俄罗斯运送了炮弹。",
    "ko": "해설: 북한이 러시아에 포탄을 공급했다.",
}


@pytest.fixture(scope="module")
def bundled():
    from flagger.api import Scanner

    return Scanner(default_entities=False)


def scan(scanner, text: str, published: str = PUBLISHED):
    return scanner.scan_batch([Record(id="t", text=text, published=published)])[0]


@pytest.mark.parametrize("lang", sorted(HISTORY))
def test_a_confirmed_transfer_is_critical_and_the_same_dated_years_back_is_history(bundled, lang):
    confirmed, dated, ongoing = (scan(bundled, t) for t in HISTORY[lang])
    assert confirmed.level == "critical", confirmed.contributions
    assert dated.level in ("none", "low"), (dated.score, dated.contributions)
    top = dated.contributions[0]
    assert top.modifier == cue_multipliers()["history"]
    assert top.note == "history:2017, published 2026"
    # "since 2017" is something still going on, not history
    assert ongoing.level == "critical", ongoing.contributions
    assert "history" not in ongoing.contributions[0].note


def test_history_needs_a_published_year_and_a_distance_of_years(bundled):
    text = HISTORY["en"][1]
    assert scan(bundled, text, published="").level == "critical"          # no date to compare with
    assert scan(bundled, text, published="2019-05-01").level == "critical"   # two years: recent
    assert scan(bundled, text, published="Tue, 03 Mar 2026 10:00:00 GMT").level == "low"


@pytest.mark.parametrize("text", [
    # a resolution's number is no year; a round hundred is a count more often than a date
    "North Korea shipped artillery shells to Russia in breach of resolution 1929, the Pentagon confirmed.",
    "North Korea shipped 2000 artillery shells to Russia, the Pentagon confirmed.",
])
def test_numbers_that_are_no_dates_are_not_history(bundled, text):
    result = scan(bundled, text)
    assert result.level == "critical" and "history" not in result.contributions[0].note


def test_a_transfer_reported_now_keeps_its_finding_beside_an_old_one(bundled):
    result = scan(bundled, "In 2017 North Korea sold rockets to Syria. This week North Korea shipped artillery "
                           "shells to Russia, the Pentagon confirmed.")
    assert result.level == "critical", result.contributions
    assert "history" not in result.contributions[0].note


@pytest.mark.parametrize("lang", sorted(HEDGED))
def test_hedged_claims_count_less_than_confirmed_ones(bundled, lang):
    confirmed = scan(bundled, HISTORY[lang][0])
    hedged = scan(bundled, HEDGED[lang])
    assert hedged.contributions[0].modifier == cue_multipliers()["hedge"], hedged.contributions
    assert hedged.level != "critical" and hedged.score < confirmed.score


@pytest.mark.parametrize("lang", sorted(GENRE))
def test_an_explainer_or_encyclopedic_lead_frames_the_article(bundled, lang):
    result = scan(bundled, GENRE[lang])
    top = result.contributions[0]
    assert top.note.startswith("genre:") and top.modifier == cue_multipliers()["genre"], result.contributions
    assert result.level not in ("high", "critical")


def test_a_compliance_explainer_with_designation_words_stays_low(bundled):
    text = ("How to build a sanctions compliance program. Treasury's Office of Foreign Assets Control "
            "designates persons and entities and adds them to the SDN list; a compliance program screens "
            "customers against it.")
    result = scan(bundled, text)
    assert result.level in ("none", "low"), (result.score, result.contributions)
    assert result.contributions[0].note == "genre:compliance program"
    # the same designation words without the explainer's headline are a designation notice
    plain = scan(bundled, "Treasury's Office of Foreign Assets Control designates persons and entities and adds "
                          "them to the SDN list.")
    assert plain.level == "medium" and plain.contributions[0].modifier == 1.0


def test_the_history_and_genre_multipliers_are_in_the_scoring_model():
    assert {"history", "genre"} <= set(MODEL.cue_multipliers)


def test_a_bad_history_entry_is_refused_with_what_is_wrong():
    from flagger.engine.history import history_spec

    with pytest.raises(ValueError, match="years_before"):
        history_spec({"years_before": "five"})
    with pytest.raises(ValueError, match="quote it"):
        history_spec({"years_before": 5, "since": {False: ["siden"]}})    # YAML's unquoted `no:`
    assert history_spec(None).years_before == 0


# language: (an offer or pledge to transfer, an interested party's assertion of a transfer)
INTENT_AND_ASSERTION = {
    "en": ("Russia offered to deliver ballistic missiles to North Korea.",
           "Ukraine claims that Russia received a new batch of Iranian drones."),
    "fr": ("La Russie propose de livrer des missiles balistiques à la Corée du Nord.",
           "L'Ukraine affirme que la Russie a reçu un nouveau lot de drones iraniens."),
    "es": ("Rusia ofrece entregar misiles balísticos a Corea del Norte.",
           "Ucrania asegura que Rusia recibió un nuevo lote de drones iraníes."),
    "ru": ("Россия пообещала поставить КНДР баллистические ракеты.",
           "Украина утверждает, что Россия получила новую партию иранских дронов."),
    "it": ("La Russia offre di consegnare missili balistici alla Corea del Nord.", None),
    "zh": ("俄罗斯承诺向朝鲜提供弹道导弹。", None),
    "de": (None, "Die Ukraine behauptet, Russland habe eine neue Lieferung iranischer Drohnen erhalten."),
    "pl": (None, "Ukraina twierdzi, że Rosja otrzymała nową partię irańskich dronów."),
}


@pytest.mark.parametrize("lang", sorted(INTENT_AND_ASSERTION))
def test_an_offer_is_not_the_act_and_an_assertion_is_an_allegation(bundled, lang):
    offer, assertion = INTENT_AND_ASSERTION[lang]
    if offer:
        result = scan(bundled, offer)
        assert result.contributions[0].note.startswith("speculation:"), result.contributions
        assert result.level == "medium"
    if assertion:
        result = scan(bundled, assertion)
        assert result.contributions[0].note.startswith("hedge:"), result.contributions
        assert result.level == "medium"


@pytest.mark.parametrize(("lang", "text", "ongoing"), [
    ("en", "North Korea has sent shells since early 2017.", True),
    ("en", "North Korea sent shells in 2017.", False),
    ("tr", "Kuzey Kore 2017 yılından beri Rusya'ya mühimmat gönderiyor.", True),
    ("el", "Από το 2017 η Βόρεια Κορέα στέλνει πυρομαχικά.", True),
    ("bg", "От 2017 г. КНДР доставя снаряди.", True),
    ("ja", "2017年以降、北朝鮮は砲弾を送っている。", True),
    ("pl", "W 2017 roku Korea Północna wysłała pociski.", False),
])
def test_a_year_after_a_since_word_is_ongoing(lang, text, ongoing):
    from flagger.engine.history import dated_years, history_spec
    from flagger.resources import cues

    [(_offset, year, found)] = dated_years(text, history_spec(cues()["history"]), lang)
    assert (year, found) == (2017, ongoing)
