"""Plain data passed between the stages: input records in, hits and article results out."""

from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = ("none", "low", "medium", "high", "critical")
# Lower bound of each level's score band (0–100).
LEVEL_FLOORS = {"none": 0.0, "low": 15.0, "medium": 40.0, "high": 65.0, "critical": 85.0}


def level_for(score: float) -> str:
    level = "none"
    for name in LEVELS:
        if score >= LEVEL_FLOORS[name]:
            level = name
    return level if score > 0 else "none"


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
    line: int = 0


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
