"""What every scan pays before its first article: reference data read fast, and read right."""

import subprocess
import sys

import yaml

from flagger.resources import _text, cues


def test_the_cue_lexicon_reads_as_the_pure_python_safe_loader_reads_it():
    # cues() uses libyaml's safe loader when PyYAML has it (10x faster); the data must not differ
    assert cues() == yaml.safe_load(_text("cues.yaml"))


def test_a_scan_does_not_import_what_only_terminal_tables_use():
    # wcwidth measures column widths for the table format; a CSV or JSON scan never needs it
    code = "import sys, flagger.cli, flagger.pipeline; print('wcwidth' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
    from flagger.report.safe import display_width

    assert display_width("北朝鮮 ab") == 9      # and the table still measures wide characters
