"""Findings, their fingerprints, and the CI gate: the exit code is decided here and only here.

A *finding* is one fired rule in one article (or one matched sanctioned entity that is not
already evidence of a fired rule). Its score is the points that rule contributed to the
article (see flagger.scoring) and its level is the band of that score.

The gate (``--fail-on`` / ``--min-score``) fails the run when:

* a finding whose category has its own threshold (``--fail-on CATEGORY=LEVEL``) reaches it, or
* the article, counting only findings of categories without their own threshold, reaches the
  global ``--fail-on LEVEL`` or ``--min-score N``.

``CATEGORY=off`` (also ``warn``, ``never``, ``none``) reports that category's findings as
warnings and never fails on them. Baseline-suppressed findings never count.

Exit codes (`EXIT_*`, decided by `exit_code_for`): 0 nothing at or above the gate · 1 findings at
or above the gate · 2 usage, rule or configuration error · 3 some inputs could not be read (wins
over 1 unless --allow-errors) · 4 internal error (a bug in flagger).
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from flagger.model import LEVELS, ArticleResult, add_level, count_levels, level_rank
from flagger.scoring import ENTITY_GROUP, combine, level_for

EXIT_OK = 0               # scanned; nothing at or above the gate
EXIT_FINDINGS = 1         # findings at or above the gate
EXIT_USAGE = 2            # usage, rule, configuration, baseline or state-file error; nothing scanned
EXIT_INPUT_ERRORS = 3     # some inputs could not be read (wins over findings unless allow_errors)
EXIT_INTERNAL = 4         # a bug in flagger: never mistaken for findings or a pass

OFF_WORDS = ("off", "warn", "never", "none")
ENTITY_CATEGORY = ENTITY_GROUP     # the category of a sanctioned-entity mention's finding
_GATE_LEVELS = LEVELS[1:]


class GateSpecError(ValueError):
    pass


def _closest(word: str, choices) -> str:
    """ (did you mean 'x'?)" for the choice closest to `word` (difflib), or "" when none is close."""
    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not near and "_" in word:
        near = difflib.get_close_matches(word.replace("_", "-"), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {near[0]!r}?)" if near else ""


def _bad_level(item: str, lvl: str) -> GateSpecError:
    return GateSpecError(f"fail-on {item!r}: unknown level {lvl!r}{_closest(lvl, (*_GATE_LEVELS, *OFF_WORDS))}; "
                         f"levels are {', '.join(_GATE_LEVELS)}, or off")


def check_categories(gate: Gate, known) -> None:
    """Every category the gate names must be one of `known` (the categories of the loaded packs
    and sanctioned-entity): a misspelt category would otherwise gate nothing, silently."""
    known = sorted(set(known) | {ENTITY_CATEGORY})
    for cat in gate.categories:
        if cat not in known:
            raise GateSpecError(f"fail-on {cat}=…: unknown category {cat!r}{_closest(cat, known)}; "
                                f"the loaded packs' categories are {', '.join(known)}")


def exit_code_for(errors: int, failing: int, allow_errors: bool = False) -> int:
    """The exit code of a completed scan: `errors` unreadable inputs, `failing` articles at or above
    the gate. Unreadable inputs win over findings (a partial scan is not a pass), unless
    `allow_errors`."""
    if errors and not allow_errors:
        return EXIT_INPUT_ERRORS
    return EXIT_FINDINGS if failing else EXIT_OK


@dataclass(frozen=True)
class Gate:
    """Thresholds. `fail_on` None = no level gate; `categories[c]` None = category is warn-only."""

    fail_on: str | None = None
    min_score: float | None = None
    categories: dict[str, str | None] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(self.fail_on or self.min_score is not None or any(self.categories.values()))

    def describe(self) -> str:
        parts = []
        if self.fail_on:
            parts.append(f"fail-on {self.fail_on}")
        if self.min_score is not None:
            parts.append(f"min-score {self.min_score:g}")
        for cat, lvl in sorted(self.categories.items()):
            parts.append(f"{cat}={lvl or 'off'}")
        return ", ".join(parts) or "no gate"

    def threshold_for(self, category: str) -> tuple[bool, str | None]:
        """(has its own threshold, level or None for warn-only)."""
        if category in self.categories:
            return True, self.categories[category]
        return False, None


