"""Latin list names written in other scripts in running text (names.scripts, engine.transcribed).

The list (tests/fixtures/entities/transcribed_names.csv) writes every name in Latin letters only,
as most official lists do; the sentences are written for this file. A word of another script is
read as a listed word by its sounds, and counts only with corroboration: every word of a listed
name in order, or a distinctive word right beside the word for the entity's kind ("Group").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flagger.api import Scanner
from flagger.names import scripts
from flagger.names.scripts import LatinNames, readings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def scanner():
    return Scanner(rules=[FIXTURES / "entities" / "missile_rule.yaml"],
                   entities=[FIXTURES / "entities" / "transcribed_names.csv"], default_entities=False)


def found(scanner, text: str) -> dict[str, str]:
    return {e.entity_id: e.matched_text for e in scanner.scan_text(text).entities}


@pytest.mark.parametrize(
    ("text", "entity", "written"),
    [
        # Arabic: the word for 'group' before the name
        ("اتهمت واشنطن مجموعة لازاروس بسرقة العملات المشفرة.", "T:lazarus", "مجموعة لازاروس"),
        # Arabic, Hebrew: a Russian name in two words, each of 3+ consonant sounds (8 in all)
        ("انتقد دميتري روغوزين الخطة الجديدة.", "T:rogozin", "دميتري روغوزين"),
        ("דמיטרי רוגוזין מתח ביקורת על התוכנית.", "T:rogozin", "דמיטרי רוגוזין"),
        # Persian: 'group' before the name
        ("گروه لازاروس مسئول این حمله بود.", "T:lazarus", "گروه لازاروس"),
        # Hebrew: 'group of' before the name
        ("קבוצת לזרוס תקפה את הבורסה בשבוע שעבר.", "T:lazarus", "קבוצת לזרוס"),
        # Korean: the name, then 'group' with its particle; a Russian name in two words
        ("라자루스 그룹은 해킹 의혹을 부인했다.", "T:lazarus", "라자루스 그룹은"),
        ("블라디미르 푸틴 대통령이 회담에 참석했다.", "T:putin", "블라디미르 푸틴"),
        # Georgian: Kim Jong Un as Georgian papers write him, from the list's Russian original
        # 'Ким Чен Ын' (ergative -მა)
        ("კიმ ჩენ ინმა ახალი ქარხანა მოინახულა.", "T:kju", "კიმ ჩენ ინმა"),
        ("ლაზარუს ჯგუფმა ბირჟა გატეხა.", "T:lazarus", "ლაზარუს ჯგუფმა"),
        # Greek: 'the group' before the name (in lower case: the mention is the name)
        ("Η ομάδα Λάζαρους επιτέθηκε σε τράπεζες της Ασίας.", "T:lazarus", "Λάζαρους"),
        # Armenian: the name, then 'the group' (-ը) in lower case
        ("Լազարուս խումբը հարձակվել է բանկի վրա։", "T:lazarus", "Լազարուս"),
        # Hindi and Bengali: the inherent vowel is not written (लाजरस l-j-r-s)
        ("लाजरस समूह ने एक्सचेंज पर हमला किया।", "T:lazarus", "लाजरस समूह"),
        ("লাজারাস গ্রুপ একটি ব্যাংকে হামলা চালিয়েছে।", "T:lazarus", "লাজারাস গ্রুপ"),
        # Russian: the Latin name written in Cyrillic beside 'group'
        ("Группа Лазарус атаковала криптобиржу.", "T:lazarus", "Группа Лазарус"),
    ],
)
def test_a_latin_list_name_written_in_another_script_is_found(scanner, text, entity, written):
    assert found(scanner, text).get(entity) == written


@pytest.mark.parametrize(
    "text",
    [
        # a frequent word beside the kind word: 'the peace group' is not Salam Group
        "انضمت مجموعة السلام إلى المفاوضات.",
        "קבוצת שלום הפגינה מול הכנסת.",
        # the Gospel's Lazarus with no kind word beside it
        "قصة لازاروس مذكورة في الإنجيل.",
        # Korean words are Korean syllables: 'North Korea's UN (mission)' is not Pak Kwang Hun
        "북한의 유엔 대표부는 성명을 발표했다.",
        # Greek: a Greek surname in the genitive, the kind word not beside it
        "Η ομάδα του Λαζάρου κέρδισε τον αγώνα.",
        # Korean: 'missile group' (미사일 is a frequent word)
        "미사일 그룹이 훈련을 마쳤다.",
        # Georgian: an ordinary sentence (a leader visited a factory), and two of Kim Jong Un's three words
        "ქვეყნის ლიდერმა ახალი ქარხანა მოინახულა.",
        "კიმ ჩენ ქარხანაში იყო.",
        # Telugu: the rocket PSLV spelt out, then '(Polar': sounds as Valery Vasilyev, but a
        # bracket is between the words
        "ఇస్రో పీఎస్ఎల్వీ(పోలార్ శాటిలైట్ లాంచ్ వెహికల్) రాకెట్‌ను ప్రయోగించింది.",
        # Persian: 'group' beside an ordinary word ('the working group')
        "گروه کاری گزارش خود را منتشر کرد.",
    ],
)
def test_words_of_other_scripts_that_sound_like_a_listed_name_are_no_party(scanner, text):
    assert found(scanner, text) == {}


def test_a_weak_alias_is_never_found_by_its_sound():
    # "~Lazarus" alone is weak: only the listed name with its kind word is read in other scripts
    names = LatinNames([("lazarus",), ("lazarus", "group")])
    assert names.find(["لازاروس"]) == []
    assert [n for _s, _e, n, _why in names.find(["مجموعة", "لازاروس"])] == [("lazarus", "group")]


def test_a_script_that_leaves_vowels_out_needs_more_sounds_for_a_name_without_a_kind_word():
    # Arabic writes no short vowels: three words of 2 + 2 + 1 consonant sounds ('Kim Jong Un') are
    # too loose to be a name there, though Georgian, which writes vowels, is read so (vowels and
    # all: Georgian papers that write him from Russian, 'ჩენ' Chen, match the list's Russian
    # original 'Ким Чен Ын', tests above)
    names = LatinNames([("kim", "jong", "un")])
    assert names.find(["كيم", "جونغ", "أون"]) == []
    assert [n for _s, _e, n, _why in names.find(["კიმ", "ჯონ", "უნი"])] == [("kim", "jong", "un")]
    assert names.find(["კიმ", "ჯინ", "ანი"]) == []     # other vowels: another name


def test_the_report_says_how_the_name_was_read(scanner):
    (match,) = scanner.scan_text("قال باحثون إن مجموعة لازاروس تقف وراء الهجوم.").entities
    assert match.entity_id == "T:lazarus" and match.matched_name == "Lazarus Group"
    assert "'لازاروس' read as 'lazarus' beside 'مجموعة' (group; arabic script)" in match.explanation


def test_the_docs_state_the_thresholds_the_code_uses():
    docs = " ".join((Path(__file__).resolve().parents[2] / "docs" / "entities.md").read_text(encoding="utf-8").split())
    assert (f"({scripts._MIN_CONSONANTS_VOWELLESS}+ consonant sounds, {scripts._MIN_CONSONANTS_WORD_VOWELLESS}+ "
            "per word, no frequent word where vowels are not written)") in docs
    written, latin = scripts.type_words()
    assert set(latin.values()) == {"group", "bank", "company", "air", "organisation"}
    assert "(Group, Bank, Company, Air, Organisation, in each script" in docs


def test_readings_take_the_scripts_prefixes_and_endings_off():
    assert {base for base, _k, _c in readings("ولازاروس")} >= {"ولازاروس", "لازاروس"}   # Arabic 'and'
    assert {base for base, _k, _c in readings("그룹은")} >= {"그룹"}                        # Korean topic particle
    assert {base for base, _k, _c in readings("ინმა")} >= {"ინ"}                            # Georgian ergative
    assert readings("Lazarus") == ()                                                         # Latin is read elsewhere
