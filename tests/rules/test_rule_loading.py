"""Rule packs load safely and every mistake is reported as file:line: what is wrong.

The loader's table of refused packs (file, line, reason) is in test_hostile_rules.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flagger.errors import RuleError
from flagger.rules import load_rule_packs
from flagger.scoring import MODEL, cue_multipliers


def test_fixture_pack_loads_with_its_rules(fixtures):
    (pack,) = load_rule_packs([fixtures / "rules" / "basic.yaml"])
    assert pack.id == "test-basic"
    assert [r.id for r in pack.rules] == ["test.arms", "test.coop"]
    arms = pack.rules[0]
    assert arms.severity == "critical" and arms.weight == MODEL.severity_weights["critical"]
    assert arms.all_of == ("arms",) and arms.any_of == ("dprk", "designated")
    assert arms.within == 20
    assert arms.groups["dprk"].terms[1].exact is True
    assert arms.groups["dprk"].terms[2].aliases == ("평양", "Пхеньян", "平壤")
    assert len(pack.sha256) == 64


def test_a_folder_without_packs_is_an_error(tmp_path):
    with pytest.raises(RuleError, match="holds no rule packs"):
        load_rule_packs([tmp_path])


def test_the_same_rule_id_in_two_packs_is_an_error(fixtures, tmp_path):
    copy = tmp_path / "copy.yaml"
    copy.write_text((fixtures / "rules" / "basic.yaml").read_text().replace("id: test-basic", "id: other"))
    with pytest.raises(RuleError, match="duplicate rule id 'test.arms'"):
        load_rule_packs([fixtures / "rules" / "basic.yaml", copy])


def test_bundled_packs_load_and_validate():
    packs = load_rule_packs()
    assert packs, "the bundled rules/ folder must hold packs"
    for pack in packs:
        for rule in pack.rules:
            assert rule.legal_basis and rule.references


def test_severity_weights_and_modifier_kinds_come_from_the_scoring_model(fixtures, tmp_path):
    (pack,) = load_rule_packs([fixtures / "rules" / "basic.yaml"])
    assert all(r.weight == MODEL.severity_weights[r.severity] for r in pack.rules)
    bad = tmp_path / "bad.yaml"
    bad.write_text((fixtures / "rules" / "basic.yaml").read_text().replace(
        "    severity: critical\n", "    severity: critical\n    modifiers: {rumour: 0.5}\n", 1))
    with pytest.raises(RuleError, match=f"allowed: {', '.join(sorted(cue_multipliers()))}"):
        load_rule_packs([bad])


ALLOWED_BELOW_RULES = {"flagger.errors", "flagger.model", "flagger.text", "flagger.language", "flagger.paths",
                       "flagger.scoring", "flagger.versions"}


def test_rules_import_nothing_above_them():
    """The rule model and loader stand below the engine: no import of engine, scanner, report ..."""
    for path in sorted((Path(__file__).resolve().parent.parent.parent / "flagger" / "rules").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "flagger":
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.split(".")[0] == "flagger"]
            else:
                continue
            for name in names:
                assert name in ALLOWED_BELOW_RULES or name.startswith("flagger.rules"), f"{path.name} imports {name}"
