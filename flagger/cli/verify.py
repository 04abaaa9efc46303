"""`flagger verify REPORT`: replay the scan a report records and say whether it still holds."""

from __future__ import annotations

import json
import os
import sys

import click

from flagger.quality.replay import CANNOT, MAX_LISTED, verify_report


@click.command(epilog="""\b
Exit codes:
  0  identical: same hashes, same results
  1  differs: a rule pack, entity list or input changed, or a result differs
  2  cannot verify: no provenance, inputs gone or not re-readable""")
@click.argument("report", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def verify(report, as_json):
    """Re-run the scan recorded in REPORT and say whether the result is identical.

    REPORT is a JSON report (provenance inline) or any report written with -o whose
    REPORT.meta.json sidecar sits next to it (or the sidecar itself)."""
    outcome = verify_report(report)
    if as_json:
        click.echo(json.dumps(outcome.as_dict(), ensure_ascii=False, indent=2, default=str))
        sys.exit(outcome.status)
    click.echo(f"verify: {report}" + (f" (made {outcome.made})" if outcome.made else ""))
    if outcome.provenance_source and os.path.abspath(outcome.provenance_source) != os.path.abspath(report):
        click.echo(f"  provenance: {outcome.provenance_source}")
    for note in outcome.notes:
        click.echo(f"  note: {note}")
    for change in outcome.changes:
        click.echo(f"  {change.describe()}")
    for diff in outcome.articles[:MAX_LISTED]:
        click.echo(f"  {diff.describe()}")
    if len(outcome.articles) > MAX_LISTED:
        click.echo(f"  … and {len(outcome.articles) - MAX_LISTED} more articles")
    for problem in outcome.problems:
        if outcome.status != CANNOT:
            click.echo(f"  problem: {problem}")
    click.echo(outcome.summary)
    sys.exit(outcome.status)
