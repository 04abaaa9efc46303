"""An article is reported under every category whose evidence it holds, not only the strongest."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def bundled():
    from flagger.api import Scanner

    return Scanner(default_entities=False)


@pytest.mark.parametrize("text", [
    "North Korea shipped artillery shells to Russia by rail, officials said.",
    "Korea Utara mengirim ribuan peluru artileri ke Rusia.",
    "КНДР передала России артиллерийские снаряды.",
])
def test_a_plain_arms_transfer_is_an_arms_embargo_finding_not_military_cooperation(bundled, text):
    # milcoop.arms_ties (every DPRK-Russia transfer also filed as military cooperation) is
    # deprecated: on the real-news dev set it alone decided the category 13 times, 3 of them right.
    categories = set(bundled.scan_text(text).categories)
    assert "arms-embargo" in categories
    assert "military-cooperation" not in categories


@pytest.mark.parametrize("text", [
    "Russia's defence minister arrived in Pyongyang for talks with Kim Jong Un.",
    "Menteri Pertahanan Rusia tiba di Pyongyang untuk pembicaraan dengan Kim Jong Un.",
    "Rusya Savunma Bakanı Pyongyang'ı ziyaret etti.",
    "俄罗斯国防部长抵达平壤,与朝鲜领导人会谈。",
    "Pohjois-Korean puolustusministeri vieraili Moskovassa.",
    "Une délégation militaire nord-coréenne a rencontré des généraux russes à Moscou.",
])
def test_a_defence_level_visit_between_the_dprk_and_russia_is_military_cooperation(bundled, text):
    assert "military-cooperation" in bundled.scan_text(text).categories


@pytest.mark.parametrize("text", [
    "Thousands of North Korean troops were deployed to Russia's Kursk region.",
    "Kuzey Kore askerleri Rusya'nın Kursk bölgesinde savaşıyor.",
])
def test_troops_sent_to_russia_are_also_an_arms_embargo_finding(bundled, text):
    assert "arms-embargo" in bundled.scan_text(text).categories


@pytest.mark.parametrize("text", [
    "Soviet troops entered North Korea in 1945 as Japan surrendered.",
    "North Korea sent its football team to Russia for a friendly match.",
])
def test_history_and_sport_stay_out_of_both(bundled, text):
    categories = set(bundled.scan_text(text).categories)
    assert not categories & {"arms-embargo", "military-cooperation"}


@pytest.mark.parametrize("text", [
    "North Korea supplied KN-23 ballistic missiles to Russia, Ukrainian officials said.",
    "Kuzey Kore, Rusya'ya balistik füzeler gönderdi.",
])
def test_ballistic_missiles_supplied_are_also_a_ballistic_missile_finding(bundled, text):
    assert {"arms-embargo", "ballistic-missile-space"} <= set(bundled.scan_text(text).categories)


# Own sentences for the classes widened in issue 16 item 4, each in English and five or more
# other languages of the concept lexicon.
@pytest.mark.parametrize("text", [
    "Russian engineers went to North Korea to help with its spy satellite launches.",
    "Moskau unterstützt Nordkorea beim Bau von Aufklärungssatelliten.",
    "러시아 전문가들이 북한의 정찰위성 발사를 지원했다.",
    "Россия помогает КНДР с запуском разведывательного спутника.",
    "Rusia membantu Korea Utara meluncurkan satelit pengintai.",
    "रूस उत्तर कोरिया को जासूसी उपग्रह बनाने में मदद कर रहा है।",
    "La Russie aide la Corée du Nord à lancer un satellite espion.",
])
def test_russian_help_with_the_dprk_satellite_programme_is_missile_space_and_military_cooperation(bundled, text):
    assert {"ballistic-missile-space", "military-cooperation"} <= set(bundled.scan_text(text).categories)


@pytest.mark.parametrize("text", [
    "Satellite images show Russian ships unloading at a North Korean port, with help from analysts.",
    "Russia helped Egypt launch a weather satellite from Baikonur.",
])
def test_satellite_imagery_and_other_states_space_help_are_not(bundled, text):
    assert "military-cooperation" not in bundled.scan_text(text).categories


@pytest.mark.parametrize("text", [
    "Russia and North Korea signed a treaty with a mutual defence clause.",
    "Putin e Kim Jong Un assinaram um acordo de assistência mútua em Pyongyang.",
    "Nga và Triều Tiên ký hiệp ước đối tác chiến lược với điều khoản phòng thủ chung.",
    "Rusko a Severná Kórea podpísali zmluvu o vzájomnej pomoci.",
    "Rusia dan Korea Utara sepakat memperluas kerja sama militer.",
    "रूस और उत्तर कोरिया ने सैन्य सहयोग पर समझौता किया।",
])
def test_a_defence_pact_with_the_dprk_is_military_cooperation(bundled, text):
    assert "military-cooperation" in bundled.scan_text(text).categories


@pytest.mark.parametrize("text", [
    "A Hong Kong firm shipped microchips and ball bearings to Russia.",
    "Türk aracılar Rusya'ya mikroçip ve rulman sattı.",
    "Iran lieferte Drohnenteile und Halbleiter an Russland.",
    "Perusahaan Tiongkok mengirim komponen elektronik ke Rusia.",
    "Китайские фирмы поставляют в Россию станки и микросхемы.",
    "中国企业向俄罗斯出口了机床和芯片。",
])
def test_components_and_machine_tools_reaching_russia_are_dual_use(bundled, text):
    assert "dual-use-tech" in bundled.scan_text(text).categories


@pytest.mark.parametrize("text", [
    "Taiwan's chip exports to the United States hit a record.",
    "Rusya'da otomobil motorları üreten fabrika kapandı.",
])
def test_components_without_a_sanctioned_state_receiving_them_are_not(bundled, text):
    assert "dual-use-tech" not in bundled.scan_text(text).categories


@pytest.mark.parametrize("text", [
    "Thousands of North Korean labourers work on building sites in Russia.",
    "Šiaurės Korėjos darbininkai dirba Rusijos statybose.",
    "Nordkoreanska IT-arbetare använde falska identiteter för att få jobb i Europa.",
    "Pekerja IT Korea Utara memakai identitas palsu untuk bekerja jarak jauh.",
    "Des milliers de travailleurs nord-coréens sont employés à l'étranger.",
    "Severokorejští dělníci pracují v zahraničí.",
])
def test_dprk_workers_abroad_are_sanctions_evasion(bundled, text):
    assert "sanctions-evasion" in bundled.scan_text(text).categories


@pytest.mark.parametrize("text", [
    "Russia bought millions of artillery shells from North Korea.",
    "Russland kaufte Artilleriegeschosse in Nordkorea.",
    "La Russie a acheté des obus à la Corée du Nord.",
    "Rusia compró proyectiles de artillería a Corea del Norte.",
    "Россия закупила снаряды у КНДР.",
    "Rusia ka blerë predha artilerie nga Koreja e Veriut.",
])
def test_arms_bought_from_the_dprk_are_an_arms_embargo_finding(bundled, text):
    assert "arms-embargo" in bundled.scan_text(text).categories


@pytest.mark.parametrize("text", [
    "North Korea launders stolen cryptocurrency through exchanges in Asia.",
    "Triều Tiên bị cáo buộc rửa tiền thông qua tội phạm mạng.",
    "Nordkorea umgeht die Sanktionen mit Geldwäsche über Scheinfirmen.",
    "Северная Корея занимается отмыванием денег через криптобиржи.",
    "북한이 가상화폐 탈취로 제재를 회피하고 있다.",
    "Coreia do Norte usa lavagem de dinheiro para financiar mísseis.",
])
def test_dprk_sanctions_evasion_named_as_such_is_sanctions_evasion(bundled, text):
    assert "sanctions-evasion" in bundled.scan_text(text).categories


def test_money_laundering_without_the_dprk_is_not(bundled):
    assert "sanctions-evasion" not in bundled.scan_text(
        "A Dutch court jailed a banker for money laundering for a drug gang.").categories


@pytest.mark.parametrize("text", [
    "The Security Council imposed sanctions on North Korea over its missile tests in 2006.",
    "Washington warned that any arms deal between Russia and North Korea would bring sanctions.",
])
def test_sanctions_on_the_state_itself_or_a_threat_are_not_a_designation_notice(bundled, text):
    assert "designation-notice" not in bundled.scan_text(text).categories


@pytest.mark.parametrize("text", [
    "The US Treasury sanctioned two North Korean officials over arms sales.",
    "Bộ Tài chính Mỹ trừng phạt hai công dân Triều Tiên liên quan đến buôn bán vũ khí.",
    "Departamenti i Thesarit sanksionoi dy zyrtarë të Koresë së Veriut për shitje armësh.",
    "Евросоюз ввел санкции против министра обороны КНДР за поставки ракет.",
    "L'Union européenne a sanctionné trois entreprises nord-coréennes liées aux missiles.",
    "미국 재무부가 북한 무기 거래에 관여한 개인 2명을 제재했다.",
])
def test_a_named_party_listed_for_weapons_work_is_a_designation_notice(bundled, text):
    assert "designation-notice" in bundled.scan_text(text).categories


@pytest.mark.parametrize("text", [
    "Russia fired a North Korean KN-23 ballistic missile at Kharkiv, investigators said.",
    "Rusko dostane od Iránu balistické rakety krátkeho doletu.",
    "Ukraina menemukan puing rudal balistik Korea Utara yang ditembakkan Rusia.",
    "روسيا استخدمت صواريخ باليستية كورية شمالية ضد أوكرانيا.",
    "러시아군이 북한제 탄도미사일로 우크라이나를 공격했다.",
    "Die russische Armee setzt nordkoreanische Kurzstreckenraketen gegen die Ukraine ein.",
])
def test_dprk_or_iranian_ballistic_missiles_with_russia_are_a_ballistic_missile_finding(bundled, text):
    assert "ballistic-missile-space" in bundled.scan_text(text).categories


def test_missiles_shown_to_a_russian_guest_at_a_parade_are_not(bundled):
    text = "Russia's defence minister watched Hwasong ballistic missiles roll past at the military parade in Pyongyang."
    assert "ballistic-missile-space" not in bundled.scan_text(text).categories


def test_a_thai_network_is_not_a_sale():
    # Thai is matched as a run of characters with tone marks folded, so the bare verb ขาย (sell)
    # was found inside เครือข่าย (network); only longer sale forms are transfer words now.
    from flagger.api import Scanner

    text = "สหรัฐคว่ำบาตรเครือข่ายทางการเงินของเกาหลีเหนือที่หาเงินให้โครงการอาวุธ"
    assert "arms-embargo" not in Scanner(default_entities=False).scan_text(text).categories
