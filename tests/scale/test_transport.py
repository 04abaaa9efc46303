"""What a --jobs worker sends back for a batch comes back in the parent as the same results."""

from __future__ import annotations

import gc
import pickle

import pytest

from flagger.model import ArticleResult, Contribution, EntityMatch, Hit, Record
from flagger.scale.transport import pack, unpack


def _batch() -> list[Record]:
    return [Record(id=f"r{i}", text=f"Text {i} about KOMID.", title=f"T{i}", url=f"https://x.test/{i}",
                   published="2026-01-02", source="wire", origin="in.jsonl", line=i + 1,
                   extra={"lang_hint": "en", "n": [i, 2.5, None]}) for i in range(3)]


def _results(batch: list[Record]) -> list[ArticleResult]:
    """Every field of every class set, no two alike, so a field read into another's place shows."""
    def hit(i: int, k: int) -> Hit:
        return Hit(article_id=f"r{i}", rule_id=f"rule{k}", category="arms", severity="high", term=f"term{k}",
                   matched_text=f"match{k}", start=k, end=k + 5, similarity=91.25 + k, modifiers="hedged",
                   snippet=f"...snippet {k}...", kind="entity" if k % 2 else "term", entity_id=f"E{k}",
                   entity_list="list.csv", line=k + 2, field="title" if k % 2 else "text")

    def entity(k: int) -> EntityMatch:
        return EntityMatch(entity_id=f"E{k}", name=f"Name {k}", matched_name=f"Alias {k}", type="org",
                           list="list.csv", programs=["DPRK", f"P{k}"], similarity=88.5 + k,
                           matched_text=f"alias {k}", start=k * 3, end=k * 3 + 7, explanation=f"why {k}",
                           field="text")

    def contribution(k: int) -> Contribution:
        return Contribution(source=f"rule{k}", kind="rule", weight=1.5 + k, similarity=0.9, proximity=0.75,
                            modifier=0.5, entity_bonus=0.25 * k, points=12.0 + k, note=f"note {k}",
                            group="arms")

    return [ArticleResult(record=record, language="en", score=10.0 * i + 0.5, level=("none", "low", "high")[i],
                          rules=[f"rule{k}" for k in range(i)], categories=["arms"] * i,
                          entities=[entity(k) for k in range(i)], hits=[hit(i, k) for k in range(i + 1)],
                          evidence=[f"evidence {k}" for k in range(i)],
                          contributions=[contribution(k) for k in range(i)])
            for i, record in enumerate(batch)]


def test_results_come_back_equal_with_the_parents_own_records():
    batch = _batch()
    expected = pickle.loads(pickle.dumps(_results(batch)))
    data = pack(_results(batch), batch)
    got = unpack(data, batch)
    assert got == expected
    assert all(result.record is record for result, record in zip(got, batch, strict=True))
    assert [type(h) for r in got for h in r.hits] == [Hit] * 6
    assert data[:1] == b"m"                       # the flat form, not pickle
    assert b"Text 0 about KOMID" not in data      # records the parent holds are not sent back


def test_a_record_the_scanner_replaced_comes_back_as_replaced():
    batch = _batch()
    results = _results(batch)
    failed = Record(id="r1", origin="in.jsonl", line=2, error="in.jsonl:2: internal error: boom",
                    extra={"kept": True})
    results[1].record = failed
    got = unpack(pack(results, batch), batch)
    assert got[1].record == failed and got[1].record is not batch[1]
    assert got[0].record is batch[0] and got[2].record is batch[2]


def test_an_empty_batch_packs_and_unpacks():
    assert unpack(pack([], []), []) == []


class _TaggedHit(Hit):
    pass


def _with_float_subclass(results):
    results[2].hits[0].similarity = _Similarity(93.5)    # a value marshal cannot write


class _Similarity(float):
    pass


