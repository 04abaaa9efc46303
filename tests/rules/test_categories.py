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
def test_arms_between_the_dprk_and_russia_are_also_military_cooperation(bundled, text):
    assert {"arms-embargo", "military-cooperation"} <= set(bundled.scan_text(text).categories)


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
