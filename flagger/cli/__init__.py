"""The `flagger` command: a thin layer that parses options, calls the library, maps to exit codes."""

from __future__ import annotations

import sys
import time

import click

from flagger.errors import FlaggerError

EXIT_CODES_HELP = """\b
Exit codes:
  0  scanned, nothing at or above the gate
  1  findings at or above --fail-on LEVEL / CATEGORY=LEVEL / --min-score N
     (baseline-suppressed findings never count)
  2  usage, rule or configuration error
  3  some inputs could not be read (even if others scanned)
  4  internal error (a bug in flagger: never mistaken for findings or a pass)"""

FORMAT_BY_SUFFIX = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".md": "markdown",
                    ".txt": "table", ".sarif": "sarif", ".xml": "junit",
                    ".html": "html", ".htm": "html"}
REPORT_FORMATS = ["table", "csv", "json", "jsonl", "markdown", "sarif", "junit", "html"]


class UsageFailure(click.ClickException):
    exit_code = 2


def _fail(exc: FlaggerError) -> UsageFailure:
    return UsageFailure(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="flagger")
def main() -> None:
    """flagger: sanctions-compliance risk flagger.

    YAML rules fuzzy-matched against article text and sanctions entity lists, producing a scored,
    explained risk report.
    """


@main.command(epilog=EXIT_CODES_HELP)
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
@click.option("--entity-threshold", type=click.FloatRange(0, 100), default=None,
              help="Minimum similarity for an entity-name match (default 90).")
@click.option("--explain", is_flag=True, help="Show how each score was made (table format).")
@click.option("--quiet", "-q", is_flag=True, help="No summary line on stderr.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True,
              help="Scan with this many processes (0 = one per CPU). Same report, in the same order.")
@click.option("--max-article-bytes", type=click.IntRange(min=1), default=10 * 1024 * 1024, show_default=True,
              help="Largest article (text file, JSONL line, CSV line, text value) scanned; a larger one is an "
                   "error row (exit 3), never silently truncated. A .json document may be 10x this.")
@click.option("--encoding", callback=lambda _c, _p, v: _check_encoding(v), metavar="CODEC",
              help="Decode text inputs with this codec (e.g. latin-1, cp1252). Default: UTF-8, or UTF-16 with a "
                   "BOM; other bytes are an error naming file, line and byte offset.")
