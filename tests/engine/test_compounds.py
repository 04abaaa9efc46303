"""Compound words (issue 16 item 1): a lexicon noun written as the last element of a longer word.

German, Dutch, Swedish, Danish and Finnish join a modifier onto a noun: "Mörsergranaten" (mortar
shells) holds the German term "Granaten", Dutch "kruisraketten" the term "raketten", Swedish
"kryssningsrobotar" the term "robotar", Danish "krydsermissiler" the term "missiler". In an article
in such a language the word is read as its head (flagger/engine/compounds.py, compounds.yaml); the
modifier need not be known. Words that merely end in a term, a verb particle before a noun, and
every language that does not compound are left alone. Sentences written for this test."""

from __future__ import annotations

import pytest

from flagger.engine.compounds import CompoundReader, parse_spec
from flagger.engine.phrases import INFLECT_PENALTY
from flagger.rules.lexicon import parse_lexicon
from flagger.text import normalize_text

# -- the rule firing on a compound head, per language ----------------------------------------------
# (language, sentence whose only arms word is a compound, that compound)
COMPOUND_REPORTS = [
    ("de", "Nordkorea schickte nach Angaben aus Seoul Panzerhaubitzen und Mörsergranaten nach Russland.",
     "Mörsergranaten"),
    ("de", "Nordkorea hat Russland im Herbst mehrere Langstreckenraketen geliefert, berichtet die Regierung.",
     "Langstreckenraketen"),
    ("nl", "Noord-Korea stuurde vorige maand mortiergranaten en kruisraketten naar Rusland, zeggen ambtenaren.",
     "mortiergranaten"),
    ("sv", "Nordkorea har skickat kryssningsrobotar till Ryssland, enligt den sydkoreanska regeringen.",
     "kryssningsrobotar"),
    ("da", "Nordkorea har leveret krydsermissiler til Rusland, siger den sydkoreanske regering.",
     "krydsermissiler"),
    ("fi", "Pohjois-Korea on toimittanut Venäjälle risteilyohjuksia, kertoo Etelä-Korean hallitus.",
     "risteilyohjuksia"),
]


@pytest.fixture(scope="module")
def bundled():
    from flagger.api import Scanner

    return Scanner(default_entities=False)


@pytest.mark.parametrize(("lang", "text", "compound"), COMPOUND_REPORTS, ids=[c[0] + "-" + c[2] for c in COMPOUND_REPORTS])
def test_a_compound_head_is_read_and_the_rule_fires(bundled, lang, text, compound):
    result = bundled.scan_text(text)
    assert result.language == lang
    assert "dprk.arms.export" in result.rules, (result.score, result.contributions)
    assert "arms-embargo" in result.categories
    hits = [h for h in result.hits if h.rule_id == "dprk.arms.export" and h.matched_text == compound]
    assert hits, sorted({h.matched_text for h in result.hits})
    # read as the head, like an inflection (docs/rules.md: similarity 97): an exact spelling outranks it
    assert all(h.similarity == 100 - INFLECT_PENALTY == 97 for h in hits), [h.similarity for h in hits]


def test_a_compound_completes_a_multi_word_term(bundled):
    # "ballistische raket*": the compound stands for the term's last word
    result = bundled.scan_text("Noord-Korea heeft ballistische langeafstandsraketten aan Rusland geleverd, "
                               "zeggen Amerikaanse functionarissen.")
    assert result.language == "nl"
    assert any(h.matched_text == "ballistische langeafstandsraketten" for h in result.hits), result.hits


