"""The report writers' and the provenance digest's short ways (C calls for the usual article and
hit) give exactly what the general, value-by-value definitions give, on any values (hypothesis):
the same CSV bytes, the same digests as reports written before them."""

from __future__ import annotations

import csv
import hashlib
import io
import os
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.model import Hit, Record
from flagger.report import frames, provenance, rows
from flagger.report.provenance import _plain, _plain_hit, _record_line, _to_json
from flagger.report.rows import article_cells, cell, hit_cells

CI = bool(os.environ.get("CI"))
SETTINGS = settings(max_examples=200, deadline=None, derandomize=CI)
# text a report can hold: formula leaders, quotes, backslashes, every control character, other scripts
TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(["=1+1", "+", "-", "@SUM", "\t", "\r", "\n", '"', "\\", "\x00", "\x1f", "\x7f",
                              "\u2028", "Kim", "김정은", "Путин", "\U0001F600", "…", "0", "A", "@", "?", " ",
                              "\x01", "\x02", '", "', "{}", "{!r}", "{0}", "}", "["]),
             max_size=12).map("".join),
)
NUMBER = st.one_of(st.integers(-5, 10**6), st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6,
                                                     max_value=1e6))
ODD = st.one_of(st.none(), st.booleans(), NUMBER, st.lists(TEXT, max_size=3))   # what a value may also be


def _csv(cells) -> str:
    out = io.StringIO()
    csv.writer(out, **rows.CSV_DIALECT).writerow(cells)
    return out.getvalue()


@st.composite
def hits(draw):
    """Mostly hits of the usual types; some with one value of another type."""
    odd = draw(st.one_of(st.none(), st.none(), st.sampled_from(frames.HIT_COLUMNS)))
    values = {}
    for column, kind in zip(frames.HIT_COLUMNS, frames.HIT_TYPES, strict=True):
        usual = {str: TEXT, int: st.integers(-5, 10**6), float: NUMBER}[kind]
        values[column] = draw(ODD if column == odd else usual)
    return Hit(**values)


@st.composite
def article_rows(draw):
    """Mostly rows of the usual types; some with one value of another type (or a list holding one)."""
    odd = draw(st.one_of(st.none(), st.none(), st.sampled_from(frames.ARTICLE_COLUMNS)))
    usual = {str: TEXT, float: NUMBER, list: st.lists(TEXT, max_size=3)}
    return {c: draw(st.one_of(ODD, st.lists(ODD, min_size=1, max_size=2)) if c == odd else usual[t])
            for c, t in zip(frames.ARTICLE_COLUMNS, frames.ARTICLE_TYPES, strict=True)}


@SETTINGS
@given(hits())
def test_a_hits_csv_row_is_its_cells_written_one_by_one(hit):
    assert _csv(hit_cells(hit)) == _csv([cell(v) for v in rows.hit_values(hit)])


@SETTINGS
@given(article_rows())
def test_an_article_csv_row_is_its_cells_written_one_by_one(row):
    assert _csv(article_cells(row)) == _csv([cell(row[c]) for c in frames.ARTICLE_COLUMNS])


@SETTINGS
@given(hits())
def test_a_hit_reads_the_same_to_the_results_digest(hit):
    assert _to_json(_plain_hit(hit)) == _to_json([_plain(v) for v in provenance._hit_values(hit)])


@SETTINGS
@given(st.lists(st.one_of(TEXT, TEXT, ODD), min_size=7, max_size=7))
def test_a_records_digest_line_is_the_json_of_the_record(fields):
    record = Record(id="")
    record.id, record.title, record.text, record.url, record.published, record.source, record.error = fields
    assert _record_line(record) == _to_json(fields).encode() + b"\n"


def test_a_lone_surrogate_fails_as_it_did():
    # json writes it as it is, and UTF-8 cannot encode it: the same error either way
    record = Record(id="r1", text="a\ud800")
    for encode in (_record_line, lambda r: _to_json(provenance._record_fields(r)).encode()):
        try:
            encode(record)
        except UnicodeEncodeError as exc:
            assert exc.reason == "surrogates not allowed"
        else:
            raise AssertionError("encoded a lone surrogate")


def test_the_scanners_hits_and_rows_take_the_short_way(test_scanner):
    # the short way is for values of the report's column types: what the scanner makes
    results = list(test_scanner.scan_iter([{"id": "a1", "title": "Arms", "text": "North Korea sent artillery "
                                            "shells to Russia. KOMID sold missiles."}]))
    hit_list = [h for r in results for h in r.hits]
    assert hit_list
    assert all(tuple(map(type, rows.hit_values(h))) == frames.HIT_TYPES for h in hit_list)
    assert all(tuple(map(type, rows._row_values(frames.article_row(r)))) == frames.ARTICLE_TYPES for r in results)
    assert all(provenance._digest_doc(frames.article_row(r), r.hits) is not None for r in results)
    assert all(provenance._escaped(provenance._QUOTE + r.record.text + provenance._QUOTE, 2) for r in results)


@SETTINGS
@given(article_rows(), st.lists(hits(), max_size=3))
def test_an_article_digest_is_the_digest_of_its_values_one_by_one(row, hit_list):
    result = SimpleNamespace(hits=hit_list)
    doc = [[_plain(row[c]) for c in frames.ARTICLE_COLUMNS],
           [[_plain(v) for v in provenance._hit_values(h)] for h in hit_list]]
    assert provenance.article_digest(result, row) == hashlib.sha256(_to_json(doc).encode()).hexdigest()
