"""Compound words: a listed noun written as the last element (head) of a longer word.

German, Dutch, Swedish, Danish, Norwegian, Finnish and Hungarian join a modifier onto a noun
without a space: "Langstreckenraketen" (long-range missiles) holds the lexicon term "Raketen",
"Waffenlieferungen" the term "Lieferung*", Dutch "langeafstandsraketten" the term "raketten",
Swedish "kryssningsrobotar" the term "robotar". Which languages compound, their linking letters
and the length limits are data (compounds.yaml beside this module); the heads are the concept
lexicon's terms of each such language (flagger/rules/lexicon.yaml): a single-word term, or the
last word of a longer one.

A word is read as a head when it is no index token itself, the head begins at least
`min_modifier` letters in (a linking element such as German -s-, -en- not counted), and the head
as written has at least `min_head` letters (so "Verrat" is not "Rat", nor "Spiegelei" "Ei"). The
modifier need not be known. `CompoundReader.tails` finds the candidate tails with one dict look-up
per split point (heads are filed under their first `min_head` letters); the caller
(flagger.engine.alternatives) reads each tail as a word and keeps the readings that are heads of
the article's language. It runs once per distinct word and language.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import compress, count
from operator import itemgetter

import yaml

from flagger.rules.lexicon import Lexicon, bundled_lexicon
from flagger.text import normalize_text

# An exact head may be followed by this many letters of an ending in the tail ("raketen" for the
# head "rakete"); the reading of the tail as a word decides whether they are an inflection.
_ENDING_MAX = 3


@dataclass(frozen=True)
class LanguageRule:
    linking: tuple[str, ...]        # longest first
    nouns_only: bool = False
    not_heads: frozenset[str] = frozenset()     # normalised index tokens
    not_modifiers: frozenset[str] = frozenset()  # normalised
    particles_inside: tuple[str, ...] = ()       # normalised


@dataclass(frozen=True)
class CompoundSpec:
    min_head: int
    min_modifier: int
    languages: dict[str, LanguageRule]
    skip_concepts: frozenset[str] = frozenset()


def parse_spec(doc, source: str = "compounds.yaml") -> CompoundSpec:
    """The compound settings from their YAML document; ValueError naming `source` and the key."""
    if not isinstance(doc, dict) or not isinstance(doc.get("languages"), dict) or not doc["languages"]:
        raise ValueError(f"{source}: expected a mapping with 'languages' (language code -> settings)")
    ints = {}
    for key in ("min_head", "min_modifier"):
        value = doc.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 2:
            raise ValueError(f"{source}: {key} must be a whole number of letters >= 2, not {value!r}")
        ints[key] = value
    unknown = set(doc) - {"min_head", "min_modifier", "languages", "skip_concepts"}
    if unknown:
        raise ValueError(f"{source}: unknown keys {sorted(unknown)}")
    langs: dict[str, LanguageRule] = {}
    for lang, spec in doc["languages"].items():
        spec = spec or {}
        if not isinstance(lang, str) or not isinstance(spec, dict) or set(spec) - {"linking", "nouns_only", "not_heads", "not_modifiers", "particles_inside"}:
            raise ValueError(f"{source}: languages.{lang}: expected linking, nouns_only, not_heads, not_modifiers, "
                             f"particles_inside")
        linking = spec.get("linking") or []
        if not isinstance(linking, list) or not all(isinstance(x, str) and x.isalpha() for x in linking):
            raise ValueError(f"{source}: languages.{lang}.linking: expected a list of letter strings")
        words = {}
        for key in ("not_heads", "not_modifiers", "particles_inside"):
            listed = spec.get(key) or []
            if not isinstance(listed, list) or not all(isinstance(x, str) and len(normalize_text(x.rstrip("*"))) == 1
                                                        for x in listed):
                raise ValueError(f"{source}: languages.{lang}.{key}: expected a list of single words")
            # (a wildcard term keeps its "*", as the index writes it: "toimitt*")
            words[key] = frozenset(_head_token(x) if key == "not_heads" else normalize_text(x)[0] for x in listed)
        langs[lang] = LanguageRule(tuple(sorted(linking, key=len, reverse=True)), bool(spec.get("nouns_only", False)),
                                   words["not_heads"], words["not_modifiers"], tuple(sorted(words["particles_inside"])))
    skip = doc.get("skip_concepts") or []
    if not isinstance(skip, list) or not all(isinstance(x, str) for x in skip):
        raise ValueError(f"{source}: skip_concepts: expected a list of concept names")
    return CompoundSpec(ints["min_head"], ints["min_modifier"], langs, frozenset(skip))


@cache
def bundled_spec() -> CompoundSpec:
    text = resources.files("flagger.engine").joinpath("compounds.yaml").read_text(encoding="utf-8")
    return parse_spec(yaml.safe_load(text))


def _head_token(term: str) -> str | None:
    """The index token of a term's last word ("Lieferung*" -> "lieferung*"), as compile.py makes it."""
    last = term.split()[-1] if term.split() else ""
    wild = last.endswith("*")
    toks = normalize_text(last.rstrip("*"))
    if not toks:
        return None
    return toks[-1] + ("*" if wild else "")


