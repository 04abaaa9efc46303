"""`flagger lists ...`: import official sanctions lists into Parquet, and download their newest versions.

    flagger lists formats
    flagger lists import [--format FORMAT] [--partial] SRC... -o lists.parquet
    flagger lists update [--config lists.toml] [--url NAME=URL ...] [--dest DIR] [--only NAME ...]

This module only reads the options and prints; the download logic (sources table, conditional
GET through flagger.http, atomic replacement) is flagger.entities.update.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import click
import polars as pl

from flagger.cli.common import UsageFailure
from flagger.entities._common import ImportStats
from flagger.entities.formats import DESCRIPTIONS, FORMATS, read_entities, write_parquet_atomic
from flagger.entities.update import (
    UPDATE_FETCH,
    ListUpdate,
    SourceError,
    build_default_list,
    default_list_stale,
    load_sources,
    select_sources,
    update_lists,
)
from flagger.errors import EntityListError
from flagger.paths import lists_dir


@click.group("lists")
def lists() -> None:
    """Import and update official sanctions lists (OFAC, UN, EU, UK, US CSL, OpenSanctions)."""


@lists.command("formats")
def formats_cmd() -> None:
    """List the formats `lists import` and `--entities` understand."""
    for name, text in DESCRIPTIONS.items():
        click.echo(f"{name:18} {text}")


@lists.command("import")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="Format of SRC (default: detected from name and first bytes).")
@click.option("--partial", is_flag=True, help="Import an OFAC CSV set even if alt/add/comments files are missing.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Parquet file to write (replaced atomically).")
@click.argument("src", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_cmd(fmt: str | None, partial: bool, output: Path, src: tuple[Path, ...]) -> None:
    """Import SRC list files into one canonical entity Parquet."""
    stats = ImportStats()
    started = time.perf_counter()
    try:
        frame = read_entities(list(src), format=fmt, stats=stats, partial=partial)
    except EntityListError as exc:      # a list that cannot be imported as given: a usage error (exit 2)
        raise UsageFailure(str(exc)) from exc
    elapsed = time.perf_counter() - started
    # ids are unique within a list; one party may be on several lists (OFAC SDN and non-SDN)
    dup = frame.filter(pl.struct("list", "id").is_duplicated())
    if dup.height:
        raise click.ClickException(f"{dup['id'].n_unique()} id(s) occur more than once in the same list, "
                                   f"e.g. {dup['id'][0]!r} in {dup['list'][0]!r}: was a list given twice?")
    try:
        write_parquet_atomic(frame, output)
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write: {exc}") from exc
    click.echo(f"{frame.height} entities from {len(src)} source(s) in {elapsed:.2f}s -> {output}")
    by_list = Counter(frame["list"].to_list())
    by_type = Counter(frame["type"].to_list())
    click.echo("by type: " + ", ".join(f"{t} {n}" for t, n in sorted(by_type.items())))
    click.echo("by list:")
    for name, n in sorted(by_list.items()):
        click.echo(f"  {name}: {n}")
    for reason, n in sorted(stats.skipped.items()):
        click.echo(f"skipped {n} row(s): {reason}")
    for warning in stats.warnings:
        click.echo(f"warning: {warning}", err=True)


@lists.command("update")
@click.option("--config", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="TOML or YAML file: [lists.NAME] url = ..., file = ... (NAME = false disables a default).")
@click.option("--url", "urls", multiple=True, metavar="NAME=URL", help="Override or add a list URL (repeatable).")
@click.option("--only", multiple=True, metavar="NAME", help="Update only these lists (repeatable).")
@click.option("--dest", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the downloaded files (default $FLAGGER_LISTS_DIR or ~/.cache/flagger/lists).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=UPDATE_FETCH.timeout,
              show_default=True, help="Seconds per try, for all of it: connecting, the headers and the whole file.")
@click.option("--retries", type=click.IntRange(min=0), default=UPDATE_FETCH.retries, show_default=True,
              help="Retries after a failure (5xx, 408, 429, timeout, broken or cut-off download).")
@click.option("--backoff", type=click.FloatRange(min=0), default=UPDATE_FETCH.backoff, show_default=True,
              help="First retry delay in seconds; doubles each retry (a server's Retry-After wins).")
@click.option("--no-validate", is_flag=True,
              help="Replace the old file without first checking that the download is a readable list.")
def update_cmd(config, urls, only, dest, timeout, retries, backoff, no_validate) -> None:
    """Download the newest official lists (conditional GET; atomic replace; one line per list)."""
    try:
        sources = select_sources(load_sources(config, urls), only)
    except SourceError as exc:
        raise click.BadParameter(str(exc), param_hint=exc.option) from exc
    result = update_lists(sources.values(), dest, validate=not no_validate,
                          fetch=replace(UPDATE_FETCH, timeout=timeout, retries=retries, backoff=backoff),
                          log=lambda line: click.echo(line, err=True), on_list=_print_outcome)
    if default_list_stale(result):
        try:
            target, meta = build_default_list(result.dest)
        except EntityListError as exc:
            click.echo(f"default entity list not built (scans keep the one they use): {exc}", err=True)
        else:
            dated = ", ".join(f"{s['name']} of {s['date']}" for s in meta["sources"] if s.get("date"))
            click.echo(f"default entity list: {meta['entities']:,} entities from {dated} and the curated "
                       f"additions ({target}){_unused(target)}")
    if result.failed:
        click.echo(f"{len(result.failed)} of {len(result.lists)} list(s) failed", err=True)
        sys.exit(1)


def _unused(target: Path) -> str:
    """Said when scans will not read the list just built (a --dest other than the lists cache)."""
    cache = lists_dir()
    return "" if target.parent.resolve() == cache.resolve() else (
        f"; scans read the default list from {cache} ($FLAGGER_LISTS_DIR), not from --dest")


def _print_outcome(outcome: ListUpdate) -> None:
    if outcome.failed:
        click.echo(f"{outcome.name}: FAILED: {outcome.error}", err=True)
    else:
        click.echo(f"{outcome.name}: {outcome.status} ({outcome.path})")


__all__ = ["lists"]
