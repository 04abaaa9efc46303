"""`flagger scan`: options in, a `ScanRequest` to the pipeline, its exit code out."""

from __future__ import annotations

import contextlib
import datetime
import functools
import signal
import sys
import threading
import time

import click

from flagger.api import Scanner
from flagger.ci.baseline import load_baseline
from flagger.ci.gate import GateSpecError, parse_fail_on
from flagger.ci.state import load_state
from flagger.cli.common import EXIT_CODES_HELP, UsageFailure, usage_failure
from flagger.cli.progress import count_articles, show_progress, summary_lines, use_color, with_progress
from flagger.config import check_gate_categories, resolve_settings, select_rules
from flagger.entities.loading import stale_default_warning
from flagger.errors import FlaggerError
from flagger.http import FetchOptions
from flagger.output import OutputError, check_outputs, output_locks
from flagger.paths import bundled_rules_dir
from flagger.pipeline import ScanRequest, Target, run_scan
from flagger.report.registry import FORMATS, format_for_path
from flagger.report.safe import terminal_text
from flagger.rules.loader import load_rule_packs
from flagger.sources.decode import ReadOptions, check_encoding

REPORT_FORMATS = list(FORMATS)


def _check_encoding(_ctx, _param, value):
    if value is None:
        return None
    try:
        return check_encoding(value)
    except LookupError:
        raise click.BadParameter(f"unknown encoding {value!r}") from None


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1, required=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Project config file. Default: flagger.yaml or pyproject.toml [tool.flagger], searched upwards.")
@click.option("--no-config", is_flag=True, help="Ignore project config files.")
@click.option("--rules", "rules", multiple=True, type=click.Path(), help="Rule pack file or folder (repeatable). Default: bundled packs.")
@click.option("--entities", "entities", multiple=True, type=click.Path(), help="Entity list to add (repeatable).")
@click.option("--default-entities/--no-default-entities", default=None,
              help="Load the bundled default entity list (default: yes).")
@click.option("-f", "--format", "fmt", type=click.Choice(REPORT_FORMATS),
              help="Report format. Default: from -o's extension, else table in a terminal and csv in a pipe. "
                   "csv and jsonl (and --hits) are written while scanning, so memory stays flat however many "
                   "articles; the others keep every result in memory until the end (they nest or rank).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here (default: stdout).")
@click.option("--report", "extra_reports", multiple=True, metavar="[FORMAT:]PATH",
              help="Also write the report to PATH, in the format of its extension (.sarif, .xml = junit, .html, "
                   ".md, .json, .jsonl, .csv) or FORMAT: (repeatable) — one scan, every CI artefact.")
@click.option("--hits", "hits_path", type=click.Path(dir_okay=False), help="Also write one row per hit (CSV, or JSONL by extension).")
@click.option("--fail-on", multiple=True, metavar="LEVEL|CATEGORY=LEVEL",
              help="Exit 1 when an article reaches LEVEL (low|medium|high|critical); CATEGORY=LEVEL gates one "
                   "category on its own findings, CATEGORY=off only warns. Repeatable, or comma-separated.")
@click.option("--min-score", type=click.FloatRange(0, 100), help="Exit 1 when an article reaches this score.")
@click.option("--allow-errors/--no-allow-errors", default=None, help="Do not exit 3 when some inputs could not be read.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Suppress the reviewed findings recorded in this baseline file.")
@click.option("--state", "state_path", type=click.Path(dir_okay=False),
              help="Incremental runs: scan only articles not in this state file (updated after a completed run).")
@click.option("--dedupe/--no-dedupe", default=None, help="Group syndicated copies of a story (default: yes).")
@click.option("--timeout", type=click.FloatRange(0.1, 600), help="Seconds per network try (default 20).")
@click.option("--retries", type=click.IntRange(0, 10), help="Network retries with backoff (default 3).")
@click.option("--user-agent", help="User-Agent for network fetches.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: only when stderr is a terminal, never in CI).")
@click.option("--select", "select", multiple=True, metavar="RULE-OR-CATEGORY",
              help="Scan with only the rules whose id or category matches (fnmatch: 'dprk.*', 'arms-embargo'; "
                   "repeatable or comma-separated).")
@click.option("--ignore", "ignore", multiple=True, metavar="RULE-OR-CATEGORY",
              help="Leave out the rules whose id or category matches (fnmatch; repeatable or comma-separated).")
