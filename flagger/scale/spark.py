"""Scan a Spark DataFrame of articles with `mapInArrow` (optional extra: `pip install flagger[spark]`).

    from flagger.scale.spark import scan_dataframe
    report = scan_dataframe(spark.read.json("s3://bucket/articles/*.jsonl"),
                            rules=["rules/"], entities=["lists/sdn.xml"])
    report.write.parquet("s3://bucket/reports/2026-11-27")

Each executor's Python worker builds one Scanner (rules and lists are shipped with
`SparkContext.addFile`, so they need not be on the executors' disks; the compiled index is
cached on the executor, see flagger.engine.cache) and scans its partitions batch by batch through
flagger.scale.arrow.scan_arrow_batch. Output columns are the report's article columns. See docs/scale.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow as pa

from flagger.scale.arrow import ARTICLE_ARROW_SCHEMA, scan_arrow_batch
from flagger.scanner import ArticleScanner


@dataclass(frozen=True)
class _ScanConfig:
    """What an executor needs to build its scanner: (path, shipped with addFile) per rule and
    entity file, and the scanner's options."""

    rules: tuple[tuple[str, bool], ...]
    entities: tuple[tuple[str, bool], ...]
    default_entities: bool
    entity_threshold: float


def article_spark_schema():
    """The report's article columns as a Spark StructType."""
    from pyspark.sql.types import ArrayType, DoubleType, LongType, StringType, StructField, StructType

    def spark_type(t):
        if pa.types.is_floating(t):
            return DoubleType()
        if pa.types.is_integer(t):
            return LongType()
        if pa.types.is_list(t):
            return ArrayType(StringType())
        return StringType()

    return StructType([StructField(f.name, spark_type(f.type), True) for f in ARTICLE_ARROW_SCHEMA])


def _resolve(spec: list[tuple[str, bool]]) -> list[str]:
    """Paths on this executor: shipped files through SparkFiles, others as given."""
    out = []
    for path, shipped in spec:
        if shipped:
            from pyspark import SparkFiles

            out.append(SparkFiles.get(path))
        else:
            out.append(path)
    return out


@cache
def _scanner_for(config: _ScanConfig) -> ArticleScanner:
    """The executor's scanner for `config`, built once per Python worker process: every partition
    and every job with the same configuration reuses it (memoised on the frozen config). It owns
    its process, as `flagger scan`'s does (ArticleScanner's `owns_process`): the worker keeps the
    index for its life anyway, and the collector no longer walks it and what each batch learned.
    What else is alive at a batch's end in that worker is kept out of the collector's reach too
    (garbage among it is still freed by reference counting; only reference cycles stay)."""
    return ArticleScanner(rules=_resolve(config.rules) or None, entities=_resolve(config.entities),
                          default_entities=config.default_entities, entity_threshold=config.entity_threshold,
                          owns_process=True)


def _ship(spark, paths, ship: bool) -> list[tuple[str, bool]]:
    out = []
    for p in paths or ():
        p = str(p)
        if ship:
            spark.sparkContext.addFile(p, recursive=os.path.isdir(p))
            out.append((Path(p).name, True))
        else:
            out.append((p, False))
    return out


def scan_dataframe(df, rules=None, entities=(), *, default_entities: bool = True,
                   entity_threshold: float = 90.0, ship_files: bool = True):
    """A DataFrame with one report row per article of `df` (columns id, text, title, url,
    published, source; only `text` is required)."""
    spark = df.sparkSession
    if isinstance(rules, (str, Path)):
        rules = [rules]
    if isinstance(entities, (str, Path)):
        entities = [entities]
    config = _ScanConfig(rules=tuple(_ship(spark, rules, ship_files)), entities=tuple(_ship(spark, entities, ship_files)),
                         default_entities=bool(default_entities), entity_threshold=float(entity_threshold))
    wanted = [c for c in ("id", "text", "title", "url", "published", "source") if c in df.columns]
    if "text" not in wanted:
        raise ValueError("the DataFrame has no 'text' column")
    df = df.select(*[df[c].cast("string") for c in wanted])

    def scan_partition(batches):
        scanner = _scanner_for(config)
        for batch in batches:
            yield scan_arrow_batch(batch, scanner)

    return df.mapInArrow(scan_partition, article_spark_schema())
