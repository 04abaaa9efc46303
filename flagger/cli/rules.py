"""`flagger rules list|validate|test` and `flagger evaluate`: the rule packs and their quality."""

from __future__ import annotations

import json
import sys

import click

from flagger.cli.common import usage_failure
from flagger.errors import FlaggerError
from flagger.quality.metrics import evaluate_file, format_metrics
from flagger.quality.rule_checks import cross_check
from flagger.quality.rule_examples import run_rule_tests
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
