"""`flagger verify REPORT`: replay the scan a report records and say whether it still holds.

The report's provenance (inline in JSON/SARIF, else the ``<report>.meta.json`` sidecar) names
every input file, rule pack and entity list with its SHA-256, and the options used. `verify`

1. checks the report is the one flagger wrote: the digest of its own content recorded when it
   was written (the sidecar's ``report_sha256`` of the file's bytes; inside a JSON report the
   digest of its summary and articles, inside a SARIF log of its results) against the report as
   it is now;
2. hashes the files the scan read as they are now and names every one that changed, is missing
   or is new (rule packs, entity lists, inputs, the baseline);
3. re-runs the scan with the recorded options, gate and baseline (from the recorded working
   directory, so relative paths and article ids come out the same);
4. writes the replayed report in the report's own format and compares it with the report: row
   by row where the report holds rows (JSON, JSONL, CSV: naming the articles that differ and
   how), the JSON summary, the SARIF results, and the whole content for every format.

A report is not trusted: replaying it never fetches a URL and never reads a rule file it names
unless the person verifying allows it (``allow_network``; ``trusted_rules``, the paths given to
``flagger verify --rules``). Bundled rule packs are always read.

Exit codes: 0 identical · 1 differs (a hash changed, the report was edited or a result differs)
· 2 cannot verify (no provenance or no digest of the report's content or results, unreadable
report, inputs read from stdin or passed in memory, inputs missing, network or rule files not
allowed).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from dataclasses import replace as dataclasses_replace
from pathlib import Path
from typing import Any

from flagger.ci.baseline import load_baseline
from flagger.ci.gate import Gate
from flagger.config import select_rules
from flagger.digest import sha256_file
from flagger.entities.loading import default_list_path
from flagger.errors import FlaggerError
from flagger.http import FetchOptions
from flagger.paths import bundled_entities_path, bundled_rules_dir
from flagger.pipeline import ScanRequest, run_scan
from flagger.report import json_report, sarif_report
from flagger.report.provenance import (
    SIDECAR_SUFFIX,
    content_digest,
    find_provenance,
    input_files,
    sidecar_path,
)
from flagger.report.registry import FORMATS, format_for_path, write_report
from flagger.rules.loader import load_rule_packs
from flagger.scanner import ArticleScanner
from flagger.sources.decode import ReadOptions
from flagger.sources.discover import is_feed_list_file
from flagger.versions import flagger_version

IDENTICAL, DIFFERS, CANNOT = 0, 1, 2
STATUS_WORDS = {IDENTICAL: "identical", DIFFERS: "differs", CANNOT: "cannot verify"}
_SHOWN_FIELDS = ("score", "level", "rules", "categories", "entities", "error")
MAX_LISTED = 25


@dataclass
class Change:
    """One file whose hash is not what the report recorded."""

    kind: str                  # rule pack | entity list | input
    name: str                  # pack id, list name, or input path
    path: str
    change: str                # changed | missing | added
    recorded: str | None = None
    current: str | None = None

    def describe(self) -> str:
        label = f"{self.kind} {self.name!r}" if self.name != self.path else f"{self.kind} {self.path}"
        where = f" ({self.path})" if self.name != self.path and self.path else ""
        if self.change == "changed":
            return f"changed {label}{where}: sha256 {_short(self.recorded)} -> {_short(self.current)}"
        if self.change == "missing":
            return f"missing {label}{where}: recorded sha256 {_short(self.recorded)}, file is gone"
        return f"new {label}{where}: not in the report (sha256 {_short(self.current)})"


@dataclass
class ArticleDiff:
    """One article whose re-run result differs from the report."""

    index: int
    id: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)   # field -> (recorded, now)
    note: str = ""

    def describe(self) -> str:
        if self.note:
            return f"article {self.id!r}: {self.note}"
        parts = []
        for key, (old, new) in self.fields.items():
            if key in _SHOWN_FIELDS:
                parts.append(f"{key} {_show(old)} -> {_show(new)}")
            else:
                parts.append(f"{key} differs")
        return f"article {self.id!r}: " + "; ".join(parts)


@dataclass
class Outcome:
    """What `verify_report` found. `status` is the exit code (0 identical, 1 differs, 2 cannot)."""

    report: str
    status: int = IDENTICAL
    provenance_source: str = ""
    made: str = ""
    changes: list[Change] = field(default_factory=list)
    articles: list[ArticleDiff] = field(default_factory=list)
    content: list[str] = field(default_factory=list)        # how the report's content differs from the replay
    report_edited: str = ""                                  # the report is not the one flagger wrote
    results_identical: bool | None = None
    problems: list[str] = field(default_factory=list)      # why it could not be verified
    notes: list[str] = field(default_factory=list)
    summary: str = ""

    def as_dict(self) -> dict:
        d = asdict(self)
        d["status"] = STATUS_WORDS[self.status]
        d["exit_code"] = self.status
        d["articles"] = [{"index": a.index, "id": a.id, "note": a.note,
                          "fields": {k: {"recorded": o, "now": n} for k, (o, n) in a.fields.items()}}
                         for a in self.articles]
        return d


def _short(digest: str | None) -> str:
    return (digest[:12] + "…") if digest else "(none)"


def _show(value: Any) -> str:
    if value in (None, "", []):
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(v) if not isinstance(v, dict) else str(v.get("name") or v) for v in value)
    return str(value)


# -- reading the report --------------------------------------------------------------------------
@dataclass
class Loaded:
    """A report as found on disk: its path, format, provenance, and what it holds."""

    report_path: Path
    fmt: str
    prov: dict | None = None
    source: str = ""
    doc: Any = None                 # the parsed JSON report or SARIF log
    meta: dict | None = None        # the sidecar
    rows: list | None = None        # article rows (JSON, JSONL, CSV)


def _read_text(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", newline="") as f:   # bytes as written: no newline translation
            return f.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise FlaggerError(f"{path}: cannot read the report ({exc})") from None


def _load(path: Path) -> Loaded:
    report_path = path
    if path.name.endswith(SIDECAR_SUFFIX):
        report_path = Path(str(path)[: -len(SIDECAR_SUFFIX)])
    meta_path = path if path.name.endswith(SIDECAR_SUFFIX) else sidecar_path(report_path)
    meta = None
    if meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FlaggerError(f"{meta_path}: cannot read the provenance sidecar ({exc})") from None
        if not isinstance(meta, dict):
            raise FlaggerError(f"{meta_path}: not a flagger provenance sidecar")
    fmt = (meta or {}).get("report_format") or format_for_path(report_path) or "csv"
    if fmt not in FORMATS:
        raise FlaggerError(f"{meta_path}: unknown report format {fmt!r}")
    loaded = Loaded(report_path, fmt, meta=meta)
    if fmt in ("json", "sarif") and report_path.exists():
        try:
            loaded.doc = json.loads(_read_text(report_path))
        except ValueError as exc:
            raise FlaggerError(f"{report_path}: cannot read the report as JSON ({exc})") from None
        loaded.prov = find_provenance(loaded.doc)
        loaded.source = str(report_path)
        if fmt == "json" and isinstance(loaded.doc, dict) and isinstance(loaded.doc.get("articles"), list):
            loaded.rows = loaded.doc["articles"]
    if loaded.prov is None and meta is not None:
        loaded.prov = find_provenance(meta)
        loaded.source = str(meta_path)
    if loaded.rows is None and report_path.exists() and fmt in ("csv", "jsonl"):
        loaded.rows = _parse_rows(_read_text(report_path), fmt, report_path)
    return loaded


def _parse_rows(text: str, fmt: str, where: Path | str) -> list:
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(text, newline="")))
    try:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except ValueError as exc:
        raise FlaggerError(f"{where}: malformed JSON line ({exc})") from None


def _content_now(loaded: Loaded) -> tuple[str | None, str | None]:
    """(the digest of the report's own content recorded when it was written, that digest now)."""
    if loaded.fmt == "json":
        doc = loaded.doc if isinstance(loaded.doc, dict) else {}
        recorded = ((loaded.prov or {}).get("report") or {}).get("content_sha256")
        return recorded, content_digest(json_report.content(doc))
    if loaded.fmt == "sarif":
        runs = loaded.doc.get("runs") if isinstance(loaded.doc, dict) else None
        run = runs[0] if isinstance(runs, list) and runs and isinstance(runs[0], dict) else {}
        recorded = ((loaded.prov or {}).get("report") or {}).get("content_sha256")
        return recorded, content_digest(sarif_report.content(run))
    recorded = (loaded.meta or {}).get("report_sha256")
    return recorded, sha256_file(loaded.report_path) if loaded.report_path.exists() else None


def _render(report, fmt: str, prov: dict, opts: dict) -> str:
    """The replayed report written in `fmt`, as the recorded run wrote it (its provenance and
    timing, its explain and HTML options), so an untouched report is the same content."""
    report.provenance = {k: v for k, v in prov.items() if k != "report"}
    report.seconds = float(prov.get("duration_seconds") or 0)
    cli = opts.get("cli") or {}
    buf = io.StringIO(newline="")
    write_report(report, fmt, buf, explain=bool(opts.get("explain")), color=False,
                 include_none=bool(cli.get("html_include_none")), min_level=cli.get("min_level"))
    return buf.getvalue()


def _compare_content(loaded: Loaded, rendered: str, outcome: Outcome) -> None:
    """Compare the replayed report (`rendered`) with the report on disk, in the report's format."""
    fmt = loaded.fmt
    if fmt in ("json", "csv", "jsonl") and loaded.rows is not None:
        now_rows = json.loads(rendered)["articles"] if fmt == "json" else _parse_rows(rendered, fmt, "replay")
        outcome.articles = _diff_rows(loaded.rows, now_rows)
    if fmt == "json":
        doc = loaded.doc if isinstance(loaded.doc, dict) else {}
        now = json.loads(rendered)
        if doc.get("summary") != now.get("summary"):
            outcome.content.append(f"summary {json.dumps(doc.get('summary'))} -> {json.dumps(now.get('summary'))}")
        same = content_digest(json_report.content(doc)) == content_digest(json_report.content(now))
    elif fmt == "sarif":
        runs = loaded.doc.get("runs") if isinstance(loaded.doc, dict) else None
        run = runs[0] if isinstance(runs, list) and runs and isinstance(runs[0], dict) else {}
        now_run = json.loads(rendered)["runs"][0]
        old_res, new_res = run.get("results") or [], now_run.get("results") or []
        if len(old_res) != len(new_res):
            outcome.content.append(f"{len(old_res)} SARIF results in the report, {len(new_res)} in the replay")
        else:
            changed = sum(1 for a, b in zip(old_res, new_res, strict=True) if a != b)
            levels = sum(1 for a, b in zip(old_res, new_res, strict=True)
                         if isinstance(a, dict) and a.get("level") != b.get("level"))
            if changed:
                outcome.content.append(f"{changed} of {len(old_res)} SARIF results differ"
                                       + (f" ({levels} in level)" if levels else ""))
        if (run.get("properties") or {}).get("summary") != now_run["properties"].get("summary"):
            outcome.content.append("the SARIF run's summary differs")
        same = content_digest(sarif_report.content(run)) == content_digest(sarif_report.content(now_run))
    else:
        now_sha = hashlib.sha256(rendered.encode("utf-8")).hexdigest()
        same = loaded.report_path.exists() and sha256_file(loaded.report_path) == now_sha
    if not same and not outcome.content and not outcome.articles:
        outcome.content.append(f"the {fmt} report's content differs from the replay")


def _row_id(row: Any, index: int) -> str:
    return str(row.get("id")) if isinstance(row, dict) and row.get("id") is not None else f"#{index + 1}"


def _diff_rows(old: list, new: list) -> list[ArticleDiff]:
    """Articles whose rows differ: matched by id when ids are unique on both sides (so one added
    file does not shift every row), else by position."""
    old_ids = [_row_id(r, i) for i, r in enumerate(old)]
    new_ids = [_row_id(r, i) for i, r in enumerate(new)]
    if len(set(old_ids)) == len(old_ids) and len(set(new_ids)) == len(new_ids):
        by_new = {rid: (i, r) for i, (rid, r) in enumerate(zip(new_ids, new, strict=True))}
        out = []
        for i, (rid, a) in enumerate(zip(old_ids, old, strict=True)):
            if rid not in by_new:
                out.append(ArticleDiff(i, rid, note="in the report, missing from the re-run"))
            elif by_new[rid][1] != a:
                out += [dataclasses_replace(d, index=i) for d in _diff_positional([a], [by_new[rid][1]])]
        seen = set(old_ids)
        out += [ArticleDiff(i, rid, note="not in the report, appears in the re-run")
                for i, rid in enumerate(new_ids) if rid not in seen]
        return out
    return _diff_positional(old, new)


def _diff_positional(old: list, new: list) -> list[ArticleDiff]:
    out = []
    for i in range(max(len(old), len(new))):
        if i >= len(old):
            out.append(ArticleDiff(i, _row_id(new[i], i), note="not in the report, appears in the re-run"))
            continue
        if i >= len(new):
            out.append(ArticleDiff(i, _row_id(old[i], i), note="in the report, missing from the re-run"))
            continue
        a, b = old[i], new[i]
        if a == b:
            continue
        if not (isinstance(a, dict) and isinstance(b, dict)):
            out.append(ArticleDiff(i, _row_id(a, i), note="row differs"))
            continue
        fields = {k: (a.get(k), b.get(k)) for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)}
        out.append(ArticleDiff(i, _row_id(a, i), fields))
    return out


