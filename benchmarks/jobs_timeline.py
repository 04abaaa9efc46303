"""Where `flagger scan --jobs N` spends its time: CPU per process, the serial start, worker idle time.

    python benchmarks/jobs_timeline.py --corpus /tmp/flagger-bench-corpus/n20000-t2000-m20000-s7 --jobs 2

Runs the CLI scan of a benchmark corpus (built by benchmarks/corpus.py; the command
benchmarks/throughput.py times) in this process and records, in every process:

* the parent's CPU and wall seconds when it forks the first worker (what ran before on one core
  only: start-up; the first worker then loads the index from the cache while the parent reads);
* when each worker starts and ends each batch, and the CPU seconds of each: the seconds a worker
  had no batch while the parent was still at work are the idle time (the workers after the first
  are forked by it once it has learned the first batch's words: their wait for that is idle too);
* words learned per process (`PhraseIndex.learn`'s new words, per batch): the learning `--jobs`
  repeats, against `--jobs 1`;
* CPU seconds of the parent and of all workers (getrusage);
* the seconds the parent waited for a result (`forking._receive`), and how many of them before
  the second worker started (only the first worker and the parent exist then: a core idles while
  the parent waits); how far apart the workers' last batches ended, and how long the parent ran
  after the last one (the tail, one core at most);
* the CPU seconds of the transport, per side: pickling and unpickling what `flagger.forking` sends
  (the parent's tasks, each a batch of records; the workers' replies, their packed results) and
  `flagger.scale.transport`'s pack (workers) and unpack (parent) of the results;
* system CPU seconds and minor page faults of the parent and of all workers (getrusage).

On 2 idle cores a --jobs 2 scan can take no less than (C + p) / 2 wall seconds, C the CPU seconds
of all processes and p those of the parent before it forks; the speed-up is at most the one-process
CPU seconds over that. Reports are written as the CLI writes them (compare them with `cmp`).
Run it once before measuring: with a cold compile cache the parent compiles the index before the
fork (~9 CPU s more in p), and reads the first two batches before it forks. Only --jobs 1 and 2 are summarised as above.
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def _cpu(who) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True, help="a benchmarks/corpus.py corpus folder")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=None, help="report prefix (default: a temporary folder)")
    ap.add_argument("--timeline", type=Path, default=None, help="also write every event to this file")
    args = ap.parse_args()
    wall0 = time.perf_counter()

    import flagger.forking as forking
    import flagger.scale.parallel as parallel
    from flagger.cli import entry
    from flagger.engine.phrases import PhraseIndex
    from flagger.scanner import ArticleScanner

    log_path = args.timeline or Path(tempfile.mkdtemp(prefix="flagger-jobs-")) / "timeline.txt"
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)

    def log(*what) -> None:     # one write per line: lines of parent and workers do not interleave
        line = f"{time.perf_counter() - wall0:.3f} {time.process_time():.3f} {os.getpid()} " + " ".join(map(str, what))
        os.write(fd, (line + "\n").encode())

    learned = Counter()
    real_learn = PhraseIndex.learn

    def learn(self, tokens, lang, alts, floor=None):
        learned["words"] += len(tokens.difference(self._state(lang, floor).seen))
        return real_learn(self, tokens, lang, alts, floor)

    real_scan_batch = ArticleScanner.scan_batch

    def scan_batch(self, batch, *args, **kwargs):
        log("batch_start", len(batch))
        words = learned["words"]
        try:
            return real_scan_batch(self, batch, *args, **kwargs)
        finally:
            log("batch_end", len(batch), learned["words"] - words)

    real_fork_map = parallel.fork_map

    def fork_map(*a, **k):
        log("fork")
        yield from real_fork_map(*a, **k)
        log("joined")

    real_receive = forking._receive

    def receive(*a, **k):
        t = time.perf_counter()
        try:
            return real_receive(*a, **k)
        finally:
            log("waited", f"{time.perf_counter() - t:.4f}")

    def timed(name, real):          # CPU seconds of one step of the transport, logged per call
        def step(*a, **k):
            c = time.process_time()
            try:
                return real(*a, **k)
            finally:
                log("transport", name, f"{time.process_time() - c:.5f}")
        return step

    class TimedPickler(forking.ForkingPickler):     # what fork_map pickles: tasks (parent), replies (workers)
        dumps = staticmethod(timed("pickle", forking.ForkingPickler.dumps))

    class TimedPickle:                                # what it unpickles: replies (parent), tasks (workers)
        def __getattr__(self, name):
            return getattr(pickle, name)

        loads = staticmethod(timed("unpickle", pickle.loads))

    PhraseIndex.learn, ArticleScanner.scan_batch, parallel.fork_map = learn, scan_batch, fork_map
    forking._receive = receive
    if hasattr(parallel, "pack"):       # (a snapshot from before flagger.scale.transport pickles results whole)
        parallel.pack, parallel.unpack = timed("pack", parallel.pack), timed("unpack", parallel.unpack)
    forking.ForkingPickler, forking.pickle = TimedPickler, TimedPickle()
    out = args.out or log_path.parent / "report"
    c = args.corpus
    sys.argv = ["flagger", "scan", str(c / "articles.jsonl"), "--no-config", "--rules", str(c / "rules" / "bench.yaml"),
                "--entities", str(c / "entities.csv"), "--no-default-entities", "-f", "csv", "-o", f"{out}.csv",
                "--hits", f"{out}_hits.csv", "--jobs", str(args.jobs), "-q", "--no-progress"]
    try:
        entry()
    except SystemExit as exc:
        if exc.code not in (0, 1, None):
            raise
    log("end")
    os.close(fd)
    parent_cpu, workers_cpu = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    summarise(log_path, parent_cpu, workers_cpu, learned["words"])
    parent, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"system CPU s: parent {parent.ru_stime:.2f}, workers {workers.ru_stime:.2f}; page faults (minor): "
          f"parent {parent.ru_minflt:,}, workers {workers.ru_minflt:,} (a forked worker's first write to each "
          f"page it shares copies it)")


def summarise(path: Path, parent_cpu: float, workers_cpu: float, parent_learned: int) -> None:
    events = [line.split() for line in path.read_text().splitlines()]
    parent = events[-1][2]
    end = float(events[-1][0])
    fork = next(((float(e[0]), float(e[1])) for e in events if e[2] == parent and e[3] == "fork"), None)
    total = parent_cpu + workers_cpu
    print(f"load average {os.getloadavg()[0]:.2f}; wall {end:.2f} s; CPU s: parent {parent_cpu:.2f}, "
          f"workers {workers_cpu:.2f}, all {total:.2f}; words learned: parent {parent_learned:,}")
    if fork is None:
        print("one process (no fork)")
        return
    joined = next(float(e[0]) for e in events if e[2] == parent and e[3] == "joined")
    print(f"before the fork (one core): wall {fork[0]:.2f} s, parent CPU {fork[1]:.2f} s; "
          f"parallel phase {joined - fork[0]:.2f} s wall; after it {end - joined:.2f} s")
    busy, cpu, started, batches, words = Counter(), Counter(), {}, Counter(), {}
    for e in events:
        t, pid, what = float(e[0]), e[2], e[3]
        if pid == parent:
            continue
        if what == "batch_start":
            started[pid] = (t, float(e[1]))
        elif what == "batch_end":
            t0, c0 = started.pop(pid)
            busy[pid] += t - t0
            cpu[pid] += float(e[1]) - c0
            batches[pid] += 1
            words[pid] = words.get(pid, 0) + int(e[5])
    span = joined - fork[0]
    for pid in busy:
        print(f"worker {pid}: {batches[pid]} batches, {cpu[pid]:.2f} CPU s in them, busy {busy[pid]:.2f} s, "
              f"idle {span - busy[pid]:.2f} s of the parallel phase; words learned {words.get(pid, 0):,}")
    starts = sorted(float(e[0]) for e in events if e[2] != parent and e[3] == "batch_start")
    firsts = sorted({e[2]: float(e[0]) for e in reversed(events) if e[2] != parent and e[3] == "batch_start"}.values())
    second = firsts[1] if len(firsts) > 1 else joined
    waits = [(float(e[0]) - float(e[4]), float(e[4])) for e in events if e[2] == parent and e[3] == "waited"]
    early = sum(max(0.0, min(t + d, second) - t) for t, d in waits if t < second)
    ends = sorted({e[2]: float(e[0]) for e in events if e[2] != parent and e[3] == "batch_end"}.values())
    print(f"parent waited for results {sum(d for _t, d in waits):.2f} s, {early:.2f} s of it before the second "
          f"worker's first batch at {second:.2f} s (one core idle); the workers' last batches ended "
          f"{ends[-1] - ends[0]:.2f} s apart, the parent {end - ends[-1]:.2f} s after the last"
          if starts and ends else "no batch ran in a worker")
    moved = Counter()
    for e in events:
        if e[3] == "transport":
            moved["parent" if e[2] == parent else "workers", e[4]] += float(e[5])
    print("transport CPU s: " + "; ".join(
        f"{who} " + ", ".join(f"{step} {moved[who, step]:.3f}" for step in ("pickle", "unpickle", "pack", "unpack")
                              if (who, step) in moved) for who in ("parent", "workers")))
    p = fork[1]
    print(f"on 2 idle cores at best (C + p) / 2 = ({total:.2f} + {p:.2f}) / 2 = {(total + p) / 2:.2f} s wall")


if __name__ == "__main__":
    main()
