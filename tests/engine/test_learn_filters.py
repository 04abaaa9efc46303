"""The checks that let the learning of a batch's words skip work are sound: each is a necessary
condition for the work to find anything, so the alternatives of every word come out exactly as
when every word goes through every step (`TokenAlternatives.get`, word by word).

- `phonetic.press_reachable` (every word's press spellings at once, in C) keeps exactly the words
  of which some press spelling is a target;
- `TokenAlternatives._may_stem_alike` holds for every word with an index token that
  `_plausible_inflection` accepts;
- `TokenAlternatives._inflections` (a batch's words stemmed at once) reads each word as the stem
  step of `_compute` does;
- `TokenAlternatives.fill` gives the tables `get` gives, in every language, compounding ones too
  (`CompoundReader.may_split`: tests/engine/test_compounds.py);
- `phrases._one_token` is `phrases._candidate` for one token;
- `PhraseIndex._may_reach` keeps every one-token candidate that reaches its key's floor: the
  learned one-token candidates are those made of every alternative and checked one by one.

The words: the bundled sample articles, the test fixtures' texts, and generated words made of the
spellings the press conventions rewrite (sch, cz, ie, w, j, ...) with case endings."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from flagger.engine.alternatives import _ENDINGS, TokenAlternatives, _plausible_inflection
from flagger.engine.phrases import _END, PhraseIndex, _candidate, _one_token
from flagger.names.phonetic import _press_bulk, press_reachable, press_spellings
from flagger.text import normalize_text

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples" / "articles.jsonl"

# Name parts and terms of my own, as an index holds them (folded), with spelling equivalents
# (sergey/sergei), wildcard terms and a compound head (German "raketen")
VOCABULARY = {
    "lavrov", "shoygu", "sergey", "putin", "vladimir", "kim", "jong", "un", "shoigu", "dmitry",
    "medvedev", "zakharova", "maria", "chol", "pyongyang", "khamenei", "ali", "hezbollah",
    "missile", "missiles", "rakete", "raketen", "sanction", "sanctions", "sanktion", "embargo",
    "tanker", "tankers", "uranium", "drone", "drones", "korea", "korei", "nuclear", "warhead",
    "lieferung*", "российск*", "ракета", "ракеты", "санкции", "boreas", "kazakh", "zhukov",
    "chernov", "szabo", "jaroslav", "yaroslav", "shchukin", "tsvetkov", "djokovic", "giovanni",
}


def _text_words() -> list[str]:
    texts = []
    for line in SAMPLES.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            texts += [record.get("title", ""), record.get("text", "")]
    fixtures = ROOT / "tests" / "fixtures"
    for path in [*(fixtures / "articles").glob("*.txt"), *(fixtures / "articles").glob("*.md")]:
        texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return sorted({w for text in texts for w in normalize_text(text)})


def _generated(seed: int, n: int) -> list[str]:
    """Words built from the spellings the conventions rewrite, with Slavic and Baltic endings, and
    listed tokens with endings, typos and press spellings."""
    rng = random.Random(seed)
    pieces = ["sch", "szcz", "tsch", "cz", "ch", "dz", "dsch", "dj", "sz", "sh", "zh", "rz", "ie", "oe",
              "ou", "gu", "gi", "ci", "sci", "w", "j", "e", "a", "o", "u", "i", "y", "k", "l", "v",
              "r", "n", "m", "t", "s", "p", "b", "x", "q", "h"]
    endings = ["", "a", "e", "i", "o", "u", "y", "s", "as", "is", "us", "em", "om", "ie", "am", "ui", "owi",
               "ovi", "ovo", "en", "es", "ing", "ed", "ami", "ach"]
    out = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 5))) + rng.choice(endings) for _ in range(n)]
    listed = sorted(t for t in VOCABULARY if t.isascii() and "*" not in t)
    for _ in range(n):
        t = rng.choice(listed)
        kind = rng.randrange(4)
        if kind == 0:
            out.append(t + rng.choice(endings))
        elif kind == 1 and len(t) > 3:
            i = rng.randrange(len(t))
            out.append(t[:i] + rng.choice("aeioukrstnw") + t[i + 1:])
        elif kind == 2:
            out.append(t.replace("v", "w").replace("y", "j").replace("sh", "sz").replace("ch", "cz") + rng.choice(endings))
        else:
            out.append(t[:-1] + rng.choice(endings))
    return out


WORDS = sorted(set(_text_words() + _generated(3, 1500) + _generated(5, 1500)
                   + ["lawrowa", "szojgu", "siergiej", "choigou", "poetin", "putinem", "lavrovas", "unem",
                      "ławrowa", "čong", "choïgou", "putin'in", "langstreckenraketen", "lieferungen",
                      "kurzstreckenraketen", "waffenlieferungen", "waffenlieferung", "nachraketen", "raketenabwehr",
                      "российской", "ракетами", "путіним", "لافروف", "Πούτιν".lower(), "2024", "hwasong18"]))


def test_the_words_are_many_and_of_every_kind():
    assert len(WORDS) > 3000
    assert any(not w.isascii() for w in WORDS) and any("'" in w for w in WORDS)
    assert sum(bool(press_spellings(w)) for w in WORDS if w.isascii()) > 1000


def test_bulk_spellings_hold_every_press_spelling_of_every_word():
    owners, spellings, unscreened = _press_bulk(WORDS)
    assert len(owners) == len(spellings)
    held: dict[str, set[str]] = {}
    for word, spelled in zip(owners, spellings, strict=True):
        held.setdefault(word, set()).add(spelled)
    unscreened = set(unscreened)
    assert {w for w in WORDS if not w.isascii()} <= unscreened
    for word in WORDS:
        if word not in unscreened:
            assert set(press_spellings(word)) <= held.get(word, set()), word


def test_press_reachable_keeps_every_word_with_a_spelling_among_the_targets():
    targets = {s for w in WORDS for s in press_spellings(w)}
    reachable = press_reachable(WORDS, frozenset(targets))
    assert {w for w in WORDS if press_spellings(w)} <= reachable
    # one target: the words that reach it, and the ones not read here (not lower-case ASCII)
    for target in ("lavrov", "shoygu", "putin", "sergey", "un"):
        reachable = press_reachable(WORDS, {target})
        assert {w for w in WORDS if target in press_spellings(w)} <= reachable
        assert {w for w in WORDS if not w.isascii()} <= reachable
        assert len(reachable) < len(WORDS) / 4          # it does filter


def test_press_reachable_keeps_exactly_the_words_with_a_spelling_among_the_targets():
    """For words of lower-case ASCII letters the answer is exact: the bulk's extra candidates (a
    word's first two letters, an ending cut too short, the word itself) are not kept."""
    simple = [w for w in WORDS if w.isascii() and w.isalpha() and w.islower()]
    for targets in ({"lavrov", "shoygu", "putin", "sergey", "un", "kim", "chol"}, set(VOCABULARY),
                    {s for w in WORDS[::7] for s in press_spellings(w)}):
        reachable = press_reachable(WORDS, targets)
        assert {w for w in simple if w in reachable} == {w for w in simple if targets.intersection(press_spellings(w))}
    assert press_reachable(["putin", "unas", "una"], {"putin", "un"}) == {"unas", "una"}    # not itself; Un-as, Un-a


