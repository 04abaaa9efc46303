"""Issue 17, done-when: a folder holding every hostile input of docs/reliability.md and issue 17
scans to the end (no hang), exits 3 and reports every input exactly once."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
HOSTILE = FIXTURES / "hostile"
BASE = ["--rules", str(FIXTURES / "rules" / "basic.yaml"), "--entities", str(FIXTURES / "entities" / "small.csv"),
        "--no-default-entities", "--no-config"]


def _records_in(path: Path) -> int:
    """How many report rows a file of the corpus must give."""
    if path.suffix == ".jsonl":
        return sum(1 for line in path.read_bytes().splitlines() if line.strip()) or 1
    return 1


def test_every_hostile_input_is_reported_once_and_the_scan_exits_3(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    expected: dict[str, int] = {}
    for sub in ("text", "html", "feedlists", "copies"):         # issue 17's and reliability.md's inputs
        for f in sorted((HOSTILE / sub).iterdir()):
            shutil.copy(f, root / f"{sub}-{f.name}")
            expected[f"{sub}-{f.name}"] = _records_in(f)
    shutil.copy(HOSTILE / "structured" / "lone_surrogate.jsonl", root / "lone_surrogate.jsonl")
    expected["lone_surrogate.jsonl"] = 4
    shutil.copy(HOSTILE / "structured" / "not_json.json", root / "not_json.json")
    expected["not_json.json"] = 1
    os.mkfifo(root / "pipe.jsonl")                                # would hang if opened
    (root / "broken.txt").symlink_to(root / "nowhere.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    expected.update({"pipe.jsonl": 1, "broken.txt": 1, "loop.txt": 1})
    # html-deep_nesting.rss is a feed of one entry; the copies file holds 3 records, each its own row;
    # the feed lists are errors here (a folder never makes flagger fetch)

    out = tmp_path / "report.jsonl"
    res = CliRunner().invoke(main, ["scan", *BASE, str(root), "-o", str(out)], catch_exceptions=False)
    assert res.exit_code == 3, res.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == sum(expected.values())                     # count in = count out
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids), "an input appears twice"
    for name in expected:                                          # every input is named by a row
        assert any(name in (r["id"] + r["source"] + r["error"] + r.get("feed", "")) for r in rows), name
    errors = {r["id"]: r["error"] for r in rows if r["error"]}
    assert any("never opened" in e for e in errors.values())
    assert any("lone UTF-16 surrogate" in e for e in errors.values())
    assert any("is a feed list" in e for e in errors.values())
    deep = [r for r in rows if "deep_nesting" in r["source"] or "port.example" in r.get("url", "")]
    assert deep and all(r["rules"] == ["test.arms"] for r in deep)


def test_files_a_folder_walk_does_not_read_are_named_in_the_summary(tmp_path):
    """Issue 17 (minor): dot-files, .log, extension-less and .gz files were skipped without a word."""
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text("Fair\n\nFarmers showed pumpkins.\n")
    for name in (".hidden.txt", "server.log", "README", "old.jsonl.gz"):
        (news / name).write_bytes(b"North Korea shipped artillery shells.\n")
    res = CliRunner().invoke(main, ["scan", *BASE, str(news), "-f", "csv"], catch_exceptions=False)
    assert res.exit_code == 0
    [line] = [x for x in res.stderr.splitlines() if "were not read" in x]
    assert line.startswith("flagger: 4 file(s) in the scanned folders were not read")
    for name in (".hidden.txt", "server.log", "README", "old.jsonl.gz"):
        assert str(news / name) in line
