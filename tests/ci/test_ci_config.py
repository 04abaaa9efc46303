"""Project config: flagger.yaml / [tool.flagger] in pyproject.toml, CLI overrides, `config show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()                       # the search for a config stops at the repo root
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "basic.yaml").write_text((FIXTURES / "rules" / "basic.yaml").read_text())
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "small.csv").write_text((FIXTURES / "entities" / "small.csv").read_text())
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "arms.txt").write_text("Shipment\n\nNorth Korea sent artillery shells to Russia.\n")
    (tmp_path / "news" / "coop.txt").write_text("Drills\n\nRussia and North Korea staged a joint military exercise.\n")
    sub = tmp_path / "ci" / "jobs"
    sub.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


YAML = """\
# flagger project settings
rules: [rules/basic.yaml]
entities: lists/small.csv
default_entities: false
fail_on:
  default: critical
  arms-embargo: medium
  military-cooperation: off
format: json
"""


def cli(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_config_file_supplies_defaults_and_cli_overrides(project):
    (project / "flagger.yaml").write_text(YAML)
    res = cli("scan", "news")
    assert res.exit_code == 1, res.stderr                  # arms-embargo=medium from the file
    assert json.loads(res.stdout)["articles"]              # format: json from the file
    assert "gate arms-embargo=medium" in res.stderr
    res = cli("scan", "news", "--fail-on", "arms-embargo=off", "-f", "csv")
    assert res.exit_code == 0, res.stderr                  # the command line wins
    assert res.stdout.startswith("id,source,")
    cli("scan", "news", "-o", "out.sarif")                 # -o's extension beats the file's format: json
    assert json.loads(Path("out.sarif").read_text())["version"] == "2.1.0"


def test_config_is_found_from_a_subfolder_with_paths_relative_to_the_file(project, monkeypatch):
    (project / "flagger.yaml").write_text(YAML)
    monkeypatch.chdir(project / "ci" / "jobs")
    res = cli("scan", str(project / "news"))
    assert res.exit_code == 1, res.stderr
    res = cli("config", "show")
    assert "rules" in res.stdout and "../../rules/basic.yaml" in res.stdout


def test_config_show_prints_values_and_origins(project):
    (project / "flagger.yaml").write_text(YAML)
    res = cli("config", "show")
    assert res.exit_code == 0
    lines = {line.split()[0]: line for line in res.stdout.splitlines() if line and not line.startswith("#")}
    assert lines["rules"].rstrip().endswith("flagger.yaml:2")
    assert lines["fail_on"].rstrip().endswith("flagger.yaml:5") and "arms-embargo=medium" in lines["fail_on"]
    assert lines["min_score"].rstrip().endswith("# default")
    res = cli("config", "show", "--json", "--set", "min_score=70", "--set", "fail_on=high")
    doc = json.loads(res.stdout)["settings"]
    assert doc["min_score"] == {"value": 70, "origin": "command line"}
    # the command line's gate is added to the file's, per category (the later global level wins)
    assert doc["fail_on"]["value"][-1] == "high" and doc["fail_on"]["origin"].endswith("flagger.yaml:5 + command line")
    assert doc["timeout"]["origin"] == "default" and doc["user_agent"]["value"].startswith("flagger/")


def test_pyproject_tool_flagger_table(project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.flagger]\nrules = ["rules/basic.yaml"]\n'
                                            'entities = ["lists/small.csv"]\ndefault-entities = false\n'
                                            'fail_on = ["arms-embargo=high"]\nmin_score = 99.5\n')
    res = cli("config", "show")
    assert "pyproject.toml [tool.flagger]" in res.stdout and "99.5" in res.stdout
    assert cli("scan", "news", "-f", "csv").exit_code == 1


def test_flagger_yaml_wins_over_pyproject_and_no_config_ignores_both(project):
    (project / "pyproject.toml").write_text('[tool.flagger]\nmin_score = 1\n')
    (project / "flagger.yaml").write_text("min_score: 99\n")
    res = cli("config", "show", "--json")
    assert json.loads(res.stdout)["settings"]["min_score"]["value"] == 99
    res = cli("scan", "news", "--no-config", "--rules", "rules/basic.yaml", "--no-default-entities", "-f", "csv")
    assert res.exit_code == 0


@pytest.mark.parametrize("text, message", [
    ("fail_under: 3\n", "unknown setting 'fail_under'"),
    ("min_score: high\n", "min_score must be a number"),
    ("fail_on: {arms-embargo: severe}\n", "unknown level"),
    ("rules: [a, 3]\n", "rules must be a path or a list of paths"),
    ("rules: [unclosed\n", "invalid YAML"),
])
def test_config_errors_name_file_and_line_and_exit_2(project, text, message):
    (project / "flagger.yaml").write_text("# settings\n" + text)
    res = cli("scan", "news")
    assert res.exit_code == 2
    assert message in res.stderr and "flagger.yaml:" in res.stderr
    assert cli("config", "show").exit_code == 2


def test_a_retired_setting_is_named_with_where_it_was_set_and_changes_nothing(project):
    (project / "flagger.yaml").write_text("rules: [rules/basic.yaml]\ndefault_entities: false\n"
                                          "dedupe_similarity: 0.9\n")
    result = CliRunner().invoke(main, ["scan", "news/", "-f", "csv", "-q"])
    assert result.exit_code == 0, result.output
    assert "flagger.yaml:3: dedupe_similarity no longer has any effect" in result.stderr
    plain = CliRunner().invoke(main, ["scan", "news/", "-f", "csv", "-q", "--no-config", "--rules",
                                      "rules/basic.yaml", "--no-default-entities"])
    assert plain.stdout == result.stdout


def test_no_warning_when_the_retired_setting_is_left_alone(project):
    (project / "flagger.yaml").write_text("rules: [rules/basic.yaml]\ndefault_entities: false\n")
    result = CliRunner().invoke(main, ["scan", "news/", "-f", "csv", "-q"])
    assert result.exit_code == 0 and "warning" not in result.stderr