# -- look-alikes: words that end in a term of the bundled lexicon but are no compound of it -------
# (language, word, the index token it must not stand for); each token is a term of that language
LOOK_ALIKES = [
    ("de", "ausverkauft", "verkauft"),        # sold out: a participle is no head (nouns_only)
    ("de", "Verrat", "rat"),                  # treason: "Rat" (EU-Rat) is shorter than min_head
    ("de", "Weißrussland", "russland"),       # Belarus: a place's name is no head (skip_concepts)
    ("de", "Nachhilfe", "hilfe"),             # tutoring: a particle is no modifier (not_modifiers)
    ("de", "Rüstungsmitarbeiter", "arbeiter"),  # arms-industry staff: Mit|arbeiter is a word of its own (particles_inside)
    ("nl", "uitverkocht", "verkocht"),        # sold out (not_heads: a verb form)
    ("nl", "overlevering", "levering*"),      # tradition (not_modifiers: over)
    ("sv", "lägenheter", "enheter"),          # flats (not_heads: enheter also ends -enhet words)
    ("sv", "tidsålder", "salde"),             # age: tid-s-ålder, not sålde "sold" (not_heads)
    ("da", "begivenheder", "enheder"),        # events, not units (not_heads)
    ("fi", "palauttanut", "auttanut"),        # returned, not helped: no verb is a Finnish head
    ("fi", "urheilutoimittaja", "toimitt*"),  # sports journalist, not a delivery (wildcard not_heads)
    ("hu", "megérkezett", "erkezett"),        # arrived: meg- is a verb prefix (not_modifiers)
    ("hu", "hercegek", "cegek"),              # dukes, not companies (not_heads)
]
HEADS = [
    ("de", "Mörsergranaten", "granaten"),
    ("de", "Trägerraketen", "raketen"),
    ("nl", "kernwapens", "wapens"),
    ("sv", "kärnvapen", "vapen"),
    ("da", "krydsermissiler", "missiler"),
    ("no", "kryssermissiler", "missiler"),
    ("fi", "risteilyohjuksia", "ohjuks*"),
    ("hu", "ballisztikusrakéták", "raket*"),
]


def readings(scanner, word, lang):
    alts = scanner.compiled.index.alternatives()
    return {a.token for a in alts.get(normalize_text(word)[0], lang) if a.kind != "fuzzy"}


@pytest.mark.parametrize(("lang", "word", "term"), HEADS, ids=[c[1] for c in HEADS])
def test_the_bundled_heads_are_read_in_their_language(bundled, lang, word, term):
    assert term in readings(bundled, word, lang)
    assert term not in readings(bundled, word, "en")


@pytest.mark.parametrize(("lang", "word", "term"), LOOK_ALIKES, ids=[c[1] for c in LOOK_ALIKES])
def test_a_word_that_merely_ends_in_a_term_is_not_read_as_it(bundled, lang, word, term):
    assert term in bundled.compiled.index.vocabulary     # the guard is what keeps it out
    assert term not in readings(bundled, word, lang)


def test_a_look_alike_in_a_report_adds_no_finding(bundled):
    # transfer words and North Korea, but no arms: "ausverkauft" and "Betäubungsmittel" are none
    result = bundled.scan_text("Nordkorea hat Russland im Herbst Betäubungsmittel geliefert, "
                               "die Apotheken in Pjöngjang sind seitdem ausverkauft.")
    assert result.language == "de"
    assert "arms-embargo" not in result.categories, result.hits


def test_a_language_that_does_not_compound_is_unaffected(bundled):
    # the German compound in an English and a French sentence stays an unknown word
    for text, lang in (("North Korea shipped Mörsergranaten and Panzerhaubitzen to Russia last autumn, officials said.", "en"),
                       ("La Corée du Nord a envoyé des Mörsergranaten et des Panzerhaubitzen à la Russie, selon Séoul.", "fr")):
        result = bundled.scan_text(text)
        assert result.language == lang
        assert not any(h.matched_text == "Mörsergranaten" for h in result.hits), result.hits


# -- the reader on a small lexicon -----------------------------------------------------------------
LEXICON = """
concepts:
  arms:
    terms:
      en: [shells, missiles]
      de: [Granaten, Rakete*, Rat, verkauft]
      sv: [robotar, enheter]
  russia:
    terms:
      de: [Russland]
"""
SPEC = {
    "min_head": 5, "min_modifier": 3, "skip_concepts": ["russia"],
    "languages": {"de": {"linking": ["s", "en"], "nouns_only": True, "not_modifiers": ["nach"]},
                  "sv": {"linking": ["s"], "not_heads": ["enheter"]}},
}


@pytest.fixture(scope="module")
def reader():
    lexicon = parse_lexicon(LEXICON, "test-lexicon.yaml")
    vocabulary = {"granaten", "rakete*", "rat", "verkauft", "robotar", "enheter", "russland", "shells", "missiles"}
    return CompoundReader(vocabulary, parse_spec(SPEC), lexicon)


