"""Throughput of flagger's scan against an exact-only pipeline and the naive rapidfuzz loop.

    python benchmarks/throughput.py                      # N=20,000, T=2,000, M=20,000, 3 runs
    python benchmarks/throughput.py --articles 2000 --runs 3 --jobs 2
    python benchmarks/throughput.py --sweep              # N x {1,2,4}, names x {10k,50k,200k}
    python benchmarks/throughput.py --articles 5000 --official-lists ../shared/data/lists
                                                         # names scaling on real official lists

Every pipeline runs in a freshly forked process (cold token caches, own peak RSS), one at a time,
on the same corpus (benchmarks/corpus.py, seeded). Reported: MB/s of article text and articles/s
(per core for one process), ratios measured in the same invocation, peak RSS, recall of the
embedded perturbed mentions (by kind and perturbation), compile time cold vs cached.
Needs benchmarks/requirements.txt (pyahocorasick) installed next to flagger.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import ensure_corpus  # noqa: E402

_STATE: dict = {}


# -- helpers -----------------------------------------------------------------------------------------
def _records(path: Path, part: tuple[int, int] | None = None):
    """The corpus's records; with part=(k, n), only the k-th of n equal consecutive slices."""
    with path.open(encoding="utf-8") as f:
        if part is None:
            for line in f:
                yield json.loads(line)
            return
        lines = f.readlines()
    k, n = part
    size = -(-len(lines) // n)
    for line in lines[k * size:(k + 1) * size]:
        yield json.loads(line)


def _in_child(fn, *args):
    """Run fn(*args) in a forked child; return its result (dict) plus the child's peak RSS."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def target():
        out = fn(*args)
        out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child.send(out)

    p = ctx.Process(target=target)
    p.start()
    out = parent.recv()
    p.join()
    return out


def _median(xs):
    return statistics.median(xs) if xs else float("nan")


# -- pipelines -------------------------------------------------------------------------------------
def run_halves(corpus: Path) -> dict:
    """The machine's ceiling for two processes: two independent one-process scans, each of one
    half of the corpus, started together (no shared work, no parent, no pickling). Seconds = the
    slower one; each child's time alone is in `each`."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()

    def half(k: int) -> None:
        queue.put(run_flagger(corpus, 1, False, part=(k, 2))["seconds"])

    t0 = time.perf_counter()
    procs = [ctx.Process(target=half, args=(k,)) for k in range(2)]
    for p in procs:
        p.start()
    each = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    return {"seconds": time.perf_counter() - t0, "each": each}


def run_flagger(corpus: Path, jobs: int, collect: bool, part: tuple[int, int] | None = None) -> dict:
    scanner = _STATE["scanner"]
    from flagger.report.csv_report import _cell
    from flagger.report.frames import ARTICLE_COLUMNS, article_row

    t0 = time.perf_counter()
    if jobs > 1:
        from flagger.scale.parallel import scan_parallel

        results = scan_parallel(scanner, _records(corpus / "articles.jsonl"), jobs=jobs)
    else:
        results = scanner.scan_iter(_records(corpus / "articles.jsonl", part))
    n = nbytes = nhits = 0
    hits = []
    sink = open(os.devnull, "w")  # noqa: SIM115 - the report rows are formatted and written, as the CLI does
    for r in results:
        n += 1
        nbytes += len(r.record.text.encode("utf-8"))
        row = article_row(r)
        sink.write(",".join(_cell(row[c]) for c in ARTICLE_COLUMNS) + "\n")
        nhits += len(r.hits)
        if collect:
            hits.extend((h.article_id, h.start, h.end, h.kind, h.term, h.entity_id) for h in r.hits)
    sink.close()
    return {"seconds": time.perf_counter() - t0, "articles": n, "bytes": nbytes, "hits": nhits, "hit_rows": hits}


def _exact_keys(scanner) -> list[tuple[str, str, str]]:
    """(normalised key, kind, term-or-entity-id) for every term spelling and entity name, as written."""
    from flagger.text import normalize_text

    keys = []
    for rule in scanner.compiled.rules:
        for group in rule.groups.values():
            for term in group.terms:
                for spelling in term.spellings:
                    toks = normalize_text(spelling)
                    if toks:
                        keys.append((" ".join(toks), "term", term.text))
    for row in scanner.compiled.entity_rows:
        names = [row["name"]] + [a["name"] for a in row["aliases"] or []] + list(row["original_names"] or [])
        for name in names:
            toks = normalize_text(name or "")
            if toks:
                keys.append((" ".join(toks), "entity", row["id"]))
    return keys


def run_exact(corpus: Path, collect: bool) -> dict:
    """Same tokeniser and per-token normalisation as flagger, then pyahocorasick over the joined tokens."""
    import ahocorasick

    from flagger.text import normalize_token, tokenize

    scanner = _STATE["scanner"]
    t_build = time.perf_counter()
    automaton = ahocorasick.Automaton()
    payload: dict[str, list] = defaultdict(list)
    for key, kind, ref in _exact_keys(scanner):
        payload[key].append((kind, ref))
    for key, refs in payload.items():
        automaton.add_word(key, (len(key), refs))
    automaton.make_automaton()
    build = time.perf_counter() - t_build
    cache: dict[str, str] = {}
    t0 = time.perf_counter()
    n = nbytes = nhits = 0
    hits = []
    for rec in _records(corpus / "articles.jsonl"):
        text = rec["text"]
        n += 1
        nbytes += len(text.encode("utf-8"))
        tokens = tokenize(text)
        for raw in set(tokens.raws).difference(cache):   # flagger's own per-distinct-token folding
            cache[raw] = normalize_token(raw)
        norms = list(map(cache.__getitem__, tokens.raws))
        joined = " ".join(norms)
        found = []
        for end, (length, refs) in automaton.iter(joined):
            start = end - length + 1
            if (start == 0 or joined[start - 1] == " ") and (end + 1 == len(joined) or joined[end + 1] == " "):
                found.append((start, end + 1, refs))
        if found:
            nhits += len(found)
            if collect:
                # joined offsets -> token indices -> character offsets in the text
                starts, pos = [], 0
                for tok in norms:
                    starts.append(pos)
                    pos += len(tok) + 1
                import bisect

                for s, e, refs in found:
                    i = bisect.bisect_left(starts, s)
                    j = bisect.bisect_left(starts, e + 1) - 1
                    for kind, ref in refs:
                        hits.append((rec["id"], tokens[i].start, tokens[j].end, kind,
                                     ref if kind == "term" else "", ref if kind == "entity" else ""))
    return {"seconds": time.perf_counter() - t0, "build": build, "articles": n, "bytes": nbytes,
            "hits": nhits, "hit_rows": hits}


def run_naive(corpus: Path, sample: int) -> dict:
    """partial_ratio(term or name, article) >= 90 for every pattern, on `sample` articles."""
    from rapidfuzz import fuzz

    scanner = _STATE["scanner"]
    patterns = list(dict.fromkeys(k for k, _kind, _ref in _exact_keys(scanner)))
    texts = []
    for rec in _records(corpus / "articles.jsonl"):
        texts.append(rec["text"])
        if len(texts) >= sample:
            break
    t0 = time.perf_counter()
    found = 0
    for text in texts:
        low = text.lower()
        for p in patterns:
            if fuzz.partial_ratio(p, low, score_cutoff=90):
                found += 1
    dt = time.perf_counter() - t0
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    return {"seconds": dt, "articles": len(texts), "bytes": nbytes, "patterns": len(patterns), "hits": found}


def matched_rows(corpus: Path) -> list:
    """(article, start, end, kind, term, entity id) for every term and entity the matcher finds,
    whether or not the term's rule fires (its co-occurrence condition is the rule's business, not
    the matcher's): the like-for-like counterpart of what the exact-only pipeline reports.
    Untimed; the scan's own code path up to scoring (Scanner.match_batch)."""
    from flagger.model import Record

    scanner = _STATE["scanner"]
    rows = []
    batch: list = []

    def flush() -> None:
        for record, m in scanner.match_batch(batch):
            if m is None:        # a record with no text: nothing to match
                continue
            tokens = m.tokens
            for hits in m.term_hits.values():
                rows.extend((record.id, tokens[h.start].start, tokens[h.end - 1].end, "term", h.term, "") for h in hits)
            rows.extend((record.id, em.start, em.end, "entity", "", em.entity_id) for em, _s, _e, _r in m.entities)
        batch.clear()

    for rec in _records(corpus / "articles.jsonl"):
        batch.append(Record(id=rec["id"], text=rec["text"]))
        if len(batch) >= scanner.batch_size:
            flush()
    flush()
    return rows


# -- recall ----------------------------------------------------------------------------------------
def recall(corpus: Path, hit_rows) -> dict:
    by_article: dict[str, list] = defaultdict(list)
    for row in hit_rows:
        by_article[row[0]].append(row)
    total: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with (corpus / "truth.jsonl").open(encoding="utf-8") as f:
        for line in f:
            t = json.loads(line)
            ok = False
            for _a, s, e, kind, term, eid in by_article.get(t["article"], ()):
                if s < t["end"] and t["start"] < e:
                    if t["kind"] == "entity" and eid == t["entity_id"]:
                        ok = True
                        break
                    if t["kind"] == "term" and kind == "term" and term == t["term"]:
                        ok = True
                        break
            for key in ("all", t["kind"], f"{t['kind']}:{t['perturbation']}"):
                total[key][0] += ok
                total[key][1] += 1
    return {k: (v[0] / v[1] if v[1] else float("nan"), v[1]) for k, v in sorted(total.items())}


# -- compile / cache -------------------------------------------------------------------------------
def time_startup(corpus: Path, cache_dir: str) -> float:
    """Seconds for a fresh interpreter to construct the Scanner (rules + lists loaded, index compiled
    or read from the cache), after importing flagger (the import, ~0.6 s, is reported apart)."""
    code = ("import time; t0=time.perf_counter(); from flagger.api import Scanner; t=time.perf_counter(); "
            f"Scanner(rules=[{str(corpus / 'rules' / 'bench.yaml')!r}], entities=[{str(corpus / 'entities.csv')!r}]); "
            "print(t-t0, time.perf_counter()-t)")
    env = dict(os.environ, FLAGGER_CACHE_DIR=cache_dir)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    imp, construct = map(float, out.stdout.strip().splitlines()[-1].split())
    _STATE["import_s"] = imp
    return construct


# -- main --------------------------------------------------------------------------------------------
def measure(args, n_articles: int, n_entities: int, quick: bool = False) -> dict:
    from flagger.api import Scanner

    corpus = ensure_corpus(Path(args.corpus_dir), n_articles, args.terms, n_entities, args.seed)
    meta = json.loads((corpus / "meta.json").read_text())
    print(f"# corpus {corpus.name}: {meta['articles']} articles, {meta['text_bytes'] / 1e6:.1f} MB, "
          f"{meta['names']} names, {meta['terms']} terms, {meta['mentions']} embedded mentions", flush=True)
    os.environ.setdefault("FLAGGER_CACHE_DIR", tempfile.mkdtemp(prefix="flagger-bench-cache-"))
    t0 = time.perf_counter()
    _STATE["scanner"] = Scanner(rules=[str(corpus / "rules" / "bench.yaml")], entities=[str(corpus / "entities.csv")])
    compile_s = time.perf_counter() - t0
    res: dict = {"meta": meta, "compile_s": compile_s}
    runs = 1 if quick else args.runs
    fl, fl2, ex, halves = [], [], [], []
    for i in range(runs):
        fl.append(_in_child(run_flagger, corpus, 1, i == 0))
        print(f"  flagger 1 proc run {i + 1}: {fl[-1]['seconds']:.2f} s", flush=True)
        if not quick:
            ex.append(_in_child(run_exact, corpus, i == 0))
            print(f"  exact   1 proc run {i + 1}: {ex[-1]['seconds']:.2f} s", flush=True)
            if args.jobs > 1:
                fl2.append(_in_child(run_flagger, corpus, args.jobs, False))
                print(f"  flagger {args.jobs} procs run {i + 1}: {fl2[-1]['seconds']:.2f} s", flush=True)
            if args.jobs == 2:
                halves.append(run_halves(corpus))
                print(f"  two independent halves run {i + 1}: {halves[-1]['seconds']:.2f} s", flush=True)
    res["flagger"] = fl
    res["flagger_jobs"] = fl2
    res["halves"] = halves
    res["exact"] = ex
    res["recall"] = recall(corpus, fl[0]["hit_rows"])
    res["matched_recall"] = recall(corpus, _in_child(lambda: {"rows": matched_rows(corpus)})["rows"])
    if ex:
        res["exact_recall"] = recall(corpus, ex[0]["hit_rows"])
    if not quick and args.naive_sample:
        res["naive"] = _in_child(run_naive, corpus, args.naive_sample)
    if not quick:
        cache_dir = tempfile.mkdtemp(prefix="flagger-startup-cache-")
        res["startup_cold"] = time_startup(corpus, cache_dir)
        res["startup_warm"] = [time_startup(corpus, cache_dir) for _ in range(3)]
        res["import_s"] = _STATE.get("import_s", 0.0)
    return res


def report(res: dict, jobs: int) -> None:
    meta = res["meta"]
    mb = meta["text_bytes"] / 1e6
    n = meta["articles"]

    def rate(runs):
        s = _median([r["seconds"] for r in runs])
        return s, mb / s, n / s

    s1, mbs1, aps1 = rate(res["flagger"])
    print()
    print(f"## N={n:,} articles ({mb:.1f} MB), T={meta['terms']:,} terms, M={meta['entities']:,} entities "
          f"({meta['names']:,} names); medians of {len(res['flagger'])} runs")
    print()
    print("| pipeline | seconds | MB/s | articles/s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|")
    rss = _median([r["rss_mb"] for r in res["flagger"]])
    print(f"| flagger scan, 1 process | {s1:.2f} | {mbs1:.2f} | {aps1:,.0f} | {rss:.0f} |")
    if res["flagger_jobs"]:
        s2, mbs2, aps2 = rate(res["flagger_jobs"])
        rss2 = _median([r["rss_mb"] for r in res["flagger_jobs"]])
        print(f"| flagger scan, --jobs {jobs} | {s2:.2f} | {mbs2:.2f} | {aps2:,.0f} | {rss2:.0f} (parent) |")
    if res["exact"]:
        se, mbse, apse = rate(res["exact"])
        rsse = _median([r["rss_mb"] for r in res["exact"]])
        print(f"| exact-only (same tokens + pyahocorasick), 1 process | {se:.2f} | {mbse:.2f} | {apse:,.0f} | {rsse:.0f} |")
    naive = res.get("naive")
    if naive:
        per_art = naive["seconds"] / naive["articles"]
        mbn = naive["bytes"] / 1e6 / naive["seconds"]
        print(f"| naive partial_ratio loop ({naive['patterns']:,} patterns; {naive['articles']} articles, "
              f"extrapolated) | {per_art * n:,.0f} | {mbn:.4f} | {1 / per_art:.2f} | {naive['rss_mb']:.0f} |")
    print()
    print("| ratio (same run) | value | target |")
    print("|---|---:|---|")
    if res["exact"]:
        ratios = [f["seconds"] and e["seconds"] / f["seconds"] for f, e in zip(res["flagger"], res["exact"], strict=False)]
        print(f"| flagger / exact-only | {_median(ratios):.2f} (runs: {', '.join(f'{r:.2f}' for r in ratios)}) | ≥ 0.5 |")
    if naive:
        print(f"| flagger / naive | {(naive['seconds'] / naive['articles']) * n / s1:,.0f} | ≥ 2,000 |")
    if res["flagger_jobs"]:
        ratios = [f["seconds"] / j["seconds"] for f, j in zip(res["flagger"], res["flagger_jobs"], strict=False)]
        print(f"| flagger --jobs {jobs} / 1 process | {_median(ratios):.2f} (runs: {', '.join(f'{r:.2f}' for r in ratios)}) | ≥ 1.7 |")
    if res.get("halves"):
        ratios = [f["seconds"] / h["seconds"] for f, h in zip(res["flagger"], res["halves"], strict=False)]
        print(f"| ceiling: two independent one-process scans of the halves, together / 1 process | "
              f"{_median(ratios):.2f} (runs: {', '.join(f'{r:.2f}' for r in ratios)}) | (what 2 cores give) |")
    if "startup_cold" in res:
        print(f"| Scanner() in a fresh process, cold compile → cached (s; + {res.get('import_s', 0):.2f} s import) | "
              f"{res['startup_cold']:.2f} → {_median(res['startup_warm']):.2f} | < 1 s |")
    print(f"| compile in this process (s) | {res['compile_s']:.2f} | |")
    print()
    print("Recall of the embedded mentions. *matched*: found by flagger's matcher at the default thresholds")
    print("(like the exact-only pipeline, which reports every match); *reported*: also a hit of the scan's")
    print("report, i.e. the term's rule fired (the synthetic rules need two groups within 40 tokens).")
    print()
    print("| recall of embedded mentions | flagger matched | flagger reported | exact-only | mentions |")
    print("|---|---:|---:|---:|---:|")
    ex = res.get("exact_recall", {})
    matched = res.get("matched_recall", {})
    for k, (v, cnt) in res["recall"].items():
        e = ex.get(k, (float("nan"), 0))[0]
        mv = matched.get(k, (float("nan"), 0))[0]
        print(f"| {k} | {mv:.3f} | {v:.3f} | {e:.3f} | {cnt:,} |")


def sweep(args) -> None:
    base = args.articles
    rows = []
    for mult in (1, 2, 4):
        r = measure(args, base * mult, args.entities, quick=True)
        rows.append(("N", base * mult, r))
    for ents in (4_000, 20_000, 80_000):   # ~10k, ~50k, ~200k names with aliases
        r = measure(args, base, ents, quick=True)
        rows.append(("names", r["meta"]["names"], r))
    print()
    print("| sweep | value | seconds | MB/s | s per 1k articles | peak RSS MB | recall | compile s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for what, value, r in rows:
        f = r["flagger"][0]
        mb = r["meta"]["text_bytes"] / 1e6
        print(f"| {what} | {value:,} | {f['seconds']:.2f} | {mb / f['seconds']:.2f} | "
              f"{f['seconds'] / r['meta']['articles'] * 1000:.2f} | {f['rss_mb']:.0f} | {r['recall']['all'][0]:.3f} | "
              f"{r['compile_s']:.1f} |")


def _official_list_sets(root: Path) -> list[tuple[str, list[Path]]] | None:
    """The official lists in `root` (shared/data/lists): the 2021 OFAC SDN set alone, and every
    list there that has a known format combined. None when they are not there."""
    sdn = root / "ofac-sdn" / "2021-07-07"
    others = [root / "ofac-consolidated-non-sdn" / "2025-12-19", root / "uk-ofsi-conlist" / "ConList_2018-04-13.csv",
              root / "un-sc-consolidated" / "consolidated_2026-02-27.xml",
              *sorted((root / "eu-official-journal").glob("*.csv")),
              root / "us-csl-trade-gov" / "consolidated_2022-05.csv"]
    if not (sdn / "sdn.csv").exists():
        return None
    return [("OFAC SDN 2021", [sdn]), ("all official lists", [sdn, *[o for o in others if o.exists()]])]


def official_lists(args) -> None:
    """Names scaling on real lists: the same articles against the SDN alone and against every
    official list combined, runs alternating, each run a fresh forked scan of the whole corpus."""
    from flagger.api import Scanner

    sets = _official_list_sets(Path(args.official_lists))
    if sets is None:
        print(f"no official lists under {args.official_lists}: skipped")
        return
    corpus = ensure_corpus(Path(args.corpus_dir), args.articles, args.terms, args.entities, args.seed)
    os.environ.setdefault("FLAGGER_CACHE_DIR", tempfile.mkdtemp(prefix="flagger-bench-cache-"))
    scanners, names = [], []
    for _label, paths in sets:
        sc = Scanner(rules=[str(corpus / "rules" / "bench.yaml")], entities=[str(p) for p in paths],
                     default_entities=False)
        f = sc.entity_frame
        scanners.append(sc)
        names.append((f.height, f.height + sum(len(a or []) for a in f["aliases"].to_list())
                      + sum(len(a or []) for a in f["original_names"].to_list())))
    seconds: list[list[float]] = [[] for _ in sets]
    for i in range(args.runs):
        for k, sc in enumerate(scanners):
            _STATE["scanner"] = sc
            seconds[k].append(_in_child(run_flagger, corpus, 1, False)["seconds"])
            print(f"  {sets[k][0]} run {i + 1}: {seconds[k][-1]:.2f} s", flush=True)
    base = _median(seconds[0])
    print()
    print(f"| {corpus.name} against | entries | names | seconds (median of {args.runs}; runs) | x the SDN alone |")
    print("|---|---:|---:|---:|---:|")
    for (label, _p), (entries, n), runs in zip(sets, names, seconds, strict=True):
        print(f"| {label} | {entries:,} | {n:,} | {_median(runs):.2f} ({', '.join(f'{r:.2f}' for r in runs)}) | "
              f"{_median(runs) / base:.2f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description="flagger throughput benchmark")
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--terms", type=int, default=2000)
    ap.add_argument("--entities", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--naive-sample", type=int, default=3, help="articles for the naive loop (0 = skip)")
    ap.add_argument("--corpus-dir", default=os.path.join(tempfile.gettempdir(), "flagger-bench-corpus"))
    ap.add_argument("--sweep", action="store_true", help="scaling sweep instead of the main table")
    ap.add_argument("--json", type=Path, help="also write the raw measurements here")
    ap.add_argument("--official-lists", metavar="DIR",
                    help="names scaling on real lists instead: shared/data/lists (skipped when absent)")
    args = ap.parse_args()
    if args.sweep:
        sweep(args)
        return
    if args.official_lists:
        official_lists(args)
        return
    res = measure(args, args.articles, args.entities)
    report(res, args.jobs)
    if args.json:
        for k in ("flagger", "exact"):
            for r in res.get(k, []):
                r.pop("hit_rows", None)
        args.json.write_text(json.dumps(res, indent=1, default=str))


if __name__ == "__main__":
    main()