def scan(inputs, config_path, no_config, rules, entities, default_entities, fmt, output, extra_reports, hits_path, fail_on,
         min_score, allow_errors, baseline_path, state_path, dedupe, timeout, retries, user_agent, progress,
         entity_threshold, explain, quiet, jobs, max_article_bytes, encoding):
    """Scan articles: files, folders, JSONL/JSON/CSV/Parquet, RSS/Atom feeds and web pages (files or
    URLs), a .txt list of feed URLs, or - for stdin."""
    from pathlib import Path

    from flagger.ci.gate import GateSpecError, evaluate, parse_fail_on
    from flagger.cli import ci as cli_ci
    from flagger.config import resolve_settings
    from flagger.output import atomic_text_writer
    from flagger.report import write_report
    from flagger.scanner import Scanner
    from flagger.sources import feeds, read_inputs

    t0 = time.perf_counter()
    extras = _extra_reports(extra_reports)
    if fmt is None and output:   # -o report.sarif on the command line beats a config file's format
        fmt = FORMAT_BY_SUFFIX.get(Path(output).suffix.lower())
    try:
        settings = resolve_settings(dict(
            rules=rules, entities=entities, default_entities=default_entities, format=fmt, output=output,
            fail_on=fail_on, min_score=min_score, allow_errors=allow_errors, baseline=baseline_path,
            state=state_path, dedupe=dedupe, timeout=timeout, retries=retries, user_agent=user_agent,
            progress=None if progress is None else ("always" if progress else "never"),
            entity_threshold=entity_threshold), config_path, no_config=no_config)
        gate = parse_fail_on(settings["fail_on"], settings["min_score"])
        baseline = state = None
        if settings["baseline"]:
            from flagger.ci.baseline import load_baseline

            baseline = load_baseline(settings["baseline"])
        if settings["state"]:
            from flagger.ci.state import load_state

            state = load_state(settings["state"])
        scanner = Scanner(rules=list(settings["rules"]) or None, entities=list(settings["entities"]),
                          default_entities=settings["default_entities"],
                          entity_threshold=settings["entity_threshold"])
    except GateSpecError as exc:
        raise UsageFailure(str(exc)) from None
    except FlaggerError as exc:
        raise _fail(exc) from None
    fmt, output, allow_errors = settings["format"], settings["output"], settings["allow_errors"]
    if fmt is None:
        suffix = Path(output).suffix.lower() if output else ""
        fmt = FORMAT_BY_SUFFIX.get(suffix) or ("table" if output is None and sys.stdout.isatty() else "csv")
    feeds.configure(timeout=settings["timeout"], retries=settings["retries"], user_agent=settings["user_agent"])
    from flagger.ci.gate import Evaluator
    from flagger.report.streaming import STREAMING_FORMATS, stream_report
    from flagger.sources.decode import ReadOptions

    _exit_cleanly_on_sigterm()
    records = read_inputs(list(inputs), options=ReadOptions(max_article_bytes=max_article_bytes, encoding=encoding))
    if state is not None:
        records = state.filter_new(records)
    dup_count = None
    if settings["dedupe"]:
        from flagger.sources.dedupe import collapse_in_chunks

        records, dup_count = collapse_in_chunks(records, settings["dedupe_similarity"])
    records = cli_ci.with_progress(records, cli_ci.show_progress(settings["progress"]))
    run_options = {"format": fmt, "output": output, "hits": hits_path, "allow_errors": allow_errors,
                   "explain": explain, "cli": dict(click.get_current_context().params),
                   "config_file": settings.config_file, "baseline": settings["baseline"], "state": settings["state"],
                   "dedupe": settings["dedupe"], "dedupe_similarity": settings["dedupe_similarity"]}  # verify replays
    thresholds = {"fail_on": gate.fail_on, "min_score": gate.min_score, "gate": gate.describe(),
                  "fail_on_categories": {k: v or "off" for k, v in gate.categories.items()}}
    if fmt in STREAMING_FORMATS and not extras:   # written while scanning: memory does not grow with the input
        from flagger.report.provenance import write_sidecar

        started = time.time()
        evaluator = Evaluator(gate, allow_errors=allow_errors, baseline=baseline, partial=state is not None,
                              keep=False)
        if jobs != 1:
            from flagger.scale.parallel import scan_parallel

            results = scan_parallel(scanner, records, jobs=jobs or None)
        else:
            results = scanner.scan_iter(records)
        tally = stream_report(evaluator(results), fmt, output, hits_path)
        outcome = evaluator.finish()
        if output and output != "-":
            write_sidecar(output, tally.provenance(scanner, inputs=list(inputs), started=started,
                                                   seconds=time.perf_counter() - t0, options=run_options,
                                                   thresholds=thresholds))
        report = None
    else:
        report = scanner.scan(records, jobs=jobs)
        report.rules = scanner.rules
        report.seconds = time.perf_counter() - t0
        outcome = evaluate(report, gate, allow_errors=allow_errors, baseline=baseline, partial=state is not None)
        from flagger.report.provenance import INLINE_FORMATS, add_run_context, write_sidecar

        add_run_context(report, inputs=list(inputs), started=time.time() - report.seconds, seconds=report.seconds,
                        options=run_options, thresholds=thresholds)
        with atomic_text_writer(output, newline="" if fmt == "csv" else None) as stream:
            write_report(report, fmt, stream, color=output is None and sys.stdout.isatty(), explain=explain)
        if output and output != "-" and fmt not in INLINE_FORMATS:
            write_sidecar(output, report.provenance)  # CSV etc. stay clean; `flagger verify` reads this
        for extra_fmt, extra_path in extras:
            with atomic_text_writer(extra_path, newline="" if extra_fmt == "csv" else None) as stream:
                write_report(report, extra_fmt, stream, color=False, explain=explain)
            if extra_fmt not in INLINE_FORMATS:
                write_sidecar(extra_path, report.provenance)  # every artefact can be verified on its own
        if hits_path:
            _write_hits(report, hits_path)
    outcome.skipped_seen = state.skipped if state is not None else 0
    outcome.duplicates = dup_count() if dup_count is not None else 0
    code = outcome.exit_code
    if state is not None and code in (0, 1):
        state.save()              # only a completed run moves the state forward
    if not quiet:
        for line in cli_ci.summary_lines(outcome, time.perf_counter() - t0):
            click.echo(line, err=True)
    sys.exit(code)


def _extra_reports(items) -> list[tuple[str, str]]:
    from pathlib import Path

    out = []
    for item in items:
        head, sep, rest = item.partition(":")
        if sep and head in REPORT_FORMATS and rest:
            out.append((head, rest))
            continue
        fmt = FORMAT_BY_SUFFIX.get(Path(item).suffix.lower())
        if fmt is None:
            raise UsageFailure(f"--report {item}: cannot tell the format from the extension; "
                               f"write FORMAT:PATH with FORMAT one of {', '.join(REPORT_FORMATS)}")
        out.append((fmt, item))
    return out


