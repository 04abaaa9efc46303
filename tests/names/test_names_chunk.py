"""Precision at hit sites: a listed name found in running text must be the whole name there."""

import pytest

from flagger.names import find_chunk, verify_in_context


def hit(text: str, name: str) -> tuple[int, int]:
    start = text.index(name)
    return start, start + len(name)


def verify(text: str, found: str, names: list[str]) -> tuple[bool, str]:
    return verify_in_context(text, *hit(text, found), names)


@pytest.mark.parametrize(
    ("text", "found", "names"),
    [
        ("The court named Hamza bin Bassam al-Assad as a smuggler.", "Bassam al-Assad", ["Bassam al-Assad"]),
        ("Cargo was shipped by Delta Mining Shipping Ltd. last year.", "Delta Mining", ["Delta Mining Co., Ltd."]),
        ("Analysts met Kim Jong Chol in Seoul.", "Kim Jong", ["Kim Jong Un"]),
        ("Shares of Acme Trading International rose.", "Acme Trading", ["Acme Trading Co"]),
    ],
)
def test_a_listed_name_inside_a_longer_different_name_is_rejected(text, found, names):
    ok, reason = verify(text, found, names)
    assert not ok, reason
    assert "part of the longer name" in reason


@pytest.mark.parametrize(
    ("text", "found", "names"),
    [
        ("President Putin spoke on Monday.", "Putin", ["Vladimir Putin", "Putin"]),
        ("Yesterday Kim Jong Un said the test succeeded.", "Kim Jong Un", ["Kim Jong Un"]),
        ("The respected Comrade Kim Jong Un inspected a factory.", "Kim Jong Un", ["Kim Jong Un"]),
        ("Marshal Kim Jong Un attended.", "Kim Jong Un", ["Kim Jong Un"]),
        ("The ship was owned by Delta Mining Co., Ltd. of Nampo.", "Delta Mining", ["Delta Mining Co., Ltd."]),
        ("According to Kim Jong Un's statement, talks failed.", "Kim Jong Un", ["Kim Jong Un"]),
        ("But Bassam al-Assad denied it.", "Bassam al-Assad", ["Bassam al-Assad"]),
        # a possessive before the name is its owner, not a part of it
        ("Technicians from the North's National Aerospace Technology Administration travelled.",
         "National Aerospace Technology Administration", ["National Aerospace Technology Administration"]),
        ("Deliveries by Russia\u2019s Rosoboronexport resumed.", "Rosoboronexport", ["Rosoboronexport"]),
    ],
)
def test_titles_common_words_and_legal_forms_around_a_name_are_accepted(text, found, names):
    ok, reason = verify(text, found, names)
    assert ok, reason


def test_a_hit_that_is_part_of_the_listed_full_name_is_accepted():
    text = "Vladimir Vladimirovich Putin met envoys."
    ok, reason = verify(text, "Vladimir Putin" if "Vladimir Putin" in text else "Putin", ["Vladimir Vladimirovich Putin"])
    assert ok, reason
    assert "matches listed name" in reason


def test_all_caps_sentences_give_no_casing_evidence_so_the_hit_stands():
    text = "SANCTIONS HIT HAMZA BIN BASSAM AL-ASSAD TRADERS"
    ok, reason = verify(text, "BASSAM AL-ASSAD", ["Bassam al-Assad"])
    assert ok and "no casing evidence" in reason


def test_caseless_scripts_give_no_casing_evidence():
    text = "김정은 국무위원장이 말했다"
    ok, reason = verify(text, "김정은", ["Kim Jong Un"])
    assert ok and "no casing evidence" in reason


def test_title_case_headlines_give_no_casing_evidence():
    text = "Kim Jong Un Visits Missile Factory In Pyongyang"
    ok, _ = verify(text, "Kim Jong Un", ["Kim Jong Un"])
    assert ok


def test_find_chunk_grows_over_capitalised_words_and_particles_but_not_titles():
    text = "Officials said President Hamza bin Bassam al-Assad arrived."
    start, end = find_chunk(text, *hit(text, "Bassam al-Assad"))
    assert text[start:end] == "Hamza bin Bassam al-Assad"


