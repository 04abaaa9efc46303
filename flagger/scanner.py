"""The article scanner: rules and entity lists compiled once, then any number of batches scanned into results."""

from __future__ import annotations

import dataclasses
import gc
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeAlias

import polars as pl

from flagger.engine import cache
from flagger.engine.compile import CompiledRules, active_rules, compile_at, name_index
from flagger.engine.history import history_sentences, history_spec, published_year
from flagger.engine.hitsite import confirm_entity_site
from flagger.engine.match import (
    ArticleMatches,
    FindingTables,
    find_matches,
    token_offsets,
    token_span_for_chars,
)
from flagger.engine.transcribed import TranscribedNames, explain
from flagger.entities.loading import entity_list_info, load_entity_lists_with_info
from flagger.errors import InputError
from flagger.language import detect_language
from flagger.model import ArticleResult, Hit, Record
from flagger.names.index import NameIndex
from flagger.records import BATCH_RECORDS, RecordsLike, iter_batches
from flagger.resources import cues
from flagger.rules.loader import load_rule_packs
from flagger.rules.pack import RulePack
from flagger.scoring import MODEL, combine, entity_contribution, level_for, rule_contribution
from flagger.text import SentenceOf, TokenNorms, normalize_match_token, snippet, tokenize_batch, tokenize_each

DEFAULT_ENTITY_THRESHOLD = 90.0

# Framing kinds that say the act did not happen as a current event: negated, rated false by a
# fact-check, a description of what the regime or an embargo text prohibits, an exemption, an
# event years before publication, an explainer/encyclopedic/academic text. A finding framed only
# so is still scored and shown (rules, evidence, hits), but does not report its category: the
# categories are the verdict, and such a finding accuses no one of that kind of act. Hedged,
# speculative and denied findings do report theirs (the allegation is the story). Nor does a
# finding too weak to make an article `low` by itself (below that level's floor). docs/rules.md.
UNREPORTED_FRAMES = frozenset({"negation", "factcheck", "regime", "embargo_text", "exemption", "history", "genre"})

PathLike: TypeAlias = "str | Path"
_INDEX_PARTS = frozenset({"compiled", "_alts", "_floor", "_tables", "_transcribed"})   # made by load_index
LONG_TOKEN = 256


