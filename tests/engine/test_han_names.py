"""A listed person's name in Han characters inside running Chinese text, also when the sentence
has Latin words in it ("绍伊古(Sergei Shoigu)"): Han has no case, so the casing of the Latin words
says nothing about where the Han name ends. A Han vessel name still needs its ship suffix, quotes
or a ship word. Sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def scanner():
    from flagger.api import Scanner

    fixtures = Path(__file__).parent.parent / "fixtures"
    return Scanner(rules=[fixtures / "entities" / "missile_rule.yaml"],
                   entities=[fixtures / "entities" / "han_names.csv"], default_entities=False)


def mentions(scanner, text: str) -> dict[str, str]:
    return {e.entity_id: e.matched_text for e in scanner.scan_text(text).entities}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("俄罗斯防长绍伊古周三抵达平壤，参观了一座工厂。", {"H:shoigu": "绍伊古"}),
        # a Latin gloss in brackets: the Han name is reported, at its own place
        ("朝鲜领导人会见了俄罗斯总统普京、防长绍伊古(Sergei Shoigu)等人。", {"H:putin": "普京", "H:shoigu": "绍伊古"}),
        ("报道称，普京（Vladimir Putin）将于下月访问该国。", {"H:putin": "普京"}),
        ("Reuters 报道，绍伊古与当地官员举行了会谈。", {"H:shoigu": "绍伊古"}),
    ],
)
def test_a_han_name_in_running_han_text_is_found(scanner, text, expected):
    assert mentions(scanner, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the vessel's characters as a mountain, in a sentence with Latin words: no ship marking
        ("游客在天马山(Tianma Mountain)拍摄了日出。"),
        ("天马山景区 (Tianma Scenic Area) 周末游客很多。"),
        ("这家公司在 Shanghai 开设了新的办公室。"),
    ],
)
def test_han_text_with_latin_words_names_no_one_without_a_listed_name(scanner, text):
    assert mentions(scanner, text) == {}


def test_a_han_vessel_name_with_its_ship_suffix_is_found_beside_latin_words(scanner):
    assert mentions(scanner, "货轮天马山号(Chon Ma San)上周停靠南浦港。") == {"H:chonmasan": "天马山"}
