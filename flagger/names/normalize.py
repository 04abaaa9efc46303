"""Name normalisation: one folded, tokenised form for names from any script.

`fold()` turns a name into lower-case ASCII words: Unicode NFKC, zero-width characters removed,
Hangul and Han characters transliterated one syllable per word (so "김정은" becomes
"gim jeong eun", comparable with "Kim Jong Un"), everything else through `anyascii`
(Cyrillic, Arabic/Persian, Greek, accented Latin), apostrophes dropped ("Ch'oe" = "Choe"),
other punctuation turned into spaces. A name in Han characters is also read as Korean
(`korean_readings`: "金正恩" -> "김정은", Sino-Korean readings from Unihan in data/hanja_korean.txt),
since Korean names on the lists are written in Hanja as often as in Hangul; callers compare
every reading (`analysis.forms`) and keep the best.

`name_tokens()` then strips leading titles/honorifics from person names and folds legal forms
of organisations to one canonical token each ("Co., Ltd." and "Limited" -> "ltd",
"Aktiengesellschaft" -> "ag"). The reference lists live in `flagger/names/data/`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import OSA

from flagger.names import resources

_ZERO_WIDTH = re.compile("[\u00ad\u034f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# Hangul syllables/jamo and CJK ideographs: transliterated one syllable per word.
_SYLLABIC = re.compile("([\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_ABJAD = re.compile("[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc\u02bb\u02b9\u02ba\u0060\u00b4\u2032\u201b\"]")
_NON_ALNUM = re.compile("[^a-z0-9]+")

_CARONS = str.maketrans({"š": "sh", "Š": "Sh", "č": "ch", "Č": "Ch", "ž": "zh", "Ž": "Zh",
                         # Belarusian ў after a vowel is the Russian в: "Лаўроў" = Lavrov
                         "ў": "v", "Ў": "V"})
_ABD = frozenset({"abd", "abdul", "abdel", "abdal", "abdol", "abdoul", "abdu"})
_ARTICLES = frozenset({"al", "el", "ul", "ol", "ar", "as", "ad", "an", "at", "az", "ash", "adh", "ud", "ur", "us"})
_ALLAH = frozenset({"lah", "llah", "la", "alla", "allah", "ullah", "ulla"})

PERSON = "person"
ORGANISATION = "organisation"
VESSEL = "vessel"
AIRCRAFT = "aircraft"

_KINDS = {
    "person": PERSON, "individual": PERSON, "people": PERSON,
    "organisation": ORGANISATION, "organization": ORGANISATION, "company": ORGANISATION,
    "entity": ORGANISATION, "legalentity": ORGANISATION, "publicbody": ORGANISATION,
    "vessel": VESSEL, "ship": VESSEL, "aircraft": AIRCRAFT, "airplane": AIRCRAFT,
}


def normalize_kind(kind: str | None) -> str | None:
    """Map an entity type or FollowTheMoney schema ("Person", "Company", "individual") to
    person / organisation / vessel / aircraft, or None when unknown."""
    if not kind:
        return None
    return _KINDS.get(str(kind).strip().lower().replace("_", "").replace(" ", ""))


_DOTTED = re.compile(r"(?<![^\W\d_])((?:[^\W\d_]\.){2,})")


def _undot(match: re.Match) -> str:
    return match.group(1).replace(".", "") + " "


_HANGUL = re.compile("[\uac00-\ud7a3]")


def _hangul_syllable(match: re.Match) -> str:
    """One Hangul syllable in Revised Romanisation as names are written: final ㄱ/ㄷ/ㅂ as
    k/t/p ("박" = "Bak", not "Bag"), and 이 as "Yi" (the surname Lee/Ri/Yi, not an initial)."""
    roman = anyascii(match.group()).lower()
    if roman == "i":
        roman = "yi"
    elif roman.endswith(("g", "d", "b")) and not roman.endswith("ng"):
        roman = roman[:-1] + {"g": "k", "d": "t", "b": "p"}[roman[-1]]
    return f" {roman} "


# Greek writes foreign b, d, g, u and j with digraphs ("Μπάιντεν" Biden, "Ντμίτρι" Dmitri,
# "Σεργκέι" Sergei, "Πούτιν" Putin, "Τζόνσον" Johnson); Devanagari writes the n of "ng" with the
# anusvara, which anyascii reads as m ("जोंग" Jong)
_SCRIPT_SPELLINGS = ((re.compile("(?i)μπ"), "b"), (re.compile("(?i)(?<![\u0370-\u03ff])ντ"), "d"),
                     (re.compile("(?i)γκ|γγ"), "g"), (re.compile("(?i)ου|ού"), "u"), (re.compile("(?i)τζ"), "j"),
                     # the Russian surname ending -ov is written -οφ/-ωφ ("Λαβρόφ" Lavrov)
                     (re.compile("(?i)(?<=[οωόώ])φ(?![\u0370-\u03ff\u1f00-\u1fff])"), "v"),
                     (re.compile("\u0902(?=[\u0915-\u0918])"), "\u0919\u094d"))
_SCRIPT_MARKS = re.compile("[\u0370-\u03ff\u1f00-\u1fff\u0902]")


def _script_spellings(text: str) -> str:
    if not _SCRIPT_MARKS.search(text):
        return text
    for pattern, repl in _SCRIPT_SPELLINGS:
        text = pattern.sub(repl, text)
    return text


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH.sub("", text)
    if "." in text:
        text = _DOTTED.sub(_undot, text)  # dotted acronyms: "A.B.C." = "ABC", "p.l.c." = "plc"
    if not text.isascii():
        # carons (ISO 9, Czech, Baltic, Croatian) are sounds that English-based lists write as digraphs
        text = text.translate(_CARONS)
        text = _script_spellings(text)
        text = _HANGUL.sub(_hangul_syllable, text)
        text = _SYLLABIC.sub(r" \1 ", text)
        text = anyascii(text)
    text = _APOSTROPHES.sub("", text)
    return text.replace("&", " and ")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces (see module docstring)."""
    return " ".join(_NON_ALNUM.sub(" ", _prepare(text).lower()).split())


