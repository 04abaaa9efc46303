"""The concept lexicon: what a rule means, separated from how each language says it.

`flagger/rules/lexicon.yaml` maps a concept (`dprk`, `transfer`, `troops`...) to its terms per
language (ISO 639-1 code -> list of terms). A rule group refers to concepts with
`concepts: [dprk, transfer]`; the loader expands each (concept, language) into one term whose
spellings are that language's terms, next to the group's own inline `terms` (which stay valid
for users' rules). A lexicon term is a plain string (matched like an inline term: inflection,
typo tolerance, `*` prefix wildcard for languages with many endings) or a mapping
`{term: ..., exact: true}` for short acronyms. Scripts without spaces (Chinese, Japanese, Thai,
Lao, Myanmar, Khmer) are cut into characters by flagger.text, so their terms match anywhere in
running text.

Every problem is reported as `file:line: what is wrong`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Concept:
    name: str
    description: str
    terms: dict[str, tuple[LexTerm, ...]]     # language -> terms, in file order
    line: int


@dataclass(frozen=True)
class Lexicon:
    path: str
    concepts: dict[str, Concept]

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
    if not isinstance(doc, LocDict) or set(doc) != {"concepts"}:
        raise RuleError("a lexicon is a mapping with one key, 'concepts'", file, 1)
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
                    if not set(item) <= {"term", "exact"} or not isinstance(item.get("term"), str):
                        raise RuleError(f"concept {name!r}, {lang}[{i}]: a mapping needs 'term' (and 'exact')",
                                        file, iline)
                    out.append(LexTerm(item["term"].strip(), bool(item.get("exact", False))))
                elif isinstance(item, str) and item.strip():
                    out.append(LexTerm(item.strip()))
                else:
                    raise RuleError(f"concept {name!r}, {lang}[{i}]: expected a term, got {item!r}", file, iline)
                word = out[-1].text
                if "*" in word and (not word.endswith("*") or len(word.rstrip("*").split()[-1]) < 4):
                    raise RuleError(f"concept {name!r}, {lang}[{i}]: a wildcard is a trailing '*' after at "
                                    f"least 4 letters", file, iline)
            terms[lang] = tuple(out)
        concepts[name] = Concept(name, str(spec.get("description") or ""), terms, line)
    return Lexicon(file, concepts)


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
