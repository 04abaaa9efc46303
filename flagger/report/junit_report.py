"""JUnit XML for CI test-report widgets: one test case per article.

An article at or above the gate is a <failure> (message: level, score and the gate reason; body:
every finding with its evidence); an unreadable input is an <error>; a flagged article below the
gate passes with its findings in <system-out>, so the widget shows them without failing the job.
Without a gate nothing fails, matching the exit code.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import TextIO

from flagger.ci.gate import outcome_for

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(text) -> str:
    return _ILLEGAL_XML.sub("\ufffd", str(text))


def _finding_lines(v) -> str:
    lines = []
    for f in v.findings:
        tag = "" if f.status in ("fail", "warn") else f" [{f.status}]"
        where = f" (line {f.line})" if f.line else ""
        lines.append(f"{f.level:<8} {f.score:5.1f}  {f.rule_id} [{f.category}]{tag}{where}: {f.evidence}")
    return "\n".join(lines)


def _started(prov: dict) -> datetime:
    try:
        return datetime.fromisoformat(str(prov["started"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return datetime.now(UTC)


def junit_tree(report) -> ET.ElementTree:
    outcome = outcome_for(report)
    verdicts = sorted(outcome.verdicts, key=lambda v: (-v.result.score, v.result.record.id))
    n = len(verdicts)
    failures = sum(1 for v in verdicts if v.status == "fail")
    errors = sum(1 for v in verdicts if v.status == "error")
    prov = report.provenance or {}      # the recorded run's timing, so a replayed report says the same
    seconds = f"{float(prov.get('duration_seconds', report.seconds)):.3f}"
    root = ET.Element("testsuites", name="flagger", tests=str(n), failures=str(failures), errors=str(errors),
                      time=seconds)
    suite = ET.SubElement(root, "testsuite", name="flagger scan", tests=str(n), failures=str(failures),
                          errors=str(errors), skipped="0", time=seconds,
                          timestamp=_started(prov).strftime("%Y-%m-%dT%H:%M:%S"))
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="gate", value=_x(outcome.gate.describe()))
    ET.SubElement(props, "property", name="suppressed", value=str(outcome.suppressed))
    for v in verdicts:
        rec = v.result.record
        classname = rec.source or rec.origin or "flagger"
        name = rec.title or rec.id
        case = ET.SubElement(suite, "testcase", classname=_x(classname), name=_x(name), time="0",
                             file=_x(rec.url or rec.origin or rec.id))
        if v.status == "error":
            el = ET.SubElement(case, "error", message=_x(rec.error), type="unreadable-input")
            el.text = _x(rec.error)
            continue
        if v.status == "fail":
            msg = f"{v.result.level} {v.result.score:.1f}: " + "; ".join(v.reasons)
            el = ET.SubElement(case, "failure", message=_x(msg), type=v.result.level)
            dups = rec.extra.get("duplicates") if isinstance(rec.extra, dict) else None
            also = ("also published at: " + ", ".join(d.get("url") or d.get("id") for d in dups) + "\n") if dups else ""
            el.text = _x((rec.url + "\n" if rec.url else "") + also + _finding_lines(v))
        elif v.findings:
            out = ET.SubElement(case, "system-out")
            out.text = _x(f"below the gate ({outcome.gate.describe()}):\n" + _finding_lines(v))
    ET.indent(root)
    return ET.ElementTree(root)


def write(report, stream: TextIO, **_options) -> None:
    tree = junit_tree(report)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(tree.getroot(), encoding="unicode"))
    stream.write("\n")
