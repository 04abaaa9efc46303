"""Load and validate rule packs. Every problem is reported as `file:line: what is wrong`."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

from flagger.errors import RuleError
from flagger.paths import bundled_rules_dir
from flagger.rules.lexicon import bundled_lexicon
from flagger.rules.pack import (
    DEFAULT_THRESHOLD,
    EntityFilter,
    Examples,
    Group,
    Rule,
    RulePack,
    Term,
)
from flagger.rules.pack_cache import load_pack, pack_path, store_pack
from flagger.rules.regex import compile_regex
from flagger.rules.yamlloc import LocDict, LocList, load_located
from flagger.scoring import MODEL

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
ENTITY_TYPES = {"person", "organisation", "vessel", "aircraft"}
STATUSES = {"experimental", "test", "stable", "deprecated"}

PACK_KEYS = {"id", "title", "version", "description"}
TOP_KEYS = {"pack", "rules"}
RULE_KEYS = {
    "id", "title", "category", "severity", "status", "legal_basis", "references", "description",
    "threshold", "groups", "match", "exclude", "modifiers", "examples", "tags", "false_positives",
}
GROUP_KEYS = {"terms", "concepts", "entities", "threshold", "exact"}
TERM_KEYS = {"term", "aliases", "threshold", "exact", "regex"}
EXCLUDE_TERM_KEYS = TERM_KEYS | {"within"}
ENTITY_KEYS = {"programs", "types", "lists", "min_similarity"}
MATCH_KEYS = {"all", "any", "within", "same_sentence"}
EXCLUDE_KEYS = {"terms", "within"}
EXAMPLE_KEYS = {"match", "no_match"}


class _Ctx:
    def __init__(self, file: str):
        self.file = file

    def fail(self, message: str, line: int | None) -> RuleError:
        return RuleError(message, self.file, line)

    def check_keys(self, mapping: LocDict, allowed: set[str], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                raise self.fail(f"unknown key {key!r} in {what} (allowed: {hint})", mapping.line_of(key))

    def mapping(self, value, line: int, what: str) -> LocDict:
        if not isinstance(value, LocDict):
            raise self.fail(f"{what} must be a mapping, got {_kind(value)}", line)
        return value

    def string(self, mapping: LocDict, key: str, what: str, required: bool = True) -> str:
        if key not in mapping:
            if required:
                raise self.fail(f"{what} is missing required key {key!r}", mapping.line)
            return ""
        value = mapping[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{what}.{key} must be a non-empty string, got {_kind(value)}", mapping.line_of(key))
        return value.strip()

    def strings(self, mapping: LocDict, key: str, what: str, required: bool = False) -> tuple[str, ...]:
        if key not in mapping:
            if required:
                raise self.fail(f"{what} is missing required key {key!r}", mapping.line)
            return ()
        value = mapping[key]
        line = mapping.line_of(key)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(f"{what}.{key} must be a list of strings, got {_kind(value)}", line)
        out = []
        for i, item in enumerate(value):
            item_line = value.line_of(i) if isinstance(value, LocList) else line
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{what}.{key}[{i}] must be a non-empty string, got {_kind(item)}", item_line)
            out.append(item.strip())
        if required and not out:
            raise self.fail(f"{what}.{key} must not be empty", line)
        return tuple(out)

    def threshold(self, mapping: LocDict, key: str, default: float, what: str) -> float:
        if key not in mapping:
            return default
        value = mapping[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            raise self.fail(f"{what}.{key} must be a number from 0 to 100, got {value!r}", mapping.line_of(key))
        return float(value)

    def boolean(self, mapping: LocDict, key: str, default: bool, what: str) -> bool:
        if key not in mapping:
            return default
        value = mapping[key]
        if not isinstance(value, bool):
            raise self.fail(f"{what}.{key} must be true or false, got {value!r}", mapping.line_of(key))
        return value

    def positive_int(self, mapping: LocDict, key: str, what: str) -> int | None:
        if key not in mapping or mapping[key] is None:
            return None
        value = mapping[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(f"{what}.{key} must be a whole number of tokens ≥ 1, got {value!r}", mapping.line_of(key))
        return value


def _kind(value) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


def _parse_terms(ctx: _Ctx, value, line: int, what: str, threshold: float, exact: bool,
                 exclusion: bool = False) -> tuple[Term, ...]:
    if not isinstance(value, list):
        raise ctx.fail(f"{what} must be a list of terms, got {_kind(value)}", line)
    terms = []
    for i, item in enumerate(value):
        item_line = value.line_of(i) if isinstance(value, LocList) else line
        label = f"{what}[{i}]"
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            text = str(item).strip()
            if not text:
                raise ctx.fail(f"{label} is an empty term", item_line)
            terms += _by_language(ctx, (text,), item_line, label,
                                  Term(text=text, threshold=threshold, exact=exact, line=item_line))
            continue
        item = ctx.mapping(item, item_line, label)
        ctx.check_keys(item, EXCLUDE_TERM_KEYS if exclusion else TERM_KEYS, label)
        t_within = ctx.positive_int(item, "within", label) if exclusion else None
        has_term, has_regex = "term" in item, "regex" in item
        if has_term == has_regex:
            raise ctx.fail(f"{label} needs exactly one of 'term' or 'regex'", item.line)
        t_threshold = ctx.threshold(item, "threshold", threshold, label)
        t_exact = ctx.boolean(item, "exact", exact, label)
        if has_regex:
            pattern = ctx.string(item, "regex", label)
            compile_regex(pattern, ctx.file, item.line_of("regex"))
            if "aliases" in item:
                raise ctx.fail(f"{label}: a regex term cannot have aliases", item.line_of("aliases"))
            terms.append(Term(text=pattern, regex=pattern, threshold=t_threshold, exact=True, line=item.line,
                              within=t_within))
            continue
        text = ctx.string(item, "term", label)
        aliases = ctx.strings(item, "aliases", label)
        terms += _by_language(ctx, (text, *aliases), item.line, label,
                              Term(text=text, threshold=t_threshold, exact=t_exact, line=item.line, within=t_within))
    if not terms:
        raise ctx.fail(f"{what} must not be empty", line)
    return tuple(terms)


LANGUAGE_TAG = re.compile(r"\s@(\S*)$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def _by_language(ctx: _Ctx, spellings: tuple[str, ...], line: int, label: str, like: Term) -> list[Term]:
    """The spellings of one term, as terms: the untagged ones together (the first is the display
    form), and each set of spellings tagged with the same languages ("met @en", "sent @en @fr")
    as a term read only in text of those languages (Term.languages)."""
    groups: dict[frozenset[str], list[str]] = {}
    for raw in spellings:
        spelling, tags = raw, []
        while (m := LANGUAGE_TAG.search(spelling)) is not None:
            if not LANGUAGE_CODE.match(m.group(1)):
                raise ctx.fail(f"{label}: {raw!r}: a language tag is @ and an ISO 639-1 code in lower case "
                               f"(e.g. 'met @en')", line)
            tags.append(m.group(1))
            spelling = spelling[:m.start()].rstrip()
        if not spelling or spelling.split()[-1].startswith("@"):
            raise ctx.fail(f"{label}: {raw!r} has a language tag but no spelling", line)
        _check_wildcards(ctx, spelling, line, label)
        groups.setdefault(frozenset(tags), []).append(spelling)
    return [replace(like, text=spelled[0], aliases=tuple(spelled[1:]), languages=langs)
            for langs, spelled in groups.items()]


def _concept_terms(ctx: _Ctx, graw: LocDict, gwhat: str, threshold: float, exact: bool) -> tuple[Term, ...]:
    """A group's `concepts: [...]`: one term per (concept, language) of the concept lexicon, whose
    spellings are that language's terms (an exact lexicon term is a term of its own)."""
    names = ctx.strings(graw, "concepts", gwhat, required=True)
    line = graw.line_of("concepts")
    lexicon = bundled_lexicon()
    out: list[Term] = []
    for name in names:
        concept = lexicon.concepts.get(name)
        if concept is None:
            raise ctx.fail(f"{gwhat}.concepts: unknown concept {name!r} (concepts are in {lexicon.path})", line)
        for lang in concept.terms:
            lex_terms = concept.spellings(lang)   # listed, then the negated forms derived from them
            for own in (False, True):             # own_language: read only in text of `lang`
                fuzzy = [t.text for t in lex_terms if not t.exact and t.own_language == own]
                if fuzzy:
                    out.append(Term(text=fuzzy[0], aliases=tuple(fuzzy[1:]), threshold=threshold, exact=exact,
                                    line=line, languages=frozenset({lang}) if own else frozenset()))
            out += [Term(text=t.text, threshold=threshold, exact=True, line=line,
                         languages=frozenset({lang}) if t.own_language else frozenset())
                    for t in lex_terms if t.exact]
    return tuple(out)