class ArticleScanner:
    """Rule packs and entity lists compiled once; articles scanned batch by batch into results.

    This is the engine's face: it turns records into `ArticleResult`s (`scan_iter`,
    `scan_batch`, `scan_text`) and screens names (`screen`). A whole run — reading, gating,
    writing, provenance — is `flagger.pipeline.run_scan`; the library's `flagger.Scanner` adds
    `scan()`, which goes through it."""

    def __init__(self, rules: PathLike | Iterable[PathLike] | Iterable[RulePack] | None = None,
                 entities: PathLike | Iterable[PathLike] | pl.DataFrame = (), *, default_entities: bool = True,
                 entity_threshold: float = DEFAULT_ENTITY_THRESHOLD, batch_size: int = BATCH_RECORDS,
                 owns_process: bool = False, load_index: bool = True):
        """`rules`: rule-pack file(s)/folder(s), or packs from `load_rule_packs` (default: bundled).
        `entities`: entity-list file(s) in any supported format, or a canonical entity frame;
        added to the bundled default list unless `default_entities=False`.
        `owns_process=True` is for a process that exists to scan with this scanner (the CLI and its
        --jobs workers, a benchmark's scanning process): the compiled index, and at the end of every
        batch what the batch learned and everything else then alive, are moved out of the cyclic
        garbage collector's reach for the rest of the process (`gc.freeze()`, process-wide), so no
        collection walks them again. By default (a library user's process) the collector is left
        as it was: each batch pauses it and turns it back on, nothing more.
        `load_index=False` (the CLI's `--jobs`): when the compiled index is in the on-disk cache,
        it is loaded on first use (`load_index()`, or any scan) instead of here, so a process that
        forks its workers first never holds it (the first `--jobs` worker loads it while the
        parent reads the input); the rule packs and entity lists are read here either way.
        Raises `RuleError` (with file and line) or `EntityListError`."""
        if isinstance(entities, (str, Path)):
            entities = [entities]
        if isinstance(rules, (list, tuple)) and rules and all(isinstance(p, RulePack) for p in rules):
            self.packs = list(rules)
            self.rule_args = [p.path for p in rules]
        else:
            self.packs = load_rule_packs(rules)
            self.rule_args = None if not rules else [str(r) for r in ([rules] if isinstance(rules, (str, Path)) else rules)]
        if isinstance(entities, pl.DataFrame):
            entity_frame, self.entity_lists = load_entity_lists_with_info((), default_entities)
            entity_frame = pl.concat([entity_frame, entities], how="vertical") if default_entities else entities
            self.entity_lists.append(entity_list_info(entities, None))
        else:
            entity_frame, self.entity_lists = load_entity_lists_with_info([str(e) for e in entities], default_entities)
        self.entity_frame = entity_frame
        self.entity_threshold = float(entity_threshold)
        self.batch_size = batch_size
        self.owns_process = owns_process
        self._norm_cache: dict[str, str] = {}
        self._name_index: NameIndex | None = None
        self._history = history_spec(cues().get("history"))
        # found here even when loaded later: finding it uses polars, which a forked worker must not
        self._index_file = cache.index_path(self.packs, entity_frame)
        if load_index or self._index_file is None or not self._index_file.exists():
            self.load_index()

    def load_index(self) -> None:
        """Loads (or compiles) the index and what is made from it, if not done yet."""
        if "compiled" in self.__dict__:
            return
        compiled: CompiledRules = compile_at(self._index_file, self.packs, self.entity_frame,
                                             freeze=self.owns_process)   # kept for life
        self._alts = compiled.index.alternatives()
        self._floor = _similarity_floor(compiled.payloads, self.entity_threshold)
        self._tables = FindingTables(compiled)     # the rules' per-article look-ups, made once
        # Latin list names written in Arabic, Hangul, Georgian, Greek ... script (built on first use)
        self._transcribed = TranscribedNames(compiled.index, compiled.payloads, compiled.cache_file)
        self.compiled = compiled

    @property
    def index_loaded(self) -> bool:
        return "compiled" in self.__dict__

    def __getattr__(self, name: str):
        # Reached only for an attribute not set: the index and its parts of a scanner made with
        # load_index=False are loaded on their first use.
        if name in _INDEX_PARTS and "_index_file" in self.__dict__ and "compiled" not in self.__dict__:
            self.load_index()
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def rules(self):
        """The active rules (those the index was compiled with: read from the packs while it is
        not loaded)."""
        return self.compiled.rules if "compiled" in self.__dict__ else active_rules(self.packs)

    # -- public ---------------------------------------------------------------------------
    def screen(self, records: str | dict | Iterable[str | dict] | pl.DataFrame, *, limit: int = 3,
               threshold: float | None = None) -> pl.DataFrame:
        """Screen names against the loaded entity lists (no rules involved).

        `records`: names (str), dicts or a DataFrame with a `name` column and optionally `type`,
        `birth_date`, `imo`, and any columns of the caller's own (kept in the output). Returns one
        row per record, in order: matched, score (0–1; a near miss keeps its score), entity_id,
        entity_name, matched_name, list, programs, explanation, other_matches, then the caller's columns.
        `threshold` is on the name matcher's 0–1 scale (default: its screening cut-off, 0.82)."""
        if self._name_index is None:    # built on first use: scanning never needs it
            self._name_index = name_index(self.entity_frame)    # cached on disk as the compiled index is
        if isinstance(records, pl.DataFrame):
            frame = records
        else:
            rows = []
            for i, item in enumerate([records] if isinstance(records, (str, dict)) else records):
                if isinstance(item, str):
                    rows.append({"name": item})
                elif isinstance(item, dict) and isinstance(item.get("name"), str):
                    rows.append({k: (None if v is None else str(v)) for k, v in item.items()})
                else:
                    raise InputError("expected a name (str) or a dict with a 'name' string", "<names>", i + 1)
            frame = pl.DataFrame(rows, schema={c: pl.Utf8 for c in dict.fromkeys(k for r in rows for k in r)})
            if "name" not in frame.columns:
                frame = pl.DataFrame({"name": []}, schema={"name": pl.Utf8})
        if "name" not in frame.columns:
            raise InputError("the frame has no 'name' column", "<names>")
        return self._name_index.screen(frame, limit=limit, threshold=threshold)

    def scan_iter(self, records: RecordsLike) -> Iterator[ArticleResult]:
        """Results one by one, in input order, scanning in batches of at most `batch_size` records
        and `BATCH_CHARS` characters of text, so memory stays bounded however many records come."""
        for batch in iter_batches(records, self.batch_size):
            yield from self.scan_batch(batch)

    def scan_batch(self, batch: list[Record], learned: Callable[[], None] | None = None) -> list[ArticleResult]:
        """Scan a batch. An unexpected failure on one article becomes that article's error (the
        scan then exits 3), never a crash that loses the other articles' results.

        `learned()` is called once the batch's words are learned, before its articles are
        scanned (`--jobs` forks its other workers there, so they inherit what was learned)."""
        try:
            with _collector_paused(freeze=self.owns_process):
                return self._scan_batch(batch, learned)
        except Exception:
            if len(batch) == 1:
                return [self._failed(batch[0])]
            return [r for record in batch for r in self.scan_batch([record])]

    def _failed(self, record: Record) -> ArticleResult:
        import sys
        import traceback

        exc = sys.exc_info()[1]
        where = traceback.extract_tb(exc.__traceback__)[-1] if exc is not None and exc.__traceback__ else None
        at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
        failed = dataclasses.replace(record, text="", error=f"{record.id}: internal error while scanning "
                                                            f"({type(exc).__name__}: {exc}{at}); not scanned")
        return ArticleResult(record=failed)

    def _scan_batch(self, batch: list[Record], learned: Callable[[], None] | None = None) -> list[ArticleResult]:
        out = []
        scanned = [with_title(record) for record in batch]
        prepared = self._prepare_batch(scanned)
        if learned is not None:
            learned()
        for original, (record, data) in zip(batch, prepared, strict=True):
            try:
                if record is original:
                    out.append(self._scan_one(record, data))
                else:       # the spans are placed in the title or text, with their lines and snippets, there
                    out.append(_spans_by_field(self._scan_one(record, data, placed=False), original))
            except Exception:
                out.append(self._failed(original))
        return out

    def _prepare_batch(self, batch: list[Record], reference: bool = False) -> list[tuple[Record, tuple | None]]:
        """(record, (tokens, language, index candidates) or None for an error record). The
        batch's distinct words are normalised, typo-mapped and looked up in the index once, per
        language (stemming depends on it); the candidates of all of one language's articles are
        then found together.

        `reference=True`: each text through `tokenize` and each text's normalised words as a list
        (the path before `tokenize_batch`, which must give the same; tests/engine/test_batch_path.py)."""
        # Tokenised together, in numpy: each token's offsets and the id of its string among the
        # batch's distinct words, without a Python string or step per token.
        live = [record for record in batch if not record.error]
        tokenised = (tokenize_each if reference else tokenize_batch)([record.text for record in live])
        norm_of = self._norms_for(set(tokenised.words))
        word_norms = list(map(norm_of, tokenised.words))
        words = set(word_norms)
        self._alts.prepare(words)    # fuzzy neighbours of the batch's new tokens, in bulk
        live_tokens = iter(zip(tokenised.tokens, tokenised.ids, strict=True))
        prepared = [(record, None if record.error else next(live_tokens)) for record in batch]
        by_lang: dict[str, list[int]] = {}
        norms_of: dict[int, TokenNorms | list[str]] = {}
        langs: dict[int, str] = {}
        for i, (record, data) in enumerate(prepared):
            if data is None:
                continue
            tokens, ids = data
            prepared[i] = (record, tokens)
            norms = norms_of[i] = list(TokenNorms(ids, word_norms)) if reference else TokenNorms(ids, word_norms)
            lang = langs[i] = detect_language(record.text, words=norms[:tokens.count_before(1200)])
            by_lang.setdefault(lang, []).append(i)
        candidates: dict[int, list] = {}
        index = self.compiled.index
        for lang, at in by_lang.items():
            texts = [norms_of[i] for i in at]
            # One language (the usual batch): its words are the batch's words, no second pass.
            lang_words = words if len(by_lang) == 1 else set().union(*texts)
            index.learn(lang_words, lang, self._alts, self._floor)
            candidates.update(zip(at, index.match_many(texts, lang, self._alts, self._floor, learned=True,
                                                       words=lang_words), strict=True))
        self._prefetch_entity_rows(candidates.values())
        return [(record, None if tokens is None else (tokens, langs[i], candidates[i]))
                for i, (record, tokens) in enumerate(prepared)]

    def _prefetch_entity_rows(self, candidate_lists) -> None:
        """The entity rows the batch's candidates name, read from the entity frame together (the
        findings of each article then read them one by one, made)."""
        prefetch = getattr(self.compiled.entity_rows, "prefetch", None)
        if prefetch is None:
            return
        payloads = self.compiled.payloads
        prefetch({p.entity for cands in candidate_lists for c in cands for pid in c.payloads
                  if (p := payloads[pid]).kind == "entity"})

    def _matches(self, text: str, data, published: str = "") -> ArticleMatches:
        tokens, lang, candidates = data
        transcribed = self._transcribed.candidates(text, tokens)
        if transcribed:
            candidates = [*candidates, *(c for c, _why in transcribed)]
        sentence_of = SentenceOf(tokens, text)
        year = published_year(published)

        def history(sentences: Iterable[int]) -> dict[int, str]:
            """Which of `sentences` are dated years before `published` (framing: history)."""
            starts, ends = token_offsets(tokens)

            def sentence_at(offset: int) -> int | None:
                span = token_span_for_chars(tokens, starts, offset, offset + 4, ends)
                return None if span is None else sentence_of[span[0]]

            return history_sentences(text, sentence_at, self._history, lang, year,
                                     sentences={s: sentence_of.span(s) for s in sentences})

        matches = find_matches(self.compiled, text, tokens, sentence_of, candidates, confirm_entity_site,
                               self.entity_threshold, history=history if year and self._history.years_before else None,
                               lang=lang, tables=self._tables)
        if transcribed:
            explain(matches, transcribed)
        return matches

    def match_batch(self, batch: list[Record]) -> Iterator[tuple[Record, ArticleMatches | None]]:
        """The matcher's findings per record before rules are scored: every term match at or above
        its threshold (whether or not its rule fires) and every verified entity. For benchmarks and
        rule debugging; `scan` is the report."""
        for record, data in self._prepare_batch(batch):
            yield record, (None if data is None else self._matches(record.text, data, record.published))

    def scan_text(self, text: str, id: str = "text") -> ArticleResult:
        return self.scan_batch([Record(id=id, text=text)])[0]

    def normalise(self, raw: str) -> str:
        """A text token as the index compares it (cached per scanner)."""
        return self._norm(raw)

    @property
    def alternatives(self):
        """The index's token-alternatives map, with this scanner's per-token caches
        (`flagger.engine.alternatives.TokenAlternatives`)."""
        return self._alts

    # -- internals --------------------------------------------------------------------------
    def _norm(self, raw: str) -> str:
        n = self._norm_cache.get(raw)
        if n is None:
            n = self._norms_for({raw})(raw)
        return n

    def _norms_for(self, raws: set[str]):
        """A raw -> normalised look-up that holds every token in `raws` (each distinct token is
        normalised once per scanner: a set difference and a map, no Python step per word)."""
        cache = self._norm_cache
        missing = raws.difference(cache)
        if len(cache) + len(missing) > 2_000_000:
            cache.clear()
            missing = raws
        for raw in missing:
            # No term or name is anywhere near LONG_TOKEN characters, so a longer token (a 1 MB
            # run of letters) is folded by its prefix only: it still matches nothing, in O(1).
            cache[raw] = normalize_match_token(raw if len(raw) <= LONG_TOKEN else raw[:LONG_TOKEN])
        return cache.__getitem__

    def _scan_one(self, record: Record, data, placed: bool = True) -> ArticleResult:
        """`placed=False`: the hits' lines and snippets are left empty (`_spans_by_field` gives
        them from the field each hit is in)."""
        result = ArticleResult(record=record)
        if data is None:
            return result
        text = record.text
        tokens, lang, _candidates = data
        line_at = _line_index(text) if placed else _no_line
        clip = snippet if placed else _no_snippet
        result.language = lang
        matches = self._matches(text, data, record.published)
        starts, ends = token_offsets(tokens)
        contributions = []
        evidence_entities: set[int] = set()
        hits: list[Hit] = []
        for fired in matches.fired:
            rule = self.compiled.rules[fired.rule]
            scored = [(rule_contribution(rule.id, rule.category, rule.weight, w.similarity, w.distance, rule.within, w.modifier,
                                         w.entity_bonus), w) for w in fired.windows]
            best, best_window = max(scored, key=lambda cw: (cw[0].points, -cw[1].hits[0].start))
            best.note = "; ".join(best_window.modifiers)
            contributions.append(best)
            result.rules.append(rule.id)
            if rule.category not in result.categories and any(
                    c.points >= MODEL.level_floors["low"] and _reports_act(w.modifiers) for c, w in scored):
                result.categories.append(rule.category)
            quote = " … ".join([text[starts[h.start]:ends[h.end - 1]] for h in best_window.hits])
            result.evidence.append(f"{rule.id}: {quote}")
            emitted: set[tuple[int, int, str]] = set()
            for window in fired.windows:
                for h in window.hits:
                    if (h.start, h.end, h.term) in emitted:
                        continue
                    emitted.add((h.start, h.end, h.term))
                    if h.entity >= 0:
                        evidence_entities.add(h.entity)
                    s, e = starts[h.start], ends[h.end - 1]
                    ent = self.compiled.entity_rows[h.entity] if h.entity >= 0 else None
                    hits.append(Hit(
                        article_id=record.id, rule_id=rule.id, category=rule.category, severity=rule.severity,
                        term=h.term, matched_text=text[s:e], start=s, end=e, similarity=h.similarity,
                        modifiers="; ".join(window.modifiers), snippet=clip(text, s, e),
                        kind="entity" if ent else "term", entity_id=ent["id"] if ent else "",
                        entity_list=(ent["list"] or "") if ent else "", line=line_at(s),
                    ))
        seen_entities = set()
        for match, _s, _e, row in matches.entities:
            if match.entity_id in seen_entities:
                continue
            seen_entities.add(match.entity_id)
            result.entities.append(match)
            if row not in evidence_entities:
                contributions.append(entity_contribution(match.entity_id, match.similarity, match.explanation))
        for match, _s, _e, _row in matches.entities:
            hits.append(Hit(
                article_id=record.id, rule_id="", category="sanctioned-entity", severity="", term=match.matched_name,
                matched_text=match.matched_text, start=match.start, end=match.end, similarity=match.similarity,
                modifiers="", snippet=clip(text, match.start, match.end), kind="entity",
                entity_id=match.entity_id, entity_list=match.list, line=line_at(match.start),
            ))
        hits.sort(key=lambda h: (h.start, h.end, h.rule_id, h.term))
        result.hits = hits
        result.contributions = sorted(contributions, key=lambda c: (-c.points, c.source))
        result.score = combine(contributions)
        result.level = level_for(result.score)
        return result


