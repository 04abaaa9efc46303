"""CI commands (`flagger baseline`, `flagger config`) and the pieces of `flagger scan` that a CI
pipeline relies on: effective settings, the gate, baselines, incremental state, the summary line
and the progress bar."""

from __future__ import annotations

import os
import sys

import click

from flagger.errors import FlaggerError


class UsageFailure(click.ClickException):
    exit_code = 2


# -- helpers used by `flagger scan` -------------------------------------------------------------------
def show_progress(mode: str) -> bool:
    """A progress bar only for a person watching: stderr is a terminal and this is not CI."""
    if mode == "never":
        return False
    if mode == "always":
        return True
    return sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


def with_progress(records, enabled: bool):
    if not enabled:
        yield from records
        return
    with click.progressbar(records, label="scanning", file=sys.stderr, show_pos=True,
                           item_show_func=lambda r: (r.title or r.id)[:40] if r is not None else "") as bar:
        yield from bar


def summary_lines(outcome, seconds: float) -> list[str]:
    counts = outcome.counts_by_level()
    flagged = " · ".join(f"{k} {counts[k]}" for k in ("low", "medium", "high", "critical"))
    parts = [f"{outcome.articles} articles", f"{outcome.errors} errors", f"flagged: {flagged}",
             f"{outcome.suppressed} suppressed"]
    if outcome.skipped_seen:
        parts.append(f"{outcome.skipped_seen} already seen")
    if outcome.duplicates:
        parts.append(f"{outcome.duplicates} copies grouped")
    parts += [f"{seconds:.2f} s", f"exit {outcome.exit_code}"]
    lines = ["flagger: " + " · ".join(parts)]
    if outcome.n_failing:
        lines.append(f"flagger: gate failed ({outcome.gate.describe()}): {outcome.n_failing} article(s)")
        for v in outcome.failing[:10]:
            rec = v.result.record
            lines.append(f"  {v.result.level:<8} {v.result.score:5.1f}  {rec.url or rec.id}: {'; '.join(v.reasons)}")
        if outcome.n_failing > len(outcome.failing):
            lines.append(f"  … and {outcome.n_failing - len(outcome.failing)} more")
    for e in outcome.expired_baseline:
        lines.append(f"flagger: baseline entry for {e.get('rule')} in {e.get('source')} expired on {e.get('expires')}"
                     f" — no longer suppressed ({e['fingerprint'][:12]})")
    if outcome.stale_baseline:
        lines.append(f"flagger: {len(outcome.stale_baseline)} baseline entr"
                     f"{'y' if len(outcome.stale_baseline) == 1 else 'ies'} no longer match any finding "
                     "(remove with `flagger baseline prune`):")
        for e in outcome.stale_baseline[:10]:
            lines.append(f"  {e['fingerprint'][:12]} {e.get('rule', '')} {e.get('source', '')}")
    return lines


# -- flagger baseline -----------------------------------------------------------------------------------
@click.group()
def baseline() -> None:
    """Record reviewed findings so later scans suppress them (see docs/ci.md)."""


@baseline.command("create")
@click.argument("report", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", default=".flagger-baseline.json", show_default=True,
              type=click.Path(dir_okay=False), help="Baseline file to write.")
@click.option("--reason", default="", help="Why these findings are accepted (stored in every new entry).")
@click.option("--expires", metavar="YYYY-MM-DD", help="Entries stop suppressing after this date.")
@click.option("--min-level", type=click.Choice(["low", "medium", "high", "critical"]),
              help="Record only findings at or above this level.")
@click.option("--merge/--no-merge", default=True, show_default=True,
              help="Keep the entries (and their reasons) already in OUTPUT.")
def baseline_create(report, output, reason, expires, min_level, merge):
    """Record every finding of REPORT (a -f json, jsonl or sarif report) by its fingerprint."""
    from pathlib import Path

    from flagger.ci.baseline import create_baseline, load_baseline, save_baseline

    try:
        old = load_baseline(output) if merge and Path(output).exists() else None
        new = create_baseline(report, reason=reason, expires=expires, min_level=min_level, merge_with=old)
        save_baseline(new, output)
    except FlaggerError as exc:
        raise UsageFailure(str(exc)) from None
    added = len(new.entries) - (len(old.entries) if old else 0)
    click.echo(f"{output}: {len(new.entries)} entries ({added} new)", err=True)


@baseline.command("show")
@click.argument("path", type=click.Path(dir_okay=False), default=".flagger-baseline.json")
def baseline_show(path):
    """List a baseline's entries: fingerprint, rule, source, reason, expiry."""
    import datetime as dt

    from flagger.ci.baseline import load_baseline

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
    from flagger.ci.baseline import findings_from_report_file, load_baseline, save_baseline

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
    import json

    import yaml

    from flagger.config import BY_NAME, format_settings, resolve_settings

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
    except FlaggerError as exc:
        raise UsageFailure(str(exc)) from None
    if as_json:
        click.echo(json.dumps({"config_file": settings.config_file,
                               "settings": {k: {"value": settings.values[k], "origin": settings.origins[k]}
                                            for k in settings.values}}, indent=2))
    else:
        click.echo(format_settings(settings))