def tails(reader, word, lang):
    return reader.tails(normalize_text(word)[0], lang)


def test_the_reader_finds_heads_whole_and_as_wildcard_prefixes(reader):
    assert tails(reader, "Mörsergranaten", "de") == ["granaten"]
    assert tails(reader, "Trägerraketen", "de") == ["raketen"]           # Rakete* with an ending
    assert tails(reader, "Langstreckenraketen", "de") == ["raketen"]
    assert tails(reader, "kryssningsrobotar", "sv") == ["robotar"]
    assert reader.is_head("granaten", "de") and reader.is_head("rakete*", "de")


def test_short_heads_verbs_places_and_particles_are_not_read(reader):
    assert tails(reader, "Verrat", "de") == []                # Rat: shorter than min_head
    assert tails(reader, "ausverkauft", "de") == []           # nouns_only: verkauft is a participle
    assert tails(reader, "Weißrussland", "de") == []          # a place's concept is skipped
    assert tails(reader, "Nachgranaten", "de") == []          # a particle alone is no modifier
    assert tails(reader, "lägenheter", "sv") == []            # not_heads
    assert tails(reader, "Granaten", "de") == []              # no modifier at all
    assert tails(reader, "Megranaten", "de") == []            # modifier shorter than min_modifier
    assert tails(reader, "Uhrsgranaten", "de") == ["granaten"]  # 'uhr' + linking 's'
    assert tails(reader, "Usgranaten", "de") == []            # 'u' + linking 's': too short


def test_languages_that_do_not_compound_get_nothing(reader):
    assert tails(reader, "seashells", "en") == []
    assert tails(reader, "Mörsergranaten", "fr") == []
    assert reader.languages() == frozenset({"de", "sv"})


def test_may_split_keeps_every_word_with_a_tail(reader):
    """`may_split` (a batch's words at once) keeps every word `tails` finds a tail in, and leaves
    out most others: words of many shapes around the heads, the modifier and linking letters."""
    import random
    rng = random.Random(5)
    pieces = ["granaten", "raketen", "rakete", "robotar", "enheter", "rat", "verkauft", "russland",
              "s", "en", "nach", "uhr", "mörser", "lang", "strecken", "a", "x", "gran", "rak"]
    words = sorted({"".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))) for _ in range(3000)})
    for lang in ("de", "sv", "en", "fr"):
        kept = reader.may_split(words, lang)
        with_tails = {w for w in words if reader.tails(w, lang)}
        assert with_tails <= kept
        assert len(kept) < len(words) * 0.8 if lang in ("de", "sv") else kept == set()
    assert len({w for w in words if reader.tails(w, "de")}) > 300
    assert reader.may_split([], "de") == set()


@pytest.mark.parametrize(("spec", "message"), [
    ({"min_head": 5, "min_modifier": 3}, "languages"),
    ({"min_head": 1, "min_modifier": 3, "languages": {"de": {}}}, "min_head"),
    ({"min_head": 5, "min_modifier": 3, "languages": {"de": {"linking": "s"}}}, "languages.de.linking"),
    ({"min_head": 5, "min_modifier": 3, "languages": {"de": {"heads": []}}}, "languages.de"),
    ({"min_head": 5, "min_modifier": 3, "languages": {"de": {"not_heads": ["zwei Worte"]}}}, "not_heads"),
    ({"min_head": 5, "min_modifier": 3, "typo": 1, "languages": {"de": {}}}, "unknown keys"),
    ({"min_head": 5, "min_modifier": 3, "skip_concepts": "dprk", "languages": {"de": {}}}, "skip_concepts"),
])
def test_a_bad_spec_is_refused_naming_the_key(spec, message):
    with pytest.raises(ValueError, match=message):
        parse_spec(spec, "compounds.yaml")


def test_the_documented_limits_are_the_bundled_ones():
    from pathlib import Path

    from flagger.engine.compounds import bundled_spec

    spec = bundled_spec()
    doc = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    assert f"at least {spec.min_modifier} letters into the word" in doc
    assert f"at least\n{spec.min_head} letters" in doc or f"at least {spec.min_head} letters" in doc
    assert set(spec.languages) == {"de", "nl", "sv", "da", "no", "fi", "hu"}
