"""What `flagger scan` shows a person on stderr: the progress bar and the summary lines."""

from __future__ import annotations

import os
import sys

import click


def show_progress(mode: str) -> bool:
    """A progress bar only for a person watching: stderr is a terminal and this is not CI."""
    if mode == "never":
        return False
    if mode == "always":
        return True
    return sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


def with_progress(records, enabled: bool):
    if not enabled:
        yield from records
        return
    with click.progressbar(records, label="scanning", file=sys.stderr, show_pos=True,
                           item_show_func=lambda r: (r.title or r.id)[:40] if r is not None else "") as bar:
        yield from bar


def summary_lines(outcome, seconds: float) -> list[str]:
    counts = outcome.counts_by_level()
    flagged = " · ".join(f"{k} {counts[k]}" for k in ("low", "medium", "high", "critical"))
    parts = [f"{outcome.articles} articles", f"{outcome.errors} errors", f"flagged: {flagged}",
             f"{outcome.suppressed} suppressed"]
    if outcome.skipped_seen:
        parts.append(f"{outcome.skipped_seen} already seen")
    if outcome.duplicates:
        parts.append(f"{outcome.duplicates} copies grouped")
    parts += [f"{seconds:.2f} s", f"exit {outcome.exit_code}"]
    lines = ["flagger: " + " · ".join(parts)]
    if outcome.n_failing:
        lines.append(f"flagger: gate failed ({outcome.gate.describe()}): {outcome.n_failing} article(s)")
        for v in outcome.failing[:10]:
            rec = v.result.record
            lines.append(f"  {v.result.level:<8} {v.result.score:5.1f}  {rec.url or rec.id}: {'; '.join(v.reasons)}")
        if outcome.n_failing > len(outcome.failing):
            lines.append(f"  … and {outcome.n_failing - len(outcome.failing)} more")
    for e in outcome.expired_baseline:
        lines.append(f"flagger: baseline entry for {e.get('rule')} in {e.get('source')} expired on {e.get('expires')}"
                     f" — no longer suppressed ({e['fingerprint'][:12]})")
    if outcome.stale_baseline:
        lines.append(f"flagger: {len(outcome.stale_baseline)} baseline entr"
                     f"{'y' if len(outcome.stale_baseline) == 1 else 'ies'} no longer match any finding "
                     "(remove with `flagger baseline prune`):")
        for e in outcome.stale_baseline[:10]:
            lines.append(f"  {e['fingerprint'][:12]} {e.get('rule', '')} {e.get('source', '')}")
    return lines
