r"""Throughput of `flagger scan` against an independent exact peer and the naive rapidfuzz loop.

    python benchmarks/throughput.py --articles 3000 --runs 3        # the headline table
    python benchmarks/throughput.py --corpus /tmp/corpus3k --runs 3 # an existing corpus directory
    python benchmarks/throughput.py --articles 2000 --jobs 2        # also `flagger scan --jobs 2` (chain)
    python benchmarks/throughput.py --internal                      # in-process figures (below)
    python benchmarks/throughput.py --sweep                         # N x {1,2,4}, names x {10k,50k,200k}
    python benchmarks/throughput.py --sweep --sweep-part names --articles 2000   # names only (ABBA pairs)
    python benchmarks/throughput.py --instructions --articles 2000  # instruction counts (callgrind), names
    python benchmarks/throughput.py --articles 5000 --official-lists ../shared/data/lists
                                                         # names scaling on real official lists

Headline: whole processes, one after the other in alternating rounds (flagger, peer, flagger,
peer, ...), on the same seeded corpus (benchmarks/corpus.py), flagger's compile cache warm (one
untimed warm-up process of each first). Every figure is a ratio of times from the same round;
medians and min-max over the rounds are reported.

* flagger: `flagger scan articles.jsonl --rules bench.yaml --entities entities.csv
  --no-default-entities -f csv -o report.csv --hits hits.csv` as a user runs it.
* the exact peer (`--peer`, this file, no flagger import): the simplest fast scanner a user would
  write. NFKC + casefold + strip diacritics over the whole text, `re.findall(r"\w+")`, tokens
  joined by single spaces, one pyahocorasick automaton of every term and name (rules YAML and
  entities CSV read with yaml/csv, folded the same way), whole-word check on the joined string.
  It writes its hits with offsets into the joined string.
* the naive loop: rapidfuzz `partial_ratio` of every (folded) pattern against every folded article,
  in-process on a few articles, extrapolated to the corpus.

`--jobs N`: after those rounds, a chain of whole processes, each started when the one before it
ended: one process, `--jobs N`, and N one-process scans of the input cut by lines into N parts
started together (what a user would do instead; the cut is made before, untimed; wall = the
last to end). The chain's order (`chain_order`) puts every two of the three next to each other
`--pairs` times in each of both orders alternately, and each ratio (--jobs / one process, parts /
one process: the machine's own ceiling for this work at that moment, --jobs / parts) is taken
from two adjacent runs, seconds apart, never across the chain: this machine's speed drifts by a
third within minutes, for every process at once, and a ratio of runs minutes apart or always in
the same order carries that drift.

Recall of the planted mentions (truth.jsonl): a mention is found when a hit of the same entity id
(or the same term) overlaps its character span. flagger's hits file has article offsets; the
peer's joined-string offsets are mapped back to article offsets afterwards (untimed): the article
is folded again piece by piece keeping each folded character's origin, its `\w+` tokens are
checked equal to the peer's, and a hit on tokens i..j spans token i's start to token j's end.

`--internal` keeps the older in-process figures (flagger forked from a parent that compiled the
index: no start-up; `--jobs`, two independent halves, cached start-up, matched recall).
Needs benchmarks/requirements.txt (pyahocorasick, py-spy) installed next to flagger.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import csv
import json
import multiprocessing as mp
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
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
    while not parent.poll(1):
        if not p.is_alive():
            raise SystemExit(f"{getattr(fn, '__name__', fn)} failed in its child process (exit {p.exitcode})")
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


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have ended (the --jobs workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_flagger(corpus: Path, jobs: int, collect: bool, part: tuple[int, int] | None = None) -> dict:
    scanner = _STATE["scanner"]
    from flagger.report.rows import CsvArticles

    t0, c0 = time.perf_counter(), _cpu_seconds()
    if jobs > 1:
        from flagger.scale.parallel import scan_parallel

        results = scan_parallel(scanner, _records(corpus / "articles.jsonl"), jobs=jobs)
    else:
        results = scanner.scan_iter(_records(corpus / "articles.jsonl", part))
    n = nbytes = nhits = 0
    hits = []
    sink = open(os.devnull, "w")  # noqa: SIM115 - the report rows are formatted and written, as the CLI does
    rows = CsvArticles(sink)
    for r in results:
        n += 1
        nbytes += len(r.record.text.encode("utf-8"))
        rows.add(r)
        nhits += len(r.hits)
        if collect:
            hits.extend((h.article_id, h.start, h.end, h.kind, h.term, h.entity_id) for h in r.hits)
    sink.close()
    return {"seconds": time.perf_counter() - t0, "cpu": _cpu_seconds() - c0, "articles": n, "bytes": nbytes,
            "hits": nhits, "hit_rows": hits}


# -- the independent exact peer (no flagger code) ------------------------------------------------------
_DIACRITICS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_WORD = re.compile(r"\w+")


def peer_fold(text: str) -> str:
    """NFKC, casefold, then strip diacritics (NFKD + drop the combining-mark blocks)."""
    return _DIACRITICS.sub("", unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold()))


def peer_patterns(corpus: Path) -> dict[str, list[tuple[str, str]]]:
    """folded key -> [(kind, term text | entity id)] for every term of the rules YAML and every name
    and alias (weak `~` ones too) of the entities CSV, read with yaml and csv directly."""
    import yaml

    keys: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def add(text: str, kind: str, ref: str) -> None:
        key = " ".join(_WORD.findall(peer_fold(text)))
        if key and (kind, ref) not in keys[key]:
            keys[key].append((kind, ref))

    for path in sorted((corpus / "rules").glob("*.yaml")):
        pack = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule in pack["rules"]:
            for group in rule["groups"].values():
                for term in group["terms"]:
                    if not isinstance(term, str):
                        raise SystemExit(f"{path}: rule {rule['id']}: term {term!r} is not a string")
                    add(term, "term", term)
    with (corpus / "entities.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            names = [row["name"], *(a.strip().lstrip("~") for a in (row.get("aliases") or "").split("|"))]
            for name in names:
                if name.strip():
                    add(name, "entity", row["id"])
    return keys


def peer_main(corpus: Path, hits_path: Path) -> None:
    """The exact peer as a whole process: build, scan articles.jsonl, write hits (TSV: article id,
    start and end in the joined token string, kind, term | entity id). Phase times on stderr."""
    import ahocorasick

    t0 = time.perf_counter()
    automaton = ahocorasick.Automaton()
    for key, refs in peer_patterns(corpus).items():
        automaton.add_word(key, (len(key), refs))
    automaton.make_automaton()
    t1 = time.perf_counter()
    n = nbytes = nhits = 0
    with (corpus / "articles.jsonl").open(encoding="utf-8") as f, hits_path.open("w", encoding="utf-8") as out:
        for line in f:
            rec = json.loads(line)
            text = rec["text"]
            n += 1
            nbytes += len(text.encode("utf-8"))
            joined = " ".join(_WORD.findall(peer_fold(text)))
            last = len(joined) - 1
            for end, (length, refs) in automaton.iter(joined):
                start = end - length + 1
                if (start == 0 or joined[start - 1] == " ") and (end == last or joined[end + 1] == " "):
                    nhits += 1
                    for kind, ref in refs:
                        out.write(f"{rec['id']}\t{start}\t{end + 1}\t{kind}\t{ref}\n")
    t2 = time.perf_counter()
    if "flagger" in sys.modules:
        raise SystemExit("the peer imported flagger: it must be independent of flagger's code")
    print(json.dumps({"build_s": t1 - t0, "scan_s": t2 - t1, "articles": n, "bytes": nbytes, "hits": nhits}),
          file=sys.stderr)


def _folded_tokens_with_offsets(text: str) -> list[tuple[str, int, int]]:
    r"""(token, start, end in `text`) of peer_fold(text)'s \w+ tokens: ASCII runs fold 1:1 (lower),
    every other character is folded alone and its output points back at it."""
    pieces: list[str] = []
    origin: list[int] = []
    for m in re.finditer(r"[\x00-\x7f]+|[^\x00-\x7f]", text):
        chunk = m.group()
        if chunk.isascii():
            pieces.append(chunk.lower())
            origin.extend(range(m.start(), m.end()))
        else:
            folded = peer_fold(chunk)
            pieces.append(folded)
            origin.extend([m.start()] * len(folded))
    folded = "".join(pieces)
    return [(m.group(), origin[m.start()], origin[m.end() - 1] + 1) for m in _WORD.finditer(folded)]


def peer_hit_rows(corpus: Path, hits_path: Path) -> tuple[list, int]:
    """The peer's hits as (article, start, end, kind, term, entity id) in article offsets, and the
    number of articles whose tokens could not be mapped back (their hits are dropped, not guessed)."""
    import bisect

    by_article: dict[str, list] = defaultdict(list)
    with hits_path.open(encoding="utf-8") as f:
        for line in f:
            aid, s, e, kind, ref = line.rstrip("\n").split("\t")
            by_article[aid].append((int(s), int(e), kind, ref))
    rows, unmapped = [], 0
    for rec in _records(corpus / "articles.jsonl"):
        hits = by_article.get(rec["id"])
        if not hits:
            continue
        toks = _folded_tokens_with_offsets(rec["text"])
        if [t for t, _s, _e in toks] != _WORD.findall(peer_fold(rec["text"])):
            unmapped += 1
            continue
        starts, pos = [], 0
        for tok, _s, _e in toks:
            starts.append(pos)
            pos += len(tok) + 1
        for s, e, kind, ref in hits:
            i = bisect.bisect_left(starts, s)
            j = bisect.bisect_left(starts, e + 1) - 1
            rows.append((rec["id"], toks[i][1], toks[j][2], kind,
                         ref if kind == "term" else "", ref if kind == "entity" else ""))
    return rows, unmapped


def run_naive(corpus: Path, sample: int) -> dict:
    """partial_ratio(pattern, article) >= 90 for every pattern of the peer (folded), on `sample`
    folded articles."""
    from rapidfuzz import fuzz

    patterns = list(peer_patterns(corpus))
    texts = []
    for rec in _records(corpus / "articles.jsonl"):
        texts.append(rec["text"])
        if len(texts) >= sample:
            break
    t0 = time.perf_counter()
    found = 0
    for text in texts:
        low = peer_fold(text)
        for p in patterns:
            if fuzz.partial_ratio(p, low, score_cutoff=90):
                found += 1
    dt = time.perf_counter() - t0
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    return {"seconds": dt, "articles": len(texts), "bytes": nbytes, "patterns": len(patterns), "hits": found}


def matched_rows(corpus: Path) -> list:
    """(article, start, end, kind, term, entity id) for every term and entity the matcher finds,
    whether or not the term's rule fires (its co-occurrence condition is the rule's business, not
    the matcher's): what the matcher finds, before the rules decide.
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