@pytest.mark.parametrize(("change", "kind"), [
    (lambda results: setattr(results[1], "note", "set by a plug-in"), b"p"),                  # not a field
    (lambda results: results[2].hits.__setitem__(0, _TaggedHit(**vars(results[2].hits[0]))), b"p"),   # a subclass
    (_with_float_subclass, b"f"),       # plain objects: their values go flat, by pickle
], ids=["extra-attribute", "subclass", "unmarshallable-value"])
def test_results_that_are_not_plain_go_by_pickle_and_come_back_as_they_were(change, kind):
    batch = _batch()
    results = _results(batch)
    change(results)
    expected = pickle.loads(pickle.dumps(results))
    data = pack(results, batch)
    assert data[:1] == kind
    got = unpack(data, batch)
    assert got == expected
    assert [vars(r) for r in got] == [vars(r) for r in expected]
    assert [list(map(type, r.hits)) for r in got] == [list(map(type, r.hits)) for r in expected]
    assert type(got[2].hits[0].similarity) is type(expected[2].hits[0].similarity)
    assert all(result.record is record for result, record in zip(got, batch, strict=True))


def _field_deleted_and_another_set(obj, field: str, other: str, value) -> None:
    delattr(obj, field)
    setattr(obj, other, value)


def _replaced_record_without_extra(results):
    failed = Record(id="r1", origin="in.jsonl", line=2, error="in.jsonl:2: internal error: boom")
    _field_deleted_and_another_set(failed, "extra", "kept", {"kept": True})   # extra: no class default
    results[1].record = failed


@pytest.mark.parametrize("change", [
    lambda results: _field_deleted_and_another_set(results[2].hits[1], "kind", "note", "term"),
    lambda results: _field_deleted_and_another_set(results[1], "language", "note", ""),
    _replaced_record_without_extra,
], ids=["hit", "result", "replaced-record"])
def test_an_object_with_a_field_deleted_and_another_attribute_in_its_place_goes_by_pickle(change):
    """As many attributes as fields is not enough for the flat form: each field must be one of them
    (the deleted field would come back set, the other attribute not at all)."""
    batch = _batch()
    results = _results(batch)
    change(results)
    expected = pickle.loads(pickle.dumps(results))
    data = pack(results, batch)
    assert data[:1] == b"p"
    got = unpack(data, batch)

    def attributes(results):       # (== would read the deleted field: Record.extra has no class default)
        return [({k: v for k, v in vars(r).items() if k != "record"}, vars(r.record), [vars(h) for h in r.hits])
                for r in results]

    assert attributes(got) == attributes(expected)
    assert got[0].record is batch[0] and got[2].record is batch[2]


@pytest.mark.parametrize("change", [lambda results: None, _with_float_subclass,
                                    lambda results: setattr(results[1], "note", "set by a plug-in")],
                         ids=["plain", "unmarshallable-value", "extra-attribute"])
def test_pack_empties_the_results_it_packed(change):
    batch = _batch()
    results = _results(batch)
    change(results)
    pack(results, batch)
    assert results == []


def test_a_value_two_results_share_comes_back_shared_and_the_others_apart():
    batch = _batch()
    results = _results(batch)
    programs = ["DPRK", "shared"]
    results[1].entities[0].programs = results[2].entities[1].programs = programs
    got = unpack(pack(results, batch), batch)
    assert got[1].entities[0].programs == programs
    assert got[1].entities[0].programs is got[2].entities[1].programs
    assert got[2].entities[0].programs is not got[2].entities[1].programs


@pytest.mark.parametrize("enabled", [True, False], ids=["collector-on", "collector-off"])
@pytest.mark.parametrize("change", [lambda results: None, _with_float_subclass,
                                    lambda results: setattr(results[1], "note", "set by a plug-in")],
                         ids=["plain", "unmarshallable-value", "extra-attribute"])
def test_the_collector_is_as_it_was_after_pack_and_unpack(enabled, change):
    batch = _batch()
    results = _results(batch)
    change(results)
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        data = pack(results, batch)
        assert gc.isenabled() is enabled
        unpack(data, batch)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_a_batch_of_another_number_of_results_is_refused():
    batch = _batch()
    with pytest.raises(ValueError):
        unpack(pack(_results(batch), batch), batch[:2])


def test_bytes_that_are_no_packed_batch_are_refused_by_name():
    with pytest.raises(ValueError, match="not a packed batch of results"):
        unpack(b"x" + pickle.dumps([]), [])
