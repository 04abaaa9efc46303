"""Copy grouping (sources/dedupe.py) finds exactly the copies the definition names.

The definition, written out plainly below as the reference: record B copies record A when every
word 5-shingle of B (title and text, casefolded, `\\w+` words; a text of fewer than five words is
one shingle of all its words) is among A's, and A ranks before B (more distinct shingles, then
earlier published, then read first); B's original is the best-ranked such A, followed up to a
record nothing contains. The grouping must give the same answer on every input."""

from __future__ import annotations

import re
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.model import Record
from flagger.sources import dedupe
from flagger.sources.dedupe import group_copies, original_of

WORDS = ["sanctions", "Shells", "rail", "bridge", "Tumangang", "the", "of", "a", "trains", "Straße", "STRASSE",
         "officials", "said", "tuesday", "Кремль", "北朝鲜", "x_1", "2026", "é", "e\u0301t\u00e9", "١٢٣",
         "\U00020000\U0002000b", "\U0001d400bc", "x\U0001f600y", "don't", "a-b", "\ud83d", "ǅemal", "ﬁnal"]


def reference_original_of(records: list[Record]) -> list[int | None]:
    def shingles(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text.casefold())
        if len(words) < 5:
            return {("short", *words)} if words else set()
        return {tuple(words[i:i + 5]) for i in range(len(words) - 4)}

    sets = [shingles(r.title + " " + r.text) if not r.error else set() for r in records]

    def rank(i: int):
        return (-len(sets[i]), records[i].published or "9999", i)

    best: list[int | None] = [None] * len(records)
    for i, s in enumerate(sets):
        containers = [j for j, t in enumerate(sets) if j != i and s and t and rank(j) < rank(i) and s <= t]
        if containers:
            best[i] = min(containers, key=rank)
    out = []
    for b in best:
        while b is not None and best[b] is not None:
            b = best[b]
        out.append(b)
    return out


@st.composite
def story_sets(draw):
    """Stories, and records cut from them: whole copies, excerpts, reprints with words added, a
    few words alone, other-case copies, empty and failed records."""
    stories = [draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40)) for _ in range(draw(st.integers(1, 4)))]
    records = []
    for k in range(draw(st.integers(1, 14))):
        words = draw(st.sampled_from(stories))
        kind = draw(st.sampled_from(["copy", "excerpt", "appended", "upper", "empty", "error", "fresh"]))
        a = draw(st.integers(0, len(words)))
        b = draw(st.integers(a, len(words)))
        text = {"copy": " ".join(words), "excerpt": " ".join(words[a:b]),
                "appended": " ".join(words) + " " + " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=6))),
                "upper": " ".join(words).upper(), "empty": "", "error": "",
                "fresh": " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=12)))}[kind]
        title = draw(st.sampled_from(["", "Wire", " ".join(words[:3])]))
        records.append(Record(id=str(k), text=text, title=title,
                              published=draw(st.sampled_from([None, "2026-01-05", "2026-01-06"])),
                              error="unreadable" if kind == "error" else None))
    return records


@settings(max_examples=300, deadline=None)
@given(story_sets())
def test_copies_are_found_exactly_as_the_definition_says(records):
    assert original_of(records) == reference_original_of(records)


def test_a_story_shared_by_many_records_still_finds_each_records_original():
    # boilerplate in every record (a footer) must not hide the one real copy among them
    footer = "Reporting by the wire desk; editing by the night desk of the agency in the capital."
    records = [Record(id=str(i), text=f"Story {i} about shipment {i} of shells by rail in week {i}. {footer}")
               for i in range(60)]
    records.append(Record(id="copy", text=f"about shipment 7 of shells by rail in week 7. {footer}"))
    assert original_of(records) == reference_original_of(records)
    assert group_copies(records) == [[7, 60]]


def test_short_texts_are_copies_only_of_the_same_few_words():
    records = [Record(id="a", text="Sanctions on rail"), Record(id="b", text="sanctions ON rail"),
               Record(id="c", text="New sanctions on rail and shells were announced today by officials")]
    # "Sanctions on rail" is three words, one shingle: equal only to another text of those words
    assert group_copies(records) == [[0, 1]]


def test_grouping_is_the_same_whatever_else_is_in_the_chunk():
    base = [Record(id="a", text="One story about shells sent by rail across the bridge at night"),
            Record(id="b", text="shells sent by rail across the bridge")]
    noise = [Record(id=f"n{i}", text=f"unrelated text number {i} about football and weather") for i in range(30)]
    assert group_copies(base) == [[0, 1]]
    assert group_copies(noise + base) == [[30, 31]]
    groups = defaultdict(list)
    for i, o in enumerate(original_of(base + noise)):
        if o is not None:
            groups[o].append(i)
    assert dict(groups) == {0: [1]}


def test_texts_shingled_in_many_slices_group_as_in_one(monkeypatch):
    words = [w for w in WORDS if w.isascii()]
    story = " ".join(words * 3)
    records = [Record(id=str(i), text=f"{story} {i}") for i in range(8)]
    records += [Record(id="x", text=story), Record(id="y", text="Wide \U00020000 text " + story),
                Record(id="z", text=story[:60])]
    expected = reference_original_of(records)
    assert original_of(records) == expected
    monkeypatch.setattr(dedupe, "_SLICE_CHARS", 100)        # about one text per slice
    assert original_of(records) == expected
