"""The one schema every entity list is turned into.

Every importer (simple CSV/JSONL, OFAC, UN, EU, UK, CSL, OpenSanctions) returns a polars
DataFrame with exactly these columns, in this order. Multi-valued fields are lists; an
absent value is an empty list or null, never a sentinel string.
"""

from __future__ import annotations

import polars as pl

ENTITY_TYPES = ("person", "organisation", "vessel", "aircraft")
ALIAS_STRENGTHS = ("strong", "weak")

ALIAS = pl.Struct({"name": pl.Utf8, "strength": pl.Utf8})
IDENTIFIER = pl.Struct({"scheme": pl.Utf8, "value": pl.Utf8})

ENTITY_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Utf8,                    # unique within the list, e.g. "UN:KPe.001", "OFAC:12345"
    "type": pl.Utf8,                  # one of ENTITY_TYPES
    "name": pl.Utf8,                  # primary name
    "aliases": pl.List(ALIAS),        # other names with strength strong|weak
    "original_names": pl.List(pl.Utf8),  # names in original script
    "countries": pl.List(pl.Utf8),    # ISO-3166 alpha-2 where known, else as given
    "programs": pl.List(pl.Utf8),     # sanctions programmes / regimes, e.g. DPRK3, UN-1718
    "list": pl.Utf8,                  # list name, e.g. "OFAC SDN", "UN SC consolidated", "flagger default"
    "identifiers": pl.List(IDENTIFIER),  # IMO, passport, registration ... (scheme upper-case)
    "birth_dates": pl.List(pl.Utf8),  # ISO date or year
    "listed_on": pl.Utf8,             # ISO date
    "source_file": pl.Utf8,
    "source_record": pl.Utf8,         # line number or record id inside source_file
    "notes": pl.Utf8,
}


def empty_entities() -> pl.DataFrame:
    return pl.DataFrame(schema=ENTITY_SCHEMA)


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Return `frame` with exactly the canonical columns, types and order (missing ones null)."""
    cols = []
    for name, dtype in ENTITY_SCHEMA.items():
        if name in frame.columns:
            cols.append(pl.col(name).cast(dtype))
        else:
            cols.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(cols)
