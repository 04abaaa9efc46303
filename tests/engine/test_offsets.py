"""Every hit's start/end slice the original text to exactly the matched text."""

from __future__ import annotations

from flagger.text import normalize_token, tokenize

TEXTS = [
    "North Korea sent artillery shells.\r\nKim\u200bJong Un smiled. 평양 탄약을 수입했다.",
    "Ｎｏｒｔｈ Ｋｏｒｅａ — “artillery shells” (DPRK)…  Пхеньян передал боеприпасы 平壤",
    "Cafe\u0301 KOMID sold ammunition; KN-23 seen.",
]


def test_tokens_slice_the_original_text():
    for text in TEXTS:
        for tok in tokenize(text):
            assert text[tok.start:tok.end] == tok.raw


def test_normalisation_folds_case_width_and_diacritics():
    assert normalize_token("Ｋｏｒｅａ") == "korea"
    assert normalize_token("Ryongsŏng") == "ryongsong"
    assert normalize_token("Kim\u200bJong") == "kimjong"
    assert normalize_token("Ch'oe") == "choe"
    assert normalize_token("김정은") == "김정은"


def test_hits_round_trip(test_scanner):
    for text in TEXTS:
        result = test_scanner.scan_text(text)
        assert result.hits, text
        for hit in result.hits:
            assert text[hit.start:hit.end] == hit.matched_text
