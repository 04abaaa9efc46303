"""Issue 17, case 5: a rules folder never skips what it cannot load.

Before: a pack named *.YAML, a broken symlink *.yaml, a FIFO *.yaml or a folder named *.yaml
vanished silently, and the scan went on without those rules."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from flagger.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
BASIC = FIXTURES / "rules" / "basic.yaml"


def scan_with(rules: Path, tmp_path: Path):
    article = tmp_path / "a.txt"
    article.write_text("Shipment\n\nNorth Korea sent artillery shells to Russia.\n")
    return CliRunner().invoke(main, ["scan", "--rules", str(rules), "--no-default-entities", "--no-config",
                                     "-f", "csv", "--fail-on", "high", str(article)], catch_exceptions=False)


def test_an_upper_case_yaml_pack_is_loaded(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(BASIC, rules / "ARMS.YAML")
    res = scan_with(rules, tmp_path)
    assert res.exit_code == 1 and "test.arms" in res.stdout


@pytest.mark.parametrize("make, reason", [
    (lambda p: p.symlink_to(p.parent / "gone.yaml"), "broken symlink"),
    (lambda p: os.mkfifo(p), "not a regular file"),
    (lambda p: p.mkdir(), "is a folder, not a rule pack file"),
])
def test_what_cannot_be_loaded_is_a_usage_error_naming_the_path(tmp_path, make, reason):
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(BASIC, rules / "basic.yaml")
    make(rules / "extra.yaml")
    res = scan_with(rules, tmp_path)                 # never hangs on the FIFO: it is not opened
    assert res.exit_code == 2
    assert str(rules / "extra.yaml") in res.stderr and reason in res.stderr