def _write_hits(report, hits_path: str) -> None:
    import json
    from pathlib import Path

    from flagger.output import atomic_text_writer
    from flagger.report.csv_report import write_hits
    from flagger.report.json_report import article_object

    if Path(hits_path).suffix.lower() in (".jsonl", ".ndjson"):
        with atomic_text_writer(hits_path) as stream:
            for r in report.results:
                for h in article_object(r, explain=False)["hits"]:
                    stream.write(json.dumps(h, ensure_ascii=False) + "\n")
    else:
        with atomic_text_writer(hits_path, newline="") as stream:
            write_hits(report, stream)


def _check_encoding(value):
    if value is None:
        return None
    from flagger.sources.decode import check_encoding

    try:
        return check_encoding(value)
    except LookupError:
        raise click.BadParameter(f"unknown encoding {value!r}") from None


def _exit_cleanly_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so half-written report files are removed, not left behind."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


@main.group()
def rules() -> None:
    """Inspect, validate and test rule packs."""


@rules.command("list")
@click.argument("paths", nargs=-1, type=click.Path())
def rules_list(paths):
    """Print each rule's id, category, severity and legal basis."""
    from flagger.rules import load_rule_packs

    try:
        packs = load_rule_packs(list(paths) or None)
    except FlaggerError as exc:
        raise _fail(exc) from None
    for pack in packs:
        click.echo(f"{pack.id}  ({pack.path}, {len(pack.rules)} rules)")
        for rule in pack.rules:
            click.echo(f"  {rule.id:<36} {rule.category:<22} {rule.severity:<9} {' | '.join(rule.legal_basis)}")


@rules.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
def rules_validate(paths):
    """Check schema and cross-references of rule packs (exit 2 on the first error)."""
    from flagger.quality.rule_checks import cross_check
    from flagger.rules import load_rule_packs

    try:
        packs = load_rule_packs(list(paths) or None)
        warnings = cross_check(packs)
    except FlaggerError as exc:
        raise _fail(exc) from None
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    n = sum(len(p.rules) for p in packs)
    click.echo(f"ok: {len(packs)} packs, {n} rules, {len(warnings)} warnings")


@rules.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--min-examples", default=0, show_default=True, help="Fail rules with fewer match/no_match examples.")
def rules_test(paths, min_examples):
    """Run every rule's embedded examples; report each failure with the rule id and why."""
    from flagger.quality.rule_examples import run_rule_tests

    try:
        outcome = run_rule_tests(list(paths) or None, min_examples=min_examples)
    except FlaggerError as exc:
        raise _fail(exc) from None
    for failure in outcome.failures:
        click.echo(failure, err=False)
    click.echo(f"{outcome.passed} passed, {len(outcome.failures)} failed")
    sys.exit(1 if outcome.failures else 0)


@main.command()
@click.argument("labelled", type=click.Path(exists=True, dir_okay=False))
@click.option("--rules", "rules", multiple=True, type=click.Path())
@click.option("--entities", "entities", multiple=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def evaluate(labelled, rules, entities, as_json):
    """Precision, recall and F1 per level and per category on a labelled JSONL (fields label, categories)."""
    from flagger.quality.metrics import evaluate_file, format_metrics

    try:
        metrics = evaluate_file(labelled, rules=list(rules) or None, entities=list(entities))
    except FlaggerError as exc:
        raise _fail(exc) from None
    if as_json:
        import json

        click.echo(json.dumps(metrics, indent=2))
    else:
        click.echo(format_metrics(metrics))


def _add_optional_commands() -> None:
    """Command groups that live in their own modules."""
    import importlib

    for module, names in (("flagger.cli.lists", ("lists",)), ("flagger.cli.names", ("names", "screen", "lists")),
                          ("flagger.cli.ci", ("baseline", "config")), ("flagger.quality.replay", ("verify",))):
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        for name in names:
            cmd = getattr(mod, name, None)
            if isinstance(cmd, click.Command):
                if name in main.commands and isinstance(main.commands[name], click.Group) and isinstance(cmd, click.Group):
                    for sub in cmd.commands.values():
                        main.commands[name].add_command(sub)
                else:
                    main.add_command(cmd, name)


_add_optional_commands()


def entry() -> None:
    """The console script: `main`, with an unexpected exception turned into exit 4 (not Python's
    default 1, which a CI gate would read as "findings")."""
    import traceback

    try:
        main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception:  # a bug: say so, keep the traceback, never look like a gate verdict
        traceback.print_exc()
        click.echo("flagger: internal error (exit 4); the traceback above says where. Please report it.", err=True)
        sys.exit(4)
