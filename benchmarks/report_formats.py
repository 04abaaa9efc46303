"""How long the report writers take for a report with many hits: CSV against HTML (and others).

A synthetic report (no scanning: the writers alone are timed) of ARTICLES articles with HITS
hits each, hits overlapping in pairs (a rule's term inside an entity's name, as real reports
have), written to files in a temporary folder. "csv" is the article CSV plus the --hits CSV
(the CSV user's view of the same hits). Runs alternate between formats; the medians and the
ratio of each format to the first are printed.

    python benchmarks/report_formats.py                       # 20 articles x 2,000 hits = 40k hits
    python benchmarks/report_formats.py --articles 20 --hits 2000 --formats csv html markdown
    python benchmarks/report_formats.py --articles 100 --hits 10 --calm 2900 --runs 1   # page size

--calm N adds N articles with no finding (4,500 characters of text each): the HTML report counts
them but leaves them out unless --html-include-none; the size column shows what that saves.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from flagger.model import ArticleResult, EntityMatch, Hit, Record
from flagger.report.files import write_hits_file, write_report_file
from flagger.report.scan_report import Report

SENTENCE = "The trading company shipped artillery shells through Nampo last spring. "


CALM = "The harvest fair opened on Saturday with pumpkins, bread and a brass band. " * 60


def build(articles: int, hits: int, calm: int = 0) -> Report:
    results = [ArticleResult(record=Record(id=f"bench/calm-{c:05d}.txt", text=CALM, title=f"Calm {c}",
                                           source="bench", origin="bench"), language="en")
               for c in range(calm)]
    for a in range(articles):
        text = SENTENCE * ((hits + 1) // 2)
        rid = f"bench/article-{a:05d}.txt"
        hs, ents = [], []
        for k in range(hits):
            base = (k // 2) * len(SENTENCE)
            if k % 2 == 0:          # the entity: "trading company"
                start, end = base + 4, base + 19
                hs.append(Hit(rid, "", "sanctioned-entity", "high", "Trading Company", text[start:end], start, end,
                              96.0, "", text[max(0, start - 40):end + 40], "entity", "X:1", "bench list"))
                if k == 0:
                    ents.append(EntityMatch("X:1", "Trading Company", "Trading Company", "organisation", "bench list",
                                            ["BENCH"], 96.0, text[start:end], start, end, "alias"))
            else:                   # the rule's terms, overlapping the entity's span
                start, end = base + 12, base + 51
                hs.append(Hit(rid, "bench.arms", "arms-embargo", "critical", "artillery shell", text[start:end],
                              start, end, 100.0, "", text[max(0, start - 40):end + 40]))
        results.append(ArticleResult(record=Record(id=rid, text=text, title=f"Article {a}", url=f"https://x.example/{a}",
                                                   source="bench", origin=rid),
                                     language="en", score=90.0, level="critical", rules=["bench.arms"],
                                     categories=["arms-embargo"], entities=ents, hits=hs,
                                     evidence=["bench.arms: artillery shells"]))
    return Report(results=results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--hits", type=int, default=2000, help="hits per article")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--calm", type=int, default=0, help="articles with no finding added")
    ap.add_argument("--formats", nargs="+", default=["csv", "html"])
    args = ap.parse_args()
    report = build(args.articles, args.hits, args.calm)
    print(f"{args.articles} articles x {args.hits} hits = {args.articles * args.hits:,} hits"
          + (f", plus {args.calm:,} articles with no finding" if args.calm else ""))
    times: dict[str, list[float]] = {f: [] for f in args.formats}
    with tempfile.TemporaryDirectory() as d:
        for _ in range(args.runs):
            for fmt in args.formats:         # alternating: each run writes every format once
                t0 = time.perf_counter()
                write_report_file(report, Path(d) / f"r.{fmt}", fmt)
                if fmt == "csv":
                    write_hits_file(report.results, Path(d) / "hits.csv")
                times[fmt].append(time.perf_counter() - t0)
        sizes = {f: (Path(d) / f"r.{f}").stat().st_size for f in args.formats}
        if "csv" in sizes:
            sizes["csv"] += (Path(d) / "hits.csv").stat().st_size
    base = statistics.median(times[args.formats[0]])
    for fmt in args.formats:
        med = statistics.median(times[fmt])
        print(f"{fmt:<9} median {med:7.2f} s  runs {' '.join(f'{t:.2f}' for t in times[fmt])}  "
              f"{sizes[fmt] / 1e6:6.1f} MB  {med / base:5.2f}x {args.formats[0]}")


if __name__ == "__main__":
    main()
