"""Plain data passed between the stages: input records in, hits and article results out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# Risk levels, lowest first. Their score bands are part of the scoring model (flagger.scoring.MODEL).
LEVELS = ("none", "low", "medium", "high", "critical")


def level_rank(level: str) -> int:
    return LEVELS.index(level)


@dataclass
class Record:
    """One input article (or one record that failed to read, with `error` set)."""

    id: str
    text: str = ""
    title: str = ""
    url: str = ""
    published: str = ""
    source: str = ""           # the article's source: outlet/feed if given, else the file it came from
    origin: str = ""           # the file (or URL, "-" for stdin) it was read from
    line: int | None = None    # line (or row) in `origin`, where meaningful
    error: str = ""            # what went wrong reading it, with file:line
    extra: dict = field(default_factory=dict)  # unknown input fields, kept for JSON output


@dataclass
class Hit:
    article_id: str
    rule_id: str
    category: str
    severity: str
    term: str
    matched_text: str
    start: int
    end: int
    similarity: float
    modifiers: str
    snippet: str
    kind: str = "term"         # term | entity
    entity_id: str = ""
    entity_list: str = ""
    line: int = 0              # line of `field` the span starts on (1-based)
    field: str = "text"        # the record field `start`/`end` index: "text" or "title"


@dataclass
class EntityMatch:
    entity_id: str
    name: str                  # the listed primary name
    matched_name: str          # which name/alias matched
    type: str
    list: str
    programs: list[str]
    similarity: float
    matched_text: str
    start: int
    end: int
    explanation: str
    field: str = "text"        # the record field `start`/`end` index: "text" or "title"


@dataclass
class Contribution:
    source: str                # rule id or "entity:<id>"
    kind: str                  # rule | entity
    weight: float
    similarity: float
    proximity: float
    modifier: float
    entity_bonus: float
    points: float              # what it adds to the score before combination
    note: str = ""
    group: str = ""            # rule category, or "sanctioned-entity": a group counts its best only


@dataclass
class ArticleResult:
    record: Record
    language: str = ""
    score: float = 0.0
    level: str = "none"
    rules: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    entities: list[EntityMatch] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)


def add_level(counts: dict[str, int], result: ArticleResult) -> None:
    """Count `result` in `counts` (level -> articles) unless it is an input that could not be read."""
    if not result.record.error:
        counts[result.level] += 1


def count_levels(results: Iterable[ArticleResult] = ()) -> dict[str, int]:
    """Articles per level, every level of LEVELS present (in order), unreadable inputs not counted."""
    counts = dict.fromkeys(LEVELS, 0)
    for result in results:
        add_level(counts, result)
    return counts
