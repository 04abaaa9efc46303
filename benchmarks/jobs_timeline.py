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
  (the parent's tasks, each a batch of records, encoded by `flagger.scale.tasks` and shown as
  pickle/unpickle; the workers' replies, their packed results, sent as they are) and
  `flagger.scale.transport`'s pack (workers) and unpack (parent) of the results;
* system CPU seconds and minor page faults of the parent and of all workers (getrusage), and the
  faults per phase: the parent's as its CPU seconds below (and before the fork); the first
  worker's before its first batch (loading the index), in that batch until its words are learned
  (when it forks the others), in the rest of it and in later batches; the other workers' before
  and in their first batch and in later ones; the workers' outside batches (packing, waiting);
* the parent's CPU seconds per phase: reading records (`as_records` of the input), grouping copies
  (`collapse_copies`), pickling tasks, unpacking results, and the rest of the run downstream of the
  results (judging, digest, writing the reports: the time between the results `scan_parallel` yields);
* with --sample S (default 0.1): CPU seconds per process and S-second slice, and how many of the
  scan's threads were runnable, from /proc/<pid>/stat and /proc/<pid>/task/*/stat read every S / 5 s
  by a separate sampling process (the parent and every process it or its children forked). Per
  stage (before the fork, until the second worker's first batch, the parallel phase, after the
  join) the core-seconds left idle by the scan itself (fewer of its threads runnable than cores:
  other load on the machine does not make these), and after the fork what the processes that were
  not runnable were doing then (the parent waiting for a result, a worker between batches or not
  forked yet); --table prints every slice.

On 2 idle cores a --jobs 2 scan can take no less than (C + p) / 2 wall seconds, C the CPU seconds
of all processes and p those of the parent before it forks; the speed-up is at most the one-process
CPU seconds over that. Reports are written as the CLI writes them (compare them with `cmp`).
Run it once before measuring: with a cold compile cache the parent compiles the index before the
fork (~9 CPU s more in p), and reads the first two batches before it forks. Only --jobs 1 and 2 are summarised as above.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import os
import pickle
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def _minflt() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _cpu(who) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True, help="a benchmarks/corpus.py corpus folder")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=None, help="report prefix (default: a temporary folder)")
    ap.add_argument("--timeline", type=Path, default=None, help="also write every event to this file")
    ap.add_argument("--sample", type=float, default=0.1, help="slice seconds of the run-queue timeline (0: none)")
    ap.add_argument("--table", action="store_true", help="print the timeline slice by slice")
    ap.add_argument("--sampler", nargs=3, metavar=("PID", "WALL0", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.sampler:
        pid, wall0, out = args.sampler
        sample(int(pid), float(wall0), Path(out), args.sample / 5)
        return
    wall0 = time.perf_counter()

    log_path = args.timeline or Path(tempfile.mkdtemp(prefix="flagger-jobs-")) / "timeline.txt"
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
    samples_path = log_path.with_name(log_path.name + ".samples")
    sampler = None
    if args.sample > 0:
        sampler = subprocess.Popen([sys.executable, __file__, "--corpus", str(args.corpus), "--sample", str(args.sample),
                                    "--sampler", str(os.getpid()), repr(wall0), str(samples_path)])

    import flagger.forking as forking
    import flagger.scale.parallel as parallel
    from flagger.cli import entry
    from flagger.engine.phrases import PhraseIndex
    from flagger.scanner import ArticleScanner

    def log(*what) -> None:     # one write per line: lines of parent and workers do not interleave
        line = f"{time.perf_counter() - wall0:.3f} {time.process_time():.3f} {os.getpid()} " + " ".join(map(str, what))
        os.write(fd, (line + "\n").encode())

    learned = Counter()
    real_learn = PhraseIndex.learn

    def learn(self, tokens, lang, alts, floor=None):
        learned["words"] += len(tokens.difference(self._state(lang, floor).seen))
        return real_learn(self, tokens, lang, alts, floor)

    real_scan_batch = ArticleScanner.scan_batch

    batches_of = Counter()      # batches begun per process (a forked worker inherits its parent's counts)

    def scan_batch(self, batch, *args, **kwargs):
        first = batches_of[os.getpid()] == 0
        batches_of[os.getpid()] += 1
        since = [_minflt()]     # (a forked process's count starts at 0 when it is forked)
        if first:
            log("faults", "before_first", since[0])
        if kwargs.get("learned") is not None:
            real_learned = kwargs["learned"]

            def learned_hook():
                now = _minflt()
                log("faults", "first_learn", now - since[0])
                since[0] = now
                real_learned()
            kwargs["learned"] = learned_hook
        log("batch_start", len(batch))
        words = learned["words"]
        try:
            return real_scan_batch(self, batch, *args, **kwargs)
        finally:
            log("batch_end", len(batch), learned["words"] - words)
            log("faults", "first" if first else "later", _minflt() - since[0])

    real_fork_map = parallel.fork_map

    def fork_map(*a, **k):
        log("fork")
        phase_faults["before the fork"] += _minflt() - sum(phase_faults.values())    # (less reading the first batch)
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

    try:        # the batches' own encoding (flagger.scale.tasks), where they are not pickled: shown as pickle/unpickle
        import flagger.scale.tasks as tasks
        tasks.encode, tasks.decode = timed("pickle", tasks.encode), timed("unpickle", tasks.decode)
    except ImportError:     # (a snapshot from before d436d8e)
        pass

    PhraseIndex.learn, ArticleScanner.scan_batch, parallel.fork_map = learn, scan_batch, fork_map
    forking._receive = receive
    phases = Counter()          # the parent's CPU seconds per phase
    phase_faults = Counter()    # ... and its minor page faults

    def timed_phase(name, real, cpu=True):
        def step(*a, **k):
            c, f = time.process_time(), _minflt()
            try:
                return real(*a, **k)
            finally:
                if cpu:
                    phases[name] += time.process_time() - c
                phase_faults[name] += _minflt() - f
        return step

    reading = [0]   # timed_iter steps under way: scan_parallel takes as_records of what as_records gave (the
    #                 first batch read before the fork), and the inner step is the outer one's, not counted twice

    def timed_iter(name, iterable):
        it = iter(iterable)
        while True:
            outer = not reading[0]
            reading[0] += 1
            c, f = time.process_time(), _minflt()
            try:
                item = next(it)
            except StopIteration:
                return
            finally:
                reading[0] -= 1
                if outer:
                    phases[name] += time.process_time() - c
                    phase_faults[name] += _minflt() - f
            yield item

    def timed_as_records(records):
        return timed_iter("read", real_as_records(records))

    real_as_records, real_scan_parallel = parallel.as_records, parallel.scan_parallel
    parallel.as_records = timed_as_records
    if hasattr(parallel, "collapse_copies"):
        parallel.collapse_copies = timed_phase("group", parallel.collapse_copies)

    def scan_parallel(*a, **k):     # the time between its results: the consumer's (judging, writing)
        log("scan_parallel")
        it = real_scan_parallel(*a, **k)
        while True:
            try:
                item = next(it)
            except StopIteration:
                return
            c, f = time.process_time(), _minflt()
            yield item
            phases["downstream"] += time.process_time() - c
            phase_faults["downstream"] += _minflt() - f

    import flagger.pipeline as pipeline
    pipeline.scan_parallel = scan_parallel
    if hasattr(parallel, "pack"):       # (a snapshot from before flagger.scale.transport pickles results whole)
        parallel.pack = timed("pack", parallel.pack)
        parallel.unpack = timed_phase("unpack", timed("unpack", parallel.unpack), cpu=False)
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
    parent_cpu, workers_cpu = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)  # (the sampler not waited for yet)
    parent, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    if sampler is not None:
        sampler.terminate()
        sampler.wait()
    summarise(log_path, parent_cpu, workers_cpu, learned["words"])
    print("parent CPU s per phase: " + ", ".join(f"{k} {v:.2f}" for k, v in phases.items()) +
          f"; other (start-up, transport, forking) {parent_cpu - sum(phases.values()):.2f}")
    print(f"system CPU s: parent {parent.ru_stime:.2f}, workers {workers.ru_stime:.2f}; page faults (minor): "
          f"parent {parent.ru_minflt:,}, workers {workers.ru_minflt:,} (a forked worker's first write to each "
          f"page it shares copies it); max RSS: parent {parent.ru_maxrss / 1024:.0f} MB, largest worker "
          f"{workers.ru_maxrss / 1024:.0f} MB")
    faults_by_phase(log_path, parent.ru_minflt, phase_faults, workers.ru_minflt)
    if sampler is not None:
        cores(log_path, samples_path, args.sample, args.table)


def faults_by_phase(path: Path, parent_total: int, parent_phases: Counter, workers_total: int) -> None:
    """The minor page faults per process and phase (see the module's docstring)."""
    events = [line.split() for line in path.read_text().splitlines()]
    parent = events[-1][2]
    if not any(e[3] == "fork" for e in events if e[2] == parent):
        return
    first = {e[2] for e in events if e[3] == "faults" and e[4] == "first_learn"}
    worker: dict[str, Counter] = {"first": Counter(), "other": Counter()}
    for e in events:
        if e[2] != parent and e[3] == "faults":
            worker["first" if e[2] in first else "other"][e[4]] += int(e[5])
    names = {"before_first": "before its first batch", "first_learn": "first batch to its words learned",
             "first": "rest of the first batch (the others forked)", "later": "later batches"}
    others = {"before_first": "before their first batch", "first": "first batch", "later": "later batches"}
    inside = sum(sum(c.values()) for c in worker.values())
    parts = [f"{k} {v:,}" for k, v in parent_phases.items()]
    print("minor page faults by phase: parent: " + ", ".join(parts) + f", other {parent_total - sum(parent_phases.values()):,}"
          + "; first worker: " + ", ".join(f"{names[k]} {worker['first'][k]:,}" for k in names if k in worker["first"])
          + "; other workers: " + ", ".join(f"{others[k]} {worker['other'][k]:,}" for k in others if k in worker["other"])
          + f"; workers outside batches (packing, waiting, exiting) {workers_total - inside:,}")


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(map(int, f.read().split()))
        except OSError:         # it exited meanwhile
            continue
    return found


def _within(intervals: list[tuple[float, float]], t: float) -> bool:
    k = bisect.bisect_right(intervals, (t, float("inf"))) - 1
    return k >= 0 and intervals[k][0] <= t <= intervals[k][1]


def _causes(events, samples_path: Path, parent: str, workers: list[str], fork: float, end: float, ncores: int) -> None:
    """The core-seconds left idle after the fork (fewer than `ncores` of the scan's processes
    runnable at a sample), by what the processes that were not runnable were doing then."""
    batches: dict[str, list[tuple[float, float]]] = {w: [] for w in workers}
    waits: list[tuple[float, float]] = []
    started: dict[str, float] = {}
    for e in events:
        if e[2] in batches and e[3] == "batch_start":
            started[e[2]] = float(e[0])
        elif e[2] in batches and e[3] == "batch_end":
            batches[e[2]].append((started.pop(e[2]), float(e[0])))
        elif e[2] == parent and e[3] == "waited":
            waits.append((float(e[0]) - float(e[4]), float(e[0])))
    states: dict[float, dict[str, str]] = {}
    for line in samples_path.read_text().splitlines():
        t, pid, state, _n = line.split()
        states.setdefault(float(t), {})[pid] = state
    names = {parent: "parent", **{w: f"w{i + 1}" for i, w in enumerate(workers)}}
    idle: Counter = Counter()
    times = sorted(states)
    seen = {pid: min(t for t in times if pid in states[t]) for pid in workers}
    for t, t_next in itertools.pairwise(times):
        if t < fork or t >= end:
            continue
        now = states[t]
        left = ncores - min(ncores, sum(int(state[1:]) for state in now.values()))
        if not left:
            continue
        why = []
        for pid in (parent, *workers):
            name = names[pid]
            if pid not in now:
                why.append(f"{name} not forked yet" if t < seen.get(pid, end) else f"{name} exited")
            elif now[pid][0] == "R":
                continue
            elif pid == parent:
                why.append("parent waits for a result" if _within(waits, t) else f"parent {now[pid][0]} not waiting")
            else:
                why.append(f"{name} {now[pid][0]} in a batch" if _within(batches[pid], t) else f"{name} between batches")
        idle[", ".join(why) or "other processes"] += left * (t_next - t)
    print(f"  left idle after the fork, {sum(idle.values()):.2f} core-s, by what the processes not runnable did:")
    for why, seconds in idle.most_common(8):
        print(f"    {seconds:5.2f}  {why}")


def sample(root: int, wall0: float, out: Path, period: float) -> None:
    """Every `period` s until stopped: each process of `root`'s tree, its state and CPU ticks
    (user + system, /proc/<pid>/stat), as "seconds-since-wall0 pid state ticks" lines; the state
    is R and how many of its threads run or wait for a core ("R2"), else its main thread's ("S0")."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    lines = []
    try:
        while True:
            t = time.perf_counter() - wall0
            for pid in _descendants(root):
                if pid == os.getpid():
                    continue
                try:
                    with open(f"/proc/{pid}/stat") as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    running = 0         # its threads running or runnable (polars' and numpy's too)
                    for task in os.listdir(f"/proc/{pid}/task"):
                        with open(f"/proc/{pid}/task/{task}/stat") as f:
                            running += f.read().rsplit(")", 1)[1].split()[0] == "R"
                except OSError:
                    continue
                lines.append(f"{t:.4f} {pid} {'R' if running else fields[0]}{running} {int(fields[11]) + int(fields[12])}")
            time.sleep(period)
    finally:
        out.write_text("\n".join(lines) + "\n")


def cores(log_path: Path, samples_path: Path, step: float, table: bool) -> None:
    """Core-seconds used and left idle per stage of the run, from the sampler's CPU ticks."""
    events = [line.split() for line in log_path.read_text().splitlines()]
    parent, end = events[-1][2], float(events[-1][0])
    hz = os.sysconf("SC_CLK_TCK")
    ticks: dict[str, list[tuple[float, int]]] = {}
    runnable: dict[float, int] = Counter()      # per sample: processes running or waiting for a core
    for line in samples_path.read_text().splitlines():
        t, pid, state, n = line.split()
        ticks.setdefault(pid, []).append((float(t), int(n)))
        runnable[float(t)] += int(state[1:])
    n_slices = int(end / step) + 1
    wanted, samples = [0.0] * n_slices, [0] * n_slices   # per slice: mean of min(cores, runnable)
    used: dict[str, list[float]] = {}
    for pid, series in ticks.items():
        row = [0.0] * n_slices
        if pid != parent:       # forked during the run: its ticks up to its first sample are the run's
            row[min(n_slices - 1, int(series[0][0] / step))] += series[0][1] / hz
        for (_t0, n0), (t1, n1) in itertools.pairwise(series):
            if n1 > n0:
                row[min(n_slices - 1, int(t1 / step))] += (n1 - n0) / hz
        used[pid] = row
    workers = list(dict.fromkeys(e[2] for e in events if e[2] != parent and e[3] == "batch_start"))
    fork = next((float(e[0]) for e in events if e[2] == parent and e[3] == "fork"), end)
    joined = next((float(e[0]) for e in events if e[2] == parent and e[3] == "joined"), end)
    firsts = {}
    for e in events:
        if e[2] != parent and e[3] == "batch_start":
            firsts.setdefault(e[2], float(e[0]))
    second = sorted(firsts.values())[1] if len(firsts) > 1 else joined
    no_batch = {pid: [step] * n_slices for pid in workers}      # seconds of each slice without a batch
    started = {}
    for e in events:
        if e[2] in no_batch and e[3] == "batch_start":
            started[e[2]] = float(e[0])
        elif e[2] in no_batch and e[3] == "batch_end":
            t0, t1 = started.pop(e[2]), float(e[0])
            for k in range(int(t0 / step), min(n_slices, int(t1 / step) + 1)):
                no_batch[e[2]][k] -= max(0.0, min(t1, (k + 1) * step) - max(t0, k * step))
    waiting = [0.0] * n_slices
    for e in events:
        if e[2] == parent and e[3] == "waited":
            t1 = float(e[0])
            t0 = t1 - float(e[4])
            for k in range(int(t0 / step), min(n_slices, int(t1 / step) + 1)):
                waiting[k] += max(0.0, min(t1, (k + 1) * step) - max(t0, k * step))
    ncores = len(os.sched_getaffinity(0))
    for t, n in runnable.items():
        if t < end:
            wanted[int(t / step)] += min(ncores, n)
            samples[int(t / step)] += 1
    wanted = [w / n if n else 0.0 for w, n in zip(wanted, samples, strict=True)]   # (no sample: not counted)
    total = [sum(row[k] for row in used.values()) for k in range(n_slices)]
    others = [pid for pid in used if pid != parent and pid not in workers]
    names = {parent: "parent", **{w: f"w{i + 1}" for i, w in enumerate(workers)}}
    if table:
        print("slice  " + " ".join(f"{names[p]:>6}" for p in [parent, *workers]) + "  others   sum  runnable | no batch: "
              + " ".join(names[w] for w in workers) + " | parent waits")
        for k in range(n_slices):
            print(f"{k * step:5.1f}  " + " ".join(f"{used.get(p, [0.0] * n_slices)[k] / step:6.2f}" for p in [parent, *workers])
                  + f"  {sum(used[p][k] for p in others) / step:6.2f} {total[k] / step:5.2f}  {wanted[k]:8.2f} | "
                  + " ".join(f"{no_batch[w][k] / step:.2f}" for w in workers) + f" | {waiting[k] / step:.2f}")
    print(f"cores used (of {ncores}), sampled every {step / 5:.3f} s, per stage: wall s, core-s used, core-s idle; "
          f"core-s left idle by the scan (fewer than {ncores} of its processes runnable: what other load does not "
          f"explain):")
    for name, a, b in (("before the fork", 0.0, fork), ("fork to the second worker's first batch", fork, second),
                       ("second worker's first batch to the join", second, joined), ("after the join", joined, end)):
        ks = range(int(a / step), min(n_slices, int(b / step)))
        got = sum(total[k] for k in ks)
        starved = sum(ncores - wanted[k] for k in ks if samples[k]) * step
        unsampled = sum(not samples[k] for k in ks) * step
        print(f"  {name}: {b - a:.2f} s, {got:.2f} used, {ncores * len(ks) * step - got:.2f} idle; "
              f"left idle {starved:.2f}" + (f" (in the {(len(ks) * step) - unsampled:.1f} s sampled)" if unsampled else ""))
    ks = range(int(second / step), min(n_slices, int(joined / step)))
    lost = [(ncores - wanted[k]) * step if samples[k] else 0.0 for k in ks]
    short = [k for k in ks if any(no_batch[w][k] > 0.2 * step for w in workers)]
    _causes(events, samples_path, parent, workers, fork, end, ncores)
    print(f"  in the parallel phase: left idle {sum(lost):.2f} core-s; {sum(lost[k - ks[0]] for k in short):.2f} of it in "
          f"slices where a worker had no batch (for {sum(sum(no_batch[w][k] for w in workers) for k in ks):.2f} "
          f"worker-s in all); parent waited {sum(waiting[k] for k in ks):.2f} s")


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
    entered = next(((float(e[0]), float(e[1])) for e in events if e[2] == parent and e[3] == "scan_parallel"), fork)
    print(f"before the fork (one core): wall {fork[0]:.2f} s, parent CPU {fork[1]:.2f} s (in scan_parallel, reading the "
          f"first batch and the record after it: wall {fork[0] - entered[0]:.2f} s, CPU {fork[1] - entered[1]:.2f} s); "
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
