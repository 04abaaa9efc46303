"""The hit-site checks' shortcuts decide as the plain definitions they replace (issue 19: speed
without a changed verdict): a role compound found with one `str.endswith` over all role endings,
a title-case sentence decided at its first lower-case word, the word sets made once."""

from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.names import chunk, resources
from flagger.names.normalize import fold


def _role_compound_reference(word: str) -> bool:
    head, sep, tail = word.rpartition("-")
    if sep:
        return bool(head and tail) and fold(tail) in chunk._roles()
    low = fold(word)
    return " " not in low and any(low.endswith(role) for role in chunk._COMPOUND_ROLES
                                  if len(low) - len(role) >= chunk._COMPOUND_HEAD)


def _casing_useless_reference(sentence: str) -> bool:
    has_lower = any(map(str.islower, sentence))
    if not has_lower and not any(map(str.isupper, sentence)):
        return True
    if not has_lower:
        return True
    skip = resources.particles()
    words = [w for w in chunk._WORD.findall(sentence) if len(w) >= 3 and w.lower() not in skip]
    return len(words) >= 4 and all(w[0].isupper() or w[0].isdigit() for w in words)


ROLE_WORDS = ["Kremlsprecher", "Staatschef", "Außenminister", "Regeringsleider", "Utrikesminister",
              "Chef", "Kremlchef", "Abdulamir", "Vizepremier", "Premier", "Xchef", "Abcdchef", "Abcchef",
              "Roskosmos-Chef", "Gazprom-Sprecher", "-Chef", "Kim", "Sprecherin", "Landesvorsitzende"]


def test_role_compounds_as_defined():
    assert chunk._role_compound("Kremlsprecher") and chunk._role_compound("Roskosmos-Chef")
    assert not chunk._role_compound("Abcchef")        # three letters before the role: a name
    assert chunk._role_compound("Abcdchef")
    for word in ROLE_WORDS:
        assert chunk._role_compound(word) == _role_compound_reference(word), word


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdefhiklmnoprstuvzäöüßCKSV- ", max_size=18),
       st.sampled_from(["", *chunk._COMPOUND_ROLES[:40]]))
def test_role_compounds_of_any_word(head, role):
    word = head + role
    assert chunk._role_compound(word) == _role_compound_reference(word)


SENTENCES = [
    "North Korea Ships Artillery Shells To Russia",           # title case
    "North Korea ships artillery shells to Russia",
    "NORTH KOREA SHIPS SHELLS",                              # all capitals
    "北朝鮮が砲弾を輸送",                                       # no case
    "Kim Jong Un Visits the Factory of Tanks",               # a lower-case word of 3+ letters
    "Kim Jong Un al Bashir Visits",                          # a particle is skipped
    "Kim and Putin Met",                                     # three words of 3+ letters only
    "Kim Jong Un 2024 Meets",
]


def test_title_case_as_defined():
    assert chunk._casing_useless("North Korea Ships Artillery Shells To Russia")
    assert not chunk._casing_useless("North Korea ships artillery shells to Russia")
    for sentence in SENTENCES:
        assert chunk._casing_useless(sentence) == _casing_useless_reference(sentence), sentence


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Kim", "kim", "al", "Al", "and", "Visits", "visits", "2024", "of", "The",
                                 "the", "Bank", "bin", "X", "ÉTAT", "état", "北朝鮮"]), max_size=9))
def test_title_case_of_any_sentence(words):
    sentence = " ".join(words)
    assert chunk._casing_useless(sentence) == _casing_useless_reference(sentence)


def test_word_sets_are_the_lists_folded():
    assert chunk._stop_words() == chunk._boundary() | resources.title_tokens() | chunk._country_words()
    assert chunk._chunk_particles() == resources.particles() - chunk._connectors() - chunk._ARTICLES
    assert chunk._stop_words() is chunk._stop_words()      # made once