@click.option("--entity-threshold", type=click.FloatRange(0, 100), default=None,
              help="Minimum similarity for an entity-name match (default 90).")
@click.option("--explain", is_flag=True,
              help="Show how each score was made: in the table (also when piped: with no -f/-o the report is "
                   "then the table), in a Markdown section, and as score_explanation in JSON (always).")
@click.option("--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the table: auto = only on a terminal and when NO_COLOR is not set.")
@click.option("--min-level", type=click.Choice(["low", "medium", "high", "critical"]), default=None,
              help="Leave the articles below LEVEL out of the report (unreadable inputs always stay; the summary "
                   "says how many were left out; the gate and the counts still cover every article).")
@click.option("--html-include-none", is_flag=True,
              help="List the articles with no finding in the HTML report too (by default they are counted, not shown).")
@click.option("--quiet", "-q", is_flag=True, help="No summary line on stderr.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True,
              help="Scan with this many processes (0 = one per CPU). Same report, in the same order.")
@click.option("--max-article-bytes", type=click.IntRange(min=1), default=10 * 1024 * 1024, show_default=True,
              help="Largest article (text file, JSONL line, CSV line, text value) scanned; a larger one is an "
                   "error row (exit 3), never silently truncated. A .json document may be 10x this.")
@click.option("--encoding", callback=_check_encoding, metavar="CODEC",
              help="Decode text inputs with this codec (e.g. latin-1, cp1252). Default: UTF-8, or UTF-16 with a "
                   "BOM; other bytes are an error naming file, line and byte offset.")
def scan(inputs, config_path, no_config, rules, entities, default_entities, fmt, output, extra_reports, hits_path, fail_on,
         min_score, allow_errors, baseline_path, state_path, dedupe, timeout, retries, user_agent, progress,
         select, ignore, entity_threshold, explain, color, min_level, html_include_none, quiet, jobs, max_article_bytes, encoding):
    """Scan articles: files, folders, JSONL/JSON/CSV/Parquet, RSS/Atom feeds and web pages (files or
    URLs), a .txt list of feed URLs, or - for stdin."""
    t0 = time.perf_counter()
    extras = [Target(f, p) for f, p in _extra_reports(extra_reports)]
    if fmt is None and output:   # -o report.sarif on the command line beats a config file's format
        fmt = format_for_path(output)
    locks = contextlib.ExitStack()     # held from before the state is read until the run is written
    try:
        settings = resolve_settings(dict(
            rules=rules, entities=entities, default_entities=default_entities, format=fmt, output=output,
            fail_on=fail_on, min_score=min_score, allow_errors=allow_errors, baseline=baseline_path,
            state=state_path, dedupe=dedupe, timeout=timeout, retries=retries, user_agent=user_agent,
            progress=None if progress is None else ("always" if progress else "never"),
            entity_threshold=entity_threshold), config_path, no_config=no_config)
        for warning in settings.warnings():
            click.echo(f"flagger: warning: {warning}", err=True)
        gate = parse_fail_on(settings["fail_on"], settings["min_score"])
        baseline = load_baseline(settings["baseline"]) if settings["baseline"] else None
        scanner = Scanner(rules=rule_packs(settings, select, ignore), entities=list(settings["entities"]),
                          default_entities=settings["default_entities"],
                          entity_threshold=settings["entity_threshold"],
                          owns_process=True,     # this process exists for the scan (the collector: ArticleScanner)
                          load_index=jobs == 1)  # --jobs: the first worker loads it while this process reads
        check_gate_categories(settings, {rule.category for rule in scanner.rules})
        stale = stale_default_warning(scanner.entity_lists, datetime.date.today())
        if stale:
            click.echo(f"flagger: warning: {stale}", err=True)
    except GateSpecError as exc:
        raise UsageFailure(str(exc)) from None
    except FlaggerError as exc:
        raise usage_failure(exc) from None
    fmt, output = settings["format"], settings["output"]
    if fmt is None:
        fmt = format_for_path(output) or ("table" if output is None and (sys.stdout.isatty() or explain) else "csv")
    try:
        fetch = FetchOptions(timeout=settings["timeout"], retries=settings["retries"],
                             user_agent=settings["user_agent"])
    except ValueError as exc:
        raise UsageFailure(f"network settings: {exc}") from None
    try:
        check_outputs(inputs, {"-o": output, "--hits": hits_path, "--state": settings["state"],
                               **{f"--report {t.path}": t.path for t in extras}})
    except OutputError as exc:
        raise UsageFailure(str(exc)) from None
    _exit_cleanly_on_sigterm()
    try:       # the state is read under the lock, so two runs cannot both read it and one lose its save
        locks.enter_context(output_locks([settings["state"], output, hits_path, *(t.path for t in extras)]))
        state = load_state(settings["state"]) if settings["state"] else None
    except FlaggerError as exc:
        locks.close()
        raise usage_failure(exc) from None
    request = ScanRequest(
        inputs=list(inputs), read_options=ReadOptions(max_article_bytes=max_article_bytes, encoding=encoding, fetch=fetch),
        gate=gate, allow_errors=settings["allow_errors"], baseline=baseline, state=state,
        dedupe=settings["dedupe"], jobs=jobs,
        targets=[Target(fmt, output), *extras], hits_path=hits_path, keep=bool(extras), explain=explain,
        color=output in (None, "-") and use_color(color, sys.stdout),
        report_options={"include_none": html_include_none, "min_level": min_level},
        progress=(functools.partial(with_progress, total=count_articles(inputs))
                  if show_progress(settings["progress"]) else None),
        run_options={"format": fmt, "output": output, "hits": hits_path, "allow_errors": settings["allow_errors"],
                     "explain": explain, "cli": dict(click.get_current_context().params),
                     "config_file": settings.config_file, "baseline": settings["baseline"],
                     "state": settings["state"], "dedupe": settings["dedupe"],
                     "dedupe_similarity": settings["dedupe_similarity"]})   # what `flagger verify` replays
    try:
        with locks:
            run = run_scan(scanner, request)
    except OutputError as exc:         # disk full, read-only, a parent that is a file: exit 2, not a "bug"
        raise UsageFailure(str(exc)) from None
    lines = summary_lines(run.outcome, time.perf_counter() - t0, min_level=min_level)
    lines += _skipped_lines(run.outcome.skipped_files)
    for line in (_reasons_only(lines, run.outcome) if quiet else lines):
        click.echo(line, err=True)
    sys.exit(run.exit_code)


