#!/usr/bin/env bash
# Install the optional Spark extra (pyspark, pandas) into .venv, so tests/scale/test_spark.py runs its
# local[2] comparison with the CLI instead of skipping. Called from .ci/run before the README's
# test command, which then installs '.[test]' into the same .venv; the test skips cleanly when
# Java or pyspark is missing (on a developer's machine, say).
set -euo pipefail
if ! command -v java >/dev/null; then
  echo "no Java: the Spark test will skip"
  exit 0
fi
python3 -m venv .venv
.venv/bin/pip install -q '.[spark]'
.venv/bin/python -c "import pyspark; print('pyspark', pyspark.__version__)"
