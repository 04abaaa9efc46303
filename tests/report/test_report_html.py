"""The HTML report: self-contained, and in a real headless Chromium it loads with no console
errors, filters by level/category/entity/text, and its highlights sit on the right words."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config"]
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    d = tmp_path_factory.mktemp("html")
    news = d / "news"
    news.mkdir()
    (news / "arms.txt").write_text("Shipment <b>&amp;</b>\n\nNorth Korea sent artillery shells to Russia by rail.\n")
    (news / "dealer.jsonl").write_text(
        '{"id": "j1", "title": "Dealer", "text": "KOMID sold ammunition abroad; KOMID denied it."}\n'
        '{"id": "j2", "title": "Leader", "text": "Kim Jong Un visited a farm."}\n')
    (news / "empty.txt").write_text("")
    inputs = [str(news), str(FIXTURES / "feeds" / "rss2.xml"), str(FIXTURES / "feeds" / "atom.xml")]
    out = {}
    for fmt in ("html", "json"):       # every article on the page, so the filters can be checked against the JSON
        res = CliRunner().invoke(main, ["scan", *BASE, *inputs, "-f", fmt, "-o", str(d / f"r.{fmt}"),
                                        "--fail-on", "high", "--html-include-none"], catch_exceptions=False)
        assert res.exit_code == 3, res.stderr          # the empty file
        out[fmt] = d / f"r.{fmt}"
    return out


def test_html_is_self_contained(reports):
    page = reports["html"].read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page                 # nothing may be fetched
    for external in ("<script src", "<link rel=\"stylesheet\"", "@import", "url(http"):
        assert external not in page
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in page        # article text is escaped, never injected
    assert "UNSCR 1718 (2006)" in page                  # legal basis of the rule that fired


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.skip("chromium/chromedriver not installed (tests/browser_setup.sh installs them)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--window-size=1200,1600"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _visible_ids(driver):
    return driver.execute_script(
        "return [].slice.call(document.querySelectorAll('details.article')).filter(function(a){return !a.hidden})"
        ".map(function(a){return a.getAttribute('data-id')});")


def _select(driver, element_id, value):
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", element_id)).select_by_value(value)


def test_page_loads_without_console_errors_and_ranks_by_score(browser, reports):
    browser.get(reports["html"].as_uri())
    logs = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert logs == []
    scores = browser.execute_script(
        "return [].slice.call(document.querySelectorAll('details.article'))"
        ".filter(function(a){return a.getAttribute('data-level')!=='error'})"
        ".map(function(a){return parseFloat(a.getAttribute('data-score'))});")
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert browser.find_element("id", "shown").text == str(len(json.loads(reports["json"].read_text())["articles"]))


def test_filters_by_level_category_entity_and_text(browser, reports):
    arts = json.loads(reports["json"].read_text())["articles"]
    rank = {"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
    browser.get(reports["html"].as_uri())
    _select(browser, "f-level", "high")
    assert sorted(_visible_ids(browser)) == sorted(a["id"] for a in arts if a["level"] and rank[a["level"]] >= 3)
    assert browser.find_element("id", "shown").text == str(len(_visible_ids(browser)))
    _select(browser, "f-level", "all")
    _select(browser, "f-category", "military-cooperation")
    assert _visible_ids(browser) == ["wire-0002"]
    _select(browser, "f-category", "all")
    _select(browser, "f-entity", "T:komid")
    assert _visible_ids(browser) == ["j1"]
    _select(browser, "f-entity", "all")
    search = browser.find_element("id", "f-search")
    search.send_keys("tanker")
    assert _visible_ids(browser) == [a["id"] for a in arts if "tanker" in (a["title"] + json.dumps(a)).lower()
                                     and a["id"].startswith("urn:")]
    search.clear()
    search.send_keys(" ")
    browser.execute_script("document.getElementById('f-search').dispatchEvent(new Event('input'))")
    assert len(_visible_ids(browser)) == len(arts)


def test_highlights_sit_on_the_right_words(browser, reports):
    arts = {a["id"]: a for a in json.loads(reports["json"].read_text())["articles"]}
    browser.get(reports["html"].as_uri())
    browser.find_element("id", "expand").click()
    # one mark per evidence span: hit i is in the mark whose data-hits names it, at its data-spans offsets
    marks = browser.execute_script("""
        var out={};
        document.querySelectorAll('details.article').forEach(function(a){
          var per={};
          a.querySelectorAll('.text mark').forEach(function(m){
            var spans=m.getAttribute('data-spans').split(' ');
            m.getAttribute('data-hits').split(' ').forEach(function(i,k){
              var se=spans[k].split(':');
              per[i]={text:m.textContent.slice(+se[0],+se[1]),rules:m.getAttribute('data-rules'),
                      ents:m.getAttribute('data-entities'),label:m.getAttribute('title')};
            });
          });
          out[a.getAttribute('data-id')]=per;
        });
        return out;""")
    checked = 0
    for aid, art in arts.items():
        for i, hit in enumerate(art.get("hits") or []):
            got = marks[aid][str(i)]
            assert got["text"] == hit["matched_text"], (aid, hit)
            if hit["rule_id"]:
                assert hit["rule_id"] in got["rules"].split()
                assert hit["rule_id"] in got["label"]
            if hit["entity_id"]:
                assert hit["entity_id"] in got["ents"].split() and hit["entity_id"] in got["label"]
            checked += 1
    assert checked >= 8
    # a highlight is visible to the analyst: the first mark is rendered with a background colour
    colour = browser.execute_script(
        "return getComputedStyle(document.querySelector('details[open] .text mark')).backgroundColor;")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    browser.save_screenshot(str(reports["html"].with_suffix(".png")))


def test_collapsed_rows_show_rules_and_entities_on_screen(browser, reports):
    """What an analyst sees before opening anything: each flagged row names its rules and entities."""
    browser.get(reports["html"].as_uri())
    browser.find_element("id", "collapse").click()
    row = browser.find_element("css selector", 'details.article[data-id="j1"] summary')
    assert row.is_displayed() and "test.arms" in row.text
    assert "Korea Mining Development Trading Corporation" in row.text
    shot = reports["html"].with_name("collapsed.png")
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 1000
