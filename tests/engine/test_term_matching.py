"""Terms match fuzzily on whole tokens: typos, plurals, hyphens, case, diacritics, scripts."""

from __future__ import annotations

import pytest


def fired(scanner, text: str) -> list[str]:
    return scanner.scan_text(text).rules


@pytest.mark.parametrize(
    "text",
    [
        "North Korea sent artillery shells to Russia.",        # plural
        "North Korea sent artilery shells to Russia.",         # typo
        "North Korea sent artillery sehll to Russia.",         # two neighbouring letters swapped
        "NORTH KOREA SENT ARTILLERY SHELLS.",                  # case
        "North-Korea sent artillery shells.",                  # hyphen
        "The DPRK conducted a ship to ship transfer of arms.",   # hyphen/space variant of the term
        "The DPRK conducted a ship-to-ship transfer.",
        "Pyongyang bought ammunition.",
        "평양 탄약을 수입했다.",                                 # Korean with a particle attached
        "Пхеньян закупил боеприпасы.",                          # Russian
        "North Korea delivered KN-23 systems.",                # regex term
        "North Korea delivered kn23 systems.",
    ],
)
def test_arms_rule_fires_on_variants(test_scanner, text):
    assert "test.arms" in fired(test_scanner, text)


@pytest.mark.parametrize(
    "text",
    [
        "Seashells from North Korea.",                          # 'shell' inside a longer word
        "North Korea's shell company was dissolved.",          # excluded phrase
        "The DPRKX team sold artillery shells.",                # exact term, no fuzzy
        "Artillery shells were fired in Texas.",                # no DPRK actor
    ],
)
def test_arms_rule_does_not_fire(test_scanner, text):
    assert "test.arms" not in fired(test_scanner, text)


def test_a_swap_of_neighbours_is_one_edit_not_two(test_scanner):
    # "sehll" is two Levenshtein edits from "shell" but one transposition: inside the one-edit
    # budget of a 5-letter word like any single typo, and scored like one.
    result = test_scanner.scan_text("North Korea sent artillery sehll.")
    hit = next(h for h in result.hits if h.term == "artillery shell")
    assert hit.matched_text == "artillery sehll" and 88 <= hit.similarity < 100
    assert "test.arms" not in fired(test_scanner, "North Korea sent artillery hslel.")   # two swaps


def test_exact_terms_tolerate_only_case(test_scanner):
    assert "test.arms" in fired(test_scanner, "The dprk sold ammunition.")
    assert "test.arms" not in fired(test_scanner, "The DPRC sold ammunition.")


def test_similarity_is_reported_per_hit(test_scanner):
    result = test_scanner.scan_text("North Korea sent artilery shells.")
    hit = next(h for h in result.hits if h.term == "artillery shell")
    assert 88 <= hit.similarity < 100


def test_proximity_window_is_enforced(test_scanner):
    far = "North Korea held a parade. " + "word " * 40 + "Artillery shells were fired."
    assert "test.arms" not in fired(test_scanner, far)
    assert "test.arms" in fired(test_scanner, "North Korea paraded. Artillery shells were fired.")


def test_same_sentence_condition(test_scanner):
    assert "test.coop" in fired(test_scanner, "Russia and North Korea staged a joint military exercise.")
    assert "test.coop" not in fired(test_scanner, "Russia held drills. A joint military exercise was held in Spain.")


def test_entity_reference_satisfies_a_group(test_scanner):
    # No country term, but a UN-1718 designated entity within the window.
    result = test_scanner.scan_text("KOMID sold ammunition to a buyer in Africa.")
    assert "test.arms" in result.rules
    assert any(h.kind == "entity" and h.rule_id == "test.arms" for h in result.hits)


RULE_HEADER = """
pack: {id: t, title: T}
rules:
  - id: t.1
    title: t
    category: c
    severity: high
    legal_basis: [x]
    references: [y]
"""


def one_rule_scanner(tmp_path, body: str):
    """A scanner over one rule `t.1` whose groups (and options) are `body`, indented as rule keys."""
    from flagger.api import Scanner

    pack = tmp_path / "pack.yaml"
    pack.write_text(RULE_HEADER + body, encoding="utf-8")
    return Scanner(rules=[pack], default_entities=False)


