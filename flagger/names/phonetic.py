"""Token canonicalisation: one equivalence key per name token.

Two tokens with the same key are spellings of the same name part across romanisation and
transliteration systems: Korean McCune-Reischauer / DPRK / Revised Romanisation ("Chong",
"Jong", "Jeong"; "Un", "Eun"; "Pak", "Park", "Bak"), Russian BGN/PCGN / ICAO / ISO 9
("Sergey", "Sergei", "Sergej"; "Shoygu", "Shoigu"), and common Persian/Arabic spellings
("Mohammad", "Muhammed"). The key is:

1. the group head from `data/equivalents.txt` when the token is listed there; otherwise
2. a rule-based spelling skeleton: x->ks, q/ck/c(not h)->k, kh->h, ph->f, th->t, w->v,
   y->i, ee/ie->i, eo->o, eu/oo/ou->u, doubled letters collapsed, final -e dropped on long
   tokens; Korean-shaped syllables also lose the initial k/g, t/d, p/b, ch/j voicing contrast.
   A digit between letters, or at either end of a word of letters, is first read as the
   letter it looks like ("B0REAS" = "Boreas", "5mith" = "Smith").

Chinese one-syllable tokens are first brought from Wade-Giles to pinyin shape (Hsi = Xi,
Tse = Ze, Tung = Dong, Chou = Zhou) and lose the aspiration contrast that Wade-Giles writes only
with an apostrophe (Ch'in / Chin = Qin / Jin, P'ing / Ping); `syllable_key()` keys a token of
two or three syllables run together ("Zedong") as its syllables apart ("Tse-tung").

`skeleton()` removes vowels as well; it is used only for tokens transliterated from abjad
scripts (Arabic, Persian), whose romanisation omits short vowels ("mhmd" ~ "Mohammad").
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress, filterfalse
from operator import itemgetter, not_

from flagger.names import resources
from flagger.names.normalize import fold

_KOREAN_SYLLABLE = re.compile(
    r"(kk|tt|pp|ss|jj|ch|kh|th|ph|sh|k|g|n|d|t|r|l|m|b|p|s|j|h)?"
    r"(wae|yae|yeo|eui|ae|ai|ya|eo|ye|wa|oe|oi|yo|wo|we|wi|yu|eu|ui|ee|oo|a|e|o|u|i)"
    r"(ng|k|n|t|l|r|m|p)?"
)
_DEVOICE = {"k": "g", "kh": "g", "t": "d", "th": "d", "p": "b", "ph": "b", "ch": "j", "tt": "d",
            "kk": "g", "pp": "b", "jj": "j"}
_RULES = [
    (re.compile(r"shch|sch"), "sh"),
    (re.compile(r"tch"), "ch"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"ck|q"), "k"),
    (re.compile(r"c(?!h)"), "k"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    (re.compile(r"dh"), "d"),
    (re.compile(r"w"), "v"),
    (re.compile(r"y"), "i"),
    (re.compile(r"(?<=[aeiou])j(?=[^aeiou]|$)"), "i"),
    (re.compile(r"ij$"), "i"),
    (re.compile(r"ee|ie"), "i"),
    (re.compile(r"eo"), "o"),
    (re.compile(r"eu|oo|ou"), "u"),
    (re.compile(r"(.)\1+"), r"\1"),
]
_VOWELS = re.compile(r"[aeiouyw]")
# One Chinese syllable in Wade-Giles or pinyin shape (apostrophes of aspiration already gone).
_CHINESE_SYLLABLE = re.compile(
    r"(tz|ts|hs|zh|ch|sh|k|g|n|d|t|l|m|b|p|s|j|h|q|x|z|c|f|w|y|r)?"
    r"(iang|iung|iong|uang|ieh|ien|iao|ian|uai|uan|ung|ong|ang|eng|ing|ai|ao|ei|ou|an|en|in|un|ih|ie|iu|ui|uo|ua|a|e|i|o|u)"
)
# Wade-Giles spellings of pinyin sounds, for one-syllable tokens: Hsi = Xi, Tse = Ze, Tung = Dong
# (with the voicing contrast dropped as for Korean: Chin = Jin, Ping = Bing)
# Wade-Giles ch (no apostrophe) is pinyin zh, j, ch or q; k/t/p are g/d/b or k/t/p; pinyin c is ts'
_CHINESE_INITIAL = {"k": "g", "t": "d", "p": "b", "ch": "j", "zh": "j", "q": "j", "c": "z"}
_WADE_GILES = [(re.compile(r"^hs"), "x"), (re.compile(r"^t[sz]"), "z"), (re.compile(r"ung$"), "ong"),
               (re.compile(r"ieh$"), "ie"), (re.compile(r"(?<=[hz])ih$"), "i")]


def is_korean_syllable(token: str) -> bool:
    return _KOREAN_SYLLABLE.fullmatch(token) is not None


def is_syllable(token: str) -> bool:
    """One Korean or Chinese syllable (in any of their romanisations)."""
    return _KOREAN_SYLLABLE.fullmatch(token) is not None or _CHINESE_SYLLABLE.fullmatch(token) is not None


# digits between letters, and the letters they stand for when typed (or OCR'd) for them
_LOOKALIKE_DIGIT = re.compile(r"(?<=[a-z])[013458]+(?=[a-z])|^[013458](?=[a-z]{3})|(?<=[a-z]{3})[013458]$")
_DIGIT_LETTERS = str.maketrans("013458", "oieasb")


@lru_cache(maxsize=500_000)
def token_key(token: str) -> str:
    """Equivalence key of one folded token (see module docstring).

    >>> token_key("chong") == token_key("jeong") == token_key("jong")
    True
    >>> token_key("sergey") == token_key("sergei")
    True
    """
    head = resources.equivalents().get(token)
    if head is not None:
        return head
    if token.isdigit():
        return token
    key = token
    if not token.isalpha() and _LOOKALIKE_DIGIT.search(token):
        # a digit written for the letter it looks like, between letters ("B0REAS", "Petr0v") or
        # at either end of a word of letters ("5mith")
        key = _LOOKALIKE_DIGIT.sub(lambda m: m.group().translate(_DIGIT_LETTERS), token)
        head = resources.equivalents().get(key)
        if head is not None:
            return head
    if len(key) <= 6 and _CHINESE_SYLLABLE.fullmatch(key):
        for pattern, repl in _WADE_GILES:
            key = pattern.sub(repl, key)
        c = _CHINESE_SYLLABLE.fullmatch(key)
        if c and c.group(1) in _CHINESE_INITIAL and not _KOREAN_SYLLABLE.fullmatch(key):
            key = _CHINESE_INITIAL[c.group(1)] + key[len(c.group(1)):]  # Chiang = Jiang, Chou = Zhou
        head = resources.equivalents().get(key)
        if head is not None:
            return head
    m = _KOREAN_SYLLABLE.fullmatch(key)
    if m and m.group(1) in _DEVOICE:
        key = _DEVOICE[m.group(1)] + key[len(m.group(1)):]
    for pattern, repl in _RULES:
        key = pattern.sub(repl, key)
    if len(key) >= 6 and key.endswith("e"):
        key = key[:-1]
    head = resources.equivalents().get(key)
    return head if head is not None else key


_SKELETON_RULES = [
    (re.compile(r"shch|sch"), "sh"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"ck|q"), "k"),
    (re.compile(r"c(?!h)"), "k"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    (re.compile(r"dh"), "d"),
    (re.compile(r"[aeiouyw]"), ""),  # waw and ya are vowel carriers in abjad scripts
    (re.compile(r"(.)\1+"), r"\1"),
]


@lru_cache(maxsize=200_000)
def skeleton(token: str, strip_article: bool = False) -> str:
    """Consonant skeleton of a token, for comparisons with abjad-script names (whose
    romanisation omits short vowels): "mhmwd" and "Mahmoud" both give "mhmd". With
    `strip_article` a glued Arabic article is removed first ("alsd" -> "sd")."""
    key = token
    if strip_article and len(key) > 4:
        key = re.sub(r"^(al|el|l)(?=[^aeiou])", "", key)
    for pattern, repl in _SKELETON_RULES:
        key = pattern.sub(repl, key)
    return key or token


@lru_cache(maxsize=100_000)
def syllable_key(token: str) -> str | None:
    """Equivalence key of a token written as two or three Chinese/Korean syllables run together
    ("zedong", "jinping", "jongun"): the syllables' keys joined, so that it equals the keys of the
    syllables written apart ("Tse-tung", "Chin-ping"). None when the token does not split so."""
    if len(token) > 12 or not token.isalpha():
        return None

    def split(rest: str, depth: int) -> list[str] | None:
        if not rest:
            return []
        if depth == 3:
            return None
        for end in range(min(len(rest), 6), 0, -1):
            if _CHINESE_SYLLABLE.fullmatch(rest[:end]):
                tail = split(rest[end:], depth + 1)
                if tail is not None:
                    return [rest[:end], *tail]
        return None

    parts = split(token, 0)
    if not parts or len(parts) < 2:
        return None
    return "".join(token_key(p) for p in parts)


# -- Russian/Ukrainian/Belarusian names as other languages' papers write them ----------------
# Case endings of Slavic (Polish, Czech, Slovak, Croatian, Slovene) and Baltic (Lithuanian,
# Latvian) languages that papers put on foreign names: Putina, Putinem, Putinowi, Lavrovas,
# Lavrovs, Sergejus. Longest first.
_PRESS_ENDINGS = ("owi", "ovi", "ovo", "em", "om", "ie", "as", "is", "us", "ui", "am", "a", "u", "e", "y", "i", "o", "s")
# Spelling conventions, each a sequence of (pattern, English-based list spelling). Upper-case
# letters mark sounds already rewritten, so a later rule does not rewrite them again.
_PRESS_CONVENTIONS: tuple[tuple[tuple[re.Pattern, str], ...], ...] = tuple(
    tuple((re.compile(p), r) for p, r in rules) for rules in (
        # German, Polish, Czech, Slovak, Dutch, Scandinavian, Baltic: sch/sz/š = sh, tsch/cz/č =
        # ch, ch = kh, w = v, j = y, Polish ie = e after a consonant, Dutch oe = u
        (("shch|szcz|schtsch", "SHCH"), ("tsch|tsj|cz|ch(?=[^aeiouy]|$)(?<=[aeiouy]ch)|tch", "CH"),
         ("dsch|dzh|dz(?=[aeiou])|dj", "J"), ("sch|sz|sj|sh", "SH"), ("zh|rz|sh", "ZH"), ("ch", "KH"),
         ("(?<=[^aeiou])ie", "E"), ("oe", "U"), ("w", "v"), ("j", "y")),
        # French: ch = sh, dj = j, ou = u, gu(e/i) = g, j = zh, a final mute e
        (("tch", "CH"), ("ch", "SH"), ("dj", "J"), ("ou", "U"), ("gu(?=[ei])", "G"), ("j", "ZH"),
         ("(?<=[^aeiou])e$", "")),
        # Spanish: j = kh; Italian: sc(i) = sh, c(i) = ch, g(i) = j before a vowel
        (("j", "KH"), ("sci(?=[aou])|sc(?=[ei])", "SH"), ("ci(?=[aou])", "CH"), ("gi(?=[aou])", "J")),
    ))


# Russian and Ukrainian instrumental endings as romanised ("Путіним" putinim, "Путиным" putinym)
_CYRILLIC_ENDINGS = ("im", "ym")
_PRESS_ENDING_ORDER = {e: k for k, e in enumerate(_PRESS_ENDINGS)}
_PRESS_ENDING_ORDER_CYRILLIC = {e: k for k, e in enumerate((*_PRESS_ENDINGS, *_CYRILLIC_ENDINGS))}
# case endings of a two-letter syllable written as a three-letter word ("Una", Polish genitive;
# "Uno", Lithuanian genitive of "Kim Jong Unas")
_SHORT_ENDINGS = "aeuyo"
# Belarusian writes v after a vowel as ў ("Лаўроў" Lavrov), which folds to u
_BELARUSIAN = ((re.compile("(?<=[aeiou])u(?![aeiou])"), "v"),)
# Whether any convention can rewrite a base at all: one search instead of ~30 substitutions, and
# most words of running text carry none of these spellings (engineer F, issue 19: press_spellings
# was 16 % of a scan of the benchmark corpus, once per distinct Latin word)
_PRESS_ANY = re.compile("|".join(f"(?:{p.pattern})" for rules in _PRESS_CONVENTIONS for p, _r in rules))
_PRESS_ANY_CYRILLIC = re.compile("|".join([_PRESS_ANY.pattern, *(f"(?:{p.pattern})" for p, _r in _BELARUSIAN)]))


@lru_cache(maxsize=200_000)
def press_spellings(token: str, cyrillic: bool = False) -> tuple[str, ...]:
    """The English-based list spellings a folded Latin token may stand for when it is a
    Russian, Ukrainian or Belarusian name as a German, Polish, Czech, Slovak, French, Spanish,
    Italian, Dutch, Scandinavian or Baltic paper writes it, with a Slavic or Baltic case ending
    taken off: "lawrowa" -> "lavrov", "szojgu" -> "shoygu", "siergiej" -> "sergey",
    "choigou" -> "shoigu", "poetin" -> "putin", "putinem" -> "putin", "lavrovas" -> "lavrov".
    With `cyrillic` the token is the romanisation of a Cyrillic word, which may be Belarusian
    ("laurou", Лаўроў -> "lavrov"). Candidates only (the token itself left out): a caller keeps
    those that are listed name tokens."""
    if not token.isascii():
        token = "".join(fold(token).split())    # "Ławrowa", "Čong", "Choïgou": letters as ASCII
    if not token.isalpha() or len(token) < 3:
        return ()
    # a base of two letters only for a syllable of a longer name, not a particle ("Kim Dzong
    # Unem", "Kim Dzong Una": un); a word of three letters has no other candidate
    n = len(token)
    # (an ending of two letters on a 4-letter word, of three on a 5-letter one; written with the
    # look-ups below rather than a pass over the endings: this runs once per distinct word)
    short = [token[:2]] if (token[2] in _SHORT_ENDINGS if n == 3 else 3 < n < 6 and token[2:] in _PRESS_ENDING_ORDER) else []
    if short and short[0] in resources.particles():
        short = []
    if n == 3:
        return tuple(short)
    order = _PRESS_ENDING_ORDER_CYRILLIC if cyrillic else _PRESS_ENDING_ORDER
    # the endings the token ends with (one of each length at most), in _PRESS_ENDINGS order
    ends = sorted((order[e], e) for e in (token[-3:], token[-2:], token[-1:]) if e in order and n - len(e) >= 3)
    bases = [token, *short, *(token[:-len(e)] for _k, e in ends)]
    out: dict[str, None] = {}
    rewritable = (_PRESS_ANY_CYRILLIC if cyrillic else _PRESS_ANY).search
    for base in bases:
        out[base] = None
        if base.islower() and rewritable(base) is None:
            continue        # every convention gives the base itself
        for rules in (*_PRESS_CONVENTIONS, _BELARUSIAN) if cyrillic else _PRESS_CONVENTIONS:
            spelled = base
            for pattern, repl in rules:
                spelled = pattern.sub(repl, spelled)
            spelled = spelled.lower()
            if len(spelled) >= 3:
                out[spelled] = None
    out.pop(token, None)
    return tuple(out)


# -- press spellings of many words at once, as a filter ----------------------------------------
# `press_spellings` runs ~20 substitutions per base of a word in Python (~6 us a word; 0.36 CPU s
# for the 60,820 distinct words of the benchmark corpus), and almost no word of running text has a
# spelling that is a listed token. `press_reachable` applies each convention's substitutions once
# to every base of every word joined by newlines, in C, and keeps the words some spelling of which
# is in the targets. The patterns as `press_spellings` has them, with the word's edges written for
# a joined text: a look-behind at a word's first letter sees the newline before it (which must not
# count as a consonant), and the end of a word is the newline after it. No pattern consumes a
# newline or reaches across one, so each word is rewritten exactly as on its own
# (tests/names/test_press_bulk.py checks the candidates against `press_spellings` word by word).
def _joined_pattern(pattern: str) -> re.Pattern:
    pattern = pattern.replace("$", "(?=\n)")
    if pattern.startswith("(?<=[^aeiou])"):
        # the same look-behind after the pattern's first letter (a literal first letter is searched
        # for in C; a leading look-behind was tried at every position, 8x the time)
        rest = pattern[len("(?<=[^aeiou])"):]
        pattern = f"{rest[0]}(?<=[^aeiou\n]{rest[0]}){rest[1:]}"
    return re.compile(pattern)


_PRESS_JOINED = tuple(tuple((_joined_pattern(p.pattern), r) for p, r in rules) for rules in _PRESS_CONVENTIONS)
_PRESS_BY_LENGTH = tuple(frozenset(e for e in _PRESS_ENDINGS if len(e) == k) for k in (1, 2, 3))


def _press_bulk(tokens) -> tuple[list[str], list[str], list[str]]:
    """(owners, spellings, unscreened): `spellings` is every base of every word as `press_spellings`
    cuts it (a word of 3 letters: its first two before a short ending; longer: the word, its first
    two before an ending (4-5 letters), the word less an ending leaving 3 letters), then every base
    rewritten by each convention and lower-cased in turn, and `owners[i]` the word of
    `spellings[i]` (the first quarter: the bases). Every entry of `press_spellings(word)` is among
    its word's entries; a few more are too (the word itself, a rewriting shorter than 3 letters,
    one of a 3-letter word's base), which `press_reachable` leaves out. `unscreened`: the words
    this does not read (not lower-case ASCII letters: folded first by `press_spellings`), for a
    caller to ask `press_spellings` about."""
    tokens = list(tokens)
    unscreened = list(filterfalse(str.isascii, tokens))
    letters = list(filter(str.isalpha, filter(str.isascii, compress(tokens, map((3).__le__, map(len, tokens))))))
    simple = list(filter(str.islower, letters))
    unscreened += filterfalse(str.islower, letters)
    # (in C: map and compress, not a Python step per word)
    particles = resources.particles()
    three = list(compress(simple, map((3).__eq__, map(len, simple))))
    three = list(compress(three, map(_SHORT_ENDINGS.__contains__, map(itemgetter(2), three))))
    longer = list(compress(simple, map((4).__le__, map(len, simple))))
    short = list(compress(longer, map((6).__gt__, map(len, longer))))
    short = three + list(compress(short, map(_PRESS_ENDING_ORDER.__contains__, map(itemgetter(slice(2, None)), short))))
    heads = list(map(itemgetter(slice(2)), short))
    kept = list(map(not_, map(particles.__contains__, heads)))
    owners = longer + list(compress(short, kept))
    bases = longer + list(compress(heads, kept))
    for k, endings in enumerate(_PRESS_BY_LENGTH, start=1):
        cut = list(compress(longer, map(endings.__contains__, map(itemgetter(slice(-k, None)), longer))))
        cut = list(compress(cut, map((3 + k).__le__, map(len, cut))))
        owners += cut
        bases += map(itemgetter(slice(-k)), cut)
    spellings = list(bases)
    if bases:
        joined = "\n".join(bases) + "\n"
        for rules in _PRESS_JOINED:
            spelled = joined
            for pattern, repl in rules:
                spelled = pattern.sub(repl, spelled)
            spellings += spelled.lower().split("\n")[:-1]
    return owners * (1 + len(_PRESS_JOINED)), spellings, unscreened


def press_reachable(tokens, targets: set[str] | frozenset[str] | tuple[set[str] | frozenset[str], ...]) -> set[str]:
    """The words among `tokens` (folded, as `press_spellings` takes them; Latin, cyrillic=False)
    of which some press spelling may be in `targets`: exactly the words of lower-case ASCII letters
    for which `press_spellings(word)` has an entry in `targets`, and every other word. All the
    words' candidates are made at once (`_press_bulk`); only a candidate among the targets is
    looked at one by one (is it the word itself, a rewriting too short, a 3-letter word's base
    rewritten). `targets`: a set, or several sets that are the targets together (not copied into
    one: an index's vocabulary is 305k tokens at 185k listed names)."""
    owners, spellings, unscreened = _press_bulk(tokens)
    found = set(unscreened)
    if isinstance(targets, tuple):
        hits = set().union(*(t.intersection(spellings) for t in targets))
    else:
        hits = targets.intersection(spellings)
    if hits:
        n_bases = len(owners) // (1 + len(_PRESS_JOINED))
        for i in compress(range(len(spellings)), map(hits.__contains__, spellings)):
            word, spelled = owners[i], spellings[i]
            # a base as it is, or a rewriting of 3 letters or more of a longer word's base
            if spelled != word and (i < n_bases or len(spelled) >= 3 and len(word) > 3):
                found.add(word)
    return found


# -- Latin names written in other scripts ------------------------------------------------------
# A list name transcribed into a script with its own sound system (Chinese, Japanese, Khmer,
# Arabic, Hebrew ...) keeps its consonants but loses contrasts the script does not write: v/f/p/b,
# l/r (Chinese, Japanese, Korean), s/z/sh and the affricates, k/g/q/kh. `sound_key` writes a
# romanised token as classes of such sounds; the pair comparison (compare.py, "sound") uses it
# between a transcribed token and a Latin one. Not used to find names in running text: measured
# against the default list, 45-60 % of the 30,000 most frequent Korean, Arabic and Hebrew words
# share a key with some listed token.
_SOUND_DIGRAPHS = re.compile(r"shch|sch|tsch|tch|tsh|ch|sh|zh|ts|tz|kh|gh|ph|th|dh|ck|qu|x|[a-z]")
_SOUND_CLASS = {
    "shch": "S", "sch": "S", "tsch": "S", "tch": "S", "tsh": "S", "ch": "S", "sh": "S", "zh": "S",
    "ts": "S", "tz": "S", "kh": "K", "gh": "K", "ph": "P", "th": "T", "dh": "T", "ck": "K", "qu": "K",
    "x": "KS", "b": "P", "p": "P", "f": "P", "v": "P", "d": "T", "t": "T", "g": "K", "k": "K", "q": "K",
    "c": "K", "s": "S", "z": "S", "j": "S", "l": "L", "r": "L", "m": "M", "n": "N",
    "a": "V", "e": "V", "i": "V", "o": "V", "u": "V", "y": "V", "w": "V", "h": "",
}


@lru_cache(maxsize=200_000)
def sound_key(roman: str, vowels: bool = True) -> str:
    """Sound classes of a romanised token: P (b p f v), T (d t), K (g k q c kh), S (s z sh ch j
    ts), L (l r), M, N, V (any vowel, and w, y), each run written once; without `vowels` the V's
    are dropped: "lavrov", "lavrof" and "lafuluofu" (拉夫罗夫) all give LPLP."""
    classes = [_SOUND_CLASS.get(m, "") for m in _SOUND_DIGRAPHS.findall(roman.lower())]
    key = "".join(c for c in classes if vowels or c != "V")
    return _squeezed(key)


# -- Latin list names written in other scripts, in running text --------------------------------
# `sound_key` with the vowels kept as V, after "ng" (and Arabic "ngh") is read as n: Korean and
# Chinese final ng is written n by scripts that have no such letter (Georgian "ჩენ" Jong, from
# Russian "Чен"), and Arabic writes it "نغ". names.scripts compares keys with `vowel_tolerant`.
_NG = re.compile(r"ng(?:h|g)?")


# r apart from l (R), and the hushing sounds sh, ch, j, zh apart from s, z, ts (X), as most
# scripts write them apart; `merged` reads them together for the scripts that do not
_SCRIPT_CLASS = {**_SOUND_CLASS, "r": "R", "shch": "X", "sch": "X", "tsch": "X", "tch": "X", "tsh": "X",
                 "ch": "X", "sh": "X", "zh": "X", "j": "X"}


@lru_cache(maxsize=200_000)
def script_key(roman: str) -> str:
    """Sound classes of a romanised token with its vowels as V (`sound_key`), "ng" read as n,
    r (R) apart from l and sh/ch/j/zh (X) apart from s/z/ts: "lazarus" -> LVSVRVS,
    "lzrws" (لازاروس) -> LSRVS, "jong" -> XVN."""
    classes = [_SCRIPT_CLASS.get(m, "") for m in _SOUND_DIGRAPHS.findall(_NG.sub("n", roman.lower()))]
    return _squeezed("".join(classes))


_VOWEL_CLASS = {"a": "A", "e": "I", "i": "I", "y": "I", "o": "U", "u": "U", "w": "U"}


@lru_cache(maxsize=200_000)
def vowel_key(roman: str) -> str:
    """A `script_key` with the vowels' quality kept, for scripts that write their vowels (Greek,
    Georgian, Armenian, Cyrillic, Hangul): A (a), I (e i y), U (o u w), a run of vowels read as
    its last ("ie" I, "eo" U, "ou" U): "lazarus" -> LASARUS, "misha" -> MIXA, "mazi" -> MASI."""
    out: list[str] = []
    for m in _SOUND_DIGRAPHS.findall(_NG.sub("n", roman.lower())):
        c = _VOWEL_CLASS.get(m) or _SCRIPT_CLASS.get(m, "")
        if not c:
            continue
        if out and (out[-1] == c or (c in "AIU" and out[-1] in "AIU")):
            out[-1] = c
        else:
            out.append(c)
    return "".join(out)


def merged(key: str, r_as_l: bool = False, hushing_as_s: bool = False) -> str:
    """A `script_key` with r read as l (Korean writes both ㄹ: "LVSVRVS" -> "LVSVLVS") and the
    hushing sounds as s (Korean ㅅ/ㅈ/ㅊ, Greek σ/τσ/τζ: "XVN" -> "SVN")."""
    if r_as_l:
        key = key.replace("R", "L")
    if hushing_as_s:
        key = key.replace("X", "S")
    return _squeezed(key)


def consonants(key: str) -> str:
    """A `script_key` or `vowel_key` without its vowels, runs written once: the look-up key ("LSRS")."""
    return _squeezed(_VOWEL_CLASSES.sub("", key))


_RUNS = re.compile(r"(.)\1+")
_VOWEL_CLASSES = re.compile("[VAIU]")


def _squeezed(key: str) -> str:
    """`key` with each run of one character written once (re.sub(r"(.)\1+", r"\1", key)); most
    keys have no run, and a search in C decides that before the substitution's Python-level
    template handling (a million keys when a scan first reads another script)."""
    return _RUNS.sub(r"\1", key) if _RUNS.search(key) else key


def vowel_tolerant(written: str, listed: str) -> bool:
    """Whether the `script_key` of a transcribed token (`written`) can be the key of a Latin list
    token (`listed`): the same consonant classes in the same order, and a vowel only where the
    listed token has one. A script may leave vowels out (Arabic and Hebrew write no short
    vowels, Devanagari no inherent a: "lzrws", "lajrs" are Lazarus) but does not add them, except
    at the end of the word (a case ending, Korean's closing eu): "lajaluseu" is Lazarus,
    "kalasa" is not Klaus."""
    t, latin = written.rstrip("V"), listed.rstrip("V")
    i = j = 0
    while i < len(t):
        if j < len(latin) and t[i] == latin[j]:
            i += 1
            j += 1
        elif j < len(latin) and latin[j] == "V":
            j += 1
            if i and j < len(latin) and latin[j] == t[i - 1] != "V":
                j += 1       # "nan" with its vowel left out is one n ("jongun" written "jeongn")
        else:
            return False
    return all(c == "V" or c == t[-1:] for c in latin[j:])
