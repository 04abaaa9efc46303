"""Reports an auditor can replay (issue 8): provenance inline in JSON, a sidecar beside CSV, and
`flagger verify` saying identical, or naming what changed."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import flagger
from flagger.cli import main as cli
from flagger.entities.loading import list_date
from flagger.report.provenance import sidecar_path

ARMS_PACK = """\
pack:
  id: prov-arms
  title: Arms pack for the provenance tests
rules:
  - id: prov.arms
    title: Arms moving to or from North Korea
    category: arms-embargo
    severity: critical
    legal_basis: ["UNSCR 1718 (2006)"]
    references: ["https://www.un.org/securitycouncil/sanctions/1718"]
    groups:
      dprk: {terms: [North Korea, Pyongyang]}
      arms: {terms: [artillery shell, ammunition]}
    match: {all: [dprk, arms], within: 20}
"""

COOP_PACK = """\
pack:
  id: prov-coop
  title: Cooperation pack for the provenance tests
rules:
  - id: prov.coop
    title: Military cooperation in one sentence
    category: military-cooperation
    severity: medium
    legal_basis: ["UNSCR 2270 (2016)"]
    references: ["https://example.org/ref"]
    groups:
      who: {terms: [Russia, North Korea]}
      what: {terms: [joint military exercise]}
    match: {all: [who, what], same_sentence: true}
