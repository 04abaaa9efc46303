"""Name-matching benchmark: flagger's matcher against OpenSanctions' (nomenklatura logic-v2).

Run on purpose (not part of the unit suite); the peer is installed for the benchmark only:

    /tmp/venv/bin/pip install nomenklatura rigour
    /tmp/venv/bin/python benchmarks/names.py [--lists /work/shared/data/lists] [--screen 100000]

(a) Labelled pairs: OpenSanctions' name-matching cases (name-matching-eval/). The cases are split
    in two halves by a hash of the pair: "tune" (the half looked at while developing) and
    "holdout" (never looked at case by case). Precision/recall/F1 of flagger at its default
    threshold and of logic-v2 at 0.7 (its predicted_match cut-off), run in this process, plus
    the frozen logic-v2 scores shipped with the cases.
(b) Retrieval: every alias of every entity of the OFAC SDN (2021-07-07 set) and of the UN
    consolidated list is queried; it must find its own entity. Negatives are names no entity
    carries, made by recombining name parts of two different entities of the same type
    (seeded). Flagger uses its NameIndex; the peer scores the same candidate pool (flagger's
    10 best-scoring blocking candidates, plus the 10 nearest names by rapidfuzz WRatio)
    with logic-v2, on a seeded sample because it runs at a few thousand pairs per second.
(c) Screening time: N names (aliases, perturbed aliases and negatives) against the full SDN
    (2024-05-03 sdn.csv + 2025-01-06 alt.csv, ~15k entries, ~36k names).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import resource
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flagger.names.analysis import analyse  # noqa: E402
from flagger.names.compare import DEFAULT_THRESHOLD, compare_names, score_core, split_acronym  # noqa: E402
from flagger.names.index import NameIndex  # noqa: E402

PEER_THRESHOLD = 0.7


# -- peer ---------------------------------------------------------------------------------
def peer_scorer():
    """logic-v2 on minimal single-name FollowTheMoney entities, or None when not installed."""
    try:
        from followthemoney import ValueEntity, model
        from nomenklatura.matching.logic_v2.model import LogicV2
    except ImportError:
        return None
    config = LogicV2.default_config()
    counter = iter(range(10**9))

    def entity(schema, name):
        ent = ValueEntity(schema, {"id": f"e{next(counter)}"})
        ent.add("name", name)
        return ent

    def score(a: str, b: str, schema: str) -> float:
        schema_obj = model.get(schema) or model.get("LegalEntity")
        return float(LogicV2.compare(entity(schema_obj, a), entity(schema_obj, b), config).score)

    return score


FTM_SCHEMA = {"person": "Person", "organisation": "Organization", "vessel": "Vessel", "aircraft": "Airplane"}


# -- metrics ------------------------------------------------------------------------------
def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def row(label: str, tp: int, fp: int, fn: int, tn: int, extra: str = "") -> str:
    p, r, f = prf(tp, fp, fn)
    return f"| {label} | {tp + fp + fn + tn} | {p:.3f} | {r:.3f} | {f:.3f} | {tp}/{fp}/{fn}/{tn} | {extra} |"


def split_of(group: str, schema: str, n1: str, n2: str) -> str:
    digest = hashlib.sha256(f"{group}|{schema}|{n1}|{n2}".encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "holdout"


# -- (a) labelled pairs ---------------------------------------------------------------------
def bench_pairs(lists: Path, peer) -> None:
    cases_file = lists / "name-matching-eval" / "nomenklatura_name_bench_cases.csv"
    frozen_file = lists / "name-matching-eval" / "nomenklatura_name_bench_logicv2_scores.csv"
    if not cases_file.exists():
        print(f"skip (a): {cases_file} absent")
        return
    with cases_file.open(encoding="utf-8") as fh:
        cases = list(csv.DictReader(fh))
    frozen = {}
    if frozen_file.exists():
        with frozen_file.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                frozen[(r["case_group"], r["schema"], r["name1"], r["name2"])] = r["predicted_match"] == "true"
    results: dict[str, dict[str, list[int]]] = {}
    timings = {}
    if peer is not None:
        peer("warm up", "warm up", "Person")  # logic-v2 loads its data on the first call (~7 s)
    # flagger reads its reference tables on first use too (Hanja readings, given-name forms ...)
    for warm in (("金正恩", "Kim Jong Un", "Person"), ("Acme Forty Co", "Acme 40 Ltd", "Company")):
        compare_names(*warm)
    for matcher in ("flagger", "logic-v2 (live)", "logic-v2 (frozen)"):
        if matcher == "logic-v2 (live)" and peer is None:
            continue
        counts = {s: [0, 0, 0, 0] for s in ("tune", "holdout", "all")}
        started = time.perf_counter()
        n = 0
        for c in cases:
            key = (c["case_group"], c["schema"], c["name1"], c["name2"])
            truth = c["is_match"].strip().lower() == "true"
            if matcher == "flagger":
                pred = compare_names(c["name1"], c["name2"], c["schema"]).match
            elif matcher == "logic-v2 (live)":
                pred = peer(c["name1"], c["name2"], c["schema"]) >= PEER_THRESHOLD
            else:
                if key not in frozen:
                    continue
                pred = frozen[key]
            n += 1
            idx = 0 if truth and pred else 1 if pred else 2 if truth else 3
            for s in (split_of(*key), "all"):
                counts[s][idx] += 1
        timings[matcher] = (time.perf_counter() - started) / max(n, 1) * 1000
        results[matcher] = counts
    started = time.perf_counter()
    for c in cases:
        compare_names(c["name1"], c["name2"], c["schema"])
    timings["flagger (warm: names analysed before)"] = (time.perf_counter() - started) / len(cases) * 1000
    print("\n## (a) OpenSanctions name-matching cases (tp/fp/fn/tn)\n")
    print("| matcher / split | pairs | precision | recall | F1 | tp/fp/fn/tn | ms per 1,000 pairs |")
    print("|---|---:|---:|---:|---:|---|---:|")
    for matcher, counts in results.items():
        for s in ("tune", "holdout", "all"):
            extra = f"{timings[matcher] * 1000:.0f}" if s == "all" and "frozen" not in matcher else ""
            print(row(f"{matcher} / {s}", *counts[s], extra))
    print(f"\nflagger with names already analysed (cached): "
          f"{timings['flagger (warm: names analysed before)'] * 1000:.0f} ms per 1,000 pairs")
    print(f"\nthresholds: flagger {DEFAULT_THRESHOLD} (pair decision), logic-v2 {PEER_THRESHOLD}; "
          f"frozen covers {len(frozen)} of {len(cases)} cases")


# -- (a') cross-script positives ------------------------------------------------------------
def bench_cross_script(lists: Path, peer) -> None:
    path = lists / "name-matching-eval" / "watchman_cross_script_pairs.csv"
    if not path.exists():
        return
    rows = [r for r in csv.reader(line for line in path.open(encoding="utf-8") if line.strip() and not line.startswith("#"))
            if r and r[0] != "Query"]
    ours = sum(compare_names(r[0], r[1]).match for r in rows)
    line = f"\n## (a') cross-script pairs (watchman, all positives): flagger {ours}/{len(rows)} matched"
    if peer is not None:
        theirs = sum(peer(r[0], r[1], "Person") >= PEER_THRESHOLD for r in rows)
        line += f", logic-v2 {theirs}/{len(rows)}"
    print(line)
    print("flagger misses: " + ", ".join(f"{r[0]}={r[1]}" for r in rows if not compare_names(r[0], r[1]).match))


# -- (b) retrieval -------------------------------------------------------------------------
def negatives_for(entities: pl.DataFrame, n: int, seed: int) -> list[tuple[str, str]]:
    """Names of listed shapes that no entity carries: first part of one entity's name joined
    with the last part of another's, same type; rejected when its token keys, legal forms and
    particles aside, equal those of any listed name (with or without its parenthesised acronym)."""
    rng = random.Random(seed)
    rows = entities.select("type", "name", "aliases").to_dicts()
    listed = set()
    by_type: dict[str, list[list[str]]] = {}

    def core(name: str, kind: str) -> frozenset[str]:
        # legal forms are folded by design: "SINA LTD" is the listed "SINA", not a negative
        a = analyse(name, kind)
        return frozenset(k for k, r in zip(a.keys, a.roles, strict=True) if r not in ("form", "particle"))

    for r in rows:
        names = [r["name"]] + [a["name"] for a in r["aliases"] or []]
        for name in names:
            listed.add(core(name, r["type"]))
            parts = split_acronym(name)
            if parts:   # "BUTEMBO AIRLINES (BAL)" is also listed as "BUTEMBO AIRLINES" (and "BAL")
                listed.add(core(parts[0], r["type"]))
        tokens = r["name"].replace(",", " ").split()
        if len(tokens) >= 2:
            by_type.setdefault(r["type"], []).append(tokens)
    out: list[tuple[str, str]] = []
    kinds = [k for k in by_type if len(by_type[k]) > 10]
    attempts = 0
    while len(out) < n and attempts < n * 20:
        attempts += 1
        kind = rng.choice(kinds)
        a, b = rng.sample(by_type[kind], 2)
        cut_a = rng.randint(1, len(a) - 1)
        cut_b = rng.randint(1, len(b) - 1)
        name = " ".join(a[:cut_a] + b[cut_b:])
        if core(name, kind) in listed:
            continue
        out.append((name, kind))
    return out


def eligible_alias(name: str, kind: str, weak: bool) -> bool:
    """May this alias match on its own under flagger's policy? Not a weak alias of one word,
    and either two informative tokens or one rare token of five or more letters."""
    a = analyse(name, kind)
    rare = [t for t, r in zip(a.tokens, a.roles, strict=True) if r in ("name", "short")]
    if a.informative >= 2:
        return True
    return not weak and len(rare) == 1 and len(rare[0]) >= 5


def bench_retrieval(label: str, entities: pl.DataFrame, peer, peer_sample: int, seed: int = 7) -> None:
    started = time.perf_counter()
    index = NameIndex(entities)
    build = time.perf_counter() - started
    queries: list[tuple[str, str, str]] = []  # (name, type, expected id)
    weak: list[bool] = []
    for r in entities.select("id", "type", "aliases").to_dicts():
        for a in r["aliases"] or []:
            queries.append((a["name"], r["type"], r["id"]))
            weak.append(a.get("strength") == "weak")
    negatives = negatives_for(entities, len(queries), seed)
    frame = pl.DataFrame({"name": [q[0] for q in queries] + [n[0] for n in negatives],
                          "type": [q[1] for q in queries] + [n[1] for n in negatives]})
    started = time.perf_counter()
    positives_found = fp = 0
    misses = []
    all_matches = []
    for name, kind in zip(frame["name"].to_list(), frame["type"].to_list(), strict=True):
        all_matches.append(index.search(name, limit=20, kind=kind))
    elapsed = time.perf_counter() - started
    for (name, _kind, expected), matches in zip(queries, all_matches[:len(queries)], strict=True):
        if any(m.match and m.entity_id == expected for m in matches):
            positives_found += 1
        else:
            misses.append(name)
    fp_names = []
    for (name, _), matches in zip(negatives, all_matches[len(queries):], strict=True):
        if any(m.match for m in matches):
            fp += 1
            fp_names.append((name, matches[0].matched_name, matches[0].score))
    recall = positives_found / len(queries) if queries else 0
    eligible = [eligible_alias(q[0], q[1], w) for q, w in zip(queries, weak, strict=True)]
    found_eligible = sum(1 for q, e, ms in zip(queries, eligible, all_matches, strict=False)
                         if e and any(m.match and m.entity_id == q[2] for m in ms))
    fp_rate = fp / len(negatives) if negatives else 0
    print(f"\n## (b) alias -> entity retrieval: {label}\n")
    print(f"{entities.height} entities, {len(index.names)} names; {len(queries)} alias queries, "
          f"{len(negatives)} negatives; index build {build:.1f} s; {len(frame)} searches in {elapsed:.1f} s")
    print(f"flagger list-screening threshold {index.threshold}; logic-v2 {PEER_THRESHOLD}")
    print("\n| matcher | queries | recall (alias finds own entity) | false-positive rate (negatives) | precision | F1 |")
    print("|---|---:|---:|---:|---:|---:|")
    tp, fn = positives_found, len(queries) - positives_found
    p, r, f = prf(tp, fp, fn)
    print(f"| flagger (all) | {len(frame)} | {recall:.4f} | {fp_rate:.4f} | {p:.4f} | {f:.4f} |")
    n_eligible = sum(eligible)
    print(f"| flagger (aliases policy lets match alone: {n_eligible} of {len(queries)}) | {n_eligible} | "
          f"{found_eligible / max(n_eligible, 1):.4f} | | | |")
    rng = random.Random(seed + 1)
    sample_q = rng.sample(range(len(queries)), min(peer_sample, len(queries)))
    sample_n = rng.sample(range(len(negatives)), min(peer_sample, len(negatives)))
    if not sample_q or not sample_n:   # --peer-sample 0: no sampled rows to print
        sample_q = sample_n = []
    f_tp = sum(1 for i in sample_q if any(m.match and m.entity_id == queries[i][2] for m in all_matches[i]))
    f_fp = sum(1 for i in sample_n if any(m.match for m in all_matches[len(queries) + i]))
    p, r, f = prf(f_tp, f_fp, len(sample_q) - f_tp)
    if sample_q:
        print(f"| flagger (sample) | {len(sample_q) + len(sample_n)} | {f_tp / len(sample_q):.4f} | "
              f"{f_fp / len(sample_n):.4f} | {p:.4f} | {f:.4f} |")
    if peer is not None and sample_q:
        from rapidfuzz import fuzz, process

        choices = [n[1] for n in index.names]
        pairs = 0
        t0 = time.perf_counter()

        def peer_hits(name: str, kind: str) -> set[str]:
            nonlocal pairs
            # candidate pool: flagger's 10 best-scoring listed names (any score) plus the
            # 10 nearest listed names by rapidfuzz WRatio
            q = analyse(name, kind)
            index._compute_neighbours([k for k in q.keys])
            scored = sorted(((score_core(q, index.names[nid][3])[0], nid) for nid in index._candidates(q)), reverse=True)
            cands = {nid for _, nid in scored[:10]}
            cands.update(i for _, _, i in process.extract(name, choices, scorer=fuzz.WRatio, limit=10))
            hits = set()
            for nid in cands:
                e, listed, _strength, _ = index.names[nid]
                pairs += 1
                if peer(name, listed, FTM_SCHEMA.get(kind, "LegalEntity")) >= PEER_THRESHOLD:
                    hits.add(index.rows[e]["id"])
            return hits

        p_tp = sum(1 for i in sample_q if queries[i][2] in peer_hits(queries[i][0], queries[i][1]))
        p_fp = sum(1 for i in sample_n if peer_hits(*negatives[i]))
        dt = time.perf_counter() - t0
        p, r, f = prf(p_tp, p_fp, len(sample_q) - p_tp)
        print(f"| logic-v2 (sample, same candidates) | {len(sample_q) + len(sample_n)} | {p_tp / len(sample_q):.4f} | "
              f"{p_fp / len(sample_n):.4f} | {p:.4f} | {f:.4f} |")
        print(f"\npeer: {pairs} pair comparisons in {dt:.1f} s ({dt / max(pairs, 1) * 1e6:.0f} ms per 1,000)")
    print(f"\nmissed aliases (first 15 of {len(misses)}): {misses[:15]}")
    print(f"false positives (first 15 of {len(fp_names)}): {fp_names[:15]}")


# -- (c) screening time --------------------------------------------------------------------
def perturb(name: str, rng: random.Random) -> str:
    chars = list(name)
    letters = [i for i, c in enumerate(chars) if c.isalpha()]
    if len(letters) < 6:
        return name
    i = rng.choice(letters[1:-1])
    op = rng.randrange(3)
    if op == 0:
        del chars[i]
    elif op == 1:
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    else:
        chars[i] = rng.choice("aeiouy")
    return "".join(chars)


def bench_screen(entities: pl.DataFrame, n: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    started = time.perf_counter()
    index = NameIndex(entities)
    build = time.perf_counter() - started
    names = [x[1] for x in index.names]
    negatives = [x[0] for x in negatives_for(entities, n // 2, seed)]
    queries = []
    while len(queries) < n:
        r = rng.random()
        if r < 0.25:
            queries.append(rng.choice(names))
        elif r < 0.5:
            queries.append(perturb(rng.choice(names), rng))
        else:
            queries.append(rng.choice(negatives))
    frame = pl.DataFrame({"name": queries})

    def cpu() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    load = os.getloadavg()[0]
    cpu0, started = cpu(), time.perf_counter()
    result = index.screen(frame)
    elapsed, cpu_s = time.perf_counter() - started, cpu() - cpu0
    print(f"\n## (c) screening {n} names against {entities.height} entities ({len(index.names)} names)\n")
    print(f"index build {build:.1f} s; screen {elapsed:.1f} s wall ({n / elapsed:,.0f} names/s) on "
          f"{os.cpu_count()} cores, {cpu_s:.1f} CPU-seconds in all processes (1-min load average "
          f"{load:.1f} before the run: other jobs share the cores when it is above the core count); "
          f"{int(result['matched'].sum())} records matched; distinct names {frame['name'].n_unique()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=Path("/work/shared/data/lists"))
    parser.add_argument("--screen", type=int, default=100_000, help="names to screen in (c); 0 to skip")
    parser.add_argument("--peer-sample", type=int, default=1000, help="queries (and negatives) for the peer in (b)")
    parser.add_argument("--only", choices=["a", "b", "c"], default=None)
    args = parser.parse_args()
    peer = peer_scorer()
    if peer is None:
        print("nomenklatura not installed: peer columns skipped (pip install nomenklatura rigour)")
    if args.only in (None, "a"):
        bench_pairs(args.lists, peer)
        bench_cross_script(args.lists, peer)
    if args.only in (None, "b"):
        from flagger.entities.ofac_csv import read_ofac_csv
        from flagger.entities.un_xml import read_un_xml

        sdn_dir = args.lists / "ofac-sdn" / "2021-07-07"
        if sdn_dir.exists():
            bench_retrieval("OFAC SDN 2021-07-07", read_ofac_csv(sorted(sdn_dir.glob("*.csv"))), peer, args.peer_sample)
        un_file = args.lists / "un-sc-consolidated" / "consolidated_2026-02-27.xml"
        if un_file.exists():
            bench_retrieval("UN SC consolidated 2026-02-27", read_un_xml(un_file), peer, args.peer_sample)
    if args.only in (None, "c") and args.screen:
        from flagger.entities.ofac_csv import read_ofac_csv

        files = [args.lists / "ofac-sdn" / "2024-05-03" / "sdn.csv", args.lists / "ofac-sdn" / "2025-01-06" / "alt.csv"]
        if all(f.exists() for f in files):
            bench_screen(read_ofac_csv(files, partial=True), args.screen)


if __name__ == "__main__":
    main()
