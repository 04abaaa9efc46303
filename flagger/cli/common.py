"""What every command shares: the usage-error exception (exit 2) and the exit-code help text."""

from __future__ import annotations

import click

from flagger.ci.gate import EXIT_FINDINGS, EXIT_INPUT_ERRORS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from flagger.errors import FlaggerError

EXIT_CODES_HELP = f"""\b
Exit codes:
  {EXIT_OK}  scanned, nothing at or above the gate
  {EXIT_FINDINGS}  findings at or above --fail-on LEVEL / CATEGORY=LEVEL / --min-score N
     (baseline-suppressed findings never count)
  {EXIT_USAGE}  usage, rule or configuration error
  {EXIT_INPUT_ERRORS}  some inputs could not be read (even if others scanned)
  {EXIT_INTERNAL}  internal error (a bug in flagger: never mistaken for findings or a pass)"""


class UsageFailure(click.ClickException):
    """A usage, rule or configuration error: its message on stderr, exit 2."""

    exit_code = EXIT_USAGE


def usage_failure(exc: FlaggerError) -> UsageFailure:
    return UsageFailure(str(exc))
