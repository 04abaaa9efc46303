"""Hedged, denied and negated claims count less than confirmed ones, in a documented order."""

from __future__ import annotations

import pytest

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


# -- framing as patterns, with the bundled packs, in several languages --------------------------
# Each language: a confirmed transfer, the same claim negated by the alleged party, a fact-check
# that says the claim is false, and a description of what the regime prohibits. Sentences written
# for this test.
FRAMING = {
    "en": ("North Korea shipped artillery shells to Russia, the Pentagon confirmed.",
           "North Korea has never shipped artillery shells to Russia, the foreign ministry in Pyongyang said.",
           "Fact check: North Korea did not ship artillery shells to Russia. A viral post claiming North Korea "
           "shipped artillery shells to Russia is false.",
           "The resolution bans the sale of missiles and artillery shells by North Korea and requires states to "
           "inspect cargo."),
    "de": ("Nordkorea hat Artilleriegranaten an Russland geliefert, bestätigte das Pentagon.",
           "Nordkorea hat nie Artilleriegranaten an Russland geliefert, erklärte das Außenministerium.",
           "Faktencheck: Nordkorea hat keine Granaten an Russland geliefert. Ein Video behauptet, Nordkorea habe "
           "Granaten an Russland geliefert.",
           "Die Resolution verbietet den Verkauf von Raketen und Munition durch Nordkorea an andere Staaten."),
    "fr": ("La Corée du Nord a livré des obus à la Russie, a confirmé le Pentagone.",
           "La Corée du Nord n'a jamais livré d'obus à la Russie, a déclaré son ministère.",
           "Intox : la Corée du Nord n'a pas livré d'obus à la Russie. Une vidéo affirme que la Corée du Nord a "
           "livré des obus à la Russie.",
           "La résolution interdit de fournir des missiles et des munitions à la Corée du Nord."),
    "es": ("Corea del Norte entregó proyectiles de artillería a Rusia, confirmó el Pentágono.",
           "Corea del Norte nunca entregó municiones a Rusia, afirmó su cancillería.",
           "Es falso: Corea del Norte no envió municiones a Rusia. Un video asegura que Corea del Norte envió "
           "municiones a Rusia.",
           "La resolución prohíbe suministrar misiles y municiones a Corea del Norte."),
    "ru": ("КНДР передала России артиллерийские снаряды, подтвердили в Пентагоне.",
           "КНДР никогда не передавала России артиллерийские снаряды, заявили в МИД.",
           "Фейк: КНДР не передавала России снаряды. В ролике утверждается, что КНДР передала России снаряды.",
           "Резолюция запрещает продажу ракет и боеприпасов КНДР."),
    "zh": ("五角大楼证实，朝鲜向俄罗斯运送了炮弹。",
           "朝鲜外务省表示，朝鲜从未向俄罗斯提供炮弹。",
           "事实核查：朝鲜没有向俄罗斯提供炮弹。网传视频称朝鲜向俄罗斯提供炮弹。",
           "该决议禁止朝鲜出口导弹和弹药。"),
    "ko": ("국방부는 북한이 러시아에 포탄을 공급했다고 확인했다.",
           "북한 외무성은 북한이 러시아에 포탄을 공급하지 않았다고 밝혔다.",
           "팩트체크: 북한이 러시아에 포탄을 공급했다는 주장은 사실무근이다. 영상은 북한이 러시아에 포탄을 공급했다고 주장한다.",
           "결의는 북한의 미사일과 탄약 수출을 금지한다."),
}


@pytest.fixture(scope="module")
def bundled():
    from flagger.api import Scanner

    return Scanner(default_entities=False)


@pytest.mark.parametrize("lang", sorted(FRAMING))
def test_confirmed_transfer_is_high_and_each_framing_brings_it_to_low(bundled, lang):
    confirmed, negated, factcheck, regime = (bundled.scan_text(t) for t in FRAMING[lang])
    assert confirmed.level in ("high", "critical"), confirmed.contributions
    for result, kind in ((negated, "negation"), (factcheck, "factcheck"), (regime, "regime")):
        assert result.level in ("none", "low"), (kind, result.score, result.contributions)
        assert result.contributions and f"{kind}:" in result.contributions[0].note
        assert result.contributions[0].modifier == cue_multipliers()[kind]


@pytest.mark.parametrize("text", [
    "North Korea, which did not send a delegation, shipped artillery shells to Russia in October.",
    "Pyongyang denied the report. Satellite images show North Korea shipped artillery shells to Russia in October.",
    "North Korea not only shipped artillery shells to Russia but also sent engineers.",
    "North Korea shipped artillery shells to Russia in violation of the resolution that bans arms sales.",
])
def test_a_finding_outside_the_framing_keeps_its_weight(bundled, text):
    # the negator is in another clause, the denial in another sentence, "not only" negates
    # nothing, and a violation of the ban is not a description of it
    result = bundled.scan_text(text)
    assert result.level in ("high", "critical"), (result.score, result.contributions)