def parse_fail_on(values, min_score: float | None = None) -> Gate:
    """`--fail-on` values: `LEVEL` (global) and/or `CATEGORY=LEVEL|off`, each repeatable.

    A mapping (from a config file) is accepted too: {"default": "high", "arms-embargo": "medium"}.
    """
    if values is None:
        values = ()
    if isinstance(values, str):
        values = [values]
    if isinstance(values, dict):
        values = [v if k in ("default", "*") else f"{k}={v}" for k, v in values.items()]
    fail_on = None
    categories: dict[str, str | None] = {}
    for raw in values:
        for item in str(raw).split(","):
            item = item.strip()
            if not item:
                continue
            if "=" in item:
                cat, _, lvl = item.partition("=")
                cat, lvl = cat.strip(), lvl.strip().lower()
                if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", cat):
                    raise GateSpecError(f"fail-on {item!r}: category must be a slug like arms-embargo")
                if lvl in OFF_WORDS:
                    categories[cat] = None
                elif lvl in _GATE_LEVELS:
                    categories[cat] = lvl
                else:
                    raise _bad_level(item, lvl)
            else:
                lvl = item.lower()
                if lvl in OFF_WORDS:
                    fail_on = None
                elif lvl in _GATE_LEVELS:
                    fail_on = lvl
                else:
                    raise _bad_level(item, lvl)
    if min_score is not None and not 0 <= float(min_score) <= 100:
        raise GateSpecError(f"--min-score {min_score}: must be between 0 and 100")
    return Gate(fail_on=fail_on, min_score=None if min_score is None else float(min_score), categories=categories)


# -- findings ---------------------------------------------------------------------------------
@dataclass
class Finding:
    article_id: str
    source: str              # where the article lives: its URL, else the file/record it came from
    rule_id: str             # rule id, or "entity:<id>" for a sanctioned-entity mention
    category: str
    score: float             # points this finding contributed to its article
    level: str
    evidence: str            # the quote shown to analysts
    line: int = 0            # line of the evidence in the article text (1-based)
    fingerprint: str = ""
    entity_ids: list[str] = field(default_factory=list)
    status: str = "pass"     # fail | warn | suppressed
    suppressed_by: dict | None = None
    contribution: object = field(default=None, repr=False, compare=False)


def normalise_evidence(text: str) -> str:
    """Case, accents, punctuation and spacing removed, so a reworded quote mark does not re-alert."""
    if text.isascii():
        # what the normalisations below leave of ASCII text: its lower case (no compatibility
        # forms, no accents; casefold differs from lower only beyond ASCII)
        return " ".join(_WORDS.findall(text.lower()))
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_WORDS.findall(text))


_WORDS = re.compile(r"\w+")


def article_location(result: ArticleResult) -> str:
    """The article's identity in fingerprints: its URL, else its id (a file path, or the record id)."""
    return result.record.url or result.record.id


