"""JUnit XML: one test case per article, a failure at or above the gate, an error per bad input."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config"]


def junit(tmp_path, *args):
    out = tmp_path / "junit.xml"
    res = CliRunner().invoke(main, ["scan", *BASE, str(FIXTURES / "feeds" / "rss2.xml"), str(tmp_path / "gone.txt"),
                                    "-o", str(out), *args], catch_exceptions=False)
    return res, ET.parse(out).getroot()      # parses: well-formed XML


def test_junit_cases_failures_and_errors(tmp_path):
    res, root = junit(tmp_path, "--fail-on", "arms-embargo=high", "--fail-on", "military-cooperation=off")
    assert res.exit_code == 3
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == 4 and suite.get("tests") == "4"
    assert suite.get("failures") == "1" and suite.get("errors") == "1"
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["Rail cars carried shells north"]
    failure = failed[0].find("failure")
    assert "test.arms" in failure.text and "North Korea" in failure.text and "gate arms-embargo=high" in failure.get("message")
    warned = next(c for c in cases if c.get("name") == "Drills on the coast")
    assert warned.find("failure") is None and "test.coop" in warned.find("system-out").text
    errored = [c for c in cases if c.find("error") is not None]
    assert len(errored) == 1 and "gone.txt" in errored[0].find("error").get("message")
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["gate"] == "arms-embargo=high, military-cooperation=off"


def test_without_a_gate_nothing_fails(tmp_path):
    res, root = junit(tmp_path, "--allow-errors")
    assert res.exit_code == 0
    assert root.get("failures") == "0"


def test_control_characters_do_not_break_the_xml(tmp_path):
    bad = tmp_path / "ctl.jsonl"
    bad.write_text('{"id": "x\\u0001y", "title": "bell\\u0007", "text": "North Korea sent artillery shells to Russia."}\n')
    out = tmp_path / "j.xml"
    res = CliRunner().invoke(main, ["scan", *BASE, str(bad), "-f", "junit", "-o", str(out), "--fail-on", "low"])
    assert res.exit_code == 1
    case = ET.parse(out).getroot().find("testsuite/testcase")
    assert case.get("name") == "bell\ufffd"
