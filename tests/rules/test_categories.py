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


# -- categories are the verdict: a category needs a finding that reports the act ------------------
# Measured on the real-news dev set and the samples (benchmarks/calibrate.py): of the categories
# reported that the label does not name, 14 of 38 on the dev set came only from findings framed as
# not happening (negated, fact-checked, a ban or embargo described, an exemption, an old event, an
# explainer), and 2 from findings too weak to make an article low by themselves.

@pytest.mark.parametrize("text", [
    "There is no evidence that North Korea shipped artillery shells to Russia, the ministry said.",
    "Fact check: North Korea did not send troops to Russia. The claim is false.",
    "The resolution bans the sale of tanks, missiles and artillery to North Korea.",
    "Die Resolution verbietet den Verkauf von Panzern, Raketen und Artillerie an Nordkorea.",
])
def test_a_finding_framed_as_not_happening_is_scored_and_shown_but_names_no_category(bundled, text):
    result = bundled.scan_text(text)
    assert result.rules and result.level == "low", (result.level, result.rules)
    assert result.categories == []


@pytest.mark.parametrize("text", [
    "In 2009 North Korea shipped rockets and artillery shells to Syria, a UN panel found.",
    "Im Jahr 2009 lieferte Nordkorea Raketen und Granaten nach Syrien.",
])
def test_an_event_years_before_publication_names_no_category(bundled, text):
    from flagger.model import Record

    result = bundled.scan_batch([Record(id="old", text=text, published="2025-05-01")])[0]
    assert "dprk.arms.export" in result.rules and result.categories == []


def test_an_article_that_also_reports_the_act_keeps_its_category(bundled):
    text = ("The resolution bans arms sales to North Korea. Yet North Korea shipped artillery shells "
            "to Russia last month, officials said.")
    assert bundled.scan_text(text).categories == ["arms-embargo"]


@pytest.mark.parametrize("text", [
    "North Korea denied that it shipped artillery shells to Russia.",
    "North Korea may have shipped artillery shells to Russia, analysts said.",
])
def test_denied_hedged_or_speculative_findings_keep_their_category(bundled, text):
    # the allegation is the story: the level says how sure, the category says what kind
    assert bundled.scan_text(text).categories == ["arms-embargo"]


def test_a_finding_too_weak_to_make_an_article_low_names_no_category(bundled):
    # missile.ballistic_with_russia (severity low) halved by the denial: 12 points, under the low floor
    result = bundled.scan_text("Iran denied sending ballistic missiles to Russia.")
    assert result.rules == ["missile.ballistic_with_russia"] and result.level == "none"
    assert result.categories == []


# -- words that are not the concept -------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Sanctions target North Korea's weapons programmes and its nuclear programme.",
    "Les sanctions visent les programmes d'armement de la Corée du Nord.",
])
def test_a_weapons_programme_is_not_a_programmer(bundled, text):
    # 'programmes' was one typo from 'programmers' (en) and 'programmeurs' (fr): high, sanctions-evasion
    assert bundled.scan_text(text).categories == []


def test_a_swahili_word_one_letter_from_engine_is_not_an_engine(bundled):
    # 'mengine' (others) was read as 'engine': dual-use-tech on a shell-shipment report
    text = "Serikali ya Korea Kaskazini imesafirisha makombora, na mengine yanawasilishwa Urusi kwa treni."
    assert "dual-use-tech" not in bundled.scan_text(text).categories


@pytest.mark.parametrize("text", [
    "The tanker was seized for breaking international sanctions on North Korea, South Korean customs said.",
    "The vessel is under US and EU sanctions and sailed to North Korea's Rajin port.",
    "米国は、国際社会から制裁を受けている北朝鮮の企業と取引しないよう警告した。",
    "美国警告说,与朝鲜进行武器交易的公司将受到美国的制裁。",
])
def test_the_word_sanctions_without_a_designating_act_is_not_a_designation_notice(bundled, text):
    assert "designation-notice" not in bundled.scan_text(text).categories


def test_a_chinese_designating_act_is_still_a_designation_notice(bundled):
    assert "designation-notice" in bundled.scan_text("美国财政部宣布制裁两名朝鲜官员。").categories


@pytest.mark.parametrize("text", [
    "North Korea deployed new rocket launchers near its border with Russia.",
    "Corea del Norte ha desplegado nuevos lanzacohetes cerca de la frontera con Rusia.",
    "Невдовзі Росія відправила до Пхеньяна військовий літак.",
])
def test_deployed_sent_or_military_is_not_a_soldier(bundled, text):
    # bare verbs (deployed, desplegado, enviados...) and the Ukrainian adjective військовий were troop words
    categories = set(bundled.scan_text(text).categories)
    assert not categories & {"arms-embargo", "military-cooperation"}


def test_shells_sent_by_the_dprk_are_arms_not_troops(bundled):
    text = "Os projéteis enviados pela Coreia do Norte chegaram à Rússia para a guerra na Ucrânia."
    assert bundled.scan_text(text).categories == ["arms-embargo"]


@pytest.mark.parametrize("text", [
    "Russia fired a North Korean-made missile at Kyiv, Ukrainian officials said.",
    "El ejército ruso lanzó un misil norcoreano contra Kiev.",
    "Російська армія випустила північнокорейську ракету по Києву.",
    "L'armée russe a tiré un missile nord-coréen sur Kiev.",
])
def test_a_north_korean_missile_in_russias_war_is_a_ballistic_missile_finding(bundled, text):
    assert "ballistic-missile-space" in bundled.scan_text(text).categories


