"""Rule packs: the YAML schema, the loader with file:line errors, the compiled rule model."""

from flagger.paths import bundled_rules_dir
from flagger.rules.loader import load_rule_packs
from flagger.rules.pack import EntityFilter, Group, Rule, RulePack, Term

__all__ = ["EntityFilter", "Group", "Rule", "RulePack", "Term", "bundled_rules_dir", "load_rule_packs"]
