"""Markdown: ranked table with level, score, gate mark, rules, entities and one quote per article."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config"]


def test_markdown_ranked_table(tmp_path):
    jl = tmp_path / "a.jsonl"
    jl.write_text('{"id": "j1", "title": "Dealer | broker", "text": "KOMID sold ammunition abroad."}\n'
                  '{"id": "j2", "title": "Drills", "text": "Russia and North Korea staged a joint military exercise."}\n'
                  '{"id": "j3", "title": "Calm", "text": "Pumpkins at the fair."}\n')
    res = CliRunner().invoke(main, ["scan", *BASE, str(jl), str(FIXTURES / "feeds" / "rss2.xml"), "-f", "markdown",
                                    "--fail-on", "arms-embargo=high"], catch_exceptions=False)
    assert res.exit_code == 1
    md = res.stdout
    rows = [line for line in md.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == 4                                      # flagged only, ranked
    scores = [float(r.split("|")[3]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    top = rows[0]
    assert "✖" in top and "Dealer \\| broker" in top and "Korea Mining Development Trading Corporation" in top
    assert "“ammunition … KOMID”" in top or "“KOMID … ammunition”" in top
    assert "[Rail cars carried shells north](https://wire.example/2026/01/rail-shells)" in md
    assert "**✖ gate failed**: 2 article(s)" in md
    assert "## Legal basis of the rules that fired" in md and "UNSCR 1718 (2006)" in md
