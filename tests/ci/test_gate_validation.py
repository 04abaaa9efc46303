"""Issue 17, case 4: a gate never vanishes.

Before: `--fail-on dual_use=low`, `arms_embargo=high` or `arms-embrago=high` (categories never
checked against the loaded packs) exited 0 with no warning, in flagger.yaml and `config show
--set` too; a CLI `--fail-on CATEGORY=off` replaced the config's whole fail_on; `-q` with a
failing gate printed nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.ci.gate import Gate, GateSpecError, check_categories, parse_fail_on
from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
RULES = ["--rules", "rules/basic.yaml", "--entities", "lists/small.csv", "--no-default-entities"]


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "basic.yaml").write_text((FIXTURES / "rules" / "basic.yaml").read_text())
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "small.csv").write_text((FIXTURES / "entities" / "small.csv").read_text())
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "arms.txt").write_text("Shipment\n\nNorth Korea sent artillery shells to Russia.\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("spec, closest", [
    ("arms_embargo=high", "arms-embargo"),
    ("arms-embrago=high", "arms-embargo"),
    ("dual_use=low", None),
])
def test_an_unknown_category_on_the_command_line_is_a_usage_error_naming_the_closest(project, spec, closest):
    res = cli("scan", "news", *RULES, "--no-config", "--fail-on", spec)
    assert res.exit_code == 2
    assert f"unknown category {spec.split('=')[0]!r}" in res.stderr
    assert "arms-embargo, military-cooperation, sanctioned-entity" in res.stderr     # the valid values
    if closest:
        assert f"(did you mean {closest!r}?)" in res.stderr


def test_an_unknown_level_names_the_valid_levels_and_the_closest():
    with pytest.raises(GateSpecError, match=r"unknown level 'hihg' \(did you mean 'high'\?\); levels are low, "
                                            r"medium, high, critical, or off"):
        parse_fail_on(["arms-embargo=hihg"])
    with pytest.raises(GateSpecError, match="did you mean 'medium'"):
        parse_fail_on(["meduim"])


def test_sanctioned_entity_is_always_a_known_category():
    check_categories(Gate(categories={"sanctioned-entity": "high"}), {"arms-embargo"})


def test_an_unknown_category_in_flagger_yaml_and_in_config_show_set_is_a_usage_error(project):
    (project / "flagger.yaml").write_text("rules: [rules/basic.yaml]\nfail_on: {default: high, arms_embargo: medium}\n")
    res = cli("scan", "news", "--entities", "lists/small.csv", "--no-default-entities")
    assert res.exit_code == 2 and "flagger.yaml:2" in res.stderr and "did you mean 'arms-embargo'?" in res.stderr
    res = cli("config", "show")
    assert res.exit_code == 2 and "did you mean 'arms-embargo'?" in res.stderr
    (project / "flagger.yaml").write_text("rules: [rules/basic.yaml]\n")
    res = cli("config", "show", "--set", "fail_on=arms-embrago=high")
    assert res.exit_code == 2 and "unknown category 'arms-embrago'" in res.stderr


def test_command_line_and_config_gates_combine_per_category(project):
    (project / "flagger.yaml").write_text("rules: [rules/basic.yaml]\nfail_on: {default: high}\n")
    # turning one category off on the command line keeps the config's default gate
    res = cli("config", "show", "--json", "--set", "fail_on=military-cooperation=off")
    fail_on = json.loads(res.stdout)["settings"]["fail_on"]
    assert parse_fail_on(fail_on["value"]) == Gate(fail_on="high", categories={"military-cooperation": None})
    assert fail_on["origin"].endswith("+ command line")
    res = cli("scan", "news", "--entities", "lists/small.csv", "--no-default-entities",
              "--fail-on", "military-cooperation=off", "-f", "csv")
    assert res.exit_code == 1                    # the config's `high` still fails the arms story


def test_a_failing_gate_prints_its_reason_even_with_quiet(project):
    res = cli("scan", "news", *RULES, "--no-config", "--fail-on", "high", "-q", "-f", "csv")
    assert res.exit_code == 1
    assert "flagger: gate failed (fail-on high): 1 article" in res.stderr
    assert "news/arms.txt" in res.stderr
    ok = cli("scan", "news", *RULES, "--no-config", "--fail-on", "critical,arms-embargo=off", "-q", "-f", "csv")
    assert ok.exit_code == 0 and ok.stderr == ""
