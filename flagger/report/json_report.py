"""JSON: the CSV's fields with lists as arrays, entities as objects, each article's hits nested."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TextIO

from flagger.report.frames import article_row
from flagger.report.provenance import content_digest


def article_object(r, explain: bool = True, row: dict | None = None) -> dict:
    """`row`: the article's `article_row` when the caller has made it (it is changed here)."""
    row = article_row(r) if row is None else row
    row["entities"] = [
        {"id": e.entity_id, "name": e.name, "matched_name": e.matched_name, "type": e.type, "list": e.list,
         "programs": e.programs, "similarity": e.similarity, "matched_text": e.matched_text,
         "start": e.start, "end": e.end, "field": e.field, "explanation": e.explanation}
        for e in r.entities
    ]
    row["hits"] = [asdict(h) for h in r.hits]
    if explain:
        row["score_explanation"] = [asdict(c) for c in r.contributions]
    for key, value in sorted(r.record.extra.items()):
        row.setdefault(key, value)
    return row


def summary(report) -> dict:
    return {"articles": len(report.results), "errors": report.errors, "by_level": report.counts_by_level()}


def content(doc: dict) -> dict:
    """What a JSON report's content digest covers: its summary and its articles."""
    return {"summary": doc.get("summary"), "articles": doc.get("articles")}


def write(report, stream: TextIO, **_options) -> None:
    doc = {
        "flagger_report": 1,
        "provenance": report.provenance,
        "summary": summary(report),
        "articles": [article_object(r) for r in report.results],
    }
    if report.provenance:     # so `flagger verify` can tell an edited report from the one written here
        doc["provenance"] = {**report.provenance,
                             "report": {"format": "json", "content_sha256": content_digest(content(doc))}}
    json.dump(doc, stream, ensure_ascii=False, indent=2, sort_keys=False, default=str)
    stream.write("\n")
