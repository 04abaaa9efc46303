"""Hostile and broken input: each gets an error record naming where, and reading goes on.

Fixtures live in tests/fixtures/hostile/; big or platform-specific cases (a 200 MB line, 100k
files, symlink loops, unreadable files, Parquet with wrong columns) are made in tmp_path.
"""

from __future__ import annotations

import errno
import io
import os
import resource
import time
from pathlib import Path

import polars as pl
import pytest

from flagger.sources import discover, read_inputs
from flagger.sources.decode import DEFAULT_MAX_ARTICLE_BYTES, ReadOptions

HOSTILE = Path(__file__).parent.parent / "fixtures" / "hostile"
TEXT = HOSTILE / "text"
STRUCT = HOSTILE / "structured"


def one(path, **kw):
    (rec,) = read_inputs([str(path)], **kw)
    return rec


def by_id(records):
    out = {}
    for r in records:
        assert r.id not in out, f"duplicate id {r.id}"
        out[r.id] = r
    return out


# -- text files ------------------------------------------------------------------------------------

def test_invalid_utf8_names_file_line_and_byte_offset():
    rec = one(TEXT / "invalid_utf8.txt")
    assert str(TEXT / "invalid_utf8.txt") in rec.error
    assert "line 2" in rec.error and "not valid UTF-8" in rec.error and "byte 0xff at offset 47" in rec.error
    assert not rec.text


def test_utf16_with_bom_is_decoded():
    rec = one(TEXT / "utf16_bom.txt")
    assert not rec.error and rec.text.startswith("KOMID sold artillery shells")


def test_latin1_is_an_error_with_a_hint_unless_the_encoding_is_given():
    rec = one(TEXT / "latin1.txt")
    assert "not valid UTF-8" in rec.error and "line 1" in rec.error and "--encoding latin-1" in rec.error
    rec = one(TEXT / "latin1.txt", encoding="latin-1")
    assert not rec.error and rec.text.startswith("Café report") and "défense" in rec.text


@pytest.mark.parametrize("name", ["nul_bytes.txt", "binary.txt"])
def test_nul_bytes_and_binary_files_are_refused_with_the_offset(name):
    rec = one(TEXT / name)
    assert "binary file" in rec.error and "NUL byte at offset" in rec.error and str(TEXT / name) in rec.error


@pytest.mark.parametrize("name", ["empty.txt", "whitespace_only.txt"])
def test_empty_files(name):
    assert "empty file" in one(TEXT / name).error


def test_control_characters_are_text_not_errors():
    rec = one(TEXT / "control_chars.txt")
    assert not rec.error and "ammunition" in rec.text


def test_a_200_mb_single_line_is_refused_without_loading_it(tmp_path):
    """Sparse 200 MB file: reading must stop at the article limit (memory stays small)."""
    big = tmp_path / "huge.txt"
    with big.open("wb") as f:
        f.write(b"North Korea ammunition ")
        f.truncate(200 * 1024 * 1024)      # a single 200 MB "line" (NULs past the start)
    line = tmp_path / "huge.jsonl"
    with line.open("wb") as f:
        f.write(b'{"id": "ok-1", "text": "fine"}\n{"id": "big", "text": "')
        f.write(b"A" * (12 * 1024 * 1024))
        f.write(b'"}\n{"id": "ok-2", "text": "also fine"}\n')
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    recs = list(read_inputs([str(big), str(line)]))
    assert time.perf_counter() - t0 < 30
    grew_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert grew_mib < 120, f"reading grew peak RSS by {grew_mib:.0f} MiB"
    assert "larger than the 10,485,760-byte article limit" in recs[0].error
    assert [r.id for r in recs[1:]] == ["ok-1", f"{line}:2", "ok-2"]
    assert "article limit" in recs[2].error
    assert recs[2].error.startswith(f"{line}:2: ")
    assert not recs[1].error and not recs[3].error


