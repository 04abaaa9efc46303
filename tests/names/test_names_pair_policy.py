"""The pair-scoring policy as a table: tests/fixtures/names/pair_policy.csv lists name pairs,
the decision at the default threshold and why. Each row is one specification case; rows
that must not match are the bad paths of the rule next to them."""

import csv
from pathlib import Path

import pytest

from flagger.names import compare_names, verify_in_context
from flagger.names.compare import DEFAULT_THRESHOLD, FULLER_FORM, FULLER_FORM_MAX
from flagger.names.index import SCREEN_THRESHOLD

ROWS = list(csv.DictReader((Path(__file__).parent.parent / "fixtures" / "names" / "pair_policy.csv").open(encoding="utf-8")))


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['name1']}|{r['name2']}" for r in ROWS])
def test_pair_policy_table(row):
    result = compare_names(row["name1"], row["name2"], row["schema"] or None)
    assert row["expected"] in ("match", "no match")
    assert result.match == (row["expected"] == "match"), f"{row['why']}: {result.explanation}"


def test_a_transposition_is_explained_as_one_edit():
    assert "lavorv~lavrov fuzzy (distance 1)" in compare_names("Sergei Lavorv", "Sergei Lavrov").explanation


def test_a_shorter_form_matches_a_pair_check_but_never_reaches_a_list_screening_alert():
    result = compare_names("Gulbuddin Hekmatyar", "Gulbuddin Hekmatyar Qutbuddin", "Person")
    assert result.match and result.partial
    assert DEFAULT_THRESHOLD <= result.score <= FULLER_FORM_MAX < SCREEN_THRESHOLD
    assert FULLER_FORM in result.explanation and "qutbuddin (second name) unmatched" in result.explanation


def test_a_dropped_patronymic_is_not_capped_as_a_shorter_form():
    # the ordinary middle-name rule scores higher than the shorter-form rule: it stands
    result = compare_names("Vladimir Putin", "Vladimir Vladimirovich Putin", "Person")
    assert result.score >= SCREEN_THRESHOLD and not result.partial


def test_a_listed_name_is_still_rejected_inside_a_fuller_name_in_text():
    # a pair check accepts the shorter form; a hit site does not: the text names someone longer
    text = "Officials said Gulbuddin Hekmatyar Qutbuddin had left."
    start = text.index("Gulbuddin")
    ok, reason = verify_in_context(text, start, start + len("Gulbuddin Hekmatyar"), ["Gulbuddin Hekmatyar"])
    assert not ok and "part of the longer name" in reason


def test_a_conflicting_name_part_caps_the_score_and_says_why():
    result = compare_names("Noureddine Boumediene Lakhdar ben Mabrouk Ghannouchi Zitouni",
                           "Noureddine Boumediene Lakhdar ben Belhadj Ghannouchi Zitouni")
    assert result.score == 0.7 and "a name part differs" in result.explanation
    assert "mabrouk (first name) unmatched" in result.explanation and "belhadj (second name) unmatched" in result.explanation


def test_a_nickname_is_explained_and_weighs_less_than_a_spelling_variant():
    nick = compare_names("Bob Menendez", "Robert Menendez", "Person")
    assert "bob~robert nickname" in nick.explanation
    assert nick.score < compare_names("Mohamed Menendez", "Mohammad Menendez", "Person").score


def test_number_words_fold_to_numbers_only_outside_person_names():
    from flagger.names.normalize import name_tokens

    assert name_tokens("Brigade Forty-Four", "Organization") == ["brigade", "44"]
    assert name_tokens("One Hundred Twenty Three Holdings", "Company") == ["123", "holdings"]
    assert name_tokens("Seven Forty", "Person") == ["seven", "forty"]


def test_the_index_finds_a_listed_name_by_a_nickname(tmp_path):
    import polars as pl

    from flagger.names.index import NameIndex

    entities = pl.DataFrame({"id": ["e1"], "type": ["person"], "name": ["Robert Menendez Quintero"],
                             "aliases": [[]]}, schema_overrides={"aliases": pl.List(pl.Struct({"name": pl.Utf8, "strength": pl.Utf8}))})
    found = NameIndex(entities).search("Bob Menendez Quintero", kind="person")
    assert found and found[0].entity_id == "e1" and found[0].match, found