def test_press_reachable_takes_the_targets_as_several_sets():
    """An index passes its vocabulary and the tokens whose equivalents reach it as two sets (not
    copied into one): the same words as with their union."""
    vocabulary = set(VOCABULARY)
    for reaching in (frozenset(), frozenset({"sergei", "shoigu", "lavrof"}), frozenset(s for w in WORDS[::5]
                                                                                      for s in press_spellings(w))):
        assert press_reachable(WORDS, (vocabulary, reaching)) == press_reachable(WORDS, vocabulary | reaching)


def test_press_reachable_filters_running_text():
    assert press_reachable(["lawrowa", "tesira", "berlin", "minister"], {"lavrov"}) == {"lawrowa"}
    assert press_reachable(["ławrowa", "berlin"], {"lavrov"}) == {"ławrowa"}     # folded by press_spellings
    assert press_reachable(["ab12", "un", ""], {"ab12", "un"}) == set()        # no spellings at all
    assert press_reachable([], {"lavrov"}) == set()


def _vocabulary(seed: int) -> set[str]:
    rng = random.Random(seed)
    stems = ["".join(rng.choice("aeioukrstnmlpdgbwjz") for _ in range(rng.randint(3, 7))) for _ in range(300)]
    return VOCABULARY | {s + rng.choice(["", "s", "a", "en", "ie", "ów", "ami", "ing"]) for s in stems}


@pytest.fixture(scope="module")
def two_maps():
    """Two alternatives maps of one index: one asked word by word (`get`), one filled in bulk."""
    vocabulary = _vocabulary(7)
    fuzzy = {t for t in vocabulary if "*" not in t}
    return TokenAlternatives(vocabulary, fuzzy), TokenAlternatives(vocabulary, fuzzy)