# -- headline: whole processes, alternating rounds -----------------------------------------------------
def _run_process(cmd: list[str], env: dict, cwd: Path) -> dict:
    """Wall seconds, CPU seconds and peak RSS of one whole process (its own rusage via wait4)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errf:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errf)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        errf.seek(0)
        err = errf.read()
    if proc.returncode != 0:   # no gate is set: 1 would be a Python traceback, not findings
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err[-2000:]}")
    return {"seconds": seconds, "stderr": err, "usage": usage}


def _run_together(cmds: list[list[str]], env: dict, cwd: Path) -> dict:
    """Several whole processes started at once: wall seconds until the last one ends, each one's
    wall seconds, their CPU seconds added up and the largest peak RSS (rusage via wait4)."""
    with contextlib.ExitStack() as stack:
        errs = [stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8")) for _ in cmds]
        t0 = time.perf_counter()
        procs = [subprocess.Popen(c, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=e)
                 for c, e in zip(cmds, errs, strict=True)]
        each: list[float] = [0.0] * len(cmds)
        cpu, rss, failed = 0.0, 0.0, []
        waiting = set(range(len(cmds)))
        while waiting:          # polled every 5 ms, so each one's end is known, whichever ends first
            for i in sorted(waiting):
                pid, status, usage = os.wait4(procs[i].pid, os.WNOHANG)
                if pid == 0:
                    continue
                each[i] = time.perf_counter() - t0
                waiting.discard(i)
                procs[i].returncode = os.waitstatus_to_exitcode(status)
                cpu += usage.ru_utime + usage.ru_stime
                rss = max(rss, usage.ru_maxrss / 1024)
                if procs[i].returncode != 0:
                    errs[i].seek(0)
                    failed.append(f"{' '.join(cmds[i])} exited {procs[i].returncode}:\n{errs[i].read()[-2000:]}")
            if waiting:
                time.sleep(0.005)
    if failed:
        raise SystemExit("\n".join(failed))
    return {"seconds": max(each), "each_s": each, "cpu_s": cpu, "rss_mb": rss}


def _corpus_for(args) -> Path:
    if args.corpus:
        return Path(args.corpus)
    return ensure_corpus(Path(args.corpus_dir), args.articles, args.terms, args.entities, args.seed)


def _spread(xs: list[float], fmt: str = ".2f") -> str:
    if not xs:
        return "–"
    return f"{_median(xs):{fmt}} ({min(xs):{fmt}}–{max(xs):{fmt}})"


# -- ratios from adjacent runs, in alternating order ---------------------------------------------------
def chain_order(kinds: list[str], pairs: int) -> list[str]:
    """The order of a chain of whole-process runs in which every two of `kinds` (two or three)
    are timed back to back `pairs` times, in alternating order. Blocks of the kinds go forwards,
    then with all but the first reversed, and the first kind closes the chain: for (one, jobs,
    parts) one jobs parts | one parts jobs | one ..., whose adjacent pairs are one→jobs,
    jobs→parts, parts→one, one→parts, parts→jobs, jobs→one, and again. Every adjacent pair is a
    pair of two different kinds, each pair of kinds comes once in every three adjacent pairs, and
    in each order once in every six (with two kinds: one jobs one jobs ..., each order every
    other pair), so an even `pairs` gives both orders equally."""
    if not 2 <= len(kinds) <= 3 or len(set(kinds)) != len(kinds):
        raise ValueError(f"chain_order takes two or three different kinds, not {kinds!r}")
    if pairs < 1:
        raise ValueError(f"chain_order: pairs must be at least 1, not {pairs}")
    length = (pairs if len(kinds) == 2 else 3 * pairs) + 1
    order: list[str] = []
    while len(order) < length:
        forwards = len(order) // len(kinds) % 2 == 0
        order.extend(kinds if forwards else [kinds[0], *reversed(kinds[1:])])
    return order[:length]


def adjacent_ratios(chain: list[tuple[str, float]], kind: str, base: str) -> list[tuple[float, bool]]:
    """For every two adjacent runs of `chain` ((kind, value) in the order they ran) that are one
    `kind` and one `base` run: (base's value / kind's value, whether the base ran first). With
    seconds, the ratio is how many times faster `kind` ran than `base` within seconds of it."""
    out = []
    for (k1, v1), (k2, v2) in zip(chain, chain[1:], strict=False):
        if (k1, k2) == (base, kind):
            out.append((v1 / v2, True))
        elif (k1, k2) == (kind, base):
            out.append((v2 / v1, False))
    return out


def split_lines(src: Path, parts: int, out_dir: Path) -> list[Path]:
    """What a user does instead of --jobs N: `src` cut by lines into `parts` consecutive files
    (out_dir/part-<k>.jsonl) whose line counts differ by one at most, every line kept as it is,
    for N one-process scans started together. An input with fewer lines than parts cannot be cut
    so, and stops the run naming the file."""
    lines = src.read_bytes().splitlines(keepends=True)
    if len(lines) < parts:
        raise SystemExit(f"{src}: {len(lines)} lines cannot be cut into {parts} parts")
    paths = []
    for k in range(parts):
        chunk = lines[k * len(lines) // parts:(k + 1) * len(lines) // parts]
        if chunk and not chunk[-1].endswith(b"\n"):
            chunk[-1] += b"\n"
        paths.append(out_dir / f"part-{k + 1}.jsonl")
        paths[-1].write_bytes(b"".join(chunk))
    return paths


def _flagger_command(args, work: Path, env: dict) -> list[str]:
    """How to start flagger. By default a snapshot of the committed package at --flagger-rev (HEAD)
    (with the data and rules its bundled links point at) exported into `work`, put first on
    PYTHONPATH, every process started in `work`: other engineers edit the working tree while
    this runs, and an edited module changes the compile cache's key (a round would then recompile).
    `--flagger-rev worktree`: the installed (editable) flagger as it is."""
    if args.flagger_rev == "worktree":
        args.flagger_commit = "working tree"
        return [str(Path(sys.executable).parent / "flagger")]
    repo = Path(__file__).resolve().parent.parent
    commit = subprocess.run(["git", "-C", str(repo), "rev-parse", args.flagger_rev], capture_output=True,
                            text=True, check=True).stdout.strip()
    src = work / "src"
    src.mkdir()
    # setup.py (the compiled kernels, flagger/kernels/_*.pyx) when the commit has one
    has_setup = subprocess.run(["git", "-C", str(repo), "cat-file", "-e", f"{commit}:setup.py"],
                               stderr=subprocess.DEVNULL).returncode == 0
    archive = subprocess.run(["git", "-C", str(repo), "archive", commit, "flagger", "data", "rules",
                              *(["setup.py"] if has_setup else [])], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive.stdout, check=True)
    if has_setup:
        # built in place, as `pip install -e .` builds them (the README's test command)
        subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=src, check=True,
                       capture_output=True)
    # Byte-compiled once, as `pip install` leaves an installed package: with
    # PYTHONDONTWRITEBYTECODE set (as on the project's VM) every flagger process would otherwise
    # compile its modules from source again (+0.27 s CPU per run: a 5-article scan of the
    # benchmark corpus took 1.78 s CPU with .pyc files, 2.05 s without, medians of 4 alternating runs).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(src / "flagger")], check=True)
    env["PYTHONPATH"] = str(src)
    where = subprocess.run([sys.executable, "-c", "import flagger; print(flagger.__file__)"], env=env, cwd=work,
                           capture_output=True, text=True, check=True).stdout.strip()
    if not where.startswith(str(src)):
        raise SystemExit(f"the snapshot of {commit} is not the flagger imported ({where})")
    if has_setup:
        status = subprocess.run([sys.executable, "-c", "from flagger import kernels; print(kernels.status())"],
                                env=env, cwd=work, capture_output=True, text=True, check=True).stdout.strip()
        if "FLAGGER_PURE" not in env and set(ast.literal_eval(status).values()) != {"compiled"}:
            raise SystemExit(f"the snapshot of {commit} runs without its compiled kernels: {status}")
    args.flagger_commit = commit
    return [sys.executable, "-c", "import sys; from flagger.cli import entry; sys.argv[0] = 'flagger'; sys.exit(entry())"]


def headline(args) -> dict:
    corpus = _corpus_for(args)
    meta = json.loads((corpus / "meta.json").read_text())
    work = Path(_scratch(args, "flagger-bench-"))
    env = dict(os.environ, FLAGGER_CACHE_DIR=os.environ.get("FLAGGER_CACHE_DIR") or str(work / "cache"))
    flagger_cmd = [*_flagger_command(args, work, env), "scan", str(corpus / "articles.jsonl"), "--no-config",
                   "--rules", str(corpus / "rules" / "bench.yaml"), "--entities", str(corpus / "entities.csv"),
                   "--no-default-entities", "-f", "csv", "-o", str(work / "report.csv"),
                   "--hits", str(work / "flagger-hits.csv"), "-q", "--no-progress"]
    jobs_cmd = [*flagger_cmd[:-4], "--hits", str(work / "flagger-jobs-hits.csv"), "-q", "--no-progress",
                "--jobs", str(args.jobs)]
    peer_cmd = [sys.executable, str(Path(__file__).resolve()), "--peer", str(corpus),
                "--peer-hits", str(work / "peer-hits.tsv")]
    print(f"# corpus {corpus}: {meta['articles']:,} articles, {meta['text_bytes'] / 1e6:.1f} MB, "
          f"{meta['names']:,} names, {meta['terms']:,} terms, {meta['mentions']:,} planted mentions", flush=True)
    print(f"# machine: nproc {os.cpu_count()}, Python {platform.python_version()}, "
          f"load average at start {os.getloadavg()[0]:.2f}", flush=True)
    print(f"# flagger {args.flagger_commit}: " + " ".join(flagger_cmd), flush=True)
    print("# peer:    " + " ".join(peer_cmd), flush=True)
    cache = Path(env["FLAGGER_CACHE_DIR"])
    warmups = []
    while len(warmups) < 4:   # until a run compiles nothing new: the cache is warm
        before = len(list(cache.glob("index-*")))
        warmups.append(_run_process(flagger_cmd, env, work)["seconds"])
        if len(list(cache.glob("index-*"))) == before:
            break
    _run_process(peer_cmd, env, work)
    print(f"  warm-up (untimed): flagger runs of {', '.join(f'{w:.2f}' for w in warmups)} s, the last one "
          f"compiling nothing new", flush=True)
    res: dict = {"meta": meta, "corpus": str(corpus), "flagger": [], "peer": [],
                 "load_start": os.getloadavg()[0], "flagger_warmups_s": warmups,
                 "indexes_after_warmup": len(list(cache.glob("index-*")))}
    for i in range(args.runs):
        res["flagger"].append(_run_process(flagger_cmd, env, work))
        res["peer"].append(_run_process(peer_cmd, env, work))
        print(f"  round {i + 1}: flagger {res['flagger'][-1]['seconds']:.2f} s, peer {res['peer'][-1]['seconds']:.2f} s",
              flush=True)
    if args.jobs > 1:
        res["chain"] = jobs_chain(args, corpus, work, env, flagger_cmd, jobs_cmd)
        res["jobs_hits_identical"] = (work / "flagger-hits.csv").read_bytes() == \
            (work / "flagger-jobs-hits.csv").read_bytes()
    res["load_end"] = os.getloadavg()[0]
    res["flagger_commit"] = args.flagger_commit
    res["compiled_indexes"] = len(list(cache.glob("index-*")))
    res["peer_phases"] = [json.loads(r["stderr"].strip().splitlines()[-1]) for r in res["peer"]]
    fl_rows = []
    with (work / "flagger-hits.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            fl_rows.append((row["article_id"], int(row["start"]), int(row["end"]), row["kind"], row["term"],
                            row["entity_id"]))
    res["flagger_recall"] = recall(corpus, fl_rows)
    peer_rows, unmapped = peer_hit_rows(corpus, work / "peer-hits.tsv")
    res["peer_recall"] = recall(corpus, peer_rows)
    res["peer_unmapped_articles"] = unmapped
    res["hits"] = {"flagger": len(fl_rows), "peer": len(peer_rows)}
    if args.naive_sample:
        res["naive"] = _in_child(run_naive, corpus, args.naive_sample)
    return res


def jobs_chain(args, corpus: Path, work: Path, env: dict, flagger_cmd: list[str], jobs_cmd: list[str]) -> list[dict]:
    """`flagger scan --jobs N` against one process and against N one-process scans of the input cut
    by lines into N parts, started together (`split_lines`, untimed; each part writes its own
    report and hits file): a chain of whole processes in `chain_order`, --pairs adjacent pairs of
    every two of the three. Each run: kind, wall seconds, CPU seconds (all its processes), peak RSS."""
    parts_dir = work / "parts"
    parts_dir.mkdir()
    part_cmds = []
    for k, path in enumerate(split_lines(corpus / "articles.jsonl", args.jobs, parts_dir), 1):
        cmd = list(flagger_cmd)
        cmd[cmd.index("scan") + 1] = str(path)
        cmd[cmd.index("-o") + 1] = str(parts_dir / f"report-{k}.csv")
        cmd[cmd.index("--hits") + 1] = str(parts_dir / f"hits-{k}.csv")
        part_cmds.append(cmd)
    order = chain_order(["one", "jobs", "parts"], args.pairs)
    print(f"# --jobs {args.jobs}: a chain of {len(order)} whole processes, {args.pairs} adjacent pairs of every two "
          f"of: one process, --jobs {args.jobs}, {args.jobs} one-process scans of {args.jobs} parts at once", flush=True)
    runs = []
    for i, kind in enumerate(order, 1):
        if kind == "parts":
            out = _run_together(part_cmds, env, work)
        else:
            out = _run_process(jobs_cmd if kind == "jobs" else flagger_cmd, env, work)
            u = out.pop("usage")
            out.pop("stderr")
            out.update(cpu_s=u.ru_utime + u.ru_stime, rss_mb=u.ru_maxrss / 1024)
        out["kind"] = kind
        runs.append(out)
        extra = f" (each part {', '.join(f'{e:.2f}' for e in out['each_s'])} s)" if kind == "parts" else ""
        print(f"  chain run {i}: {kind} {out['seconds']:.2f} s, {out['cpu_s']:.2f} CPU s{extra}", flush=True)
    return runs


def _chain_lines(runs: list[dict], jobs: int) -> list[str]:
    """The --jobs chain's ratios, each median (min–max) of the adjacent pairs, both orders apart."""
    secs = [(r["kind"], r["seconds"]) for r in runs]
    cpus = [(r["kind"], r["cpu_s"]) for r in runs]
    lines = []
    for kind, base, label, target in (
            ("jobs", "one", f"flagger --jobs {jobs} / 1 process", "≥ 1.8"),
            ("parts", "one", f"{jobs} parts at once / 1 process: the machine's ceiling for this work", ""),
            ("jobs", "parts", f"flagger --jobs {jobs} / {jobs} parts at once", "")):
        pairs = adjacent_ratios(secs, kind, base)
        first = [r for r, base_first in pairs if base_first]
        second = [r for r, base_first in pairs if not base_first]
        work = [1 / r for r, _b in adjacent_ratios(cpus, kind, base)]
        lines.append(f"| {label} (speed: {base} s ÷ {kind} s) | {_spread([r for r, _b in pairs])} | "
                     f"{_spread(first)} / {_spread(second)} | {_spread(work)} | {target} |")
    return lines


