"""The concept lexicon: what a rule means, separated from how each language says it.

`flagger/rules/lexicon.yaml` maps a concept (`dprk`, `transfer`, `troops`...) to its terms per
language (ISO 639-1 code -> list of terms). A rule group refers to concepts with
`concepts: [dprk, transfer]`; the loader expands each (concept, language) into one term whose
spellings are that language's terms, next to the group's own inline `terms` (which stay valid
for users' rules). A lexicon term is a plain string (matched like an inline term: inflection,
typo tolerance, `*` prefix wildcard for languages with many endings) or a mapping
`{term: ..., exact: true}` for short acronyms, or `{term: ..., own_language: true}` for a spelling
that is an ordinary word of other languages (English 'met', Dutch 'with'): it is read only in text
told to be in the term's language (or a close one), and everywhere when the language is not told. Scripts without spaces (Chinese, Japanese, Thai,
Lao, Myanmar, Khmer) are cut into characters by flagger.text, so their terms match anywhere in
running text.

`negated_forms` says, per language, how a verb is negated inside the word (Czech and Slovak ne-
on the past participle, Lithuanian and Latvian ne- on the past, Swahili ha- with the negative
tense, Persian ن-): each entry is a regular expression a listed term must match whole and the
negated spelling(s) it makes from it (`\\1`...). The derived spellings are terms of the same
concept and language (`Concept.negated`), so "nedodala" is found as the transfer it denies, and
the negation modifier reads it as negated (cues.yaml negation.affix; every derived form must be a
word that pattern reads: tests/rules/test_negated_forms.py).

Every problem is reported as `file:line: what is wrong`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from flagger.errors import RuleError
from flagger.rules.yamlloc import LocDict, LocList, load_located

LEXICON_FILE = Path(__file__).with_name("lexicon.yaml")
CONCEPT_RE = re.compile(r"^[a-z][a-z0-9_]*$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class LexTerm:
    text: str
    exact: bool = False
    own_language: bool = False     # read only in text of its language: an ordinary word elsewhere


@dataclass(frozen=True)
class Rewrite:
    """One entry of `negated_forms`: a listed term matching `form` whole makes `negated` spellings,
    in the concepts named (all when empty)."""
    form: re.Pattern
    negated: tuple[str, ...]
    concepts: frozenset[str] = frozenset()
    line: int = 0


@dataclass(frozen=True)
class Concept:
    name: str
    description: str
    terms: dict[str, tuple[LexTerm, ...]]     # language -> terms, in file order
    line: int
    negated: dict[str, tuple[LexTerm, ...]] = field(default_factory=dict)   # derived: negated_forms

    def spellings(self, lang: str) -> tuple[LexTerm, ...]:
        """The listed terms of `lang`, then the negated forms derived from them."""
        return self.terms.get(lang, ()) + self.negated.get(lang, ())


@dataclass(frozen=True)
class Lexicon:
    path: str
    concepts: dict[str, Concept]
    negated_forms: dict[str, tuple[Rewrite, ...]] = field(default_factory=dict)

    def languages(self) -> list[str]:
        return sorted({lang for c in self.concepts.values() for lang in c.terms})

    def coverage(self) -> dict[str, dict[str, int]]:
        """concept -> language -> number of terms."""
        return {name: {lang: len(ts) for lang, ts in c.terms.items()} for name, c in self.concepts.items()}


def concept_usage(packs) -> dict[str, list[str]]:
    """concept -> ids of the rules (of `packs`) with a group that refers to it."""
    used: dict[str, list[str]] = {}
    for pack in packs:
        for rule in pack.rules:
            for name in sorted({c for g in rule.groups.values() for c in g.concepts}):
                used.setdefault(name, []).append(rule.id)
    return used


def coverage_table(lexicon: Lexicon, packs) -> dict:
    """The concept x language table of `flagger rules coverage`: term counts per language for
    every concept, the rules using each, and the languages in which every concept used by a rule
    has at least one term."""
    used = concept_usage(packs)
    counts = lexicon.coverage()
    languages = lexicon.languages()
    needed = [c for c in counts if c in used] or list(counts)
    complete = [lang for lang in languages if all(counts[c].get(lang, 0) for c in needed)]
    return {"concepts": list(counts), "languages": languages, "counts": counts,
            "used_by": {c: used.get(c, []) for c in counts}, "complete_languages": complete}


def parse_lexicon(text: str, file: str) -> Lexicon:
    doc = load_located(text, file)
    if not isinstance(doc, LocDict) or "concepts" not in doc or not set(doc) <= {"concepts", "negated_forms"}:
        raise RuleError("a lexicon is a mapping with the key 'concepts' (and optionally 'negated_forms')", file, 1)
    rewrites = _parse_negated_forms(doc, file)
    raw = doc["concepts"]
    if not isinstance(raw, LocDict) or not raw:
        raise RuleError("'concepts' must map concept names to their terms", file, doc.line_of("concepts"))
    concepts: dict[str, Concept] = {}
    for name, spec in raw.items():
        line = raw.line_of(name)
        if not isinstance(name, str) or not CONCEPT_RE.match(name):
            raise RuleError(f"concept name {name!r} must match {CONCEPT_RE.pattern}", file, line)
        if not isinstance(spec, LocDict) or "terms" not in spec or not set(spec) <= {"description", "terms"}:
            raise RuleError(f"concept {name!r} needs 'terms' (and optionally 'description') only", file, line)
        by_lang = spec["terms"]
        if not isinstance(by_lang, LocDict) or not by_lang:
            raise RuleError(f"concept {name!r}: 'terms' must map language codes to lists", file,
                            spec.line_of("terms"))
        terms: dict[str, tuple[LexTerm, ...]] = {}
        for lang, items in by_lang.items():
            lline = by_lang.line_of(lang)
            if not isinstance(lang, str) or not LANG_RE.match(lang):
                raise RuleError(f"concept {name!r}: {lang!r} is not a language code (ISO 639-1)", file, lline)
            if not isinstance(items, LocList) or not items:
                raise RuleError(f"concept {name!r}, {lang}: expected a non-empty list of terms", file, lline)
            out = []
            for i, item in enumerate(items):
                iline = items.line_of(i)
                if isinstance(item, LocDict):
                    if (not set(item) <= {"term", "exact", "own_language"} or not isinstance(item.get("term"), str)
                            or not all(isinstance(item.get(k, False), bool) for k in ("exact", "own_language"))):
                        raise RuleError(f"concept {name!r}, {lang}[{i}]: a mapping needs 'term' (and 'exact', "
                                        f"'own_language': true or false)", file, iline)
                    out.append(LexTerm(item["term"].strip(), item.get("exact", False), item.get("own_language", False)))
                elif isinstance(item, str) and item.strip():
                    out.append(LexTerm(item.strip()))
                else:
                    raise RuleError(f"concept {name!r}, {lang}[{i}]: expected a term, got {item!r}", file, iline)
                word = out[-1].text
                if "*" in word and (not word.endswith("*") or len(word.rstrip("*").split()[-1]) < 4):
                    raise RuleError(f"concept {name!r}, {lang}[{i}]: a wildcard is a trailing '*' after at "
                                    f"least 4 letters", file, iline)
            terms[lang] = tuple(out)
        negated = {lang: derived for lang, ts in terms.items()
                   if (derived := _negate(name, ts, rewrites.get(lang, ())))}
        concepts[name] = Concept(name, str(spec.get("description") or ""), terms, line, negated)
    for lang, rws in rewrites.items():
        for rw in rws:
            stray = sorted(rw.concepts - set(concepts))
            if stray:
                raise RuleError(f"negated_forms.{lang}: unknown concept(s) {stray}", file, rw.line)
    return Lexicon(file, concepts, rewrites)


def _parse_negated_forms(doc: LocDict, file: str) -> dict[str, tuple[Rewrite, ...]]:
    """`negated_forms: {lang: [{form: regex, negated: [template, ...], concepts: [...]}, ...]}`."""
    raw = doc.get("negated_forms")
    if raw is None:
        return {}
    if not isinstance(raw, LocDict):
        raise RuleError("'negated_forms' must map language codes to lists of rewrites", file,
                        doc.line_of("negated_forms"))
    out: dict[str, tuple[Rewrite, ...]] = {}
    for lang, items in raw.items():
        lline = raw.line_of(lang)
        if not isinstance(lang, str) or not LANG_RE.match(lang):
            raise RuleError(f"negated_forms: {lang!r} is not a language code (ISO 639-1)", file, lline)
        if not isinstance(items, LocList) or not items:
            raise RuleError(f"negated_forms.{lang}: expected a non-empty list of rewrites", file, lline)
        rewrites = []
        for i, item in enumerate(items):
            iline = items.line_of(i)
            made = item.get("negated") if isinstance(item, LocDict) else None
            only = item.get("concepts", []) if isinstance(item, LocDict) else None
            if (not isinstance(item, LocDict) or not {"form", "negated"} <= set(item) <= {"form", "negated", "concepts"}
                    or not isinstance(item["form"], str)
                    or not isinstance(made, LocList) or not made or not all(isinstance(m, str) and m for m in made)
                    or not isinstance(only, list) or not all(isinstance(c, str) for c in only)):
                raise RuleError(f"negated_forms.{lang}[{i}]: a rewrite is {{form: regex, negated: [spelling, ...]}} "
                                f"and optionally concepts: [name, ...]", file, iline)
            try:
                form = re.compile(item["form"])
            except re.error as exc:
                raise RuleError(f"negated_forms.{lang}[{i}]: bad regular expression ({exc})", file, iline) from None
            for template in made:
                refs = [int(g) for g in re.findall(r"\\(\d+)", template)]
                if any(g < 1 or g > form.groups for g in refs):
                    raise RuleError(f"negated_forms.{lang}[{i}]: {template!r} refers to a group {item['form']!r} "
                                    f"does not have", file, iline)
            for template in made:
                if "*" in template and not template.endswith("*"):
                    raise RuleError(f"negated_forms.{lang}[{i}]: {template!r}: a wildcard is a trailing '*'",
                                    file, iline)
            rewrites.append(Rewrite(form, tuple(made), frozenset(only), iline))
        out[lang] = tuple(rewrites)
    return out


def _negate(concept: str, terms: tuple[LexTerm, ...], rewrites: tuple[Rewrite, ...]) -> tuple[LexTerm, ...]:
    """The negated spellings `rewrites` make of a concept's listed (non-exact) terms in one
    language, new ones only."""
    seen = {t.text for t in terms}
    out: list[LexTerm] = []
    for term in terms:
        if term.exact:
            continue
        for rw in rewrites:
            m = rw.form.fullmatch(term.text) if not rw.concepts or concept in rw.concepts else None
            if m is None:
                continue
            for template in rw.negated:
                word = m.expand(template)
                if word not in seen:
                    seen.add(word)
                    out.append(LexTerm(word))
    return tuple(out)


@cache
def bundled_lexicon() -> Lexicon:
    return load_lexicon(LEXICON_FILE)


def load_lexicon(path: Path) -> Lexicon:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleError(f"cannot read the concept lexicon: {exc.strerror or exc}", str(path)) from None
    except UnicodeDecodeError as exc:
        raise RuleError(f"not valid UTF-8 (byte {exc.start})", str(path)) from None
    return parse_lexicon(text, str(path))