class CompoundReader:
    """The compound heads of each compounding language that are tokens of one index."""

    def __init__(self, vocabulary: set[str], spec: CompoundSpec | None = None, lexicon: Lexicon | None = None):
        spec = spec or bundled_spec()
        lexicon = lexicon or bundled_lexicon()
        self.min_head, self.min_modifier = spec.min_head, spec.min_modifier
        self._linking: dict[str, tuple[str, ...]] = {}
        self._not_modifiers: dict[str, frozenset[str]] = {}
        self._inside: dict[str, tuple[str, ...]] = {}
        self._heads: dict[str, frozenset[str]] = {}                    # lang -> index tokens
        self._by_start: dict[str, dict[str, tuple[str, ...]]] = {}     # lang -> first letters -> heads
        for lang, rule in spec.languages.items():
            heads = set()
            for concept in lexicon.concepts.values():
                if concept.name in spec.skip_concepts:
                    continue
                for term in concept.terms.get(lang, ()):
                    last = term.text.split()[-1] if term.text.split() else ""
                    if (term.exact or not last or "'" in last or "\u2019" in last
                            or (rule.nouns_only and not last[0].isupper())):
                        continue
                    tok = _head_token(term.text)
                    if (tok and tok in vocabulary and len(tok.rstrip("*")) >= self.min_head
                            and tok not in rule.not_heads):
                        heads.add(tok)
            if not heads:
                continue
            by_start: dict[str, list[str]] = {}
            for tok in sorted(heads):
                by_start.setdefault(tok[:self.min_head], []).append(tok)
            self._heads[lang] = frozenset(heads)
            self._by_start[lang] = {k: tuple(v) for k, v in by_start.items()}
            self._linking[lang] = rule.linking
            self._not_modifiers[lang] = rule.not_modifiers
            self._inside[lang] = rule.particles_inside

    def languages(self) -> frozenset[str]:
        return frozenset(self._heads)

    def is_head(self, token: str, lang: str) -> bool:
        heads = self._heads.get(lang)
        return heads is not None and token in heads

    def tails(self, token: str, lang: str) -> list[str]:
        """The tails of `token` that begin with a head of `lang` (the head whole, or a wildcard
        head's prefix), longest first; [] for a language that does not compound."""
        by_start = self._by_start.get(lang)
        if by_start is None:
            return []
        n, need = len(token), self.min_head
        out: list[str] = []
        for i in range(self.min_modifier, n - need + 1):
            heads = by_start.get(token[i:i + need])
            if heads is None:
                continue
            tail = token[i:]
            for head in heads:
                if head.endswith("*"):
                    ok = tail.startswith(head[:-1])
                else:
                    ok = tail.startswith(head) and len(tail) - len(head) <= _ENDING_MAX
                if ok and self._modifier_ok(token[:i], lang):
                    out.append(tail)
                    break
        return out

    def may_split(self, words: list[str], lang: str) -> set[str]:
        """The words of which `tails` may find any in `lang`: those with a head's first `min_head`
        letters at one of the split points `tails` tries. For many words at once, one C-level pass
        per split point; a word outside it has no tail (a necessary condition: the caller reads the
        words in it with `tails`)."""
        by_start = self._by_start.get(lang)
        if not by_start:
            return set()
        need = self.min_head
        found: set[str] = set()
        for i in count(self.min_modifier):
            words = list(compress(words, map((i + need).__le__, map(len, words))))
            if not words:
                return found
            found.update(compress(words, map(by_start.__contains__, map(itemgetter(slice(i, i + need)), words))))

    def _modifier_ok(self, modifier: str, lang: str) -> bool:
        """At least min_modifier letters before the head, a linking element not counted, and no
        verb particle or preposition alone (Nach|hilfe, uit|levering)."""
        link = next((s for s in self._linking.get(lang, ()) if modifier.endswith(s)), "")
        if len(modifier) - len(link) < self.min_modifier or not modifier.isalpha():
            return False
        core = modifier[:len(modifier) - len(link)]
        particles = self._not_modifiers.get(lang, frozenset())
        if modifier in particles or core in particles:
            return False
        return not any(core.endswith(p) for p in self._inside.get(lang, ()))