def _reports_act(modifiers) -> bool:
    """Whether an evidence window with these framing modifiers ('kind:cue') reports the act: no
    modifier of an UNREPORTED_FRAMES kind."""
    return not any(m.split(":", 1)[0] in UNREPORTED_FRAMES for m in modifiers)


@contextmanager
def _collector_paused(freeze: bool = False):
    """Python's cyclic garbage collector off for one batch. A batch allocates millions of small
    objects (tokens, tuples, candidates) and keeps some (per-word tables), so the collector kept
    walking the ever larger heap of survivors: 14 full collections and ~7 s of a 37 s scan of
    20,000 articles. Scanning makes no reference cycles worth collecting mid-batch (reference
    counting frees the rest), and the collector runs as usual between batches.

    `freeze` (a scanner that owns its process): the batch's survivors are moved out of the
    collector's reach before it is on again, instead of being walked by its next collection
    (each batch's new per-word tables: 0.09 CPU s of a 2,000-article scan at 46k listed names,
    0.29 s at 185k). What that freezes beyond them is the few reference cycles a batch leaves
    (a few hundred objects in a 2,000-article scan)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        gc.enable()


def _similarity_floor(payloads, entity_threshold: float):
    """payload-id list -> the lowest similarity at which the engine would use any of them (an
    entity needs the entity threshold, a weak alias 1/0.9 of it; an exact-only payload never
    takes a fuzzy match). Keyed by the list's identity: the lists live in the trie."""
    floors: dict[int, float] = {}

    def one(p) -> float:
        if p.kind == "entity":
            return entity_threshold / 0.9 - 1e-9 if p.weak else entity_threshold
        if p.kind == "cue":
            return 0.0      # a cue takes Korean endings (engine.match._hangul_inflected decides)
        return float("inf") if p.exact else p.threshold

    def floor(pids) -> float:
        f = floors.get(id(pids))
        if f is None:
            f = floors[id(pids)] = min(one(payloads[pid]) for pid in pids)
        return f

    return floor


