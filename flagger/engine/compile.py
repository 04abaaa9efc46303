"""Compile rule packs, entity lists and cue words into one phrase index, once."""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import gc
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import polars as pl

from flagger.engine import cache
from flagger.engine.phrases import _END, PhraseIndex
from flagger.language import close_languages
from flagger.names.index import SCREEN_THRESHOLD, NameIndex
from flagger.names.variants import name_keys
from flagger.resources import common_words, cue_phrase, cues, frequent_words
from flagger.rules.pack import Rule, RulePack, Term
from flagger.rules.regex import RegexSet, compile_regex
from flagger.scoring import MODEL
from flagger.text import normalize_text


class Payload(NamedTuple):
    """What a key of the index stands for. A NamedTuple: a cached index holds one per term
    spelling and entity name (~50k at 20k entities), and tuples unpickle ~2x faster than the
    frozen dataclass this was (0.15 s -> 0.08 s of every start)."""

    kind: str                 # term | exclude | entity | cue
    rule: int = -1            # index into CompiledRules.rules
    group: str = ""
    term: str = ""            # display form
    threshold: float = 0.0
    exact: bool = False
    entity: int = -1          # row index in the entity frame
    name: str = ""            # the entity name/alias this key came from
    weak: bool = False
    cue: str = ""             # hedge | speculation | denial | negation
    langs: frozenset[str] = frozenset()   # a cue's or tagged term's languages (@tags, with close ones); empty: all


_new_payload = functools.partial(tuple.__new__, Payload)     # a Payload from a plain tuple of its fields


