"""CI commands: `flagger baseline` (reviewed findings to suppress) and `flagger config` (effective settings)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
import yaml

from flagger.ci.baseline import create_baseline, findings_from_report_file, load_baseline, save_baseline
from flagger.cli.common import UsageFailure
from flagger.config import BY_NAME, check_gate_categories, format_settings, resolve_settings
from flagger.errors import FlaggerError
from flagger.rules.loader import load_rule_packs


# -- flagger baseline -----------------------------------------------------------------------------------
def _future_date(_ctx, _param, value):
    """--expires: a date (YYYY-MM-DD) today or later; an entry that has already expired would
    suppress nothing, so a past date is a usage error, not silently accepted."""
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if day < dt.date.today():
        raise click.BadParameter(f"{value} is in the past (today is {dt.date.today().isoformat()}): "
                                 "the entries would never suppress anything")
    return day.isoformat()


@click.group()
def baseline() -> None:
    """Record reviewed findings so later scans suppress them (see docs/ci.md)."""


@baseline.command("create")
@click.argument("report", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", default=".flagger-baseline.json", show_default=True,
              type=click.Path(dir_okay=False), help="Baseline file to write.")
@click.option("--reason", default="", help="Why these findings are accepted (stored in every new entry).")
@click.option("--expires", metavar="YYYY-MM-DD", callback=_future_date,
              help="Entries stop suppressing after this date (today or later).")
@click.option("--min-level", type=click.Choice(["low", "medium", "high", "critical"]),
              help="Record only findings at or above this level.")
@click.option("--merge/--no-merge", default=True, show_default=True,
              help="Keep the entries (and their reasons) already in OUTPUT.")
def baseline_create(report, output, reason, expires, min_level, merge):
    """Record every finding of REPORT (a -f json, jsonl or sarif report) by its fingerprint."""
    try:
        old = load_baseline(output) if merge and Path(output).exists() else None
        new = create_baseline(report, reason=reason, expires=expires, min_level=min_level, merge_with=old)
        save_baseline(new, output)
    except FlaggerError as exc:
        raise UsageFailure(str(exc)) from None
    added = len(new.entries) - (len(old.entries) if old else 0)
    n = len(new.entries)
    click.echo(f"{output}: {n} entr{'y' if n == 1 else 'ies'} ({added} new)", err=True)


@baseline.command("show")
@click.argument("path", type=click.Path(dir_okay=False), default=".flagger-baseline.json")
def baseline_show(path):
    """List a baseline's entries: fingerprint, rule, source, reason, expiry."""
    try:
        b = load_baseline(path)
    except FlaggerError as exc:
        raise UsageFailure(str(exc)) from None
    today = dt.date.today().isoformat()
    for e in b.entries:
        exp = e.get("expires") or ""
        flag = " EXPIRED" if exp and str(exp)[:10] < today else ""
        click.echo(f"{e['fingerprint'][:12]}  {e.get('rule', ''):<32} {e.get('source', '')}  "
                   f"{e.get('reason', '') or '-'}  {('expires ' + str(exp)) if exp else ''}{flag}")
    click.echo(f"{len(b.entries)} entries", err=True)


@baseline.command("prune")
@click.argument("report", type=click.Path(exists=True, dir_okay=False))
@click.option("-b", "--baseline", "path", default=".flagger-baseline.json", show_default=True,
              type=click.Path(dir_okay=False))
def baseline_prune(report, path):
    """Drop entries that match no finding of REPORT (a full, non-incremental -f json report)."""
    try:
        b = load_baseline(path)
        findings, carried = findings_from_report_file(report)
    except FlaggerError as exc:
        raise UsageFailure(str(exc)) from None
    live = {f.fingerprint for f in findings} | {c.get("fingerprint") for c in carried}
    before = len(b.entries)
    b.entries = [e for e in b.entries if e["fingerprint"] in live]
    save_baseline(b, path)
    click.echo(f"{path}: removed {before - len(b.entries)} stale entries, {len(b.entries)} left", err=True)


# -- flagger config ------------------------------------------------------------------------------------
@click.group()
def config() -> None:
    """Project settings: flagger.yaml or [tool.flagger] in pyproject.toml."""


@config.command("show")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this config file.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (values and origins).")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Show the effect of a command-line override (as `scan` would apply it).")
def config_show(config_path, as_json, overrides):
    """Print the effective settings and where each came from (default, file:line, command line)."""
    cli = {}
    for item in overrides:
        key, sep, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or key not in BY_NAME:
            raise UsageFailure(f"--set {item!r}: expected KEY=VALUE with KEY one of {', '.join(sorted(BY_NAME))}")
        parsed = yaml.safe_load(value) if value else None
        if BY_NAME[key].kind in ("paths", "fail_on") and not isinstance(parsed, list):
            parsed = [value]
        cli[key] = parsed
    try:
        settings = resolve_settings(cli, config_path)
        check_gate_categories(settings, {r.category for p in load_rule_packs(settings["rules"] or None)
                                         for r in p.rules})
    except FlaggerError as exc:
        raise UsageFailure(str(exc)) from None
    if as_json:
        click.echo(json.dumps({"config_file": settings.config_file,
                               "settings": {k: {"value": settings.values[k], "origin": settings.origins[k]}
                                            for k in settings.values}}, indent=2))
    else:
        click.echo(format_settings(settings))
