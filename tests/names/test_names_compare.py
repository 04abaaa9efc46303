"""Pair scoring: compare_names / compare_entity read like the matching policy."""

import pytest

from flagger.names import compare_entity, compare_names
from flagger.names.compare import DEFAULT_THRESHOLD, NameComparison

KIM = "Kim Jong Un"


@pytest.mark.parametrize(
    "variant",
    ["Kim Jong Un", "Kim Jong-un", "KIM JONG UN", "Kim Chong-un", "KIM, Jong Un", "김정은", "Jong Un Kim",
     "Kim Jongun", "Gim Jeong-eun", "Kim Jong-Un", "The Respected Comrade Kim Jong Un", "Marshal Kim Jong Un"],
)
def test_kim_jong_un_variants_match(variant):
    result = compare_names(variant, KIM)
    assert result.match, result.explanation


@pytest.mark.parametrize("other", ["Kim Kardashian", "Kim", "Jong Un", "Kim Jong Il", "Kim Yo Jong", "Kim Jong Nam",
                                   "Kim Il Sung", "Un"])
def test_a_surname_or_a_given_name_alone_or_a_relative_does_not_match_kim_jong_un(other):
    result = compare_names(other, KIM)
    assert not result.match, result.explanation


@pytest.mark.parametrize(
    "variant",
    ["Путин Владимир Владимирович", "Владимир Путин", "Vladimir Vladimirovich Putin", "Vladimir Poutine",
     "PUTIN, Vladimir", "Wladimir Putin", "Vladimir V. Putin"],
)
def test_putin_variants_match(variant):
    result = compare_names(variant, "Vladimir Putin", "Person")
    assert result.match, result.explanation


def test_single_token_alias_matches_itself_but_a_lone_surname_does_not_match_a_full_name():
    assert compare_names("Путин", "Putin").match
    assert not compare_names("Putin", "Vladimir Putin").match


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Qasem Soleimani", "Qasim Sulaymani"),
        ("Qasem Soleimani", "Kasim Soleimani"),
        ("قاسم سليماني", "Qasem Soleimani"),
        ("Hossein Salimi", "Hussain Saleemi"),
        ("Mohammad Eslami", "Mohammed Islami"),
        ("Mohammad Hejazi", "Mohammed Hijazi"),
        ("Morteza Rezaie", "Mortaza Rezai"),
        ("Mohammad Baqer Zolqadr", "Mohammad Bakr Zolkadr"),
        ("Yahya Rahim Safavi", "Yahya Raheem Safavi"),
        ("Ali Akbar Ahmadian", "Ali Akbar Ahmedian"),
        ("Abdulrahman Ali", "Abd al-Rahman Ali"),
    ],
)
def test_persian_and_arabic_spelling_variants_match(a, b):
    result = compare_names(a, b, "Person")
    assert result.match, result.explanation


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sergei Shoigu", "Sergey Shoygu"),
        ("Sergej Šojgu", "Sergey Shoygu"),
        ("Vassily Nebenzia", "Vasily Nebenzya"),
        ("Valerii Gerasimov", "Valery Gerasimov"),
        ("Oleg Kozhemiako", "Oleg Kozhemyako"),
        ("Aleksei Budnev", "Alexei Budnev"),
    ],
)
def test_russian_transliteration_variants_match(a, b):
    result = compare_names(a, b, "Person")
    assert result.match, result.explanation


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Choe Son Hui", "Ch'oe Sŏn-hŭi"),
        ("Choe Son Hui", "Choe Seon-hui"),
        ("Ri Chang Ho", "Lee Chang-ho"),
        ("Pak Jong Chon", "Park Jong-chon"),
        ("Ro Kwang Chol", "No Kwang-chol"),
        ("Sin Kum Chol", "Shin Geum-cheol"),
        ("Kim Yong Bok", "Kim Young-bok"),
        ("Jo Chun Ryong", "Cho Chun Ryong"),
    ],
)
def test_korean_romanisation_variants_match(a, b):
    result = compare_names(a, b, "Person")
    assert result.match, result.explanation


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Siemens AG", "Siemens Aktiengesellschaft"),
        ("Delta Mining Co., Ltd.", "Delta Mining Limited"),
        ("Gazprom PJSC", "Gazprom Public Joint Stock Company"),
        ("Korea Mining Development Trading Corp", "KOREA MINING DEVELOPMENT TRADING CORPORATION"),
        ("OOO Romashka", "Romashka LLC"),
    ],
)
def test_legal_forms_fold_so_companies_match(a, b):
    result = compare_names(a, b, "Company")
    assert result.match, result.explanation


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Delta Mining Shipping Ltd", "Delta Mining Co."),
        ("Hamza bin Bassam al-Assad", "Bassam al-Assad"),
        ("Acme Corp", "Acme Trading Corp"),
        ("International Trading Company", "Global Trading Company"),
        ("Sergey Ivanovich Lavrov", "Sergey Viktorovich Lavrov"),  # conflicting patronymics
        ("William G. Frost", "William W. Frost"),  # conflicting initials
        ("Abdullah bin Omar", "Omar bin Abdullah"),  # son of / father of
    ],
)
def test_longer_or_conflicting_names_do_not_match(a, b):
    result = compare_names(a, b)
    assert not result.match, result.explanation


