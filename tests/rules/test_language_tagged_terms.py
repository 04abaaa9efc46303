"""Language-tagged spellings (issue 16): an English word that is an ordinary word of another
language is read in English text only. Terms match with diacritics folded in text of every
language, so the English visit word 'met' was every Dutch 'with', the transfer word 'sent' French
'feels', and 'send' Portuguese 'sendo' (being). A rule writes such a spelling with a language tag
("met @en"); the concept lexicon marks it `own_language: true`. In an article told to be in
another language the spelling is an ordinary word; where the language cannot be told it is read
as before. All sentences were written for this test."""

from __future__ import annotations

from pathlib import Path

import pytest

from flagger.errors import RuleError
from flagger.rules.lexicon import bundled_lexicon
from flagger.rules.loader import load_rule_packs

RULES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
# packs that must not load, kept apart: tests load tests/fixtures/rules as one directory of packs
INVALID = Path(__file__).resolve().parent.parent / "fixtures" / "rules_invalid"


@pytest.fixture(scope="module")
def bundled():
    from flagger.api import Scanner

    return Scanner(default_entities=False)


@pytest.fixture(scope="module")
def tagged():
    from flagger.api import Scanner

    return Scanner(rules=[RULES / "language_tagged.yaml"], default_entities=False)


def test_a_tagged_spelling_is_a_term_of_its_languages_only():
    (pack,) = load_rule_packs([RULES / "language_tagged.yaml"])
    terms = pack.rules[0].groups["meeting"].terms
    assert [(t.text, t.aliases, t.languages) for t in terms] == [
        ("held talks", ("conferred",), frozenset()),       # untagged spellings: every language
        ("met", (), frozenset({"en"})),
        ("sprak", (), frozenset({"nl"})),
    ]


def test_the_lexicon_marks_english_words_of_other_languages_as_english_only():
    visit = {t.text: t.own_language for t in bundled_lexicon().concepts["visit"].terms["en"]}
    transfer = {t.text: t.own_language for t in bundled_lexicon().concepts["transfer"].terms["en"]}
    assert visit["met"] and not visit["visited"]
    assert transfer["sent"] and transfer["send"] and not transfer["shipped"]


@pytest.mark.parametrize(("text", "fires"), [
    ("The defence minister met two generals in Moscow on Tuesday to discuss the war in Ukraine.", True),
    ("De minister van defensie sprak dinsdag in Moskou met twee generaals over de oorlog in Oekraïne.", True),
    # Dutch 'met' (with) is no meeting: nothing else of the group is in the sentence
    ("De minister van defensie reisde dinsdag met twee generaals naar Moskou voor de oorlog in Oekraïne.", False),
])
def test_a_user_rule_reads_each_tagged_spelling_in_its_language(tagged, text, fires):
    result = tagged.scan_text(text)
    assert (result.rules == ["tagged.meeting"]) is fires, (result.language, result.hits)


# Bundled rules: the English words in other languages' sentences are ordinary words there
ORDINARY_ELSEWHERE = [
    ("nl", "De minister van Defensie van Noord-Korea sprak met Russische generaals over de oorlog."),
    ("fr", "La Corée du Nord sent la pression de la Russie sur les armes."),
    ("pt", "A Coreia do Norte, sendo aliada da Rússia, tem mísseis."),
]

# ... and still the words they are in English text
ENGLISH = [
    ("North Korea sent artillery shells to Russia, the Pentagon said.", "dprk.arms.export"),
    ("North Korea's defence minister met Russian generals in Moscow to discuss arms supplies.",
     "milcoop.defence_visits"),
]


@pytest.mark.parametrize(("lang", "text"), ORDINARY_ELSEWHERE)
def test_an_english_word_is_an_ordinary_word_of_another_language(bundled, lang, text):
    result = bundled.scan_text(text)
    assert result.language == lang
    assert result.level in ("none", "low") and not result.rules, (result.score, result.hits)


@pytest.mark.parametrize(("text", "rule"), ENGLISH)
def test_the_english_word_is_read_in_english(bundled, text, rule):
    result = bundled.scan_text(text)
    assert rule in result.rules, result.rules


@pytest.mark.parametrize(("name", "words"), [
    ("bad_tag_upper_case.yaml", "a language tag is @ and an ISO 639-1 code in lower case"),
    ("bad_tag_language_name.yaml", "a language tag is @ and an ISO 639-1 code in lower case"),
    ("bad_tag_no_spelling.yaml", "has a language tag but no spelling"),
])
def test_a_malformed_tag_names_the_rule_file_and_line(name, words):
    with pytest.raises(RuleError) as err:
        load_rule_packs([INVALID / name])
    assert f"{name}:17" in str(err.value) and words in str(err.value)


def test_a_lexicon_own_language_flag_must_be_true_or_false():
    from flagger.rules.lexicon import load_lexicon

    with pytest.raises(RuleError) as err:
        load_lexicon(Path(__file__).resolve().parent.parent / "fixtures" / "lexicon" / "bad_own_language.yaml")
    assert "bad_own_language.yaml:4" in str(err.value) and "'own_language': true or false" in str(err.value)


def test_a_text_told_in_a_language_flagger_does_not_read_reads_every_tagged_spelling(bundled):
    """A short English headline may be told as another language (this one as Tagalog): the
    English-only 'sent' is still read, as a cue is, since flagger reads no Tagalog."""
    result = bundled.scan_text("Pyongyang sent missiles to Moscow.")
    assert result.language not in ("en", "pcm", "nl", "fr", "pt", "es")
    assert "dprk.arms.export" in result.rules
