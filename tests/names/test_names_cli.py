"""`flagger names compare|search`, `flagger screen` and `lists search` through click's CliRunner."""

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from flagger.cli.names import lists, names, screen

FIXTURE = Path(__file__).parent.parent / "fixtures" / "names" / "entities.csv"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_compare_scores_pairs_and_writes_decision_and_explanation(runner, tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("name1,name2,schema\nKim Jong Un,KIM Chong-un,Person\nKim Kardashian,Kim Jong Un,Person\n"
                     "Siemens AG,Siemens Aktiengesellschaft,Company\n", encoding="utf-8")
    out = tmp_path / "scores.csv"
    result = runner.invoke(names, ["compare", str(pairs), "-o", str(out)])
    assert result.exit_code == 0, result.output
    import polars as pl

    scores = pl.read_csv(out)
    assert scores.columns == ["name1", "name2", "schema", "score", "match", "explanation"]
    assert scores["match"].to_list() == [True, False, True]
    assert "equivalent" in scores["explanation"][0]


def test_compare_threshold_option_changes_the_decision(runner, tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("name1,name2\nKim Jong Il,Kim Jong Un\n", encoding="utf-8")
    result = runner.invoke(names, ["compare", str(pairs), "--threshold", "0.3"])
    assert result.exit_code == 0 and ",true," in result.output


def test_compare_without_required_columns_is_a_usage_error(runner, tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("a,b\nx,y\n", encoding="utf-8")
    result = runner.invoke(names, ["compare", str(pairs)])
    assert result.exit_code == 2 and "name1" in result.output


def write_records(tmp_path: Path, text: str, name: str = "records.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_screen_exits_1_on_a_match_and_writes_one_row_per_record(runner, tmp_path):
    records = write_records(tmp_path, "name,type,imo\nKim Chong-un,person,\nJane Doe,person,\nAnything,vessel,9191943\n")
    out = tmp_path / "out.json"
    result = runner.invoke(screen, [str(records), "--entities", str(FIXTURE), "--no-default-entities", "-o", str(out)])
    assert result.exit_code == 1, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [r["matched"] for r in rows] == [True, False, True]
    assert rows[0]["entity_id"] == "T:1" and rows[2]["entity_id"] == "T:5"
    assert [r["line"] for r in rows] == [2, 3, 4]


def test_screen_exits_0_when_nothing_matches(runner, tmp_path):
    records = write_records(tmp_path, "name\nJane Doe\nAcme Widgets Ltd\n")
    result = runner.invoke(screen, [str(records), "--entities", str(FIXTURE), "--no-default-entities"])
    assert result.exit_code == 0, result.output
    assert "2 record(s)" in result.output


def test_screen_exits_3_when_rows_are_unreadable_but_screens_the_rest(runner, tmp_path):
    records = write_records(tmp_path, "name,type\nKim Jong Un,person\n,person\nA,B,C\n")
    result = runner.invoke(screen, [str(records), "--entities", str(FIXTURE), "--no-default-entities"])
    assert result.exit_code == 3
    assert "unreadable record" in result.output and "Kim Jong Un" in result.output


def test_screen_exits_2_on_usage_errors(runner, tmp_path):
    records = write_records(tmp_path, "name\nKim Jong Un\n")
    assert runner.invoke(screen, [str(records), "--entities", str(tmp_path / "missing.csv")]).exit_code == 2
    assert runner.invoke(screen, [str(tmp_path / "missing.csv"), "--entities", str(FIXTURE)]).exit_code == 2
    bad = write_records(tmp_path, "who\nKim\n", "bad.csv")
    assert runner.invoke(screen, [str(bad), "--entities", str(FIXTURE)]).exit_code == 2


def test_screen_reads_jsonl_records(runner, tmp_path):
    records = write_records(tmp_path, '{"name": "Qasim Soleimani", "type": "person"}\n{"name": "Nobody Here"}\n',
                            "records.jsonl")
    result = runner.invoke(screen, [str(records), "--entities", str(FIXTURE), "--no-default-entities", "-f", "jsonl"])
    assert result.exit_code == 1
    first = json.loads(result.stdout.splitlines()[0])
    assert first["entity_id"] == "T:3"


def test_screen_uses_the_bundled_default_list(runner, tmp_path):
    if not (Path(__file__).parent.parents[1] / "flagger" / "_bundled" / "entities" / "default.parquet").exists():
        pytest.skip("bundled default list absent")
    records = write_records(tmp_path, "name\nKOMID\n")
    assert runner.invoke(screen, [str(records)]).exit_code == 1


@pytest.mark.parametrize("group", [names, lists])
def test_search_prints_matches_with_explanations(runner, group):
    result = runner.invoke(group, ["search", "Kim Jong-un", "--entities", str(FIXTURE), "--no-default-entities"])
    assert result.exit_code == 1
    assert "MATCH" in result.output and "T:1" in result.output


def test_search_json_and_no_match(runner):
    result = runner.invoke(names, ["search", "Kim Kardashian", "--entities", str(FIXTURE), "--no-default-entities",
                                   "--json"])
    assert result.exit_code == 0
    assert all(not m["match"] for m in json.loads(result.output))


def test_commands_are_exposed_for_the_main_cli():
    from flagger import cli

    ctx = click.Context(cli.main)
    assert cli.main.get_command(ctx, "names") is names and cli.main.get_command(ctx, "screen") is screen


def test_screen_carries_the_callers_own_columns_and_shows_near_misses(runner, tmp_path):
    records = write_records(tmp_path, "customer_id,name,segment\nC-1,Kim Chong-un,retail\nC-2,Vladimir Putinov,corp\n")
    out = tmp_path / "out.json"
    runner.invoke(screen, [str(records), "--entities", str(FIXTURE), "--no-default-entities", "-o", str(out)])
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["customer_id"], r["segment"]) for r in rows] == [("C-1", "retail"), ("C-2", "corp")]
    near = rows[1]
    assert near["matched"] is False and near["score"] > 0.6 and "putinov" in near["explanation"]


def test_lists_search_and_screen_agree(runner, tmp_path):
    from flagger.cli.names import lists_search

    records = write_records(tmp_path, "name\nVladimir Putinov\n")
    out = tmp_path / "out.json"
    runner.invoke(screen, [str(records), "--entities", str(FIXTURE), "--no-default-entities", "-o", str(out)])
    row = json.loads(out.read_text(encoding="utf-8"))[0]
    found = runner.invoke(lists_search, ["Vladimir Putinov", "--entities", str(FIXTURE), "--no-default-entities",
                                         "--json"])
    top = json.loads(found.output)[0]
    assert (top["entity_id"], top["score"], top["match"]) == (row["entity_id"], row["score"], row["matched"])