# -- the title is scanned with the text ------------------------------------------------------------
TITLE_SEPARATOR = "\n\n"


def with_title(record: Record) -> Record:
    """The record as scanned: its title, a blank line, then its text, so a headline's framing ("Fact
    check: ... did NOT ...") and its claim count. The record itself when it has no title, is an
    error, or its text already opens with the title (a feed entry or web page written that way)."""
    title = " ".join(record.title.split()).casefold()
    if not title or record.error:
        return record
    if " ".join(record.text[:len(record.title) * 2].split()).casefold().startswith(title):
        return record
    return dataclasses.replace(record, text=record.title + TITLE_SEPARATOR + record.text)


def _spans_by_field(result: ArticleResult, original: Record) -> ArticleResult:
    """Offsets of a result scanned through `with_title` put back into the field each span is in:
    a span in the headline gets field "title" and offsets into `title`, the others offsets into
    `text` (so `record.text[start:end]` is the matched text), each with its line and snippet."""
    title, text = original.title, original.text
    shift = len(title) + len(TITLE_SEPARATOR)
    line_at = _line_index(text)

    def place(span):
        if span.start < len(title):
            span.field = "title"
            return title, 1 + title.count("\n", 0, span.start)
        span.start -= shift
        span.end -= shift
        return text, line_at(span.start)

    for hit in result.hits:
        where, hit.line = place(hit)
        hit.snippet = snippet(where, hit.start, hit.end)
    for match in result.entities:
        place(match)
    result.record = original
    return result


def _no_line(_offset: int) -> int:
    return 0


def _no_snippet(_text: str, _start: int, _end: int) -> str:
    return ""


def _line_index(text: str):
    """offset -> 1-based line, by bisection over newline offsets found once (counting newlines
    per hit was quadratic on long articles with many hits)."""
    newlines: list[int] | None = None

    def line_at(offset: int) -> int:
        nonlocal newlines
        if newlines is None:
            newlines = [m.start() for m in _NEWLINE.finditer(text)]
        return bisect_left(newlines, offset) + 1

    return line_at


_NEWLINE = re.compile("\n")