def test_hedges_and_speculation_are_patterns_not_one_phrase(bundled):
    plain = bundled.scan_text("North Korea shipped artillery shells to Russia.").score
    may = bundled.scan_text("North Korea may have shipped artillery shells to Russia.")
    fear = bundled.scan_text("Officials fear North Korea shipped artillery shells to Russia.")
    suspect = bundled.scan_text("Analysts suspect North Korea shipped artillery shells to Russia.")
    assert "speculation:may have" in may.contributions[0].note
    assert "hedge:fear" in fear.contributions[0].note
    assert "hedge:suspect" in suspect.contributions[0].note
    assert plain > fear.score == suspect.score > may.score


def test_a_number_after_no_is_a_ship_name_not_a_negation(bundled):
    result = bundled.scan_text("The tanker Kum Un San No 3 delivered artillery shells from North Korea to Russia.")
    assert "negation" not in result.contributions[0].note


def test_a_fact_check_cue_late_in_the_body_frames_only_its_sentence(bundled):
    text = ("North Korea shipped artillery shells to Russia, the Pentagon confirmed. Officials said more "
            "shipments followed. Separately, a fact check found a video about jets was fake news.")
    assert bundled.scan_text(text).level in ("high", "critical")


@pytest.mark.parametrize("text", [
    "The UN Security Council sanctions committee granted a humanitarian exemption to deliver water pumps to North Korea.",
    "Le comité des sanctions du Conseil de sécurité a accordé une dérogation pour livrer des médicaments à la Corée du Nord.",
])
def test_an_exemption_granted_is_not_a_designation_or_a_violation(bundled, text):
    result = bundled.scan_text(text)
    assert result.level in ("none", "low"), (result.score, result.contributions)
    assert all("exemption:" in c.note or c.kind == "entity" for c in result.contributions)


# -- the cue classes in their inflections, per language -------------------------------------------
@pytest.mark.parametrize(("text", "kind"), [
    ("Moskau bestreitet, Drohnen aus Nordkorea erhalten zu haben, und Pjöngjang dementierte, Granaten "
     "an Russland geliefert zu haben.", "denial"),
    ("Die Regierung in Pjöngjang hat bestritten, Artilleriegranaten an Russland verkauft zu haben.", "denial"),
    ("Власти КНДР отрицали, что передавали России артиллерийские снаряды.", "denial"),
    ("Władze Korei Północnej zaprzeczyli, że wysłały pociski artyleryjskie do Rosji.", "denial"),
    ("La Corea del Nord ha negato di aver inviato proiettili di artiglieria alla Russia.", "denial"),
    ("Nordkorea hat möglicherweise Artilleriegranaten an Russland geliefert.", "speculation"),
    ("La Corée du Nord a peut-être livré des obus à la Russie.", "speculation"),
    ("Quizás Corea del Norte envió proyectiles de artillería a Rusia.", "speculation"),
    ("Korea Północna być może wysłała pociski artyleryjskie do Rosji.", "speculation"),
    ("Північна Корея, можливо, передала Росії артилерійські снаряди.", "speculation"),
    ("Washington befürchtete, dass Nordkorea Artilleriegranaten an Russland geliefert hat.", "hedge"),
    ("Los servicios de inteligencia sospechaban que Corea del Norte envió proyectiles de artillería a Rusia.",
     "hedge"),
    ("В Киеве подозревали, что КНДР передала России артиллерийские снаряды.", "hedge"),
    ("有官员担忧朝鲜向俄罗斯运送了炮弹。", "hedge"),
])
def test_framing_verbs_count_in_their_tenses_and_persons(bundled, text, kind):
    result = bundled.scan_text(text)
    assert result.contributions[0].note.startswith(kind + ":"), result.contributions


@pytest.mark.parametrize(("text", "kind"), [
    ("북한이 러시아에 포탄을 공급했을 가능성이 있다.", "speculation"),        # 가능성 + particle 이
    ("북한이 러시아에 포탄을 공급했다는 우려가 커지고 있다.", "hedge"),      # 우려 + particle 가
    ("북한 외무성은 러시아에 포탄을 공급했다는 주장을 부인하며 반발했다.", "denial"),  # 부인하 + ending 며
])
def test_a_korean_cue_takes_its_particles_and_endings(bundled, text, kind):
    result = bundled.scan_text(text)
    assert result.contributions[0].note.startswith(kind + ":"), result.contributions


def test_a_korean_word_that_only_begins_like_a_cue_is_no_cue(bundled):
    # 부인 alone is also "wife": only the verb's forms (부인했다, 부인하며, 부인한) are a denial
    result = bundled.scan_text("북한은 러시아에 포탄을 공급했고, 김정은과 부인이 포탄 공장을 방문했다.")
    assert not result.contributions[0].note.startswith("denial:"), result.contributions
    assert result.level in ("high", "critical")
