"""A terminal table: articles ranked by score, the rules and entities behind each."""

from __future__ import annotations

import shutil
from typing import TextIO

import click

LEVEL_COLOURS = {"critical": "red", "high": "magenta", "medium": "yellow", "low": "cyan", "none": None}


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def write(report, stream: TextIO, color: bool = False, explain: bool = False, **_options) -> None:
    width = max(80, min(shutil.get_terminal_size((120, 20)).columns, 200))
    title_w = max(20, width - 60)
    header = f"{'LEVEL':<9}{'SCORE':>6}  {'ID':<18}  {'TITLE':<{title_w}}  RULES / ENTITIES"
    stream.write(header + "\n")
    for r in sorted(report.results, key=lambda r: (-r.score, r.record.id)):
        if r.record.error:
            line = f"{'ERROR':<9}{'':>6}  {_clip(r.record.id, 18):<18}  {_clip(r.record.error, width - 37)}"
            stream.write(click.style(line, fg="red") if color else line)
            stream.write("\n")
            continue
        what = ", ".join(r.rules + [e.name for e in r.entities])
        line = (f"{r.level:<9}{r.score:>6.1f}  {_clip(r.record.id, 18):<18}  "
                f"{_clip(r.record.title or '', title_w):<{title_w}}  {_clip(what, 60)}")
        fg = LEVEL_COLOURS.get(r.level)
        stream.write((click.style(line, fg=fg) if color and fg else line) + "\n")
        if explain and r.contributions:
            for c in r.contributions:
                stream.write(f"{'':17}+ {c.source}: {c.points:.1f} = weight {c.weight:g} × sim {c.similarity / 100:.2f}"
                             f" × proximity {c.proximity:.2f} × modifier {c.modifier:.2f}"
                             + (f" + entity {c.entity_bonus:g}" if c.entity_bonus else "")
                             + (f"  ({c.note})" if c.note else "") + "\n")
            for ev in r.evidence:
                stream.write(f"{'':17}» {_clip(ev, width - 20)}\n")
    counts = report.counts_by_level()
    stream.write(f"\n{len(report.results)} articles · {report.errors} errors · "
                 + " · ".join(f"{k} {v}" for k, v in counts.items()) + "\n")
