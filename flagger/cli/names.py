"""Name-matching commands: `flagger names compare|search` and `flagger screen`.

    flagger names compare "Kim Jong-un" "Kim Chong Un"
    flagger names compare pairs.csv -o scores.csv [--threshold 80]
    flagger names search "KIM JONG UN" [--entities PATH ...]
    flagger screen records.csv [--entities PATH ...] [-o matches.csv|.json]

`flagger.cli` adds the `names` group and the `screen` command; a `lists` group holding
`search` is also exported for merging into `flagger lists`.

Similarity is on one scale everywhere, 0-100 (as `flagger scan --entity-threshold` and the
report's `similarity`): the `score` column of `names compare` and `screen`, `names search`, and
every --threshold; a threshold of 1 or less is read on the old 0-1 scale (deprecated: a note on
stderr says so).

Exit codes of `screen`: 0 no record matched, 1 a record matched at or above the threshold,
2 usage error (bad option, unreadable list or records file), 3 some input rows could not be
read (no name, wrong number of fields) even if the others were screened.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click
import polars as pl

from flagger.ci.gate import EXIT_FINDINGS, EXIT_INPUT_ERRORS, EXIT_OK
from flagger.cli.common import UsageFailure
from flagger.engine.compile import name_index
from flagger.entities.loading import load_entity_lists
from flagger.errors import FlaggerError
from flagger.names.compare import DEFAULT_THRESHOLD, compare_names
from flagger.names.index import SCREEN_THRESHOLD

RECORD_COLUMNS = ("name", "type", "country", "birth_date", "imo")
SCALE_HELP = "0-100 (values of 1 or less are read on the deprecated 0-1 scale)"


def similarity(_ctx, param, value: float | None) -> float | None:
    """A --threshold on the 0-100 scale, as the name matcher's 0-1 fraction. A value of 1 or
    less is the old 0-1 scale: accepted, with a deprecation note."""
    if value is None:
        return None
    if value <= 1:
        click.echo(f"flagger: note: --{param.name} {value:g} is read on the old 0-1 scale (deprecated); "
                   f"write {value * 100:g} (thresholds are 0-100 everywhere)", err=True)
        return value
    return value / 100


def load_entities(paths: tuple[str, ...], default: bool = True) -> pl.DataFrame:
    """The bundled default list (unless `default` is False) plus every `--entities` file, in
    any format the importers know: the scanner's own loader."""
    if not paths and not default:
        raise UsageFailure("no entity list: pass --entities PATH (the bundled default list is disabled)")
    for path in paths:
        if not Path(path).exists():
            raise UsageFailure(f"entity list not found: {path}")
    try:
        return load_entity_lists(list(paths), default)
    except FlaggerError as exc:
        raise UsageFailure(str(exc)) from exc


def _read_table(path: Path, required: tuple[str, ...]) -> tuple[list[dict], list[str]]:
    """Rows of a CSV or JSONL file as dicts of strings; also the problems of unreadable rows."""
    stdin = str(path) == "-"
    try:
        raw = sys.stdin.buffer.read() if stdin else path.read_bytes()
    except OSError as exc:
        raise UsageFailure(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    rows: list[dict] = []
    problems: list[str] = []
    if path.suffix.lower() in (".jsonl", ".ndjson") or (stdin and text.lstrip().startswith("{")):   # - : sniffed
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    raise ValueError("not an object")
            except ValueError as exc:
                problems.append(f"{path}:{n}: not a JSON object ({exc})")
                continue
            rows.append({k: (None if v is None else str(v)) for k, v in obj.items()} | {"_line": n})
    else:
        reader = csv.DictReader(io.StringIO(text))
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise UsageFailure(f"{path}: missing column(s) {missing}; found {header}")
        for row in reader:
            n = reader.line_num
            if None in row or any(v is None for v in row.values()):
                problems.append(f"{path}:{n}: wrong number of fields")
                continue
            rows.append(dict(row) | {"_line": n})
        return rows, problems
    if rows and any(c not in rows[0] for c in required):
        raise UsageFailure(f"{path}: records lack field(s) {[c for c in required if c not in rows[0]]}")
    return rows, problems


def _write(frame: pl.DataFrame, output: str | None, fmt: str | None) -> None:
    fmt = fmt or ("json" if output and output.endswith(".json") else "jsonl" if output and output.endswith(".jsonl")
                  else "csv")
    if fmt == "json":
        text = json.dumps(frame.to_dicts(), ensure_ascii=False, indent=1) + "\n"
    elif fmt == "jsonl":
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in frame.to_dicts())
    else:
        text = frame.write_csv()
    if output and output != "-":
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@click.group("names")
def names() -> None:
    """Compare names and look them up in entity lists."""