def test_find_chunk_stops_at_sentence_ends_but_not_at_legal_form_abbreviations():
    text = "It was Delta Mining Co. Ltd. Later Kim spoke."
    start, end = find_chunk(text, *hit(text, "Delta Mining"))
    assert text[start:end] == "Delta Mining Co. Ltd."


def test_the_reason_always_explains_the_decision():
    for text, found in (("President Putin spoke.", "Putin"), ("Hamza bin Bassam al-Assad spoke.", "Bassam al-Assad")):
        ok, reason = verify(text, found, ["Vladimir Putin", "Putin", "Bassam al-Assad"])
        assert isinstance(ok, bool) and found in reason


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The former head of Roscosmos Dmitry Rogozin criticised the plan.", "Dmitry Rogozin"),
        ("Der Chef von Roskosmos Dmitri Rogosin sprach lange.", "Dmitri Rogosin"),
        ("Der frühere Roskosmos-Chef Dmitri Rogosin sprach lange.", "Dmitri Rogosin"),
        ("Bývalý šéf Roskosmosu Dmitrij Rogozin kritizoval plán.", "Dmitrij Rogozin"),
        ("Były szef Roskosmosu Dmitrij Rogozin skrytykował plan.", "Dmitrij Rogozin"),
        ("Бывший глава Роскосмоса Дмитрий Рогозин раскритиковал план.", "Дмитрий Рогозин"),
    ],
)
def test_an_organisation_after_a_role_noun_is_not_part_of_the_persons_name(text, found):
    ok, reason = verify_in_context(text, *hit(text, found), [found], person=True)
    assert ok, reason


@pytest.mark.parametrize(
    ("text", "found", "names", "person"),
    [
        # a particle joins a longer personal name even after a role noun
        ("The commander Hamza bin Bassam al-Assad was named.", "Bassam al-Assad", ["Bassam al-Assad"], True),
        # a one-word hit: the capitalised word before it may be the person's own given name
        ("The head of Roscosmos Dmitry Rogozin spoke.", "Rogozin", ["Rogozin"], True),
        # an organisation's name is not cut: "Tanchon Commercial Bank" is another bank
        ("The head of Tanchon Commercial Bank resigned.", "Commercial Bank", ["Commercial Bank"], False),
    ],
)
def test_a_role_noun_does_not_cut_a_longer_name_apart(text, found, names, person):
    ok, reason = verify_in_context(text, *hit(text, found), names, person=person)
    assert not ok, reason


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Der Kremlsprecher Dmitri Peskow wies den Bericht zurück.", "Dmitri Peskow"),          # German
        ("Kremlchef Wladimir Putin empfing die Delegation.", "Wladimir Putin"),
        ("Der russische Vizeregierungschef Alexander Nowak sprach über Gas.", "Alexander Nowak"),
        ("Der nordkoreanische Machthaber Kim Jong Un besuchte die Werft.", "Kim Jong Un"),
        ("De Russische regeringsleider Michail Misjoestin sprak dinsdag.", "Michail Misjoestin"),  # Dutch
        ("Kremlwoordvoerder Dmitri Peskov reageerde niet.", "Dmitri Peskov"),
        ("Utrikesminister Sergej Lavrov talade i Moskva.", "Sergej Lavrov"),                    # Swedish
        ("Rysslands försvarsminister Sergej Sjojgu besökte fabriken.", "Sergej Sjojgu"),
    ],
)
def test_a_role_written_as_one_compound_word_is_not_part_of_the_name_after_it(text, found):
    ok, reason = verify_in_context(text, *hit(text, found), [found], person=True)
    assert ok, reason


def test_a_given_name_ending_in_an_honorifics_letters_is_still_part_of_the_name():
    # "Abdulamir" is a name, not a compound of a role: honorifics are no compound roles
    text = "The court named Abdulamir Bassam al-Assad as a smuggler."
    ok, reason = verify_in_context(text, *hit(text, "Bassam al-Assad"), ["Bassam al-Assad"], person=True)
    assert not ok, reason
