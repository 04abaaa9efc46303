"""Work spread over forked processes that inherit the caller's state (`fork_map`).

A compiled index or name index is hundreds of MB of Python objects: pickling it to each worker
would cost more than the work. So the workers are forked *after* it is built and get it as the
target of their `Process`, which fork hands over as it is (copy-on-write, never pickled); only
the items and results cross the pipes. Used by `flagger.scale.parallel` (`--jobs`) and by
`NameIndex.screen`.

Shutdown: once every result is in, each worker takes a `None` and exits. On an error or an
early stop every worker is terminated, then joined, and the parent never waits for a queue's
lock: `Pool.terminate()` takes the task queue's read lock, which a worker holds while it waits
for a task and a killed worker holds forever (a `--jobs 2` scan hung that way). A worker that
dies mid-run is reported (`RuntimeError`), not waited for.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import pickle
import queue
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.reduction import ForkingPickler
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_POLL_SECONDS = 1.0     # how often a parent waiting for a result checks that its workers live
_TERMINATE_GRACE_SECONDS = 5.0   # how long a terminated worker may take to exit before it is killed


def can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


def fork_map(work: Callable[[T], R], items: Iterable[T], processes: int,
             in_flight: int | None = None) -> Iterator[tuple[T, R]]:
    """`(item, work(item))` for every item, in input order, computed by `processes` forked workers.

    `work` (a bound method or partial carrying the caller's state) reaches the workers by fork.
    `items` is read as room frees: at most `in_flight` items (default `2 × processes`) are
    sent and not yet yielded, so memory stays bounded however many come. An exception raised
    by `work` is raised here; a worker that dies raises `RuntimeError`. Needs `can_fork()`."""
    limit = 2 * processes if in_flight is None else max(1, in_flight)
    ctx = mp.get_context("fork")
    tasks, results = ctx.Queue(), ctx.Queue()
    workers = [ctx.Process(target=_serve, args=(work, tasks, results), daemon=True) for _ in range(processes)]
    # What the workers inherit (the compiled index: millions of objects) is moved out of the cyclic
    # collector's reach first: a collection in a worker walked all of it, writing to every object's
    # header, so each worker copied the parent's whole heap page by page (copy-on-write).
    gc.freeze()
    for w in workers:
        w.start()
    sent: deque = deque()            # items sent and not yet yielded, oldest first
    early: dict[int, object] = {}    # results that came back before an older item's
    finished = False
    try:
        done = 0                     # sequence number of the oldest item sent and not yielded
        for seq, item in enumerate(items):
            tasks.put(bytes(ForkingPickler.dumps((seq, item))))    # an unpicklable item raises here
            sent.append(item)
            while len(sent) > limit:
                yield sent.popleft(), _result(done, early, results, workers)
                done += 1
        while sent:
            yield sent.popleft(), _result(done, early, results, workers)
            done += 1
        for _ in workers:
            tasks.put(None)
        for w in workers:
            w.join()
        finished = True
    finally:
        if not finished:
            for w in workers:
                w.terminate()
            for w in workers:
                w.join(_TERMINATE_GRACE_SECONDS)
                if w.is_alive():            # SIGTERM handled or deferred in the worker: SIGKILL cannot be
                    w.kill()
                    w.join()
            tasks.cancel_join_thread()      # items no worker will read: do not wait to flush them
        tasks.close()
        results.close()
        gc.unfreeze()


def _result(seq: int, early: dict, results, workers):
    """Item `seq`'s result: from the results that came back early, else read until it comes."""
    while seq not in early:
        done, ok, value = pickle.loads(_receive(results, workers))
        if not ok:
            raise value
        early[done] = value
    return early.pop(seq)


def _receive(results, workers) -> bytes:
    while True:
        try:
            return results.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            dead = [w.exitcode for w in workers if w.exitcode is not None]
            if dead:
                raise RuntimeError(f"a worker process died (exit code {dead[0]})") from None


def _serve(work, tasks, results) -> None:
    """A worker: items from `tasks` until a None, each result (or exception) pickled here, so
    that one that cannot be pickled is reported instead of lost in the queue's feeder thread."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is the parent's to handle: it stops us
    # A handler the parent installed for itself (the CLI turns SIGTERM into SystemExit to remove
    # half-written reports) must not decide how a worker stops: terminate() means stop now.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while (task := tasks.get()) is not None:
        seq, item = pickle.loads(task)
        try:
            reply = ForkingPickler.dumps((seq, True, work(item)))
        except Exception as exc:
            try:
                reply = ForkingPickler.dumps((seq, False, exc))
            except Exception:
                reply = ForkingPickler.dumps((seq, False, RuntimeError(f"{type(exc).__name__}: {exc}")))
        results.put(bytes(reply))