@names.command("compare", epilog="""\b
Exit codes:
  0  scored (a file of pairs) / the two names do not match
  1  the two names match
  2  usage error
  3  some rows of the file could not be read""")
@click.argument("names_or_file", nargs=-1, required=True, metavar="NAME NAME | PAIRS.csv")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Output CSV (default: stdout).")
@click.option("--threshold", type=click.FloatRange(0, 100), callback=similarity, default=None,
              help=f"Score at or above which a pair is a match, {SCALE_HELP}. "
                   f"Default {DEFAULT_THRESHOLD * 100:g}.")
@click.option("--schema", default=None, help="person, organisation, vessel or aircraft (two names only).")
def compare_cmd(names_or_file: tuple[str, ...], output: str | None, threshold: float | None, schema: str | None) -> None:
    """Compare two names (NAME NAME), or score name pairs from a CSV with columns name1, name2
    and optionally schema (PAIRS.csv)."""
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    if len(names_or_file) == 2:
        result = compare_names(names_or_file[0], names_or_file[1], schema, threshold=threshold)
        click.echo(f"{'MATCH' if result.match else 'no match'} {result.score * 100:.1f} "
                   f"(threshold {threshold * 100:g})  {result.explanation}")
        sys.exit(EXIT_FINDINGS if result.match else EXIT_OK)
    if len(names_or_file) != 1:
        raise click.UsageError("give two names to compare, or one CSV file of pairs (columns name1, name2)")
    pairs = Path(names_or_file[0])
    if not pairs.is_file():
        raise UsageFailure(f"{pairs}: no such file of name pairs (to compare two names, give both: "
                           f"flagger names compare \"NAME\" \"OTHER NAME\")")
    rows, problems = _read_table(pairs, ("name1", "name2"))
    out = []
    for row in rows:
        result = compare_names(row.get("name1") or "", row.get("name2") or "", row.get("schema") or None,
                               threshold=threshold)
        out.append({"name1": row.get("name1"), "name2": row.get("name2"), "schema": row.get("schema"),
                    "score": round(result.score * 100, 1), "match": result.match,
                    "explanation": result.explanation})
    frame = pl.DataFrame(out, schema={"name1": pl.Utf8, "name2": pl.Utf8, "schema": pl.Utf8, "score": pl.Float64,
                                      "match": pl.Boolean, "explanation": pl.Utf8})
    _write(frame, output, "csv")
    for problem in problems:
        click.echo(f"skipped {problem}", err=True)
    if problems:
        sys.exit(EXIT_INPUT_ERRORS)


def _search(name: str, entities: tuple[str, ...], default: bool, limit: int, threshold: float, kind: str | None,
            as_json: bool) -> None:
    index = name_index(load_entities(entities, default))
    matches = index.search(name, limit=limit, kind=kind, threshold=threshold)
    if as_json:
        click.echo(json.dumps([{**m.__dict__, "score": round(m.score * 100, 1)} for m in matches],
                              ensure_ascii=False, indent=1, default=list))
    elif not matches:
        click.echo(f"no listed name close to {name!r}")
    for m in matches if not as_json else []:
        flag = "MATCH" if m.match else "near "
        click.echo(f"{flag} {m.score * 100:5.1f}  {m.entity_id}  {m.entity_name}  [{m.list}]")
        click.echo(f"      {m.explanation}")
    sys.exit(EXIT_FINDINGS if any(m.match for m in matches) else EXIT_OK)


