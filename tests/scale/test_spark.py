"""Spark integration (mapInArrow) in local mode gives exactly the CLI's CSV report.

Skipped when pyspark or Java is missing (pip install .[spark]; Java 17+)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys

import pytest

pyspark = pytest.importorskip("pyspark")
pytest.importorskip("pandas")   # mapInArrow needs it (part of the spark extra)
if shutil.which("java") is None:
    pytest.skip("Java is not installed", allow_module_level=True)

from flagger.report.frames import ARTICLE_COLUMNS  # noqa: E402
from flagger.report.rows import cell  # noqa: E402

ARTICLES = [
    {"id": "s1", "title": "Shells", "source": "Wire", "published": "2026-01-02", "url": "https://example.org/1",
     "text": "North Korea shipped artillery shells and ballistic missiles to Russia by rail, officials said."},
    {"id": "s2", "title": "Dealer", "source": "Wire", "published": "2026-01-03", "url": "",
     "text": "KOMID sold ammunition abroad, according to a UN panel of experts."},
    {"id": "s3", "title": "Beach", "source": "Daily", "published": "", "url": "",
     "text": "Seashells on the beach near Wonsan drew tourists all summer."},
    {"id": "s4", "title": "Hedge", "source": "Daily", "published": "", "url": "",
     "text": "It is unclear whether Pyongyang may have sent howitzers or rocket launchers to Moscow."},
]


@pytest.fixture(scope="module")
def spark(tmp_path_factory, known_words_file):
    import os

    from pyspark.sql import SparkSession

    # This module's processes (the CLI's, the JVM's and its Python workers) get a compile cache of
    # their own, with the run's known words in it: an executor compiles the index under a key no
    # other test makes, and storing it dropped all but the newest 8 indexes of the run's cache
    # (flagger.engine.cache._MAX_FILES), so later modules compiled the bundled index again.
    cache = tmp_path_factory.mktemp("spark-cache")
    shutil.copy(known_words_file, cache / known_words_file.name)
    own_cache = pytest.MonkeyPatch()
    own_cache.setenv("FLAGGER_CACHE_DIR", str(cache))
    # Workers must run this interpreter (the one with flagger installed), not `python3` on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    try:
        session = (SparkSession.builder.master("local[2]").appName("flagger-test")
                   .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "2")
                   .getOrCreate())
        yield session
        session.stop()
    finally:
        own_cache.undo()


def _cli_csv(tmp_path, jsonl, fixtures) -> list[list[str]]:
    out = tmp_path / "cli.csv"
    subprocess.run([sys.executable, "-c", "import sys; from flagger.cli import main; sys.exit(main())", "scan", str(jsonl), "--no-config",
                    "--rules", str(fixtures / "rules" / "basic.yaml"),
                    "--entities", str(fixtures / "entities" / "small.csv"), "--no-default-entities",
                    "-f", "csv", "-o", str(out), "-q"], check=False, capture_output=True)
    return list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))


def test_spark_report_equals_cli_report(spark, tmp_path, fixtures):
    from flagger.scale.spark import scan_dataframe

    jsonl = tmp_path / "articles.jsonl"
    jsonl.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    cli = _cli_csv(tmp_path, jsonl, fixtures)
    assert cli[0] == ARTICLE_COLUMNS

    df = spark.createDataFrame(ARTICLES).repartition(2)
    report = scan_dataframe(df, rules=[fixtures / "rules" / "basic.yaml"],
                            entities=[fixtures / "entities" / "small.csv"], default_entities=False)
    rows = [r.asDict() for r in report.collect()]
    got = [[cell(r[c]) for c in ARTICLE_COLUMNS] for r in rows]
    assert sorted(got) == sorted(cli[1:])
    assert any(r["level"] not in ("", "none") for r in rows)

    # Parquet round trip, as docs/scale.md recommends for results.
    report.write.mode("overwrite").parquet(str(tmp_path / "report.parquet"))
    assert spark.read.parquet(str(tmp_path / "report.parquet")).count() == len(ARTICLES)
