"""Vessel names as the press writes them: a ship of a numbered series with "No."/"Nr." before its
number, and short one-word names beside a ship word (names.variants._numbered, the vessel rule of
engine.compile._single_token_allowed, engine.hitsite.confirm_entity_site). Sentences written for
these tests; the list is tests/fixtures/entities/vessel_names.csv."""

from __future__ import annotations

import pytest

from flagger.names import name_keys


@pytest.fixture(scope="module")
def vessels(fixtures):
    from flagger.api import Scanner

    return Scanner(rules=[fixtures / "entities" / "missile_rule.yaml"],
                   entities=[fixtures / "entities" / "vessel_names.csv"], default_entities=False)


def entity_ids(scanner, text: str) -> set[str]:
    return {e.entity_id for e in scanner.scan_text(text).entities}


def test_a_numbered_vessel_is_indexed_with_and_without_its_number_word():
    keys = name_keys("SAM JONG 2", "vessel")
    assert {("sam", "jong", "2"), ("sam", "jong", "no", "2"), ("samjong", "no", "2"), ("samjong", "nr", "2")} <= set(keys)
    assert ("billions", "18") in name_keys("BILLIONS NO. 18", "vessel")
    assert not any("no" in key for key in name_keys("Kim Jong Un", "person"))   # vessels only


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Oil was moved to a North Korean vessel named Samjong No. 2 last week.", "V:samjong2"),
        ("The tanker Sam Jong No. 2 switched off its transponder.", "V:samjong2"),
        ("Der Tanker Sam Jong Nr. 2 lag vor Nampo.", "V:samjong2"),                     # German Nr.
        ("The ship Billions No. 18 was banned from EU ports.", "V:billions18"),
        ("The ship Billions 18 was banned from EU ports.", "V:billions18"),
        ("South Korean authorities seized the Panama-flagged ship Koti.", "V:koti"),
        ("The tanker Koti was released after an inspection.", "V:koti"),
        ("Ieri la petroliera Unica è arrivata al porto.", "V:unica"),                    # Italian
    ],
)
def test_numbered_and_short_vessel_names_are_found_beside_a_ship_word(vessels, text, entity):
    assert entity in entity_ids(vessels, text)


@pytest.mark.parametrize(
    "text",
    [
        "Koti was the word she used for home.",                 # one word, no ship word
        "Unica nave arrivata al porto ieri sera.",              # Italian 'only', capitalised as first word
        "La sua unica nave è affondata nel porto.",             # Italian 'only', lower case
        "The ark of the covenant was carried on a ship.",       # a frequent word is no short name
        "The Ark ship replica opened in Kentucky.",
    ],
)
def test_the_same_words_without_a_ship_name_reading_name_no_vessel(vessels, text):
    assert entity_ids(vessels, text) == set()
