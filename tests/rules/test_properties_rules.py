"""Properties of the rule loader (hypothesis): whatever the file holds, loading either gives rule
packs or raises RuleError with the file (and a line inside it) — no other exception escapes."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flagger.errors import RuleError
from flagger.rules import load_rule_packs

# CI runs a fixed set of examples (a new counterexample must not fail an unrelated change);
# local runs explore new ones each time.
CI = bool(os.environ.get("CI"))
BASIC = (Path(__file__).parent.parent / "fixtures" / "rules" / "basic.yaml").read_text(encoding="utf-8")
SETTINGS = settings(max_examples=200, deadline=None, derandomize=CI, suppress_health_check=[HealthCheck.function_scoped_fixture])

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                    st.text(max_size=20), st.sampled_from(["high", "critical", "DPRK", "(a+)+$", "\\1", "!!x"]))
KEYS = st.one_of(st.sampled_from(["pack", "rules", "id", "title", "category", "severity", "legal_basis",
                                  "references", "groups", "terms", "term", "regex", "match", "all", "any",
                                  "within", "threshold", "exclude", "modifiers", "examples", "entities"]),
                 st.text(max_size=8))
TREES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(KEYS, inner, max_size=5)), max_leaves=25)


def _load(tmp_path: Path, text: str | bytes):
    path = tmp_path / "pack.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(text)
    try:
        return load_rule_packs([path])
    except RuleError as exc:
        assert exc.file == str(path)
        n_lines = path.read_bytes().count(b"\n") + 2
        assert exc.line is None or 1 <= exc.line <= n_lines, exc
        assert str(exc).startswith(str(path))
        return None


@SETTINGS
@given(st.binary(max_size=300))
def test_arbitrary_bytes(tmp_path, data):
    _load(tmp_path, data)


@SETTINGS
@given(TREES)
def test_arbitrary_yaml_structures(tmp_path, tree):
    _load(tmp_path, yaml.safe_dump(tree, allow_unicode=True))


@SETTINGS
@given(st.integers(0, len(BASIC)), st.integers(0, 40), st.text(max_size=30))
def test_mutated_valid_pack(tmp_path, at, cut, insert):
    """Cut a slice out of a valid pack and insert random text there."""
    _load(tmp_path, BASIC[:at] + insert + BASIC[at + cut:])


ID = st.from_regex(re.compile(r"[a-z][a-z0-9._-]{0,12}", re.ASCII), fullmatch=True)
TERM = st.text(alphabet=st.characters(categories=["L", "Nd", "Zs"], exclude_characters="\x85\u2028\u2029"),
               min_size=1, max_size=20)


@SETTINGS
@given(st.lists(st.tuples(ID, st.lists(TERM, min_size=1, max_size=4),
                          st.one_of(st.none(), st.floats(-50, 150, allow_nan=False))), min_size=1, max_size=5))
def test_generated_packs_load_exactly_when_valid(tmp_path, rules):
    doc = {"pack": {"id": "gen", "title": "Generated"}, "rules": []}
    for rid, terms, threshold in rules:
        rule = {"id": rid, "title": "t", "category": "c", "severity": "high", "legal_basis": ["x"],
                "references": ["y"], "groups": {"g": {"terms": terms}}}
        if threshold is not None:
            rule["threshold"] = threshold
        doc["rules"].append(rule)
    packs = _load(tmp_path, yaml.safe_dump(doc, allow_unicode=True))
    ids = [r[0] for r in rules]
    valid = (len(set(ids)) == len(ids) and all(t is None or 0 <= t <= 100 for _, _, t in rules)
             and all(term.strip() for _, terms, _ in rules for term in terms))
    assert (packs is not None) == valid
    if packs is not None:
        assert [r.id for r in packs[0].rules] == ids
