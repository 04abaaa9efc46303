"""How a score is made: the whole scoring model is the table `MODEL`, read by the pure functions below.

No other module holds a scoring number. The steps, in the names of `ScoringModel`'s fields:

1. Each fired rule contributes (`rule_contribution`)
       points = min(max_score, weight × similarity / 100 × proximity × modifier + bonus)
   weight      = severity_weights[severity], or the rule's own number when its severity is 1–100;
   similarity  = mean similarity (0–100) of the hits in the rule's best evidence window;
   proximity   = 1 − proximity_spread × min(distance, within) / within   (1 when the rule sets no window);
   modifier    = the lowest multiplier of the framing cues of the evidence's sentences (a negator
                 governing an evidence word counts as negation; a fact-check headline or lead
                 frames the whole article), else 1.
                 The multipliers are data, in flagger/resources/cues.yaml (`cue_multipliers`); a rule
                 may override them for itself;
   bonus       = entity_bonus when a matched sanctioned entity is part of the rule's evidence or
                 stands in the same sentence, else 0.
   A rule with several evidence windows counts its best one.
2. Each matched sanctioned entity that is not already evidence of a fired rule contributes
       points = entity_weight × similarity / 100               (`entity_contribution`)
3. Contributions are grouped: one group per rule category, one (`ENTITY_GROUP`) for all entity
   mentions; a group counts its largest contribution only (three rules fired by the same sentence
   are one finding). The groups combine largest first (`combine`):
       score = g1;  score += (max_score − score) × secondary_share × g_k / max_score   for k = 2, 3, ...
   so findings in several categories raise the score without two medium ones making a critical.
   Combining never reaches the floor of `alone_level` (critical): when no single group reaches that
   floor, the combined score stops a tenth of a point below it. A critical verdict is one finding
   that is critical by itself (a critical rule, unhedged, with its evidence close together), not
   several high findings about the same story.
4. The level is the highest whose floor the score reaches; a score of 0 is "none" (`level_for`).

README's "How the score is made" is rendered from the table by `explain_markdown`, docs/rules.md's
severity table by `severity_markdown`; tests/test_scoring.py fails when either file differs.
Change a number here, bump `MODEL.version`, and regenerate them (see that test).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from flagger.model import LEVELS, Contribution

ENTITY_GROUP = "sanctioned-entity"     # the group (and finding category) of entity mentions
CUES_FILE = "flagger/resources/cues.yaml"


@dataclass(frozen=True, eq=False)
class ScoringModel:
    """Every number that turns hits into a score and a score into a level."""

    name: str
    version: str
    severity_weights: Mapping[str, float]   # rule severity -> weight (its points at full confidence)
    entity_weight: float                    # a sanctioned-entity mention's points at similarity 100
    entity_bonus: float                     # added to a rule whose evidence involves a listed entity
    proximity_spread: float                 # confidence lost at the far edge of a rule's window
    secondary_share: float                  # share of the headroom each further group may fill
    level_floors: Mapping[str, float]       # lower bound of each level's band, in LEVELS order
    cue_multipliers: Mapping[str, float]    # framing cue kind -> confidence multiplier (cue words: cues.yaml)
    max_score: float = 100.0
    alone_level: str = ""                   # a level only one finding reaches by itself ("": none such)

    def __post_init__(self) -> None:
        if tuple(self.level_floors) != LEVELS:
            raise ValueError(f"level_floors must give every level in order {LEVELS}")
        floors = list(self.level_floors.values())
        if floors[0] != 0 or floors != sorted(floors):
            raise ValueError("level floors must start at 0 and rise")
        if not set(self.severity_weights) <= set(LEVELS[1:]):
            raise ValueError(f"severity_weights keys must be levels {LEVELS[1:]}")
        if self.alone_level and self.alone_level not in LEVELS[1:]:
            raise ValueError(f"alone_level must be one of {LEVELS[1:]} or empty")
        if not all(0 < m <= 1 for m in self.cue_multipliers.values()):
            raise ValueError("cue multipliers must be above 0 and at most 1: a cue never zeroes a finding")

    def parameters(self) -> dict:
        """Every number of the model."""
        return {
            "severity_weights": dict(self.severity_weights),
            "entity_weight": self.entity_weight,
            "entity_bonus": self.entity_bonus,
            "proximity_spread": self.proximity_spread,
            "secondary_share": self.secondary_share,
            "level_floors": dict(self.level_floors),
            "max_score": self.max_score,
            "alone_level": self.alone_level,
            "cue_multipliers": dict(self.cue_multipliers),
        }

    def describe(self) -> dict:
        """For provenance: name, version, the parameters, and their SHA-256 (so two runs' models
        can be compared without trusting the version)."""
        params = self.parameters()
        digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode("utf-8")).hexdigest()
        return {"name": self.name, "version": self.version, "sha256": digest, "parameters": params}


MODEL = ScoringModel(
    name="flagger-score",
    version="5",
    severity_weights=MappingProxyType({"low": 25.0, "medium": 50.0, "high": 70.0, "critical": 90.0}),
    entity_weight=35.0,
    entity_bonus=10.0,
    proximity_spread=0.1,
    # Version 3: critical weight and secondary share chosen by benchmarks/calibrate.py --fit on the
    # real-news dev set and the samples together (round values only; see that script's docstring).
    secondary_share=0.25,
    # Version 5: a critical verdict needs one finding critical by itself (several high findings about
    # one designation or shipment stacked into critical: 5 of 12 critical samples were not).
    alone_level="critical",
    level_floors=MappingProxyType({"none": 0.0, "low": 15.0, "medium": 40.0, "high": 65.0, "critical": 85.0}),
    # Weighting after docs/domain.md 4.6 (ICD 203 / PHIA likelihood language): reported or alleged
    # claims count less than confirmed ones, speculation less again, explicit negation least; a
    # denial by the accused lowers less than an independent finding of no evidence, because
    # denials accompany most true cases. The lowest multiplier found applies.
    # A fact-check headline or lead (the claim is false) and a description of what the regime
    # prohibits ("the resolution bans the sale of...") count like a negation: they say the act
    # is not what happened. So does an event dated years before the article (history: it is no
    # current finding). An explainer, encyclopedic or academic text (genre) describes rather than
    # reports, and lowers like speculation.
    cue_multipliers=MappingProxyType({"hedge": 0.75, "speculation": 0.6, "denial": 0.5, "negation": 0.35,
                                      "factcheck": 0.3, "regime": 0.35, "embargo_text": 0.35,
                                      "exemption": 0.35, "history": 0.35, "genre": 0.6}),
)


def cue_multipliers(model: ScoringModel = MODEL) -> dict[str, float]:
    """Framing cue kind -> multiplier (the cue words of each kind are in cues.yaml)."""
    return dict(model.cue_multipliers)


def proximity_factor(distance: int, within: int | None, model: ScoringModel = MODEL) -> float:
    if not within:
        return 1.0
    return 1.0 - model.proximity_spread * min(distance, within) / within


def rule_contribution(rule_id: str, category: str, weight: float, similarity: float, distance: int, within: int | None,
                      modifier: float, entity_evidence: bool, note: str = "", *,
                      model: ScoringModel = MODEL) -> Contribution:
    prox = proximity_factor(distance, within, model)
    bonus = model.entity_bonus if entity_evidence else 0.0
    points = min(model.max_score, weight * (similarity / 100.0) * prox * modifier + bonus)
    return Contribution(source=rule_id, kind="rule", group=category, weight=weight, similarity=round(similarity, 2),
                        proximity=round(prox, 4), modifier=modifier, entity_bonus=bonus,
                        points=round(points, 2), note=note)


def entity_contribution(entity_id: str, similarity: float, note: str = "", *,
                        model: ScoringModel = MODEL) -> Contribution:
    points = model.entity_weight * similarity / 100.0
    return Contribution(source=f"entity:{entity_id}", kind="entity", group=ENTITY_GROUP, weight=model.entity_weight,
                        similarity=round(similarity, 2), proximity=1.0, modifier=1.0, entity_bonus=0.0,
                        points=round(points, 2), note=note)


def combine(contributions: list[Contribution], model: ScoringModel = MODEL) -> float:
    best: dict[str, float] = {}
    for c in contributions:
        key = c.group or c.source
        best[key] = max(best.get(key, 0.0), c.points)
    points = sorted(best.values(), reverse=True)
    if not points:
        return 0.0
    top = model.max_score
    score = points[0]
    for p in points[1:]:
        score += (top - score) * model.secondary_share * p / top
    score = round(min(top, score), 1)
    # Only a finding that reaches the alone level by itself puts the article there.
    floor = model.level_floors[model.alone_level] if model.alone_level else top
    if points[0] < floor <= score:
        score = floor - 0.1
    return score


def level_for(score: float, model: ScoringModel = MODEL) -> str:
    """The highest level whose floor `score` reaches; 0 (nothing found) is always "none"."""
    level = "none"
    for name, floor in model.level_floors.items():
        if score >= floor:
            level = name
    return level if score > 0 else "none"


# -- the documentation, rendered from the table ------------------------------------------------
# Example cue words shown in README (tests/test_scoring.py checks each is still in cues.yaml).
CUE_EXAMPLES = {
    "hedge": ("reportedly", "alleged", "could not be verified"),
    "speculation": ("could", "would", "whether", "plans to"),
    "denial": ("denied", "baseless"),
    "negation": ("no evidence", "never supplied"),
    "factcheck": ("fact check", "fake news"),
    "regime": ("prohibits", "requires states"),
    "embargo_text": ("adopting resolution", "sanctions resolution"),
    "exemption": ("humanitarian exemption", "waiver"),
    "history": ("decades ago", "during the cold war"),
    "genre": ("explainer", "encyclopedia", "this paper"),
}


def _num(x: float) -> str:
    return f"{x:g}"


def explain_markdown(model: ScoringModel = MODEL) -> str:
    """README's "How the score is made" list, every number taken from `model`."""
    weights = ", ".join(f"{sev} {_num(w)}" for sev, w in model.severity_weights.items())
    mods = []
    for kind, mult in model.cue_multipliers.items():
        shown = [f'"{t}"' for t in CUE_EXAMPLES.get(kind, ())]
        mods.append(f"     - {kind} {_num(mult)}" + (f" ({', '.join(shown)})" if shown else ""))
    top = _num(model.max_score)
    return "\n".join([
        f"1. Each fired rule contributes `weight × similarity × proximity × modifier` "
        f"(+{_num(model.entity_bonus)} when a matched",
        f"   sanctioned entity is part of its evidence or in the same sentence), capped at {top}:",
        f"   - weight = severity: {weights} (or the rule's own number);",
        "   - similarity = mean similarity (0–1) of the hits in the rule's best evidence window;",
        f"   - proximity = `1 − {_num(model.proximity_spread)} × distance / within` (1.0 when the rule sets "
        f"no window);",
        "   - modifier = the lowest multiplier of the cue words found in the evidence's sentences, else 1",
        "     (a negator such as \"never\" or \"did not\" a few words before an evidence word, in the same",
        "     clause, is a negation, and so is a verb negated by its affix near it (Turkish göndermedi,",
        "     Persian ارسال نکرد, Czech nezahájila); a fact-check cue in the headline or lead applies to the",
        "     whole article;",
        "     a regime cue is void in a sentence that also speaks of a violation; a sentence whose years all",
        "     lie years before the article's `published` year (not \"since 2017\") is history; a genre cue",
        "     (explainer, encyclopedic, academic) in the headline or lead applies to the whole article;",
        f"     cue words per language in `{CUES_FILE}`, each read in its own language; a rule may override the multipliers):",
        *mods,
        f"2. Each matched sanctioned entity that is not already evidence of a fired rule contributes "
        f"`{_num(model.entity_weight)} × similarity`",
        f'   — a mention alone is at most "{level_for(model.entity_weight, model)}".',
        "3. Contributions are grouped by rule category (and one group for entity mentions); each group counts "
        "its",
        f"   best. Groups combine largest first: `score = g1`, then "
        f"`score += ({top} − score) × {_num(model.secondary_share)} × g_k / {top}`.",
        *([f"   Combined findings never reach {model.alone_level} by themselves: unless one group scores at "
           f"least {_num(model.level_floors[model.alone_level])}",
           f"   alone, the score stops at {_num(model.level_floors[model.alone_level] - 0.1)} "
           f"(a {model.alone_level} verdict is one finding that is {model.alone_level} by itself, "
           "not many mentions)."] if model.alone_level else []),
        f"4. Levels: {_bands(model)}.",
        "",
        f"Scoring model `{model.name}` version {model.version}: the table `MODEL` in `flagger/scoring.py`.",
        "Its numbers were chosen with `benchmarks/calibrate.py --fit` on the real-news development set and",
        "the bundled samples: a grid of round values (severity weights, entity bonus, level floors, hedge and",
        "speculation multipliers, secondary share, whether only a single finding reaches critical); hard",
        "constraints first (no none/low article at high or above, no none article above low, recall at high",
        "or above on the samples unchanged), then F1 at medium or above, then critical F1 on the samples (the",
        "only set labelled critical), then high articles at high or above, then the fewest changed numbers.",
        "The dev set is also split in halves to show how the fit holds on articles it did not see. The",
        "framing multipliers outside the grid follow the likelihood language of intelligence assessment",
        "(ICD 203) and were checked, not fitted, on the same sets.",
    ])


def _bands(model: ScoringModel) -> str:
    """none < 15 ≤ low < 40 ≤ medium ... ≤ critical."""
    names = list(model.level_floors)
    out = names[0]
    for name in names[1:]:
        out += f" < {_num(model.level_floors[name])} ≤ {name}"
    return out


def severity_markdown(model: ScoringModel = MODEL) -> str:
    """docs/rules.md's table of severity weights."""
    rows = ["| severity | weight (points at full confidence) |", "|---|---:|"]
    rows += [f"| {sev} | {_num(w)} |" for sev, w in model.severity_weights.items()]
    rows.append("| a number 1–100 | that number |")
    return "\n".join(rows)
