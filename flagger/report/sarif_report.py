"""SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure DevOps).

One result per finding (a fired rule in an article, or a sanctioned-entity mention). Each rule
is a reportingDescriptor whose help text carries its legal basis and references. The location is
the file and line of the evidence, or the article URL for feeds and web pages. Findings that a
baseline suppressed are kept as results with an `external` suppression and the reviewer's reason,
so dashboards close them instead of reopening. `partialFingerprints` carry flagger's stable
fingerprint (source + rule + normalised evidence), the key dashboards track alerts by.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from flagger.ci.gate import ENTITY_CATEGORY, outcome_for
from flagger.report.provenance import content_digest
from flagger.versions import flagger_version

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
ENTITY_RULE_ID = "sanctioned-entity"
_SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "none": "none"}


def _rule_descriptor(rule) -> dict:
    basis = list(rule.legal_basis)
    refs = list(rule.references)
    text = (f"{rule.title}\n\nLegal basis:\n" + "\n".join(f"- {b}" for b in basis)
            + ("\n\nReferences:\n" + "\n".join(f"- {r}" for r in refs) if refs else ""))
    md = (f"**{rule.title}**\n\n" + (f"{rule.description}\n\n" if rule.description else "")
          + "**Legal basis**\n\n" + "\n".join(f"- {b}" for b in basis)
          + ("\n\n**References**\n\n" + "\n".join(f"- {r}" for r in refs) if refs else ""))
    desc = {
        "id": rule.id,
        "name": "".join(p.capitalize() for p in rule.id.replace("-", ".").replace("_", ".").split(".")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description or rule.title},
        "help": {"text": text, "markdown": md},
        "defaultConfiguration": {"level": _SARIF_LEVEL.get(rule.severity, "warning")},
        "properties": {
            "category": rule.category, "severity": rule.severity, "status": rule.status,
            "legal_basis": basis, "references": refs, "pack": rule.pack_id,
            "tags": ["sanctions", rule.category],
            "security-severity": f"{min(10.0, rule.weight / 10):.1f}",
        },
    }
    url = next((r for r in refs if r.startswith(("https://", "http://"))), None)
    if url:
        desc["helpUri"] = url
    return desc


def _minimal_descriptor(rule_id: str, category: str) -> dict:
    return {"id": rule_id, "shortDescription": {"text": rule_id},
            "help": {"text": f"{rule_id} ({category}); legal basis: see the rule pack"},
            "properties": {"category": category, "tags": ["sanctions", category]}}


ENTITY_DESCRIPTOR = {
    "id": ENTITY_RULE_ID,
    "name": "SanctionedEntity",
    "shortDescription": {"text": "A listed (sanctioned) person, organisation, vessel or aircraft is named"},
    "fullDescription": {"text": "The article names an entity on a loaded sanctions list. A mention alone is a "
                                "low-level finding; it raises the level of any rule it is evidence for."},
    "help": {"text": "Legal basis: the designation of the entity on the list named in the result "
                     "(for example the UN Security Council 1718 Committee list or OFAC's SDN list).",
             "markdown": "**Legal basis**: the entity's designation on the list named in the result "
                         "(e.g. UN 1718 Committee list, OFAC SDN list)."},
    "defaultConfiguration": {"level": "note"},
    "properties": {"category": ENTITY_CATEGORY, "tags": ["sanctions", ENTITY_CATEGORY],
                   "legal_basis": ["designation on the matched sanctions list"]},
}


def _uri_for(path: str) -> tuple[str, str | None]:
    """(uri, uriBaseId): repository-relative paths for files under the working directory."""
    if path.startswith(("http://", "https://")):
        return path, None
    if path in ("", "-"):
        return "stdin", None
    p = Path(path)
    try:
        rel = p.resolve().relative_to(Path(os.getcwd()).resolve())
        return quote(rel.as_posix()), "%SRCROOT%"
    except (ValueError, OSError):
        return p.resolve().as_uri(), None


def _location(result, finding) -> dict:
    rec = result.record
    from_feed = isinstance(rec.extra, dict) and "feed" in rec.extra
    if rec.url and (from_feed or not rec.origin or rec.origin.startswith(("http://", "https://"))):
        uri, base = rec.url, None
        region = None
    else:
        uri, base = _uri_for(rec.origin or rec.id)
        line = rec.line if rec.line else (finding.line or 1)
        region = {"startLine": max(1, int(line)), "snippet": {"text": finding.evidence[:500]}}
    art = {"uri": uri}
    if base:
        art["uriBaseId"] = base
    phys = {"artifactLocation": art}
    if region:
        phys["region"] = region
    loc = {"physicalLocation": phys}
    if rec.url and uri != rec.url:
        loc["message"] = {"text": rec.url}
    return loc


def sarif_document(report) -> dict:
    outcome = outcome_for(report)
    rules_by_id = {r.id: r for r in report.rules}
    descriptors: list[dict] = []
    index: dict[str, int] = {}

    def rule_index(rule_id: str, category: str) -> int:
        if rule_id not in index:
            if rule_id == ENTITY_RULE_ID:
                d = ENTITY_DESCRIPTOR
            elif rule_id in rules_by_id:
                d = _rule_descriptor(rules_by_id[rule_id])
            else:
                d = _minimal_descriptor(rule_id, category)
            index[rule_id] = len(descriptors)
            descriptors.append(d)
        return index[rule_id]

    for rid in sorted(rules_by_id):   # every loaded rule is described, fired or not
        rule_index(rid, rules_by_id[rid].category)

    results, notifications = [], []
    ranked = sorted(outcome.verdicts, key=lambda v: (-v.result.score, v.result.record.id))
    for v in ranked:
        r = v.result
        if v.status == "error":
            uri, base = _uri_for(r.record.origin or r.record.id)
            art = {"uri": uri, **({"uriBaseId": base} if base else {})}
            notifications.append({"level": "error", "message": {"text": r.record.error},
                                  "locations": [{"physicalLocation": {"artifactLocation": art}}],
                                  "descriptor": {"id": "input-error"}})
            continue
        for f in v.findings:
            rid = ENTITY_RULE_ID if f.rule_id.startswith("entity:") else f.rule_id
            title = r.record.title or r.record.id
            what = rules_by_id[rid].title if rid in rules_by_id else (
                f"sanctioned entity {f.rule_id.split(':', 1)[1]}" if rid == ENTITY_RULE_ID else rid)
            res = {
                "ruleId": rid,
                "ruleIndex": rule_index(rid, f.category),
                "level": _SARIF_LEVEL.get(f.level, "note") if f.level != "none" else "note",
                "kind": "fail",
                "message": {"text": f"{f.level} ({f.score:.1f}): {what} — “{f.evidence}” in “{title}”"},
                "locations": [_location(r, f)],
                "partialFingerprints": {"flaggerFingerprint/v1": f.fingerprint},
                "rank": round(min(100.0, max(0.0, f.score)), 1),
                "properties": {
                    "article_id": r.record.id, "article_title": r.record.title, "article_url": r.record.url,
                    "article_score": r.score, "article_level": r.level, "source": f.source,
                    "finding_rule": f.rule_id, "category": f.category, "score": f.score, "level": f.level,
                    "evidence": f.evidence, "entities": f.entity_ids, "gate": f.status,
                },
            }
            dups = r.record.extra.get("duplicates") if isinstance(r.record.extra, dict) else None
            if dups:   # syndicated copies of this article: one result, the copies listed
                res["properties"]["copies"] = len(dups)
                res["properties"]["duplicates"] = [d.get("url") or d.get("id") for d in dups]
            if f.status == "suppressed":
                entry = f.suppressed_by or {}
                res["suppressions"] = [{"kind": "external", "status": "accepted",
                                        "justification": entry.get("reason") or "in baseline"}]
            results.append(res)
    run = {
        "tool": {"driver": {"name": "flagger", "version": flagger_version(), "semanticVersion": flagger_version(),
                            "rules": descriptors}},
        "invocations": [{
            "executionSuccessful": outcome.errors == 0,
            "toolExecutionNotifications": notifications,
            "endTimeUtc": finished_at(report).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "properties": {"gate": outcome.gate.describe(), "exit_code": outcome.exit_code},
        }],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(os.getcwd()).resolve().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "provenance": report.provenance,
            "summary": {"articles": len(report.results), "errors": outcome.errors,
                        "by_level": outcome.counts_by_level(), "suppressed": outcome.suppressed},
        },
    }
    if report.provenance:     # so `flagger verify` can tell an edited log from the one written here
        run["properties"]["provenance"] = {**report.provenance,
                                           "report": {"format": "sarif", "content_sha256": content_digest(content(run))}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def content(run: dict) -> dict:
    """What a SARIF log's content digest covers: the run's results, invocations and summary."""
    return {"results": run.get("results"), "invocations": run.get("invocations"),
            "summary": (run.get("properties") or {}).get("summary")}


def finished_at(report) -> datetime:
    """When the scan finished, from its provenance (so a replayed report says the same); now
    for a report without one."""
    prov = report.provenance or {}
    try:
        started = datetime.fromisoformat(str(prov["started"]).replace("Z", "+00:00"))
        return started + timedelta(seconds=float(prov.get("duration_seconds") or 0))
    except (KeyError, ValueError):
        return datetime.now(UTC)


def write(report, stream: TextIO, **_options) -> None:
    json.dump(sarif_document(report), stream, ensure_ascii=False, indent=2, default=str)
    stream.write("\n")