"""

ENTITIES = """\
id,name,type,aliases,programs,list,listed_on
T:komid,Korea Mining Development Trading Corporation,organisation,KOMID,UN-1718,prov test list,2009-04-24
"""

ARTICLES = [
    {"id": "a1", "text": "North Korea sent artillery shells to Russia by rail."},
    {"id": "a2", "text": "Russia and North Korea staged a joint military exercise."},
    {"id": "a3", "text": "A quiet day at the beach."},
]


@pytest.fixture()
def workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "arms.yaml").write_text(ARMS_PACK, encoding="utf-8")
    (rules / "coop.yaml").write_text(COOP_PACK, encoding="utf-8")
    Path("list.csv").write_text(ENTITIES, encoding="utf-8")
    Path("articles").mkdir()
    Path("articles/feed.jsonl").write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    Path("articles/note.txt").write_text("Pyongyang\n\nPyongyang bought ammunition.\n", encoding="utf-8")
    return tmp_path


def _scan(*extra: str):
    args = ["scan", "articles", "--rules", "rules", "--entities", "list.csv", "--no-default-entities",
            "--entity-threshold", "88", "--fail-on", "critical,arms-embargo=off", "-q", *extra]
    return CliRunner().invoke(cli, args)


def _verify(*args: str):
    """`flagger verify`, trusting the workspace's own rules folder (a report's rule files are read only when given)."""
    return CliRunner().invoke(cli, ["verify", *args, "--rules", "rules", "--entities", "list.csv"])


def _sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_json_report_carries_provenance_inline(workspace):
    result = _scan("-o", "out.json")
    assert result.exit_code == 0, result.output     # the arms story is critical; its category gate is off
    assert not sidecar_path("out.json").exists()          # JSON carries it inline
    prov = json.loads(Path("out.json").read_text())["provenance"]
    assert prov["flagger_version"] == flagger.__version__
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", prov["started"])
    assert prov["duration_seconds"] >= 0
    packs = {p["id"]: p for p in prov["rule_packs"]}
    assert set(packs) == {"prov-arms", "prov-coop"}
    assert packs["prov-arms"]["sha256"] == _sha("rules/arms.yaml") and packs["prov-arms"]["rules"] == 1
    [entity_list] = prov["entity_lists"]
    assert entity_list["name"] == "prov test list" and entity_list["records"] == 1
    assert entity_list["sha256"] == _sha("list.csv") and entity_list["latest_listed_on"] == "2009-04-24"
    assert prov["thresholds"]["entity_threshold"] == 88.0 and prov["thresholds"]["fail_on"] in ("critical", ["critical"])
    assert prov["options"]["inputs"] == ["articles"] and prov["options"]["default_entities"] is False
    files = {f["path"]: f for f in prov["inputs"]["files"]}
    assert files[str(Path("articles/feed.jsonl"))]["records"] == 3
    assert files[str(Path("articles/feed.jsonl"))]["sha256"] == _sha("articles/feed.jsonl")
    assert prov["inputs"]["records"] == 4 and prov["results"]["articles"] == 4


def test_csv_gets_a_sidecar_and_stays_clean(workspace):
    result = _scan("-o", "out.csv")
    assert result.exit_code == 0, result.output
    header = Path("out.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("id,source,title")
    meta = json.loads(Path("out.csv.meta.json").read_text())
    assert meta["report"] == "out.csv"
    assert meta["provenance"]["rule_packs"] and meta["provenance"]["options"]["format"] == "csv"


def test_api_report_has_provenance_and_save_writes_a_sidecar(workspace):
    scanner = flagger.Scanner(rules="rules", entities=["list.csv"], default_entities=False)
    report = scanner.scan(ARTICLES)
    prov = report.provenance
    assert [p["id"] for p in prov["rule_packs"]] == ["prov-arms", "prov-coop"]
    assert prov["inputs"]["records"] == 3 and len(prov["inputs"]["records_sha256"]) == 64
    assert prov["options"]["inputs"] is None          # records passed in memory
    report.save("api.csv")
    assert Path("api.csv.meta.json").exists()
    # the records were never files: verify checks the rules and lists but cannot replay
    result = _verify("api.csv")
    assert result.exit_code == 2, result.output
    assert "in memory" in result.output


@pytest.mark.parametrize("output", ["out.csv", "out.json", "out.jsonl", "out.sarif", "out.md"])
def test_verify_says_identical_on_an_unchanged_run(workspace, output):
    assert _scan("-o", output).exit_code == 0
    result = _verify(output)
    assert result.exit_code == 0, result.output
    assert "identical" in result.output.splitlines()[-1]


def test_verify_names_the_changed_pack(workspace):
    assert _scan("-o", "out.json").exit_code == 0
    arms = Path("rules/arms.yaml")
    arms.write_text(arms.read_text().replace("arms: {terms: [artillery shell, ammunition]}",
                                             "arms: {terms: [ammunition]}"), encoding="utf-8")
    result = _verify("out.json")
    assert result.exit_code == 1, result.output
    changed = [line for line in result.output.splitlines() if line.strip().startswith("changed")]
    assert len(changed) == 1 and "prov-arms" in changed[0] and "prov-coop" not in changed[0]
    assert "article 'a1'" in result.output                # the article whose result moved
    assert result.output.splitlines()[-1].startswith("differs")
    outcome = json.loads(_verify("out.json", "--json").output)
    assert outcome["status"] == "differs"
    assert [(c["kind"], c["name"]) for c in outcome["changes"]] == [("rule pack", "prov-arms")]


def test_verify_names_a_changed_input_and_a_changed_list(workspace):
    assert _scan("-o", "out.csv").exit_code == 0
    Path("articles/note.txt").write_text("Nothing to see.\n", encoding="utf-8")
    Path("list.csv").write_text(ENTITIES + "T:kju,Kim Jong Un,person,,DPRK3,prov test list,\n", encoding="utf-8")
    result = _verify("out.csv.meta.json")                # the sidecar itself works too
    assert result.exit_code == 1, result.output
    assert "note.txt" in result.output and "entity list 'prov test list'" in result.output
    assert "articles/note.txt" in result.output or "articles\\note.txt" in result.output


def test_verify_cannot_verify_without_provenance_or_inputs(workspace):
    Path("plain.json").write_text('{"articles": []}', encoding="utf-8")
    assert _verify("plain.json").exit_code == 2
    assert _scan("-o", "out.csv").exit_code == 0
    Path("articles/feed.jsonl").unlink()
    result = _verify("out.csv")
    assert result.exit_code == 2 and "missing" in result.output


def test_list_date_read_from_list_headers(tmp_path):
    un = tmp_path / "un.xml"
    un.write_text('<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00Z">', encoding="utf-8")
    uk = tmp_path / "ConList.csv"
    uk.write_text("Last Updated,05/03/2026\nName 6,Name 1\n", encoding="utf-8")
    plain = tmp_path / "plain.csv"
    plain.write_text("id,name,type\n", encoding="utf-8")
    assert list_date(un) == "2026-01-01"
    assert list_date(uk) == "2026-03-05"
    assert list_date(plain) is None


def test_verify_names_a_pack_added_to_the_rules_folder(workspace):
    assert _scan("-o", "out.json").exit_code == 0
    Path("rules/extra.yaml").write_text(COOP_PACK.replace("prov-coop", "prov-extra").replace("prov.coop", "prov.extra"),
                                        encoding="utf-8")
    result = _verify("out.json")
    assert result.exit_code == 1, result.output
    assert "new rule pack 'prov-extra'" in result.output


def test_api_report_replays_with_the_same_records(workspace):
    scanner = flagger.Scanner(rules="rules", entities=["list.csv"], default_entities=False)
    scanner.scan(ARTICLES).save("api.json")
    assert flagger.verify_report("api.json", records=ARTICLES, trusted_rules=["rules"], trusted_entities=["list.csv"]).status == 0
    edited = [*ARTICLES[:2], {"id": "a3", "text": "Pyongyang bought ammunition."}]
    outcome = flagger.verify_report("api.json", records=edited, trusted_rules=["rules"], trusted_entities=["list.csv"])
    assert outcome.status == 1
    assert [c.name for c in outcome.changes] == ["records passed in"]
    assert [a.id for a in outcome.articles] == ["a3"]


def test_verify_replays_grouped_syndicated_copies(workspace):
    story = "North Korea sent artillery shells to Russia by rail, officials in Seoul said on Monday, citing images."
    Path("articles/feed.jsonl").write_text(json.dumps({"id": "w1", "text": story + " Reuters"}) + "\n"
                                           + json.dumps({"id": "w2", "text": story}) + "\n",
                                           encoding="utf-8")
    assert _scan("-o", "out.csv").exit_code == 0
    rows = {line.split(",")[0]: line for line in Path("out.csv").read_text().splitlines()[1:]}
    assert rows["w2"].endswith(",w1")                     # grouped, not scanned twice, and kept its row
    result = _verify("out.csv")
    assert result.exit_code == 0, result.output


def test_verify_names_an_added_input_file_without_shifting_other_rows(workspace):
    assert _scan("-o", "out.json").exit_code == 0
    Path("articles/aaa.txt").write_text("Shells\n\nNorth Korea shipped artillery shells.\n", encoding="utf-8")
    outcome = flagger.verify_report("out.json", trusted_rules=["rules"], trusted_entities=["list.csv"])
    assert outcome.status == 1
    assert ("input", "added") in {(c.kind, c.change) for c in outcome.changes}
    assert [(a.id, a.note) for a in outcome.articles] == [
        (str(Path("articles/aaa.txt")), "not in the report, appears in the re-run")]


def test_a_report_written_into_its_input_folder_still_verifies(workspace):
    assert _scan("-o", "articles/report.csv").exit_code == 0   # written after the folder was read
    result = _verify("articles/report.csv")
    assert result.exit_code == 0, result.output


def test_verify_names_the_edited_pack_in_a_copy_of_the_bundled_rules(workspace):
    import shutil

    bundled = flagger.load_rule_packs()
    Path("bundled").mkdir()
    for pack in bundled:
        shutil.copy(pack.path, Path("bundled") / Path(pack.path).name)
    args = ["scan", "articles", "--rules", "bundled", "--no-default-entities", "-q", "-o", "out.json"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert _verify("out.json", "--rules", "bundled").exit_code == 0
    target = bundled[-1]
    copy = Path("bundled") / Path(target.path).name
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace("title:", "title: (edited)", 1), encoding="utf-8")   # same rules, new bytes
    result = _verify("out.json", "--rules", "bundled")
    assert result.exit_code == 1, result.output
    changed = [line for line in result.output.splitlines() if line.strip().startswith("changed")]
    assert len(changed) == 1 and repr(target.id) in changed[0]
    assert "results are nevertheless identical" in result.output.splitlines()[-1]


def test_every_extra_report_can_be_verified(workspace):
    assert _scan("-o", "out.csv", "--report", "out.md", "--report", "out.sarif").exit_code == 0
    assert Path("out.md.meta.json").exists() and not Path("out.sarif.meta.json").exists()
    for report in ("out.csv", "out.md", "out.sarif"):
        assert _verify(report).exit_code == 0, report
