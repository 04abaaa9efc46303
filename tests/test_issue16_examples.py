"""Issue 16's "What fails today" examples, one specification each, in English and at least five other
languages (the issue's own English sentences are the spec; every other sentence is written for this
file). Examples already specified in as many languages elsewhere are only named here:

- confirmed / never-shipped / fact-check / a resolution describing a ban, own sentences in en, de, fr,
  es, ru, zh, ko: tests/engine/test_hedging.py::test_confirmed_transfer_is_high_and_each_framing_brings_it_to_low
- confirmed transfer critical, the same dated years back is history (en, de, fr, es, ru, zh, ko):
  tests/engine/test_framing_modifiers.py::test_a_confirmed_transfer_is_critical_and_the_same_dated_years_back_is_history
- explainer / encyclopedic leads (en, de, fr, es, ru, zh, ko):
  tests/engine/test_framing_modifiers.py::test_an_explainer_or_encyclopedic_lead_frames_the_article
- defence visits, treaties, satellite help, chips and machine tools, workers abroad (en + 5):
  tests/rules/test_categories.py
- README's score section is generated from the scoring model: tests/test_scoring.py

Each test names the framing kind it expects in the top contribution's note, which is what
`flagger scan --explain` prints.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from flagger.ci.gate import EXIT_FINDINGS, EXIT_OK
from flagger.cli import main
from flagger.model import Record
from flagger.scoring import cue_multipliers


@pytest.fixture(scope="module")
def bundled():
    from flagger.api import Scanner

    return Scanner(default_entities=False)


def scan(scanner, text: str):
    return scanner.scan_batch([Record(id="t", text=text, published="2026-03-01")])[0]


# -- the issue's four framing texts, as written there -----------------------------------------------
CONFIRMED = "North Korea shipped artillery shells to Russia, the Pentagon confirmed."
FOUR = [
    (CONFIRMED, None),
    ("North Korea never shipped artillery shells to Russia, its foreign ministry said on Friday.", "negation"),
    ("Fact check: Russia did NOT send MiG-29 fighter jets to North Korea. Posts claiming that Russia sent MiG-29 "
     "fighter jets to North Korea are false.", "factcheck"),
    ("The resolution bans the sale of tanks, missiles, warships and large artillery to North Korea and requires "
     "states to inspect cargo.", "regime"),
]


@pytest.mark.parametrize(("text", "kind"), FOUR)
def test_the_issues_four_texts_no_longer_score_alike(bundled, text, kind):
    result = scan(bundled, text)
    top = result.contributions[0]
    if kind is None:
        assert result.level == "critical" and top.modifier == 1.0, result.contributions
    else:
        assert result.level in ("none", "low"), (result.score, result.contributions)
        assert top.note.startswith(f"{kind}:") and top.modifier == cue_multipliers()[kind]


def test_explain_prints_the_framing_kind_and_its_multiplier():
    text = FOUR[1][0]
    out = CliRunner().invoke(main, ["scan", "-", "--no-default-entities", "--no-config", "--explain"], input=text)
    assert out.exit_code == EXIT_OK, out.output
    assert f"modifier {cue_multipliers()['negation']}" in out.output and "(negation:never shipped" in out.output


@pytest.mark.parametrize("text", [
    CONFIRMED,
    "Das Pentagon bestätigte, dass Nordkorea Artilleriegranaten an Russland geliefert hat.",
    "Le Pentagone a confirmé que la Corée du Nord avait livré des obus à la Russie.",
    "El Pentágono confirmó que Corea del Norte envió proyectiles de artillería a Rusia.",
    "Пентагон подтвердил, что КНДР передала России артиллерийские снаряды.",
    "Pentagon memastikan Korea Utara mengirim peluru artileri ke Rusia.",
])
def test_a_confirmed_critical_transfer_fails_a_critical_gate(text):
    # the issue: it scored 84.2, so `--fail-on critical` let it pass
    out = CliRunner().invoke(main, ["scan", "-", "--no-default-entities", "--no-config", "--fail-on", "critical",
                                    "-q", "-f", "csv"], input=text)
    assert out.exit_code == EXIT_FINDINGS, out.output


# -- hedges: "may have sent", "officials fear", "analysts suspect" ----------------------------------
MAY_HAVE = [
    "North Korea may have sent artillery shells to Russia.",
    "Nordkorea könnte Artilleriegranaten an Russland geliefert haben.",
    "La Corée du Nord pourrait avoir livré des obus à la Russie.",
    "Corea del Norte podría haber enviado proyectiles de artillería a Rusia.",
    "La Corea del Nord potrebbe aver inviato proiettili di artiglieria alla Russia.",
    "Korea Północna mogła wysłać pociski artyleryjskie do Rosji.",
    "朝鲜可能向俄罗斯运送了炮弹。",
    "КНДР, возможно, передала России артиллерийские снаряды.",
    "A Coreia do Norte pode ter enviado projéteis de artilharia para a Rússia.",
]
FEAR = [
    "Officials fear North Korea shipped artillery shells to Russia.",
    "Beamte befürchten, dass Nordkorea Artilleriegranaten an Russland geliefert hat.",
    "Les responsables craignent que la Corée du Nord ait livré des obus à la Russie.",
    "Los funcionarios temen que Corea del Norte haya enviado proyectiles de artillería a Rusia.",
    "Чиновники опасаются, что КНДР передала России артиллерийские снаряды.",
    "I funzionari temono che la Corea del Nord abbia inviato proiettili di artiglieria alla Russia.",
    "官员担心朝鲜向俄罗斯运送了炮弹。",
    "Urzędnicy obawiają się, że Korea Północna wysłała pociski artyleryjskie do Rosji.",
]
SUSPECT = [
    "Analysts suspect North Korea shipped artillery shells to Russia.",
    "Analysten vermuten, dass Nordkorea Artilleriegranaten an Russland geliefert hat.",
    "Les analystes soupçonnent que la Corée du Nord a livré des obus à la Russie.",
    "Los analistas sospechan que Corea del Norte envió proyectiles de artillería a Rusia.",
    "Аналитики подозревают, что КНДР передала России артиллерийские снаряды.",
    "Gli analisti sospettano che la Corea del Nord abbia inviato proiettili di artiglieria alla Russia.",
    "Analitycy podejrzewają, że Korea Północna wysłała pociski artyleryjskie do Rosji.",
    "分析人士怀疑朝鲜向俄罗斯运送了炮弹。",
]


@pytest.mark.parametrize("text", MAY_HAVE)
def test_may_have_sent_is_speculation(bundled, text):
    result = scan(bundled, text)
    top = result.contributions[0]
    assert top.note.startswith("speculation:") and top.modifier == cue_multipliers()["speculation"], result.contributions
    assert result.level == "medium"


@pytest.mark.parametrize("text", FEAR + SUSPECT)
def test_officials_fear_and_analysts_suspect_are_hedges(bundled, text):
    result = scan(bundled, text)
    top = result.contributions[0]
    assert top.note.startswith("hedge:") and top.modifier == cue_multipliers()["hedge"], result.contributions
    assert result.level != "critical"


# -- denial by the alleged party ----------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Pyongyang denied that it had shipped artillery shells to Russia.",
    "Pyongyang a démenti avoir livré des obus à la Russie.",
    "Pyongyang negó haber enviado proyectiles de artillería a Rusia.",
    "Пхеньян опроверг, что передавал России артиллерийские снаряды.",
    "Pyongyang ha smentito di aver inviato proiettili di artiglieria alla Russia.",
    "Pjongjang zaprzeczył, że wysłał pociski artyleryjskie do Rosji.",
    "朝鲜否认向俄罗斯运送了炮弹。",
    "Pjöngjang bestritt, Artilleriegranaten an Russland geliefert zu haben.",
    "북한은 러시아에 포탄을 공급했다는 보도를 부인했다.",
])
def test_a_denial_by_the_alleged_party_counts_less(bundled, text):
    result = scan(bundled, text)
    top = result.contributions[0]
    assert top.note.startswith("denial:") and top.modifier == cue_multipliers()["denial"], result.contributions
    assert result.level in ("low", "medium")


# -- academic texts and compliance explainers ---------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Abstract: This paper argues that states largely complied with the arms embargo on North Korea. North Korea "
    "shipped artillery shells to Russia.",
    "Zusammenfassung: Diese Studie untersucht, ob Nordkorea Artilleriegranaten an Russland geliefert hat.",
    "Résumé : Cet article examine si la Corée du Nord a livré des obus à la Russie.",
    "Resumen: Este estudio analiza si Corea del Norte entregó proyectiles de artillería a Rusia.",
    "Аннотация: В статье рассматривается, передала ли КНДР России артиллерийские снаряды.",
    "Streszczenie: Artykuł analizuje, czy Korea Północna wysłała pociski artyleryjskie do Rosji.",
    "摘要：本文探讨朝鲜是否向俄罗斯运送了炮弹。",
])
def test_an_academic_abstract_frames_the_article_as_genre(bundled, text):
    result = scan(bundled, text)
    assert result.contributions[0].note.startswith("genre:"), result.contributions
    assert result.level not in ("high", "critical")


@pytest.mark.parametrize("text", [
    "How a sanctions compliance program works: Treasury designates persons and companies that supply weapons to "
    "North Korea.",
    "So funktioniert ein Sanktions-Compliance-Programm: Das Finanzministerium listet Personen und "
    "Unternehmen, die Waffen an Nordkorea liefern.",
    "Comment fonctionne un programme de conformité aux sanctions : le Trésor désigne les personnes et "
    "entités qui livrent des armes à la Corée du Nord.",
    "Как устроена программа санкционного комплаенса: Минфин США вносит в список лиц и компании, "
    "поставляющие оружие КНДР.",
    "Come funziona un programma di conformità alle sanzioni: il Tesoro designa le persone e le società "
    "che forniscono armi alla Corea del Nord.",
    "Jak działa program zgodności z sankcjami: Departament Skarbu wpisuje na listę osoby i firmy "
    "dostarczające broń Korei Północnej.",
])
def test_a_compliance_explainer_is_genre_not_a_finding(bundled, text):
    result = scan(bundled, text)
    assert result.contributions[0].note.startswith("genre:"), result.contributions
    assert result.level not in ("high", "critical")


# -- recall in the languages the issue names as silent ---------------------------------------------
@pytest.mark.parametrize("text", [
    "เกาหลีเหนือส่งกระสุนปืนใหญ่ให้รัสเซีย เพนตากอนยืนยัน",                               # Thai
    "Pentagon, Kuzey Kore'nin Rusya'ya topçu mermisi gönderdiğini doğruladı.",            # Turkish
    "Pentagon memastikan Korea Utara mengirim peluru artileri ke Rusia.",                 # Indonesian
    "पेंटागन ने पुष्टि की कि उत्तर कोरिया ने रूस को तोपखाने के गोले भेजे।",                 # Hindi
    "Lầu Năm Góc xác nhận Triều Tiên đã chuyển đạn pháo cho Nga.",                       # Vietnamese
    "Het Pentagon bevestigde dat Noord-Korea artilleriegranaten aan Rusland leverde.",    # Dutch
    "Pentagon bekräftade att Nordkorea skickade artillerigranater till Ryssland.",        # Swedish
    "Pentagonul a confirmat că Coreea de Nord a trimis obuze de artilerie în Rusia.",     # Romanian
    "Pentagon potvrdil, že Severní Korea poslala Rusku dělostřelecké granáty.",          # Czech
    "הפנטגון אישר כי צפון קוריאה שלחה פגזי ארטילריה לרוסיה.",                              # Hebrew
])
def test_a_confirmed_transfer_is_found_in_the_languages_that_were_silent(bundled, text):
    result = scan(bundled, text)
    assert result.level in ("high", "critical") and "arms-embargo" in result.categories, (result.score,
                                                                                            result.contributions)


# -- categories: joint exercises, engines and drone components, every category present -------------
@pytest.mark.parametrize("text", [
    "Russia and North Korea held their first joint military exercises near Vladivostok.",
    "Russland und Nordkorea hielten gemeinsame Militärübungen ab.",
    "La Russie et la Corée du Nord ont mené des exercices militaires conjoints.",
    "Rusia y Corea del Norte realizaron ejercicios militares conjuntos.",
    "Россия и КНДР провели совместные военные учения.",
    "俄罗斯和朝鲜举行了联合军事演习。",
    "러시아와 북한이 합동 군사훈련을 실시했다.",
    "Rusya ve Kuzey Kore ortak askeri tatbikat düzenledi.",
    "Rusia dan Korea Utara menggelar latihan militer gabungan.",
    "Nga và Triều Tiên đã tiến hành tập trận chung.",
    "רוסיה וצפון קוריאה קיימו תרגיל צבאי משותף.",
    "Rusland en Noord-Korea hielden militaire oefeningen.",
])
def test_joint_exercises_with_the_dprk_are_military_cooperation(bundled, text):
    assert "military-cooperation" in scan(bundled, text).categories


DRONE_ENGINES_FROM_CHINA = [
    "Chinese traders shipped drone engines and components to Russia.",
    "Des entreprises chinoises ont vendu des moteurs de drones à la Russie.",
    "Китайские компании поставили в Россию двигатели для беспилотников.",
    "Perusahaan Tiongkok menjual mesin drone ke Rusia.",
    "中国公司向俄罗斯出售了无人机发动机。",
    "Çinli şirketler Rusya'ya drone motorları sattı.",
    "Chinesische Händler lieferten Drohnenmotoren an Russland.",
    "Empresas chinas vendieron motores para drones a Rusia.",
]


@pytest.mark.parametrize("text", DRONE_ENGINES_FROM_CHINA)
def test_drone_engines_reaching_russia_are_dual_use(bundled, text):
    assert "dual-use-tech" in scan(bundled, text).categories


@pytest.mark.parametrize("text", DRONE_ENGINES_FROM_CHINA)
def test_drone_parts_from_china_are_no_iran_russia_transfer(bundled, text):
    # a supply word does not stand for Iran: only Iran itself or an Iranian design (Shahed, Geran)
    assert scan(bundled, text).categories == ["dual-use-tech"]


@pytest.mark.parametrize("text", [
    "Iran lieferte Drohnen an Russland.",
    "Иран передал России беспилотники.",
    "伊朗向俄罗斯运送了一批无人机。",
    "Russia bought hundreds of Shahed drones, US officials said.",
])
def test_drones_from_iran_or_of_iranian_design_stay_an_iran_russia_transfer(bundled, text):
    assert "iran-russia-transfer" in scan(bundled, text).categories


@pytest.mark.parametrize("text", [
    "North Korea shipped artillery shells to Russia, and thousands of North Korean workers were sent to Russian "
    "building sites.",
    "КНДР передала России артиллерийские снаряды, а тысячи северокорейских рабочих трудятся на российских стройках.",
])
def test_every_category_whose_evidence_is_present_is_reported(bundled, text):
    assert {"arms-embargo", "sanctions-evasion"} <= set(scan(bundled, text).categories)
