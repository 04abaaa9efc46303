"""Every input format becomes records; every unreadable input becomes a record with its error."""

from __future__ import annotations

import io

import polars as pl

from flagger.sources import read_inputs


def by_id(records):
    return {r.id: r for r in records}


def test_text_and_markdown_files_are_one_article_with_title(fixtures):
    recs = by_id(read_inputs([str(fixtures / "articles" / "arms.txt"), str(fixtures / "articles" / "beach.md")]))
    arms = recs[str(fixtures / "articles" / "arms.txt")]
    assert arms.title == "Shells by rail" and "artillery shells" in arms.text and not arms.error
    assert recs[str(fixtures / "articles" / "beach.md")].title == "A day at the beach"


def test_jsonl_keeps_ids_unknown_fields_and_reports_bad_lines(fixtures):
    path = str(fixtures / "articles" / "feed.jsonl")
    recs = list(read_inputs([path]))
    assert [r.id for r in recs] == ["j1", "j2", f"{path}:3", "j4"]
    j1 = recs[0]
    assert (j1.title, j1.url, j1.published, j1.source) == ("Dealer", "https://example.org/1", "2026-01-02", "Wire")
    assert j1.extra == {"lang_hint": "en"}
    assert "malformed JSON" in recs[2].error and f"{path}:3" in recs[2].error
    assert "missing field 'text'" in recs[3].error and f"{path}:4" in recs[3].error


def test_csv_and_parquet_use_the_same_columns(fixtures, tmp_path):
    csv_path = str(fixtures / "articles" / "table.csv")
    recs = list(read_inputs([csv_path]))
    assert [r.id for r in recs] == ["c1", "c2"]
    pq = tmp_path / "t.parquet"
    pl.DataFrame({"id": ["p1"], "title": ["T"], "text": ["KOMID sold ammunition."]}).write_parquet(pq)
    (rec,) = read_inputs([str(pq)])
    assert rec.id == "p1" and rec.text == "KOMID sold ammunition."


def test_parquet_without_text_column_is_an_error_row(tmp_path):
    pq = tmp_path / "t.parquet"
    pl.DataFrame({"id": ["p1"], "body": ["x"]}).write_parquet(pq)
    (rec,) = read_inputs([str(pq)])
    assert "no 'text' column" in rec.error


def test_encodings_and_empty_files(fixtures):
    arts = fixtures / "articles"
    recs = by_id(read_inputs([str(arts / "utf16.txt"), str(arts / "latin1.txt"), str(arts / "empty.txt")]))
    assert recs[str(arts / "utf16.txt")].text.startswith("North Korea ammunition")
    assert "not valid UTF-8" in recs[str(arts / "latin1.txt")].error
    assert "line 1" in recs[str(arts / "latin1.txt")].error
    assert "empty file" in recs[str(arts / "empty.txt")].error


def test_folders_are_read_recursively_in_stable_order(fixtures):
    first = [r.id for r in read_inputs([str(fixtures / "articles")])]
    second = [r.id for r in read_inputs([str(fixtures / "articles")])]
    assert first == second and len(first) >= 10


def test_missing_paths_and_stdin(tmp_path):
    (missing,) = read_inputs([str(tmp_path / "nope.txt")])
    assert "no such file" in missing.error
    (stdin,) = read_inputs(["-"], stdin=io.BytesIO(b"Title\n\nNorth Korea sold ammunition."))
    assert stdin.id == "-" and stdin.title == "Title"


def test_a_url_list_found_in_a_folder_is_an_error_never_fetched(tmp_path, monkeypatch):
    # Scanning a folder of untrusted files must never make flagger fetch URLs.
    import flagger.sources.feeds

    def no_network(*args, **kwargs):
        raise AssertionError("a file found by walking a folder triggered a network fetch")

    monkeypatch.setattr(flagger.sources.feeds, "read_feed_list", no_network)
    (tmp_path / "urls.txt").write_text("http://127.0.0.1:9/feed.xml\nhttp://10.0.0.1/x\n")
    (rec,) = read_inputs([str(tmp_path)])
    assert "is a feed list; feeds are fetched only from a list named on the command line" in rec.error
