"""The report writers' and the provenance digest's short ways (C calls for the usual article and
hit) give exactly what the general, value-by-value definitions give, on any values (hypothesis):
the same CSV bytes, the same digests as reports written before them. The CSV row writers gather
rows and write them in chunks: the bytes are the ones written row by row, across chunk
boundaries, and with hits of other types."""

from __future__ import annotations

import csv
import hashlib
import io
import os
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.model import Hit, Record
from flagger.report import frames, provenance, rows
from flagger.report.provenance import _plain, _plain_hit, _record_line, _to_json
from flagger.report.rows import CsvArticles, CsvHits, article_cells, cell, hit_cells, value_cells

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


# -- rows written in chunks; the hits CSV a batch at a time ------------------------------------------
def _usual(hit) -> bool:
    return tuple(map(type, rows.hit_values(hit))) == frames.HIT_TYPES


def _rows_one_by_one(hit_list) -> str:
    return "".join(_csv([cell(v) for v in rows.hit_values(h)]) for h in hit_list)


def _result(hit_list, error: str = ""):
    return SimpleNamespace(hits=hit_list, record=SimpleNamespace(error=error))


def _hit(**changes) -> Hit:
    values = {"article_id": "a1", "rule_id": "r1", "category": "arms", "severity": "high", "term": "shells",
              "matched_text": "shells", "start": 5, "end": 11, "similarity": 100.0, "modifiers": "",
              "snippet": 'sent "shells", then\r\nmore', "kind": "term", "entity_id": "", "entity_list": "",
              "line": 1, "field": "text"}
    return Hit(**{**values, **changes})


class Stream(io.StringIO):
    def __init__(self, tty: bool = False):
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@SETTINGS
@given(st.lists(hits(), min_size=1, max_size=8))
def test_hits_are_written_as_the_csv_writer_writes_each_row(hit_list):
    out = Stream()
    writer = CsvHits(out)
    writer.add(_result(hit_list))
    writer.add(_result(hit_list[:1]), list(map(rows.hit_values, hit_list[:1])))
    writer.flush()
    assert out.getvalue() == ",".join(frames.HIT_COLUMNS) + "\r\n" + _rows_one_by_one(hit_list + hit_list[:1])
    assert all(value_cells(rows.hit_values(h)) == hit_cells(h) for h in hit_list)


def test_the_hits_file_is_the_same_whatever_the_batches(monkeypatch):
    # empty texts (nothing between the commas), formula leaders (a ' before them, never before the
    # similarity), quotes, CR and LF, other scripts, similarities needing one or two decimals
    hit_list = [_hit(start=k, similarity=[100.0, 91.66666666666667, 90.625, 0.05, 87.5][k % 5],
                     snippet=["", "=1+1", "-", "\tx", "a,b", 'q"q', "x\ry", "김정은", "@SUM", "plain"][k % 10],
                     modifiers=["", "+negated"][k % 2])
                for k in range(23)]
    expected = ",".join(frames.HIT_COLUMNS) + "\r\n" + _rows_one_by_one(hit_list)
    for batch in (1, 2, 5, 7, 100):
        monkeypatch.setattr(rows, "FLUSH_ROWS", batch)
        out = Stream()
        writer = CsvHits(out)
        for k in range(0, len(hit_list), 3):
            writer.add(_result(hit_list[k:k + 3]))
        writer.flush()
        assert out.getvalue() == expected


def test_hits_of_other_types_are_written_value_by_value():
    # an int beyond 64 bits, a bool, an int similarity: each cell as `cell` writes it
    for odd in (_hit(start=2**70), _hit(line=True), _hit(similarity=1)):
        hit_list = [_hit(), odd, _hit(term="=x")]
        out = Stream()
        writer = CsvHits(out)
        writer.add(_result(hit_list))
        writer.flush()
        assert out.getvalue() == ",".join(frames.HIT_COLUMNS) + "\r\n" + _rows_one_by_one(hit_list)


