"""`flagger rules list|validate|test` and `flagger evaluate`: the rule packs and their quality."""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

import click
import yaml

from flagger.cli.common import UsageFailure, usage_failure
from flagger.errors import FlaggerError
from flagger.quality.metrics import evaluate_file, format_metrics
from flagger.quality.rule_checks import cross_check
from flagger.quality.rule_examples import run_rule_tests
from flagger.rules.lexicon import bundled_lexicon, coverage_table
from flagger.rules.loader import load_rule_packs


@click.group()
def rules() -> None:
    """Inspect, validate and test rule packs."""


@rules.command("list")
@click.argument("paths", nargs=-1, type=click.Path())
def rules_list(paths):
    """Print each rule's id, category, severity and legal basis."""
    try:
        packs = load_rule_packs(list(paths) or None)
    except FlaggerError as exc:
        raise usage_failure(exc) from None
    for pack in packs:
        click.echo(f"{pack.id}  ({pack.path}, {len(pack.rules)} rules)")
        for rule in pack.rules:
            click.echo(f"  {rule.id:<36} {rule.category:<22} {rule.severity:<9} {' | '.join(rule.legal_basis)}")


@rules.command("show")
@click.argument("rule_id")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the rule as JSON.")
def rules_show(rule_id, paths, as_json):
    """Show one rule: its pack and file, and its definition as written (terms, match, examples,
    legal basis). RULE_ID as in the reports; PATHS default to the bundled packs."""
    try:
        packs = load_rule_packs(list(paths) or None)
    except FlaggerError as exc:
        raise usage_failure(exc) from None
    found = [(pack, rule) for pack in packs for rule in pack.rules if rule.id == rule_id]
    if not found:
        ids = [rule.id for pack in packs for rule in pack.rules]
        close = difflib.get_close_matches(rule_id, ids, n=3, cutoff=0.5)
        raise UsageFailure(f"no rule {rule_id!r} in {len(packs)} packs"
                           + (f"; did you mean {', '.join(close)}?" if close else "; `flagger rules list` lists them"))
    pack, rule = found[0]
    try:
        doc = yaml.safe_load(Path(pack.path).read_text(encoding="utf-8")) if pack.path else None
    except (OSError, yaml.YAMLError):
        doc = None
    source = next((r for r in (doc or {}).get("rules") or [] if isinstance(r, dict) and r.get("id") == rule_id), None)
    if source is None:     # not readable as written: what the loader made of it
        source = {"id": rule.id, "title": rule.title, "category": rule.category, "severity": rule.severity,
                  "legal_basis": list(rule.legal_basis), "references": list(rule.references)}
    if as_json:
        click.echo(json.dumps({"pack": pack.id, "path": pack.path, "rule": source}, ensure_ascii=False, indent=2,
                              default=str))
        return
    click.echo(f"# {rule.id} — {rule.title}\n# pack {pack.id} ({pack.path})")
    click.echo(yaml.safe_dump(source, allow_unicode=True, sort_keys=False, width=100).rstrip())


@rules.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
def rules_validate(paths):
    """Check schema and cross-references of rule packs (exit 2 on the first error)."""
    try:
        packs = load_rule_packs(list(paths) or None)
        warnings = cross_check(packs)
    except FlaggerError as exc:
        raise usage_failure(exc) from None
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    n = sum(len(p.rules) for p in packs)
    click.echo(f"ok: {len(packs)} packs, {n} rules, {len(warnings)} warnings")


@rules.command("coverage")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
def rules_coverage(paths, as_json):
    """The concept x language table of the concept lexicon: how many terms each concept has in each
    language, and how many rules of the packs use it."""
    try:
        packs = load_rule_packs(list(paths) or None)
        table = coverage_table(bundled_lexicon(), packs)
    except FlaggerError as exc:
        raise usage_failure(exc) from None
    if as_json:
        click.echo(json.dumps(table, ensure_ascii=False, indent=2))
        return
    concepts = table["concepts"]
    width = max(8, *(len(c) + 1 for c in concepts))
    click.echo("lang " + "".join(f"{c:>{width}}" for c in concepts))
    for lang in table["languages"]:
        click.echo(f"{lang:<5}" + "".join(f"{table['counts'][c].get(lang, 0) or '-':>{width}}" for c in concepts))
    click.echo("rules" + "".join(f"{len(table['used_by'][c]):>{width}}" for c in concepts))
    click.echo(f"{len(table['complete_languages'])} of {len(table['languages'])} languages have every concept "
               f"the rules use: {' '.join(table['complete_languages'])}")


@rules.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--min-examples", default=0, show_default=True, help="Fail rules with fewer match/no_match examples.")
def rules_test(paths, min_examples):
    """Run every rule's embedded examples; report each failure with the rule id and why."""
    try:
        outcome = run_rule_tests(list(paths) or None, min_examples=min_examples)
    except FlaggerError as exc:
        raise usage_failure(exc) from None
    for failure in outcome.failures:
        click.echo(failure, err=False)
    click.echo(f"{outcome.passed} passed, {len(outcome.failures)} failed")
    sys.exit(1 if outcome.failures else 0)


@click.command()
@click.argument("labelled", type=click.Path(exists=True, dir_okay=False))
@click.option("--rules", "rules", multiple=True, type=click.Path())
@click.option("--entities", "entities", multiple=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def evaluate(labelled, rules, entities, as_json):
    """Precision, recall and F1 per level and per category on a labelled JSONL (fields label, categories)."""
    try:
        metrics = evaluate_file(labelled, rules=list(rules) or None, entities=list(entities))
    except FlaggerError as exc:
        raise usage_failure(exc) from None
    if as_json:
        click.echo(json.dumps(metrics, indent=2))
    else:
        click.echo(format_metrics(metrics))
