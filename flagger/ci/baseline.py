"""Baselines: reviewed findings recorded by fingerprint, suppressed in later scans.

File format (JSON, versioned like detect-secrets' baseline so it can be migrated):

    {"flagger_baseline": 1, "created": "2026-11-27T21:00:00Z",
     "entries": [{"fingerprint": "…", "rule": "dprk.arms.export", "category": "arms-embargo",
                  "source": "https://…/story", "evidence": "North Korea … shells … shipped",
                  "level": "critical", "score": 94.3, "reason": "reviewed: historical report",
                  "expires": "2027-03-01", "added": "2026-11-27"}]}

A fingerprint is source + rule + normalised evidence (never a line number), so an entry survives
edits elsewhere in the article and re-alerts when the evidence itself changes. An entry whose
`expires` date has passed stops suppressing; the scan says so on stderr.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from flagger.ci.gate import Finding, findings_of
from flagger.errors import FlaggerError
from flagger.model import ArticleResult, Contribution, EntityMatch, Hit, Record, level_rank
from flagger.output import atomic_text_writer

FORMAT_VERSION = 1
_ENTRY_KEYS = ("fingerprint", "rule", "category", "source", "evidence", "level", "score", "reason", "expires",
               "added")


class BaselineError(FlaggerError):
    pass


def _parse_date(value, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise BaselineError(f"{where}: expires {value!r} is not a date (YYYY-MM-DD)") from None


@dataclass
class Baseline:
    entries: list[dict] = field(default_factory=list)
    path: str = ""
    created: str = ""

    def active_entries(self, today: dt.date | None = None) -> tuple[dict[str, dict], list[dict]]:
        """(fingerprint → entry for entries still in force, entries past their expiry date)."""
        today = today or dt.date.today()
        active, expired = {}, []
        for i, e in enumerate(self.entries):
            exp = _parse_date(e.get("expires"), f"{self.path}: entry {i + 1}")
            if exp is not None and exp < today:
                expired.append(e)
            else:
                active[e["fingerprint"]] = e
        return active, expired

    def to_json(self) -> dict:
        return {"flagger_baseline": FORMAT_VERSION, "created": self.created,
                "entries": sorted(self.entries, key=lambda e: (e.get("source", ""), e.get("rule", ""),
                                                               e["fingerprint"]))}


def load_baseline(path: str) -> Baseline:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found (create one with `flagger baseline create`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read baseline ({exc})") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}: malformed baseline JSON ({exc.msg})") from None
    if not isinstance(doc, dict) or "flagger_baseline" not in doc:
        raise BaselineError(f"{path}: not a flagger baseline (no 'flagger_baseline' key)")
    version = doc.get("flagger_baseline")
    if version != FORMAT_VERSION:
        raise BaselineError(f"{path}: baseline format {version!r} is not supported (this flagger reads "
                            f"{FORMAT_VERSION})")
    entries = doc.get("entries")
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: 'entries' must be a list")
    clean = []
    for i, e in enumerate(entries):
        if not isinstance(e, dict) or not isinstance(e.get("fingerprint"), str) or not e["fingerprint"]:
            raise BaselineError(f"{path}: entry {i + 1} has no fingerprint")
        unknown = set(e) - set(_ENTRY_KEYS)
        if unknown:
            raise BaselineError(f"{path}: entry {i + 1}: unknown key(s) {', '.join(sorted(unknown))}")
        _parse_date(e.get("expires"), f"{path}: entry {i + 1}")
        clean.append(e)
    return Baseline(entries=clean, path=path, created=str(doc.get("created") or ""))


def save_baseline(baseline: Baseline, path: str) -> None:
    with atomic_text_writer(path) as stream:
        json.dump(baseline.to_json(), stream, ensure_ascii=False, indent=2)
        stream.write("\n")


def entry_for(f: Finding, reason: str = "", expires: str | None = None, today: dt.date | None = None) -> dict:
    return {"fingerprint": f.fingerprint, "rule": f.rule_id, "category": f.category, "source": f.source,
            "evidence": f.evidence, "level": f.level, "score": f.score, "reason": reason,
            "expires": expires, "added": (today or dt.date.today()).isoformat()}


# -- reading findings back from a saved report ----------------------------------------------------
def _result_from_json(obj: dict) -> ArticleResult:
    rec = Record(id=str(obj.get("id", "")), url=str(obj.get("url") or ""), title=str(obj.get("title") or ""),
                 error=str(obj.get("error") or ""))
    hit_fields = set(Hit.__dataclass_fields__)
    hits = [Hit(**{k: v for k, v in h.items() if k in hit_fields}) for h in obj.get("hits") or []]
    contribs = [Contribution(**{k: v for k, v in c.items() if k in Contribution.__dataclass_fields__})
                for c in obj.get("score_explanation") or []]
    ents = []
    for e in obj.get("entities") or []:
        if isinstance(e, dict):
            ents.append(EntityMatch(entity_id=e.get("id", ""), name=e.get("name", ""),
                                    matched_name=e.get("matched_name", ""), type=e.get("type", ""),
                                    list=e.get("list", ""), programs=e.get("programs") or [],
                                    similarity=e.get("similarity", 0.0), matched_text=e.get("matched_text", ""),
                                    start=e.get("start", 0), end=e.get("end", 0),
                                    explanation=e.get("explanation", ""), field=e.get("field", "text")))
    return ArticleResult(record=rec, score=float(obj.get("score") or 0), level=obj.get("level") or "none",
                         rules=list(obj.get("rules") or []), categories=list(obj.get("categories") or []),
                         entities=ents, hits=hits, evidence=list(obj.get("evidence") or []), contributions=contribs)


def findings_from_report_file(path: str) -> tuple[list[Finding], list[dict]]:
    """Findings in a saved JSON/JSONL/SARIF report, plus entries already suppressed in it."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read report ({exc})") from None
    try:
        if text.lstrip().startswith("{") and '"flagger_report"' not in text[:200] and '"runs"' in text[:2000]:
            return _findings_from_sarif(json.loads(text), path), []
        if text.lstrip().startswith("{") and '"flagger_report"' in text[:200]:
            articles = json.loads(text).get("articles") or []
        else:
            articles = [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}: not a flagger JSON/JSONL/SARIF report ({exc.msg})") from None
    findings, carried = [], []
    for obj in articles:
        if not isinstance(obj, dict):
            continue
        if obj.get("hits") is None or (obj.get("rules") and obj.get("score_explanation") is None):
            raise BaselineError(f"{path}: article {obj.get('id')!r} has no hits/score_explanation: "
                                "write the report with -f json or -f jsonl")
        findings.extend(findings_of(_result_from_json(obj)))
        for s in obj.get("suppressed_findings") or []:
            carried.append(s)
    return findings, carried