ABJAD, SYLLABIC = "abjad", "syllabic"


def fold_words(text: str) -> list[tuple[str, str]]:
    """Folded tokens with the script family each came from: "abjad" (Arabic, Persian, Hebrew:
    transliteration usually omits short vowels), "syllabic" (Hangul, Han: one token per
    syllable) or "" (anything else)."""
    out: list[tuple[str, str]] = []
    for word in unicodedata.normalize("NFKC", text).split():
        script = ABJAD if _ABJAD.search(word) else SYLLABIC if _SYLLABIC.search(word) else ""
        out.extend((tok, script) for tok in fold(word).split())
    return out


_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")
MAX_READINGS = 8


@lru_cache(maxsize=20_000)
def korean_readings(name: str) -> tuple[str, ...]:
    """A name written in Han characters read as Korean (Hanja), next to the Mandarin reading
    that `fold` gives: "金正恩" -> ("금정은", "김정은"), which fold to "geum/gim jeong eun".
    Sino-Korean readings go character by character, so a Korean name in Hanja reads right;
    characters with two readings (金: 금, 김 the surname) give up to MAX_READINGS variants.
    Empty for names without Han characters, and for Japanese (kana in the name) and long
    texts (more than six Han characters), which are not Korean names."""
    han = _HAN.findall(name)
    if not han or len(han) > 6 or _KANA.search(name):
        return ()
    table = resources.hanja_korean()
    variants = [""]
    for ch in name:
        options = table.get(ch, (ch,))[:2] if _HAN.fullmatch(ch) else (ch,)
        variants = [v + o for v in variants for o in options][:MAX_READINGS]
    return tuple(v for v in variants if v != name)


# Chinese and Japanese write a foreign name's parts apart with a middle dot: 贝拉克·奥巴马,
# バラク・オバマ (a Chinese or Japanese name has none)
_NAME_DOT = re.compile("[\u00b7\u30fb\u2027\u2022\uff65]")
_PINYIN_SOUNDS = (("x", "s"), ("q", "ch"), ("c", "ts"))


def transcribed_reading(name: str) -> str | None:
    """A foreign name written in Han characters or kana with middle dots between its parts, read
    part by part with each part's syllables run together and pinyin letters as the sounds they
    write (x = s, q = ch, c = ts): "贝拉克·奥巴马" -> "beilake aobama", "谢尔盖·绍伊古" -> "sieergai
    shaoyigu"; None for any other name."""
    if not _NAME_DOT.search(name) or not (_HAN.search(name) or _KANA.search(name)):
        return None
    parts = []
    for part in _NAME_DOT.split(name):
        word = fold(part).replace(" ", "")
        if _HAN.search(part):
            for letter, sound in _PINYIN_SOUNDS:
                word = word.replace(letter, sound)
        if word:
            parts.append(word)
    return " ".join(parts) if len(parts) >= 2 else None


