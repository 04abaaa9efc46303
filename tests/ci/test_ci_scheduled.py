"""The scheduled-run scenario: an hourly job over a feed that gains two new items, with --state
and a baseline, reports exactly the new findings with the right exit codes; a failed run leaves
the state untouched."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
sys.path.insert(0, str(FIXTURES / "feeds"))
from feedserver import FeedServer  # noqa: E402

BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config", "--retries", "0"]
ORIGINAL = (FIXTURES / "feeds" / "rss2.xml").read_text()
NEW_ITEMS = """
    <item>
      <title>Dealer network exposed</title>
      <link>https://wire.example/2026/01/komid</link>
      <guid isPermaLink="false">wire-0004</guid>
      <pubDate>Fri, 09 Jan 2026 07:00:00 GMT</pubDate>
      <description>KOMID sold ammunition to buyers abroad, a panel of experts found.</description>
    </item>
    <item>
      <title>Bridge reopens</title>
      <link>https://wire.example/2026/01/bridge</link>
      <guid isPermaLink="false">wire-0005</guid>
      <pubDate>Fri, 09 Jan 2026 08:00:00 GMT</pubDate>
      <description>The river bridge reopened to traffic after repairs.</description>
    </item>
  </channel>"""
GROWN = ORIGINAL.replace("  </channel>", NEW_ITEMS, 1)


def cli(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def job(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with FeedServer() as server:
        url = server.route("/world.xml", ORIGINAL)
        yield server, url


def findings(report_path):
    arts = json.loads(Path(report_path).read_text())["articles"]
    return {a["id"]: a["rules"] for a in arts if a["rules"]}, [a["id"] for a in arts]


def test_two_hourly_runs_report_exactly_the_new_findings(job):
    server, url = job
    gate = ["--fail-on", "medium"]
    # hour 1: everything is new
    res = cli("scan", *BASE, url, "--state", "state.json", "-f", "json", "-o", "run1.json", *gate)
    assert res.exit_code == 1, res.stderr
    found, scanned = findings("run1.json")
    assert scanned == ["wire-0001", "wire-0002", "wire-0003"]
    assert found == {"wire-0001": ["test.arms"], "wire-0002": ["test.coop"]}
    assert Path("state.json").exists()
    # the analyst reviews them and records a baseline
    assert cli("baseline", "create", "run1.json", "-o", "baseline.json", "--reason", "reviewed 2026-01-08").exit_code == 0

    # hour 2: the feed gained two items
    server.route("/world.xml", GROWN)
    res = cli("scan", *BASE, url, "--state", "state.json", "--baseline", "baseline.json", "-f", "json",
              "-o", "run2.json", *gate)
    assert res.exit_code == 1, res.stderr
    found, scanned = findings("run2.json")
    assert scanned == ["wire-0004", "wire-0005"]             # only the new ones were scanned
    assert found == {"wire-0004": ["test.arms"]}              # exactly the new finding
    assert "2 articles" in res.stderr and "3 already seen" in res.stderr
    assert "no longer match" not in res.stderr               # unscanned articles' entries are not stale

    # hour 3: nothing new: clean exit
    res = cli("scan", *BASE, url, "--state", "state.json", "--baseline", "baseline.json", "-f", "json",
              "-o", "run3.json", *gate)
    assert res.exit_code == 0, res.stderr
    assert findings("run3.json") == ({}, []) and "5 already seen" in res.stderr

    # a full rescan with the baseline (no state): old findings suppressed, the new one alerts
    res = cli("scan", *BASE, url, "--baseline", "baseline.json", "-f", "sarif", "-o", "full.sarif", *gate)
    assert res.exit_code == 1 and "2 suppressed" in res.stderr
    results = json.loads(Path("full.sarif").read_text())["runs"][0]["results"]
    open_results = [r for r in results if not r.get("suppressions")]
    assert [r["properties"]["article_id"] for r in open_results] == ["wire-0004"]


def test_failed_run_leaves_state_untouched_and_edited_story_is_rescanned(job):
    server, url = job
    assert cli("scan", *BASE, url, "--state", "state.json", "-f", "csv", "-o", "r.csv").exit_code == 0
    before = Path("state.json").read_bytes()
    down = server.route("/down.xml", "unavailable", "text/plain", status=503)
    server.route("/world.xml", GROWN)
    res = cli("scan", *BASE, url, down, "--state", "state.json", "-f", "csv", "-o", "r.csv")
    assert res.exit_code == 3
    assert Path("state.json").read_bytes() == before        # not moved forward by a failed run
    # the next good run still sees the two items as new
    res = cli("scan", *BASE, url, "--state", "state.json", "-f", "json", "-o", "r.json")
    assert res.exit_code == 0 and findings("r.json")[1] == ["wire-0004", "wire-0005"]
    # an edited story is scanned again (its content hash changed)
    server.route("/world.xml", GROWN.replace("The river bridge reopened", "The river bridge finally reopened"))
    res = cli("scan", *BASE, url, "--state", "state.json", "-f", "json", "-o", "r.json")
    assert findings("r.json")[1] == ["wire-0005"]


def test_corrupt_state_file_is_a_usage_error(job):
    _, url = job
    Path("state.json").write_text("{oops")
    res = cli("scan", *BASE, url, "--state", "state.json")
    assert res.exit_code == 2 and "state.json:1" in res.stderr
