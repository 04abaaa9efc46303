"""The other forms of a given name come in one order in every process.

They become a word's alternatives (engine.alternatives), and the order of alternatives can decide
a tie between two readings; a set's order follows the string hash seed, which differs between
processes and between `--jobs` workers.
"""

import os
import subprocess
import sys

from flagger.names.resources import given_name_forms


def test_forms_are_the_other_tokens_of_the_name_s_groups_each_once():
    forms = given_name_forms("vladimir")
    assert isinstance(forms, tuple)
    assert "volodymyr" in forms
    assert "vladimir" not in forms
    assert len(forms) == len(set(forms))


def test_an_unlisted_name_has_no_other_forms():
    assert given_name_forms("zzqxv") == ()


def _forms_in_a_process(seed: str) -> str:
    code = "from flagger.names.resources import given_name_forms as f; print(f('vladimir'), f('aleksandr'))"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout


def test_the_order_does_not_depend_on_the_hash_seed():
    assert _forms_in_a_process("1") == _forms_in_a_process("2") == _forms_in_a_process("3")
