"""What `flagger scan` shows a person on stderr: the progress bar and the summary lines."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from flagger.model import LEVELS
from flagger.report.safe import terminal_text
from flagger.report.table_report import plural


def show_progress(mode: str) -> bool:
    """A progress bar only for a person watching: stderr is a terminal and this is not CI."""
    if mode == "never":
        return False
    if mode == "always":
        return True
    return sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


def use_color(mode: str, stream) -> bool:
    """Colour for `mode` (auto | always | never): auto colours only a terminal, and never when the
    NO_COLOR environment variable is set to anything (https://no-color.org)."""
    if mode == "always":
        return True
    if mode == "never" or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)()) and os.environ.get("TERM") != "dumb"


#: inputs whose article count is known before scanning: one article per file, one per JSONL line
ONE_PER_FILE = (".txt", ".md")
ONE_PER_LINE = (".jsonl", ".ndjson")


def count_articles(inputs) -> int | None:
    """How many articles `inputs` hold, when that is known without parsing them (text files one
    each, JSONL one per non-blank line, folders of those); None when any input is a URL, stdin,
    a feed, CSV, JSON or Parquet (then the bar shows a count, not a percentage)."""
    total = 0
    for item in inputs:
        path = Path(item)
        if item == "-" or "://" in str(item) or not path.exists():
            return None
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            suffix = f.suffix.lower()
            if suffix in ONE_PER_FILE and not path.is_dir() and _looks_like_list(f):
                return None
            if suffix in ONE_PER_FILE:
                total += 1
            elif suffix in ONE_PER_LINE:
                with f.open("rb") as stream:
                    total += sum(1 for line in stream if line.strip())
            elif f.name.startswith(".") or f.name.endswith(".meta.json"):
                continue
            else:
                return None
    return total


def _looks_like_list(path: Path) -> bool:
    """A .txt named on the command line may be a list of feed URLs (its articles are unknown)."""
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return True
    return b"://" in head


def with_progress(records, enabled: bool = True, total: int | None = None):
    """`records`, unchanged, with a progress bar on stderr: with a known `total`, the bar, the
    percentage and the time left; without, the count so far."""
    if not enabled:
        yield from records
        return
    with click.progressbar(records, length=total, label="scanning", file=sys.stderr, show_pos=True,
                           show_percent=total is not None, show_eta=total is not None,
                           item_show_func=lambda r: terminal_text(r.title or r.id)[:40] if r is not None else "") as bar:
        yield from bar


def summary_lines(outcome, seconds: float, min_level: str | None = None) -> list[str]:
    counts = outcome.counts_by_level()
    flagged = " · ".join(f"{k} {counts[k]}" for k in ("low", "medium", "high", "critical"))
    parts = [plural(outcome.articles, "article"), plural(outcome.errors, "error"), f"flagged: {flagged}",
             f"{outcome.suppressed} suppressed"]
    if outcome.skipped_seen:
        parts.append(f"{outcome.skipped_seen} already seen")
    if outcome.duplicates:
        parts.append(f"{outcome.duplicates} copies grouped")
    parts += [f"{seconds:.2f} s", f"exit {outcome.exit_code}"]
    lines = ["flagger: " + " · ".join(parts)]
    if min_level:
        below = sum(n for level, n in counts.items() if LEVELS.index(level) < LEVELS.index(min_level))
        lines.append(f"flagger: {plural(below, 'article')} below {min_level} left out of the report (--min-level)")
    if outcome.n_failing:
        lines.append(f"flagger: gate failed ({outcome.gate.describe()}): {plural(outcome.n_failing, 'article')}")
        for v in outcome.failing[:10]:
            rec = v.result.record        # ids, urls and reasons come from articles: no escapes reach the terminal
            lines.append(f"  {v.result.level:<8} {v.result.score:5.1f}  {terminal_text(rec.url or rec.id)}: "
                         f"{terminal_text('; '.join(v.reasons))}")
        if outcome.n_failing > len(outcome.failing):
            lines.append(f"  … and {outcome.n_failing - len(outcome.failing)} more")
    for e in outcome.expired_baseline:
        lines.append(f"flagger: baseline entry for {terminal_text(e.get('rule'))} in {terminal_text(e.get('source'))} "
                     f"expired on {terminal_text(e.get('expires'))}"
                     f" — no longer suppressed ({e['fingerprint'][:12]})")
    if outcome.stale_baseline:
        lines.append(f"flagger: {len(outcome.stale_baseline)} baseline entr"
                     f"{'y' if len(outcome.stale_baseline) == 1 else 'ies'} no longer match any finding "
                     "(remove with `flagger baseline prune`):")
        for e in outcome.stale_baseline[:10]:
            lines.append(f"  {e['fingerprint'][:12]} {terminal_text(e.get('rule', ''))} {terminal_text(e.get('source', ''))}")
    return lines