_search_options = [
    click.argument("name"),
    click.option("--entities", "entities", multiple=True, type=click.Path(), help="Entity list file (repeatable)."),
    click.option("--default-entities/--no-default-entities", "default", default=True,
                 help="Include the bundled default list (default: yes)."),
    click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True),
    click.option("--threshold", type=click.FloatRange(0, 100), callback=similarity, default=None,
                 help=f"Match cut-off, {SCALE_HELP} (default: the list-screening threshold, {SCREEN_THRESHOLD * 100:g})."),
    click.option("--type", "kind", default=None, help="person, organisation, vessel or aircraft."),
    click.option("--json", "as_json", is_flag=True, help="JSON output."),
]


def _with_search_options(func):
    for option in reversed(_search_options):
        func = option(func)
    return func


@names.command("search")
@_with_search_options
def names_search(name, entities, default, limit, threshold, kind, as_json) -> None:
    """Look NAME up in the entity lists; exit 1 when a listed entity matches."""
    _search(name, entities, default, limit, threshold, kind, as_json)


@click.group("lists")
def lists() -> None:
    """Entity lists (name search; merged into `flagger lists`)."""


@lists.command("search")
@_with_search_options
def lists_search(name, entities, default, limit, threshold, kind, as_json) -> None:
    """Look NAME up in the entity lists; exit 1 when a listed entity matches."""
    _search(name, entities, default, limit, threshold, kind, as_json)


@click.command("screen", epilog="""\b
Exit codes:
  0  no record matched
  1  a record matched at or above --threshold
  2  usage error (options, unreadable list or records file)
  3  some records could not be read (the others were screened)""")
@click.argument("records", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--entities", "entities", multiple=True, type=click.Path(), help="Entity list file (repeatable).")
@click.option("--default-entities/--no-default-entities", "default", default=True,
              help="Include the bundled default list (default: yes).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write results here (CSV, or JSON/JSONL by extension; default: CSV on stdout).")
@click.option("-f", "--format", "fmt", type=click.Choice(["csv", "json", "jsonl"]), default=None)
@click.option("--threshold", type=click.FloatRange(0, 100), callback=similarity, default=None,
              help=f"Match cut-off, {SCALE_HELP} (default: the list-screening threshold, {SCREEN_THRESHOLD * 100:g}).")
@click.option("--limit", type=click.IntRange(1, 20), default=3, show_default=True,
              help="Matches considered per record (the best is reported, others listed by id).")
def screen(records: Path, entities, default, output, fmt, threshold, limit) -> None:
    """Screen a counterparty/vessel list (CSV or JSONL with `name`, optional `type`, `country`,
    `birth_date`, `imo`) against entity lists: one output row per record with its best match."""
    rows, problems = _read_table(records, ("name",))
    good = []
    for row in rows:
        if not (row.get("name") or "").strip():
            problems.append(f"{records}:{row['_line']}: empty name")
            continue
        good.append(row)
    # the caller's own columns (customer_id ...) travel with each record to the output
    own = [c for c in dict.fromkeys(k for r in good for k in r) if c not in (*RECORD_COLUMNS, "_line", "line")]
    columns = (*RECORD_COLUMNS, *own)
    frame = pl.DataFrame({c: [r.get(c) or None for r in good] for c in (*columns, "_line")},
                         schema={**dict.fromkeys(columns, pl.Utf8), "_line": pl.Int64})
    index = name_index(load_entities(entities, default))
    result = index.screen(frame.drop("_line"), limit=limit, threshold=threshold)
    result = result.with_columns(pl.Series("line", frame["_line"]), (pl.col("score") * 100).round(1)).drop("record")
    result = result.select(["line", *[c for c in result.columns if c != "line"]])
    _write(result, output, fmt)
    for problem in problems:
        click.echo(f"unreadable record {problem}", err=True)
    matched = int(result["matched"].sum()) if result.height else 0
    click.echo(f"screened {result.height} record(s) against {len(index.rows)} entities: {matched} matched, "
               f"{len(problems)} unreadable", err=True)
    if problems:
        sys.exit(EXIT_INPUT_ERRORS)
    sys.exit(EXIT_FINDINGS if matched else EXIT_OK)
