"""Rule packs load safely and every mistake is reported as file:line: what is wrong."""

from __future__ import annotations

import pytest

from flagger.errors import RuleError
from flagger.rules import load_rule_packs


def test_fixture_pack_loads_with_its_rules(fixtures):
    (pack,) = load_rule_packs([fixtures / "rules" / "basic.yaml"])
    assert pack.id == "test-basic"
    assert [r.id for r in pack.rules] == ["test.arms", "test.coop"]
    arms = pack.rules[0]
    assert arms.severity == "critical" and arms.weight == 85
    assert arms.all_of == ("arms",) and arms.any_of == ("dprk", "designated")
    assert arms.within == 20
    assert arms.groups["dprk"].terms[1].exact is True
    assert arms.groups["dprk"].terms[2].aliases == ("평양", "Пхеньян", "平壤")
    assert len(pack.sha256) == 64


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        ("unknown_key.yaml", 9, "unknown key 'colour'"),
        ("bad_threshold.yaml", 13, "threshold must be a number from 0 to 100"),
        ("bad_regex.yaml", 12, "invalid regex"),
        ("dup_id.yaml", 10, "duplicate rule id 'r1'"),
        ("wrong_type.yaml", 9, "must be a list of terms"),
        ("python_tag.yaml", 1, "YAML tag refused"),
        ("bad_severity.yaml", 6, "severity must be low, medium, high, critical or a number"),
        ("undefined_group.yaml", 10, "names group 'b', which is not defined"),
        ("invalid_yaml.yaml", None, "invalid YAML"),
    ],
)
def test_each_mistake_is_reported_with_file_and_line(fixtures, name, line, fragment):
    path = fixtures / "rules" / "bad" / name
    with pytest.raises(RuleError) as info:
        load_rule_packs([path])
    err = info.value
    assert err.file == str(path)
    if line is not None:
        assert err.line == line
        assert str(err).startswith(f"{path}:{line}: ")
    assert fragment in str(err)


def test_python_tags_never_construct_objects(fixtures, tmp_path):
    marker = tmp_path / "pwned"
    bad = tmp_path / "evil.yaml"
    bad.write_text(f'pack: !!python/object/apply:os.system ["touch {marker}"]\nrules: []\n')
    with pytest.raises(RuleError):
        load_rule_packs([bad])
    assert not marker.exists()


def test_a_folder_without_packs_is_an_error(tmp_path):
    with pytest.raises(RuleError, match="holds no rule packs"):
        load_rule_packs([tmp_path])


def test_a_missing_path_is_an_error(tmp_path):
    with pytest.raises(RuleError, match="no such file"):
        load_rule_packs([tmp_path / "nope.yaml"])


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
