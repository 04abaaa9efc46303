r"""CPU seconds of chosen flagger functions during one whole `flagger scan`, run in-process.

    python benchmarks/parts.py "flagger.scanner:tokenize_batch,flagger.engine.phrases:PhraseIndex.learn" \
        --corpus /tmp/corpus3k --rounds 3                       # HEAD's snapshot
    python benchmarks/parts.py FUNCTIONS --articles 3000 --flagger-rev 2714fbd --flagger-rev HEAD
                                                                # two revisions, alternating rounds
    python benchmarks/parts.py FUNCTIONS --corpus C --pythonpath /tmp/base --pythonpath /tmp/new
                                                                # snapshots already on disk
    python benchmarks/parts.py FUNCTIONS --corpus C --flagger-rev worktree   # the installed working tree

FUNCTIONS is a comma-separated list of `module:Qualified.name`. Each is replaced, in a child
process, by a wrapper that adds up `time.process_time()` over its calls, and then the child runs
`flagger scan articles.jsonl --no-config --rules RULES --entities entities.csv --no-default-entities
-f csv -o report.csv --hits hits.csv -q --no-progress` through `flagger.cli.entry`, as
benchmarks/throughput.py's headline runs it (one process, no `--jobs`: a forked worker's calls
would not be counted).

* A function is wrapped where it is looked up: `flagger.text:tokenize_batch` does not time the
  calls of `flagger.scanner`, which imported the function by name (`from flagger.text import
  tokenize_batch`); name `flagger.scanner:tokenize_batch` for those. A function asked for that was
  never called is reported with 0 calls, the sign of such a miss.
* Methods are wrapped on their class (`PhraseIndex.learn`), static and class methods included. A
  generator function's time is the time spent inside its body while it is iterated.
* Times are inclusive (a function's callees count in its time) and the outermost call of a
  recursive function is timed once. `process_time` counts every thread of the process.

Each snapshot (`--flagger-rev REV`, repeatable: the committed package at REV exported, its kernels
built in place and byte-compiled, as throughput.py does it; or `--pythonpath DIR`, repeatable, a
snapshot already built) gets its own compile cache (unless FLAGGER_CACHE_DIR is set) and one
untimed warm-up scan. The rounds then
alternate the snapshots (A, B, A, B, ...). The report gives, per function and snapshot, the median
CPU seconds (min–max over the rounds) and calls; the whole in-process scan (`total`) and the child
process's CPU by rusage (`process`); with two or more snapshots, each one's ratio to the first
within a round, median (min–max). `--json FILE` writes every round's figures.

Without --corpus the seeded corpus of benchmarks/corpus.py is generated (--articles, --terms,
--entities, --seed) under the temporary directory, as throughput.py does.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import json
import os
import subprocess
import sys
import tempfile
import time
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import _clean_up, _corpus_for, _flagger_command, _median, _scratch, _spread  # noqa: E402

TOTAL, PROCESS = "total", "process"


# -- the child: wrap the functions, scan in-process -----------------------------------------------------
def parse_specs(text: str) -> list[str]:
    """The `module:Qualified.name` items of a comma-separated list (a malformed one stops the run)."""
    specs = [s.strip() for s in text.split(",") if s.strip()]
    if not specs:
        raise SystemExit("parts.py: no function named (expected module:Qualified.name[,...])")
    for spec in specs:
        module, _, qual = spec.partition(":")
        if not module or not qual or ":" in qual:
            raise SystemExit(f"parts.py: {spec!r} is not module:Qualified.name")
    return specs


def wrap(spec: str, acc: dict[str, list]) -> None:
    """Replace the function `spec` names, where it is looked up, by one that adds its CPU seconds and
    calls to acc[spec] ([seconds, calls])."""
    module_name, _, qual = spec.partition(":")
    try:
        owner = import_module(module_name)
    except ImportError as error:
        raise SystemExit(f"parts.py: {spec!r}: cannot import {module_name}: {error}") from None
    *path, name = qual.split(".")
    try:
        for part in path:
            owner = getattr(owner, part)
        raw = inspect.getattr_static(owner, name)
    except AttributeError:
        raise SystemExit(f"parts.py: {spec!r}: {module_name} has no {qual}") from None
    kind = type(raw) if isinstance(raw, (staticmethod, classmethod)) else None
    func = raw.__func__ if kind else raw
    if not callable(func):
        raise SystemExit(f"parts.py: {spec!r} is not a function ({type(func).__name__})")
    totals = acc.setdefault(spec, [0.0, 0])
    depth = [0]   # the outermost call of a recursive function is the one timed

    def timed_call(call):
        totals[1] += 1
        if depth[0]:
            return call()
        depth[0] += 1
        t0 = time.process_time()
        try:
            return call()
        finally:
            depth[0] -= 1
            totals[0] += time.process_time() - t0

    if inspect.isgeneratorfunction(func):
        @functools.wraps(func)
        def timed(*args, **kwargs):
            gen = timed_call(lambda: func(*args, **kwargs))
            while True:   # each resumption timed; the consumer's work between them is not
                t0 = time.process_time()
                try:
                    item = next(gen)
                except StopIteration as stop:
                    totals[0] += time.process_time() - t0
                    return stop.value
                totals[0] += time.process_time() - t0
                yield item
    else:
        @functools.wraps(func)
        def timed(*args, **kwargs):
            return timed_call(lambda: func(*args, **kwargs))
    setattr(owner, name, kind(timed) if kind else timed)


def scan_command(corpus: Path, work: Path) -> list[str]:
    rules = corpus / "rules" / "bench.yaml"
    return ["scan", str(corpus / "articles.jsonl"), "--no-config", "--rules", str(rules if rules.exists() else corpus / "rules"),
            "--entities", str(corpus / "entities.csv"), "--no-default-entities", "-f", "csv",
            "-o", str(work / "report.csv"), "--hits", str(work / "hits.csv"), "-q", "--no-progress"]


def child(specs: list[str], corpus: Path, work: Path, out: Path) -> None:
    acc: dict[str, list] = {}
    for spec in specs:
        wrap(spec, acc)
    # the snapshot's flagger (PYTHONPATH), imported after the wrapping
    import flagger
    from flagger.cli import entry

    sys.argv = ["flagger", *scan_command(corpus, work)]
    t0 = time.process_time()
    code = 0
    try:
        entry()
    except SystemExit as stop:
        code = stop.code or 0
    total = time.process_time() - t0
    if code not in (0, 1):   # 1: findings at a gate (none is set); anything else: the scan failed
        raise SystemExit(f"parts.py: the scan exited {code}")
    out.write_text(json.dumps({"flagger": flagger.__file__, "total": total,
                               "functions": {spec: acc[spec] for spec in specs}}))


# -- the parent: snapshots, warm-up, alternating rounds ---------------------------------------------------
def _child_run(snapshot: dict, specs: list[str], corpus: Path) -> dict:
    out = snapshot["work"] / "parts.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), ",".join(specs), "--child", str(corpus),
           "--child-work", str(snapshot["work"]), "--child-out", str(out)]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errf:
        proc = subprocess.Popen(cmd, env=snapshot["env"], cwd=snapshot["work"], stdout=subprocess.DEVNULL,
                                stderr=errf)
        _pid, status, usage = os.wait4(proc.pid, 0)
        errf.seek(0)
        err = errf.read()
    if os.waitstatus_to_exitcode(status) != 0 or not out.exists():
        raise SystemExit(f"parts.py: the scan of {snapshot['label']} failed:\n{err[-2000:]}")
    res = json.loads(out.read_text())
    if not res["flagger"].startswith(snapshot["root"]):
        raise SystemExit(f"parts.py: {snapshot['label']} imported flagger from {res['flagger']}")
    res[PROCESS] = usage.ru_utime + usage.ru_stime
    return res


def _snapshot(args, label: str, rev: str | None, pythonpath: str | None) -> dict:
    work = Path(_scratch(args, "flagger-parts-"))
    # the caller's FLAGGER_CACHE_DIR, else one per snapshot (an edited module changes the cache's key)
    env = dict(os.environ, FLAGGER_CACHE_DIR=os.environ.get("FLAGGER_CACHE_DIR") or str(work / "cache"))
    env.pop("PYTHONPATH", None)
    if rev is not None:
        ns = argparse.Namespace(flagger_rev=rev)
        _flagger_command(ns, work, env)   # exports, builds and checks the snapshot; sets PYTHONPATH
        label = f"{rev} ({ns.flagger_commit[:9]})" if rev != "worktree" else rev
    else:
        env["PYTHONPATH"] = pythonpath
    where = subprocess.run([sys.executable, "-c", "import flagger; print(flagger.__file__)"], env=env, cwd=work,
                           capture_output=True, text=True, check=True).stdout.strip()
    root = env.get("PYTHONPATH") or str(Path(where).parent.parent)
    if not where.startswith(root):
        raise SystemExit(f"parts.py: {label} imports flagger from {where}, not from {root}")
    # a snapshot older than the kernels has no flagger/kernels: the editable install's finder would
    # serve the working tree's, so its status says nothing about the snapshot
    kernels = subprocess.run([sys.executable, "-c", "from flagger import kernels; "
                              f"print(kernels.status() if kernels.__file__.startswith({root!r}) else 'none: older code')"],
                             env=env, cwd=work, capture_output=True, text=True).stdout.strip()
    return {"label": label, "work": work, "env": env, "root": root, "kernels": kernels}


def measure(args) -> dict:
    specs = parse_specs(args.functions)
    corpus = _corpus_for(args)
    snapshots = [_snapshot(args, rev, rev, None) for rev in args.flagger_rev or []]
    snapshots += [_snapshot(args, path, None, path) for path in args.pythonpath or []]
    if not snapshots:
        snapshots = [_snapshot(args, "HEAD", "HEAD", None)]
    print(f"# corpus {corpus}; load average at start {os.getloadavg()[0]:.2f}", flush=True)
    for s in snapshots:
        print(f"# {s['label']}: flagger from {s['root']}; kernels {s['kernels']}", flush=True)
        _child_run(s, specs, corpus)   # warm-up (untimed): the first scan compiles the index
    rounds = []
    for i in range(args.rounds):
        rounds.append([_child_run(s, specs, corpus) for s in snapshots])
        print(f"  round {i + 1}: " + ", ".join(f"{s['label']} {r[TOTAL]:.2f} s in-process"
                                               for s, r in zip(snapshots, rounds[-1], strict=True)), flush=True)
    return {"corpus": str(corpus), "functions": specs, "snapshots": [s["label"] for s in snapshots],
            "load_end": os.getloadavg()[0],
            "rounds": [[{TOTAL: r[TOTAL], PROCESS: r[PROCESS], "functions": r["functions"]} for r in rnd]
                       for rnd in rounds]}


def report(res: dict) -> None:
    labels = res["snapshots"]
    rows = [(spec, lambda r, spec=spec: r["functions"][spec][0]) for spec in res["functions"]]
    rows += [(TOTAL, lambda r: r[TOTAL]), (PROCESS, lambda r: r[PROCESS])]
    print(f"\nCPU s over {len(res['rounds'])} rounds, median (min–max); load at end {res['load_end']:.2f}")
    for name, get in rows:
        print(name)
        for k, label in enumerate(labels):
            secs = [get(rnd[k]) for rnd in res["rounds"]]
            line = f"  {label:<28} {_spread(secs, '.3f')} s"
            if name in res["functions"]:
                calls = [rnd[k]["functions"][name][1] for rnd in res["rounds"]]
                line += f"  {_median(calls):,.0f} calls"
                if not any(calls):
                    line += "  (never called: is it looked up under another name?)"
            if k:
                ratios = [get(rnd[k]) / get(rnd[0]) for rnd in res["rounds"] if get(rnd[0])]
                if ratios:
                    line += f"  × {_spread(ratios, '.2f')} of {labels[0]}"
            print(line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("functions", help="comma-separated module:Qualified.name, e.g. flagger.scanner:tokenize_batch")
    ap.add_argument("--corpus", help="an existing corpus directory (benchmarks/corpus.py output)")
    ap.add_argument("--corpus-dir", default=os.path.join(tempfile.gettempdir(), "flagger-bench-corpus"))
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--terms", type=int, default=2000)
    ap.add_argument("--entities", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds (after one warm-up per snapshot)")
    ap.add_argument("--flagger-rev", action="append",
                    help="a git revision to snapshot (repeatable), or 'worktree' for the installed flagger")
    ap.add_argument("--pythonpath", action="append", help="a snapshot directory already built (repeatable)")
    ap.add_argument("--json", type=Path, help="also write every round's figures here")
    ap.add_argument("--keep", action="store_true", help="keep the snapshots and compile caches (paths printed)")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--child-work", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(parse_specs(args.functions), args.child, args.child_work, args.child_out)
        return
    if args.rounds < 1:
        raise SystemExit("parts.py: --rounds must be at least 1")
    args.scratch = []
    try:
        res = measure(args)
        report(res)
        if args.json:
            args.json.write_text(json.dumps(res, indent=1))
    finally:
        _clean_up(args)


if __name__ == "__main__":
    main()