@pytest.mark.parametrize("text", [
    "Western officials warned that any transfer of missile technology to North Korea would breach UN resolutions.",
    "Washington a averti que toute livraison d'armes de la Corée du Nord à la Russie violerait les résolutions de l'ONU.",
    "Вашингтон предупредил, что любые поставки оружия из КНДР в Россию нарушат резолюции ООН.",
    "Washington warnte, jegliche Waffenlieferungen aus Nordkorea an Russland verstießen gegen UN-Resolutionen.",
])
def test_a_warning_about_any_transfer_is_not_a_transfer(bundled, text):
    # the French and Russian warnings scored critical arms-embargo
    assert "arms-embargo" not in bundled.scan_text(text).categories


def test_a_reported_transfer_next_to_such_a_warning_is_still_one(bundled):
    text = "North Korea shipped artillery shells to Russia, and any transfer of this kind breaches UN resolutions."
    assert bundled.scan_text(text).categories == ["arms-embargo"]


def test_the_english_word_ban_is_not_the_vietnamese_word_for_sell(bundled):
    # 'bán' (sell) folds to 'ban': 'resolutions ban technical assistance ... ballistic missiles' scored critical
    result = bundled.scan_text("UN resolutions ban technical assistance related to ballistic missiles for North Korea.")
    assert "arms-embargo" not in result.categories
    assert "arms-embargo" in bundled.scan_text("Triều Tiên đã bán đạn pháo cho Nga, theo tình báo Hàn Quốc.").categories


# A term whose folded spelling is a frequent word of another covered language with another meaning
# matched that word: Polish broń (arms) is Dutch 'bron' (source), French livré (delivered) is 'livre'
# (book), German half (helped) and Swedish sålt (sold) are English 'half' and 'salt', Vietnamese gặp
# (meet) is 'gap', Albanian bleu (bought) is French 'bleu', Portuguese Irã is French 'ira' (will go).
# Found by comparing every single-word lexicon term with wordfreq's frequent words of 16 languages.
@pytest.mark.parametrize("text, category", [
    ("Volgens een bron heeft Noord-Korea olie aan Rusland verkocht.", "arms-embargo"),
    ("Un livre sur les obus nord-coréens vient de paraître à Moscou.", "arms-embargo"),
    ("Half of North Korea's satellite budget now goes to launches, Russian media reported.", "military-cooperation"),
    ("Russian salt reaches North Korean missile factories, a report says.", "arms-embargo"),
    ("The gap between North Korea and Russia's defence ministers on the price of oil narrowed.", "military-cooperation"),
    ("Le ciel bleu au-dessus des obus nord-coréens exposés au musée de Moscou.", "arms-embargo"),
    ("La Russie ira chercher des drones ailleurs, selon Moscou.", "iran-russia-transfer"),
])
def test_a_frequent_word_of_another_language_is_not_the_term_it_folds_to(bundled, text, category):
    assert category not in bundled.scan_text(text).categories


@pytest.mark.parametrize("text, category", [
    ("La Corée du Nord a livré des obus à la Russie.", "arms-embargo"),
    ("Pyongyang livrera des missiles à Moscou.", "arms-embargo"),
    ("Korea Północna dostarczyła Rosji broni i amunicji.", "arms-embargo"),
    ("O Irã enviou drones Shahed à Rússia.", "iran-russia-transfer"),
    ("Russland half Nordkorea beim Start eines Spionagesatelliten.", "ballistic-missile-space"),
])
def test_the_languages_own_forms_still_match(bundled, text, category):
    assert category in bundled.scan_text(text).categories


@pytest.mark.parametrize("text", [
    "A tanker shipped petroleum to North Korea in breach of sanctions over Pyongyang's nuclear missile program.",
    "Танкер доставил нефтепродукты в КНДР вопреки санкциям против ракетной программы Пхеньяна.",
    "Un petrolero entregó combustible a Corea del Norte pese a las sanciones contra su programa de misiles.",
])
def test_a_weapons_programme_named_beside_another_shipment_is_not_an_arms_transfer(bundled, text):
    # each scored critical arms-embargo: the oil (or nothing) moved, the missiles are the programme
    assert "arms-embargo" not in bundled.scan_text(text).categories


def test_missiles_shipped_are_arms_even_beside_the_word_programme(bundled):
    text = "North Korea shipped missiles to Russia, expanding its missile programme's reach."
    assert "arms-embargo" in bundled.scan_text(text).categories


@pytest.mark.parametrize("text", [
    "The tanker transferred oil at sea to a sanctioned vessel, the US Treasury said.",
    "Das sanktionierte Schiff lief in den Hafen von Nachodka ein, teilte das US-Finanzministerium mit.",
    "Судно, находящееся под санкциями США, зашло в порт Находка.",
    "美国财政部表示,受制裁的船只驶入了朝鲜港口。",
])
def test_a_partys_standing_under_sanctions_is_not_a_designation_notice(bundled, text):
    # each was a designation notice (high, or medium in Russian): the vessel was sanctioned before, no one acted now
    assert "designation-notice" not in bundled.scan_text(text).categories


@pytest.mark.parametrize("text", [
    "The US Treasury sanctioned a vessel that carried North Korean coal to China.",
    "The EU listed a tanker already under UN sanctions and two companies that own it.",
])
def test_a_designating_act_on_a_vessel_is_still_one(bundled, text):
    assert "designation-notice" in bundled.scan_text(text).categories


def test_a_listed_dealer_beside_the_missile_programme_is_not_an_arms_finding(bundled):
    text = "A freighter once chartered by Green Pine was detained under the sanctions over Pyongyang's missile programme."
    assert "arms-embargo" not in bundled.scan_text(text).categories
    text = ("Green Pine sold rocket launchers to an African army, a UN panel found, despite the ban on North "
            "Korea's missile programme.")
    assert "arms-embargo" in bundled.scan_text(text).categories