class EntityRows(Sequence):
    """The entity frame's rows as dicts, each made when first asked for: a scan reads the few
    rows its hits name, and making all of them (or unpickling them with a cached index) cost
    ~0.1-0.3 s of every start at 20k entities."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame
        self._made: dict[int, dict] = {}

    def __len__(self) -> int:
        return self.frame.height

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        row = self._made.get(i)
        if row is None:
            if not 0 <= i < len(self):
                raise IndexError(i)
            row = self._made[i] = self.frame.row(i, named=True)
        return row

    def prefetch(self, rows: Iterable[int]) -> None:
        """Make the rows among `rows` not made yet: a scan names its batch's candidate rows together.
        Row by row (`frame.row`), never a gather (`frame[rows]`, ~10 us a row against ~17): a
        gather runs on polars' thread pool, which a process forked after the pool started (every
        `--jobs` worker) does not have, and it waits for it forever."""
        frame, made = self.frame, self._made
        for i in sorted({i for i in rows if i not in made and 0 <= i < len(self)}):
            made[i] = frame.row(i, named=True)


UNLESS = "!unless"     # suffix of the cue kind of phrases that void a kind in their sentence


@dataclass(frozen=True)
class Framing:
    """The framing patterns of cues.yaml beyond its phrases (the phrases are in the index)."""

    lead_kinds: frozenset[str] = frozenset()     # kinds whose cue in the lead frames the article
    # kinds whose cue, standing after the evidence with a clause break between, comments on the
    # act instead of framing it ("... shipped shells to Russia, which the embargo prohibits")
    clause_kinds: frozenset[str] = frozenset()
    pattern_kind: str = ""                       # the kind a negator pattern applies (negation)
    reach: int = 3                               # words between a negator and the evidence word
    before: tuple[tuple[str, frozenset[str]], ...] = ()   # language -> normalised negators before
    after: tuple[tuple[str, tuple[str, ...]], ...] = ()   # language -> negator prefixes after
    before_chars: tuple[str, ...] = ()           # negators of scripts without spaces: characters
    after_chars: tuple[str, ...] = ()
    not_before: frozenset[str] = frozenset()     # "not only": the negator negates nothing
    fallback: str = "en"                         # the list used when the language is not told
    # language -> (pattern a negated verb form matches as a whole word, words it must not take):
    # negation written into the verb (Turkish göndermedi, Swahili haikutuma, Persian نفرستاد)
    affix: tuple[tuple[str, re.Pattern, frozenset[str]], ...] = ()

    def negators(self, lang: str) -> tuple[frozenset[str], tuple[str, ...]]:
        """(words before, word prefixes after) for an article in `lang`."""
        before, after = dict(self.before), dict(self.after)
        if lang not in before and lang not in after:
            lang = self.fallback
        return before.get(lang, frozenset()), after.get(lang, ())

    def affix_negation(self, lang: str) -> tuple[re.Pattern | None, frozenset[str]]:
        """(the negated-verb pattern, its exceptions) of `lang`; (None, {}) for a language without
        one or not told: an affix is read only in the language it belongs to."""
        for code, pattern, unless in self.affix:
            if code == lang:
                return pattern, unless
        return None, frozenset()


def affix_word(raw: str) -> str:
    """A word as negation affix patterns read it: NFC, case-folded (Turkish İ folds to i)."""
    return unicodedata.normalize("NFC", raw.replace("\u2019", "'")).casefold().replace("i\u0307", "i")


def _affix_patterns(v: dict, kind: str) -> tuple[tuple[str, re.Pattern, frozenset[str]], ...]:
    affix, unless = v.get("affix") or {}, v.get("affix_except") or {}
    if not isinstance(affix, dict) or not isinstance(unless, dict):
        raise ValueError(f"cues.yaml: {kind}.affix and {kind}.affix_except must map language codes to lists")
    out = []
    for lang, patterns in sorted(affix.items(), key=lambda kv: str(kv[0])):
        if isinstance(patterns, str) or not patterns:
            raise ValueError(f"cues.yaml: {kind}.affix.{lang}: expected a list of patterns")
        try:
            # NFC only: case-folding a pattern would turn \S into \s (patterns are written in lower case)
            pattern = re.compile("|".join(f"(?:{unicodedata.normalize('NFC', str(p))})" for p in patterns))
        except re.error as exc:
            raise ValueError(f"cues.yaml: {kind}.affix.{lang}: bad pattern ({exc})") from None
        out.append((str(lang), pattern, frozenset(affix_word(str(w)) for w in unless.get(lang) or ())))
    stray = set(map(str, unless)) - {lang for lang, _p, _u in out}
    if stray:
        raise ValueError(f"cues.yaml: {kind}.affix_except names languages without a pattern: {sorted(stray)}")
    return tuple(out)


def _no_spaces_script(word: str) -> bool:
    """Chinese, Japanese and Thai-family scripts, whose words are not separated by spaces."""
    return any("\u0e00" <= c <= "\u0fff" or "\u1000" <= c <= "\u109f" or "\u1780" <= c <= "\u17ff"
               or "\u3040" <= c <= "\u30ff" or "\u3400" <= c <= "\u9fff"
               for c in word)


def _framing(spec: dict) -> Framing:
    lead = frozenset(k for k, v in spec.items() if v.get("scope", "sentence") == "lead")
    clause = frozenset(k for k, v in spec.items() if v.get("scope", "sentence") == "clause")
    for k, v in spec.items():
        if v.get("scope", "sentence") not in ("sentence", "lead", "clause"):
            raise ValueError(f"cues.yaml: {k}: scope must be sentence, lead or clause, not {v.get('scope')!r}")
    pattern = [k for k, v in spec.items() if v.get("before") or v.get("after") or v.get("affix")]
    if len(pattern) > 1:
        raise ValueError(f"cues.yaml: only one kind may carry negator patterns, found {pattern}")
    if not pattern:
        return Framing(lead_kinds=lead, clause_kinds=clause)
    v = spec[pattern[0]]
    for key in ("before", "after"):
        if not isinstance(v.get(key, {}), dict):
            raise ValueError(f"cues.yaml: {pattern[0]}.{key} must map language codes to negator words")

    def norm(w) -> str:
        return " ".join(normalize_text(str(w).replace("\u2019", "'")))

    def by_lang(key):
        return {str(lang): [str(w) for w in words] for lang, words in (v.get(key) or {}).items()}

    before, after = by_lang("before"), by_lang("after")
    return Framing(
        lead_kinds=lead, clause_kinds=clause, pattern_kind=pattern[0], reach=int(v.get("reach", 3)),
        before=tuple(sorted((lang, frozenset(norm(w) for w in ws if not _no_spaces_script(w)))
                            for lang, ws in before.items())),
        after=tuple(sorted((lang, tuple(sorted(norm(w) for w in ws if not _no_spaces_script(w))))
                           for lang, ws in after.items())),
        before_chars=tuple(sorted({w for ws in before.values() for w in ws if _no_spaces_script(w)})),
        after_chars=tuple(sorted({w for ws in after.values() for w in ws if _no_spaces_script(w)})),
        not_before=frozenset(norm(w) for w in v.get("not_before", ())),
        affix=_affix_patterns(v, pattern[0]))


@dataclass
class CompiledRules:
    rules: list[Rule]
    packs: list[RulePack]
    index: PhraseIndex
    payloads: list[Payload]
    regexes: list[tuple[object, Payload]] = field(default_factory=list)
    entity_groups: dict[tuple[int, str], frozenset[int]] = field(default_factory=dict)
    entities: pl.DataFrame | None = None
    entity_rows: Sequence[dict] = field(default_factory=list)
    cue_multipliers: dict[str, float] = field(default_factory=dict)
    framing: Framing = Framing()
    cue_languages: frozenset[str] = frozenset()   # every language some cue is tagged with
    cache_file: Path | None = None    # where this index is kept on disk (None: not cached); never stored

    def regex_set(self):
        """The rule regexes as one RE2 set (built on first use; never pickled: RE2 sets are not)."""
        rs = self.__dict__.get("_regex_set")
        if rs is None:
            rs = self.__dict__["_regex_set"] = RegexSet([regex.pattern for regex, _p in self.regexes])
        return rs

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_regex_set", None)
        # plain tuples, made Payloads again by one C-level map on load: unpickling NamedTuples
        # calls Payload.__new__ (Python) for each (49k at /tmp/corpus3k: 0.045 -> 0.022 CPU s)
        state["payloads"] = [tuple(p) for p in self.payloads]
        return state

    def __setstate__(self, state) -> None:
        state["payloads"] = list(map(_new_payload, state["payloads"]))
        self.__dict__.update(state)

    def without_inputs(self) -> CompiledRules:
        """This index without the caller's rule packs, rules and entity frame: what the on-disk
        cache keeps (`with_inputs` attaches the loading caller's own, of the same content)."""
        return dataclasses.replace(self, rules=[], packs=[], entities=None, entity_rows=[], cache_file=None)

    def with_inputs(self, packs: list[RulePack], entities: pl.DataFrame | None) -> CompiledRules:
        """A cached index attached to the caller's packs and entity frame (the same content as
        those it was compiled from: the cache key says so), not to unpickled copies."""
        self.packs = packs
        self.rules = active_rules(packs)
        self.entities = entities if entities is not None and entities.height else None
        self.entity_rows = EntityRows(self.entities) if self.entities is not None else []
        return self


def active_rules(packs: list[RulePack]) -> list[Rule]:
    return [rule for pack in packs for rule in pack.rules if rule.status != "deprecated"]


def _spelling_tokens(text: str) -> tuple[str, ...]:
    """Normalised tokens of a spelling; a word ending in `*` keeps the `*` (a prefix wildcard)."""
    if "*" not in text:
        return tuple(normalize_text(text))
    toks: list[str] = []
    for piece in text.split():
        wild = piece.endswith("*")
        part = normalize_text(piece.rstrip("*"))
        if wild and part:
            part[-1] += "*"
        toks.extend(part)
    return tuple(toks)


def _term_keys(text: str) -> list[tuple[str, ...]]:
    """Token keys for one spelling: as written, plus joined forms (Hwasong-18 / Hwasong18)."""
    toks = _spelling_tokens(text)
    if not toks:
        return []
    keys = [toks]
    if any(t.endswith("*") for t in toks):
        return keys
    if 2 <= len(toks) <= 4 and sum(map(len, toks)) <= 24:
        keys.append(("".join(toks),))
    if len(toks) >= 3:
        for i in range(len(toks) - 1):
            keys.append(toks[:i] + (toks[i] + toks[i + 1],) + toks[i + 2:])
    return keys


def _name_keys(name: str, etype: str) -> list[tuple[str, ...]]:
    keys = set(_term_keys(name))
    keys.update(tuple(k) for k in name_keys(name, etype) if k)
    return sorted(keys)


def _single_token_allowed(key: tuple[str, ...], is_primary: bool, etype: str) -> bool:
    """A name of one token is indexed only if it is distinctive enough to stand alone."""
    tok = key[0]
    if tok in common_words() or tok.isdigit():
        return False
    if tok.isascii():
        if len(tok) < 5:
            # a vessel's short name that is no frequent word ("KOTI", "AMOL"): the scan takes a
            # one-word vessel name only beside a ship word or its ship suffix (engine.match)
            return etype == "vessel" and len(tok) >= 3 and tok not in frequent_words()
        # A person's single-token primary name is a surname or given name: never enough alone.
        return not (is_primary and etype == "person")
    # Non-Latin scripts: a Hangul name is usually one token of 3 syllables (김정은).
    return len(tok) >= 3


def compile_rules(packs: list[RulePack], entities: pl.DataFrame | None, *, freeze: bool = False) -> CompiledRules:
    """The phrase index for these packs and entities; read from the on-disk cache (flagger.engine.cache)
    when the same content was compiled before by the same flagger code, else compiled and stored there.

    `freeze=True` is for a caller that keeps the index for the rest of a process it owns (a
    scanner made with `owns_process=True`: the CLI): every object alive when it is ready, the
    index's ~10^6 containers among them, is moved out of reach of all later garbage collections
    (`gc.freeze()`, process-wide). Else collections walk them again: a 3,000-article scan with
    20,000 listed names spent 0.9-2.0 s in the collector against 0.5-0.65 s with the freeze; with
    --jobs 2 the parent 3.1-3.7 s against 0.4-0.7 s, and the workers' private memory was 5-8 %
    larger. A library user's process is not frozen: its collector walks the index as it walks
    the user's own objects."""
    return compile_at(cache.index_path(packs, entities), packs, entities, freeze=freeze)


def compile_at(path: Path | None, packs: list[RulePack], entities: pl.DataFrame | None, *,
               freeze: bool = False) -> CompiledRules:
    """`compile_rules` with its cache file already found (`cache.index_path(packs, entities)`; None:
    no cache). Finding it writes the entity frame with polars, whose thread pool a process forked
    after the pool started does not have (it waits forever): a scanner whose index is loaded in a
    forked `--jobs` worker finds the file before the fork (`ArticleScanner(load_index=False)`)."""
    with _collector_off(freeze):
        compiled = cache.load(path) if path is not None else None
        if isinstance(compiled, CompiledRules):
            compiled.cache_file = path
            return compiled.with_inputs(packs, entities)
        compiled = _compile_rules(packs, entities)
    if path is not None:
        cache.store(path, compiled.without_inputs())
        compiled.cache_file = path
    return compiled


def name_index(entities: pl.DataFrame, threshold: float = SCREEN_THRESHOLD) -> NameIndex:
    """The screening index of `entities`, read from the on-disk cache when the same frame was
    indexed before by the same flagger code, else built and stored there. Building analyses every
    listed name (7 CPU s for the default list's 42k names at load 10); loading it takes ~0.9 s."""
    path = cache.name_index_path(entities)
    with _collector_off(False):
        index = cache.load(path) if path is not None else None
        if not isinstance(index, NameIndex):
            index = None
    if index is not None:
        index.threshold = threshold
        return index
    with _collector_off(False):
        index = NameIndex(entities, threshold)
    if path is not None:
        cache.store(path, index)
    return index


@contextmanager
def _collector_off(freeze: bool) -> Iterator[None]:
    """Building or unpickling the index allocates ~10^6 containers and none of them is garbage:
    the cyclic collector would walk them again and again (10x slower loads). `freeze`: see
    `compile_rules`; it must come before the collector is on again, whose first collection
    would walk them all. Without it (a library user's process), they join the collector's oldest
    generation unwalked (`gc.freeze()` then `gc.unfreeze()`: two list splices), as if they had
    survived the collections they would meet: the first collection after a load walked all of
    them as young objects, and later ones again on their way up (`Scanner()` with the default
    list: 0.60 -> 0.48 CPU s, its first scan 0.78 -> 0.70). Full collections still walk them, as
    they walk the user's own objects. Not when the process holds frozen objects already (the
    unfreeze would give back the caller's)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        elif gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def _term_languages(term: Term) -> frozenset[str]:
    """The languages a language-tagged term is read in ("met @en"), with the close ones the detector
    tells for them (no/da/sv, hr/bs/sr); empty: every language."""
    return frozenset().union(*map(close_languages, term.languages))


def _compile_rules(packs: list[RulePack], entities: pl.DataFrame | None) -> CompiledRules:
    index = PhraseIndex()
    payloads: list[Payload] = []
    rules = active_rules(packs)
    compiled = CompiledRules(rules=rules, packs=packs, index=index, payloads=payloads)

    def add_term(term: Term, payload: Payload) -> None:
        if term.regex is not None:
            compiled.regexes.append((compile_regex(term.regex), payload))
            return
        pid = len(payloads)
        payloads.append(payload)
        for spelling in term.spellings:
            written = frozenset(_spelling_tokens(spelling)) if not term.exact else False
            for key in _term_keys(spelling):
                index.add(key, pid, fuzzy=written)

    for r, rule in enumerate(rules):
        for gname, group in rule.groups.items():
            for term in group.terms:
                add_term(term, Payload("term", rule=r, group=gname, term=term.text,
                                       threshold=term.threshold, exact=term.exact, langs=_term_languages(term)))
        for term in rule.exclude_terms:
            add_term(term, Payload("exclude", rule=r, term=term.text, threshold=term.threshold, exact=term.exact,
                                   langs=_term_languages(term)))

    compiled.framing = _framing(cues())
    for kind, spec in cues().items():
        if kind not in MODEL.cue_multipliers:
            raise ValueError(f"cues.yaml: cue kind {kind!r} has no multiplier in the scoring model")
        compiled.cue_multipliers[kind] = MODEL.cue_multipliers[kind]
        # a kind's phrases, then the phrases that void it in their sentence (kind + "!unless")
        # One payload per kind and language set: a cue is read only in an article in one of its
        # languages, or in an article whose language no cue is tagged with (not told, or not covered).
        for cue_kind, phrases in ((kind, spec.get("terms", ())), (kind + UNLESS, spec.get("unless", ()))):
            by_langs: dict[frozenset[str], int] = {}
            for entry in phrases or ():
                phrase, tags = cue_phrase(entry)
                langs = frozenset().union(*map(close_languages, tags))
                pid = by_langs.get(langs)
                if pid is None:
                    pid = by_langs[langs] = len(payloads)
                    payloads.append(Payload("cue", cue=cue_kind, exact=True, threshold=100.0, langs=langs))
                    compiled.cue_languages |= langs
                key = tuple(normalize_text(phrase.replace("\u2019", "'")))
                if key:
                    index.add(key, pid, fuzzy=False)

    if entities is not None and entities.height:
        compiled.entities = entities
        compiled.entity_rows = EntityRows(entities)
        rows = entities.to_dicts()
        for e, row in enumerate(rows):
            etype = row["type"] or "organisation"
            # a list marks its primary name weak by giving it again as a weak alias (the default
            # list does so for a one-word name in general use: flagger.entities.default_list)
            weak_names = {a["name"] for a in (row["aliases"] or []) if a["strength"] == "weak"}
            names = [(row["name"], True, row["name"] in weak_names)]
            names += [(a["name"], False, a["strength"] == "weak") for a in (row["aliases"] or [])
                      if a["name"] != row["name"]]
            names += [(n, False, False) for n in (row["original_names"] or [])]
            for name, is_primary, weak in names:
                if not name:
                    continue
                pid = len(payloads)
                payloads.append(Payload("entity", entity=e, name=name, weak=weak, term=row["name"]))
                written = frozenset(normalize_text(name))
                for key in _name_keys(name, etype):
                    if len(key) == 1 and not _single_token_allowed(key, is_primary, etype):
                        continue
                    index.add(key, pid, fuzzy=written)
        for r, rule in enumerate(rules):
            for gname, group in rule.groups.items():
                if group.entities is not None:
                    compiled.entity_groups[(r, gname)] = frozenset(
                        e for e, row in enumerate(rows) if entity_selected(group.entities, row)
                    )
    # Built here so the cached index carries them, instead of every scanning process (and every
    # --jobs worker) rebuilding them in its first batch: the typo deletion index, the word ids
    # of the index's first/second-token pairs, and the English stem map (the commonest news
    # language; other languages' maps are built when first met). At 184.6k names the last two
    # took ~3 s of each process's first batch.
    _share_subtrees(index)
    index.flatten()      # (the trie as arrays: what the cache loads in every process)
    index.alternatives().prepare_stems("english")
    index.prepare_matching()
    return compiled


def _share_subtrees(index: PhraseIndex) -> None:
    """Make equal subtrees of the phrase trie one object, each key's payload list a tuple (equal
    ones one tuple), and every word of the trie and of the fuzzy vocabulary the vocabulary's own
    string (in place; the trie is not added to afterwards).

    Every name gives several keys (variants, joined forms) that end in the same leaf
    ({"": [payload]}), and their last words often in the same small subtree; and each node held
    its own copy of its words' strings. With /tmp/corpus3k's 48,959 names, 402,617 nodes are
    154,431 distinct. The pickle then holds each node and word once, and a process loading the
    index makes 2.6x fewer dicts and hashes each word once. Two nodes are merged only when their
    keys come in the same order with the same children and payloads, and a node's keys keep
    their order, so every walk of the trie (matching, `_WordIds`, the names read in other
    scripts) meets the same keys in the same order as before; a payload tuple reads as the list
    did (floors are keyed by its identity, and equal payloads have equal floors)."""
    words = {w: w for w in index.vocabulary}
    nodes: dict[tuple, dict] = {}
    payloads: dict[tuple[int, ...], tuple[int, ...]] = {}

    def shared(node: dict) -> dict:
        new, parts = {}, []
        for tok, child in node.items():
            if tok == _END:
                child = tuple(child)
                child = payloads.setdefault(child, child)
            else:
                tok = words.get(tok, tok)
                child = shared(child)
            new[tok] = child
            parts.append((tok, id(child)))     # children are kept alive by `nodes`/`payloads`
        return nodes.setdefault(tuple(parts), new)

    top = shared(index.trie)     # (a new dict: the root is no other node's equal)
    index.trie.clear()
    index.trie.update(top)
    # (a set pickles as its words in its order and is made again from them: this one loads the same)
    fuzzy = set()
    for w in index.fuzzy_vocabulary:
        fuzzy.add(words.get(w, w))
    index.fuzzy_vocabulary = fuzzy


def entity_selected(f, row: dict) -> bool:
    if f.types and row["type"] not in f.types:
        return False
    if f.programs and not any(fnmatch.fnmatchcase(p.upper(), pat.upper())
                              for p in (row["programs"] or []) for pat in f.programs):
        return False
    return not (f.lists and not any(fnmatch.fnmatchcase((row["list"] or "").lower(), pat.lower()) for pat in f.lists))