def test_han_names_are_read_as_korean_only_when_they_can_be_a_korean_name():
    from flagger.names.normalize import korean_readings

    assert "김정은" in korean_readings("金正恩")  # 金 reads 금 or, as a surname, 김: both kept
    assert korean_readings("Kim Jong Un") == ()
    assert korean_readings("山田たろう") == ()  # kana: Japanese, not Korean
    assert korean_readings("中华人民共和国国务院") == ()  # longer than a personal name


def test_the_explanation_says_when_a_name_was_read_as_korean():
    result = compare_names("金正恩", "Kim Jong Un", "Person")
    assert "'金正恩' read as Korean '김정은'" in result.explanation


def test_the_index_finds_a_listed_hanja_name_by_its_romanisation_and_back():
    import polars as pl

    from flagger.names.index import NameIndex

    aliases = pl.List(pl.Struct({"name": pl.Utf8, "strength": pl.Utf8}))
    entities = pl.DataFrame({"id": ["k1", "k2"], "type": ["person", "person"], "name": ["Kim Jong Un", "朴槿惠"],
                             "aliases": [[], []]}, schema_overrides={"aliases": aliases})
    index = NameIndex(entities)
    hit = index.search("Park Geun-hye", kind="person")[0]
    assert hit.entity_id == "k2" and hit.match and "read as Korean '박근혜'" in hit.explanation
    back = index.search("金正恩", kind="person")[0]
    assert back.entity_id == "k1" and back.match and "(read as Korean '김정은')" in back.explanation
    assert not any(m.match for m in index.search("金日成", kind="person"))
    screened = index.screen(pl.DataFrame({"name": ["金正恩", "朴槿惠", "Ri Son Gwon"]}))
    assert screened["entity_id"].to_list()[:2] == ["k1", "k2"] and screened["matched"].to_list() == [True, True, False]


def test_a_shorter_form_is_a_visible_near_miss_in_a_search_but_no_screening_alert():
    import polars as pl

    from flagger.names.index import NameIndex

    aliases = pl.List(pl.Struct({"name": pl.Utf8, "strength": pl.Utf8}))
    index = NameIndex(pl.DataFrame({"id": ["d1"], "type": ["person"], "name": ["Gulbuddin Hekmatyar Qutbuddin"],
                                    "aliases": [[]]}, schema_overrides={"aliases": aliases}))
    near = index.search("Gulbuddin Hekmatyar", kind="person")
    assert near and near[0].entity_id == "d1" and not near[0].match and FULLER_FORM in near[0].explanation
    assert index.screen(pl.DataFrame({"name": ["Gulbuddin Hekmatyar"]}))["matched"].to_list() == [False]


def test_legal_forms_tolerate_one_misspelt_or_cut_off_word_in_phrases_of_three_words_only():
    from flagger.names.normalize import name_tokens

    assert name_tokens("Acme Joynt Stock Company", "Company") == ["acme", "ao"]
    assert name_tokens("Acme Limited Liability Compny", "Company") == ["acme", "llc"]
    assert name_tokens("Acme Joint Stock Compa", "Company") == ["acme", "ao"]  # cut off at the end
    assert name_tokens("Acme Joint Stock Compa Trading", "Company")[-1] == "trading"  # not at the end: not cut off
    assert name_tokens("Stack Company", "Company") == ["stack", "co"]
    assert name_tokens("Joynt Stock Company", "Company")[0] == "joynt"  # the first word is the name


def test_a_missing_parenthesised_qualifier_matches_a_pair_check_but_never_reaches_a_screening_alert():
    result = compare_names("Acme Bank (Schweiz) AG", "Acme Bank AG", "Company")
    assert result.match and result.partial and result.score <= FULLER_FORM_MAX < SCREEN_THRESHOLD
    assert "a word in parentheses" in result.explanation and "schweiz (first name) unmatched" in result.explanation