def test_article_limit_is_configurable(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("North Korea " * 100, encoding="utf-8")
    assert "article limit" in one(p, max_article_bytes=100).error
    assert not one(p, max_article_bytes=DEFAULT_MAX_ARTICLE_BYTES).error
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("id,text\nsmall,ok\nbig," + "x" * 500 + "\nafter,ok\n", encoding="utf-8")
    recs = list(read_inputs([str(csv_path)], options=ReadOptions(max_article_bytes=200)))
    assert [r.id for r in recs] == ["small", f"{csv_path}:3", "after"]
    assert "article limit" in recs[1].error


def test_stdin_is_capped_too():
    (rec,) = read_inputs(["-"], stdin=io.BytesIO(b"x" * 101), max_article_bytes=100)
    assert "standard input is larger" in rec.error


# -- structured files -------------------------------------------------------------------------------

def test_malformed_jsonl_every_line_accounted_for():
    path = STRUCT / "malformed.jsonl"
    recs = list(read_inputs([str(path)]))
    assert len(recs) == 11       # 12 lines, one blank
    ids = [r.id for r in recs]
    assert ids[0] == "ok-1" and "ok-2" in ids
    errors = {r.line: r.error for r in recs if r.error}
    assert "malformed JSON" in errors[2]
    assert "JSON array, expected an object" in errors[3]
    assert "missing field 'text'" in errors[4]
    assert "must be a string, got int" in errors[5]
    assert "is empty" in errors[6]
    assert "line 7" not in errors[7] and "not valid UTF-8" in errors[7] and errors[7].startswith(f"{path}:7:")
    assert "malformed JSON" in errors[8]                  # raw NUL inside a JSON string
    assert "nested too deeply" in errors[11] or "malformed JSON" in errors[11]
    assert "JSON null, expected an object" in errors[12]
    assert all(str(path) in e for e in errors.values())


def test_ragged_csv_rows_are_errors_and_quoted_newlines_are_kept():
    path = STRUCT / "ragged.csv"
    recs = list(read_inputs([str(path)]))
    assert [r.id for r in recs] == ["r1", f"{path}:3", f"{path}:4", "r4", "r5"]
    assert "row has 5 fields, the header has 3" in recs[1].error
    assert "row has 2 fields" in recs[2].error
    assert recs[3].text == "quoted, with comma\nand a newline" and not recs[3].error
    assert recs[4].line == 8


def test_csv_wrong_columns_is_one_error_naming_the_columns():
    rec = one(STRUCT / "wrong_columns.csv")
    assert "no 'text' column (columns: id, headline, body)" in rec.error


def test_utf16_jsonl_and_bom_csv():
    assert one(STRUCT / "utf16_bom.jsonl").text == "North Korea ammunition"
    rec = one(STRUCT / "bom_utf8.csv")
    assert rec.id == "b1" and rec.text == "KOMID"


@pytest.mark.parametrize("name,needle", [("not_json.json", "malformed JSON"),
                                         ("scalar.json", "expected an object or a list")])
def test_bad_json_documents(name, needle):
    assert needle in one(STRUCT / name).error


def test_parquet_missing_columns_wrong_types_and_corruption(tmp_path):
    missing = tmp_path / "missing.parquet"
    pl.DataFrame({"id": ["p1", "p2"], "body": ["x", "y"]}).write_parquet(missing)
    rec = one(missing)
    assert "no 'text' column (columns: id, body)" in rec.error
    wrong = tmp_path / "wrong.parquet"
    pl.DataFrame({"id": [1, 2, 3], "text": [10, 20, 30]}).write_parquet(wrong)
    recs = list(read_inputs([str(wrong)]))
    assert [r.id for r in recs] == ["1", "2", "3"] and all("must be a string, got int" in r.error for r in recs)
    mixed = tmp_path / "mixed.parquet"
    pl.DataFrame({"id": ["a", "b", "c"], "text": ["North Korea", None, ""]}).write_parquet(mixed)
    recs = list(read_inputs([str(mixed)]))
    assert not recs[0].error and "missing field 'text'" in recs[1].error and "is empty" in recs[2].error
    corrupt = tmp_path / "corrupt.parquet"
    corrupt.write_bytes(b"PAR1" + os.urandom(64))
    assert "unreadable Parquet" in one(corrupt).error


def test_parquet_streams_in_batches(tmp_path):
    pq = tmp_path / "many.parquet"
    n = 2500
    pl.DataFrame({"id": [f"r{i}" for i in range(n)], "text": ["North Korea"] * n}).write_parquet(pq, row_group_size=500)
    it = read_inputs([str(pq)])
    first = next(it)
    assert first.id == "r0"
    assert sum(1 for _ in it) == n - 1


# -- paths --------------------------------------------------------------------------------------------

def test_missing_files_broken_symlinks_and_symlink_loops(tmp_path):
    (tmp_path / "loop_a").symlink_to(tmp_path / "loop_b")
    (tmp_path / "loop_b").symlink_to(tmp_path / "loop_a")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    recs = list(read_inputs([str(tmp_path / "missing.txt"), str(tmp_path / "loop_a"), str(tmp_path / "broken.txt")]))
    assert "no such file or folder" in recs[0].error
    assert "symlink loop" in recs[1].error
    assert "broken symlink" in recs[2].error


def test_folder_symlink_loops_are_walked_once(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("North Korea", encoding="utf-8")
    (tmp_path / "sub" / "back").symlink_to(tmp_path)           # a folder loop
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")  # a file that is a loop
    recs = list(read_inputs([str(tmp_path)]))
    texts = [r for r in recs if not r.error]
    assert len(texts) == 1
    assert any("symlink loop" in r.error for r in recs)


def test_directory_where_a_file_is_expected(tmp_path):
    d = tmp_path / "looks_like.jsonl"
    d.mkdir()
    assert "folder holds no readable articles" in one(d).error
    (rec,) = discover.read_path(str(d))
    assert "is a directory" in rec.error


def test_unreadable_files_and_folders(tmp_path, monkeypatch):
    p = tmp_path / "secret.txt"
    p.write_text("North Korea", encoding="utf-8")
    real_open = discover.open_binary

    def deny(path):
        if path == str(p):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_open(path)

    monkeypatch.setattr(discover, "open_binary", deny)
    (rec,) = read_inputs([str(p)])
    assert rec.error == f"{p}: permission denied"
    real_scandir = os.scandir

    def no_list(path):
        if str(path) == str(tmp_path / "locked"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.txt").write_text("x", encoding="utf-8")
    monkeypatch.setattr(discover.os, "scandir", no_list)
    recs = list(read_inputs([str(tmp_path)]))
    assert any("cannot list folder (permission denied)" in r.error for r in recs)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_by_mode(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text("x", encoding="utf-8")
    p.chmod(0)
    assert "permission denied" in one(p).error


def test_a_reader_that_fails_half_way_leaves_an_error_row(tmp_path, monkeypatch):
    p = tmp_path / "a.jsonl"
    p.write_text('{"id": "1", "text": "a"}\n{"id": "2", "text": "b"}\n', encoding="utf-8")

    def broken(path, stream, options):
        yield discover.Record(id="first", text="a")
        raise RuntimeError("disk on fire")

    broken.streaming = True
    monkeypatch.setitem(discover.READERS, ".jsonl", broken)
    recs = list(read_inputs([str(p)]))
    assert recs[0].id == "first"
    assert "read failed after 1 records (RuntimeError: disk on fire)" in recs[1].error


def test_100k_tiny_files_are_all_read(tmp_path):
    root = tmp_path / "tiny"
    n = 100_000
    for i in range(n):
        if i % 1000 == 0:
            folder = root / f"d{i // 1000:03d}"
            folder.mkdir(parents=True)
        (folder / f"a{i:06d}.txt").write_bytes(b"Tiny %d." % i)
    t0 = time.perf_counter()
    count = errors = 0
    for r in read_inputs([str(root)]):
        count += 1
        errors += bool(r.error)
    assert (count, errors) == (n, 0)
    assert time.perf_counter() - t0 < 240


def test_a_json_document_over_its_limit_is_refused(tmp_path):
    p = tmp_path / "big.json"
    p.write_text('[{"id": "a", "text": "' + "x" * 3000 + '"}]', encoding="utf-8")
    rec = one(p, max_article_bytes=100)
    assert "JSON document larger than 1,000 bytes" in rec.error and "use JSONL" in rec.error
    (ok,) = read_inputs([str(p)], max_article_bytes=10_000)
    assert not ok.error


def test_gzip_renamed_to_jsonl_is_one_binary_error(tmp_path):
    import gzip

    p = tmp_path / "feed.jsonl"
    p.write_bytes(gzip.compress(b'{"id": "a", "text": "North Korea"}\n' * 1000))
    assert "binary file" in one(p).error
