"""`flagger verify` verifies the report itself, in every format: an edited report differs (even
when the editor also fixes the recorded digest, the replay disagrees), a report without its
digest cannot be verified, a run with a baseline replays it, and replaying an untrusted report
neither fetches URLs nor reads the rule files it names unless allowed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main
from flagger.report import json_report, sarif_report
from flagger.report.provenance import content_digest

FIXTURES = Path(__file__).parent.parent / "fixtures"
REPORTS = ["out.json", "out.sarif", "out.html", "out.md", "out.xml", "out.csv", "out.jsonl", "out.txt"]


@pytest.fixture()
def workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("rules").mkdir()
    Path("rules/basic.yaml").write_bytes((FIXTURES / "rules" / "basic.yaml").read_bytes())
    Path("list.csv").write_bytes((FIXTURES / "entities" / "small.csv").read_bytes())
    Path("articles").mkdir()
    Path("articles/news.jsonl").write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "a1", "title": "Rail", "text": "North Korea sent artillery shells to Russia by rail."},
        {"id": "a2", "title": "Dealer", "text": "KOMID sold ammunition abroad; KOMID denied it."},
        {"id": "a3", "title": "Fair", "text": "Pumpkins won a prize at the county fair."},
    ]), encoding="utf-8")
    return tmp_path


def scan(*extra: str, exit_code: int = 1) -> None:
    args = ["scan", "articles", "--rules", "rules", "--entities", "list.csv", "--no-default-entities", "--no-config",
            "--fail-on", "critical", "-q", "-o", REPORTS[0], *[f"--report={r}" for r in REPORTS[1:]], *extra]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == exit_code, res.output      # 1: the gate fails, there are critical findings


def verify(report: str, *extra: str):
    return CliRunner().invoke(main, ["verify", report, "--rules", "rules", "--entities", "list.csv", *extra])


def test_every_untouched_format_is_identical(workspace):
    scan()
    for report in REPORTS:
        res = verify(report)
        assert res.exit_code == 0, (report, res.output)
        assert "identical" in res.output.splitlines()[-1]


def _edit_json(path: str, change) -> None:
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    change(doc)
    Path(path).write_text(json.dumps(doc, indent=2), encoding="utf-8")


def _sarif_digest_fixed(doc) -> None:
    """What a careful forger does after editing: recompute the recorded content digest."""
    run = doc["runs"][0]
    run["properties"]["provenance"]["report"]["content_sha256"] = content_digest(sarif_report.content(run))


def test_emptying_the_sarif_results_is_caught(workspace):
    scan()
    _edit_json("out.sarif", lambda d: d["runs"][0].__setitem__("results", []))
    res = verify("out.sarif")
    assert res.exit_code == 1 and "edited after flagger wrote it" in res.output
    assert "0 SARIF results in the report" in res.output

    _edit_json("out.sarif", _sarif_digest_fixed)          # digest "repaired": the replay still disagrees
    res = verify("out.sarif")
    assert res.exit_code == 1 and "edited" not in res.output and "0 SARIF results in the report" in res.output


def test_setting_every_sarif_level_to_note_is_caught(workspace):
    scan()

    def to_note(doc):
        for r in doc["runs"][0]["results"]:
            r["level"] = "note"
        _sarif_digest_fixed(doc)

    _edit_json("out.sarif", to_note)
    res = verify("out.sarif")
    assert res.exit_code == 1 and "SARIF results differ" in res.output and "in level" in res.output


def test_editing_the_json_summary_is_caught(workspace):
    scan()

    def lower(doc):
        doc["summary"]["by_level"] = {k: 0 for k in doc["summary"]["by_level"]}
    _edit_json("out.json", lower)
    res = verify("out.json")
    assert res.exit_code == 1 and "edited after flagger wrote it" in res.output

    def fix(doc):
        doc["provenance"]["report"]["content_sha256"] = content_digest(json_report.content(doc))
    _edit_json("out.json", fix)
    res = verify("out.json")
    assert res.exit_code == 1 and "summary" in res.output and "edited" not in res.output


@pytest.mark.parametrize("report", ["out.html", "out.md", "out.xml", "out.csv", "out.txt"])
def test_an_edited_sidecar_format_report_differs(workspace, report):
    scan()
    text = Path(report).read_text(encoding="utf-8")
    Path(report).write_text(text.replace("critical", "low"), encoding="utf-8")
    res = verify(report)
    assert res.exit_code == 1 and "edited after flagger wrote it" in res.output, res.output


def test_a_deleted_digest_cannot_be_verified(workspace):
    scan()
    _edit_json("out.json", lambda d: d["provenance"].pop("report"))
    res = verify("out.json")
    assert res.exit_code == 2 and "no digest of the report's own content" in res.output

    _edit_json("out.sarif", lambda d: d["runs"][0]["properties"]["provenance"]["results"].pop("sha256"))
    res = verify("out.sarif")
    assert res.exit_code == 2 and "no results digest" in res.output

    _edit_json("out.html.meta.json", lambda d: d.pop("report_sha256"))
    res = verify("out.html")
    assert res.exit_code == 2 and "no digest of the report's own content" in res.output


def test_a_run_with_a_baseline_replays_it(workspace):
    scan()
    res = CliRunner().invoke(main, ["baseline", "create", "out.json", "-o", "base.json", "--reason", "reviewed"])
    assert res.exit_code == 0, res.output
    scan("--baseline", "base.json", exit_code=0)       # every finding reviewed: the gate passes
    sidecar = json.loads(Path("out.html.meta.json").read_text(encoding="utf-8"))["provenance"]["options"]
    assert sidecar["baseline"] == "base.json" and len(sidecar["baseline_sha256"]) == 64
    for report in REPORTS:
        res = verify(report)
        assert res.exit_code == 0, (report, res.output)
    base = json.loads(Path("base.json").read_text(encoding="utf-8"))
    base["entries"] = base["entries"][:1]
    Path("base.json").write_text(json.dumps(base), encoding="utf-8")
    res = verify("out.sarif")
    assert res.exit_code == 1 and "changed baseline" in res.output


def test_rule_files_named_by_the_report_are_read_only_when_given(workspace):
    scan()
    res = CliRunner().invoke(main, ["verify", "out.json"])
    assert res.exit_code == 2
    assert "not flagger's bundled rules: rules" in res.output and "--rules PATH" in res.output


def test_entity_lists_named_by_the_report_are_read_only_when_given(workspace, monkeypatch):
    scan()
    opened = []
    real_open = open

    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr("builtins.open", spy)
        res = CliRunner().invoke(main, ["verify", "out.json", "--rules", "rules"])
    assert res.exit_code == 2
    assert "not flagger's bundled list: list.csv" in res.output and "--entities PATH" in res.output
    assert not [f for f in opened if f.endswith("list.csv")]          # not even hashed
    assert verify("out.json").exit_code == 0                          # trusted with --entities list.csv


def test_urls_and_feed_lists_are_fetched_only_with_allow_network(workspace):
    Path("feeds.txt").write_text("http://127.0.0.1:9/feed.xml\nhttp://127.0.0.1:9/other.xml\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["scan", "feeds.txt", "--rules", "rules", "--no-default-entities", "--no-config",
                                    "--retries", "0", "--timeout", "1", "-q", "-o", "feeds.json", "--allow-errors"])
    assert Path("feeds.json").exists(), res.output
    res = verify("feeds.json")
    assert res.exit_code == 2 and "feed list feeds.txt" in res.output and "--allow-network" in res.output

    res = CliRunner().invoke(main, ["scan", "http://127.0.0.1:9/page", "--rules", "rules", "--no-default-entities",
                                    "--no-config", "--retries", "0", "--timeout", "1", "-q", "-o", "url.json",
                                    "--allow-errors"])
    assert Path("url.json").exists(), res.output
    res = verify("url.json")
    assert res.exit_code == 2 and "URL http://127.0.0.1:9/page" in res.output


def test_what_verify_prints_from_a_report_carries_no_terminal_escapes(workspace):
    scan()
    _edit_json("out.json", lambda d: d["provenance"].__setitem__("flagger_version", "\x1b]0;owned\x07\x1b[2J9.9"))
    res = verify("out.json")
    assert "9.9" in res.output and "\x1b" not in res.output and "\x07" not in res.output