def test_prefix_wildcards_match_any_ending(tmp_path):
    scanner = one_rule_scanner(tmp_path, """    groups:
      a: {terms: ["российск* нефть"]}
""")
    assert scanner.scan_text("Танкеры везут российскую нефть.").rules == ["t.1"]
    assert scanner.scan_text("Танкеры везут российских нефть.").rules == ["t.1"]
    assert scanner.scan_text("Танкеры везут росси нефть.").rules == []


def test_wildcards_need_a_real_prefix(tmp_path):
    import pytest

    from flagger.errors import RuleError

    with pytest.raises(RuleError, match="at least 4 letters"):
        one_rule_scanner(tmp_path, "    groups:\n      a: {terms: ['ru*']}\n")


def test_arabic_proclitics_do_not_hide_a_term(tmp_path):
    scanner = one_rule_scanner(tmp_path, """    groups:
      a: {terms: [{term: missiles, aliases: [صواريخ]}]}
""")
    for text in ("زودت روسيا بصواريخ باليستية", "والصواريخ", "وصواريخ"):
        assert scanner.scan_text(text).rules == ["t.1"], text


def test_hebrew_prefixes_do_not_hide_a_term(tmp_path):
    # to / and-from / and-the written onto the word: לרוסיה, ומרוסיה, והטילים
    scanner = one_rule_scanner(tmp_path, """    groups:
      a: {terms: [{term: Russia, aliases: [רוסיה]}]}
      b: {terms: [{term: missiles, aliases: [טילים]}]}
    match: {all: [a, b]}
""")
    for text in ("טילים לרוסיה", "טילים ומרוסיה", "והטילים ברוסיה"):
        assert scanner.scan_text(text).rules == ["t.1"], text
    # a prefix letter is cut only when at least three letters of a listed word remain
    assert scanner.scan_text("טילים ורוסי").rules == []


def test_exclusion_terms_can_carry_their_own_distance(tmp_path):
    scanner = one_rule_scanner(tmp_path, """    groups:
      a: {terms: [artillery shells]}
    exclude:
      terms:
        - shell company
        - {term: Korean War, within: 30}
      within: 2
""")
    filler = "word " * 20
    assert scanner.scan_text(f"Artillery shells {filler} from the Korean War.").rules == []
    assert scanner.scan_text(f"Artillery shells {filler} a shell company.").rules == ["t.1"]


def test_french_and_italian_elision_split_words_but_korean_apostrophes_do_not():
    from flagger.text import tokenize

    assert [t.raw for t in tokenize("l'Iran et dell'UE")] == ["l", "Iran", "et", "dell", "UE"]
    assert [t.raw for t in tokenize("Ch'oe T'aep'o-dong")] == ["Ch'oe", "T'aep'o", "dong"]


def test_a_frequent_word_is_never_a_typo_of_a_term(tmp_path):
    scanner = one_rule_scanner(tmp_path, """    threshold: 80
    groups:
      a: {terms: [Geran]}
""")
    assert scanner.scan_text("Russia launched Gerann drones.").rules == ["t.1"]   # a typo
    assert scanner.scan_text("German officials met.").rules == []                  # a word


# -- scripts: vowel signs stay in their word; scripts without spaces match as characters --------
def test_indic_vowel_signs_stay_inside_their_word():
    from flagger.text import tokenize

    text = "उत्तर कोरिया ने गोले भेजे; வட கொரியா"
    toks = tokenize(text)
    words = [text[a:b] for a, b in zip(toks.starts, toks.ends, strict=True)]
    assert words == ["उत्तर", "कोरिया", "ने", "गोले", "भेजे", "வட", "கொரியா"]


def test_thai_is_cut_per_character_with_its_marks_and_offsets_stay_exact():
    from flagger.text import tokenize

    text = "ข่าว เกาหลีเหนือส่งกระสุน"
    toks = tokenize(text)
    assert "".join(text[a:b] for a, b in zip(toks.starts, toks.ends, strict=True)) == text.replace(" ", "")
    assert text[toks.starts[0]:toks.ends[0]] == "ข่"     # the tone mark stays with its letter


def test_a_rule_window_counts_words_not_characters_in_thai():
    # every Thai letter is a token; a 30-word window must not end after 30 letters
    from flagger.api import Scanner

    scanner = Scanner(default_entities=False)
    text = "กระทรวงการคลังสหรัฐคว่ำบาตรบริษัทที่ช่วยเกาหลีเหนือ"
    assert "designation-notice" in scanner.scan_text(text).categories
