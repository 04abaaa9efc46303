"""Every listed name finds its own entry: the primary name and every strong alias of every
official list flagger imports, a name without its parenthesised acronym, and the acronym alone.

Reads the official lists in ../shared/data/lists (skipped where absent). A deterministic sample
of at most SAMPLE names per list keeps the test quick; `benchmarks/entities.py` screens every
name of every list and reports the rate per list."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from flagger.entities.loading import load_entity_lists
from flagger.entities.ofac_csv import read_ofac_csv
from flagger.names.compare import split_acronym
from flagger.names.index import NameIndex

LISTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "lists"
SAMPLE = 1200

SOURCES = {
    "UN consolidated XML": ["un-sc-consolidated/consolidated_2026-02-27.xml"],
    "OFAC SDN CSV 2021": ["ofac-sdn/2021-07-07"],
    "OFAC SDN CSV 2024 (+2025 alt)": ["ofac-sdn/2024-05-03/sdn.csv", "ofac-sdn/2025-01-06/alt.csv"],
    "OFAC non-SDN CSV": ["ofac-consolidated-non-sdn/2025-12-19"],
    "OFAC non-SDN enhanced XML": ["ofac-consolidated-non-sdn/2025-01-10-enhanced-xml/CONS_ENHANCED.XML"],
    "EU Official Journal DPRK": ["eu-official-journal/32017R1509.csv"],
    "EU Official Journal Russia 833": ["eu-official-journal/32014R0833.csv"],
    "EU Official Journal Russia 269": ["eu-official-journal/32014R0269.csv"],
    "UK OFSI 2018": ["uk-ofsi-conlist/ConList_2018-04-13.csv"],
    "US CSL": ["us-csl-trade-gov/consolidated_2022-05.csv"],
}


def load(parts: list[str]) -> pl.DataFrame:
    paths = [LISTS / p for p in parts]
    if len(paths) > 1:
        return read_ofac_csv(paths, partial=True)
    return load_entity_lists([str(paths[0])], default_entities=False)


def queries(frame: pl.DataFrame) -> list[tuple[str, str, str]]:
    """(entity id, name, kind): primary names, strong aliases, names without their acronym, acronyms."""
    out = []
    for row in frame.select("id", "name", "aliases").iter_rows(named=True):
        names = [row["name"]] + [a["name"] for a in row["aliases"] or [] if a["strength"] == "strong"]
        for name in filter(None, names):
            out.append((row["id"], name, "listed name"))
            parts = split_acronym(name)
            if parts:
                out += [(row["id"], parts[0], "without acronym"), (row["id"], parts[1], "acronym")]
    step = max(1, len(out) // SAMPLE)
    return [q for i, q in enumerate(out) if i % step == 0 or q[2] != "listed name"]


@pytest.mark.parametrize("label", sorted(SOURCES))
def test_every_listed_name_matches_its_own_entry(label):
    if not all((LISTS / p).exists() for p in SOURCES[label]):
        pytest.skip(f"{label}: shared list data absent")
    frame = load(SOURCES[label])
    index = NameIndex(frame)
    todo = queries(frame)
    names = sorted({name for _e, name, _k in todo})
    result = index.screen(pl.DataFrame({"name": names}), limit=10)
    found = {}
    for name, top, matched, others in result.select("name", "entity_id", "matched", "other_matches").iter_rows():
        found[name] = ({top} if matched else set()) | {o.rsplit(":", 1)[0] for o in (others or "").split(";") if o}
    misses = [(e, name, kind) for e, name, kind in todo if e not in found[name]]
    assert not misses, f"{label}: {len(misses)} of {len(todo)} listed names miss their entry, e.g. {misses[:10]}"