def test_may_stem_alike_holds_for_every_plausible_inflection(two_maps):
    alts = two_maps[1]
    vocabulary = alts.vocabulary
    by_head: dict[str, list[str]] = {}
    for other in vocabulary:
        by_head.setdefault(other[:3], []).append(other)     # (an inflection shares 3 letters at least)
    rng = random.Random(1)
    words = WORDS + [v[:len(v) - k] + e for v in sorted(vocabulary) for k in (0, 1, 2)
                     for e in rng.sample(sorted(_ENDINGS), 3) if len(v) > k]
    passed = 0
    for word in words:
        if any(other != word and _plausible_inflection(word, other) for other in by_head.get(word[:3], ())):
            assert alts._may_stem_alike(word), word
            passed += 1
    assert passed > 500
    assert sum(alts._may_stem_alike(w) for w in WORDS) < len(WORDS) / 2      # it does filter


def _stem_step(alts: TokenAlternatives, word: str, lang: str) -> list[str]:
    """What `_compute`'s stem step reads one word as, written out as it was before the bulk path."""
    name = alts._stemmer_name(word, lang)
    if name is None or len(word) < 3 or not alts._may_stem_alike(word):
        return []
    return [o for o in alts._stemmed_alike(name, word) if o != word and _plausible_inflection(word, o)
            and not alts._a_word_of_its_own(word, o)]


@pytest.mark.parametrize("stem_map", [False, True])
def test_inflections_in_bulk_are_the_stem_step_word_by_word(stem_map):
    """`_inflections` stems a batch's words in one call per stemmer and reads only those whose
    stem is in the stem map (when the stemmer has one) or for which `_may_stem_alike` holds: the
    same readings as the stem step asked of each word."""
    vocabulary = _vocabulary(7) | {"raketa", "ракета", "санкций", "missiles", "sanctioned", "tankers"}
    alts = TokenAlternatives(vocabulary, set())
    if stem_map:
        alts.prepare_stems("english")
    words = WORDS + ["ракеты", "ракетой", "санкции", "missile", "sanctioning", "tanker", "شاحنات"]
    for lang in ("en", "de", "ru", "es", "fa", "ar", "xx"):
        expected = {w: _stem_step(alts, w, lang) for w in words}
        assert alts._inflections(words, lang) == {w: found for w, found in expected.items() if found}, lang
    assert alts._inflections(["missile", "tanker"], "en") == {"missile": ["missiles"], "tanker": ["tankers"]}


@pytest.mark.parametrize("lang", ["en", "de", "nl", "da", "pl", "ru", "fr", "tr", "ar", "ko", "xx"])
def test_fill_gives_the_tables_get_gives(two_maps, lang):
    one_by_one, together = two_maps
    expected = {w: one_by_one.get(w, lang) for w in WORDS}
    half = len(WORDS) // 2
    together.fill(WORDS[:half], lang)
    together.fill(WORDS, lang)          # the second half new, the first known
    table = together.table(lang)
    assert {w: table[w] for w in WORDS} == expected
    kinds = {a.kind for alts in expected.values() for a in alts}
    assert kinds >= {"exact", "fuzzy", "inflection", "equivalent"}, kinds


def test_fill_gives_the_tables_get_gives_with_a_stem_map():
    """The same with the English stem map compiled in (as a scan's index has it): `fill` reads
    only the words whose stem is in the map."""
    vocabulary = _vocabulary(9) | {"missiles", "sanctioned", "tankers", "drones"}
    one_by_one, together = (TokenAlternatives(vocabulary, vocabulary) for _ in range(2))
    for alts in (one_by_one, together):
        alts.prepare_stems("english")
    words = WORDS + ["missile", "sanctioning", "tanker", "droned"]
    expected = {w: one_by_one.get(w, "en") for w in words}
    together.fill(words, "en")
    assert {w: together.table("en")[w] for w in words} == expected
    assert sum(a.kind == "inflection" for alts in expected.values() for a in alts) > 50


def test_one_token_is_the_general_candidate(two_maps):
    alts = two_maps[0]
    compared = set()
    for word in WORDS:
        for lang in ("en", "de"):
            for alt in alts.get(word, lang):
                payloads = [1, 2]
                assert _one_token(word, alt, payloads) == _candidate((word,), 0, 1, (alt,), payloads)
                compared.add((alt.kind, alt.once, alt.token.endswith("*")))
    assert {("exact", False, False), ("fuzzy", True, False), ("fuzzy", False, False),
            ("inflection", False, True), ("equivalent", False, False)} <= compared


