"""A frequent word of some language that is how its papers write a listed surname (French
"Poutine", Dutch "Poetin", German and Polish "Nowak", German "Pankow", French "Levine", French
"Bachar" for Bashar) is read as that name part only inside the person's name, beside another part
of it written as a name: a given name, a patronymic, a word that is no frequent word, or two more
words of the name (engine.alternatives.PRESS, engine.hitsite.press_reading_corroborated). Alone,
the same word is what it means in its language. Sentences written for these tests; the list is
tests/fixtures/entities/press_names.csv (English list spellings only)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def press(fixtures):
    from flagger.api import Scanner

    return Scanner(rules=[fixtures / "entities" / "missile_rule.yaml"],
                   entities=[fixtures / "entities" / "press_names.csv"], default_entities=False)


def entity_ids(scanner, text: str) -> set[str]:
    return {e.entity_id for e in scanner.scan_text(text).entities}


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Vladimir Poutine a reçu une délégation de Pyongyang.", "P:putin"),               # French
        ("Hier soir, Vladimir Vladimirovitch Poutine a parlé à la télévision.", "P:putin"),  # + patronymic
        ("Les journalistes attendaient Vladimir Poutine devant le Kremlin.", "P:putin"),    # mid-sentence
        ("Vladimir Poetin ontving dinsdag een delegatie uit Pyongyang.", "P:putin"),       # Dutch oe
        ("Bachar al-Assad a quitté Damas pour Moscou.", "P:assad"),                        # French ch
        ("Der russische Vizeregierungschef Alexander Nowak sprach über Gas.", "P:novak"),  # German w
        ("Wicepremier Rosji Aleksandr Nowak mówił o gazie.", "P:novak"),                   # Polish w
        ("Gestern sprach Nikolai Pankow vor dem Ausschuss.", "P:pankov"),                  # German w
        ("Dmitri Levine a rencontré les banquiers mardi.", "P:levin"),                     # French -e
    ],
)
def test_a_frequent_word_is_a_listed_surname_beside_the_persons_given_name(press, text, entity):
    assert entity in entity_ids(press, text)


@pytest.mark.parametrize(
    "text",
    [
        "La poutine est un plat québécois.",                                   # French: the dish
        "J'ai mangé une poutine avant le match.",
        "Au Québec, Poutine et frites sont servies partout.",                  # capitalised, alone
        "In Pankow wurde am Montag eine neue Schule eröffnet.",                # German: a Berlin district
        "Jan Nowak kupił wczoraj nowy samochód.",                              # Polish: another Nowak
        "Pan Nowak mieszka w Krakowie od lat.",
        "Levine said the committee would meet again on Friday.",              # English: a surname alone
        "Le chef Vladimir a servi une poutine à ses clients.",                 # given name, dish apart
    ],
)
def test_the_frequent_word_alone_names_no_one(press, text):
    assert entity_ids(press, text) == set()


def test_a_frequent_word_is_never_read_as_another_kind_of_entity(press):
    # the vessel is listed as "Poutine Express"; "poutine" is written as is here, so it is found...
    assert "P:poutine" in entity_ids(press, "Le navire Poutine Express a quitté Nampo.")
    # ...while a press reading makes a person's name part only: "Putin Express" is no vessel name
    # the list carries, and "Poetin" (Dutch) is not read as the vessel's "poutine"
    assert entity_ids(press, "Het schip Poetin Express verliet Nampo.") == set()


def test_the_report_says_which_name_was_matched(press):
    (match,) = press.scan_text("Vladimir Poutine a reçu une délégation de Pyongyang.").entities
    assert (match.entity_id, match.matched_text) == ("P:putin", "Vladimir Poutine")
    assert match.similarity < 100       # a spelling variant, not the list's spelling
