"""The Python API (issue 8): only names from `flagger.__all__` are used here, plus the CLI as a
user would run it, to show both give the same rows."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

import flagger
from flagger.cli import main as cli

PACK = """\
pack:
  id: api-test
  title: Pack for the API tests
rules:
  - id: api.arms
    title: Arms moving to or from North Korea
    category: arms-embargo
    severity: critical
    legal_basis: ["UNSCR 1718 (2006)"]
    references: ["https://www.un.org/securitycouncil/sanctions/1718"]
    groups:
      dprk:
        terms:
          - North Korea
          - term: DPRK
            exact: true
          - Pyongyang
      arms:
        terms: [artillery shell, ammunition, ballistic missile]
      designated:
        entities: {programs: ["UN-1718"]}
    match:
      all: [arms]
      any: [dprk, designated]
      within: 20
  - id: api.coop
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
id,name,type,aliases,programs,list
T:komid,Korea Mining Development Trading Corporation,organisation,KOMID,UN-1718,api test list
T:kju,Kim Jong Un,person,Kim Jong-un,DPRK3,api test list
"""

BATCH_1 = [
    {"id": "a1", "title": "Shells by rail", "source": "Wire", "text": "North Korea sent artillery shells to Russia by rail."},
    {"id": "a2", "title": "Beach", "source": "Wire", "text": "A quiet day at the beach with ice cream."},
    {"id": "a3", "title": "Dealer", "source": "Wire", "text": "KOMID sold ammunition to buyers abroad, officials said."},
]
BATCH_2 = [
    {"id": "b1", "title": "Drills", "source": "Desk", "text": "Russia and North Korea staged a joint military exercise."},
    {"id": "b2", "title": "Weather", "source": "Desk", "text": "Rain is expected in the north on Tuesday."},
]


@pytest.fixture()
def setup(tmp_path):
    rules = tmp_path / "pack.yaml"
    rules.write_text(PACK, encoding="utf-8")
    entities = tmp_path / "list.csv"
    entities.write_text(ENTITIES, encoding="utf-8")
    return tmp_path, rules, entities


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def test_public_names_are_listed_and_resolve():
    assert isinstance(flagger.__version__, str) and flagger.__version__
    for name in flagger.__all__:
        assert getattr(flagger, name) is not None, name
    for name in ("Scanner", "Report", "ArticleResult", "Hit", "Record", "FlaggerError", "RuleError",
                 "InputError", "EntityListError", "ConfigError", "load_rule_packs", "load_entity_lists",
                 "compare_names"):
        assert name in flagger.__all__
    for name in ("RuleError", "InputError", "EntityListError", "ConfigError"):
        assert issubclass(getattr(flagger, name), flagger.FlaggerError)
    assert flagger.Scanner.scan.__doc__ and flagger.Scanner.screen.__doc__ and flagger.Report.__doc__


def test_scanner_built_once_scans_two_batches_like_the_cli(setup):
    tmp, rules, entities = setup
    scanner = flagger.Scanner(rules=rules, entities=[entities], default_entities=False)
    first = scanner.scan(BATCH_1)
    second = scanner.scan(pl.DataFrame(BATCH_2))          # a polars frame works as well as dicts
    assert isinstance(first.articles, pl.DataFrame) and isinstance(second.hits, pl.DataFrame)
    api = pl.concat([first.articles, second.articles])
    api_hits = pl.concat([first.hits, second.hits])

    in1, in2 = _write_jsonl(tmp / "b1.jsonl", BATCH_1), _write_jsonl(tmp / "b2.jsonl", BATCH_2)
    out, hits = tmp / "out.csv", tmp / "hits.csv"
    result = CliRunner().invoke(cli, ["scan", str(in1), str(in2), "--rules", str(rules), "--entities",
                                      str(entities), "--no-default-entities", "-o", str(out),
                                      "--hits", str(hits), "-q"])
    assert result.exit_code == 0, result.output
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))

    assert list(rows[0]) == api.columns                    # the same columns, in the same order
    assert len(rows) == api.height == 5
    for cli_row, api_row in zip(rows, api.iter_rows(named=True), strict=True):
        for column, value in api_row.items():
            if column == "score":
                assert float(cli_row[column]) == pytest.approx(value, abs=0.006)
            else:
                assert cli_row[column] == _csv_text(value), (api_row["id"], column)
    levels = dict(zip(api["id"], api["level"], strict=True))
    assert levels["a1"] in ("high", "critical") and levels["a2"] == "none" and levels["b1"] != "none"
    assert "api.arms" in api.filter(pl.col("id") == "a3")["rules"][0]

    with open(hits, newline="", encoding="utf-8") as fh:
        hit_rows = list(csv.DictReader(fh))
    assert list(hit_rows[0]) == api_hits.columns
    assert [(h["article_id"], h["rule_id"], h["matched_text"], int(h["start"])) for h in hit_rows] == [
        (h["article_id"], h["rule_id"], h["matched_text"], h["start"]) for h in api_hits.iter_rows(named=True)]


def test_loaded_packs_and_lists_can_be_shared(setup):
    _tmp, rules, entities = setup
    packs = flagger.load_rule_packs([rules])
    assert [p.id for p in packs] == ["api-test"] and re.fullmatch(r"[0-9a-f]{64}", packs[0].sha256)
    frame = flagger.load_entity_lists([entities], default_entities=False)
    assert frame.height == 2
    by_path = flagger.Scanner(rules=rules, entities=[entities], default_entities=False).scan(BATCH_1)
    by_objects = flagger.Scanner(rules=packs, entities=frame, default_entities=False).scan(BATCH_1)
    assert by_path.articles.equals(by_objects.articles)
    assert by_objects.provenance["rule_packs"][0]["sha256"] == packs[0].sha256


def test_exit_code_gates(setup):
    _tmp, rules, entities = setup
    scanner = flagger.Scanner(rules=rules, entities=[entities], default_entities=False)
    report = scanner.scan(BATCH_1)
    assert report.exit_code() == 0
    assert report.exit_code(fail_on="high") == 1
    assert report.exit_code(min_score=99.9) == 0                      # the top score, 94.2, is below it
    clean = scanner.scan([BATCH_1[1]])
    assert clean.exit_code(fail_on="low") == 0
    broken = scanner.scan([*BATCH_1, {"id": "x", "title": "no text"}])
    assert broken.errors == 1
    assert broken.exit_code(fail_on="high") == 3                       # unreadable input wins
    assert broken.exit_code(fail_on="high", allow_errors=True) == 1
    with pytest.raises(flagger.ConfigError):
        report.exit_code(fail_on="severe")


def test_rule_error_carries_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(PACK.replace("    legal_basis: [\"UNSCR 2270 (2016)\"]\n",
                                "    legal_basis: [\"UNSCR 2270 (2016)\"]\n    colour: red\n"), encoding="utf-8")
    with pytest.raises(flagger.RuleError) as info:
        flagger.Scanner(rules=bad, default_entities=False)
    err = info.value
    assert isinstance(err, flagger.FlaggerError)
    assert err.file == str(bad)
    expected = bad.read_text().splitlines().index("    colour: red") + 1
    assert err.line == expected
    assert f"{bad}:{expected}" in str(err) and "colour" in str(err)


def test_entity_list_error_carries_file_and_line(tmp_path, setup):
    _tmp, rules, _entities = setup
    bad = tmp_path / "bad_list.csv"
    bad.write_text("id,name,type\nT:1,Good Name,person\nT:2,,person\n", encoding="utf-8")
    with pytest.raises(flagger.EntityListError) as info:
        flagger.Scanner(rules=rules, entities=[bad], default_entities=False)
    assert info.value.file == str(bad) and info.value.line == 3


def test_input_error_names_the_record(setup):
    _tmp, rules, entities = setup
    scanner = flagger.Scanner(rules=rules, entities=[entities], default_entities=False)
    with pytest.raises(flagger.InputError) as info:
        scanner.scan([BATCH_1[0], 42])
    assert info.value.line == 2 and "int" in str(info.value)
    with pytest.raises(flagger.InputError):
        scanner.screen([{"nom": "Kim"}])


def test_records_and_strings_are_accepted(setup):
    _tmp, rules, entities = setup
    scanner = flagger.Scanner(rules=rules, entities=[entities], default_entities=False)
    report = scanner.scan([flagger.Record(id="r1", text=BATCH_1[0]["text"]), "North Korea fired a ballistic missile."])
    assert [r.record.id for r in report.results] == ["r1", "text-2"]
    assert all(isinstance(r, flagger.ArticleResult) for r in report.results)
    assert all(isinstance(h, flagger.Hit) for r in report.results for h in r.hits)
    assert report.results[0].level in ("high", "critical")


def test_screen_and_compare_names(setup):
    _tmp, rules, entities = setup
    scanner = flagger.Scanner(rules=rules, entities=[entities], default_entities=False)
    screened = scanner.screen(["Korea Mining Development Trading Corp", "Jane Q. Public",
                               {"name": "Kim Jong-un", "type": "person"}])
    assert isinstance(screened, pl.DataFrame)
    assert screened["matched"].to_list() == [True, False, True]
    assert screened["entity_id"].to_list()[0] == "T:komid"
    assert screened["explanation"][2]
    comparison = flagger.compare_names("Kim Jong-un", "Kim Chong Un")
    assert comparison.match and comparison.score >= 0.8
    assert "Kim" in comparison.explanation
    assert not flagger.compare_names("Kim Jong-un", "Kim Yo Jong").match


def test_library_never_exits_the_process():
    """Only the command line (flagger/cli/) may call sys.exit; the library raises typed errors."""
    package = Path(flagger.__file__).parent
    offenders = []
    for path in package.rglob("*.py"):
        if path.relative_to(package).parts[0] == "cli":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bsys\.exit\(|^\s*exit\(|raise Exception\(", text, re.M):
            offenders.append(str(path.relative_to(package)))
    assert offenders == []


def test_match_batch_reports_term_matches_whose_rule_did_not_fire():
    from flagger import Scanner
    from flagger.model import Record

    scanner = Scanner()
    text = "Artillery shells were fired in an exercise in Texas."     # a weapon, no DPRK actor
    (record, matches), (bad, none) = scanner.match_batch([Record(id="a", text=text),
                                                          Record(id="b", text="", error="b: empty")])
    assert record.id == "a" and bad.id == "b" and none is None
    assert matches.fired == [] and scanner.scan_text(text).rules == []
    terms = {h.term for hits in matches.term_hits.values() for h in hits}
    assert any("artillery" in t.lower() for t in terms)


def test_the_distribution_name_is_the_one_in_pyproject_and_the_version_is_read_by_it():
    """`flagger` on the package index is an unrelated project: flagger ships as sanctions-flagger."""
    import tomllib
    from importlib.metadata import version

    from click.testing import CliRunner

    from flagger.cli import main
    from flagger.versions import DISTRIBUTION, flagger_version

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DISTRIBUTION == "sanctions-flagger"
    assert flagger_version() == version(DISTRIBUTION) == project["version"]
    assert CliRunner().invoke(main, ["--version"]).output == f"flagger, version {project['version']}\n"
    examples = Path(__file__).parent.parent / "docs" / "examples"
    for ci in ("github-actions.yml", "gitlab-ci.yml"):
        assert f'pip install "{DISTRIBUTION}==0.1.*"' in (examples / ci).read_text(encoding="utf-8")


def test_type_checkers_see_the_objects_the_lazy_public_names_give():
    """The TYPE_CHECKING imports of flagger/__init__ name the modules the lazy attributes come from,
    so an IDE's "go to definition" and mypy agree with what `flagger.Scanner` is at run time."""
    import ast
    import importlib

    tree = ast.parse(Path(flagger.__file__).read_text(encoding="utf-8"))
    seen = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("flagger."):
            module = importlib.import_module(node.module)
            for alias in node.names:
                if alias.name in flagger._LAZY:
                    assert getattr(module, alias.name) is getattr(flagger, alias.name), alias.name
                    seen.add(alias.name)
    assert seen == set(flagger._LAZY)