def _strip_titles(tokens: list[str]) -> list[str]:
    titles = resources.titles()
    first = resources.title_tokens()
    changed = True
    while changed and len(tokens) > 1 and tokens[0] in first:
        changed = False
        for title in titles:
            n = len(title)
            if len(tokens) > n and tuple(tokens[:n]) == title:
                tokens = tokens[n:]
                changed = True
                break
    return tokens


def split_abd(tokens: list[str], scripts: list[str]) -> tuple[list[str], list[str]]:
    """Arabic "servant of" names in one form: "Abd al-Rahman", "Abdel Rahman" and
    "Abdulrahman" all become ["abdul", "rahman"] ("Abdullah" is left alone)."""
    out: list[str] = []
    out_scripts: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in _ABD and i + 1 < len(tokens):
            j = i + 1
            if tokens[j] in _ARTICLES and j + 1 < len(tokens):
                j += 1
            if tokens[j] not in _ALLAH and tokens[j] not in _ABD:
                out += ["abdul", tokens[j]]
                out_scripts += [scripts[i], scripts[j]]
                i = j + 1
                continue
        for prefix in ("abdul", "abdel", "abdol", "abdal", "abdoul"):
            rest = tok[len(prefix):]
            if tok.startswith(prefix) and len(rest) >= 3 and rest not in _ALLAH and rest[:2] not in ("la", "ll"):
                out += ["abdul", rest]
                out_scripts += [scripts[i], scripts[i]]
                break
        else:
            out.append(tok)
            out_scripts.append(scripts[i])
        i += 1
    return out, out_scripts


def fold_legal_forms(tokens: list[str]) -> tuple[list[str], list[bool]]:
    """Replace legal-form phrases by their canonical token; also return which output tokens
    are legal forms."""
    forms = resources.legal_forms()
    longest = resources.max_legal_form_len()
    out: list[str] = []
    is_form: list[bool] = []
    i = 0
    while i < len(tokens):
        exact = None
        for n in range(min(longest, len(tokens) - i), 0, -1):
            canonical = forms.get(tuple(tokens[i:i + n]))
            # a bare one-letter or name-like token is only a legal form after another token
            if canonical is not None and (i > 0 or n > 1 or len(tokens) == 1 or len(tokens[i]) > 2):
                exact = (canonical, n)
                break
        tolerant = _tolerant_legal_form(tokens, i) if i > 0 else None
        found = tolerant if tolerant and (exact is None or tolerant[1] > exact[1]) else exact
        if found:
            out.append(found[0])
            is_form.append(True)
            i += found[1]
        else:
            out.append(tokens[i])
            is_form.append(False)
            i += 1
    return out, is_form


def _tolerant_legal_form(tokens: list[str], i: int) -> tuple[str, int] | None:
    """A legal-form phrase of three or more words with one word misspelt by one edit ("joynt
    stock company") or, at the very end of the name, cut off ("joint stock compan": list fields
    have length limits). Shorter phrases must match exactly: "Stack Company" is a name."""
    by_first, by_second = resources.long_legal_forms()
    phrases = by_first.get(tokens[i], []) + (by_second.get(tokens[i + 1], []) if i + 1 < len(tokens) else [])
    for phrase, canonical in phrases:
        n = len(phrase)
        window = tokens[i:i + n]
        if len(window) != n:
            continue
        inexact = 0
        for k, (tok, want) in enumerate(zip(window, phrase, strict=True)):
            if tok == want:
                continue
            inexact += 1
            at_end = i + k == len(tokens) - 1 and k == n - 1
            if inexact > 1 or not (len(tok) >= 5 and len(want) >= 5 and OSA.distance(tok, want, score_cutoff=1) <= 1
                                   or at_end and len(tok) >= 4 and want.startswith(tok)):
                break
        else:
            if inexact:
                return canonical, n
    return None


def has_legal_form(tokens: list[str]) -> bool:
    """Does the name carry a legal form: a known form of 3+ letters after the first token, or
    any known form as the last token ("Siemens AG")?"""
    forms = resources.legal_forms()
    if len(tokens) > 1 and (tokens[-1],) in forms:
        return True
    if any(tuple(tokens[i:i + 2]) in forms for i in range(1, len(tokens) - 1)):
        return True
    return any(len(tok) >= 3 and (tok,) in forms for tok in tokens[1:])


