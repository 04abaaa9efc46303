"""The `flagger` command: click only. Each command parses options, calls the library and maps
the outcome to an exit code; the work happens in `flagger.pipeline` and the modules below it."""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import signal
import sys
import traceback

import click

from flagger.ci.gate import EXIT_INTERNAL
from flagger.cli.malloc import keep_freed_memory
from flagger.output import ReaderGone
from flagger.versions import DISTRIBUTION

# Every `flagger` command: name -> (module in flagger/cli/, the click command in it). The one list:
# `flagger --help` lists these, and a command's module is imported only when it runs (start-up:
# `flagger scan` never imports what only `lists`, `names`, `rules` or `verify` use: the list
# importers, the quality metrics, the replay).
COMMANDS: dict[str, tuple[str, str]] = {
    "scan": ("scan", "scan"),
    "rules": ("rules", "rules"),
    "evaluate": ("rules", "evaluate"),
    "lists": ("lists", "lists"),
    "names": ("names", "names"),
    "screen": ("names", "screen"),
    "baseline": ("ci", "baseline"),
    "config": ("ci", "config"),
    "verify": ("verify", "verify"),
}
# Groups that also hold another module's subcommands: `flagger lists search` lives with the name matcher.
MERGED_INTO: dict[str, tuple[str, str]] = {"lists": ("names", "lists")}


def _command(module: str, attr: str) -> click.Command:
    return getattr(importlib.import_module(f"flagger.cli.{module}"), attr)   # lazy: see COMMANDS


class LazyGroup(click.Group):
    """click's documented lazy-loading group: `COMMANDS` names each command's module, imported by
    `get_command` when the command is invoked (or listed by --help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return self.commands.get(cmd_name)
        command = _command(*COMMANDS[cmd_name])
        if cmd_name in MERGED_INTO and isinstance(command, click.Group):
            for sub in _command(*MERGED_INTO[cmd_name]).commands.values():
                command.add_command(sub)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=DISTRIBUTION, prog_name="flagger")
def main() -> None:
    """flagger: sanctions-compliance risk flagger.

    YAML rules fuzzy-matched against article text and sanctions entity lists, producing a scored,
    explained risk report.
    """


def entry() -> None:
    """The console script: `main`, with its endings made unambiguous for a CI gate — an unexpected
    exception is exit 4 (not Python's 1, which reads as "findings"), Ctrl-C is 130, and a reader
    that closed the pipe ends flagger as it ends any Unix filter (see `_end_as_a_filter`)."""
    keep_freed_memory()     # the process's allocator: see flagger/cli/malloc.py
    # numpy's OpenBLAS starts a thread per extra core when numpy is imported, and it spins waiting
    # for work that never comes (flagger makes no BLAS call): 0.15 of `flagger scan --help`'s 0.47
    # CPU s on 2 cores. A user's value is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        _import_frozen(sys.argv[1:])
        code = main.main(standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        sys.exit(130)
    except ReaderGone:
        _end_as_a_filter()
    except Exception:  # a bug: say so, keep the traceback, never look like a gate verdict
        traceback.print_exc()
        click.echo("flagger: internal error (exit 4); the traceback above says where. Please report it.", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else 0)


def _import_frozen(args: list[str]) -> None:
    """The console script's process exists for its command, and what the command's module imports
    (polars, numpy, the engine ...) lives as long: it is imported here with the cyclic garbage
    collector paused, then frozen out of its reach (`gc.freeze()`, as `ArticleScanner(owns_process=
    True)` freezes the index), instead of being walked again by every collection the import
    triggers (a 1-article `flagger scan`: 3,867 -> 3,809 M instructions, callgrind). Not in
    `_command`: a process that runs `main` (a test's CliRunner) keeps its collector as it was."""
    name = next((arg for arg in args if not arg.startswith("-")), None)    # (flagger's options take no value)
    if name not in COMMANDS:
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        for module, _attr in (COMMANDS[name], MERGED_INTO.get(name, COMMANDS[name])):
            importlib.import_module(f"flagger.cli.{module}")
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _end_as_a_filter() -> None:
    """`flagger scan … | head -1`: killed by SIGPIPE (the shell shows 141), printing nothing — never
    click's exit 1. Python ignores SIGPIPE so that sockets raise errors instead of killing the
    process: it is restored to the default only here, once stdout's reader is known to be gone
    (restoring it at start-up would let a server closing a connection kill a scan)."""
    with contextlib.suppress(OSError):      # nothing more may reach the closed pipe at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGPIPE)
    sys.exit(141)                           # where there is no SIGPIPE: the status a shell would show
