"""Copy grouping's shingles, computed in numpy over whole slices of texts, are the shingles the
module's docstrings define, word by word in plain Python: the words are `re.findall(r"\\w+")` of
the casefolded text, a word's hash the sum of (code point + 1) * BASE**(position + 1) mixed
with its length, five words' hashes mixed into one shingle, a text of fewer than five words one
hash of all of them. (Issue 19 changed how the word sums are computed; the hashes must not move.)"""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from flagger.sources import dedupe

M = (1 << 64) - 1
MIX = [int(x) for x in dedupe._MIX]


def _word_hash(word: str) -> int:
    h = sum((ord(c) + 1) * pow(int(dedupe._WORD_BASE), i + 1, 1 << 64) for i, c in enumerate(word)) & M
    h ^= (len(word) * int(dedupe._WORD_LENGTH)) & M
    h = (h * MIX[4]) & M
    return h ^ (h >> 31)


def _rotl(x: int) -> int:
    r = int(dedupe._ROT)
    return ((x << r) | (x >> (64 - r))) & M


def reference_shingles(text: str) -> list[int]:
    words = [_word_hash(w) for w in re.findall(r"\w+", text.casefold())]
    if len(words) >= dedupe.SHINGLE:
        grams = set()
        for i in range(len(words) - dedupe.SHINGLE + 1):
            g = (words[i] * MIX[0]) & M
            for k in range(1, dedupe.SHINGLE):
                g = _rotl(g) ^ ((words[i + k] * MIX[k]) & M)
            grams.add(g)
        return sorted(grams)
    if words:
        h = (int(dedupe._SHORT) * len(words)) & M
        for i, w in enumerate(words):
            h = (((h ^ w) * MIX[i]) & M) ^ (h >> int(dedupe._ROT_BACK))
        return [h]
    return []


TEXTS = [
    "North Korea shipped artillery shells to Russia, officials said on Monday.",
    "NORTH KOREA SHIPPED ARTILLERY SHELLS TO RUSSIA, OFFICIALS SAID ON MONDAY.",   # casefolded alike
    "Die Straße nach Pjöngjang: Granaten für Russland, sagte ein Beamter heute.",
    "Северная Корея отправила снаряды в Россию, заявили чиновники в понедельник.",
    "朝鲜 向 俄罗斯 运送 炮弹 官员 周一 表示",
    "Kim 𝔘𝔫 met 😀 the minister of 𝔡𝔢𝔣𝔢𝔫𝔠𝔢 in Pyongyang last week again",      # letters beyond the BMP
    "Only four words here",
    "",
    "... --- !!!",
    "Supercalifragilisticexpialidocious antidisestablishmentarianism " * 3,
]


def test_shingles_are_the_defined_hashes():
    got = dedupe._all_shingles(TEXTS)
    for text, arr in zip(TEXTS, got, strict=True):
        assert arr.tolist() == reference_shingles(text), text
    # case does not matter; the numbers are 64-bit and sorted without repeats
    assert got[0].tolist() == got[1].tolist()
    assert len(got[0]) == 11 - 4 and got[7].tolist() == []     # 11 words: 7 five-word shingles


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="abcXYZ éßİ ЖжΣς 朝鲜 𝔘😀,.-_\n\t0129", max_size=120), min_size=1, max_size=6))
def test_shingles_of_any_texts(texts):
    got = dedupe._all_shingles(texts)
    assert [a.tolist() for a in got] == [reference_shingles(t) for t in texts]
