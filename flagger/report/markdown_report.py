"""Markdown for a CI job summary or a pull-request comment: ranked table, one quote per article."""

from __future__ import annotations

from typing import TextIO


def _esc(text: str) -> str:
    return " ".join(str(text).replace("|", "\\|").split())


def write(report, stream: TextIO, **_options) -> None:
    counts = report.counts_by_level()
    stream.write("# flagger report\n\n")
    stream.write(f"{len(report.results)} articles · {report.errors} errors · "
                 + " · ".join(f"{k}: {v}" for k, v in counts.items()) + "\n\n")
    ranked = sorted(report.results, key=lambda r: (-r.score, r.record.id))
    flagged = [r for r in ranked if r.level != "none" and not r.record.error]
    if flagged:
        stream.write("| level | score | article | rules | entities | evidence |\n|---|---:|---|---|---|---|\n")
        for r in flagged:
            title = r.record.title or r.record.id
            link = f"[{_esc(title)}]({r.record.url})" if r.record.url else _esc(title)
            ents = ", ".join(sorted({e.name for e in r.entities}))
            quote = r.evidence[0].split(": ", 1)[-1] if r.evidence else ""
            stream.write(f"| {r.level} | {r.score:.1f} | {link} | {_esc(', '.join(r.rules))} | {_esc(ents)} "
                         f"| {_esc(quote)[:160]} |\n")
    else:
        stream.write("No findings.\n")
    errors = [r for r in report.results if r.record.error]
    if errors:
        stream.write("\n## Inputs that could not be read\n\n")
        for r in errors:
            stream.write(f"- `{_esc(r.record.id)}`: {_esc(r.record.error)}\n")
