"""Turning candidates into findings reads token offsets as views (no Python int per token), the
rules' look-ups from tables made once per scanner, and skips a regex where what it needs is not
there. Each short way gives what the long way gives."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.engine.compile import _framing
from flagger.engine.hitsite import _POSSESSOR, _possessor_country, _trailing_country
from flagger.engine.match import FindingTables, TermHit, _categories, _NegationPattern, token_offsets
from flagger.resources import cues
from flagger.text import SentenceOf, Tokens, tokenize_batch

WORDS = st.sampled_from(["South", "Korea", "Korea's", "Korea\u2019s", "'s", "s", "'", "Ministry", "of",
                         "Defense", "did", "not", "never", "ship", "shells", "nicht", ",", ". ", " ", "\n",
                         "\t", "\u3000", "北朝鮮", "Ri's", "iran's", "U.S.", "x"])
TEXTS = st.lists(WORDS, max_size=30).map(" ".join) | st.lists(WORDS, max_size=30).map("".join)


@given(TEXTS)
@settings(max_examples=100, deadline=None)
def test_offset_views_read_as_the_offset_lists(text):
    tokens = tokenize_batch([text]).tokens[0]
    starts, ends = tokens.offsets()          # views of the arrays: no list made
    assert list(starts) == tokens.starts and list(ends) == tokens.ends
    assert all(type(x) is int for x in [*starts, *ends])
    assert tokens.offsets() == (tokens.starts, tokens.ends)        # the lists, once made
    listed = Tokens(None, list(tokens.starts), list(tokens.ends), text)
    assert token_offsets(listed) == (tokens.starts, tokens.ends) == token_offsets(list(tokens))


@given(TEXTS, st.data())
@settings(max_examples=150, deadline=None)
def test_the_possessor_is_found_as_the_pattern_alone_finds_it(text, data):
    start = data.draw(st.integers(0, len(text)))
    m = _POSSESSOR.search(text, max(0, start - 80), start)
    assert _possessor_country(text, start) == (None if m is None else _trailing_country(m.group(1).split()))


def test_a_possessor_before_the_hit_still_says_whose_it_is():
    text = "South Korea's Ministry of National Defense said"
    assert _possessor_country(text, text.index("Ministry")) == ("South Korea", "KR")
    text = "South Korea\u2019s \nMinistry"
    assert _possessor_country(text, text.index("Ministry")) == ("South Korea", "KR")
    assert _possessor_country("South Korea's Ministry", 13) is None      # no space before the hit


@given(st.data())
@settings(max_examples=100, deadline=None)
def test_whether_a_rule_can_fire_is_told_as_its_categories_tell(test_scanner, data):
    compiled = test_scanner.compiled
    tables = FindingTables(compiled)
    keys = [(r, g) for r, rule in enumerate(compiled.rules) for g in (*rule.all_of, *rule.any_of)]
    chosen = data.draw(st.lists(st.sampled_from(keys), unique=True))
    empty = data.draw(st.lists(st.sampled_from(keys), unique=True))   # keys left with no hits
    term_hits = {k: [TermHit(0, 1, 100.0, "t")] for k in chosen}
    term_hits.update({k: [] for k in empty if k not in term_hits})
    for r in range(len(compiled.rules)):
        assert tables.can_fire(r, term_hits) == all(_categories(compiled, r, term_hits)), (r, term_hits)


FRAMING = _framing(cues())
NEGATION_PIECES = {
    "en": ["not", "Not", "never", "no", "only", "ship", "2", ",", ";", ". ", "\u2019", "don\u2019t", "isn't"],
    "de": ["nicht", "keine", "nur", "Granaten", "geliefert", ",", ". ", "\u201e"],
    "zh": ["不", "没有", "运送", "炮弹", "，", "。"],
}


@given(st.sampled_from(sorted(NEGATION_PIECES)).flatmap(
    lambda lang: st.tuples(st.just(lang), st.lists(st.sampled_from(NEGATION_PIECES[lang]), max_size=25))))
@settings(max_examples=100, deadline=None)
def test_negation_with_the_scanners_tables_finds_what_it_finds_alone(case):
    lang, pieces = case
    text = " ".join(pieces)
    tokens = tokenize_batch([text]).tokens[0]
    tables = FindingTables.__new__(FindingTables)      # only the negation part: no rules needed
    tables.framing, tables._negators, tables._negation_forms = FRAMING, {}, {}
    for _ in range(2):      # the second time from the tables' kept forms
        alone = _NegationPattern(FRAMING, text, tokens, SentenceOf(tokens, text), lang)
        kept = _NegationPattern(FRAMING, text, tokens, SentenceOf(tokens, text), lang, tables)
        for start in range(len(tokens)):
            hit = TermHit(start, start + 1, 100.0, "term")
            assert kept._find(hit) == alone._find(hit), (text, start)


def test_the_kept_word_forms_stay_bounded():
    tables = FindingTables.__new__(FindingTables)
    tables.framing, tables._negators, tables._negation_forms = FRAMING, {}, {}
    tables.NORMS_KEPT = 50
    for i in range(120):
        tables.negation_form(f"w{i}")
    assert len(tables._negation_forms) <= 50
    assert tables.negation_form("Don\u2019t") == tables.negation_form("don't") == "dont"
    assert re.fullmatch(r"w\d+", next(iter(tables._negation_forms)))
