"""Turning matches into findings does per-article work (sentences, cues, history, negation) only
for an article with a rule that can fire: one with hits in every one of its groups."""

from __future__ import annotations

import pytest

from flagger.engine import match


@pytest.fixture
def history_calls(monkeypatch):
    """The sentence -> history cue look-ups find_matches makes (counted, then done as usual)."""
    calls: list[str] = []
    real = match.find_matches

    def counting(*args, history=None, **kwargs):
        if history is not None:
            def counted(sentences):
                calls.append("history")
                return history(sentences)
            return real(*args, history=counted, **kwargs)
        calls.append("no history asked for")
        return real(*args, history=history, **kwargs)

    monkeypatch.setattr("flagger.scanner.find_matches", counting)
    return calls


def _scan(scanner, text):
    from flagger.model import Record

    return scanner.scan_batch([Record(id="a", text=text, published="2026-03-01")])[0]


def test_hits_of_one_group_only_fire_nothing_and_read_no_sentences(test_scanner, history_calls):
    # 'North Korea' is the dprk group of test.arms; without an arms word the rule cannot fire
    result = _scan(test_scanner, "North Korea held a parade in 2009. North Korea said so in 2010.")
    assert result.rules == []
    assert history_calls == []


def test_hits_of_every_group_are_read_with_their_sentences(test_scanner, history_calls):
    result = _scan(test_scanner, "In 2009 North Korea sent artillery shells to Russia.")
    assert result.rules == ["test.arms"]
    assert history_calls == ["history"]
    assert any(m.startswith("history:") for m in result.contributions[0].note.split("; "))
