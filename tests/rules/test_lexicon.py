"""The concept lexicon: rules say what they mean once; each language says it in the lexicon."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.errors import RuleError
from flagger.rules.lexicon import bundled_lexicon, coverage_table, load_lexicon
from flagger.rules.loader import load_rule_packs

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "lexicon"

# Own sentences: North Korea sent arms/shells to Russia, one per language (the languages of the
# real-news dev set with two or more articles come first).
TRANSFER = {
    "th": "เกาหลีเหนือส่งกระสุนปืนใหญ่ให้รัสเซีย",
    "tr": "Kuzey Kore, Rusya'ya binlerce top mermisi gönderdi.",
    "id": "Korea Utara mengirim ribuan peluru artileri ke Rusia.",
    "hi": "उत्तर कोरिया ने रूस को हथियार भेजे।",
    "vi": "Triều Tiên đã chuyển giao hàng nghìn quả đạn pháo cho Nga.",
    "nl": "Noord-Korea heeft granaten aan Rusland geleverd.",
    "sv": "Nordkorea har skickat granater till Ryssland.",
    "he": "צפון קוריאה שלחה פגזים לרוסיה.",
    "ro": "Coreea de Nord a livrat obuze Rusiei.",
    "cs": "Severní Korea dodala Rusku dělostřelecké granáty.",
}
LAWFUL = {
    "th": "เกาหลีเหนือส่งนักฟุตบอลไปรัสเซีย",
    "tr": "Kuzey Kore, Rusya'ya bir futbol takımı gönderdi.",
    "id": "Korea Utara mengirim tim sepak bola ke Rusia.",
    "hi": "उत्तर कोरिया ने रूस को फुटबॉल टीम भेजी।",
    "vi": "Triều Tiên đã gửi một đoàn nghệ thuật sang Nga.",
    "nl": "Noord-Korea heeft een voetbalteam naar Rusland gestuurd.",
}


def test_every_concept_the_bundled_rules_use_is_covered_in_at_least_30_languages():
    table = coverage_table(bundled_lexicon(), load_rule_packs(None))
    used = [c for c, rules in table["used_by"].items() if rules]
    assert used, "the bundled packs refer to concepts"
    assert len(table["complete_languages"]) >= 30
    for lang in ("th", "tr", "id", "hi", "vi", "nl", "sv", "he", "ro", "cs"):
        assert lang in table["complete_languages"], lang


@pytest.fixture(scope="module")
def bundled():
    from flagger.api import Scanner

    return Scanner(default_entities=False)


@pytest.mark.parametrize("lang", sorted(TRANSFER))
def test_a_transfer_reported_in_a_lexicon_language_is_found(bundled, lang):
    result = bundled.scan_text(TRANSFER[lang])
    assert "dprk.arms.export" in result.rules and result.level in ("high", "critical"), result.contributions


@pytest.mark.parametrize("lang", sorted(LAWFUL))
def test_a_lawful_trip_in_a_lexicon_language_is_not(bundled, lang):
    assert bundled.scan_text(LAWFUL[lang]).level == "none"


def test_a_users_pack_mixes_concepts_and_inline_terms(tmp_path):
    from flagger.api import Scanner

    pack = load_rule_packs([FIX / "concept_pack.yaml"])[0]
    group = pack.rules[0].groups["arms"]
    assert group.concepts == ("arms",) and group.terms[0].text == "Koksan guns"
    scanner = Scanner(rules=[FIX / "concept_pack.yaml"], default_entities=False)
    assert scanner.scan_text("Kuzey Kore Rusya'ya silah gönderdi.").rules == ["lexicon.test.mixed"]
    assert scanner.scan_text("North Korea shipped Koksan guns to Russia.").rules == ["lexicon.test.mixed"]


def test_an_unknown_concept_names_the_rule_file_and_line():
    with pytest.raises(RuleError) as err:
        load_rule_packs([FIX / "unknown_concept_pack.yaml"])
    assert "no_such_concept" in str(err.value) and "unknown_concept_pack.yaml:13" in str(err.value)


@pytest.mark.parametrize(("name", "line", "words"), [
    ("bad_language.yaml", 5, "not a language code"),
    ("bad_wildcard.yaml", 5, "wildcard"),
])
def test_a_bad_lexicon_names_its_file_and_line(name, line, words):
    with pytest.raises(RuleError) as err:
        load_lexicon(FIX / name)
    assert f"{name}:{line}" in str(err.value) and words in str(err.value)


def test_rules_coverage_prints_the_concept_by_language_table():
    from flagger.cli import main

    out = CliRunner().invoke(main, ["rules", "coverage"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].split()[0] == "lang" and "transfer" in lines[0].split()
    th = next(line for line in lines if line.startswith("th "))
    assert "-" not in th.split()[1:]
    assert "languages have every concept" in lines[-1]


@pytest.mark.parametrize("text", [
    "Bộ Tài chính Mỹ đã trừng phạt ba công ty giúp Triều Tiên mua vũ khí.",
    "กระทรวงการคลังสหรัฐคว่ำบาตรบริษัทเกาหลีเหนือ",   # a designation names its parties (issue 16 item 4)
    "ABD Hazine Bakanlığı, Kuzey Kore'ye yardım eden üç şirkete yaptırım uyguladı.",
])
def test_a_designation_notice_in_a_lexicon_language_is_a_designation(bundled, text):
    assert "designation-notice" in bundled.scan_text(text).categories
