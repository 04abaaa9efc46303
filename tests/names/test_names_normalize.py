"""Normalisation: one folded token form for names from any script (flagger.names.normalize,
phonetic, variants)."""

import pytest

from flagger.names import name_keys, name_tokens, token_key
from flagger.names.normalize import fold, normalize_kind


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("KIM, Jong-un", ["kim", "jong", "un"]),
        ("Kim\u200b Jong\u00adUn", ["kim", "jongun"]),  # zero-width space and soft hyphen removed
        ("ＫＩＭ Ｊｏｎｇ Ｕｎ", ["kim", "jong", "un"]),  # full-width forms: NFKC
        ("Kim Chŏng-ŭn", ["kim", "chong", "un"]),  # breves dropped
        ("Ch’oe Sŏn-hŭi", ["choe", "son", "hui"]),  # typographic apostrophe dropped, not a split
        ("Ri Pyo'ng-ch'o'l", ["ri", "pyong", "chol"]),
        ("김정은", ["gim", "jeong", "eun"]),  # Hangul: one token per syllable
        ("Путин", ["putin"]),
        ("Сергей Шойгу", ["sergey", "shoygu"]),
        ("José Müller-Lüdenscheidt", ["jose", "muller", "ludenscheidt"]),
    ],
)
def test_names_fold_to_lower_case_ascii_tokens(name, tokens):
    assert name_tokens(name) == tokens


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("The Respected Comrade Kim Jong Un", ["kim", "jong", "un"]),
        ("President Vladimir Putin", ["vladimir", "putin"]),
        ("Marshal Kim Jong Un", ["kim", "jong", "un"]),
        ("Dr. Abdul Qadeer Khan", ["abdul", "qadeer", "khan"]),
        ("Sheikh Isa Bin Tarif", ["isa", "bin", "tarif"]),
        ("Haji Qassem", ["qassem"]),
        ("General Secretary Kim Jong Un", ["kim", "jong", "un"]),
    ],
)
def test_titles_and_honorifics_are_stripped_from_person_names(name, tokens):
    assert name_tokens(name, "person") == tokens


def test_a_title_alone_is_kept_rather_than_emptying_the_name():
    assert name_tokens("President", "person") == ["president"]


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("Delta Mining Co., Ltd.", ["delta", "mining", "ltd"]),
        ("Delta Mining Limited", ["delta", "mining", "ltd"]),
        ("Siemens Aktiengesellschaft", ["siemens", "ag"]),
        ("Siemens AG", ["siemens", "ag"]),
        ("OOO Gazprom Neft", ["ooo", "gazprom", "neft"]),
        ("Gazprom Public Joint Stock Company", ["gazprom", "pao"]),
        ("PJSC Gazprom", ["pao", "gazprom"]),
        ("Acme Holdings GmbH", ["acme", "holdings", "gmbh"]),
        ("Acme Corporation", ["acme", "corp"]),
        ("Acme Corp.", ["acme", "corp"]),
        ("Acme Company", ["acme", "co"]),
        ("Acme Limited Liability Company", ["acme", "llc"]),
        ("A.B.C. Trading Co", ["abc", "trading", "co"]),
        ("Grupo X, S.A. de C.V.", ["grupo", "x", "sa"]),
    ],
)
def test_organisation_legal_forms_fold_to_one_canonical_token(name, tokens):
    assert name_tokens(name, "organisation") == tokens


def test_legal_forms_are_recognised_without_a_type():
    assert name_tokens("General Dynamics Corporation") == ["general", "dynamics", "corp"]


def test_fold_is_case_and_punctuation_insensitive():
    assert fold("KIM, Jong-Un!") == fold("kim jong un") == "kim jong un"


@pytest.mark.parametrize(
    "group",
    [
        ["chong", "jong", "jeong", "jung", "chung"],
        ["un", "eun"],
        ["kim", "gim"],
        ["son", "seon"],
        ["ri", "yi", "lee", "rhee", "li"],
        ["pak", "park", "bak"],
        ["choe", "choi"],
        ["chol", "cheol", "chul"],
        ["sergei", "sergey", "sergej"],
        ["shoigu", "shoygu"],
        ["mikheychik", "mikheichik"],
        ["nebenzia", "nebenzya"],
        ["alexei", "aleksei", "aleksey"],
        ["valery", "valeriy", "valerii"],
        ["putin", "poutine"],
        ["mohammad", "muhammad", "mohammed", "mohamed"],
        ["hossein", "hosein", "husain", "hussain"],
        ["rezaie", "rezai"],
        ["salimi", "saleemi"],
        ["qasem", "qasim", "kasim"],
        ["soleimani", "sulaimani", "sulaymani"],
    ],
)
def test_spelling_variants_share_one_equivalence_key(group):
    assert len({token_key(t) for t in group}) == 1, {t: token_key(t) for t in group}


@pytest.mark.parametrize(("a", "b"), [("kim", "kang"), ("putin", "platon"), ("hassan", "hossein"), ("ali", "ri")])
def test_different_names_keep_different_keys(a, b):
    assert token_key(a) != token_key(b)


def test_name_keys_index_rotations_and_given_name_concatenations_of_persons():
    keys = name_keys("KIM, Jong Un", "person")
    assert keys[0] == ("kim", "jong", "un")
    assert ("jong", "un", "kim") in keys  # western order
    assert ("kim", "jongun") in keys  # given name written as one word
    assert ("jongun", "kim") in keys
    assert all(len(k) > 1 for k in keys)  # never a lone surname


def test_name_keys_drop_the_patronymic_as_a_variant():
    assert ("vladimir", "putin") in name_keys("Vladimir Vladimirovich Putin", "person")


def test_name_keys_of_companies_include_the_name_without_legal_form():
    keys = name_keys("Delta Mining Co., Ltd.", "organisation")
    assert keys[:2] == [("delta", "mining", "ltd"), ("delta", "mining")]


def test_company_core_name_is_not_indexed_when_one_token_would_remain():
    assert ("siemens",) not in name_keys("Siemens AG", "organisation")


def test_canonical_name_keys_make_romanisations_collide():
    assert name_keys("Kim Chong-un", "person", canonical=True)[0] == name_keys("Gim Jeong-eun", "person", canonical=True)[0]


@pytest.mark.parametrize(("kind", "expected"), [("Person", "person"), ("individual", "person"), ("Company", "organisation"),
                                                ("Organization", "organisation"), ("Vessel", "vessel"), (None, None)])
def test_kinds_accept_entity_types_and_followthemoney_schemas(kind, expected):
    assert normalize_kind(kind) == expected
