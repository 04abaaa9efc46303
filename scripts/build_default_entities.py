"""Build the default entity list that ships with flagger (data/entities/default.parquet).

    .venv/bin/python scripts/build_default_entities.py [--lists ../shared/data/lists]
                                                       [--curated data/entities/curated.csv]
                                                       [-o data/entities/default.parquet]

Reads the newest complete UN Security Council consolidated list (consolidated*.xml) and the
newest OFAC SDN CSV set (sdn.csv with the newest alt.csv/add.csv/sdn_comments.csv not older than
it) below --lists, both public domain, all of their entries, and merges the hand-curated
additions into them (flagger.entities.default_list: one party is one entity). The official
files are never copied into the repository: only the merged frame is written, with each source
file's name, date, record count and SHA-256 in the Parquet metadata (`flagger lists default`
shows them). `flagger lists update` builds the same list from the files it downloads.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flagger.entities.default_list import build_default, find_official_files, write_default  # noqa: E402
from flagger.errors import EntityListError  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lists", type=Path, default=ROOT.parent / "shared" / "data" / "lists",
                    help="folder holding the official lists (searched recursively)")
    ap.add_argument("--curated", type=Path, default=ROOT / "data" / "entities" / "curated.csv")
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "data" / "entities" / "default.parquet")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    try:
        files = find_official_files(args.lists)
        frame, meta = build_default(files, args.curated, relative_to=args.lists)
    except EntityListError as exc:
        print(f"build_default_entities: {exc}", file=sys.stderr)
        return 2
    write_default(frame, meta, args.output)
    by_type = frame.group_by("type").len().sort("type").rows()
    print(f"{args.output}: {meta['entities']:,} entities, {meta['names']:,} names "
          f"({', '.join(f'{t} {n:,}' for t, n in by_type)}), {args.output.stat().st_size:,} bytes, "
          f"in {time.perf_counter() - started:.1f} s")
    for s in meta["sources"]:
        print(f"  {s['name']}: {s['file']} dated {s['date'] or '-'}, {s['records'] or '-'} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
