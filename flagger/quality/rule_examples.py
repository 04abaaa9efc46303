"""Rule tests: every rule's embedded examples, run through the real scanner."""

from __future__ import annotations

from dataclasses import dataclass, field

from flagger.language import detect_language
from flagger.scanner import ArticleScanner
from flagger.text import tokenize


@dataclass
class RuleTestOutcome:
    passed: int = 0
    failures: list[str] = field(default_factory=list)


def _why_not(scanner, rule, text: str) -> str:
    """Which required groups found nothing, to explain a missed example."""
    result = scanner.scan_text(text)
    found = {h.rule_id for h in result.hits}
    if rule.id in found:
        return "fired"
    missing = [g for g in rule.all_of if not _group_hits(scanner, rule, g, text)]
    if rule.any_of and not any(_group_hits(scanner, rule, g, text) for g in rule.any_of):
        missing.append("any of " + "|".join(rule.any_of))
    if missing:
        return "no hit for group(s) " + ", ".join(missing)
    extra = f" within {rule.within} tokens" if rule.within else ""
    extra += " in one sentence" if rule.same_sentence else ""
    return f"every group has hits, but not together{extra} (or an exclusion applied)"


def _group_hits(scanner, rule, gname: str, text: str) -> list:
    compiled = scanner.compiled
    r = compiled.rules.index(rule)
    tokens = tokenize(text)
    norms = [scanner.normalise(t.raw) for t in tokens]
    cands = compiled.index.match(norms, detect_language(text), scanner.alternatives)
    group = rule.groups[gname]
    if group.entities is not None:
        res = scanner.scan_text(text)
        return [e for e in res.entities if e.entity_id in {compiled.entity_rows[i]["id"] for i in compiled.entity_groups.get((r, gname), ())}]
    hits = []
    for c in cands:
        for pid in c.payloads:
            p = compiled.payloads[pid]
            if p.kind == "term" and p.rule == r and p.group == gname and c.similarity >= p.threshold \
                    and (c.exact_only or not p.exact):
                hits.append(c)
    for regex, p in compiled.regexes:
        if p.rule == r and p.group == gname and regex.search(text):
            hits.append(p)
    return hits


def run_rule_tests(paths=None, min_examples: int = 0, scanner=None) -> RuleTestOutcome:
    if scanner is None:
        scanner = ArticleScanner(rules=paths)
    outcome = RuleTestOutcome()
    for rule in scanner.rules:
        ex = rule.examples
        if min_examples and (len(ex.match) < min_examples or len(ex.no_match) < min_examples):
            outcome.failures.append(
                f"{rule.file}:{rule.line}: {rule.id}: needs at least {min_examples} match and no_match examples "
                f"(has {len(ex.match)} and {len(ex.no_match)})")
        for text, line in zip(ex.match, ex.match_lines, strict=True):
            fired = rule.id in scanner.scan_text(text).rules
            if fired:
                outcome.passed += 1
            else:
                outcome.failures.append(f"{rule.file}:{line}: {rule.id}: must match but did not "
                                        f"({_why_not(scanner, rule, text)}): {text[:100]!r}")
        for text, line in zip(ex.no_match, ex.no_match_lines, strict=True):
            result = scanner.scan_text(text)
            if rule.id in result.rules:
                quote = next((e for e in result.evidence if e.startswith(rule.id + ":")), "")
                outcome.failures.append(f"{rule.file}:{line}: {rule.id}: must not match but did "
                                        f"(evidence {quote.split(': ', 1)[-1]!r}): {text[:100]!r}")
            else:
                outcome.passed += 1
    return outcome
