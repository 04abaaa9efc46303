"""Inflections found through a Snowball stemmer give the same alternatives whether the stemmer's
map of the whole vocabulary is built (English, at compile time) or only the vocabulary tokens
sharing a word's first three letters are stemmed when the word is met (every other language)."""

import random

import pytest

from flagger.engine.alternatives import _LATIN_STEMMERS, INFLECT, TokenAlternatives, _plausible_inflection

# index tokens of my own: terms and name parts in several languages and scripts
VOCABULARY = {
    "missile", "missiles", "rakete", "raketen", "sanction", "sanctions", "sanktion", "sanktionen",
    "embargo", "embargos", "munition", "munitions", "tanker", "tankers", "frachter", "cargo",
    "uranium", "uranio", "zentrifuge", "centrifuga", "centrifugas", "korea", "korei", "koreai",
    "ракета", "ракеты", "санкции", "танкер", "صاروخ", "صواريخ", "عقوبات", "موشک",
    "helikopter", "helicoptero", "drone", "drones", "dronów", "pociski", "pocisk", "kimya",
}
# words of running text: inflected forms, near misses, other scripts
WORDS = [
    "missiles", "missilen", "raketen", "raketów", "sanctioned", "sanktionierte", "sanktionen",
    "embargoes", "embargot", "munitionen", "munizioni", "tankerek", "tankeren", "frachtern",
    "uraniums", "uranios", "zentrifugen", "centrifughe", "centrifugas", "koreas", "korejski",
    "koreai", "ракетами", "ракет", "санкциями", "танкеры", "بصواريخ", "الصواريخ", "موشکها",
    "helikopterek", "helicopteros", "drona", "dronami", "pocisków", "pociskami", "kimyasal", "kimi",
]

LANGS = [*_LATIN_STEMMERS, "ru", "ar", "fa"]


def _generated(seed: int, n: int) -> tuple[set[str], list[str]]:
    """Random stems with endings: index tokens and text words that share beginnings often."""
    rng = random.Random(seed)
    stems = ["".join(rng.choice("aeioukrstnmlpdgb") for _ in range(rng.randint(3, 6))) for _ in range(n)]
    endings = ["", "s", "es", "en", "er", "a", "e", "i", "o", "u", "y", "ie", "om", "ami", "ów", "ach", "ing", "ed"]
    vocab = {s + rng.choice(endings) for s in stems}
    words = [rng.choice(stems) + rng.choice(endings) for _ in range(3 * n)]
    return {v for v in vocab if len(v) >= 3}, words


def _all_maps(vocabulary: set[str]) -> TokenAlternatives:
    """The reference: every stemmer's map of the whole vocabulary built before any look-up."""
    alts = TokenAlternatives(vocabulary, set())
    for lang in LANGS:
        for word in ["abcdef", "ракета", "صاروخ"]:
            name = alts._stemmer_name(word, lang)
            if name is not None:
                alts.prepare_stems(name)
    return alts


@pytest.mark.parametrize("vocabulary, words", [(VOCABULARY, WORDS), _generated(7, 400), _generated(11, 400)],
                         ids=["own words", "generated 7", "generated 11"])
def test_inflections_are_the_same_with_and_without_the_whole_vocabulary_stemmed(vocabulary, words):
    reference, lazy = _all_maps(vocabulary), TokenAlternatives(vocabulary, set())
    assert set(reference._stem_maps) >= {"english", "german", "polish", "russian", "arabic", "persian"}
    assert not lazy._stem_maps
    found = 0
    for lang in LANGS:
        for word in words:
            expected = reference.get(word, lang)
            assert lazy.get(word, lang) == expected, (word, lang)
            found += any(a.kind == INFLECT for a in expected)
    assert found > 20      # the comparison is about inflections, and there are some
    assert not lazy._stem_maps      # no language's whole vocabulary was stemmed


@pytest.mark.parametrize("vocabulary, words", [(VOCABULARY, WORDS), _generated(7, 400), _generated(11, 400)],
                         ids=["own words", "generated 7", "generated 11"])
def test_the_tokens_left_unstemmed_are_never_plausible_inflections(vocabulary, words):
    """What `_stemmed_alike` leaves out (tokens of other lengths and beginnings) is what
    `_plausible_inflection` refuses anyway: the same bases as every token of the stem."""
    reference, lazy = _all_maps(vocabulary), TokenAlternatives(vocabulary, set())
    compared = 0
    for name, whole in reference._stem_maps.items():
        for word in words:
            if len(word) < 3:
                continue
            stem = reference._stem(name, word)
            expected = [o for o in sorted(whole.get(stem, ())) if _plausible_inflection(word, o)]
            assert [o for o in lazy._stemmed_alike(name, word) if _plausible_inflection(word, o)] == expected
            assert [o for o in reference._stemmed_alike(name, word) if _plausible_inflection(word, o)] == expected
            compared += bool(expected)
    assert compared > 20


def test_an_inflection_is_found_in_a_language_whose_stemmer_has_no_map():
    alts = TokenAlternatives({"sanktion", "rakete"}, set())
    assert ("sanktion", INFLECT) in {(a.token, a.kind) for a in alts.get("sanktionen", "de")}
    assert ("rakete", INFLECT) in {(a.token, a.kind) for a in alts.get("raketen", "de")}
    assert "german" not in alts._stem_maps
