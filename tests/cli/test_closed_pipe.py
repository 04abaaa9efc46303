"""Issue 17 (minor): a closed pipe ends flagger quietly, never with exit 1 ("findings").

Before: `flagger scan … | head -1` exited 1 (click's answer to EPIPE)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_a_reader_closing_the_pipe_ends_the_scan_by_sigpipe(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(f'{{"id": "a{i}", "text": "Farmers showed pumpkins at fair number {i}."}}\n'
                            for i in range(3000)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", "from flagger.cli import entry; entry()", "scan", "--no-config",
                             "--no-default-entities", "--rules", str(FIXTURES / "rules" / "basic.yaml"),
                             "--no-dedupe", "-f", "csv", str(feed)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b"id,source,")
    proc.stdout.close()                                  # what `head -1` does
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGPIPE            # a shell shows 141
    assert b"Traceback" not in err and b"internal error" not in err


def test_sigpipe_stays_ignored_while_flagger_runs(tmp_path):
    """Only a closed stdout ends flagger by SIGPIPE: with the default action installed for the whole
    run, a server closing a socket mid-request would kill a scan (and a test run) instead of
    raising a connection error that becomes the input's error row."""
    code = ("import signal, sys\n"
            "from flagger.cli import entry\n"
            "sys.argv = ['flagger', 'rules', 'list']\n"
            "try:\n    entry()\nexcept SystemExit:\n    pass\n"
            "print(signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "True", out.stderr