def test_a_lone_surrogate_in_a_hit_fails_to_write_as_it_did(tmp_path):
    # the file's UTF-8 encoder refuses it when the rows are written
    with open(tmp_path / "hits.csv", "w", encoding="utf-8", newline="") as stream:
        writer = CsvHits(stream)
        writer.add(_result([_hit(snippet="a\ud800")]))
        with pytest.raises(UnicodeEncodeError):
            writer.flush()


def test_rows_reach_the_stream_in_chunks_and_all_at_flush(monkeypatch):
    monkeypatch.setattr(rows, "FLUSH_ROWS", 4)
    out = Stream()
    writer = CsvArticles(out)
    row = {c: "" for c in frames.ARTICLE_COLUMNS} | {"score": 0.0, "level": "none", "rules": [], "categories": [],
                                                    "entities": [], "evidence": []}
    writer.add(_result([]), dict(row))
    writer.add(_result([]), dict(row))
    assert out.getvalue() == ""                  # header and two rows held
    writer.add(_result([]), dict(row))
    assert out.getvalue().count("\r\n") == 4     # the fourth row sends all four
    writer.add(_result([]), dict(row))
    writer.flush()
    assert out.getvalue().count("\r\n") == 5


def test_a_terminal_sees_each_row_as_it_is_added():
    out = Stream(tty=True)
    hits_out = Stream(tty=True)
    articles, hit_rows = CsvArticles(out), CsvHits(hits_out)
    row = {c: "" for c in frames.ARTICLE_COLUMNS} | {"score": 12.5, "level": "low", "rules": ["r1"],
                                                    "categories": [], "entities": [], "evidence": []}
    articles.add(_result([]), row)
    hit_rows.add(_result([_hit()]))
    assert out.getvalue().count("\r\n") == 2
    assert hits_out.getvalue() == ",".join(frames.HIT_COLUMNS) + "\r\n" + _rows_one_by_one([_hit()])


@SETTINGS
@given(st.lists(article_rows(), max_size=6))
def test_the_article_csv_is_each_row_written_one_by_one(row_list):
    out = Stream()
    writer = CsvArticles(out)
    for row in row_list:
        writer.add(_result([], error=""), dict(row))
    writer.flush()
    assert out.getvalue() == _csv(frames.ARTICLE_COLUMNS) + "".join(
        _csv([cell(row[c]) for c in frames.ARTICLE_COLUMNS]) for row in row_list)


def test_a_hits_file_without_hits_is_its_header():
    out = Stream()
    writer = CsvHits(out)
    writer.add(_result([]))
    writer.flush()
    assert out.getvalue() == ",".join(frames.HIT_COLUMNS) + "\r\n"


def test_the_digest_hands_the_hits_file_the_values_it_read():
    # RunDigest.hit_values_of: the values add read for the result added last; any other result's
    # read now; either way each hit's values in HIT_COLUMNS order
    from flagger.report.provenance import RunDigest

    first, last = _hit(start=1), _hit(start=2, snippet="=cmd")
    older = SimpleNamespace(hits=[first], record=Record(id="a0"), error="")
    newer = SimpleNamespace(hits=[last], record=Record(id="a1"), error="")
    digest = RunDigest()
    for r in (older, newer):
        r.language, r.score, r.level, r.rules, r.categories, r.entities, r.evidence = "en", 0.0, "none", [], [], [], []
        r.contributions = []
        digest.add(r)
    assert digest.hit_values_of(newer) is digest._last[2]
    assert digest.hit_values_of(newer) == [rows.hit_values(last)]
    assert digest.hit_values_of(older) == [rows.hit_values(first)]
    out = Stream()
    writer = CsvHits(out)
    writer.add(older, digest.hit_values_of(older))
    writer.add(newer, digest.hit_values_of(newer))
    writer.flush()
    assert out.getvalue() == ",".join(frames.HIT_COLUMNS) + "\r\n" + _rows_one_by_one([first, last])
