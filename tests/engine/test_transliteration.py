"""Russian, Ukrainian and Belarusian names as the papers of other languages write them, with the
case endings of Slavic and Baltic languages, and Latin list names in other scripts
(names.phonetic.press_spellings, names.normalize.fold). Sentences written for these tests."""

from __future__ import annotations

import pytest


def entity_ids(scanner, text: str) -> set[str]:
    return {e.entity_id for e in scanner.scan_text(text).entities}


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Wczoraj Siergiej Ławrow przyleciał do Ankary.", "N:lavrov"),             # Polish ł, w, ie, j
        ("Premier spotkał się z Władimirem Putinem w poniedziałek.", "N:putin"),  # Polish instrumental
        ("Siergiej Szojgu obejrzał nowe czołgi na poligonie.", "N:shoigu"),       # Polish sz, j
        ("Novináři čekali na Sergeje Lavrova před budovou.", "N:lavrov"),          # Czech genitive
        ("Sergueï Choïgou a visité une usine de blindés.", "N:shoigu"),            # French ch, ou, ï
        ("Sergej Sjojgoe bezocht dinsdag een fabriek.", "N:shoigu"),              # Dutch sj, oe
        ("Sergejus Lavrovas atvyko į derybas.", "N:lavrov"),                       # Lithuanian -us, -as
        ("Vladimirs Putins runāja ar žurnālistiem.", "N:putin"),                   # Latvian -s
        ("Сяргей Лаўроў прыехаў на перамовы.", "N:lavrov"),                        # Belarusian ў
        ("Ο Σεργκέι Λαβρόφ έφτασε χθες για συνομιλίες.", "N:lavrov"),               # Greek γκ, -οφ
        ("किम जोंग उन ने नए कारखाने का दौरा किया।", "N:kju"),                          # Devanagari anusvara
    ],
)
def test_a_russian_or_korean_name_as_another_language_writes_it(news_scanner, text, entity):
    assert entity in entity_ids(news_scanner, text)


@pytest.mark.parametrize(
    "text",
    [
        "Wczoraj w Warszawie padał deszcz i wiał silny wiatr od morza.",      # Polish endings, w, sz
        "Vakar Vilniuje lijo, o vėjas buvo labai stiprus.",                    # Lithuanian endings
        "Le chou de Bruxelles et la poutre du toit ont coûté cher.",           # French ch, ou
        "Vakar Rīgā lija lietus, un pilsētas ielas bija tukšas.",              # Latvian -s
        "Учора ў Мінску ішоў дождж, і вецер быў моцны.",                       # Belarusian ў
        "Ο καιρός στην Αθήνα ήταν καλός και ο κόσμος βγήκε στους δρόμους.",    # Greek digraphs
    ],
)
def test_ordinary_sentences_in_those_languages_name_no_one(news_scanner, text):
    assert entity_ids(news_scanner, text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Rozmowy z Kim Dzong Unem trwały dwa dni.",                 # Polish instrumental
        "Wizyta Kim Dzong Una w Rosji zaskoczyła obserwatorów.",    # Polish genitive
    ],
)
def test_a_case_ending_on_a_short_name_part(news_scanner, text):
    assert "N:kju" in entity_ids(news_scanner, text)


def test_a_frequent_word_is_read_only_as_a_syllable_of_a_longer_name(news_scanner):
    # "ale" (Polish "but") is no "al"; "Kima" alone is no one
    assert entity_ids(news_scanner, "Kima nie było, ale jego brat przyszedł na spotkanie.") == set()


@pytest.fixture(scope="module")
def latin_only():
    """A list that spells Putin only 'Vladimir Vladimirovich Putin' / 'Vladimir Putin' (no bare surname)."""
    from pathlib import Path

    from flagger.api import Scanner

    fixtures = Path(__file__).parent.parent / "fixtures"
    return Scanner(rules=[fixtures / "entities" / "missile_rule.yaml"],
                   entities=[fixtures / "entities" / "issue15_names.csv"], default_entities=False)


def test_a_given_name_that_is_a_frequent_word_is_still_read_as_its_list_spelling(latin_only):
    # "Wladimir" is among German's frequent words; as a given name it still stands for "Vladimir"
    assert "I:putin" in entity_ids(latin_only, "Gestern sprach Wladimir Putin vor dem Parlament.")
    assert "I:putin" in entity_ids(latin_only, "Danach reiste Wladimir Putin nach Peking.")


@pytest.mark.parametrize("text", ["Gestern sprach Wladimir vor dem Parlament.",
                                  "Wladimir Klitschko boxte gestern in Kiew."])
def test_the_given_name_alone_or_with_another_surname_names_no_one(latin_only, text):
    assert entity_ids(latin_only, text) == set()


@pytest.mark.parametrize("text", [
    "Розмова з Володимиром Путіним тривала годину.",        # Ukrainian instrumental, і and и
    "Володимир Путін прибув до Пекіна у вівторок.",          # Ukrainian nominative
    "Листа надіслали Володимирові Путіну вчора.",            # Ukrainian dative
])
def test_ukrainian_spellings_of_a_russian_listed_name(latin_only, text):
    # the list writes only Vladimir Putin / Владимир Путин; Ukrainian writes і for и, и for ы and
    # Володимир for Владимир (names/data/given_names.txt)
    assert "I:putin" in entity_ids(latin_only, text)


@pytest.mark.parametrize("text", [
    "Володимир Зеленський прибув до Брюсселя.",             # the given name with another surname
    "Учора в Києві йшов дощ, і вітер був дуже сильний.",     # ordinary Ukrainian, і ї є
])
def test_ukrainian_sentences_without_a_listed_name_name_no_one(latin_only, text):
    assert entity_ids(latin_only, text) == set()