# -- hash checks ---------------------------------------------------------------------------------
def _check_files(kind: str, recorded: list[dict], name_key: str) -> list[Change]:
    changes = []
    for entry in recorded:
        path = entry.get("path")
        if not path or entry.get("sha256") is None:
            continue
        now = sha256_file(path) if Path(path).exists() else None
        name = str(entry.get(name_key) or path)
        if now is None:
            changes.append(Change(kind, name, path, "missing", entry["sha256"], None))
        elif now != entry["sha256"]:
            changes.append(Change(kind, name, path, "changed", entry["sha256"], now))
    return changes


def _recorded_file_inputs(inputs: list[str], recorded_files: list[dict]) -> list[str]:
    """The inputs with each folder replaced by the files read from it then, in the same order."""
    out: list[str] = []
    for item in inputs:
        if Path(item).is_dir():
            base = Path(item).resolve()
            out += [f["path"] for f in recorded_files if Path(f["path"]).resolve().is_relative_to(base)]
        else:
            out.append(item)
    return out


def verify_report(path: str | Path, records: Any = None, *, allow_network: bool = False,
                  trusted_rules: Any = (), trusted_entities: Any = ()) -> Outcome:
    """Replay the scan recorded in the report at `path` (or its sidecar) and compare.

    For a report made with the Python API from records in memory, pass the same `records`
    again: their hash is checked against the recorded one and they are re-scanned.
    The report is not trusted: URL inputs (and feed lists) are fetched only with
    `allow_network`, rule files and entity lists it names are read (or even hashed) only when
    they are among `trusted_rules` / `trusted_entities` (the bundled packs and list always are).
    Returns an `Outcome`; `outcome.status` is 0 identical, 1 differs, 2 cannot verify."""
    path = Path(path).resolve() if Path(path).exists() else Path(path)
    outcome = Outcome(report=str(path))
    if not path.exists():
        outcome.problems.append(f"{path}: no such file")
        return _finish(outcome)
    try:
        loaded = _load(path)
    except FlaggerError as exc:
        outcome.problems.append(str(exc))
        return _finish(outcome)
    prov = loaded.prov
    if not prov:
        outcome.problems.append(f"{path}: no provenance found (neither inline nor in "
                                f"{sidecar_path(path).name}); was it written by flagger with -o?")
        return _finish(outcome)
    outcome.provenance_source = loaded.source
    outcome.made = f"{prov.get('started', '?')} by flagger {prov.get('flagger_version', '?')}"
    if not loaded.report_path.exists():
        outcome.problems.append(f"{loaded.report_path}: the report itself is gone (only its sidecar is here)")
        return _finish(outcome)
    recorded, now = _content_now(loaded)
    if recorded is None:
        outcome.problems.append("no digest of the report's own content was recorded (the digest was removed, or "
                                "the report was written by an older flagger): cannot tell whether it was edited")
    elif recorded != now:
        outcome.report_edited = (f"the {loaded.fmt} report was edited after flagger wrote it: content sha256 "
                                 f"{_short(recorded)} recorded, {_short(now)} now")
    trusted = {str(Path(r).resolve()) for r in trusted_rules or ()}
    trusted_lists = {str(Path(e).resolve()) for e in trusted_entities or ()}
    cwd = prov.get("cwd")
    if cwd and Path(cwd).is_dir():
        here = contextlib.chdir(cwd)
    else:
        here = contextlib.nullcontext()
        if cwd:
            outcome.notes.append(f"recorded working directory {cwd} is gone; relative paths are read from here")
    with here:
        _replay(prov, loaded, outcome, records, allow_network=allow_network, trusted=trusted,
                trusted_lists=trusted_lists)
    return _finish(outcome)