def _check_wildcards(ctx: _Ctx, spelling: str, line: int, label: str) -> None:
    for piece in spelling.split():
        if "*" in piece and (not piece.endswith("*") or piece.count("*") > 1 or len(piece) < 5):
            raise ctx.fail(f"{label}: {piece!r}: a wildcard is one trailing '*' after at least 4 letters "
                           f"(e.g. 'российск*')", line)


def _parse_entity_filter(ctx: _Ctx, value, line: int, what: str) -> EntityFilter:
    if value in (True, None):
        return EntityFilter()
    value = ctx.mapping(value, line, what)
    ctx.check_keys(value, ENTITY_KEYS, what)
    types = ctx.strings(value, "types", what)
    for t in types:
        if t not in ENTITY_TYPES:
            raise ctx.fail(f"{what}.types: {t!r} is not one of {sorted(ENTITY_TYPES)}", value.line_of("types"))
    return EntityFilter(
        programs=ctx.strings(value, "programs", what),
        types=types,
        lists=ctx.strings(value, "lists", what),
        min_similarity=ctx.threshold(value, "min_similarity", 0.0, what),
    )


def _parse_rule(ctx: _Ctx, raw: LocDict, pack_id: str) -> Rule:
    rid = ctx.string(raw, "id", "rule")
    what = f"rule {rid!r}"
    if not ID_RE.match(rid):
        raise ctx.fail(f"{what}: id must match {ID_RE.pattern}", raw.line_of("id"))
    ctx.check_keys(raw, RULE_KEYS, what)
    severity_raw = raw.get("severity")
    if severity_raw is None:
        raise ctx.fail(f"{what} is missing required key 'severity'", raw.line)
    weights = MODEL.severity_weights
    if isinstance(severity_raw, str) and severity_raw.lower() in weights:
        severity, weight = severity_raw.lower(), weights[severity_raw.lower()]
    elif isinstance(severity_raw, (int, float)) and not isinstance(severity_raw, bool) and 1 <= severity_raw <= 100:
        severity, weight = "custom", float(severity_raw)
    else:
        raise ctx.fail(
            f"{what}.severity must be {', '.join(weights)} or a number 1–100, got {severity_raw!r}",
            raw.line_of("severity"),
        )
    status = ctx.string(raw, "status", what, required=False) or "stable"
    if status not in STATUSES:
        raise ctx.fail(f"{what}.status must be one of {sorted(STATUSES)}", raw.line_of("status"))
    threshold = ctx.threshold(raw, "threshold", DEFAULT_THRESHOLD, what)

    groups_raw = ctx.mapping(raw.get("groups"), raw.line_of("groups"), f"{what}.groups")
    if not groups_raw:
        raise ctx.fail(f"{what}.groups must define at least one group", raw.line_of("groups"))
    groups: dict[str, Group] = {}
    for gname, graw in groups_raw.items():
        gwhat = f"{what}.groups.{gname}"
        gline = groups_raw.line_of(gname)
        graw = ctx.mapping(graw, gline, gwhat)
        ctx.check_keys(graw, GROUP_KEYS, gwhat)
        has_terms = "terms" in graw or "concepts" in graw
        if has_terms == ("entities" in graw):
            raise ctx.fail(f"{gwhat} needs 'terms' and/or 'concepts', or else 'entities'", graw.line)
        if has_terms:
            g_threshold = ctx.threshold(graw, "threshold", threshold, gwhat)
            g_exact = ctx.boolean(graw, "exact", False, gwhat)
            terms: tuple[Term, ...] = ()
            concepts = ctx.strings(graw, "concepts", gwhat)
            if "terms" in graw:
                terms = _parse_terms(ctx, graw["terms"], graw.line_of("terms"), f"{gwhat}.terms", g_threshold,
                                     g_exact)
            if "concepts" in graw:
                terms += _concept_terms(ctx, graw, gwhat, g_threshold, g_exact)
            groups[str(gname)] = Group(name=str(gname), terms=terms, concepts=concepts)
        else:
            efilter = _parse_entity_filter(ctx, graw["entities"], graw.line_of("entities"), f"{gwhat}.entities")
            groups[str(gname)] = Group(name=str(gname), entities=efilter)

    match_raw = raw.get("match")
    if match_raw is None:
        all_of, any_of, within, same_sentence = tuple(groups), (), None, False
        if len(groups) > 1:
            raise ctx.fail(f"{what} has several groups, so it needs a 'match' with 'all' and/or 'any'", raw.line)
    else:
        match_raw = ctx.mapping(match_raw, raw.line_of("match"), f"{what}.match")
        ctx.check_keys(match_raw, MATCH_KEYS, f"{what}.match")
        all_of = ctx.strings(match_raw, "all", f"{what}.match")
        any_of = ctx.strings(match_raw, "any", f"{what}.match")
        if not all_of and not any_of:
            raise ctx.fail(f"{what}.match needs 'all' or 'any'", match_raw.line)
        for key, names in (("all", all_of), ("any", any_of)):
            for name in names:
                if name not in groups:
                    raise ctx.fail(
                        f"{what}.match.{key} names group {name!r}, which is not defined (groups: {', '.join(groups)})",
                        match_raw.line_of(key),
                    )
        within = ctx.positive_int(match_raw, "within", f"{what}.match")
        same_sentence = ctx.boolean(match_raw, "same_sentence", False, f"{what}.match")

    exclude_terms: tuple[Term, ...] = ()
    exclude_within = None
    if "exclude" in raw:
        ex = ctx.mapping(raw["exclude"], raw.line_of("exclude"), f"{what}.exclude")
        ctx.check_keys(ex, EXCLUDE_KEYS, f"{what}.exclude")
        if "terms" not in ex:
            raise ctx.fail(f"{what}.exclude needs 'terms'", ex.line)
        exclude_terms = _parse_terms(ctx, ex["terms"], ex.line_of("terms"), f"{what}.exclude.terms", threshold, False,
                                     exclusion=True)
        exclude_within = ctx.positive_int(ex, "within", f"{what}.exclude")

    modifiers: dict[str, float] = {}
    if "modifiers" in raw:
        mods = ctx.mapping(raw["modifiers"], raw.line_of("modifiers"), f"{what}.modifiers")
        kinds = MODEL.cue_multipliers    # a rule overrides the scoring model's multiplier of a cue kind
        for key, value in mods.items():
            if key not in kinds:
                raise ctx.fail(
                    f"unknown modifier {key!r} in {what}.modifiers (allowed: {', '.join(sorted(kinds))})",
                    mods.line_of(key),
                )
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise ctx.fail(f"{what}.modifiers.{key} must be a multiplier from 0 to 1", mods.line_of(key))
            modifiers[key] = float(value)

    examples = Examples()
    if "examples" in raw:
        ex = ctx.mapping(raw["examples"], raw.line_of("examples"), f"{what}.examples")
        ctx.check_keys(ex, EXAMPLE_KEYS, f"{what}.examples")
        match = ctx.strings(ex, "match", f"{what}.examples")
        no_match = ctx.strings(ex, "no_match", f"{what}.examples")

        def lines(key: str, n: int) -> tuple[int, ...]:
            value = ex.get(key)
            if isinstance(value, LocList):
                return tuple(value.line_of(i) for i in range(n))
            return tuple(ex.line_of(key) for _ in range(n))

        examples = Examples(match, no_match, lines("match", len(match)), lines("no_match", len(no_match)))

    return Rule(
        id=rid,
        title=ctx.string(raw, "title", what),
        category=ctx.string(raw, "category", what),
        severity=severity,
        weight=weight,
        legal_basis=ctx.strings(raw, "legal_basis", what, required=True),
        references=ctx.strings(raw, "references", what, required=True),
        groups=groups,
        all_of=all_of,
        any_of=any_of,
        within=within,
        same_sentence=same_sentence,
        exclude_terms=exclude_terms,
        exclude_within=exclude_within,
        modifiers=modifiers,
        examples=examples,
        description=ctx.string(raw, "description", what, required=False),
        status=status,
        pack_id=pack_id,
        file=ctx.file,
        line=raw.line,
    )


