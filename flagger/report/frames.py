"""The report as polars frames: one row per article, one row per hit. Column order is a contract."""

from __future__ import annotations

from operator import attrgetter

import polars as pl

from flagger.model import ArticleResult

ARTICLE_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Utf8, "source": pl.Utf8, "title": pl.Utf8, "url": pl.Utf8, "published": pl.Utf8,
    "language": pl.Utf8, "score": pl.Float64, "level": pl.Utf8, "rules": pl.List(pl.Utf8),
    "categories": pl.List(pl.Utf8), "entities": pl.List(pl.Utf8), "evidence": pl.List(pl.Utf8),
    "error": pl.Utf8, "duplicate_of": pl.Utf8,
}
HIT_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.Utf8, "rule_id": pl.Utf8, "category": pl.Utf8, "severity": pl.Utf8, "term": pl.Utf8,
    "matched_text": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "similarity": pl.Float64,
    "modifiers": pl.Utf8, "snippet": pl.Utf8, "kind": pl.Utf8, "entity_id": pl.Utf8,
    "entity_list": pl.Utf8, "line": pl.Int64, "field": pl.Utf8,
}
ARTICLE_COLUMNS = list(ARTICLE_SCHEMA)
HIT_COLUMNS = list(HIT_SCHEMA)
#: a hit's HIT_COLUMNS values, in order (one C call instead of a getattr per column)
hit_values = attrgetter(*HIT_COLUMNS)


def _python_type(dtype: pl.DataType) -> type:
    return list if isinstance(dtype, pl.List) else {pl.Utf8: str, pl.Int64: int, pl.Float64: float}[dtype]


#: the Python types of an article row's and a hit's values when each has its column's type (as the
#: scanner makes them): the report writers take a short way for those (`rows`, the digest)
ARTICLE_TYPES = tuple(map(_python_type, ARTICLE_SCHEMA.values()))
HIT_TYPES = tuple(map(_python_type, HIT_SCHEMA.values()))


def entity_label(e) -> str:
    return f"{e.name} [{e.entity_id}, {e.list}] {e.similarity:.1f}"


def article_row(r: ArticleResult) -> dict:
    rec = r.record
    source = rec.source
    return {
        "id": rec.id, "source": source, "title": rec.title, "url": rec.url, "published": rec.published,
        "language": r.language, "score": r.score, "level": r.level if not rec.error else "", "rules": r.rules,
        "categories": r.categories, "entities": [entity_label(e) for e in r.entities], "evidence": r.evidence,
        "error": rec.error,
        "duplicate_of": str(rec.extra.get("duplicate_of") or "") if isinstance(rec.extra, dict) else "",
    }


def articles_frame(results: list[ArticleResult]) -> pl.DataFrame:
    cols: dict[str, list] = {c: [] for c in ARTICLE_COLUMNS}
    for r in results:
        for k, v in article_row(r).items():
            cols[k].append(v)
    return pl.DataFrame(cols, schema=ARTICLE_SCHEMA)


def hits_frame(results: list[ArticleResult]) -> pl.DataFrame:
    cols: dict[str, list] = {c: [] for c in HIT_COLUMNS}
    for r in results:
        for h in r.hits:
            for c in HIT_COLUMNS:
                cols[c].append(getattr(h, c))
    return pl.DataFrame(cols, schema=HIT_SCHEMA)
