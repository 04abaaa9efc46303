"""A default entity list built from the official lists, and what it would cost to bundle it.

    .venv/bin/python benchmarks/default_entities.py [--lists ../shared/data/lists] [-o DIR]
                                                    [--dev ../shared/data/news-dev/articles.jsonl]

Builds DIR/default_official.parquet: the UN Security Council consolidated list (all of it, the
newest consolidated_*.xml) and the OFAC SDN list (all of it: the newest sdn.csv, 2024-05-03, with
the newest alt.csv/add.csv/sdn_comments.csv, 2025-01-06; both public domain) merged with the
hand-curated data/entities/default.csv (names in other scripts, press spellings, nicknames): a
curated row whose id is a UN reference (UN:KPe.054) adds its aliases and original-script names
to that UN entry; the other curated rows are added as they are. DIR/default_official.json records
each source file, its date and the row counts.

Then it measures, each in a fresh interpreter against the bundled default (`Scanner()`):
start-up from the compile cache (the second construction; the first compiles), scan time of the
dev set, expected entities reported on it, and false alarms (articles labelled none scored above
none; entities reported on none/low articles). The bundled default is not switched by this
script: bundling the built list is worth it only if start-up from the cache stays under 1 s and
false alarms do not rise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flagger.entities.loading import DEFAULT_LIST_NAME  # noqa: E402
from flagger.entities.ofac_csv import read_ofac_csv  # noqa: E402
from flagger.entities.schema import conform  # noqa: E402
from flagger.entities.simple import read_simple  # noqa: E402
from flagger.entities.un_xml import read_un_xml  # noqa: E402


def _newest(paths: list[Path]) -> Path:
    return sorted(paths)[-1]


def build(lists: Path, curated: Path) -> tuple[pl.DataFrame, dict]:
    un_file = _newest(list((lists / "un-sc-consolidated").glob("consolidated_*.xml")))
    sdn_dir = _newest([p.parent for p in (lists / "ofac-sdn").glob("*/sdn.csv")])
    alt_dir = _newest([p.parent for p in (lists / "ofac-sdn").glob("*/alt.csv")])
    ofac_files = [sdn_dir / "sdn.csv", *[alt_dir / n for n in ("alt.csv", "add.csv", "sdn_comments.csv")
                                         if (alt_dir / n).exists()]]
    un = read_un_xml(un_file)
    sdn = read_ofac_csv(ofac_files, partial=True)
    hand = read_simple(curated, list_name=DEFAULT_LIST_NAME)

    # curated rows that name a UN entry enrich it; the rest are added
    by_id = {r["id"]: r for r in hand.to_dicts()}
    rows = []
    for r in un.to_dicts():
        extra = by_id.pop(r["id"], None)
        if extra is not None:
            known = {a["name"] for a in r["aliases"] or []} | {r["name"]}
            r["aliases"] = (r["aliases"] or []) + [a for a in extra["aliases"] or [] if a["name"] not in known]
            r["original_names"] = list(dict.fromkeys((r["original_names"] or []) + (extra["original_names"] or [])))
        rows.append(r)
    merged = pl.concat([conform(pl.DataFrame(rows, schema=un.schema)), conform(sdn),
                        conform(pl.DataFrame(list(by_id.values()), schema=hand.schema))], how="vertical")
    merged = merged.with_columns(pl.lit(DEFAULT_LIST_NAME).alias("list"))
    info = {
        "sources": [
            {"file": str(un_file.relative_to(lists)), "date": un_file.stem.split("_")[-1], "rows": un.height},
            {"file": str((sdn_dir / "sdn.csv").relative_to(lists)), "date": sdn_dir.name, "rows": sdn.height},
            *[{"file": str(f.relative_to(lists)), "date": alt_dir.name} for f in ofac_files[1:]],
            {"file": str(curated.relative_to(ROOT)), "date": "hand-curated", "rows": hand.height,
             "merged_into_un": hand.height - len(by_id)},
        ],
        "rows": merged.height,
        "names": int(merged.height + merged["aliases"].list.len().sum() + merged["original_names"].list.len().sum()),
    }
    return merged, info


_MEASURE = r"""
import json, sys, time
t0 = time.perf_counter()
from flagger.api import Scanner
from flagger.model import Record
t1 = time.perf_counter()
paths = sys.argv[2:]
scanner = Scanner(entities=paths, default_entities=not paths)
t2 = time.perf_counter()
arts = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
t3 = time.perf_counter()
res = scanner.scan_batch([Record(id=a["id"], text=a["text"]) for a in arts])
t4 = time.perf_counter()
label = {a["id"]: a["label"] for a in arts}
print(json.dumps({"import_s": t1 - t0, "construct_s": t2 - t1, "scan_s": t4 - t3,
                  "entities": len(scanner.entity_frame),
                  "none_flagged": sum(1 for r in res if label[r.record.id] == "none" and r.level != "none"),
                  "none_low_entities": sorted({(r.record.id, e.matched_text, e.entity_id) for r in res
                                               if label[r.record.id] in ("none", "low") for e in r.entities})}))
"""


def measure(dev: Path, entities: list[str], cache: str) -> dict:
    env = dict(os.environ, FLAGGER_CACHE_DIR=cache)
    runs = []
    for _ in range(3):      # the first compiles into the cache; the others start from it
        out = subprocess.run([sys.executable, "-c", _MEASURE, str(dev), *entities], env=env, cwd=ROOT,
                             capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    result = runs[-1]
    result["compile_s"] = runs[0]["construct_s"]
    result["cached_construct_s"] = [round(r["construct_s"], 3) for r in runs[1:]]
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lists", type=Path, default=ROOT.parent / "shared" / "data" / "lists")
    ap.add_argument("--curated", type=Path, default=ROOT / "data" / "entities" / "default.csv")
    ap.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "data" / "news-dev" / "articles.jsonl")
    ap.add_argument("-o", "--out", type=Path, default=Path(tempfile.gettempdir()) / "flagger-default-official")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    frame, info = build(args.lists, args.curated)
    target = args.out / "default_official.parquet"
    frame.write_parquet(target)
    (args.out / "default_official.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    print(f"built {target}: {info['rows']} entities, {info['names']} names")
    for src in info["sources"]:
        print("  source", src)
    if not args.dev.exists():
        return
    with tempfile.TemporaryDirectory(prefix="flagger-default-bench-") as cache:
        for label, entities in (("bundled default", []), ("built from official lists", [str(target)])):
            r = measure(args.dev, entities, cache)
            print(f"## {label}: {r['entities']} entities; compile {r['compile_s']:.2f} s; Scanner() from the cache "
                  f"{r['cached_construct_s']} s (import {r['import_s']:.2f} s apart); dev scan {r['scan_s']:.2f} s; "
                  f"none articles flagged {r['none_flagged']}; entities on none/low articles "
                  f"{len(r['none_low_entities'])}")
            for e in r["none_low_entities"]:
                print("   ", e)


if __name__ == "__main__":
    main()
