"""Work spread over forked processes that inherit the caller's state (`fork_map`).

A compiled index or name index is hundreds of MB of Python objects: pickling it to each worker
would cost more than the work. So the workers are forked *after* it is built and get it as the
target of their `Process`, which fork hands over as it is (copy-on-write, never pickled); only
the items and results cross the pipes. Used by `flagger.scale.parallel` (`--jobs`) and by
`NameIndex.screen`.

What a worker builds while it works (the words a `--jobs` worker learns) is its own. With
`first`, the first item is worked on by one worker alone and the others are forked *from it*
once it has built what that item needs (`fork_rest()`), so they inherit it instead of building
it again; they are that worker's children, and the parent watches them through a pipe each
(its end closes when they exit) and stops them by their process id.

What crosses the pipes: each item as `(seq, encode(item))`, bytes (`encode` pickles it by default;
the caller may give a flatter form, as `--jobs` does for its batches of records: what fails to be
written fails in the caller, not in the queue's feeder thread, which pickles only that tuple); each
result as `(seq, how, data)`: a result that is bytes as it is (the packed results of `--jobs`:
no second pickle around them), any other, and an exception, pickled in the worker first, so that
one that cannot be pickled is reported instead of lost in the feeder thread.

Shutdown: once every result is in, each worker takes a `None` and exits. On an error or an
early stop every worker is terminated, then joined, and the parent never waits for a queue's
lock: `Pool.terminate()` takes the task queue's read lock, which a worker holds while it waits
for a task and a killed worker holds forever (a `--jobs 2` scan hung that way). A worker that
dies mid-run is reported (`RuntimeError`), not waited for.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import os
import pickle
import queue
import select
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
             in_flight: int | None = None, first: Callable[[T, Callable[[], None]], R] | None = None,
             prepare: Callable[[], None] | None = None, idle: Callable[[], bool] | None = None,
             encode: Callable[[T], bytes] | None = None, decode: Callable[[bytes], T] | None = None
             ) -> Iterator[tuple[T, R]]:
    """`(item, work(item))` for every item, in input order, computed by `processes` forked workers.

    `work` (a bound method or partial carrying the caller's state) reaches the workers by fork.
    `items` is read as room frees: at most `in_flight` items (default `2 × processes`) are
    sent and not yet yielded, so memory stays bounded however many come. An exception raised
    by `work` is raised here; a worker that dies raises `RuntimeError`. Needs `can_fork()`.

    `first(item, fork_rest)`: the first item's result, computed by one worker alone, which forks
    the other `processes - 1` when `first` calls `fork_rest()` (or once it returns): they start
    with what that worker built for the first item. `prepare()` (with `first` only): run by that
    worker as soon as it starts, before it waits for the first item (the caller reads it
    meanwhile): what it builds, the others inherit too. An exception it raises is the first
    item's (raised here). `idle()`: called here, step by step, while the next result is awaited
    and none has come (the caller's work ahead, on a core the workers leave free); it returns
    whether it did something (False: nothing to do now).

    `encode(item)` (here) gives the `bytes` an item crosses the pipe as, `decode(data)` (in the
    worker) the item again; by default the item is pickled. An exception `encode` raises is
    raised here; one `decode` raises, as the item's (as `work`'s). A result that is `bytes`
    crosses as it is; any other is pickled in the worker."""
    encode = _pickled if encode is None else encode
    decode = _unpickled if decode is None else decode
    limit = 2 * processes if in_flight is None else max(1, in_flight)
    ctx = mp.get_context("fork")
    tasks, results = ctx.Queue(), ctx.Queue()
    lives = [os.pipe() for _ in range(processes - 1)] if first is not None else []   # (read, write) a forked-later worker
    if first is None:
        workers = [ctx.Process(target=_serve, args=(work, decode, tasks, results), daemon=True)
                   for _ in range(processes)]
    else:
        workers = [ctx.Process(target=_serve_first, args=(first, work, decode, tasks, results, lives, prepare),
                               daemon=True)]
    later = _Later([r for r, _w in lives])
    # What the workers inherit (the compiled index: millions of objects) is moved out of the cyclic
    # collector's reach first: a collection in a worker walked all of it, writing to every object's
    # header, so each worker copied the parent's whole heap page by page (copy-on-write).
    gc.freeze()
    try:
        for w in workers:
            w.start()
    finally:
        for _r, w_end in lives:       # held by the first worker, then by the worker forked for it only
            os.close(w_end)
    sent: deque = deque()            # items sent and not yet yielded, oldest first
    early: dict[int, object] = {}    # results that came back before an older item's
    finished = False
    try:
        done = 0                     # sequence number of the oldest item sent and not yielded
        for seq, item in enumerate(items):
            tasks.put((seq, _encoded(encode, item)))     # an item it cannot write raises here
            sent.append(item)
            while len(sent) > limit:
                yield sent.popleft(), _result(done, early, results, workers, later, idle)
                done += 1
        while sent:
            yield sent.popleft(), _result(done, early, results, workers, later, idle)
            done += 1
        for _ in range(processes):
            tasks.put(None)
        for w in workers:
            w.join()                        # the first worker waits for those it forked
        finished = True
    finally:
        if not finished:
            later.terminate()
            for w in workers:
                w.terminate()
            for w in workers:
                w.join(_TERMINATE_GRACE_SECONDS)
                if w.is_alive():            # SIGTERM handled or deferred in the worker: SIGKILL cannot be
                    w.kill()
                    w.join()
            later.wait(_TERMINATE_GRACE_SECONDS)
            tasks.cancel_join_thread()      # items no worker will read: do not wait to flush them
        later.close()
        tasks.close()
        results.close()
        gc.unfreeze()


def _result(seq: int, early: dict, results, workers, later: _Later, idle: Callable[[], bool] | None = None):
    """Item `seq`'s result: from the results that came back early, else read until it comes
    (calling `idle()` while none has come and it has something to do)."""
    while seq not in early:
        while idle is not None and results.empty() and idle():
            pass
        done, how, data = _receive(results, workers, later)
        if how == _FAILED:
            raise pickle.loads(data)
        early[done] = data if how == _AS_IS else pickle.loads(data)
    return early.pop(seq)


def _receive(results, workers, later: _Later) -> tuple[int, int, bytes]:
    while True:
        try:
            return results.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            dead = [w.exitcode for w in workers if w.exitcode is not None]
            if dead:
                raise RuntimeError(f"a worker process died (exit code {dead[0]})") from None
            if later.gone():
                raise RuntimeError("a worker process died (forked by the first worker: exit code unknown)") from None


class _Later:
    """The parent's view of the workers the first worker forks (`fork_map(first=...)`): per worker
    the read end of a pipe whose only write end it holds. The first worker writes the new
    worker's process id into it; it reads as closed once that worker has exited."""

    def __init__(self, ends: list[int]) -> None:
        self.ends = ends
        self.pids: dict[int, int] = {}      # read end -> process id
        self.closed: set[int] = set()       # read ends whose worker has exited

    def _poll(self, timeout: float = 0.0) -> None:
        open_ends = [r for r in self.ends if r not in self.closed]
        if not open_ends:
            return
        for r in select.select(open_ends, [], [], timeout)[0]:
            data = os.read(r, 8)
            if data:
                self.pids[r] = int.from_bytes(data, "little")
            else:
                self.closed.add(r)

    def gone(self) -> bool:
        """Whether one of them has exited (before the parent asked them to stop: it died)."""
        self._poll()
        return bool(self.closed)

    def terminate(self) -> None:
        self._poll()
        for r, pid in self.pids.items():
            if r not in self.closed:
                _signal(pid, signal.SIGTERM)

    def wait(self, grace: float) -> None:
        """Waits up to `grace` seconds for them to exit, then kills those still running."""
        for _ in range(int(grace / 0.05)):
            self._poll(0.05)
            if all(r in self.closed for r in self.pids):
                return
        for r, pid in self.pids.items():
            if r not in self.closed:
                _signal(pid, signal.SIGKILL)

    def close(self) -> None:
        for r in self.ends:
            os.close(r)
        self.ends = []


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def _serve(work, decode, tasks, results) -> None:
    """A worker: items from `tasks` until a None, each decoded and worked on, its result (or
    exception) put on `results` as `_reply` writes it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is the parent's to handle: it stops us
    # A handler the parent installed for itself (the CLI turns SIGTERM into SystemExit to remove
    # half-written reports) must not decide how a worker stops: terminate() means stop now.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while (task := tasks.get()) is not None:
        seq, data = task
        results.put(_reply(seq, _decoded, work, decode, data))


# how a reply's data holds a result: the result itself (bytes), the result pickled, the exception pickled
_AS_IS, _PICKLED, _FAILED = 0, 1, 2


def _reply(seq: int, call, *args) -> tuple[int, int, bytes]:
    """`(seq, how, data)`: `call(*args)`'s result or exception, in a form the queue's feeder thread
    can always write (bytes), so that one that cannot be pickled is reported, not lost there. A
    result that is bytes is sent as it is, without another copy pickled around it."""
    try:
        value = call(*args)
        if type(value) is bytes:
            return seq, _AS_IS, value
        return seq, _PICKLED, _pickled(value)
    except Exception as exc:
        try:
            return seq, _FAILED, _pickled(exc)
        except Exception:
            return seq, _FAILED, _pickled(RuntimeError(f"{type(exc).__name__}: {exc}"))


def _encoded(encode, item) -> bytes:
    """`encode(item)`, checked to be bytes (what the queue's thread pickles cannot fail there)."""
    data = encode(item)
    if type(data) is not bytes:
        raise TypeError(f"fork_map's encode gave {type(data).__name__}, not bytes")
    return data


def _decoded(work, decode, data: bytes, *args):
    return work(decode(data), *args)


def _pickled(value) -> bytes:
    return bytes(ForkingPickler.dumps(value))


def _unpickled(data: bytes):
    return pickle.loads(data)


def _raise(exc: BaseException):
    raise exc


def _serve_first(first, work, decode, tasks, results, lives: list[tuple[int, int]], prepare=None) -> None:
    """The first worker of `fork_map(first=...)`: the first item by `first(item, fork_rest)`, the
    rest as `_serve` does; `fork_rest` forks the other workers from this one (once). Nothing has
    been put on `results` yet when they are forked (no queue thread runs), and each of them
    exits with `os._exit` once its results are flushed, never returning into this worker's stack."""
    for r, _w in lives:
        os.close(r)
    collector = gc.isenabled()          # (`first` may fork while a batch has the collector paused)
    children: list[int] = []
    forked = False

    def fork_rest() -> None:
        nonlocal forked
        if forked:
            return
        forked = True
        for i, (_r, w_end) in enumerate(lives):
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    for _r2, other in lives[i + 1:]:
                        os.close(other)
                    if collector:
                        gc.enable()
                    gc.freeze()         # what it inherits stays out of its collections, as fork_map does
                    _serve(work, decode, tasks, results)
                    results.close()
                    results.join_thread()
                    code = 0
                finally:
                    os._exit(code)
            children.append(pid)
            os.write(w_end, pid.to_bytes(8, "little"))
            os.close(w_end)

    failed = None
    if prepare is not None:
        try:
            prepare()
        except Exception as exc:        # the first item's error: reported, not a worker that died
            failed = exc
    task = tasks.get()
    if task is not None:
        seq, data = task
        reply = _reply(seq, _decoded, first, decode, data, fork_rest) if failed is None else _reply(seq, _raise, failed)
        fork_rest()
        results.put(reply)
        _serve(work, decode, tasks, results)
    for pid in children:
        os.waitpid(pid, 0)
