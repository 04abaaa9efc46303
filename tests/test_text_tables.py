"""flagger/text_unicode.json: the tokeniser's and the folding's Unicode tables as `text.unicode_tables()`
derives them from the Unicode database, read instead of derived when made for this Python's version."""

import json
import unicodedata

import numpy as np
import pytest

from flagger import text

REGENERATE = ("regenerate it: python -c \"import json, flagger.text as t; "
              "json.dump(t.unicode_tables(), open(t._TABLES_FILE, 'w'), separators=(',', ':'))\"")


def _expand(runs):
    starts, values = runs
    return np.repeat(np.array(values, np.uint8), np.diff(np.append(starts, 0x10001)))


@pytest.fixture
def tables_file(tmp_path, monkeypatch):
    """Point flagger.text at a tables file of the test's own (the cached read is dropped before and after)."""
    path = tmp_path / "text_unicode.json"
    monkeypatch.setattr(text, "_TABLES_FILE", path)
    text._stored_tables.cache_clear()
    yield path
    text._stored_tables.cache_clear()


def test_the_shipped_file_holds_the_tables_derived_for_its_unicode_version():
    stored = json.loads(text._TABLES_FILE.read_text(encoding="utf-8"))
    if stored["unidata_version"] != unicodedata.unidata_version:
        pytest.skip(f"text_unicode.json is for Unicode {stored['unidata_version']}; this Python has "
                    f"{unicodedata.unidata_version}, so its tables are derived at start-up")
    assert stored == json.loads(json.dumps(text.unicode_tables())), REGENERATE


def test_the_tables_in_use_are_the_derived_ones():
    derived = text.unicode_tables()
    assert text._JOINERS.startswith(derived["joiners"])
    assert derived["southeast_asian"] == text._SOUTHEAST_ASIAN
    classes = text._char_classes()
    assert classes.dtype == np.uint8 and classes.shape == (0x10001,)
    assert np.array_equal(classes, _expand(derived["char_classes"]))
    assert text._combining_table() == {cp: None for cp in range(0x0300, 0x20000) if unicodedata.combining(chr(cp))}


def test_what_the_tables_say_about_some_characters():
    classes = text._char_classes()
    assert classes[ord("a")] == text._WORD_BIT
    assert classes[ord("\u0301")] == text._WORD_BIT           # a combining mark joins a word
    assert classes[ord("'")] == text._APOSTROPHE_BIT
    assert classes[ord("中")] & text._SPLIT_BIT and classes[ord("ก")] & text._SPLIT_BIT   # cut into characters
    assert classes[ord(" ")] == 0 and classes[0x10000] == text._SPLIT_BIT
    assert text.normalize_token("Zoë") == "zoe" and text.normalize_tokens(["Ñandú", "İstanbul"]) == ["nandu", "istanbul"]
    assert [t.raw for t in text.tokenize("उत्तर कोरिया")] == ["उत्तर", "कोरिया"]    # vowel signs stay in the word


def test_a_file_made_for_another_unicode_version_is_not_read(tables_file):
    tables_file.write_text(json.dumps(dict(text.unicode_tables(), unidata_version="1.1.0", joiners="x")))
    assert text._stored_tables() == {}
    assert text._table("joiners", lambda: "derived") == "derived"


@pytest.mark.parametrize("content", [None, "{not json", "[1, 2]"])
def test_a_missing_or_unreadable_file_is_not_read(tables_file, content):
    if content is not None:
        tables_file.write_text(content)
    assert text._stored_tables() == {}
    assert text._table("combining", lambda: [[1, 2]]) == [[1, 2]]


def test_a_file_for_this_version_is_read(tables_file):
    tables_file.write_text(json.dumps({"unidata_version": unicodedata.unidata_version, "joiners": "stored"}))
    assert text._table("joiners", lambda: "derived") == "stored"
    assert text._table("combining", lambda: "derived") == "derived"    # a table it lacks is derived