def headline_report(res: dict, args) -> None:
    meta = res["meta"]
    mb = meta["text_bytes"] / 1e6
    n = meta["articles"]
    runs = len(res["flagger"])
    fl = [r["seconds"] for r in res["flagger"]]
    pe = [r["seconds"] for r in res["peer"]]

    def rss(runs_):
        return _median([r["usage"].ru_maxrss / 1024 for r in runs_])

    def cpu(runs_):
        return _median([r["usage"].ru_utime + r["usage"].ru_stime for r in runs_])

    print()
    print(f"## N={n:,} articles ({mb:.1f} MB), T={meta['terms']:,} terms, {meta['names']:,} names; "
          f"{runs} alternating rounds of whole processes, compile cache warm; median (min–max)")
    print(f"machine: nproc {os.cpu_count()}, Python {platform.python_version()}; load average "
          f"{res['load_start']:.2f} at start, {res['load_end']:.2f} at end (other work shares the machine)")
    print(f"flagger at {res['flagger_commit']}; compiled indexes in the cache: {res['indexes_after_warmup']} after "
          f"the warm-up, {res['compiled_indexes']} after the rounds (equal = every timed round loaded the warm cache)")
    print()
    print("| pipeline | seconds | MB/s | CPU s | peak RSS MB | entity recall | term recall |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    fr, pr = res["flagger_recall"], res["peer_recall"]
    print(f"| flagger scan, 1 process | {_spread(fl)} | {mb / _median(fl):.2f} | {cpu(res['flagger']):.2f} | "
          f"{rss(res['flagger']):.0f} | {fr['entity'][0]:.3f} | {fr['term'][0]:.3f} |")
    print(f"| exact peer (NFKC+casefold+strip, findall, pyahocorasick) | {_spread(pe)} | {mb / _median(pe):.2f} | "
          f"{cpu(res['peer']):.2f} | {rss(res['peer']):.0f} | {pr['entity'][0]:.3f} | {pr['term'][0]:.3f} |")
    chain = res.get("chain", [])
    for kind, label in (("one", "flagger scan, 1 process, in the --jobs chain"), ("jobs", f"flagger scan --jobs {args.jobs}"),
                        ("parts", f"{args.jobs} × flagger scan of 1/{args.jobs} of the lines, at once (wall: the last)")):
        kr = [r for r in chain if r["kind"] == kind]
        if kr:
            ks = [r["seconds"] for r in kr]
            print(f"| {label} | {_spread(ks)} | {mb / _median(ks):.2f} | {_median([r['cpu_s'] for r in kr]):.2f} | "
                  f"{_median([r['rss_mb'] for r in kr]):.0f}{' (parent)' if kind == 'jobs' else ''} | | |")
    naive = res.get("naive")
    if naive:
        per_art = naive["seconds"] / naive["articles"]
        print(f"| naive partial_ratio loop ({naive['patterns']:,} patterns; {naive['articles']} articles, "
              f"in-process, extrapolated) | {per_art * n:,.0f} | {naive['bytes'] / 1e6 / naive['seconds']:.4f} | | | | |")
    print()
    ph = res["peer_phases"]
    print(f"peer inside its process: build {_spread([p['build_s'] for p in ph])} s, scan "
          f"{_spread([p['scan_s'] for p in ph])} s = {mb / _median([p['scan_s'] for p in ph]):.2f} MB/s; "
          f"flagger's untimed warm-up runs {', '.join(f'{w:.2f}' for w in res['flagger_warmups_s'])} s")
    print()
    print("| ratio (each from one round) | median (min–max) | target |")
    print("|---|---:|---|")
    print(f"| flagger speed / exact peer (peer s ÷ flagger s) | {_spread([p / f for p, f in zip(pe, fl, strict=True)])} | ≥ 0.5 |")
    fc = [r["usage"].ru_utime + r["usage"].ru_stime for r in res["flagger"]]
    pc = [r["usage"].ru_utime + r["usage"].ru_stime for r in res["peer"]]
    print(f"| the same in CPU seconds (peer CPU s ÷ flagger CPU s; less moved by other load) | "
          f"{_spread([p / f for p, f in zip(pc, fc, strict=True)])} | |")
    if naive:
        print(f"| flagger speed / naive loop | {_spread([per_art * n / f for f in fl], ',.0f')} | |")
    if chain:
        print()
        print(f"--jobs {args.jobs}: {len(chain)} whole processes run one after the other in the order "
              f"{' '.join(r['kind'] for r in chain)}; each ratio is taken from two adjacent runs (seconds apart), "
              f"{args.pairs} pairs per ratio, both orders alternating. The --jobs hits file is "
              f"{'byte-identical to' if res['jobs_hits_identical'] else 'DIFFERENT from'} the one-process one.")
        print()
        print("| ratio (adjacent pairs) | median (min–max) | base first / base second | CPU s ÷ base's CPU s | target |")
        print("|---|---:|---:|---:|---|")
        for line in _chain_lines(chain, args.jobs):
            print(line)
    print()
    print(f"Recall of the {meta['mentions']:,} planted mentions: a hit of the same entity id / term overlapping the "
          f"planted span (flagger: its --hits file, {res['hits']['flagger']:,} rows; peer: {res['hits']['peer']:,} "
          f"hits mapped to article offsets, {res['peer_unmapped_articles']} articles unmappable).")
    print()
    print("| recall | flagger | exact peer | mentions |")
    print("|---|---:|---:|---:|")
    for k, (v, cnt) in fr.items():
        print(f"| {k} | {v:.3f} | {pr.get(k, (float('nan'), 0))[0]:.3f} | {cnt:,} |")


# -- internal: in-process figures (flagger forked from a compiling parent) ---------------------------
def measure(args, n_articles: int, n_entities: int, quick: bool = False) -> dict:
    from flagger.api import Scanner

    corpus = Path(args.corpus) if args.corpus and not quick else ensure_corpus(
        Path(args.corpus_dir), n_articles, args.terms, n_entities, args.seed)
    meta = json.loads((corpus / "meta.json").read_text())
    print(f"# corpus {corpus.name}: {meta['articles']} articles, {meta['text_bytes'] / 1e6:.1f} MB, "
          f"{meta['names']} names, {meta['terms']} terms, {meta['mentions']} embedded mentions", flush=True)
    _scratch_cache_dir(args)
    t0 = time.perf_counter()
    _STATE["scanner"] = Scanner(rules=[str(corpus / "rules" / "bench.yaml")], entities=[str(corpus / "entities.csv")],
                                default_entities=False, owns_process=True)    # (scanned in children forked for it)
    compile_s = time.perf_counter() - t0
    res: dict = {"meta": meta, "compile_s": compile_s}
    runs = 1 if quick else args.runs
    fl, fl2, halves = [], [], []
    for i in range(runs):
        fl.append(_in_child(run_flagger, corpus, 1, i == 0))
        print(f"  flagger 1 proc run {i + 1}: {fl[-1]['seconds']:.2f} s", flush=True)
        if not quick and args.jobs > 1:
            fl2.append(_in_child(run_flagger, corpus, args.jobs, False))
            print(f"  flagger {args.jobs} procs run {i + 1}: {fl2[-1]['seconds']:.2f} s", flush=True)
            if args.jobs == 2:
                halves.append(run_halves(corpus))
                print(f"  two independent halves run {i + 1}: {halves[-1]['seconds']:.2f} s", flush=True)
    res["flagger"] = fl
    res["flagger_jobs"] = fl2
    res["halves"] = halves
    res["recall"] = recall(corpus, fl[0]["hit_rows"])
    res["matched_recall"] = recall(corpus, _in_child(lambda: {"rows": matched_rows(corpus)})["rows"])
    if not quick:
        cache_dir = _scratch(args, "flagger-startup-cache-")
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
    print(f"## internal (in-process, no start-up): N={n:,} articles ({mb:.1f} MB), T={meta['terms']:,} terms, "
          f"{meta['names']:,} names; medians of {len(res['flagger'])} runs")
    print()
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    print("| pipeline | seconds | CPU s (all processes) | MB/s | articles/s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|")
    rss = _median([r["rss_mb"] for r in res["flagger"]])
    cpu1 = _median([r["cpu"] for r in res["flagger"]])
    print(f"| flagger scan, 1 process | {s1:.2f} | {cpu1:.2f} | {mbs1:.2f} | {aps1:,.0f} | {rss:.0f} |")
    if res["flagger_jobs"]:
        s2, mbs2, aps2 = rate(res["flagger_jobs"])
        rss2 = _median([r["rss_mb"] for r in res["flagger_jobs"]])
        cpu2 = _median([r["cpu"] for r in res["flagger_jobs"]])
        print(f"| flagger scan, --jobs {jobs} | {s2:.2f} | {cpu2:.2f} | {mbs2:.2f} | {aps2:,.0f} | {rss2:.0f} (parent) |")
    print()
    print("| ratio (same run) | value |")
    print("|---|---:|")
    if res["flagger_jobs"]:
        ratios = [f["seconds"] / j["seconds"] for f, j in zip(res["flagger"], res["flagger_jobs"], strict=False)]
        print(f"| flagger --jobs {jobs} / 1 process | {_spread(ratios)} |")
        extra = [j["cpu"] / f["cpu"] for f, j in zip(res["flagger"], res["flagger_jobs"], strict=False)]
        print(f"| CPU s of --jobs {jobs} (parent and workers) / CPU s of 1 process: the work {jobs} cores share; "
              f"{jobs} / this is the speed-up idle cores would give at best | {_spread(extra)} |")
    if res.get("halves"):
        ratios = [f["seconds"] / h["seconds"] for f, h in zip(res["flagger"], res["halves"], strict=False)]
        print(f"| ceiling: two independent one-process scans of the halves, together / 1 process | {_spread(ratios)} |")
    if "startup_cold" in res:
        print(f"| Scanner() in a fresh process, cold compile → cached (s; + {res.get('import_s', 0):.2f} s import) | "
              f"{res['startup_cold']:.2f} → {_median(res['startup_warm']):.2f} |")
    print(f"| compile in this process (s) | {res['compile_s']:.2f} |")
    print()
    print("| recall of embedded mentions | flagger matched | flagger reported | mentions |")
    print("|---|---:|---:|---:|")
    matched = res.get("matched_recall", {})
    for k, (v, cnt) in res["recall"].items():
        print(f"| {k} | {matched.get(k, (float('nan'), 0))[0]:.3f} | {v:.3f} | {cnt:,} |")


def sweep(args) -> None:
    """N x {1, 2, 4}, one scan each, and names x {~10k, ~50k, ~200k} in `--pairs` rounds, ~50k and
    ~200k back to back in ABBA order (`--sweep-part` for one half).
    CPU seconds beside wall seconds: on a machine others share, they are the figure to compare."""
    base = args.articles
    rows = []
    if args.sweep_part in ("all", "N"):
        for mult in (1, 2, 4):
            r = measure(args, base * mult, args.entities, quick=True)
            rows.append(("N", base * mult, r))
    names_rows = names_sweep(args, base) if args.sweep_part in ("all", "names") else []
    print()
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    print("| sweep | value | seconds | CPU s | MB/s | CPU s per 1k articles | peak RSS MB | recall | compile s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for what, value, r in rows + names_rows:
        f = r["flagger"][0]
        mb = r["meta"]["text_bytes"] / 1e6
        print(f"| {what} | {value:,} | {f['seconds']:.2f} | {f['cpu']:.2f} | {mb / f['seconds']:.2f} | "
              f"{f['cpu'] / r['meta']['articles'] * 1000:.2f} | {f['rss_mb']:.0f} | {r['recall']['all'][0]:.3f} | "
              f"{r['compile_s']:.1f} |")
    if names_rows:
        # every round scans each list size once, so a ratio is taken within one round
        cpu = {value: [f["cpu"] for f in r["flagger"]] for _w, value, r in names_rows}
        sizes = list(cpu)
        print()
        print(f"names: {len(cpu[sizes[0]])} rounds (one forked scan of each list size per round, the index "
              f"compiled in this process: no start-up; the two larger lists back to back, in ABBA order); "
              f"CPU s of the scan, median (min–max)")
        print("| names | CPU s | seconds | × the smallest list, CPU (same round) |")
        print("|---:|---:|---:|---:|")
        for value, r in ((v, r) for _w, v, r in names_rows):
            ratios = [c / c0 for c, c0 in zip(cpu[value], cpu[sizes[0]], strict=True)]
            print(f"| {value:,} | {_spread(cpu[value])} | {_spread([f['seconds'] for f in r['flagger']])} | "
                  f"{_spread(ratios)} |")
        print()
        for line in _names_pair_lines(names_rows[1][2], names_rows[2][2]):
            print(line)


def _names_pair_lines(mid: dict, large: dict) -> list[str]:
    """The names target's figure: per ABBA round the larger list's scan ÷ the smaller's, both
    scanned back to back; median (min–max) over the rounds, and by which one ran first."""
    a, b = mid["meta"]["names"], large["meta"]["names"]
    lines = [f"{a:,} -> {b:,} names, the two scanned back to back in ABBA order, one ratio per round:"]
    cpu, wall, first, second = [], [], [], []
    for i, (fa, fb, pa, pb) in enumerate(zip(mid["flagger"], large["flagger"], mid["positions"], large["positions"],
                                             strict=True), 1):
        cpu.append(fb["cpu"] / fa["cpu"])
        wall.append(fb["seconds"] / fa["seconds"])
        (first if pa < pb else second).append(cpu[-1])
        lines.append(f"  round {i} ({f'{a:,} first' if pa < pb else f'{b:,} first'}): {fa['cpu']:.2f} -> "
                     f"{fb['cpu']:.2f} CPU s = {cpu[-1]:.2f} ×; {fa['seconds']:.2f} -> {fb['seconds']:.2f} s = "
                     f"{wall[-1]:.2f} ×")
    lines.append(f"{a:,} -> {b:,} names: {_spread(cpu)} × the CPU time (target ≤ 1.5), {_spread(wall)} × the wall "
                 f"time; {len(cpu)} rounds; CPU ratio with the {a:,} first {_spread(first)}, with the {b:,} first "
                 f"{_spread(second)}")
    return lines


def names_sweep(args, n_articles: int) -> list[tuple[str, int, dict]]:
    """The same articles against ~10k, ~50k and ~200k listed names: each index compiled once in
    this process, then `--pairs` rounds, each one forked scan per list size: ~10k, then ~50k and
    ~200k back to back, in ABBA order (`positions`: each scan's place in its round)."""
    from flagger.api import Scanner

    _scratch_cache_dir(args)
    built = []
    for ents in (4_000, 20_000, 80_000):   # ~10k, ~50k, ~200k names with aliases
        corpus = ensure_corpus(Path(args.corpus_dir), n_articles, args.terms, ents, args.seed)
        meta = json.loads((corpus / "meta.json").read_text())
        t0 = time.perf_counter()
        # owns_process: the scans run in children forked for them alone, as `flagger scan`'s process is
        scanner = Scanner(rules=[str(corpus / "rules" / "bench.yaml")], entities=[str(corpus / "entities.csv")],
                          default_entities=False, owns_process=True)
        built.append((corpus, scanner, {"meta": meta, "compile_s": time.perf_counter() - t0, "flagger": [],
                                        "positions": []}))
        print(f"# corpus {corpus.name}: {meta['names']:,} names, compiled in {built[-1][2]['compile_s']:.1f} s",
              flush=True)
    small, mid, large = built
    for i in range(args.pairs):
        # the pair the target compares (~50k, ~200k names) back to back, in ABBA order: the smaller
        # first in rounds 1, 3, ..., the larger first in rounds 2, 4, ...; the ~10k list before them
        for pos, (corpus, scanner, r) in enumerate((small, mid, large) if i % 2 == 0 else (small, large, mid)):
            _STATE["scanner"] = scanner
            r["flagger"].append(_in_child(run_flagger, corpus, 1, i == 0))
            r["positions"].append(pos)
            print(f"  round {i + 1}, {r['meta']['names']:,} names: {r['flagger'][-1]['cpu']:.2f} CPU s, "
                  f"{r['flagger'][-1]['seconds']:.2f} s", flush=True)
    for corpus, _s, r in built:
        r["recall"] = recall(corpus, r["flagger"][0]["hit_rows"])
    return [("names", r["meta"]["names"], r) for _c, _s, r in built]


# A forked child's callgrind file would otherwise also hold its parent's counts up to the fork
# (checked: a child that only exits counted as much as its parent before the fork): zeroed in the
# child at CPython's after-fork hook, each process's file holds its own work only.
_CALLGRIND = ["valgrind", "--tool=callgrind", "--zero-before=PyOS_AfterFork_Child"]


def _callgrind_total(path: Path) -> int:
    """The instructions a callgrind output file counts (its `totals:` line)."""
    for line in reversed(path.read_text(encoding="utf-8", errors="replace").splitlines()):
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise SystemExit(f"{path}: no totals line: callgrind did not finish writing it")


def instructions(args) -> None:
    """Instructions, not seconds: `flagger scan` (one process, the headline's command, a snapshot
    at --flagger-rev) of the first --instr-articles articles of the names sweep's ~50k and
    ~200k-name corpora (--articles), and of their first article alone, each counted once under
    valgrind's callgrind (every thread and forked process of the run added up, each forked one from
    its fork on; PYTHONHASHSEED=0).
    The K-article count less the 1-article one is the scan's work without the start-up. A count
    does not move with the machine's speed, so one run of each suffices and two code versions
    compare exactly; it counts no cache misses, memory stalls or kernel time (all of which the
    larger index has more of), and valgrind runs the process ~50 times slower."""
    if not shutil.which("valgrind"):
        raise SystemExit("--instructions needs valgrind (callgrind) on PATH")
    work = Path(_scratch(args, "flagger-bench-"))
    env = dict(os.environ, FLAGGER_CACHE_DIR=os.environ.get("FLAGGER_CACHE_DIR") or str(work / "cache"),
               PYTHONHASHSEED="0")
    cmd = _flagger_command(args, work, env)
    k = args.instr_articles
    print(f"# flagger {args.flagger_commit}; instructions (callgrind); load average {os.getloadavg()[0]:.2f} (it does "
          f"not move a count)", flush=True)
    rows = []
    for ents in (20_000, 80_000) if k else ():      # the names sweep's ~50k and ~200k-name lists
        corpus = ensure_corpus(Path(args.corpus_dir), args.articles, args.terms, ents, args.seed)
        meta = json.loads((corpus / "meta.json").read_text())
        lines = (corpus / "articles.jsonl").read_bytes().splitlines(keepends=True)
        if len(lines) < k:
            raise SystemExit(f"{corpus / 'articles.jsonl'}: {len(lines)} articles, fewer than --instr-articles {k}")

        def scan(inp: Path, corpus=corpus) -> list[str]:
            return [*cmd, "scan", str(inp), "--no-config", "--rules", str(corpus / "rules" / "bench.yaml"),
                    "--entities", str(corpus / "entities.csv"), "--no-default-entities", "-f", "csv",
                    "-o", str(work / "report.csv"), "--hits", str(work / "hits.csv"), "-q", "--no-progress"]

        counts = {}
        for n in (k, 1):
            inp = work / f"{corpus.name}-first-{n}.jsonl"
            inp.write_bytes(b"".join(lines[:n]))
            if n == k:
                _run_process(scan(inp), env, work)      # untimed: compiles the index into the cache
            indexes = len(list(Path(env["FLAGGER_CACHE_DIR"]).glob("index-*")))
            t0 = time.perf_counter()
            proc = subprocess.run([*_CALLGRIND, f"--callgrind-out-file={work}/cg-{ents}-{n}.%p",
                                   *scan(inp)], env=env, cwd=work, capture_output=True, text=True)
            if proc.returncode != 0:
                raise SystemExit(f"callgrind of {' '.join(scan(inp))} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
            if len(list(Path(env["FLAGGER_CACHE_DIR"]).glob("index-*"))) != indexes:
                raise SystemExit("a counted run compiled an index: the count is not of a scan with a warm cache")
            counts[n] = sum(_callgrind_total(p) for p in work.glob(f"cg-{ents}-{n}.*"))
            print(f"  {meta['names']:,} names, {n} article(s): {counts[n] / 1e9:.3f} G instructions "
                  f"({time.perf_counter() - t0:.0f} s under valgrind)", flush=True)
        rows.append((meta["names"], counts[1], counts[k]))
    if rows:
        print()
        print(f"| names | 1 article (start-up) | {k} articles | the scan: {k} less 1 |")
        print("|---:|---:|---:|---:|")
    for names, one, many in rows:
        print(f"| {names:,} | {one / 1e9:.3f} G | {many / 1e9:.3f} G | {(many - one) / 1e9:.3f} G |")
    if rows:
        (n0, one0, many0), (n1, one1, many1) = rows
        print(f"\n{n0:,} -> {n1:,} names, instructions: the scan of {k - 1} articles {(many1 - one1) / (many0 - one0):.3f} ×, "
              f"the start-up {one1 / one0:.3f} ×, the whole process {many1 / many0:.3f} ×")
    if args.jobs > 1:
        _jobs_instructions(args, work, env, cmd)


def _jobs_instructions(args, work: Path, env: dict, cmd: list[str]) -> None:
    """--instructions --jobs N: one process and `--jobs N` counted on the first --instr-jobs-articles
    articles of --corpus (or the --articles / --entities corpus): the work --jobs adds, with the
    parent's and each worker's share (one callgrind file per process)."""
    corpus = _corpus_for(args)
    k = args.instr_jobs_articles
    lines = (corpus / "articles.jsonl").read_bytes().splitlines(keepends=True)
    if len(lines) < k:
        raise SystemExit(f"{corpus / 'articles.jsonl'}: {len(lines)} articles, fewer than --instr-jobs-articles {k}")
    inp = work / f"{corpus.name}-first-{k}.jsonl"
    inp.write_bytes(b"".join(lines[:k]))
    base = [*cmd, "scan", str(inp), "--no-config", "--rules", str(corpus / "rules" / "bench.yaml"),
            "--entities", str(corpus / "entities.csv"), "--no-default-entities", "-f", "csv",
            "-o", str(work / "report.csv"), "--hits", str(work / "hits.csv"), "-q", "--no-progress"]
    _run_process(base, env, work)      # untimed: compiles the index into the cache
    totals = {}
    indexes = len(list(Path(env["FLAGGER_CACHE_DIR"]).glob("index-*")))
    for label, extra in (("1 process", []), (f"--jobs {args.jobs}", ["--jobs", str(args.jobs)])):
        tag = "one" if not extra else "jobs"
        t0 = time.perf_counter()
        proc = subprocess.Popen([*_CALLGRIND, f"--callgrind-out-file={work}/cgj-{tag}.%p",
                                 *base, *extra], env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
        _out, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"callgrind of {' '.join(base + extra)} exited {proc.returncode}:\n{err[-2000:]}")
        if len(list(Path(env["FLAGGER_CACHE_DIR"]).glob("index-*"))) != indexes:
            raise SystemExit("a counted run compiled an index: the count is not of a scan with a warm cache")
        each = {int(p.name.rsplit(".", 1)[1]): _callgrind_total(p) for p in work.glob(f"cgj-{tag}.*")}
        parent = each.pop(proc.pid)
        totals[label] = parent + sum(each.values())
        shares = ", ".join(f"{v / 1e9:.3f}" for _pid, v in sorted(each.items()))
        print(f"  {corpus.name}, first {k} articles, {label}: {totals[label] / 1e9:.3f} G instructions (parent "
              f"{parent / 1e9:.3f} G{f'; other processes {shares} G' if each else ''}; "
              f"{time.perf_counter() - t0:.0f} s under valgrind)", flush=True)
    one, jobs = totals.values()
    print(f"\n--jobs {args.jobs} / 1 process, instructions of all processes: {jobs / one:.3f} × "
          f"({(jobs - one) / 1e9:+.3f} G)")


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
    _scratch_cache_dir(args)
    scanners, names = [], []
    for _label, paths in sets:
        sc = Scanner(rules=[str(corpus / "rules" / "bench.yaml")], entities=[str(p) for p in paths],
                     default_entities=False, owns_process=True)      # (scanned in children forked for it)
        f = sc.entity_frame
        scanners.append(sc)
        names.append((f.height, f.height + sum(len(a or []) for a in f["aliases"].to_list())
                      + sum(len(a or []) for a in f["original_names"].to_list())))
    seconds: list[list[float]] = [[] for _ in sets]
    cpu: list[list[float]] = [[] for _ in sets]
    for i in range(args.runs):
        for k, sc in enumerate(scanners):
            _STATE["scanner"] = sc
            out = _in_child(run_flagger, corpus, 1, False)
            seconds[k].append(out["seconds"])
            cpu[k].append(out["cpu"])
            print(f"  {sets[k][0]} run {i + 1}: {seconds[k][-1]:.2f} s, {cpu[k][-1]:.2f} CPU s", flush=True)
    base, base_cpu = _median(seconds[0]), _median(cpu[0])
    print()
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    print(f"| {corpus.name} against | entries | names | seconds (median of {args.runs}; runs) | x the SDN alone | "
          f"CPU s (runs) | x the SDN alone, CPU |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for (label, _p), (entries, n), runs, cpus in zip(sets, names, seconds, cpu, strict=True):
        print(f"| {label} | {entries:,} | {n:,} | {_median(runs):.2f} ({', '.join(f'{r:.2f}' for r in runs)}) | "
              f"{_median(runs) / base:.2f} | {_median(cpus):.2f} ({', '.join(f'{r:.2f}' for r in cpus)}) | "
              f"{_median(cpus) / base_cpu:.2f} |")


def _scratch(args, prefix: str) -> str:
    """A new work directory for this run, removed at its end unless --keep (`_clean_up`)."""
    d = tempfile.mkdtemp(prefix=prefix)
    args.scratch.append(d)
    return d


def _scratch_cache_dir(args) -> None:
    """FLAGGER_CACHE_DIR for this run's compiled indexes: the caller's, else a scratch directory."""
    if not os.environ.get("FLAGGER_CACHE_DIR"):
        os.environ["FLAGGER_CACHE_DIR"] = _scratch(args, "flagger-bench-cache-")


def _clean_up(args) -> None:
    """Remove this run's work directories (reports, hits, snapshots, compiled indexes: 40-140 MB
    each), or with --keep say where they are. Nothing made before this run is touched."""
    for d in args.scratch:
        if args.keep:
            print(f"# kept: {d}", file=sys.stderr)
        else:
            shutil.rmtree(d, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description="flagger throughput benchmark")
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--terms", type=int, default=2000)
    ap.add_argument("--entities", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3, help="alternating rounds")
    ap.add_argument("--jobs", type=int, default=1,
                    help="also time `flagger scan --jobs N` (N > 1) against one process and against N one-process "
                         "scans of N parts of the input at once, in a chain of adjacent pairs (--pairs)")
    ap.add_argument("--pairs", type=int, default=6,
                    help="adjacent pairs per ratio for --jobs, and ABBA rounds of the names sweep (default 6: "
                         "an even count gives both orders equally)")
    ap.add_argument("--naive-sample", type=int, default=3, help="articles for the naive loop (0 = skip)")
    ap.add_argument("--corpus", help="an existing corpus directory (benchmarks/corpus.py output) instead")
    ap.add_argument("--corpus-dir", default=os.path.join(tempfile.gettempdir(), "flagger-bench-corpus"))
    ap.add_argument("--flagger-rev", default="HEAD",
                    help="headline: time a snapshot of flagger at this git revision (default HEAD), "
                         "or 'worktree' for the installed working tree")
    ap.add_argument("--internal", action="store_true", help="in-process figures instead of the headline")
    ap.add_argument("--sweep-part", choices=("all", "N", "names"), default="all",
                    help="--sweep: both sweeps, or only the articles (N) or the names one")
    ap.add_argument("--sweep", action="store_true", help="scaling sweep instead of the main table")
    ap.add_argument("--json", type=Path, help="also write the raw measurements here")
    ap.add_argument("--keep", action="store_true",
                    help="keep this run's work directories (reports, hits files, flagger snapshot, compile "
                         "cache) under the temporary directory; their paths are printed at the end. "
                         "Default: removed when the run ends")
    ap.add_argument("--official-lists", metavar="DIR",
                    help="names scaling on real lists instead: shared/data/lists (skipped when absent)")
    ap.add_argument("--instructions", action="store_true",
                    help="instead: count instructions (valgrind callgrind) of one-process scans of the first "
                         "--instr-articles articles at the names sweep's ~50k and ~200k names (--articles picks "
                         "the sweep's corpora, e.g. 2000), less a 1-article scan (the start-up)")
    ap.add_argument("--instr-articles", type=int, default=300,
                    help="--instructions: articles counted at each list size (default 300; 0 skips the names counts)")
    ap.add_argument("--instr-jobs-articles", type=int, default=4000,
                    help="--instructions --jobs N: also count one process and --jobs N on this many articles "
                         "of --corpus (default 4000)")
    ap.add_argument("--peer", metavar="CORPUS", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--peer-hits", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.pairs < 1:
        ap.error(f"--pairs must be at least 1, not {args.pairs}")
    args.scratch = []
    try:
        _run(args)
    finally:
        _clean_up(args)


def _run(args) -> None:
    if args.peer:
        peer_main(args.peer, args.peer_hits)
        return
    if args.sweep:
        sweep(args)
        return
    if args.official_lists:
        official_lists(args)
        return
    if args.instructions:
        instructions(args)
        return
    if args.internal:
        res = measure(args, args.articles, args.entities)
        report(res, args.jobs)
        for r in res.get("flagger", []):
            r.pop("hit_rows", None)
    else:
        res = headline(args)
        headline_report(res, args)
        for k in ("flagger", "peer"):
            for r in res[k]:
                u = r.pop("usage")
                r["cpu_s"], r["rss_mb"] = u.ru_utime + u.ru_stime, u.ru_maxrss / 1024
    if args.json:
        args.json.write_text(json.dumps(res, indent=1, default=str))


if __name__ == "__main__":
    main()