def _skipped_lines(skipped: list[str]) -> list[str]:
    """Files a folder walk did not read: said, never silent (name one on the command line to read
    it as text)."""
    if not skipped:
        return []
    shown = ", ".join(terminal_text(p) for p in skipped[:5]) + (f", … and {len(skipped) - 5} more"
                                                                 if len(skipped) > 5 else "")
    return [f"flagger: {len(skipped)} file(s) in the scanned folders were not read (dot-files, or not an "
            f"article type; name one on the command line to read it as text): {shown}"]


def _reasons_only(lines: list[str], outcome) -> list[str]:
    """What -q still prints: why the run did not pass (a CI log must show the reason of a red run)."""
    out, inside = [], False
    for line in lines:
        if line.startswith("flagger: "):
            inside = line.startswith("flagger: gate failed")
        if inside:
            out.append(line)
    if outcome.errors and outcome.exit_code == 3:
        out.insert(0, f"flagger: {outcome.errors} input(s) could not be read (exit 3; see the error column)")
    return out


def rule_packs(settings, select=(), ignore=()):
    """The rule packs to scan with: `rules` (the bundled packs when empty) plus `extend_rules`,
    narrowed by --select/--ignore; None = the bundled packs as they are."""
    paths = list(settings["rules"])
    if settings.get("extend_rules"):
        paths = (paths or [str(bundled_rules_dir())]) + list(settings["extend_rules"])
    if not select and not ignore:
        return paths or None
    return select_rules(load_rule_packs(paths or None), select, ignore)


def _extra_reports(items) -> list[tuple[str, str]]:
    out = []
    for item in items:
        head, sep, rest = item.partition(":")
        if sep and head in REPORT_FORMATS and rest:
            out.append((head, rest))
            continue
        fmt = format_for_path(item)
        if fmt is None:
            raise UsageFailure(f"--report {item}: cannot tell the format from the extension; "
                               f"write FORMAT:PATH with FORMAT one of {', '.join(REPORT_FORMATS)}")
        out.append((fmt, item))
    return out


def _exit_cleanly_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so half-written report files are removed, not left behind."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
