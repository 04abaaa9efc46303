"""Latin list names written in other scripts in running text.

Official lists write most names in Latin letters only; a paper in Arabic, Persian, Urdu, Hebrew,
Korean, Greek, Georgian, Armenian, Hindi, Bengali or Tamil writes them in its own letters, by
sound: "لازاروس", "라자루스", "Λάζαρους" are Lazarus. Each such word is romanised (`fold`:
anyascii, with the script spellings of names.normalize) and keyed by its sounds
(`phonetic.script_key`), and compared with the keys of the list's Latin words vowel-tolerantly
(`phonetic.vowel_tolerant`: abjads and Indic scripts leave vowels out).

A sound key is loose: measured against the default list, about half of the 30,000 most frequent
Korean, Arabic and Hebrew words share a consonant key with some listed word. So a word found
this way is a name only with corroboration (`LatinNames.find`):

- every word of a listed name of 2+ words, in order ("კიმ ჩენ ინმა" Kim Jong Un), or all of them
  in one Korean word ("김정은"), with 4+ consonant sounds in all, and for a name of fewer than 6
  not every word a frequent word of the text's language;
- or one distinctive listed word (3+ consonant sounds, not a frequent word of the language)
  right beside the word for the entity's kind that its listed name carries: "Lazarus Group" is
  "مجموعة لازاروس", "라자루스 그룹", "Ομάδα Λάζαρους", "Группа Лазарус" (data/type_words.txt).

Words take their script's prefixes and endings off first: Arabic و ب ل ف ك and the article
ال, Hebrew ו ה ב ל מ כ ש, Korean particles (은 는 이 가 의 ...), Georgian and Armenian case
endings (-მა, -ის, -ը, -ի ...), Bengali -র/-এর/-কে.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

from flagger.names.normalize import fold
from flagger.names.phonetic import consonants, is_syllable, merged, script_key, vowel_key, vowel_tolerant
from flagger.names.resources import DATA_DIR
from flagger.text import normalize_token

ARABIC, HEBREW, HANGUL, GREEK, ARMENIAN, GEORGIAN, INDIC, CYRILLIC = (
    "arabic", "hebrew", "hangul", "greek", "armenian", "georgian", "indic", "cyrillic")
_RANGES = ((0x0370, 0x03FF, GREEK), (0x1F00, 0x1FFF, GREEK), (0x0400, 0x052F, CYRILLIC),
           (0x0530, 0x058F, ARMENIAN), (0x0590, 0x05FF, HEBREW), (0x0600, 0x06FF, ARABIC),
           (0x0750, 0x077F, ARABIC), (0xFB50, 0xFDFF, ARABIC), (0xFE70, 0xFEFF, ARABIC),
           (0x0900, 0x0DFF, INDIC), (0x10A0, 0x10FF, GEORGIAN), (0x1C90, 0x1CBF, GEORGIAN),
           (0xAC00, 0xD7A3, HANGUL))
# Any word these scripts write (Cyrillic only for the word beside a name: a Cyrillic name is read
# by engine.alternatives, so a Cyrillic text is read only when it has a kind word: `to_read`)
SCRIPTS_PATTERN = re.compile("[\u0370-\u03ff\u1f00-\u1fff\u0400-\u06ff\u0750-\u077f\u0900-\u0dff"
                             "\u10a0-\u10ff\u1c90-\u1cbf\uac00-\ud7a3\ufb50-\ufdff\ufe70-\ufeff]")
_NOT_CYRILLIC = re.compile("[\u0370-\u03ff\u1f00-\u1fff\u0530-\u06ff\u0750-\u077f\u0900-\u0dff"
                           "\u10a0-\u10ff\u1c90-\u1cbf\uac00-\ud7a3\ufb50-\ufdff\ufe70-\ufeff]")
# wordfreq's languages written in each script: a frequent word there is a word, not a name
_LANGUAGES = {ARABIC: ("ar", "fa", "ur"), HEBREW: ("he",), HANGUL: ("ko",), GREEK: ("el",),
              INDIC: ("hi", "bn", "ta"), CYRILLIC: ("ru", "uk", "bg", "mk"), ARMENIAN: (), GEORGIAN: ()}
_FREQUENT_TOP = 30_000

# (not ف or ك: they start too many words, "كوريا" is no ك + "وريا")
_ARABIC_PREFIXES = ("وبال", "وال", "بال", "لل", "ال", "و", "ب", "ل")
_HEBREW_PREFIXES = ("וכש", "וה", "וב", "ול", "ומ", "וש", "שה", "שב", "של", "שמ", "כש", "מה", "לה", "בה",
                    "ו", "ה", "ב", "ל", "מ", "כ", "ש")
_SUFFIXES = {
    HANGUL: ("에서는", "에게는", "으로는", "에서", "에게", "으로", "과의", "와의", "이라는", "라는", "이다",
             "은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "도", "로", "측", "만"),
    GEORGIAN: ("ისთვის", "სთვის", "ისგან", "ისა", "თან", "დან", "ში", "ზე", "მა", "ის", "ით", "ად", "ს", "ი", "ო", "მ"),
    ARMENIAN: ("ից", "ով", "ին", "ը", "ն", "ի"),
    INDIC: ("এর", "কে", "তে", "ের"),
}
_MIN_CONSONANTS_ONE_WORD = 3     # a distinctive word beside its kind word: "LSRS" Lazarus
_MIN_CONSONANTS_ONE_VOWELLESS = 4   # ... in a script that leaves vowels out
_MIN_CONSONANTS_NAME = 4         # all the words of a name together: "KM SN N" Kim Jong Un
_MIN_CONSONANTS_VOWELLESS = 8    # ... in a script that leaves vowels out
_MIN_CONSONANTS_WORD_VOWELLESS = 3   # ... and in each of its words
_LONG_NAME = 6                   # a name this long may be written in frequent words (vowels written)
# Scripts that leave (short) vowels out: abjads, and Indic scripts' inherent a as anyascii reads it
VOWELLESS = frozenset({ARABIC, HEBREW, INDIC})


@lru_cache(maxsize=200_000)
def script_of(raw: str) -> str | None:
    """The script of a word, of those this module reads (None for Latin, Han, kana, Thai ...)."""
    for c in raw:
        if c.isalpha():
            o = ord(c)
            for lo, hi, script in _RANGES:
                if lo <= o <= hi:
                    return script
            return None
    return None


@cache
def frequent_words(script: str) -> frozenset[str]:
    """The most frequent words of the languages written in `script` (wordfreq), normalised as
    tokens; loaded on first use, for the scripts a scan meets."""
    import wordfreq  # not a flagger module: read only when a text in one of these scripts comes

    words: set[str] = set()
    for lang in _LANGUAGES.get(script, ()):
        words.update(normalize_token(w) for w in wordfreq.top_n_list(lang, _FREQUENT_TOP))
        for name in ("get_frequency_list", "get_frequency_dict", "top_n_list"):
            clear = getattr(getattr(wordfreq, name, None), "cache_clear", None)
            if clear is not None:
                clear()       # wordfreq keeps a language's whole list cached otherwise
    return frozenset(words)


@cache
def _cyrillic_kind_words() -> re.Pattern:
    words = sorted((w for w in type_words()[0] if script_of(w) == CYRILLIC), key=len, reverse=True)
    return re.compile("(?<![\\w])(?:" + "|".join(map(re.escape, words)) + ")(?![\\w])", re.IGNORECASE)


def to_read(text: str) -> bool:
    """Whether a text may name a listed party in a script this module reads: one search (a
    Cyrillic text only with a kind word: "группа", "банк" ...). The script classes are searched
    in the text's non-ASCII characters only (a Latin text's few quotes and dashes, not its every
    character: 2x less CPU on corpus3k's 3,000 texts)."""
    if text.isascii():
        return False
    rest = non_ascii(text)
    if SCRIPTS_PATTERN.search(rest) is None:
        return False
    return _NOT_CYRILLIC.search(rest) is not None or _cyrillic_kind_words().search(text) is not None


