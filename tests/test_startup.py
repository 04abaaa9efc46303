"""What every scan pays before its first article: reference data read fast, and read right."""

import yaml

from flagger.resources import _text, cues


def test_the_cue_lexicon_reads_as_the_pure_python_safe_loader_reads_it():
    # cues() uses libyaml's safe loader when PyYAML has it (10x faster); the data must not differ
    assert cues() == yaml.safe_load(_text("cues.yaml"))
