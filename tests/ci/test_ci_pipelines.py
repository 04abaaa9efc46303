"""The example pipelines in docs/examples run as written: their shell steps are executed (install
steps and third-party actions excepted) in a scratch repository whose feeds.txt points at fixture
feeds on a local server, with the example flagger.yaml. Exit codes, artefacts and the incremental
second run are checked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).parent.parent.parent
EXAMPLES = ROOT / "docs" / "examples"
FIXTURES = Path(__file__).parent.parent / "fixtures"
sys.path.insert(0, str(FIXTURES / "feeds"))
from feedserver import FeedServer  # noqa: E402

SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture
def repo(tmp_path):
    with FeedServer() as server:
        world = server.route("/world.xml", (FIXTURES / "feeds" / "rss2.xml").read_bytes())
        asia = server.route("/asia.xml", (FIXTURES / "feeds" / "atom.xml").read_bytes(), "application/atom+xml")
        (tmp_path / ".git").mkdir()
        shutil.copy(EXAMPLES / "flagger.yaml", tmp_path / "flagger.yaml")
        (tmp_path / "feeds.txt").write_text(f"# fixture feeds\n{world}\n{asia}\n")
        (tmp_path / ".flagger-baseline.json").write_text('{"flagger_baseline": 1, "entries": []}\n')
        yield tmp_path


def _flagger_bin(tmp_path: Path) -> Path:
    """A `flagger` on PATH running this interpreter's flagger, installed as a script or not."""
    bindir = tmp_path.parent / (tmp_path.name + "-bin")
    bindir.mkdir(exist_ok=True)
    shim = bindir / "flagger"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -c "import sys; from flagger.cli import main; '
                    f'sys.argv[0] = \'flagger\'; main()" "$@"\n')
    shim.chmod(0o755)
    return bindir


def _env(tmp_path):
    env = dict(os.environ)
    env["PATH"] = str(_flagger_bin(tmp_path)) + os.pathsep + env.get("PATH", "")
    env["GITHUB_STEP_SUMMARY"] = str(tmp_path / "step-summary.md")
    env.pop("CI", None)
    return env


def _sh(command: str, cwd: Path):
    return subprocess.run(["bash", "-e", "-c", command], cwd=cwd, env=_env(cwd), capture_output=True, text=True,
                          timeout=300)


def run_github_job(cwd: Path) -> list[tuple[str, int, str]]:
    """Run the workflow's `run:` steps with GitHub's rule: after a failure only `if: always()` steps run."""
    wf = yaml.safe_load((EXAMPLES / "github-actions.yml").read_text())
    [job] = wf["jobs"].values()
    failed, ran = False, []
    for step in job["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue                          # actions (checkout, cache, upload) and the install step
        if failed and "always()" not in str(step.get("if", "")):
            continue
        proc = _sh(step["run"], cwd)
        ran.append((step.get("name", step["run"]), proc.returncode, proc.stderr))
        failed = failed or proc.returncode != 0
    return ran


def check_artefacts(cwd: Path) -> None:
    sarif = json.loads((cwd / "flagger.sarif").read_text())
    jsonschema.Draft4Validator(SCHEMA).validate(sarif)
    ET.parse(cwd / "flagger-junit.xml")
    assert (cwd / "flagger-report.html").read_text().startswith("<!DOCTYPE html>")
    assert (cwd / "flagger-report.md").read_text().startswith("# flagger report")


def test_github_actions_example(repo):
    ran = run_github_job(repo)
    (scan_name, scan_code, scan_err), (summary_name, summary_code, _) = ran
    assert scan_name.startswith("Scan feeds") and scan_code == 1, scan_err      # findings at the gate
    assert "gate failed" in scan_err and "flagger: 5 articles · 0 errors" in scan_err
    assert summary_code == 0 and "Rail cars carried shells north" in (repo / "step-summary.md").read_text()
    check_artefacts(repo)
    assert (repo / ".flagger-state.json").exists()
    # the next hourly run: nothing new, the job passes
    ran = run_github_job(repo)
    assert ran[0][1] == 0 and "5 already seen" in ran[0][2]


def test_gitlab_ci_example(repo):
    job = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text())["flagger-news-gate"]
    assert any("pip install" in line for line in job["before_script"])
    codes = []
    for line in job["script"]:
        proc = _sh(line, repo)
        codes.append(proc.returncode)
        if proc.returncode:
            break
    assert codes == [0, 1]                          # config show, then the gate fails on findings
    check_artefacts(repo)
    for path in job["artifacts"]["paths"] + [job["artifacts"]["reports"]["junit"]]:
        assert (repo / path).exists(), path
    proc = _sh("flagger config show", repo)
    assert "flagger.yaml:5" in proc.stdout and "arms-embargo=medium" in proc.stdout
