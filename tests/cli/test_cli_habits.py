"""The command line fits the habits of linter and scanner users: rule selection, one rule shown,
bundled-plus-mine rule packs, two names compared, one similarity scale, dates that make sense."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
RULES = FIXTURES / "rules" / "basic.yaml"
BASE = ["--rules", str(RULES), "--no-default-entities", "--no-config", "-q"]
ARTICLE = {"id": "a", "text": "North Korea sent artillery shells to Russia. Russia and North Korea staged a joint "
                              "military exercise."}


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], **kw)


@pytest.fixture()
def news(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.jsonl").write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    return tmp_path


def _rules_fired(path="r.json") -> set[str]:
    return set(json.loads(Path(path).read_text(encoding="utf-8"))["articles"][0]["rules"])


def test_select_and_ignore_narrow_the_rules_by_id_or_category(news):
    assert run("scan", "a.jsonl", *BASE, "-o", "r.json").exit_code == 0
    both = _rules_fired()
    assert {"test.arms", "test.coop"} <= both
    res = run("scan", "a.jsonl", *BASE, "-o", "r.json", "--select", "test.arm*")
    assert res.exit_code == 0, res.output
    assert _rules_fired() == {"test.arms"}
    assert run("scan", "a.jsonl", *BASE, "-o", "r.json", "--ignore", "arms-embargo").exit_code == 0
    assert "test.arms" not in _rules_fired() and "test.coop" in _rules_fired()
    # the replay scans with the same selection: an untouched report verifies
    res = run("verify", "r.json", "--rules", RULES)
    assert res.exit_code == 0, res.output


def test_a_pattern_that_matches_no_rule_is_a_usage_error(news):
    res = run("scan", "a.jsonl", *BASE, "--select", "test.arsm")
    assert res.exit_code == 2 and "--select test.arsm: matches no rule" in res.output


def test_extend_rules_adds_my_packs_to_the_bundled_ones(news, tmp_path):
    Path("flagger.yaml").write_text(f"extend_rules: [{RULES}]\nrules: [{RULES.parent}]\n", encoding="utf-8")
    shown = run("config", "show")
    assert shown.exit_code == 0 and "extend_rules" in shown.output
    # without `rules`, extend_rules adds to the bundled packs
    Path("flagger.yaml").write_text(f"extend_rules: [{RULES}]\ndefault_entities: false\n", encoding="utf-8")
    res = run("scan", "a.jsonl", "-q", "-o", "r.json")
    assert res.exit_code == 0, res.output
    packs = {p["id"] for p in json.loads(Path("r.json").read_text())["provenance"]["rule_packs"]}
    assert "test-basic" in packs and len(packs) > 1          # mine plus the bundled packs


def test_rules_show_prints_one_rule_as_written(news):
    res = run("rules", "show", "test.arms", RULES)
    assert res.exit_code == 0
    assert "# pack test-basic" in res.output and "UNSCR 1718 (2006)" in res.output and "artillery shell" in res.output
    res = run("rules", "show", "test.armz", RULES)
    assert res.exit_code == 2 and "did you mean test.arms" in res.output


def test_names_compare_takes_two_names():
    res = run("names", "compare", "Kim Jong-un", "Kim Chong Un")
    assert res.exit_code == 1 and res.output.startswith("MATCH ")
    score = float(res.output.split()[1])
    assert 75 <= score <= 100                               # the 0-100 scale
    res = run("names", "compare", "Kim Jong-un", "Vladimir Putin")
    assert res.exit_code == 0 and res.output.startswith("no match")


def test_thresholds_are_0_to_100_and_the_old_scale_is_deprecated():
    res = run("names", "compare", "Kim Jong-un", "Kim Chong Un", "--threshold", "99.5")
    assert res.exit_code == 0 and "(threshold 99.5)" in res.output
    res = run("names", "compare", "Kim Jong-un", "Kim Chong Un", "--threshold", "0.5")
    assert res.exit_code == 1 and "(threshold 50)" in res.output and "deprecated" in res.stderr


def test_baseline_expiry_in_the_past_is_a_usage_error(news):
    assert run("scan", "a.jsonl", *BASE, "-o", "r.json").exit_code == 0
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    res = run("baseline", "create", "r.json", "-o", "b.json", "--expires", yesterday)
    assert res.exit_code == 2 and "in the past" in res.output and not Path("b.json").exists()
    res = run("baseline", "create", "r.json", "-o", "b.json", "--expires", "2099-01-01")
    assert res.exit_code == 0 and "2 entries" in res.stderr


def test_min_level_leaves_lower_rows_out_and_says_so(news):
    Path("calm.jsonl").write_text(json.dumps({"id": "calm", "text": "Pumpkins won a prize at the fair."}) + "\n")
    Path("empty.txt").write_text("")
    res = run("scan", "a.jsonl", "calm.jsonl", "empty.txt", *BASE[:-1], "-o", "r.csv", "--report", "r.json",
              "--report", "r.html", "--min-level", "high")
    assert res.exit_code == 3                                # the empty file
    assert "1 article below high left out of the report (--min-level)" in res.stderr
    rows = Path("r.csv").read_text().splitlines()[1:]
    assert [r.split(",")[0] for r in rows] == ["a", "empty.txt"]   # the error row always stays
    doc = json.loads(Path("r.json").read_text())
    assert [a["id"] for a in doc["articles"]] == ["a", "empty.txt"] and doc["summary"]["articles"] == 2
    assert 'data-id="calm"' not in Path("r.html").read_text()
    alone = run("scan", "a.jsonl", "calm.jsonl", *BASE, "-o", "s.csv", "--min-level", "high")   # streamed
    assert alone.exit_code == 0 and [r.split(",")[0] for r in Path("s.csv").read_text().splitlines()[1:]] == ["a"]
    for report in ("s.csv", "r.json", "r.html"):
        res = run("verify", report, "--rules", RULES)
        assert res.exit_code == 0, res.output                    # the replay cuts at the same level


def test_progress_bar_runs_and_knows_its_total(news):
    from flagger.cli.progress import count_articles, with_progress

    Path("folder").mkdir()
    for i in range(3):
        Path(f"folder/{i}.txt").write_text(f"Title {i}\n\nText {i}.\n")
    Path("two.jsonl").write_text('{"id": "x", "text": "a"}\n\n{"id": "y", "text": "b"}\n')
    assert count_articles(["folder", "two.jsonl", "a.jsonl"]) == 6
    assert count_articles(["folder", "-"]) is None and count_articles(["http://127.0.0.1/feed"]) is None
    assert list(with_progress(iter(range(4)), total=4)) == [0, 1, 2, 3]
    res = run("scan", "folder", *BASE, "-o", "p.csv", "--progress")   # crashed with a TypeError before
    assert res.exit_code == 0, res.output


def test_name_scores_are_shown_on_the_0_to_100_scale(tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("name1,name2\nKim Jong-un,Kim Chong Un\nKim Jong-un,Vladimir Putin\n", encoding="utf-8")
    res = run("names", "compare", pairs)
    assert res.exit_code == 0
    rows = [line.split(",") for line in res.stdout.splitlines()[1:]]
    assert 75 <= float(rows[0][3]) <= 100 and float(rows[1][3]) < 75
