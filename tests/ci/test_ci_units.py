"""Units behind the CI features: progress-bar policy, syndicated-copy grouping, state keys/pruning."""

from __future__ import annotations

import datetime as dt
import json

from flagger.ci.state import load_state, record_key
from flagger.cli.progress import show_progress
from flagger.model import ArticleResult, Record
from flagger.sources.dedupe import Copies, collapse_copies, group_copies

STORY = ("Satellite images show North Korea sent artillery shells to Russia by rail this winter, officials said "
         "on Tuesday. The trains crossed the border bridge at Tumangang and returned empty a few days later, "
         "according to analysts who studied the images for several weeks.")


def test_progress_bar_only_on_a_terminal_outside_ci(monkeypatch):
    import sys

    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(sys, "stderr", Tty())
    assert show_progress("auto") is True
    monkeypatch.setenv("CI", "true")
    assert show_progress("auto") is False                  # CI logs never get a progress bar
    assert show_progress("always") is True and show_progress("never") is False
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys, "stderr", type("Pipe", (), {"isatty": lambda self: False})())
    assert show_progress("auto") is False                  # pipes neither


def test_copies_are_records_that_add_nothing_and_different_stories_are_not():
    recs = [Record(id="a", text=STORY, published="2026-01-06T10:00:00Z", url="https://a/1"),
            Record(id="b", text=STORY, published="2026-01-06T08:00:00Z", url="https://b/1"),
            Record(id="c", text=STORY.replace("Tuesday", "Monday"), url="https://c/1"),    # one word changed
            Record(id="d", text="The football team won its home game three to one on Saturday afternoon."),
            Record(id="e", text="", error="bad"),
            Record(id="f", text=STORY[:STORY.index(" The trains")])]   # an excerpt adds nothing: a copy
    groups = group_copies(recs)
    assert [[recs[i].id for i in g] for g in groups] == [["b", "a", "f"]]   # earliest published first
    kept, folded, copies = collapse_copies(recs)
    assert [r.id for r in kept] == ["b", "c", "d", "e"] and folded == 2
    assert [[c.id for c in cs] for cs in copies] == [["a", "f"], [], [], []]
    assert recs[1].extra["copies"] == 2 and [d["id"] for d in recs[1].extra["duplicates"]] == ["a", "f"]
    assert recs[0].extra["duplicate_of"] == "b"


def test_a_reprint_with_an_appended_paragraph_is_not_a_copy():
    recs = [Record(id="wire", text=STORY, published="2026-01-06T08:00:00Z"),
            Record(id="reprint", text=STORY + " North Korea also shipped artillery shells by sea in March.",
                   published="2026-01-06T09:00:00Z")]
    # the wire story adds nothing to the longer reprint: the reprint is the original whatever the dates
    assert group_copies(recs) == [[1, 0]]


def test_copy_grouping_streams_in_chunks_and_gives_back_every_row():
    recs = [Record(id=str(i), text=f"{STORY} number {i // 2}") for i in range(10)]
    copies = Copies(chunk=4)
    kept = list(copies.records(iter(recs)))
    assert copies.folded == len(recs) - len(kept) == 5
    rows = list(copies.rows(ArticleResult(record=r, score=10.0) for r in kept))
    assert sorted(r.record.id for r in rows) == [str(i) for i in range(10)]
    assert {r.record.id: r.record.extra.get("duplicate_of") for r in rows}["1"] == "0"


def test_state_keys_hashes_and_pruning(tmp_path):
    path = tmp_path / "s.json"
    st = load_state(str(path))
    a = Record(id="x", url="https://a/1", text="one", extra={"guid": "g-1"})
    b = Record(id="y", url="https://a/2", text="two")
    assert record_key(a) == "g-1" and record_key(b) == "https://a/2"
    assert [r.id for r in st.filter_new([a, b])] == ["x", "y"]
    st.save()
    assert load_state(str(path)).articles == {}          # nothing is "seen" before it was scanned
    list(st.remember(ArticleResult(record=r) for r in (a, b)))
    st.save()
    st = load_state(str(path))
    moved = Record(id="z", url="https://mirror/2", text="two")        # same text under another URL
    edited = Record(id="x", url="https://a/1", text="one, updated", extra={"guid": "g-1"})
    assert [r.id for r in st.filter_new([a, b, moved, edited])] == ["x"] and st.skipped == 3
    doc = json.loads(path.read_text())
    doc["articles"]["old"] = {"hash": "h", "text": "t", "first_seen": "2020-01-01T00:00:00Z",
                              "last_seen": "2020-01-01T00:00:00Z"}
    path.write_text(json.dumps(doc))
    st = load_state(str(path))
    st.save(today=dt.date(2026, 1, 1))
    assert "old" not in json.loads(path.read_text())["articles"]