def test_a_very_common_name_alone_is_not_enough():
    assert not compare_names("Mohammad", "Mohammad Ali Hassan").match
    assert not compare_names("Mohammad Ali", "Mohammad Ali Hassan Khan").match
    assert not compare_names("Trading Company", "Trading Company Ltd").match


def test_a_typo_matches_fuzzily_and_the_explanation_says_so():
    result = compare_names("Vladimr Putin", "Vladimir Putin")
    assert result.match
    assert "fuzzy (distance 1)" in result.explanation


def test_the_explanation_names_each_token_and_how_it_matched():
    result = compare_names("Kim Chong-un", "KIM Jong Un")
    assert "kim=kim exact" in result.explanation
    assert "chong~jong equivalent" in result.explanation
    missing = compare_names("Kim Kardashian", "Kim Jong Un").explanation
    assert "kardashian (first name) unmatched" in missing
    assert "surname alone is never enough" in missing


def test_scores_are_between_zero_and_one_and_match_follows_the_threshold():
    result = compare_names("Kim Jong Un", "Kim Jong Un")
    assert isinstance(result, NameComparison)
    assert result.score == 1.0 and result.match
    near = compare_names("Kim Jong Il", "Kim Jong Un")
    assert 0.0 <= near.score < DEFAULT_THRESHOLD
    assert compare_names("Kim Jong Il", "Kim Jong Un", threshold=0.3).match


def test_empty_names_never_match():
    assert not compare_names("", "Kim Jong Un").match
    assert compare_names("", "").score == 0.0


def test_hangul_names_that_differ_in_a_syllable_do_not_match():
    assert not compare_names("김종은", "김정은").match


ENTITY = {
    "id": "T:1", "type": "person", "name": "Qasem SOLEIMANI",
    "aliases": [{"name": "Kasim Sulaymani", "strength": "strong"}, {"name": "Haj Qasem Safavi", "strength": "weak"}],
    "original_names": ["قاسم سلیمانی"], "identifiers": [],
}
VESSEL = {"id": "T:5", "type": "vessel", "name": "OCEAN STAR", "aliases": [], "original_names": [],
          "identifiers": [{"scheme": "IMO", "value": "9191943"}]}


def test_compare_entity_takes_the_best_of_primary_name_aliases_and_original_names():
    result = compare_entity("Kasim Sulaymani", ENTITY)
    assert result.match and result.matched_name == "Kasim Sulaymani"
    assert compare_entity("قاسم سلیمانی", ENTITY).match


def test_weak_aliases_count_less():
    weak = compare_entity("Qasem Safavi", ENTITY)
    assert "weak alias" in weak.explanation
    assert weak.score < compare_names("Qasem Safavi", "Haj Qasem Safavi").score


def test_identifiers_decide():
    assert compare_entity("Totally Different Name", VESSEL, identifiers={"IMO": "IMO 9191943"}).match
    renamed = compare_entity("OCEAN STAR", VESSEL, identifiers={"IMO": "9999999"})
    assert not renamed.match and "differs" in renamed.explanation
    assert compare_entity("Ocean Star", VESSEL).match


@pytest.mark.parametrize(
    ("a", "b"),
    [("محمد علي", "Mohamed Ali"), ("خالد محمود", "Khaled Mahmoud"), ("박지성", "Park Ji Sung"), ("이민호", "Lee Min Ho"),
     ("Дмитрий Медведев", "Dmitry Medvedev"), ("习近平", "Xi Jinping")],
)
def test_cross_script_names_match_their_romanisation(a, b):
    result = compare_names(a, b)
    assert result.match, result.explanation
