"""One pipeline behind every report: the CLI, the library and `flagger verify` agree."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import flagger
from flagger.cli import main
from flagger.report.registry import FORMAT_BY_SUFFIX, FORMATS

ROOT = Path(__file__).parent.parent
SAMPLES = ROOT / "data" / "samples" / "articles.jsonl"
COMPARED = ("id", "title", "url", "published", "language", "score", "level", "rules", "categories", "entities",
            "evidence", "error")


@pytest.fixture(scope="module")
def cli_csv(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pipeline") / "samples.csv"
    result = CliRunner().invoke(main, ["scan", str(SAMPLES), "--no-config", "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def scanner():
    """The library's scanner with the bundled rules and list, made once for the module (loading
    its index takes about a second)."""
    return flagger.Scanner()


@pytest.fixture(scope="module")
def samples() -> list[dict]:
    return [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def api_report(scanner, samples):
    """The library's report of the samples, scanned once for the tests that compare it with the CLI's."""
    return scanner.scan(samples)


@pytest.fixture(scope="module")
def sentence_report(scanner):
    """A report of one sentence with findings, saved in every format by the tests of `Report.save`."""
    return scanner.scan(["North Korea shipped artillery shells to Russia by rail."])


def _rows(text: str) -> list[dict]:
    return [{k: row[k] for k in COMPARED} for row in csv.DictReader(io.StringIO(text, newline=""))]


def test_cli_csv_api_frame_and_replay_agree_on_the_samples(cli_csv, api_report, samples, tmp_path):
    api_csv = api_report.save(tmp_path / "api.csv")

    cli_rows = _rows(cli_csv.read_text(encoding="utf-8"))
    assert len(cli_rows) == len(samples) == api_report.articles.height
    assert _rows(api_csv.read_text(encoding="utf-8")) == cli_rows
    frame = api_report.articles
    assert frame["id"].to_list() == [r["id"] for r in cli_rows]
    assert [f"{s:.1f}" for s in frame["score"].to_list()] == [r["score"] for r in cli_rows]
    assert frame["level"].to_list() == [r["level"] for r in cli_rows]

    replay = flagger.verify_report(cli_csv)
    assert replay.status == 0, replay.summary
    assert replay.results_identical is True


def test_the_api_provenance_records_the_same_results_as_the_cli(cli_csv, api_report, samples):
    sidecar = json.loads(Path(str(cli_csv) + ".meta.json").read_text(encoding="utf-8"))["provenance"]
    assert api_report.provenance["results"]["by_level"] == sidecar["results"]["by_level"]
    assert api_report.provenance["inputs"]["records"] == sidecar["inputs"]["records"] == len(samples)


@pytest.mark.parametrize("suffix", sorted(FORMAT_BY_SUFFIX))
def test_report_save_picks_the_format_from_every_known_extension(sentence_report, tmp_path, suffix):
    path = sentence_report.save(tmp_path / f"report{suffix}")
    text = path.read_text(encoding="utf-8")
    fmt = FORMAT_BY_SUFFIX[suffix]
    expected_start = {"csv": "id,source,title", "json": "{", "jsonl": '{"id": "text-1"', "markdown": "#",
                      "sarif": "{", "junit": "<?xml", "html": "<!DOCTYPE html>", "table": ""}[fmt]
    assert text.startswith(expected_start), (suffix, text[:80])
    if fmt == "sarif":
        assert "runs" in json.loads(text)
    if fmt == "json":
        assert "articles" in json.loads(text)
    assert set(FORMAT_BY_SUFFIX.values()) == set(FORMATS)


def test_report_save_refuses_an_unknown_format(sentence_report, tmp_path):
    with pytest.raises(flagger.ConfigError, match="unknown report format 'pdf'"):
        sentence_report.save(tmp_path / "r.pdf", format="pdf")