_ASCII_BYTES = bytes(range(128))


def non_ascii(text: str) -> str:
    """The text's non-ASCII characters, in order: its UTF-8 without the ASCII bytes (no other
    byte of UTF-8 is below 0x80), one encode, translate and decode in C; lone surrogates pass."""
    return text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")


@cache
def type_words() -> tuple[dict[str, str], dict[str, str]]:
    """(word of another script -> kind, Latin word -> kind) from data/type_words.txt."""
    written: dict[str, str] = {}
    latin: dict[str, str] = {}
    for line in (DATA_DIR / "type_words.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        head, _, others = line.partition("\t")
        kind, *words = head.split()
        for w in words:
            latin[w] = kind
        for w in others.split("|"):
            if w.strip():
                written[normalize_token(w.strip())] = kind
    return written, latin


def _bases(raw: str, script: str) -> list[str]:
    """The word and the word with its script's prefix or ending taken off (2+ letters left)."""
    word = normalize_token(raw)
    out = [word]
    if script == ARABIC:
        out += [word[len(p):] for p in _ARABIC_PREFIXES if word.startswith(p) and len(word) - len(p) >= 4]
    elif script == HEBREW:
        out += [word[len(p):] for p in _HEBREW_PREFIXES if word.startswith(p) and len(word) - len(p) >= 4]
    else:
        out += [word[:-len(s)] for s in _SUFFIXES.get(script, ()) if word.endswith(s) and len(word) - len(s) >= 2]
    return list(dict.fromkeys(out))


def _romanise(word: str, script: str) -> list[str]:
    """Romanisations of a word as a name's letters: anyascii through `fold`, Hangul's eu (ㅡ)
    left out ("그룹" geulup = group), Armenian ու as u, Hebrew ו as a vowel (וו is
    v), and an Arabic/Persian word-initial و also as v ("ولادیمیر" Vladimir)."""
    if script == HEBREW:
        roman = "v".join("".join(fold(part).split()).replace("v", "w") for part in word.split("וו"))
    elif script == HANGUL:
        # eu (ㅡ) is the vowel Korean puts after a consonant of a foreign name that no vowel
        # follows ("스" s, "그룹" g-rup, "블라디미르" b-la-di-mi-r): left out
        roman = "".join(fold(word).split()).replace("eu", "")
    else:
        roman = "".join(fold(word).split())
    if script == ARMENIAN:
        roman = roman.replace("ow", "u")
    out = [roman]
    if script == ARABIC and roman.startswith("w") and not word.startswith("وال"):
        out.append("v" + roman[1:])     # (not 'and the ...')
    return [r for r in out if r.isascii() and r.isalpha()]


_READ_LIMIT = 200_000
_JOINING = re.compile(r"[\s\-\u2010\u2011\u05be]+")   # spaces, hyphens, the Hebrew maqaf
# How a script's letters merge sounds the list's Latin letters write apart (r_as_l, hushing_as_s)
# (Hindi and Bengali write z as j, ज/জ, the nukta of ज़ mostly left out)
_MERGES = {HANGUL: (True, True), GREEK: (False, True), INDIC: (False, True)}


@lru_cache(maxsize=100_000)
def readings(raw: str) -> tuple[tuple[str, str, str], ...]:
    """(base word, key, consonant key) of each way to read a word of running text as a
    transcribed name; () for a word of another script. The key is the `vowel_key` in a script
    that writes vowels, the `script_key` (vowels as V) in one that leaves them out, `merged` as
    the script writes sounds (Korean l = r, Korean, Greek and Indic sh = s)."""
    script = script_of(raw)
    if script is None:
        return ()
    merge = _MERGES.get(script, (False, False))
    keyed = script_key if script in VOWELLESS else vowel_key
    out = []
    for base in _bases(raw, script):
        for roman in _romanise(base, script):
            key = merged(keyed(roman), *merge)
            out.append((base, key, consonants(key)))
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=100_000)
def _korean_shaped(token: str, parts: int = 3) -> bool:
    """A token of one to three Korean or Chinese syllables ("hun", "pakkwang", "jonghyok")."""
    if not token:
        return True
    return parts > 0 and any(is_syllable(token[:end]) and _korean_shaped(token[end:], parts - 1)
                             for end in range(min(len(token), 6), 0, -1))