def _findings_from_sarif(doc: dict, path: str) -> list[Finding]:
    out = []
    for run in doc.get("runs") or []:
        for res in run.get("results") or []:
            props = res.get("properties") or {}
            fp = (res.get("partialFingerprints") or {}).get("flaggerFingerprint/v1")
            if not fp or res.get("suppressions"):
                continue
            out.append(Finding(article_id=props.get("article_id", ""), source=props.get("source", ""),
                               rule_id=props.get("finding_rule", res.get("ruleId", "")),
                               category=props.get("category", ""), score=float(props.get("score", 0)),
                               level=props.get("level", ""), evidence=props.get("evidence", ""),
                               fingerprint=fp))
    if not out and not doc.get("runs"):
        raise BaselineError(f"{path}: SARIF file has no runs")
    return out


def create_baseline(report_path: str, *, reason: str = "", expires: str | None = None,
                    min_level: str | None = None, merge_with: Baseline | None = None,
                    today: dt.date | None = None) -> Baseline:
    if expires is not None:
        _parse_date(expires, "--expires")
    findings, carried = findings_from_report_file(report_path)
    today = today or dt.date.today()
    entries: dict[str, dict] = {}
    if merge_with is not None:
        for e in merge_with.entries:
            entries[e["fingerprint"]] = e
    for s in carried:
        prev = entries.get(s.get("fingerprint"))
        if prev is None and s.get("fingerprint"):
            entries[s["fingerprint"]] = {"fingerprint": s["fingerprint"], "rule": s.get("rule", ""),
                                         "reason": s.get("reason", ""), "added": today.isoformat()}
    for f in findings:
        if min_level and (f.level == "none" or level_rank(f.level) < level_rank(min_level)):
            continue
        if f.fingerprint in entries:
            continue  # keep the reviewer's reason and expiry
        entries[f.fingerprint] = entry_for(f, reason=reason, expires=expires, today=today)
    return Baseline(entries=list(entries.values()),
                    created=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
