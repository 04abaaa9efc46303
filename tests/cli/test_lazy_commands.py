"""`flagger` imports a command's module only when that command runs (start-up: a scan pays for
none of the list importers, name-matching commands, rule metrics or replay), and `flagger --help`
still lists every command, from the one list in `flagger.cli.COMMANDS`."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner

from flagger import cli

EVERY_COMMAND = {"baseline", "config", "evaluate", "lists", "names", "rules", "scan", "screen", "verify"}


def _modules_after(*args: str) -> set[str]:
    code = ("import sys; from flagger.cli import main; main(sys.argv[1:], standalone_mode=False); "
            "print(' '.join(m for m in sys.modules if m.startswith('flagger')))")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_help_lists_every_command_with_its_summary():
    result = CliRunner().invoke(cli.main, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == EVERY_COMMAND == set(cli.COMMANDS)
    assert "Scan articles" in result.output and "Compare names" in result.output


def test_each_listed_command_is_the_click_command_of_its_module():
    ctx = click.Context(cli.main)
    for name in cli.main.list_commands(ctx):
        command = cli.main.get_command(ctx, name)
        assert isinstance(command, click.Command) and command.name == name


def test_lists_holds_the_name_matchers_search_too():
    result = CliRunner().invoke(cli.main, ["lists", "--help"])
    assert result.exit_code == 0
    assert {"formats", "import", "search", "update"} <= set(result.output.split())


def test_an_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(cli.main, ["scna"])
    assert result.exit_code == 2 and "No such command 'scna'" in result.output


def test_a_scan_imports_only_the_scan_command():
    loaded = _modules_after("scan", "--help")
    assert "flagger.cli.scan" in loaded
    assert not loaded & {"flagger.cli.lists", "flagger.cli.names", "flagger.cli.rules", "flagger.cli.ci",
                         "flagger.cli.verify", "flagger.quality.metrics", "flagger.quality.replay"}


def test_another_command_imports_its_own_module():
    loaded = _modules_after("names", "--help")
    assert "flagger.cli.names" in loaded and "flagger.cli.scan" not in loaded


def _collector_after(code: str) -> list[str]:
    run = ("import gc, sys; from flagger import cli; " + code +
           "; print(gc.get_freeze_count(), gc.isenabled(), 'flagger.cli.scan' in sys.modules)")
    return subprocess.run([sys.executable, "-c", run], capture_output=True, text=True, check=True).stdout.split()[-3:]


def test_the_console_script_imports_its_commands_modules_out_of_the_collectors_reach():
    # its process exists for the command: what the command imports lives as long, and the
    # collections during that import walked it again and again (start-up of every command)
    frozen, enabled, imported = _collector_after("cli._import_frozen(['scan', 'articles.jsonl', '-f', 'csv'])")
    assert int(frozen) > 10_000 and enabled == "True" and imported == "True"
    assert _collector_after("cli._import_frozen(['--version'])") == ["0", "True", "False"]     # no command
    assert _collector_after("cli._import_frozen(['scna'])") == ["0", "True", "False"]          # click says so
    assert _collector_after("gc.disable(); cli._import_frozen(['scan'])")[1] == "False"       # a caller's choice stays


def test_main_run_in_a_process_leaves_its_collector_as_it_was():
    # (a test's CliRunner, an application calling `main`): only the console script freezes
    assert _collector_after("cli.main(['scan', '--help'], standalone_mode=False)") == ["0", "True", "True"]
