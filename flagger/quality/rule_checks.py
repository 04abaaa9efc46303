"""Cross-reference checks that need more than one rule: entity filters that select nothing,
rules without examples, terms that can never match."""

from __future__ import annotations

from flagger.engine.compile import entity_selected
from flagger.entities.loading import load_entity_lists
from flagger.rules.pack import RulePack
from flagger.text import normalize_text


def cross_check(packs: list[RulePack], entities=None) -> list[str]:
    if entities is None:
        entities = load_entity_lists((), True)
    rows = entities.to_dicts()
    warnings = []
    for pack in packs:
        for rule in pack.rules:
            where = f"{rule.file}:{rule.line}: rule {rule.id!r}"
            if not rule.examples.match or not rule.examples.no_match:
                warnings.append(f"{where} has no match or no no_match examples")
            for gname, group in rule.groups.items():
                if group.entities is not None and not any(entity_selected(group.entities, r) for r in rows):
                    warnings.append(f"{where}: entity group {gname!r} selects no entity of the loaded lists")
                for term in group.terms:
                    for spelling in term.spellings:
                        if not normalize_text(spelling):
                            warnings.append(f"{rule.file}:{term.line}: term {spelling!r} has no word characters")
    return warnings
