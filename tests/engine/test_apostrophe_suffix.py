"""Case endings written after an apostrophe on a proper noun (Turkish and Azerbaijani: Putin'in,
Lavrov'a, Kim Jong Un'un, Moskova'ya): the word is also read as the part before the apostrophe.
Elided articles (l'Iran, d'Angara) and English possessives ('s) keep working. Sentences written
for these tests."""

from __future__ import annotations

import pytest

from flagger.text import normalize_match_token


def entity_ids(scanner, text: str) -> set[str]:
    return {e.entity_id for e in scanner.scan_text(text).entities}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Turkish genitive, dative; Azerbaijani genitive and dative (ə); the typographic apostrophe
        ("Ankara'daki toplantıda Putin'in açıklaması ve Sergei Lavrov'a yöneltilen sorular konuşuldu.",
         {"N:putin", "N:lavrov"}),
        ("Kim Jong Un'un trenle Moskova'ya yaptığı yolculuk dört gün sürdü.", {"N:kju"}),
        ("Bakı'da keçirilən görüşdə Sergei Lavrov'un çıxışı və Putin'ə verilən sual müzakirə olundu.",
         {"N:lavrov", "N:putin"}),
        ("Şoygu’nun fabrikayı ziyaretinden sonra Putin’e bir rapor sunuldu.", {"N:putin"}),
        # elisions and possessives, as before
        ("Le ministre a quitté l'Iran hier soir.", set()),
        ("Les images montrent le chargement du navire d'Angara au port.", {"N:angara"}),
        ("Russia's foreign minister Sergei Lavrov's remarks were brief.", {"N:lavrov"}),
    ],
)
def test_a_name_with_a_case_ending_after_an_apostrophe_is_found(news_scanner, text, expected):
    assert expected <= entity_ids(news_scanner, text)


@pytest.mark.parametrize(
    "text",
    [
        "Geçen yaz İstanbul'a, İzmir'e ve Antalya'ya gelen turistlerin sayısı yüzde on arttı.",
        "Sabah Bakı'dan çıxan qatar axşam Gəncə'yə çatdı.",
        "Atlantik'te fırtına çıktı, gemiler Ege'ye sığındı.",   # not the vessel ATLANTIC
    ],
)
def test_place_names_with_case_endings_name_no_one(news_scanner, text):
    assert entity_ids(news_scanner, text) == set()


def test_only_a_short_ending_after_the_only_apostrophe_is_kept_apart():
    assert normalize_match_token("Putin'in") == "putin'in"
    assert normalize_match_token("Putin\u2019e") == "putin'e"
    assert normalize_match_token("Korea's") == "koreas"       # English clitics stay joined
    assert normalize_match_token("don't") == "dont"
    assert normalize_match_token("Дар'я") == "даря"             # Ukrainian: the apostrophe is inside the word
    assert normalize_match_token("T'aep'o") == "taepo"        # McCune-Reischauer, two apostrophes
    assert normalize_match_token("Moskova'dakilerden") == "moskovadakilerden"   # longer than 5 letters