def _same(script: str, written: str, listed: str) -> bool:
    """Whether a transcribed word's key can be a listed word's: the same sounds, vowels' quality
    included, in a script that writes its vowels (a vowel at the end aside: a case ending, a
    closing vowel), the same
    consonants with no vowel the listed word lacks in one that leaves vowels out."""
    if script in VOWELLESS:
        return vowel_tolerant(written, listed)
    return written.rstrip("AIU") == listed.rstrip("AIU")


class LatinNames:
    """The Latin list names (as token tuples) that words of other scripts may stand for."""

    def __init__(self, names: Iterable[Sequence[str]]):
        latin_kinds = type_words()[1]
        self._words: set[str] = set()
        # per way of merging sounds: Latin word -> merged key, consonant key -> Latin words
        self._merged: dict[tuple[bool, bool, bool], tuple[dict[str, str], dict[str, set[str]]]] = {}
        self._keyed: dict[bool, dict[str, str]] = {}    # vowels? -> Latin word -> its key, unmerged
        self._frequent: dict[str, frozenset[str]] = {}   # script -> `frequent_words(script)`
        # first word -> second word -> names
        self._by_pair: dict[str, dict[str, list[tuple[str, ...]]]] = {}
        self._read: dict[str, dict[str, str]] = {}           # text word -> `_latin_words`
        self._counts: dict[str, int] = {}                     # Latin word -> its consonant sounds
        self._beside_kind: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        self._sounds: dict[tuple[str, ...], tuple[int, int, int]] = {}   # see `sounds`
        for name in names:
            # (a one-word name is found by the index's own alternatives, or not at all)
            if len(name) < 2 or not all(t.isascii() and t.isalpha() for t in name):
                continue
            name = tuple(name)
            self._words.update(name)
            self._by_pair.setdefault(name[0], {}).setdefault(name[1], []).append(name)
            if len(name) == 2:
                for word, other in ((name[0], name[1]), (name[1], name[0])):
                    if other in latin_kinds and word not in latin_kinds:
                        self._beside_kind[word].append((name, latin_kinds[other]))

    def _consonant_sounds(self, word: str) -> int:
        found = self._counts.get(word)
        if found is None:
            found = self._counts[word] = len(consonants(script_key(word)))
        return found

    def sounds(self, name: tuple[str, ...]) -> tuple[int, int, int]:
        """(consonant sounds of the name's words but its kind word, fewest of any word, all)."""
        found = self._sounds.get(name)
        if found is None:
            latin_kinds = type_words()[1]
            counts = [self._consonant_sounds(t) for t in name]
            # (a kind word adds no distinction: "Misail Group" is as long as "misail")
            found = self._sounds[name] = (
                sum(c for c, t in zip(counts, name, strict=True) if t not in latin_kinds), min(counts), sum(counts))
        return found

    def _index(self, merge: tuple[bool, bool], vowels: bool) -> tuple[dict[str, str], dict[str, set[str]]]:
        """The Latin words' keys (`vowel_key` with `vowels`, else `script_key`) merged as a script
        writes sounds (made when a text in such a script first comes)."""
        found = self._merged.get((*merge, vowels))
        if found is None:
            keys = {w: merged(k, *merge) for w, k in self._keys(vowels).items()}
            by: dict[str, set[str]] = defaultdict(set)
            cons: dict[str, str] = {}        # a key's consonants, once per key (words share keys)
            for w, k in keys.items():
                c = cons.get(k)
                if c is None:
                    c = cons[k] = consonants(k)
                by[c].add(w)
            found = self._merged[(*merge, vowels)] = (keys, by)
        return found

    def _keys(self, vowels: bool) -> dict[str, str]:
        """Every Latin word's `vowel_key` (`vowels`) or `script_key`, made once for all the ways of
        merging sounds (the scripts met in one scan share them)."""
        found = self._keyed.get(vowels)
        if found is None:
            keyed = vowel_key if vowels else script_key
            found = self._keyed[vowels] = {w: keyed(w) for w in self._words}
        return found

    def frequent(self, script: str) -> frozenset[str]:
        """`frequent_words(script)`, kept with these names (`prepare`)."""
        found = self._frequent.get(script)
        if found is None:
            found = self._frequent[script] = frequent_words(script)
        return found

    def prepare(self) -> LatinNames:
        """Makes what reading any script begins with: every script's frequent words (wordfreq's
        lists: 2.8 CPU s for all, 0.12-1.0 s for one script) and the Latin words' keys of both
        kinds (0.5-0.7 s each, default list). Called where the names are stored for later
        processes (`flagger.engine.transcribed`): unpickled with them, they add ~0.12 s to the
        ~0.2 s a load takes, once per process whose scan meets such a script."""
        for script in _LANGUAGES:
            self.frequent(script)
        for vowels in (True, False):
            self._keys(vowels)
        return self

    def _latin_words(self, raw: str) -> dict[str, str]:
        """Latin list words a word of running text may be written for -> the base word read
        (kept per word: a text's words recur from article to article)."""
        found = self._read.get(raw)
        if found is None:
            if len(self._read) > _READ_LIMIT:
                self._read.clear()
            found = self._read[raw] = self._read_word(raw)
        return found

    def _read_word(self, raw: str) -> dict[str, str]:
        script = script_of(raw)
        keys, by = self._index(_MERGES.get(script, (False, False)), script not in VOWELLESS)
        out: dict[str, str] = {}
        for base, key, cons in readings(raw):
            for latin in by.get(cons, ()):
                if latin not in out and _same(script, key, keys[latin]):
                    out[latin] = base
        return out

    def _kind_of(self, raw: str) -> str | None:
        """The entity kind a word names ("مجموعة" group, "그룹은" group), or None."""
        script = script_of(raw)
        if script is None:
            return None
        written, latin_kinds = type_words()
        for base in _bases(raw, script):
            if base in written:
                return written[base]
        if script in VOWELLESS:
            return None         # (its transcriptions of the Latin word are listed: "جروب")
        for latin in self._latin_words(raw):     # the Latin word transcribed ("γκρουπ", "그룹")
            if latin in latin_kinds and self._consonant_sounds(latin) >= 2:   # (not "co")
                return latin_kinds[latin]
        return None

    def _corroborated(self, script: str, name: tuple[str, ...], bases: list[str], raws: Sequence[str]) -> bool:
        """Whether every word of `name`, found in order (`raws` as written, `bases` as read), is
        enough. In a script that writes vowels: 4+ consonant sounds in all, and no word a frequent
        word of the language (where wordfreq knows it) unless the name has 6+ ("블라디미르 푸틴",
        Vladimir Putin, is among Korean's frequent words); in Hangul, each word of 2+ syllables
        (a one-syllable word is a particle or a Korean word). In one that leaves vowels out, where
        far more words share a key: 8+ consonant sounds, 3+ in each word, no frequent word, and
        no prefix read off a word but the first."""
        total, fewest, _all = self.sounds(name)
        frequent = self.frequent(script)
        if script in VOWELLESS:
            return (total >= _MIN_CONSONANTS_VOWELLESS and fewest >= _MIN_CONSONANTS_WORD_VOWELLESS
                    and not any(b in frequent for b in bases)
                    and all(b == normalize_token(r) for b, r in zip(bases[1:], raws[1:], strict=True)))
        if total < _LONG_NAME and any(b in frequent for b in bases):
            return False
        return script != HANGUL or all(len(b) >= 2 for b in bases)

    def find(self, raws: Sequence[str], between: Sequence[str] = ()) -> list[tuple[int, int, tuple[str, ...], str]]:
        """(first word, end word, listed name, why) for each listed name the words of a text
        (`raws`, as written) stand for, corroborated as the module docstring says. `between[k]`
        is the text between word k and word k + 1: a name's words, and a name and its kind word,
        stand apart by spaces or a hyphen only ("PSLV (Polar" is no name)."""
        joined = [not between or _JOINING.fullmatch(between[k]) is not None for k in range(max(0, len(raws) - 1))]
        out: list[tuple[int, int, tuple[str, ...], str]] = []
        matched: dict[int, dict[str, str]] = {}

        def words_at(i: int) -> dict[str, str]:
            m = matched.get(i)
            if m is None:
                m = matched[i] = self._latin_words(raws[i]) if 0 <= i < len(raws) else {}
            return m

        written_kinds = type_words()[0]
        cyrillic_kind = {j for j, raw in enumerate(raws) if script_of(raw) == CYRILLIC
                         and _cyrillic_kind_words().fullmatch(raw) and normalize_token(raw) in written_kinds}
        for i, raw in enumerate(raws):
            script = script_of(raw)
            if script is None or (script == CYRILLIC and i - 1 not in cyrillic_kind and i + 1 not in cyrillic_kind):
                continue     # (a Cyrillic word only beside a kind word: "Группа Лазарус")
            # (a Cyrillic name is read by engine.alternatives; here only beside its kind word)
            second = (words_at(i + 1) if script != CYRILLIC and i + 1 < len(raws) and joined[i]
                      and script_of(raws[i + 1]) == script else {})
            here = words_at(i)
            # (set intersections in C: a word of these scripts sounds as a dozen listed words)
            for latin in (here.keys() & self._by_pair.keys() if second else ()):
                base = here[latin]
                after = self._by_pair[latin]
                for name in [n for other in after.keys() & second.keys() for n in after[other]]:
                    if (i + len(name) > len(raws) or self.sounds(name)[2] < _MIN_CONSONANTS_NAME
                            or (script == HANGUL and all(map(_korean_shaped, name)))):
                        continue    # (Korean words are Korean syllables: "Kim Yon A" is not read in Hangul)
                    bases = [base]
                    for k, part in enumerate(name[1:], start=1):
                        at = words_at(i + k) if script_of(raws[i + k]) == script and joined[i + k - 1] else {}
                        if part not in at:
                            break
                        bases.append(at[part])
                    else:
                        if self._corroborated(script, name, bases, raws[i:i + len(name)]):
                            out.append((i, i + len(name), name,
                                        f"{' '.join(raws[i:i + len(name)])!r} read as {' '.join(name)!r} ({script} script)"))
            for latin in here.keys() & self._beside_kind.keys():
                base = here[latin]
                if (base not in self.frequent(script)
                        and self._consonant_sounds(latin) >= (_MIN_CONSONANTS_ONE_VOWELLESS if script in VOWELLESS
                                                              else _MIN_CONSONANTS_ONE_WORD)):
                    for name, kind in self._beside_kind[latin]:
                        for j in (i - 1, i + 1):
                            if (0 <= j < len(raws) and joined[min(i, j)] and script_of(raws[j]) == script
                                    and self._kind_of(raws[j]) == kind):
                                # the kind word is part of the name as written, unless the script
                                # writes it in lower case beside a capitalised name ("ομάδα Λάζαρους")
                                lower = raws[j][:1].islower() and not raws[i][:1].islower()
                                lo, hi = (i, i + 1) if lower else (min(i, j), max(i, j) + 1)
                                out.append((lo, hi, name, f"{raws[i]!r} read as {latin!r} beside {raws[j]!r} "
                                                          f"({kind}; {script} script)"))
                                break
        return list(dict.fromkeys(out))
