"""Properties of the scanner and the readers (hypothesis): no exception escapes on arbitrary
input, every hit's offsets slice the article to the matched text, and every input line/record is
accounted for exactly once."""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flagger.model import LEVELS, Record
from flagger.sources import read_inputs

# CI runs a fixed set of examples (a new counterexample must not fail an unrelated change);
# local runs explore new ones each time.
CI = bool(os.environ.get("CI"))
SETTINGS = settings(max_examples=120, deadline=None, derandomize=CI, suppress_health_check=[HealthCheck.function_scoped_fixture])
PIECES = st.sampled_from([
    "North Korea", "KOMID", "Korea Mining Development Trading Corporation", "Kim Jong Un", "Kim Jong-un",
    "김정은", "김정은이", "Путин", "Владимир Путин", "Pyongyang", "평양", "平壤", "Wise Honest", "tanker",
    "ammunition", "artillery shells", "боеприпасы", "탄약", "KN-23", "ship-to-ship transfer", "shell company",
    "allegedly", "denied", "not", "\u200b", "\u00ad", "\u2060", "'", "’", "-", "\n", "\n\n", ". ", ", ", " ", " ",
    "e\u0301", "ﬁ", "İ", "\x00", "\ufffd", "\U0001F4A3", "A" * 400,
])
ARTICLE = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(PIECES, PIECES, st.text(max_size=10)), max_size=60).map("".join),
)


@settings(max_examples=300, deadline=None, derandomize=CI, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ARTICLE)
def test_scanner_never_raises_and_offsets_slice_the_text(test_scanner, text):
    result = test_scanner.scan_batch([Record(id="p", text=text)])[0]
    assert not result.record.error, result.record.error
    assert 0 <= result.score <= 100 and result.level in LEVELS
    for h in result.hits:
        assert 0 <= h.start < h.end <= len(text)
        assert text[h.start:h.end] == h.matched_text
        assert h.line == text.count("\n", 0, h.start) + 1
        assert "[[" in h.snippet
    for e in result.entities:
        assert text[e.start:e.end] == e.matched_text


@settings(max_examples=25, deadline=None, derandomize=CI, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ARTICLE, min_size=1, max_size=12))
def test_a_batch_gives_one_result_per_record_in_order(test_scanner, texts):
    records = [Record(id=f"r{i}", text=t, error="" if t.strip() else "empty") for i, t in enumerate(texts)]
    results = list(test_scanner.scan_iter(records))
    assert [r.record.id for r in results] == [r.id for r in records]


# -- readers --------------------------------------------------------------------------------------

def _read(data: bytes, suffix: str) -> list[Record]:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"in{suffix}"
        path.write_bytes(data)
        recs = list(read_inputs([str(path)]))
    assert recs, "a file gave no record at all"
    for r in recs:
        assert bool(r.error) != bool(r.text), r      # scanned text xor an error
        if r.error:
            assert str(path) in r.error
    return recs


def _expected_jsonl_records(data: bytes) -> int:
    head = data[:4096]
    nul = head.find(b"\x00")
    if nul >= 0 and (b"\n" not in head[:nul] or head.count(b"\x00") * 100 > len(head)):
        return 1                                    # binary: one error for the file
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    n = 0
    for line in data.split(b"\n"):
        try:
            n += bool(line.decode("utf-8").strip())
        except UnicodeDecodeError:
            n += 1
    return max(n, 1)                                # an empty file is one error


JSONL_LINES = st.lists(st.one_of(
    st.just(b'{"id": "x", "text": "North Korea ammunition"}'),
    st.just(b'{"text": 5}'), st.just(b"[1, 2]"), st.just(b"   "), st.just(b""), st.just(b"\xff\xfe garbage"),
    st.just(b'{"id": "n", "text": "a\x00b"}'), st.binary(max_size=30),
    st.text(max_size=30).map(lambda s: s.encode("utf-8", "surrogatepass")),
), max_size=15)


@SETTINGS
@given(JSONL_LINES)
def test_jsonl_every_non_blank_line_is_one_record(lines):
    data = b"\n".join(lines)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    assert len(_read(data, ".jsonl")) == _expected_jsonl_records(data)


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from([".csv", ".txt", ".md", ".json", ".parquet", ".jsonl", ".bin"]))
def test_arbitrary_bytes_in_any_format(data, suffix):
    _read(data, suffix)


@SETTINGS
# No NUL (binary) and no bare CR: csv.writer leaves a lone "\r" unquoted, which makes the file itself
# ambiguous (the csv module reads it back as an extra row). No lone surrogates (category Cs): they
# have no UTF-8 form, so the file would not be valid UTF-8 and a bad line inside a quoted field
# splits the row (both halves are error rows, nothing is lost: test_arbitrary_bytes_in_any_format).
@given(st.lists(st.lists(st.text(st.characters(exclude_characters="\x00\r", exclude_categories=("Cs",)),
                                 max_size=12), min_size=0, max_size=5),
                max_size=10))
def test_csv_rows_are_all_accounted_for(rows):
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "text"])
    for row in rows:
        w.writerow(row)
    recs = _read(buf.getvalue().encode("utf-8"), ".csv")
    non_blank = [r for r in rows if any(c.strip() for c in r)]
    assert len(recs) == max(1, len(non_blank))