def _untrusted(paths: list[str] | None, trusted: set[str], bundled: Path) -> list[str]:
    """The files or folders the report names that are neither flagger's bundled ones nor trusted."""
    bundled = bundled.resolve()
    out = []
    for arg in paths or ():
        p = Path(arg).resolve()
        if p == bundled or p.is_relative_to(bundled) or str(p) in trusted:
            continue
        if any(p.is_relative_to(t) for t in map(Path, trusted)):
            continue
        out.append(str(arg))
    return out


def _replay(prov: dict, loaded: Loaded, outcome: Outcome, records: Any = None, *, allow_network: bool = False,
            trusted: set[str] | None = None, trusted_lists: set[str] | None = None) -> None:
    opts = prov.get("options") or {}
    thresholds = prov.get("thresholds") or {}
    version = flagger_version()
    if prov.get("flagger_version") and prov["flagger_version"] != version:
        outcome.notes.append(f"report made by flagger {prov['flagger_version']}, verifying with {version}")

    recorded_packs = prov.get("rule_packs") or []
    recorded_lists = prov.get("entity_lists") or []
    untrusted = _untrusted(opts.get("rules"), trusted or set(), bundled_rules_dir())
    if untrusted:
        outcome.problems.append(
            f"the report names rule files that are not flagger's bundled rules: {', '.join(untrusted)}; a report is "
            "not trusted, so they are not read: pass each with --rules PATH to verify with them")
        return
    named_lists = [e["path"] for e in recorded_lists if not e.get("builtin") and e.get("path")]
    untrusted = _untrusted(named_lists, trusted_lists or set(), bundled_entities_path())
    if untrusted:
        outcome.problems.append(
            f"the report names entity lists that are not flagger's bundled list: {', '.join(untrusted)}; a report is "
            "not trusted, so they are not read: pass each with --entities PATH to verify with them")
        return
    outcome.changes += _check_files("rule pack", recorded_packs, "id")
    # the default list is compared with the one a scan would use now (bundled, or built by `lists update`)
    outcome.changes += _check_files("entity list", [
        {**e, "path": str(default_list_path()[0])} if e.get("builtin") else e for e in recorded_lists], "name")
    for entry in recorded_lists:
        if entry.get("sha256") is None and not entry.get("path"):
            outcome.problems.append(f"entity list {entry.get('name')!r} was passed in memory; it cannot be re-read")

    inputs = opts.get("inputs")
    recorded_files = (prov.get("inputs") or {}).get("files")
    if records is not None:
        pass  # the caller hands the records in again; their hash is checked after the re-run
    elif inputs is None:
        outcome.problems.append("the records were passed in memory (Python API), not read from files; "
                                "verify can check rules and lists but cannot re-run the scan (from Python, pass them "
                                "again: flagger.verify_report(path, records=...))")
    elif "-" in inputs:
        outcome.problems.append("the articles were read from standard input; they cannot be re-read")
    elif opts.get("state"):
        outcome.problems.append(f"the scan was incremental (--state {opts['state']}): articles seen in earlier "
                                "runs were skipped, which cannot be replayed")
    else:
        # a file listed with 0 records was not read by the scan (every file read gives at least one
        # record or error row): it appeared in an input folder afterwards, e.g. the report itself
        read = [f for f in recorded_files or [] if f.get("records") != 0]
        outcome.changes += _check_files("input", read, "path")
        now_files = {f["path"] for f in input_files(list(inputs))}
        own = {str(Path(outcome.report).resolve()), str(sidecar_path(Path(outcome.report).resolve()))}
        not_read = {f["path"] for f in recorded_files or []} - {f["path"] for f in read}
        replace = False
        for f in sorted(now_files - {f["path"] for f in read}):
            if f in not_read or str(Path(f).resolve()) in own:
                replace = True        # there now, not read then: the re-run reads what was read then
                continue
            outcome.changes.append(Change("input", f, f, "added", None, None))
        if replace and recorded_files is not None:
            inputs = _recorded_file_inputs(list(inputs), read)
        missing = [c.path for c in outcome.changes if c.kind == "input" and c.change == "missing"]
        if missing:
            outcome.problems.append(f"{len(missing)} input file(s) are missing: {', '.join(missing[:5])}")
    if inputs is not None and records is None and not allow_network:
        urls = [str(i) for i in inputs if str(i).lower().startswith(("http://", "https://"))]
        lists = [str(i) for i in _recorded_file_inputs(list(inputs), recorded_files or [])
                 if is_feed_list_file(str(i))]
        if urls or lists:
            outcome.problems.append(
                "replaying this report would fetch from the network ("
                + ", ".join([f"URL {u}" for u in urls[:3]] + [f"feed list {f}" for f in lists[:3]])
                + "); a report is not trusted, so nothing is fetched: pass --allow-network to fetch them "
                  "(what they serve now may differ from what was scanned)")
    baseline = None
    if opts.get("baseline"):
        bpath = str(opts["baseline"])
        recorded_sha = opts.get("baseline_sha256")
        now_sha = sha256_file(bpath) if Path(bpath).is_file() else None
        if recorded_sha is None:
            outcome.problems.append(f"the scan used the baseline {bpath} but its sha256 was not recorded")
        elif now_sha is None:
            outcome.problems.append(f"the baseline {bpath} is missing: the run cannot be replayed without it")
        else:
            if now_sha != recorded_sha:
                outcome.changes.append(Change("baseline", bpath, bpath, "changed", recorded_sha, now_sha))
            try:
                baseline = load_baseline(bpath)
            except FlaggerError as exc:
                outcome.problems.append(f"cannot read the baseline: {exc}")
    if outcome.problems:
        return

    entities = [e["path"] for e in recorded_lists if not e.get("builtin") and e.get("path")]
    default_entities = any(e.get("builtin") for e in recorded_lists)
    kwargs: dict[str, Any] = {}
    if thresholds.get("entity_threshold") is not None:
        kwargs["entity_threshold"] = float(thresholds["entity_threshold"])
    if opts.get("batch_size"):
        kwargs["batch_size"] = int(opts["batch_size"])
    cli = opts.get("cli") or {}
    fetch = FetchOptions(**{k: cli[k] for k in ("timeout", "retries", "user_agent") if cli.get(k) is not None})
    read_options = ReadOptions(fetch=fetch, **{k: cli[k] for k in ("max_article_bytes", "encoding")
                                               if cli.get(k) is not None})
    if records is None and allow_network and any(str(i).startswith(("http://", "https://")) for i in inputs):
        outcome.notes.append("some inputs are URLs: they are fetched again and may have changed")
    try:
        rules: Any = opts.get("rules") or None
        if cli.get("select") or cli.get("ignore"):      # the run scanned with some of the rules only
            rules = select_rules(load_rule_packs(rules), cli.get("select") or (), cli.get("ignore") or (), strict=False)
        scanner = ArticleScanner(rules=rules, entities=entities, default_entities=default_entities, **kwargs)
        # the same pipeline as the recorded run: syndicated copies grouped as they were then
        run = run_scan(scanner, ScanRequest(
            inputs=None if records is not None else list(inputs), records=records, read_options=read_options,
            dedupe=bool(opts.get("dedupe")) and records is None, keep=True,
            gate=_recorded_gate(thresholds), allow_errors=bool(opts.get("allow_errors")), baseline=baseline))
    except FlaggerError as exc:
        outcome.problems.append(f"cannot re-run the scan: {exc}")
        return
    report = run.report
    records_given = records is not None

    # packs are matched by id too: bundled packs (rules=None) live wherever flagger is installed
    now_packs = {p.id: p for p in scanner.packs}
    kept = []
    for c in outcome.changes:
        pack = now_packs.get(c.name) if c.kind == "rule pack" and c.change == "missing" else None
        if pack is None:
            kept.append(c)
        elif pack.sha256 != c.recorded:
            kept.append(Change("rule pack", c.name, pack.path, "changed", c.recorded, pack.sha256))
    outcome.changes = kept
    seen = {p.get("id") for p in recorded_packs}
    for pack in scanner.packs:
        if pack.id not in seen:
            outcome.changes.append(Change("rule pack", pack.id, pack.path, "added", None, pack.sha256))
    recorded_records = (prov.get("inputs") or {}).get("records_sha256")
    now_records = run.provenance["inputs"]["records_sha256"]
    if recorded_records and now_records != recorded_records:
        what = "records passed in" if records_given else "records as read from the input files"
        outcome.changes.append(Change("input", what, "", "changed", recorded_records, now_records))
    now_digest = run.provenance["results"]["sha256"]
    recorded_digest = (prov.get("results") or {}).get("sha256")
    _compare_content(loaded, _render(report, loaded.fmt, prov, opts), outcome)
    if recorded_digest is None:
        outcome.problems.append("the provenance records no results digest: the replayed results cannot be "
                                "compared with the recorded ones")
    outcome.results_identical = not outcome.articles and not outcome.content and recorded_digest == now_digest
    if recorded_digest is not None and recorded_digest != now_digest and not outcome.articles and not outcome.content:
        outcome.notes.append("the results digest differs (hits or explanations differ, though the report's "
                             "own content is the same)")


