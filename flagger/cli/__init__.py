"""The `flagger` command: click only. Each command parses options, calls the library and maps
the outcome to an exit code; the work happens in `flagger.pipeline` and the modules below it."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback

import click

from flagger.ci.gate import EXIT_INTERNAL
from flagger.cli.ci import baseline, config
from flagger.cli.lists import lists
from flagger.cli.names import lists as names_lists
from flagger.cli.names import names, screen
from flagger.cli.rules import evaluate, rules
from flagger.cli.scan import scan
from flagger.cli.verify import verify
from flagger.output import ReaderGone
from flagger.versions import DISTRIBUTION


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=DISTRIBUTION, prog_name="flagger")
def main() -> None:
    """flagger: sanctions-compliance risk flagger.

    YAML rules fuzzy-matched against article text and sanctions entity lists, producing a scored,
    explained risk report.
    """


for _command in (scan, rules, evaluate, lists, names, screen, baseline, config, verify):
    main.add_command(_command)
for _sub in names_lists.commands.values():     # `flagger lists search` lives with the name matcher
    lists.add_command(_sub)


def entry() -> None:
    """The console script: `main`, with its endings made unambiguous for a CI gate — an unexpected
    exception is exit 4 (not Python's 1, which reads as "findings"), Ctrl-C is 130, and a reader
    that closed the pipe ends flagger as it ends any Unix filter (see `_end_as_a_filter`)."""
    try:
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
