"""Entity-matching figures of issue 15, re-runnable:

    .venv/bin/python benchmarks/entities.py [--corpus /tmp/corpus3k] [--dev DEV.jsonl] [--lists DIR]
                                            [--skip corpus,dev,lists]

(a) corpus: entity recall on a benchmark corpus made by benchmarks/corpus.py (a reported entity
    whose span overlaps a planted mention of the same entity id counts), overall, by position
    class ("next to a capitalised word": the word right before or after the mention, with only
    spaces between, starts with an upper-case letter; else "elsewhere") and by perturbation.
    That generator never plants a mention next to a capitalised word, so every planted mention
    is also put, as planted, into the sentences of CAPITALISED_TEMPLATES (sentence-initial word,
    coordinations, a country word before, a weekday after) and recall is given per template.
    Reported mentions that overlap no planted mention of the same entity are counted (and the
    first --show-misses listed): the corpus's precision side.
(b) dev: the share of `expected_entities` of the real-news dev set that the scan reports with
    the bundled default list (the report names each entity once, at its first mention: an
    expected name counts when a reported mention is that name, folded, or scores as it with
    names.compare against the reported mention or the listed name it matched), and every entity reported on a `none`/`low` article, listed.
(c) lists: self-match when screening every primary name (and every strong alias) of each
    official list against that list alone: the name must find its own entry among the matches.
    A listed name ending in a parenthesised acronym is also tried without it, and the acronym
    on its own.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flagger.api import Scanner  # noqa: E402
from flagger.entities.loading import load_entity_lists  # noqa: E402
from flagger.entities.ofac_csv import read_ofac_csv  # noqa: E402
from flagger.model import Record  # noqa: E402
from flagger.names.compare import compare_names, split_acronym  # noqa: E402
from flagger.names.index import NameIndex  # noqa: E402
from flagger.names.normalize import fold  # noqa: E402

_PREV_WORD = re.compile(r"(\S+)[ \t]+$")
_NEXT_WORD = re.compile(r"^[ \t]+(\S+)")


def _records(path: Path):
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _scan_entities(scanner: Scanner, records: list[dict]) -> dict[str, list]:
    out: dict[str, list] = {}
    batch = [Record(id=r["id"], text=r["text"], title=r.get("title") or "") for r in records]
    for i in range(0, len(batch), 200):
        for res in scanner.scan_batch(batch[i:i + 200]):
            out[res.record.id] = res.entities
    return out


def position_class(text: str, start: int, end: int) -> str:
    before = _PREV_WORD.search(text[max(0, start - 40):start])
    after = _NEXT_WORD.search(text[end:end + 40])
    for m in (before, after):
        if m and m.group(1)[:1].isupper():
            return "next to a capitalised word"
    return "elsewhere"


def corpus_recall(corpus: Path) -> dict:
    scanner = Scanner(rules=[str(corpus / "rules" / "bench.yaml")], entities=[str(corpus / "entities.csv")],
                      default_entities=False)
    articles = list(_records(corpus / "articles.jsonl"))
    text = {a["id"]: a["text"] for a in articles}
    t0 = time.perf_counter()
    found = _scan_entities(scanner, articles)
    seconds = time.perf_counter() - t0
    total: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    planted: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for t in _records(corpus / "truth.jsonl"):
        if t["kind"] != "entity":
            continue
        planted[t["article"]].append((t["entity_id"], t["start"], t["end"]))
        ok = any(m.entity_id == t["entity_id"] and m.start < t["end"] and t["start"] < m.end
                 for m in found.get(t["article"], ()))
        pos = position_class(text[t["article"]], t["start"], t["end"])
        for key in ("all", f"position: {pos}", f"perturbation: {t['perturbation']}"):
            total[key][0] += ok
            total[key][1] += 1
    # precision: a reported mention that overlaps no planted mention of the same entity (another
    # listed party with a similar name, or words of the filler text) is unplanted
    reported = unplanted = 0
    examples = []
    for aid, ms in found.items():
        for m in ms:
            reported += 1
            if not any(eid == m.entity_id and s < m.end and m.start < e for eid, s, e in planted.get(aid, ())):
                unplanted += 1
                examples.append((aid, m.matched_text, m.matched_name))
    return {"scan_s": round(seconds, 2),
            "recall": {k: (round(v[0] / v[1], 4), v[0], v[1]) for k, v in sorted(total.items())},
            "reported": reported, "unplanted": unplanted, "unplanted_examples": examples}


# Sentences that put a planted mention next to capitalised words as news does (the corpus
# generator never does): a sentence-initial word, a coordination, a country word, a weekday.
CAPITALISED_TEMPLATES = {
    "sentence-initial word": "Will {a} travel to the capital again?",
    "coordination (and)": "Talks between {a} and {b} lasted four hours.",
    "coordination (list)": "{b}, {a} and several officials met on the border.",
    "coordination (und)": "Heute trafen {a} und {b} zusammen.",
    "country word before": "Officials said Russian {a} signed the deal.",
    "weekday after": "Officials said {a} Tuesday denied it.",
}


def capitalised_recall(corpus: Path) -> dict:
    """Recall of each planted entity mention (its surface text as planted) put into each of
    CAPITALISED_TEMPLATES, next to another planted mention where the template has two."""
    scanner = Scanner(rules=[str(corpus / "rules" / "bench.yaml")], entities=[str(corpus / "entities.csv")],
                      default_entities=False)
    text = {a["id"]: a["text"] for a in _records(corpus / "articles.jsonl")}
    mentions = [(t["entity_id"], text[t["article"]][t["start"]:t["end"]])
                for t in _records(corpus / "truth.jsonl") if t["kind"] == "entity"]
    articles, want = [], {}
    for i, (eid, surface) in enumerate(mentions):
        other_id, other = mentions[(i + 7) % len(mentions)]
        if other_id == eid:
            continue
        for label, template in CAPITALISED_TEMPLATES.items():
            body = template.format(a=surface, b=other)
            aid = f"{i}:{label}"
            articles.append({"id": aid, "text": body})
            start = body.index(surface)
            want[aid] = (eid, start, start + len(surface), label)
    found = _scan_entities(scanner, articles)
    total: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for aid, (eid, start, end, label) in want.items():
        ok = any(m.entity_id == eid and m.start < end and start < m.end for m in found.get(aid, ()))
        for key in ("next to a capitalised word (all templates)", f"template: {label}"):
            total[key][0] += ok
            total[key][1] += 1
    return {k: (round(v[0] / v[1], 4), v[0], v[1]) for k, v in sorted(total.items())}


def dev_share(dev: Path, entities: list[str]) -> dict:
    scanner = Scanner(entities=entities)
    articles = list(_records(dev))
    found = _scan_entities(scanner, articles)
    got = want = 0
    missed, negatives = [], []
    for a in articles:
        ms = found.get(a["id"], [])
        text = a["text"]
        for name in a.get("expected_entities") or []:
            want += 1
            # the report names each entity once (at its first mention, offsets into title + text):
            # an expected name counts when a reported mention is that name, as written or as scored
            spans = [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
            if any(e.start < hi and lo < e.end for lo, hi in spans for e in ms) or any(
                   fold(e.matched_text) == fold(name) or fold(name) in fold(e.matched_text)
                   or any((cmp := compare_names(name, other)).match and not cmp.partial
                          for other in (e.matched_text, e.matched_name))
                   or compare_names(name, e.name).match for e in ms):
                got += 1
            else:
                missed.append((a["id"], a.get("language"), name))
        if a["label"] in ("none", "low"):
            for e in ms:
                negatives.append((a["id"], a["label"], e.matched_text, e.name, e.entity_id))
    return {"reported": got, "expected": want, "share": round(got / want, 4) if want else None,
            "missed": missed, "entities_on_none_low": negatives}


def _list_loaders(lists: Path) -> dict:
    """label -> function loading that official list (only lists whose files are present)."""
    def file_loader(path: Path):
        return (lambda: load_entity_lists([str(path)], default_entities=False)) if path.exists() else None

    sdn24 = [lists / "ofac-sdn" / "2024-05-03" / "sdn.csv", lists / "ofac-sdn" / "2025-01-06" / "alt.csv"]
    loaders = {
        "UN": file_loader(lists / "un-sc-consolidated" / "consolidated_2026-02-27.xml"),
        "OFAC SDN 2021-07-07": file_loader(lists / "ofac-sdn" / "2021-07-07"),
        "OFAC SDN 2024-05-03 (+2025-01-06 alt)": (lambda: read_ofac_csv(sdn24, partial=True))
        if all(f.exists() for f in sdn24) else None,
        "OFAC non-SDN 2025-12-19": file_loader(lists / "ofac-consolidated-non-sdn" / "2025-12-19"),
        "OFAC non-SDN enhanced XML 2025-01-10": file_loader(
            lists / "ofac-consolidated-non-sdn" / "2025-01-10-enhanced-xml" / "CONS_ENHANCED.XML"),
        "EU 2017/1509": file_loader(lists / "eu-official-journal" / "32017R1509.csv"),
        "EU 833/2014": file_loader(lists / "eu-official-journal" / "32014R0833.csv"),
        "EU 269/2014": file_loader(lists / "eu-official-journal" / "32014R0269.csv"),
        "UK 2018": file_loader(lists / "uk-ofsi-conlist" / "ConList_2018-04-13.csv"),
        "US CSL 2022-05": file_loader(lists / "us-csl-trade-gov" / "consolidated_2022-05.csv"),
    }
    return {k: v for k, v in loaders.items() if v is not None}


def self_match_queries(frame) -> list[tuple[str, str, str]]:
    """(entity id, query name, kind of query) for every primary name and strong alias."""
    out = []
    for row in frame.select("id", "name", "aliases").iter_rows(named=True):
        names = [(row["name"], "primary")] + [(a["name"], "strong alias") for a in row["aliases"] or []
                                              if a["strength"] == "strong"]
        for name, kind in names:
            if not name or not name.strip():
                continue
            out.append((row["id"], name, kind))
            parts = split_acronym(name)
            if parts:
                out.append((row["id"], parts[0], "without acronym"))
                out.append((row["id"], parts[1], "acronym"))
    return out


def self_match(frame, limit: int = 10) -> dict:
    index = NameIndex(frame)
    queries = self_match_queries(frame)
    unique = sorted({q[1] for q in queries})
    import polars as pl
    t0 = time.perf_counter()
    res = index.screen(pl.DataFrame({"name": unique}), limit=limit)
    found: dict[str, set[str]] = {}
    for name, top, others, matched in zip(res["name"], res["entity_id"], res["other_matches"], res["matched"],
                                          strict=True):
        ids = {top} if matched and top else set()
        ids |= {o.rsplit(":", 1)[0] for o in (others or "").split(";") if o}
        found[name] = ids
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for eid, name, kind in queries:
        ok = eid in found.get(name, set())
        by_kind[kind][0] += ok
        by_kind[kind][1] += 1
        if not ok and kind != "acronym":
            misses.append((eid, name, kind))
    return {"entities": frame.height, "seconds": round(time.perf_counter() - t0, 1),
            "rate": {k: (round(v[0] / v[1], 4), v[0], v[1]) for k, v in sorted(by_kind.items())},
            "misses": misses}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="/tmp/corpus3k")
    ap.add_argument("--dev", default=str(Path(__file__).resolve().parents[2] / "shared/data/news-dev/articles.jsonl"))
    ap.add_argument("--lists", default=str(Path(__file__).resolve().parents[2] / "shared/data/lists"))
    ap.add_argument("--dev-entities", nargs="*", default=[], help="entity lists added to the default for (b)")
    ap.add_argument("--only-lists", default="", help="comma-separated list labels for (c)")
    ap.add_argument("--skip", default="", help="comma-separated: corpus,dev,lists")
    ap.add_argument("--show-misses", type=int, default=15)
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    if "corpus" not in skip and Path(args.corpus, "truth.jsonl").exists():
        r = corpus_recall(Path(args.corpus))
        print(f"## corpus {args.corpus} (entity scan {r['scan_s']} s)")
        for k, (rate, ok, n) in r["recall"].items():
            print(f"  {k:45s} {rate:.4f}  ({ok}/{n})")
        print(f"  {'reported mentions of no planted entity':45s} {r['unplanted']}/{r['reported']}")
        for aid, written, listed in r["unplanted_examples"][:args.show_misses]:
            print(f"    {aid}: {written!r} as {listed!r}")
        for k, (rate, ok, n) in capitalised_recall(Path(args.corpus)).items():
            print(f"  {k:45s} {rate:.4f}  ({ok}/{n})")
    if "dev" not in skip and Path(args.dev).exists():
        r = dev_share(Path(args.dev), args.dev_entities)
        print(f"## dev {args.dev}: expected entities reported {r['reported']}/{r['expected']} = {r['share']}")
        for m in r["missed"][:args.show_misses]:
            print("  missed", m)
        print(f"  entities on none/low articles: {len(r['entities_on_none_low'])}")
        for m in r["entities_on_none_low"]:
            print("  ", m)
    if "lists" not in skip and Path(args.lists).exists():
        only = set(filter(None, args.only_lists.split(",")))
        for label, load in _list_loaders(Path(args.lists)).items():
            if only and label not in only:
                continue
            r = self_match(load())
            rates = "; ".join(f"{k} {rate:.4f} ({ok}/{n})" for k, (rate, ok, n) in r["rate"].items())
            print(f"## self-match {label} ({r['entities']} entries, {r['seconds']} s): {rates}")
            for m in r["misses"][:args.show_misses]:
                print("  miss", m)


if __name__ == "__main__":
    main()
