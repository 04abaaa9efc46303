"""`flagger verify REPORT`: replay the scan a report records and say whether it still holds.

The report's provenance (inline in JSON/SARIF, else the ``<report>.meta.json`` sidecar) names
every input file, rule pack and entity list with its SHA-256, and the options used. `verify`

1. hashes those files as they are now and names every one that changed, is missing or is new;
2. re-runs the scan with the recorded options (from the recorded working directory, so relative
   paths and article ids come out the same);
3. compares the results: the recorded results digest, and row by row where the report holds
   rows (JSON, JSONL, CSV), naming the articles whose result differs and how.

Exit codes: 0 identical · 1 differs (a hash changed or a result differs) · 2 cannot verify
(no provenance, unreadable report, inputs read from stdin or passed in memory, inputs missing).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from dataclasses import asdict, dataclass, field
from dataclasses import replace as dataclasses_replace
from pathlib import Path
from typing import Any

from flagger.digest import sha256_file
from flagger.errors import FlaggerError
from flagger.http import FetchOptions
from flagger.paths import bundled_entities_path
from flagger.pipeline import DEFAULT_DEDUPE_SIMILARITY, ScanRequest, run_scan
from flagger.report.provenance import SIDECAR_SUFFIX, find_provenance, input_files, sidecar_path
from flagger.report.registry import write_report
from flagger.scanner import ArticleScanner
from flagger.sources.decode import ReadOptions
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
def _load(path: Path) -> tuple[dict | None, str, str, Any]:
    """(provenance, where it came from, report kind, recorded rows or None)."""
    report_path = path
    if path.name.endswith(SIDECAR_SUFFIX):
        report_path = Path(str(path)[: -len(SIDECAR_SUFFIX)])
    kind = {".json": "json", ".sarif": "sarif", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(
        report_path.suffix.lower(), "other")
    prov, source, rows = None, "", None
    if kind in ("json", "sarif") and report_path.exists():
        try:
            doc = json.loads(report_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FlaggerError(f"{report_path}: cannot read the report as JSON ({exc})") from None
        prov = find_provenance(doc)
        source = str(report_path)
        if kind == "json" and isinstance(doc, dict) and isinstance(doc.get("articles"), list):
            rows = doc["articles"]
    if prov is None:
        meta = path if path.name.endswith(SIDECAR_SUFFIX) else sidecar_path(report_path)
        if meta.exists():
            try:
                prov = find_provenance(json.loads(meta.read_text(encoding="utf-8")))
            except (OSError, ValueError) as exc:
                raise FlaggerError(f"{meta}: cannot read the provenance sidecar ({exc})") from None
            source = str(meta)
    if rows is None and report_path.exists() and kind in ("csv", "jsonl"):
        try:
            text = report_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FlaggerError(f"{report_path}: cannot read the report ({exc})") from None
        if kind == "csv":
            rows = list(csv.DictReader(io.StringIO(text, newline="")))
        else:
            try:
                rows = [json.loads(line) for line in text.splitlines() if line.strip()]
            except ValueError as exc:
                raise FlaggerError(f"{report_path}: malformed JSON line ({exc})") from None
    return prov, source, kind, rows


def _render_rows(report, kind: str) -> list | None:
    """The rows the report writers produce for `report`, parsed back as the recorded ones were."""
    if kind not in ("json", "csv", "jsonl"):
        return None
    buf = io.StringIO(newline="" if kind == "csv" else None)
    write_report(report, kind, buf)
    text = buf.getvalue()
    if kind == "json":
        return json.loads(text)["articles"]
    if kind == "csv":
        return list(csv.DictReader(io.StringIO(text, newline="")))
    return [json.loads(line) for line in text.splitlines() if line.strip()]


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


def verify_report(path: str | Path, records: Any = None) -> Outcome:
    """Replay the scan recorded in the report at `path` (or its sidecar) and compare.

    For a report made with the Python API from records in memory, pass the same `records`
    again: their hash is checked against the recorded one and they are re-scanned.
    Returns an `Outcome`; `outcome.status` is 0 identical, 1 differs, 2 cannot verify."""
    path = Path(path).resolve() if Path(path).exists() else Path(path)
    outcome = Outcome(report=str(path))
    if not path.exists():
        outcome.problems.append(f"{path}: no such file")
        return _finish(outcome)
    try:
        prov, source, kind, recorded_rows = _load(path)
    except FlaggerError as exc:
        outcome.problems.append(str(exc))
        return _finish(outcome)
    if not prov:
        outcome.problems.append(f"{path}: no provenance found (neither inline nor in "
                                f"{sidecar_path(path).name}); was it written by flagger with -o?")
        return _finish(outcome)
    outcome.provenance_source = source
    outcome.made = f"{prov.get('started', '?')} by flagger {prov.get('flagger_version', '?')}"
    cwd = prov.get("cwd")
    if cwd and Path(cwd).is_dir():
        here = contextlib.chdir(cwd)
    else:
        here = contextlib.nullcontext()
        if cwd:
            outcome.notes.append(f"recorded working directory {cwd} is gone; relative paths are read from here")
    with here:
        _replay(prov, kind, recorded_rows, outcome, records)
    return _finish(outcome)


def _replay(prov: dict, kind: str, recorded_rows: list | None, outcome: Outcome, records: Any = None) -> None:
    opts = prov.get("options") or {}
    thresholds = prov.get("thresholds") or {}
    version = flagger_version()
    if prov.get("flagger_version") and prov["flagger_version"] != version:
        outcome.notes.append(f"report made by flagger {prov['flagger_version']}, verifying with {version}")

    recorded_packs = prov.get("rule_packs") or []
    recorded_lists = prov.get("entity_lists") or []
    outcome.changes += _check_files("rule pack", recorded_packs, "id")
    # the bundled list is compared with the one installed now, wherever that lives
    outcome.changes += _check_files("entity list", [
        {**e, "path": str(bundled_entities_path())} if e.get("builtin") else e for e in recorded_lists], "name")
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
    if records is None and any(str(i).startswith(("http://", "https://")) for i in inputs):
        outcome.notes.append("some inputs are URLs: they are fetched again and may have changed")
    try:
        scanner = ArticleScanner(rules=opts.get("rules") or None, entities=entities,
                          default_entities=default_entities, **kwargs)
        # the same pipeline as the recorded run: syndicated copies grouped as they were then
        run = run_scan(scanner, ScanRequest(
            inputs=None if records is not None else list(inputs), records=records, read_options=read_options,
            dedupe=bool(opts.get("dedupe")) and records is None,
            dedupe_similarity=float(opts.get("dedupe_similarity") or DEFAULT_DEDUPE_SIMILARITY), keep=True))
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
    now_rows = _render_rows(report, kind) if recorded_rows is not None else None
    if now_rows is not None:
        outcome.articles = _diff_rows(recorded_rows, now_rows)
    outcome.results_identical = not outcome.articles and (recorded_digest in (None, now_digest))
    if outcome.results_identical is False and not outcome.articles:
        outcome.notes.append("the results digest differs (the report format holds no rows to compare; "
                             "hits or explanations may differ)")


def _finish(outcome: Outcome) -> Outcome:
    n_articles = len(outcome.articles)
    # an input that is gone cannot be replayed (2); a rule pack or list that is gone is a change (1)
    decisive = [c for c in outcome.changes if not (c.kind == "input" and c.change == "missing")]
    if decisive or outcome.results_identical is False:
        outcome.status = DIFFERS
    elif outcome.problems:
        outcome.status = CANNOT
    else:
        outcome.status = IDENTICAL
    if outcome.status == IDENTICAL:
        outcome.summary = "identical: same inputs, rule packs and entity lists (by sha256), same results"
    elif outcome.status == DIFFERS:
        parts = []
        kinds = {}
        for c in outcome.changes:
            kinds.setdefault(c.kind, []).append(c.name)
        for kind, names in kinds.items():
            parts.append(f"{kind}{'s' if len(names) > 1 else ''} changed: {', '.join(names)}")
        if n_articles:
            parts.append(f"{n_articles} article{'s' if n_articles > 1 else ''} differ")
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