# Floors as the scanner's `_similarity_floor` gives them: a cue (0), a term or entity (88, 90), a
# weak alias at two thresholds (90 / 0.9 - 1e-9, 95 / 0.9), an exact-only payload (inf)
FLOORS = (0.0, 88.0, 90.0, 91.7, 99.0, 100.0 - 1e-9, 105.5, float("inf"))


@pytest.mark.parametrize("spread", [False, True])
def test_learned_one_token_candidates_are_every_one_that_reaches_the_floor(spread):
    """Learning skips the one-token candidates that cannot reach their key's floor before making
    them (`_may_reach`); what it keeps is exactly what making every candidate and checking it
    keeps. `spread`: each key its own floor (payload id modulo the floors), else one floor for all
    in turn (the weak-alias floor 100 - 1e-9 among them, which no typo or variant reaches)."""
    vocabulary = _vocabulary(7) | {"lieferung*"}
    index = PhraseIndex()
    for p, token in enumerate(sorted(vocabulary)):
        index.add((token,), p)
        index.add((token, "bank"), len(vocabulary) + p)      # (one-token keys that also go on)
    fuzzy_or_variant = 0
    for k, fixed in enumerate([None] if spread else FLOORS):
        def floor(pids, fixed=fixed):
            return FLOORS[pids[0] % len(FLOORS)] if fixed is None else fixed
        alts = index.alternatives()
        index.learn(set(WORDS), f"en{k}", alts, floor)
        expected = {}
        for word in WORDS:
            kept = []
            for i, a in enumerate(alts.get(word, f"en{k}")):
                payloads = index.trie.get(a.token, {}).get(_END)
                if payloads:
                    one = _one_token(word, a, payloads)
                    if one.exact_only or one.similarity >= floor(payloads):
                        kept.append((i, one))
            if kept:
                expected[word] = tuple(kept)
        assert index._state(f"en{k}", floor).singles == expected
        fuzzy_or_variant += sum(not c.exact_only for kept in expected.values() for _i, c in kept)
    assert fuzzy_or_variant > 100       # (typo and variant candidates were kept, where they reach)


def _learned(index: PhraseIndex, words: list[str], lang: str) -> dict:
    state = index._state(lang, None)
    tid = {w: state.words.ids[w] for w in words}
    flags = bytes(state.flags)

    def ids(offsets, counts, flat, w):
        return sorted(flat[offsets[tid[w]]:offsets[tid[w]] + counts[tid[w]]])
    return {w: (flags[tid[w]], ids(state.offsets, state.counts, state.alt_ids, w),
                ids(state.other_offsets, state.other_counts, state.other_ids, w), state.singles.get(w)) for w in words}


def test_word_ids_of_typo_readings_in_bulk_are_their_tokens_ids():
    """Learning numbers most words' alternatives by their index tokens' positions in the one-edit
    index (`TokenAlternatives.one_edit_tokens`, `_WordIds.one_edit_ids`) instead of looking each
    token up: every word learns the same flags, start ids, second-word ids and one-token
    candidates as when every token is looked up."""
    rng = random.Random(11)
    vocabulary = sorted(_vocabulary(13))
    indexes = [PhraseIndex(), PhraseIndex()]
    for index in indexes:
        for p, token in enumerate(vocabulary):
            index.add((token,), p)
            index.add((token, vocabulary[(p * 7) % len(vocabulary)]), len(vocabulary) + p)
            index.add((vocabulary[(p * 3) % len(vocabulary)], token, "bank"), 2 * len(vocabulary) + p)
    bulk, one_by_one = indexes
    alts = one_by_one.alternatives()
    alts.one_edit_tokens = lambda words, readings: (np.zeros(len(words), dtype=bool), np.zeros(0, dtype=np.int64))
    words = sorted(set(WORDS) | {t[:i] + rng.choice("aeiokrst") + t[i + 1:] for t in vocabulary for i in (1, 3)})
    for index in indexes:
        index.learn(set(words[::2]), "en", index.alternatives())     # two batches: the second meets known words
        index.learn(set(words), "en", index.alternatives())
    pure, _ = bulk.alternatives().one_edit_tokens(words, [bulk.alternatives().table("en")[w] for w in words])
    assert pure.sum() > 1000        # (most words took the bulk path)
    assert _learned(bulk, words, "en") == _learned(one_by_one, words, "en")
