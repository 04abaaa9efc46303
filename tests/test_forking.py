"""flagger.forking.fork_map: how items and results cross the pipes (the items' `encode`/`decode`,
results that are bytes sent as they are), and that errors on the way are the item's, raised in the
parent, with no worker left. (Order, inheritance, dying workers and early stops:
tests/scale/test_parallel.py.)"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading

import pytest

from flagger import forking
from flagger.forking import fork_map

pytestmark = pytest.mark.skipif(not forking.can_fork(), reason="forks")


def _encode(item: dict) -> bytes:
    return json.dumps(item).encode()


def _decode(data: bytes) -> dict:
    return {**json.loads(data), "decoded in": os.getpid()}


def _work(item: dict) -> tuple[int, int]:
    return item["n"] * 2, item["decoded in"]


def _first(item: dict, fork_rest) -> tuple[int, int]:
    fork_rest()
    return _work(item)


@pytest.mark.parametrize("first", [None, _first])
def test_items_cross_as_encode_writes_them_and_are_decoded_in_the_worker(first):
    items = [{"n": n} for n in range(9)]
    got = list(fork_map(_work, items, 2, first=first, encode=_encode, decode=_decode))
    assert [item for item, _r in got] == items                     # the parent's own items, in order
    assert [value for _i, (value, _pid) in got] == [2 * n for n in range(9)]
    assert os.getpid() not in {pid for _i, (_v, pid) in got}       # decoded there, not here
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize(("first", "failing"), [(None, 4), (lambda item, fork_rest: -item, 4),
                                                 (lambda item, fork_rest: -item, 0)])
def test_an_encode_that_fails_raises_here_and_leaves_no_worker(first, failing):
    def encode(item: int) -> bytes:
        if item == failing:
            raise ValueError(f"cannot write {failing}")
        return bytes([item])

    with pytest.raises(ValueError, match=f"cannot write {failing}"):
        list(fork_map(int.__neg__, range(9), 2, first=first, encode=encode, decode=lambda data: data[0]))
    assert multiprocessing.active_children() == []


def test_an_encode_that_gives_no_bytes_is_refused_here():
    # (what the queue's thread would pickle could fail there, out of the caller's sight)
    with pytest.raises(TypeError, match="gave bytearray, not bytes"):
        list(fork_map(len, ["ab", "cd"], 2, encode=lambda s: bytearray(s.encode()), decode=bytes.decode))
    assert multiprocessing.active_children() == []


def _decode_fails_on_three(data: bytes) -> int:
    if data == b"3":
        raise ValueError("cannot read 3")
    return int(data)


@pytest.mark.parametrize("first", [None, lambda item, fork_rest: item])
def test_a_decode_that_fails_is_the_items_error_raised_here(first):
    items = [3, 1, 2] if first else [1, 2, 3, 4]        # (with first: the first item's)
    with pytest.raises(ValueError, match="cannot read 3"):
        list(fork_map(abs, items, 2, first=first, encode=lambda n: str(n).encode(), decode=_decode_fails_on_three))
    assert multiprocessing.active_children() == []


def test_the_default_is_pickle_and_workers_still_inherit_what_cannot_be_pickled():
    lock = threading.Lock()

    def work(item):
        with lock:
            return type(item).__name__, item

    items = [1, "two", (3.0, None), {"four": [4]}]
    assert [value for _i, (_name, value) in fork_map(work, items, 2)] == items


def test_results_that_are_bytes_come_back_as_they_are_and_others_as_pickled():
    def work(n: int):
        return [bytes(range(n)), bytearray(b"ba"), memoryview(b"mv").tobytes(), {"n": n}, None][n % 5]

    got = [value for _i, value in fork_map(work, range(10), 2)]
    assert got == [work(n) for n in range(10)]
    assert [type(v) for v in got] == [type(work(n)) for n in range(10)]


def test_a_result_that_cannot_be_pickled_is_reported_not_lost():
    def work(n: int):
        return threading.Lock() if n == 2 else n

    with pytest.raises(TypeError, match="lock"):
        list(fork_map(work, range(5), 2))
    assert multiprocessing.active_children() == []


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("no")


def test_an_exception_that_cannot_be_pickled_comes_back_by_its_name_and_message():
    def work(n: int):
        if n == 1:
            raise _Unpicklable("odd one")
        return n

    with pytest.raises(RuntimeError, match="_Unpicklable: odd one"):
        list(fork_map(work, range(4), 2))
    assert multiprocessing.active_children() == []
