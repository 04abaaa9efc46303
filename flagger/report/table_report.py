"""A terminal table: articles ranked by score, the rules and entities behind each.

Every string from an article goes through `terminal_text` (escape sequences removed, control
characters shown escaped), columns are padded and cut by display width (a Hangul or CJK
character takes two columns), and an id too long for its column is cut in the middle so a
path keeps its file name. Colour only when asked (`color=True`: the CLI's ``--color``, which
honours NO_COLOR).
"""

from __future__ import annotations

import shutil
from typing import TextIO

import click

from flagger.report.safe import clip_middle, display_width, fit, terminal_text

LEVEL_COLOURS = {"critical": "red", "high": "magenta", "medium": "yellow", "low": "cyan", "none": None}
ID_WIDTH = 32


def _plain(text) -> str:
    return " ".join(terminal_text(text or "").split())


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 article``, ``2 articles``, ``1 entry``/``2 entries`` (with `many`)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _rank(r) -> tuple:
    """Flagged articles by score, then unreadable inputs, then the articles with no finding."""
    return (1 if r.record.error else (2 if r.level == "none" else 0), -r.score, r.record.id)


def write(report, stream: TextIO, color: bool = False, explain: bool = False, **_options) -> None:
    # the terminal's width on a terminal; a file or pipe always gets 120 columns, so the same
    # report written twice (or replayed by `flagger verify`) is the same bytes
    on_terminal = bool(getattr(stream, "isatty", lambda: False)())
    width = max(80, min(shutil.get_terminal_size((120, 20)).columns, 240)) if on_terminal else 120
    id_w = min(ID_WIDTH, max([2] + [display_width(_plain(r.record.id)) for r in report.results]))
    title_w = max(20, width - 9 - 6 - 2 - id_w - 2 - 2 - 40)
    header = f"{'LEVEL':<9}{'SCORE':>6}  {fit('ID', id_w)}  {fit('TITLE', title_w)}  RULES / ENTITIES"
    stream.write(header + "\n")
    indent = " " * 17
    for r in sorted(report.results, key=_rank):
        rid = fit(clip_middle(_plain(r.record.id), id_w), id_w)
        if r.record.error:
            line = f"{'ERROR':<9}{'':>6}  {rid}  {fit(_plain(r.record.error), max(20, width - 19 - id_w)).rstrip()}"
            stream.write(click.style(line, fg="red") if color else line)
            stream.write("\n")
            continue
        what = _plain(", ".join(r.rules + [e.name for e in r.entities]))
        line = (f"{r.level:<9}{r.score:>6.1f}  {rid}  "
                f"{fit(_plain(r.record.title), title_w)}  {fit(what, 40).rstrip()}")
        fg = LEVEL_COLOURS.get(r.level)
        stream.write((click.style(line, fg=fg) if color and fg else line) + "\n")
        if explain and r.contributions:
            for c in r.contributions:
                stream.write(f"{indent}+ {_plain(c.source)}: {c.points:.1f} = weight {c.weight:g} × sim "
                             f"{c.similarity / 100:.2f} × proximity {c.proximity:.2f} × modifier {c.modifier:.2f}"
                             + (f" + entity {c.entity_bonus:g}" if c.entity_bonus else "")
                             + (f"  ({_plain(c.note)})" if c.note else "") + "\n")
            for ev in r.evidence:
                stream.write(f"{indent}» {fit(_plain(ev), width - 20).rstrip()}\n")
    counts = report.counts_by_level()
    stream.write(f"\n{plural(len(report.results), 'article')} · {plural(report.errors, 'error')} · "
                 + " · ".join(f"{k} {v}" for k, v in counts.items()) + "\n")