def load_rule_pack(path: Path) -> RulePack:
    """The pack in `path`: parsed and validated, or as parsed before from the same bytes by the
    same code (`flagger.rules.pack_cache`)."""
    file = str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise RuleError("is a directory, expected a YAML file", file) from None
    except OSError as exc:
        raise RuleError(f"cannot read: {exc.strerror or exc}", file) from None
    kept = pack_path(file, data)
    pack = load_pack(kept) if kept is not None else None
    if pack is None:
        pack = _parse_rule_pack(file, data)
        if kept is not None:
            store_pack(kept, pack)
    return pack


def _parse_rule_pack(file: str, data: bytes) -> RulePack:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleError(f"not valid UTF-8 (byte {exc.start})", file) from None
    ctx = _Ctx(file)
    doc = load_located(text, file)
    doc = ctx.mapping(doc, 1, "a rule pack")
    ctx.check_keys(doc, TOP_KEYS, "the rule pack")
    pack = ctx.mapping(doc.get("pack"), doc.line_of("pack") if "pack" in doc else 1, "pack")
    ctx.check_keys(pack, PACK_KEYS, "pack")
    pack_id = ctx.string(pack, "id", "pack")
    if not ID_RE.match(pack_id):
        raise ctx.fail(f"pack.id must match {ID_RE.pattern}", pack.line_of("id"))
    rules_raw = doc.get("rules")
    if not isinstance(rules_raw, LocList) or not rules_raw:
        raise ctx.fail("'rules' must be a non-empty list of rules", doc.line_of("rules") if "rules" in doc else 1)
    rules = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(rules_raw):
        raw = ctx.mapping(raw, rules_raw.line_of(i), f"rules[{i}]")
        rule = _parse_rule(ctx, raw, pack_id)
        if rule.id in seen:
            raise ctx.fail(f"duplicate rule id {rule.id!r} (first defined on line {seen[rule.id]})", raw.line_of("id"))
        seen[rule.id] = raw.line_of("id")
        rules.append(rule)
    return RulePack(
        id=pack_id,
        title=ctx.string(pack, "title", "pack"),
        path=file,
        sha256=hashlib.sha256(data).hexdigest(),
        rules=tuple(rules),
        version=ctx.string(pack, "version", "pack", required=False),
        description=ctx.string(pack, "description", "pack", required=False),
    )


