"""flagger.scale.tasks: a batch of records crosses to a --jobs worker as its field values (marshal),
and comes back equal, of the same types, whatever the records hold (what marshal would not give
back exactly goes by pickle)."""

from __future__ import annotations

import datetime
import marshal
import sys
from dataclasses import dataclass

import pytest

from flagger.model import Record
from flagger.records import as_records
from flagger.scale import tasks


def _batch(n=20):
    return list(as_records(
        [{"id": f"r{i}", "text": f"Article {i} — “quoted” text, ünïcode and ASCII.", "title": f"T{i}",
          "url": f"https://example.com/{i}", "published": "2026-01-01", "source": "herald"} for i in range(n)]
        + [{"id": "bad"}]))


def _how(data: bytes) -> str:
    return marshal.loads(data)[0]


def _same(got: list, batch: list) -> None:
    assert got == batch
    assert [type(r) for r in got] == [type(r) for r in batch]
    for new, old in zip(got, batch, strict=True):
        assert vars(new).keys() == vars(old).keys()
        assert [type(v) for v in vars(new).values()] == [type(v) for v in vars(old).values()]


def test_a_batch_of_plain_records_goes_as_field_values_and_comes_back_equal():
    batch = _batch()
    data = tasks.encode(batch)
    assert isinstance(data, bytes) and _how(data) == "flat"
    got = tasks.decode(data)
    _same(got, batch)
    assert got[-1].error and got[-1].text == ""          # a record that failed to read, as it was


def test_input_fields_kept_in_extra_go_flat_with_every_json_value():
    batch = _batch(3)
    batch[0].extra = {"tags": ["a", "b"], "meta": {"n": 1, "x": 1.5, "ok": True, "none": None}, "big": 10 ** 30}
    batch[1].line, batch[1].origin = 7, "in.jsonl"
    data = tasks.encode(batch)
    assert _how(data) == "flat"
    _same(tasks.decode(data), batch)


def test_text_with_lone_surrogates_and_nul_comes_back_as_it_was():
    batch = _batch(2)
    batch[0].text = "a\ud800b\udc00c\x00 \U0001f600"      # (two lone surrogates, not one pair)
    got = tasks.decode(tasks.encode(batch))
    assert got[0].text == batch[0].text and len(got[0].text) == len(batch[0].text)


def test_an_empty_batch():
    assert tasks.decode(tasks.encode([])) == []


class _Text(str):
    pass


@dataclass
class _Article(Record):
    section: str = ""


def _subclass(batch):
    batch[1] = _Article(id="sub", text="a subclass", section="world")


def _attribute(batch):
    batch[1].note = "an attribute that is not a field"


def _str_subclass(batch):
    batch[1].text = _Text("a str subclass")


def _bytearray(batch):
    batch[1].extra = {"raw": bytearray(b"marshal writes this as bytes")}


def _date(batch):
    batch[1].extra = {"when": datetime.date(2026, 1, 1)}


def _deep_subclass(batch):
    batch[1].extra = {"a": [{"b": (1, _Text("deep"))}]}


def _list_field(batch):
    batch[1].line = [1, 2]


def _shared(batch):
    shared = ["one list, twice"]
    batch[1].extra = {"a": shared, "b": shared}


def _cycle(batch):
    loop: list = []
    loop.append(loop)
    batch[1].extra = {"loop": loop}


def _field_deleted_and_another_set(batch):
    # as many attributes as fields, one of them not a field: Record.text's class default would
    # have stood in for the deleted field, and the other attribute been lost
    del batch[1].text
    batch[1].note = "in the deleted field's place"


@pytest.mark.parametrize("change", [_subclass, _attribute, _str_subclass, _bytearray, _date, _deep_subclass,
                                    _list_field, _shared, _cycle, _field_deleted_and_another_set])
def test_a_batch_that_is_not_plain_goes_by_pickle_as_it_is(change):
    batch = _batch(4)
    change(batch)
    data = tasks.encode(batch)
    assert _how(data) == "pickled"
    got = tasks.decode(data)
    if change is _cycle:
        loop = got[1].extra["loop"]
        assert loop[0] is loop and got[:1] == batch[:1] and got[2:] == batch[2:]
        return
    _same(got, batch)
    if change is _shared:
        assert got[1].extra["a"] is got[1].extra["b"]


def test_the_parents_texts_do_not_keep_a_utf8_copy():
    # pickle caches each non-ASCII text's UTF-8 form in the string (the parent's records held ~4.6 MB
    # more per 1,000-article batch in flight); marshal encodes it without keeping it
    batch = _batch(5)
    sizes = [sys.getsizeof(r.text) for r in batch]
    tasks.encode(batch)
    assert [sys.getsizeof(r.text) for r in batch] == sizes


def test_what_is_not_an_encoded_batch_is_refused():
    with pytest.raises(ValueError, match="not an encoded batch"):
        tasks.decode(marshal.dumps(("something else", [])))
    with pytest.raises((ValueError, EOFError, TypeError)):
        tasks.decode(b"\x00garbage")
