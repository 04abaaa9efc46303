"""Names in text match listed entities however they are spelled; short or common tokens never do."""

from __future__ import annotations

import pytest


def entity_ids(scanner, text: str) -> set[str]:
    return {e.entity_id for e in scanner.scan_text(text).entities}


@pytest.mark.parametrize(
    "text",
    [
        "Kim Jong Un inspected the site.",
        "Kim Jong-un inspected the site.",
        "KIM JONG UN INSPECTED THE SITE.",
        "Kim Chong-un inspected the site.",
        "Leader Kim Jong Un inspected the site.",
        "김정은 위원장이 현장을 방문했다.",
        "Yesterday Kim Jongun inspected the site.",
        "Kim\u200bJong\u200bUn inspected the site.",            # zero-width characters
    ],
)
def test_kim_jong_un_variants(test_scanner, text):
    assert "T:kju" in entity_ids(test_scanner, text)


@pytest.mark.parametrize(
    "text",
    [
        "Kim Kardashian launched a perfume.",
        "Kim was late for the match.",
        "We drove to Kimberley.",
        "Jong Un is a common given name.",
    ],
)
def test_kim_namesakes_and_fragments_do_not_match(test_scanner, text):
    assert "T:kju" not in entity_ids(test_scanner, text)


def test_single_token_alias_matches_when_distinctive(test_scanner):
    assert "T:putin" in entity_ids(test_scanner, "Putin spoke on Monday.")
    assert "T:putin" in entity_ids(test_scanner, "Путин выступил в понедельник.")


def test_listed_name_inside_a_longer_name_is_rejected(test_scanner):
    assert "T:bassam" in entity_ids(test_scanner, "Bassam al-Assad was seen in Latakia.")
    result = test_scanner.scan_text("Hamza bin Bassam al-Assad was seen in Latakia.")
    assert "T:bassam" not in {e.entity_id for e in result.entities}


def test_lower_case_common_phrase_is_not_a_vessel_name(test_scanner):
    assert "T:wise" not in entity_ids(test_scanner, "It was a wise honest answer, she said.")
    assert "T:wise" in entity_ids(test_scanner, "The bulk carrier Wise Honest was seized.")


def test_match_explains_which_name_matched(test_scanner):
    (match,) = test_scanner.scan_text("Kim Chong-un spoke.").entities
    assert match.entity_id == "T:kju"
    assert "matched" in match.explanation and match.similarity >= 90


def test_entity_alone_is_low_risk_not_more(test_scanner):
    result = test_scanner.scan_text("Vladimir Putin attended a hockey match.")
    assert result.level == "low"


@pytest.fixture(scope="module")
def bundled():
    from flagger import Scanner

    return Scanner()


@pytest.mark.parametrize(
    ("text", "entity", "found"),
    [
        # the possessor says whose body it is: South Korea's ministry is not the DPRK's
        ("SEOUL — South Korea's Ministry of National Defense said drills would go on.", "UN:KPe.054", False),
        ("The DPRK Ministry of National Defence signed the order.", "UN:KPe.054", True),
        ("Hackers were an arm of North Korea's Reconnaissance General Bureau.", "UN:KPe.031", True),
        # a possessor that names no country ("the North") is not part of the name either
        ("Technicians from the North's National Aerospace Technology Administration may travel.",
         "UN:KPe.029", True),
    ],
)
def test_a_country_possessor_before_a_name_must_be_the_entitys_country(bundled, text, entity, found):
    assert (entity in entity_ids(bundled, text)) is found


@pytest.fixture(scope="module")
def short_word_scanner(fixtures):
    from flagger.api import Scanner

    return Scanner(rules=[fixtures / "rules" / "basic.yaml"], entities=[fixtures / "entities" / "short_words.csv"],
                   default_entities=False)


@pytest.mark.parametrize(
    "text",
    [
        "They shipping company owners met in Dalian.",   # "they" is a word, not "the" inflected
        "The cargo went into marine services abroad.",    # "into" is not "int"
    ],
)
def test_a_frequent_word_is_not_a_short_name_token_inflected(short_word_scanner, text):
    assert entity_ids(short_word_scanner, text) == set()


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("The Shipping Company was designated.", "T:the"),
        ("The shipping companies were designated.", "T:the"),   # a plural of the last word
        ("Arms Ordnance shipped rockets.", "T:arm"),              # a plural of a short token
    ],
)
def test_short_name_tokens_still_take_their_plurals(short_word_scanner, text, entity):
    assert entity in entity_ids(short_word_scanner, text)


def test_a_rare_inflection_of_a_short_token_still_stands_for_it():
    from flagger.engine.alternatives import INFLECT, TokenAlternatives

    alts = TokenAlternatives({"kim", "the", "arm"}, set())
    assert ("kim", INFLECT) in {(a.token, a.kind) for a in alts.get("kima", "pl")}   # Polish genitive
    assert ("arm", INFLECT) in {(a.token, a.kind) for a in alts.get("arms", "en")}
    assert "the" not in {a.token for a in alts.get("they", "en")}
