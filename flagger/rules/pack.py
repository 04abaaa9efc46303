"""The compiled rule model: plain frozen dataclasses, built by the loader."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_THRESHOLD = 88.0            # a term's minimum similarity (0–100) when the rule sets none


@dataclass(frozen=True)
class Term:
    text: str                        # the display form (first spelling given)
    aliases: tuple[str, ...] = ()    # other spellings / languages, matched the same way
    threshold: float = DEFAULT_THRESHOLD
    exact: bool = False
    regex: str | None = None
    line: int | None = None
    within: int | None = None        # exclusion terms only: their own distance in tokens
    # the languages whose text these spellings are matched in (written "met @en"); empty: any. A
    # spelling that is an ordinary word elsewhere (English 'met' is Dutch 'with', 'sent' French
    # 'feels') is read only in an article told to be in one of them (or a close language), and
    # everywhere when the article's language is not told.
    languages: frozenset[str] = frozenset()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.text, *self.aliases) if self.regex is None else ()


@dataclass(frozen=True)
class EntityFilter:
    programs: tuple[str, ...] = ()   # glob patterns on programs
    types: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()      # glob patterns on list name
    min_similarity: float = 0.0


@dataclass(frozen=True)
class Group:
    name: str
    terms: tuple[Term, ...] = ()
    entities: EntityFilter | None = None
    concepts: tuple[str, ...] = ()   # concept-lexicon references whose terms are in `terms`


@dataclass(frozen=True)
class Examples:
    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()
    match_lines: tuple[int, ...] = ()
    no_match_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    category: str
    severity: str                    # low|medium|high|critical|custom
    weight: float                    # 1–100: flagger.scoring.MODEL.severity_weights[severity], or custom
    legal_basis: tuple[str, ...]
    references: tuple[str, ...]
    groups: dict[str, Group]
    all_of: tuple[str, ...]
    any_of: tuple[str, ...]
    within: int | None
    same_sentence: bool
    exclude_terms: tuple[Term, ...] = ()
    exclude_within: int | None = None
    modifiers: dict[str, float] = field(default_factory=dict)
    examples: Examples = Examples()
    description: str = ""
    status: str = "stable"
    pack_id: str = ""
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class RulePack:
    id: str
    title: str
    path: str
    sha256: str
    rules: tuple[Rule, ...]
    version: str = ""
    description: str = ""
