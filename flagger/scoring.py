"""How a score is made. Declarative constants, one pure function per step.

1. Each fired rule contributes  weight × confidence  (+ ENTITY_BONUS when a matched sanctioned
   entity is part of its evidence or stands in the same sentence), capped at 100, where
     weight      = severity: low 30, medium 55, high 80, critical 95 (or the rule's number);
     confidence  = similarity × proximity × modifier;
     similarity  = mean similarity (0–1) of the hits in the rule's best evidence window;
     proximity   = 1 − PROXIMITY_SPREAD × distance / within  (1.0 when the rule sets no window);
     modifier    = the lowest multiplier of the hedging/negation cues in the evidence's
                   sentences (hedge 0.75, speculation 0.6, denial 0.5, negation 0.35), else 1.
   A rule with several evidence windows counts its best one.
2. Each matched sanctioned entity that is not already evidence of a fired rule contributes
   ENTITY_WEIGHT × similarity (a mention alone reaches "low", never more).
3. Contributions are grouped: one group per rule category, one for all entity mentions; a
   group counts its largest contribution only (three rules fired by the same sentence are one
   finding, three sanctioned names mentioned in passing are still a passing mention).
   The groups then combine, largest first: the largest counts in full, each further one adds
   SECONDARY_SHARE of its share of the remaining headroom:
     score = g1;  score += (100 − score) × SECONDARY_SHARE × g_k / 100  for k = 2, 3, ...
   so findings in several categories raise the score without two medium ones making a critical.
4. Level bands: none < 15 ≤ low < 40 ≤ medium < 65 ≤ high < 85 ≤ critical.
"""

from __future__ import annotations

from flagger.model import Contribution

ENTITY_WEIGHT = 35.0
ENTITY_BONUS = 10.0
PROXIMITY_SPREAD = 0.1
SECONDARY_SHARE = 0.3


def proximity_factor(distance: int, within: int | None) -> float:
    if not within:
        return 1.0
    return 1.0 - PROXIMITY_SPREAD * min(distance, within) / within


def rule_contribution(rule_id: str, category: str, weight: float, similarity: float, distance: int, within: int | None,
                      modifier: float, entity_evidence: bool, note: str = "") -> Contribution:
    prox = proximity_factor(distance, within)
    bonus = ENTITY_BONUS if entity_evidence else 0.0
    points = min(100.0, weight * (similarity / 100.0) * prox * modifier + bonus)
    return Contribution(source=rule_id, kind="rule", group=category, weight=weight, similarity=round(similarity, 2),
                        proximity=round(prox, 4), modifier=modifier, entity_bonus=bonus,
                        points=round(points, 2), note=note)


def entity_contribution(entity_id: str, similarity: float, note: str = "") -> Contribution:
    points = ENTITY_WEIGHT * similarity / 100.0
    return Contribution(source=f"entity:{entity_id}", kind="entity", group="sanctioned-entity", weight=ENTITY_WEIGHT,
                        similarity=round(similarity, 2), proximity=1.0, modifier=1.0, entity_bonus=0.0,
                        points=round(points, 2), note=note)


def combine(contributions: list[Contribution]) -> float:
    best: dict[str, float] = {}
    for c in contributions:
        key = c.group or c.source
        best[key] = max(best.get(key, 0.0), c.points)
    points = sorted(best.values(), reverse=True)
    if not points:
        return 0.0
    score = points[0]
    for p in points[1:]:
        score += (100.0 - score) * SECONDARY_SHARE * p / 100.0
    return round(min(100.0, score), 1)