def fingerprint(source: str, rule_id: str, evidence: str) -> str:
    """Stable id of a finding: source + rule + normalised evidence, never a line number."""
    key = "\x1f".join((source, rule_id, normalise_evidence(evidence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def findings_of(result: ArticleResult, *, fingerprints: bool = True) -> list[Finding]:
    """The article's findings, largest first. `fingerprints=False` leaves each `fingerprint` empty:
    a gate with no baseline whose verdicts are not kept never reads one (`Evaluator`), and making
    them (normalised evidence, SHA-256) was half of judging corpus3k's 3,000 articles."""
    if result.record.error:
        return []
    rules = {}
    for ev in result.evidence:
        rid, _, quote = ev.partition(": ")
        rules.setdefault(rid, quote)
    cat_of = {h.rule_id: h.category for h in result.hits if h.rule_id}
    source = article_location(result)
    out = []
    for c in result.contributions:
        if c.kind == "rule":
            rid = c.source
            quote = rules.get(rid, "")
            rule_hits = [h for h in result.hits if h.rule_id == rid]
            line = min((h.line for h in rule_hits), default=0)
            category = cat_of.get(rid) or (result.categories[0] if result.categories else "")
            ents = sorted({h.entity_id for h in rule_hits if h.entity_id})
            basis = quote
        else:
            eid = c.source.split(":", 1)[1]
            ent_hits = [h for h in result.hits if h.entity_id == eid and not h.rule_id]
            match = next((e for e in result.entities if e.entity_id == eid), None)
            quote = match.matched_text if match else (ent_hits[0].matched_text if ent_hits else eid)
            line = min((h.line for h in ent_hits), default=0)
            rid, category, ents = c.source, ENTITY_CATEGORY, [eid]
            basis = f"{eid} {quote}"
        out.append(Finding(article_id=result.record.id, source=source, rule_id=rid, category=category,
                           score=c.points, level=level_for(c.points), evidence=quote, line=line,
                           fingerprint=fingerprint(source, rid, basis) if fingerprints else "", entity_ids=ents,
                           contribution=c))
    return out


# -- evaluation -------------------------------------------------------------------------------
@dataclass
class ArticleVerdict:
    result: ArticleResult
    status: str                      # fail | warn | pass | error
    findings: list[Finding]
    gate_score: float = 0.0          # the article score counting only globally gated findings
    reasons: list[str] = field(default_factory=list)


@dataclass
class GateOutcome:
    gate: Gate
    verdicts: list[ArticleVerdict] = field(default_factory=list)   # empty when results were streamed
    allow_errors: bool = False
    articles: int = 0
    errors: int = 0
    n_failing: int = 0
    failing_sample: list[ArticleVerdict] = field(default_factory=list)   # the first few, for the summary
    counts: dict[str, int] = field(default_factory=count_levels)
    suppressed: int = 0
    stale_baseline: list = field(default_factory=list)     # baseline entries that matched nothing
    expired_baseline: list = field(default_factory=list)   # entries past expiry that now alert again
    skipped_seen: int = 0                                  # articles skipped by --state
    duplicates: int = 0                                    # syndicated copies grouped
    skipped_files: list[str] = field(default_factory=list)  # files in scanned folders that are not articles

    @property
    def failing(self) -> list[ArticleVerdict]:
        return self.failing_sample

    @property
    def exit_code(self) -> int:
        return exit_code_for(self.errors, self.n_failing, self.allow_errors)

    def counts_by_level(self) -> dict[str, int]:
        return dict(self.counts)


def judge(result: ArticleResult, gate: Gate, suppressed: dict[str, dict] | None = None, *,
          fingerprints: bool = True) -> ArticleVerdict:
    """`fingerprints=False`: the findings carry none (see `findings_of`); then nothing is suppressed."""
    if result.record.error:
        return ArticleVerdict(result=result, status="error", findings=[])
    suppressed = (suppressed or {}) if fingerprints else {}
    findings = findings_of(result, fingerprints=fingerprints)
    reasons = []
    global_contribs = []
    for f in findings:
        if f.fingerprint in suppressed:
            f.status, f.suppressed_by = "suppressed", suppressed[f.fingerprint]
            continue
        own, level = gate.threshold_for(f.category)
        if own:
            if level is not None and level_rank(f.level) >= level_rank(level) and f.level != "none":
                f.status = "fail"
                reasons.append(f"{f.rule_id} is {f.level} (gate {f.category}={level})")
            else:
                f.status = "warn"
        else:
            global_contribs.append(f.contribution)
            f.status = "warn"
    gate_score = combine(global_contribs) if global_contribs else 0.0
    global_reasons = _global_reasons(gate, gate_score)
    reasons += global_reasons
    if global_reasons:
        for f in findings:
            if f.status == "warn" and not gate.threshold_for(f.category)[0]:
                f.status = "fail"
    active = [f for f in findings if f.status != "suppressed"]
    status = "fail" if reasons else ("warn" if active else "pass")
    return ArticleVerdict(result=result, status=status, findings=findings, gate_score=gate_score, reasons=reasons)


FAILING_SAMPLE = 10       # failing verdicts a streamed evaluator keeps, with their findings, for the summary


def _global_reasons(gate: Gate, gate_score: float) -> list[str]:
    """Why an article whose globally gated findings combine to `gate_score` fails the level and
    score gates (`--fail-on LEVEL`, `--min-score`); [] when it does not."""
    reasons = []
    gate_level = level_for(gate_score)
    if gate.fail_on and gate_level != "none" and level_rank(gate_level) >= level_rank(gate.fail_on):
        reasons.append(f"article is {gate_level} ({gate_score:.1f}; gate {gate.fail_on})")
    if gate.min_score is not None and gate_score > 0 and gate_score >= gate.min_score:
        reasons.append(f"article score {gate_score:.1f} ≥ {gate.min_score:g}")
    return reasons


def _judged_by_score(result: ArticleResult, gate: Gate) -> ArticleVerdict | None:
    """`judge(result, gate, fingerprints=False)` made without the article's findings (its status,
    reasons and gate score); None for an unreadable article or a gate with category thresholds
    (then `judge` makes the verdict). For a gate without them, every finding is globally gated
    and none suppressed, so `judge` combines exactly the article's contributions: the reasons are
    `_global_reasons`, and without one the status is "warn" when it has findings, else "pass"."""
    if result.record.error or gate.categories:
        return None
    contributions = result.contributions
    gate_score, reasons = 0.0, []
    if gate.fail_on or gate.min_score is not None:     # else nothing reads the score
        gate_score = combine(contributions) if contributions else 0.0
        reasons = _global_reasons(gate, gate_score)
    status = "fail" if reasons else ("warn" if contributions else "pass")
    return ArticleVerdict(result=result, status=status, findings=[], gate_score=gate_score, reasons=reasons)


class Evaluator:
    """Judge articles one at a time (so results can be streamed) and tally the outcome.

    With a baseline, suppressed findings are taken out of each result (score and level
    recomputed) so every report format shows only what still needs review.
    `partial` (an incremental run that skipped already-seen articles): a baseline entry counts as
    stale only when its article was scanned in this run and the finding is gone.
    `keep=False` keeps no results (streamed reports), only counts and a sample of failures; with
    no baseline either, and a gate without category thresholds, an article is judged from its
    score alone (`_judged_by_score`), unless its verdict joins the sample of failures: such a
    verdict has no findings, since nothing reads them (making them was most of judging
    corpus3k's 3,000 articles)."""

    def __init__(self, gate: Gate, *, allow_errors: bool = False, baseline=None, today=None,
                 partial: bool = False, keep: bool = True):
        self.gate, self.baseline, self.partial, self.keep = gate, baseline, partial, keep
        self.suppress: dict[str, dict] = {}
        expired: list = []
        if baseline is not None:
            self.suppress, expired = baseline.active_entries(today=today)
        self._expired = expired
        # fingerprints are read to suppress and to find stale baseline entries, and by whoever reads
        # the kept verdicts (SARIF, `baseline create`); a streamed scan with no baseline needs none
        self._fingerprints = baseline is not None or keep
        self.outcome = GateOutcome(gate=gate, allow_errors=allow_errors)
        self._seen_fps: set[str] = set()
        self._scanned: set[str] = set()

    def judge(self, result: ArticleResult) -> ArticleVerdict:
        v = None if self._fingerprints else _judged_by_score(result, self.gate)
        if v is None or (v.status == "fail" and len(self.outcome.failing_sample) < FAILING_SAMPLE):
            v = judge(result, self.gate, self.suppress, fingerprints=self._fingerprints)
        o = self.outcome
        o.articles += 1
        if v.status == "error":
            o.errors += 1
        else:
            gone = [f for f in v.findings if f.status == "suppressed"]
            if gone:
                o.suppressed += len(gone)
                _remove_findings(result, gone)
            add_level(o.counts, result)
            self._scanned.add(article_location(result))
            if self._fingerprints:
                self._seen_fps.update(f.fingerprint for f in v.findings)
        if v.status == "fail":
            o.n_failing += 1
            if len(o.failing_sample) < FAILING_SAMPLE:
                o.failing_sample.append(v)
        if self.keep:
            o.verdicts.append(v)
        return v

    def __call__(self, results):
        for r in results:
            self.judge(r)
            yield r

    def finish(self) -> GateOutcome:
        o = self.outcome
        if self.baseline is not None:
            expired_fps = {e["fingerprint"] for e in self._expired}
            o.stale_baseline = [e for e in self.baseline.entries if e["fingerprint"] not in self._seen_fps
                                and e["fingerprint"] not in expired_fps
                                and (not self.partial or e.get("source") in self._scanned)]
            o.expired_baseline = [e for e in self._expired if e["fingerprint"] in self._seen_fps]
        return o


def judge_report(report, gate: Gate, *, allow_errors: bool = False, baseline=None, today=None,
                 partial: bool = False) -> GateOutcome:
    """Judge every article of a finished report; the outcome is also kept as `report.gate`."""
    ev = Evaluator(gate, allow_errors=allow_errors, baseline=baseline, today=today, partial=partial)
    for r in report.results:
        ev.judge(r)
    outcome = ev.finish()
    report.gate = outcome
    return outcome


def _remove_findings(result: ArticleResult, gone: list[Finding]) -> None:
    rules = {f.rule_id for f in gone if not f.rule_id.startswith("entity:")}
    ents = {f.rule_id.split(":", 1)[1] for f in gone if f.rule_id.startswith("entity:")}
    result.rules = [r for r in result.rules if r not in rules]
    result.evidence = [e for e in result.evidence if e.partition(": ")[0] not in rules]
    result.hits = [h for h in result.hits if not (h.rule_id in rules or (not h.rule_id and h.entity_id in ents))]
    result.entities = [e for e in result.entities if e.entity_id not in ents
                       or any(h.entity_id == e.entity_id for h in result.hits)]
    result.contributions = [c for c in result.contributions
                            if c.source not in rules and c.source.removeprefix("entity:") not in ents]
    result.categories = list(dict.fromkeys(h.category for h in result.hits if h.rule_id))
    result.score = combine(result.contributions)
    result.level = level_for(result.score)
    result.record.extra.setdefault("suppressed_findings", []).extend(
        {"rule": f.rule_id, "fingerprint": f.fingerprint, "reason": (f.suppressed_by or {}).get("reason", "")}
        for f in gone)


def outcome_for(report) -> GateOutcome:
    """The report's gate outcome; a report scanned without one is judged with no gate (all warnings)."""
    outcome = getattr(report, "gate", None)
    if isinstance(outcome, GateOutcome) and (outcome.verdicts or not report.results):
        return outcome
    ev = Evaluator(Gate())
    for r in report.results:
        ev.judge(r)
    return ev.finish()
