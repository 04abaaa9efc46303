"""Markdown for a CI job summary or a pull-request comment: ranked table, one quote per article.

Columns: rank, level, score, gate (✖ when the article fails the gate), article (linked), rules,
entities, and the strongest evidence quote. Below: unreadable inputs, baseline notes, and the
legal basis of every rule that fired. Text from articles is escaped so a title or url can neither
break the table (| or a line break) nor render as an image, a link or HTML; only http(s) urls
are linked. Long runs are capped at MAX_ROWS rows (job summaries have
a size limit); the full list is in the other formats.
"""

from __future__ import annotations

from typing import TextIO

from flagger.ci.gate import outcome_for
from flagger.report.provenance import entity_lists_line
from flagger.report.safe import markdown_text, markdown_url

MAX_ROWS = 200


def _esc(text) -> str:
    return markdown_text(text)


def write(report, stream: TextIO, explain: bool = False, **_options) -> None:
    """The Markdown report; with `explain` (``--explain``) a section shows how each ranked
    article's score was made (the table's explanation lines)."""
    outcome = outcome_for(report)
    counts = outcome.counts_by_level()
    w = stream.write
    w("# flagger report\n\n")
    w(f"{len(report.results)} articles · {outcome.errors} errors · "
      + " · ".join(f"{k}: {v}" for k, v in counts.items())
      + (f" · {outcome.suppressed} suppressed by baseline" if outcome.suppressed else "")
      + (f" · gate: {outcome.gate.describe()}" if outcome.gate.active else "") + "\n\n")
    lists = entity_lists_line(report.provenance or {})
    if lists:
        w(f"Entity lists: {_esc(lists)}\n\n")
    if outcome.gate.active:
        w(f"**{'✖ gate failed' if outcome.n_failing else '✔ gate passed'}**: "
          f"{outcome.n_failing} article(s) at or above the gate.\n\n")
    ranked = sorted((v for v in outcome.verdicts if v.status != "error" and v.result.level != "none"),
                    key=lambda v: (-v.result.score, v.result.record.id))
    if ranked:
        w("| # | level | score | gate | article | rules | entities | evidence |\n"
          "|---:|---|---:|:---:|---|---|---|---|\n")
        for n, v in enumerate(ranked[:MAX_ROWS], 1):
            r = v.result
            title = r.record.title or r.record.id
            url = markdown_url(r.record.url)
            link = f"[{_esc(title)}]({url})" if url else _esc(title)
            copies = r.record.extra.get("copies") if isinstance(r.record.extra, dict) else None
            if copies:
                link += f" (+{copies} copies)"
            ents = ", ".join(sorted({e.name for e in r.entities}))
            quote = r.evidence[0].split(": ", 1)[-1] if r.evidence else (
                v.findings[0].evidence if v.findings else "")
            gate = "✖" if v.status == "fail" else ""
            w(f"| {n} | **{r.level}** | {r.score:.1f} | {gate} | {link} | {_esc(', '.join(r.rules))} | {_esc(ents)} "
              f"| “{_esc(str(quote)[:160])}” |\n")
        if len(ranked) > MAX_ROWS:
            w(f"\n… and {len(ranked) - MAX_ROWS} more flagged articles (see the JSON, SARIF or HTML report).\n")
    else:
        w("No findings.\n")
    if explain and ranked:
        w("\n## How the scores were made\n\n")
        for n, v in enumerate(ranked[:MAX_ROWS], 1):
            r = v.result
            w(f"{n}. **{_esc(r.record.title or r.record.id)}**: {r.score:.1f}\n")
            for c in r.contributions:
                w(f"   - {_esc(c.source)}: {c.points:.1f} = weight {c.weight:g} × sim {c.similarity / 100:.2f} × "
                  f"proximity {c.proximity:.2f} × modifier {c.modifier:.2f}"
                  + (f" + entity {c.entity_bonus:g}" if c.entity_bonus else "")
                  + (f" ({_esc(c.note)})" if c.note else "") + "\n")
    errors = [v.result for v in outcome.verdicts if v.status == "error"]
    if errors:
        w("\n## Inputs that could not be read\n\n")
        for r in errors[:MAX_ROWS]:
            w(f"- {_esc(r.record.id)}: {_esc(r.record.error)}\n")
    if outcome.expired_baseline or outcome.stale_baseline:
        w("\n## Baseline\n\n")
        for e in outcome.expired_baseline:
            w(f"- expired on {_esc(e.get('expires'))}, alerting again: {_esc(e.get('rule', ''))} in "
              f"{_esc(e.get('source', ''))}\n")
        if outcome.stale_baseline:
            w(f"- {len(outcome.stale_baseline)} entries no longer match any finding (`flagger baseline prune`)\n")
    rules_by_id = {r.id: r for r in report.rules}
    fired = sorted({rid for v in ranked for rid in v.result.rules if rid in rules_by_id})
    if fired:
        w("\n## Legal basis of the rules that fired\n\n")
        for rid in fired:
            rule = rules_by_id[rid]
            w(f"- **{rid}** — {_esc(rule.title)}: {_esc('; '.join(rule.legal_basis))}\n")