def guess_kind(tokens: list[str], kind: str | None) -> str | None:
    kind = normalize_kind(kind)
    if kind is None and has_legal_form(tokens):
        return ORGANISATION
    return kind


_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_ROMAN_NUMERAL = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}


def roman_value(tokens: list[str], position: int) -> int | None:
    """The value of the roman numeral `tokens[position]` when it numbers an organisation or
    vessel ("Ocean Star III", "Partners IV"): not the name's first word, and a lone i, v or x only
    as its last word but for a legal form ("Partners V L.P."; the initials of "Trading V. Petrov"
    are no numbers)."""
    token = tokens[position]
    if position == 0 or not token or _ROMAN_NUMERAL.fullmatch(token) is None:
        return None
    if len(token) == 1 and not all(t in resources.legal_form_tokens() for t in tokens[position + 1:]):
        return None
    m = _ROMAN_NUMERAL.fullmatch(token)
    return 10 * len(m.group(1)) + _ROMAN_VALUES.get(m.group(2), 0)


def fold_number_words(tokens: list[str], scripts: list[str]) -> tuple[list[str], list[str]]:
    """Numbers written in words, as ordinals or in roman numerals become digits: "forty four"
    -> "44", "Twenty-First" / "21st" -> "21", "III" -> "3" (see `roman_value`). A run of number
    words is one number only where it reads as one ("fifty two" = 52, "one hundred five" = 105);
    "fifty fifty" stays two numbers."""
    words = resources.number_words()
    out: list[str] = []
    out_scripts: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        ordinal = _ORDINAL.match(tok)
        roman = None if ordinal or tok in words else roman_value(tokens, i)
        if ordinal or roman is not None:
            out.append(ordinal.group(1) if ordinal else str(roman))
            out_scripts.append(scripts[i])
            i += 1
            continue
        if tok not in words:
            out.append(tok)
            out_scripts.append(scripts[i])
            i += 1
            continue
        value, j = words[tok], i + 1
        while j < len(tokens) and tokens[j] in words:
            v = words[tokens[j]]
            if v == 100 and value < 100:
                value = max(value, 1) * 100                 # "one hundred", "five hundred"
            elif value >= 100 and value % 100 == 0 and v < 100 or value % 100 >= 20 and value % 10 == 0 and v < 10:
                value += v                                  # "hundred five", "(hundred) twenty one"
            else:
                break
            j += 1
        out.append(str(value))
        out_scripts.append(scripts[i])
        i = j
    return out, out_scripts


def analyse_tokens(name: str, kind: str | None = None) -> tuple[list[str], list[str], list[bool], str | None]:
    """(tokens, script of each token, legal-form flags, kind) after titles and legal forms."""
    words = fold_words(name)
    tokens = [w for w, _ in words]
    abjad = [a for _, a in words]
    kind = guess_kind(tokens, kind)
    if kind in (PERSON, None, VESSEL):
        stripped = _strip_titles(tokens)
        abjad = abjad[len(tokens) - len(stripped):]
        tokens, abjad = split_abd(stripped, abjad)
    if kind == PERSON or not tokens:
        return tokens, abjad, [False] * len(tokens), kind
    # organisations, vessels, aircraft: "Brigade Forty-Four" is "Brigade 44"
    tokens, abjad = fold_number_words(tokens, abjad)
    folded, is_form = fold_legal_forms(tokens)
    if len(folded) != len(tokens):
        abjad = [""] * len(folded)
    return folded, abjad, is_form, kind


def name_tokens(name: str, kind: str | None = None) -> list[str]:
    """Normalised tokens of a name: folded to lower-case ASCII from any script, titles and
    honorifics stripped from person names, organisation legal forms folded to one canonical
    token ("Co., Ltd." -> "ltd", "OOO"/"Limited Liability Company" kept as "ooo"/"llc").

    >>> name_tokens("KIM, Jong-un")
    ['kim', 'jong', 'un']
    >>> name_tokens("김정은")
    ['gim', 'jeong', 'eun']
    >>> name_tokens("Delta Mining Co., Ltd.", "organisation")
    ['delta', 'mining', 'ltd']
    """
    return analyse_tokens(name, kind)[0]