RULE_SUFFIXES = (".yaml", ".yml")


def _rule_files(path: Path) -> list[Path]:
    """The packs of a file or folder. In a folder, every name ending .yaml/.yml (any case) must be a
    readable regular file: a broken symlink, a FIFO or a folder with that name is an error naming
    it, never skipped (a pack that silently does not load is a gate that silently does not fire)."""
    if path.is_dir():
        files = []
        for p in sorted(path.rglob("*")):
            if p.suffix.lower() not in RULE_SUFFIXES:
                continue
            if p.is_symlink() and not p.exists():
                raise RuleError("broken symlink: the rule pack it names does not exist", str(p))
            if p.is_dir():
                raise RuleError("is a folder, not a rule pack file", str(p))
            if not p.is_file():
                raise RuleError("not a regular file (a FIFO, socket or device is never read as a rule pack)", str(p))
            files.append(p)
        if not files:
            raise RuleError("folder holds no rule packs (*.yaml, *.yml)", str(path))
        return files
    if not path.exists():
        raise RuleError("no such file or folder", str(path))
    return [path]


def load_rule_packs(paths=None) -> list[RulePack]:
    """Load packs from files/folders (default: the bundled packs). Ids must be unique across packs."""
    if paths is None or (isinstance(paths, (list, tuple)) and not paths):
        paths = [bundled_rules_dir()]
    if isinstance(paths, (str, Path)):
        paths = [paths]
    packs: list[RulePack] = []
    pack_ids: dict[str, str] = {}
    rule_ids: dict[str, str] = {}
    for base in paths:
        for file in _rule_files(Path(base)):
            pack = load_rule_pack(file)
            if pack.id in pack_ids:
                raise RuleError(f"duplicate pack id {pack.id!r} (also in {pack_ids[pack.id]})", pack.path)
            pack_ids[pack.id] = pack.path
            for rule in pack.rules:
                if rule.id in rule_ids:
                    raise RuleError(f"duplicate rule id {rule.id!r} (also in {rule_ids[rule.id]})", rule.file, rule.line)
                rule_ids[rule.id] = f"{rule.file}:{rule.line}"
            packs.append(pack)
    return packs
