"""The `flagger` command: click only. Each command parses options, calls the library and maps
the outcome to an exit code; the work happens in `flagger.pipeline` and the modules below it."""

from __future__ import annotations

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
    """The console script: `main`, with an unexpected exception turned into exit 4 (not Python's
    default 1, which a CI gate would read as "findings")."""
    if hasattr(signal, "SIGPIPE"):
        # a reader that closed the pipe (`flagger scan … | head -1`) ends flagger as it ends any Unix
        # filter: killed by SIGPIPE, exit status 141, nothing printed — never click's exit 1 ("findings")
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception:  # a bug: say so, keep the traceback, never look like a gate verdict
        traceback.print_exc()
        click.echo("flagger: internal error (exit 4); the traceback above says where. Please report it.", err=True)
        sys.exit(EXIT_INTERNAL)
