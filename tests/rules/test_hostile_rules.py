"""Hostile and mistaken rule packs: each is refused at load with file:line and a reason (exit 2), never run.

REFUSED is the rule loader's one error table (tests/fixtures/hostile/rules/): every refusal the loader
knows, from a typo'd key to a YAML alias bomb.

Regexes run on RE2 (linear time): patterns that backtrack catastrophically in a backtracking
engine load and run in linear time; constructs RE2 lacks (backreferences, lookaround) are refused.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main
from flagger.errors import RuleError
from flagger.rules import load_rule_packs

RULES = Path(__file__).parent.parent / "fixtures" / "hostile" / "rules"

REFUSED = [
    ("invalid_yaml.yaml", 7, "invalid YAML"),
    ("python_object_tag.yaml", 14, "YAML tag refused"),
    ("custom_tag.yaml", 13, "YAML tag refused (!custom)"),
    ("duplicate_ids.yaml", 15, "duplicate rule id 'dup' (first defined on line 5)"),
    ("backreference_regex.yaml", 14, "invalid regex"),
    ("lookahead_regex.yaml", 14, "no backreferences or lookaround"),
    ("threshold_out_of_range.yaml", 15, "must be a number from 0 to 100, got 150"),
    ("threshold_negative.yaml", 15, "must be a number from 0 to 100, got -1"),
    ("yaml_alias_bomb.yaml", 1, "billion-laughs"),
    ("recursive_alias.yaml", 1, "recursive YAML alias"),
    ("not_utf8.yaml", None, "not valid UTF-8"),
    ("empty.yaml", 1, "file is empty"),
    ("not_a_mapping.yaml", 1, "must be a mapping"),
    ("unknown_key.yaml", 9, "unknown key 'colour'"),
    ("wrong_type.yaml", 9, "must be a list of terms"),
    ("bad_severity.yaml", 6, "severity must be low, medium, high, critical or a number"),
    ("undefined_group.yaml", 10, "names group 'b', which is not defined"),
]


@pytest.mark.parametrize("name,line,needle", REFUSED, ids=[r[0] for r in REFUSED])
def test_hostile_pack_is_refused_with_file_and_line(name, line, needle):
    t0 = time.perf_counter()
    with pytest.raises(RuleError) as info:
        load_rule_packs([RULES / name])
    assert time.perf_counter() - t0 < 10
    err = info.value
    assert err.file == str(RULES / name) and err.line == line
    assert needle in str(err)
    assert str(err).startswith(f"{RULES / name}{f':{line}' if line else ''}: ")


def test_python_tags_construct_nothing(tmp_path):
    marker = tmp_path / "pwned"
    pack = (RULES / "python_object_tag.yaml").read_text(encoding="utf-8").replace("echo pwned", f"touch {marker}")
    p = tmp_path / "p.yaml"
    p.write_text(pack, encoding="utf-8")
    with pytest.raises(RuleError):
        load_rule_packs([p])
    assert not marker.exists()


def test_a_rules_folder_that_matches_nothing():
    with pytest.raises(RuleError, match="folder holds no rule packs"):
        load_rule_packs([RULES / "matches_nothing"])


def test_missing_rules_path(tmp_path):
    with pytest.raises(RuleError, match="no such file or folder"):
        load_rule_packs([tmp_path / "nope.yaml"])


def test_catastrophic_regexes_run_in_linear_time():
    """(a+)+$ and friends take exponential time on a backtracking engine; RE2 is linear."""
    from flagger.api import Scanner

    scanner = Scanner(rules=[RULES / "catastrophic_regex.yaml"], default_entities=False)
    evil = ("a" * 50_000 + "!\n") + ("x" * 50_000 + "\n") + ("word " * 20_000 + "!")
    t0 = time.perf_counter()
    result = scanner.scan_text(evil)
    assert time.perf_counter() - t0 < 20
    assert not result.record.error


def test_cli_rules_validate_exits_2_on_each_hostile_pack():
    runner = CliRunner()
    for name, _line, needle in REFUSED:
        res = runner.invoke(main, ["rules", "validate", str(RULES / name)])
        assert res.exit_code == 2, (name, res.output)
        assert needle in res.output and str(RULES / name) in res.output


def test_cli_scan_exits_2_and_writes_no_report_on_a_bad_pack(tmp_path, fixtures):
    out = tmp_path / "r.csv"
    res = CliRunner().invoke(main, ["scan", str(fixtures / "articles" / "arms.txt"), "--rules",
                                    str(RULES / "duplicate_ids.yaml"), "-o", str(out)])
    assert res.exit_code == 2 and "duplicate rule id" in res.output
    assert not out.exists()
