"""`flagger verify REPORT`: replay the scan a report records and say whether it still holds."""

from __future__ import annotations

import json
import os
import sys

import click

from flagger.quality.replay import CANNOT, MAX_LISTED, verify_report
from flagger.report.safe import terminal_text


def _say(text: str) -> None:
    """One line to the terminal: ids, paths and values come from the (untrusted) report."""
    click.echo(terminal_text(text))


@click.command(epilog="""\b
Exit codes:
  0  identical: the report is as written, same hashes, the replay writes the same report
  1  differs: the report was edited, a rule pack, entity list, input or baseline changed,
     or a result differs
  2  cannot verify: no provenance or no recorded digest, inputs gone or not re-readable,
     network, rule files or entity lists not allowed""")
@click.argument("report", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.option("--allow-network", is_flag=True,
              help="Fetch the URLs and feed lists the report names (never done otherwise: a report is not trusted).")
@click.option("--rules", "trusted_rules", multiple=True, type=click.Path(exists=True),
              help="A rule file or folder the report names that may be read to replay it (repeatable). Without it "
                   "only flagger's bundled rule packs are read.")
@click.option("--entities", "trusted_entities", multiple=True, type=click.Path(),
              help="An entity list the report names that may be read to replay it (repeatable). Without it only "
                   "flagger's bundled list is read.")
def verify(report, as_json, allow_network, trusted_rules, trusted_entities):
    """Re-run the scan recorded in REPORT and say whether the result is identical.

    REPORT is any report written with -o: a JSON report or SARIF log (provenance inline), or
    another format whose REPORT.meta.json sidecar sits next to it (or the sidecar itself).
    verify checks the report's own content against the digest recorded when it was written,
    re-runs the scan (with its gate and baseline), writes the replay in the report's format and
    compares the two."""
    outcome = verify_report(report, allow_network=allow_network, trusted_rules=trusted_rules,
                            trusted_entities=trusted_entities)
    if as_json:
        click.echo(json.dumps(outcome.as_dict(), ensure_ascii=False, indent=2, default=str))
        sys.exit(outcome.status)
    _say(f"verify: {report}" + (f" (made {outcome.made})" if outcome.made else ""))
    if outcome.provenance_source and os.path.abspath(outcome.provenance_source) != os.path.abspath(report):
        _say(f"  provenance: {outcome.provenance_source}")
    for note in outcome.notes:
        _say(f"  note: {note}")
    for change in outcome.changes:
        _say(f"  {change.describe()}")
    if outcome.report_edited:
        _say(f"  {outcome.report_edited}")
    for line in outcome.content:
        _say(f"  {line}")
    for diff in outcome.articles[:MAX_LISTED]:
        _say(f"  {diff.describe()}")
    if len(outcome.articles) > MAX_LISTED:
        _say(f"  … and {len(outcome.articles) - MAX_LISTED} more articles")
    for problem in outcome.problems:
        if outcome.status != CANNOT:
            _say(f"  problem: {problem}")
    _say(outcome.summary)
    sys.exit(outcome.status)