def _recorded_gate(thresholds: dict) -> Gate:
    """The gate the recorded run applied, from its provenance."""
    cats = thresholds.get("fail_on_categories") or {}
    return Gate(fail_on=thresholds.get("fail_on"), min_score=thresholds.get("min_score"),
                categories={k: (None if v in (None, "off") else v) for k, v in cats.items()})


def _finish(outcome: Outcome) -> Outcome:
    n_articles = len(outcome.articles)
    # an input that is gone cannot be replayed (2); a rule pack or list that is gone is a change (1)
    decisive = [c for c in outcome.changes if not (c.kind == "input" and c.change == "missing")]
    if decisive or outcome.report_edited or outcome.results_identical is False and not outcome.problems \
            or outcome.articles or outcome.content:
        outcome.status = DIFFERS
    elif outcome.problems:
        outcome.status = CANNOT
    else:
        outcome.status = IDENTICAL
    if outcome.status == IDENTICAL:
        outcome.summary = ("identical: the report is the one flagger wrote; same inputs, rule packs and entity lists "
                           "(by sha256); the replay writes the same report")
    elif outcome.status == DIFFERS:
        parts = [outcome.report_edited] if outcome.report_edited else []
        kinds = {}
        for c in outcome.changes:
            kinds.setdefault(c.kind, []).append(c.name)
        for kind, names in kinds.items():
            parts.append(f"{kind}{'s' if len(names) > 1 else ''} changed: {', '.join(names)}")
        if n_articles:
            parts.append(f"{n_articles} article{'s' if n_articles > 1 else ''} differ")
        if outcome.content:
            parts.append("; ".join(outcome.content))
        elif outcome.results_identical is False:
            parts.append("results differ")
        elif outcome.results_identical:
            parts.append("results are nevertheless identical")
        elif outcome.problems:
            parts.append("could not re-run")
        outcome.summary = "differs: " + "; ".join(parts or ["?"])
    else:
        outcome.summary = "cannot verify: " + "; ".join(outcome.problems)
    return outcome
