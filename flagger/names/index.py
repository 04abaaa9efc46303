"""Candidate retrieval for many query names against an entity list (`NameIndex`).

Retrieval is token-key blocking, then verification with the pair scorer:

1. every listed name (primary, aliases, original-script names) is analysed once (a name in Han
   characters also in its Korean reading, `analysis.forms`, and so is a query); each name is
   indexed under the unordered pairs of its informative token keys (`token_key`, plus keys of
   adjacent tokens joined: "Jong Un" -> "jongun"), and one-token names under their one key;
2. a query's token keys are widened to their fuzzy neighbours in the index vocabulary, computed
   once per distinct key with length-bucketed `rapidfuzz.process.cdist` (all keys of a batch at
   once in `screen`), and, for abjad-script tokens, to vocabulary keys with the same consonant
   skeleton;
3. names sharing a key pair with the query are scored with `compare.score_analysed`; the best
   name per entity wins, weak aliases weighted down. Identifiers (IMO) decide when given.

Requiring a *pair* of keys mirrors the scorer's rule that one token (a surname) is never
enough, and keeps candidate lists short without a scan over all names.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from itertools import combinations

import numpy as np
import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import OSA

from flagger.forking import can_fork, fork_map
from flagger.names import resources
from flagger.names.analysis import AnalysedName, analyse, forms
from flagger.names.compare import (
    FULLER_FORM_COST,
    FULLER_FORM_MAX,
    WEAK_ALIAS_FACTOR,
    _budget,
    _identifier_decision,
    entity_names,
    explain,
    score_core,
    split_acronym,
    weak_alias_score,
)
from flagger.names.normalize import PERSON, fold, normalize_kind
from flagger.names.phonetic import skeleton, token_key

_INFORMATIVE = ("name", "common", "short")


@dataclass(frozen=True)
class NameMatch:
    """A listed entity found for a query name; `score` is the name matcher's 0-1 (not the
    report's 0-100 `flagger.model.EntityMatch`)."""

    entity_id: str
    entity_name: str
    matched_name: str
    score: float
    match: bool
    explanation: str
    list: str | None = None
    entity_type: str | None = None
    programs: tuple[str, ...] = ()


def _blocking_keys(name: AnalysedName) -> tuple[list[str], int]:
    """(keys to block on, number of informative positions)."""
    keys = [k for k, r in zip(name.keys, name.roles, strict=True) if r in _INFORMATIVE]
    if not keys:
        keys = [k for k, r in zip(name.keys, name.roles, strict=True) if r != "form"] or list(name.keys)
    joined = [token_key(name.tokens[i] + name.tokens[i + 1]) for i in range(len(name.tokens) - 1)
              if name.roles[i] not in ("form", "initial") and name.roles[i + 1] not in ("form", "initial")
              and (name.info[i] or name.info[i + 1])]
    return list(dict.fromkeys(keys + [j for j in joined if j not in keys])), len(keys)


def _join_forms(name: AnalysedName) -> list[frozenset[str]]:
    """For each token, the keys of it joined with its left and right neighbour."""
    t = name.tokens
    out = []
    for i in range(len(t)):
        forms = set()
        if i > 0:
            forms.add(token_key(t[i - 1] + t[i]))
        if i + 1 < len(t):
            forms.add(token_key(t[i] + t[i + 1]))
        out.append(frozenset(forms))
    return out


def _token_keys(name: AnalysedName) -> list[str]:
    """Keys worth a fuzzy look-up: the name's own tokens (joins are looked up exactly)."""
    return [k for k, r in zip(name.keys, name.roles, strict=True) if r != "form" and len(k) >= 4]


# Screening takes the best of many listed names per query, so chance near-misses add up:
# a list search needs a stricter cut-off than one pair decision (compare.DEFAULT_THRESHOLD).
# 0.82 keeps false alerts on non-listed names of listed shapes under 0.5 % on OFAC SDN
# (measured on a sample separate from the benchmark's, see benchmarks/names.py).
SCREEN_THRESHOLD = 0.82


class NameIndex:
    """Index of an entity frame (canonical schema) for fast name look-ups."""

    def __init__(self, entities: pl.DataFrame, threshold: float = SCREEN_THRESHOLD):
        self.threshold = threshold
        self.rows: list[dict] = entities.to_dicts()
        self.names: list[tuple[int, str, str, AnalysedName]] = []
        self.pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.singles: dict[str, list[int]] = defaultdict(list)
        # every listed name by its folded form: an exact query finds it whatever its shape
        # (initials "A A TRADING FZCO", "MS-13") gives the key blocking
        self.exact: dict[str, list[int]] = defaultdict(list)
        self.bounds: list[tuple[tuple[str, float, float, frozenset[str]], ...]] = []
        self._keysets: list[frozenset[str]] = []
        vocab: set[str] = set()
        for e, row in enumerate(self.rows):
            kind = row.get("type")
            for listed, strength, analysed in ((n, st, f) for n, st in entity_names(row) for f in forms(n, kind)):
                # a name in Han characters is indexed under its Korean reading too (金正恩 / 김정은)
                if not analysed.tokens:
                    continue
                nid = len(self.names)
                self.names.append((e, listed, strength, analysed))
                self.exact[fold(analysed.raw)].append(nid)
                keys, n_informative = _blocking_keys(analysed)
                vocab.update(k for k, r in zip(analysed.keys, analysed.roles, strict=True) if r != "form")
                self.bounds.append(tuple(zip(analysed.keys, analysed.weights, analysed.penalty,
                                             _join_forms(analysed), strict=True)))
                self._keysets.append(frozenset(keys) | frozenset(analysed.keys))
                if n_informative <= 1 or len(keys) == 1:
                    for k in keys:
                        self.singles[k].append(nid)
                for a, b in combinations(sorted(keys), 2):
                    self.pairs[(a, b)].append(nid)
        self.vocab = sorted(vocab)
        self._by_len: dict[int, list[str]] = defaultdict(list)
        for k in self.vocab:
            self._by_len[len(k)].append(k)
        self._skeletons: dict[str, list[str]] = defaultdict(list)
        for k in self.vocab:
            self._skeletons[skeleton(k)].append(k)
        self._vocab_set = set(self.vocab)
        self._given_forms = {}
        for tok in resources.given_name_groups():
            known = {token_key(f) for f in resources.given_name_forms(tok)} & self._vocab_set
            if known:
                self._given_forms.setdefault(token_key(tok), set()).update(known)
        self._neighbours: dict[str, tuple[str, ...]] = {}
        # fuzzy neighbours of keys that are themselves in the vocabulary, for the widened
        # second retrieval (`_candidates(wide=True)`), filled on demand
        self._vocab_neighbours: dict[str, tuple[str, ...]] = {}

    # -- fuzzy neighbours -------------------------------------------------------------
    def _compute_neighbours(self, keys: list[str], workers: int = -1, in_vocab: bool = False) -> None:
        """Fill the neighbour cache for `keys` with length-bucketed cdist (`in_vocab`: the cache
        of keys found in the vocabulary themselves, `_vocab_neighbours`)."""
        cache = self._vocab_neighbours if in_vocab else self._neighbours
        todo = [k for k in dict.fromkeys(keys) if k not in cache and (k in self._vocab_set) == in_vocab]
        by_len: dict[int, list[str]] = defaultdict(list)
        for k in todo:
            budget = _budget(len(k))
            if budget == 0 or not k.isalpha():
                cache[k] = (k,) if k in self._vocab_set else ()
            else:
                by_len[len(k)].append(k)
        for length, queries in by_len.items():
            budget = _budget(length)
            choices = [v for n in range(max(1, length - budget), length + budget + 1) for v in self._by_len.get(n, ())]
            if not choices:
                for q in queries:
                    cache[q] = ()
                continue
            for lo in range(0, len(queries), 2000):
                block = queries[lo:lo + 2000]
                matrix = process.cdist(block, choices, scorer=OSA.distance,
                                       score_cutoff=budget, dtype=np.int8, workers=workers)
                rows, cols = np.nonzero(matrix <= budget)
                found: dict[int, list[str]] = defaultdict(list)
                for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
                    if choices[c][0] == block[r][0] or matrix[r, c] <= 1:
                        found[r].append(choices[c])
                for r, q in enumerate(block):
                    cache[q] = tuple(found.get(r, ()))

    def _alternatives(self, key: str, abjad: bool, wide: bool = False) -> set[str]:
        # a token found in the list vocabulary is taken as spelt as meant (exact look-up only),
        # unless `wide` (the second retrieval, when the first found no match); unknown tokens
        # get their fuzzy neighbours
        if key in self._vocab_set:
            alts = {key, *self._vocab_neighbours.get(key, ())} if wide else {key}
        else:
            alts = {key, *self._neighbours.get(key, ())}
        given = self._given_forms.get(key)
        if given:
            alts.update(given)  # other forms of a given name: "Ted" finds "Theodore"
        if abjad:
            alts.update(self._skeletons.get(skeleton(key, True), ()))
            alts.update(self._skeletons.get(skeleton(key), ()))
        return alts

    # -- retrieval ----------------------------------------------------------------------
    def _candidates(self, query: AnalysedName, floor: float = 0.0, wide: bool = False) -> list[int]:
        """Names sharing a key pair with the query (one key for one-token names), minus those
        that cannot reach `floor`. The estimate treats a token as matched when its key is
        among the other name's keys or their fuzzy alternatives, and as unmatched (costing its
        penalty) otherwise: score <= matched weight / (matched weight + penalties)."""
        keys, n_informative = _blocking_keys(query)
        abjad = any(query.abjad)
        if wide:
            self._compute_neighbours([k for k in keys if len(k) >= 4], in_vocab=True)
            if not any(set(self._vocab_neighbours.get(k, ())) - {k} for k in keys if k in self._vocab_set):
                return []   # no in-vocabulary token has a neighbour: the first retrieval was all
        alts = [self._alternatives(k, abjad, wide) for k in keys]
        found = self._raw_candidates(alts, n_informative, len(keys))
        if floor <= 0 or not found:
            return list(found)
        union = set().union(*alts)
        by_key = dict(zip(keys, alts, strict=True))
        q_tokens = [(by_key.get(k, {k}) | joins, p)
                    for k, p, joins in zip(query.keys, query.penalty, _join_forms(query), strict=True)]
        # a shorter form of a fuller name scores up to FULLER_FORM_MAX with the extra parts
        # costing at most FULLER_FORM_COST (compare._fuller_form): the bound must allow it
        # when the floor is that low (a search's near misses; never a screening alert)
        fuller = floor <= FULLER_FORM_MAX
        out = []
        for nid in found:
            listed_keys = self._keysets[nid]
            matched = pen_listed = pen_query = 0.0
            for key, weight, pen, joins in self.bounds[nid]:
                if key in union or not union.isdisjoint(joins):
                    matched += weight
                else:
                    pen_listed += pen
            for q_alts, pen in q_tokens:
                if listed_keys.isdisjoint(q_alts):
                    pen_query += pen
            if not matched:
                continue
            bound = matched / (matched + pen_listed + pen_query)
            if fuller and bound < floor and not (pen_listed and pen_query):
                bound = min(FULLER_FORM_MAX, matched / (matched + min(pen_listed + pen_query, FULLER_FORM_COST)))
            if bound >= floor:
                out.append(nid)
        return out

    def _raw_candidates(self, alts: list[set[str]], n_informative: int, n_keys: int) -> set[int]:
        out: set[int] = set()
        if n_informative <= 1 or n_keys == 1:
            for group in alts:
                for k in group:
                    out.update(self.singles.get(k, ()))
        for i, j in combinations(range(len(alts)), 2):
            for a in alts[i]:
                for b in alts[j]:
                    if a == b:
                        continue
                    hit = self.pairs.get((a, b) if a < b else (b, a))
                    if hit:
                        out.update(hit)
        return out

    def _score_candidates(self, query: AnalysedName, nids: list[int], threshold: float, qtype: str | None,
                          best: dict[int, tuple[float, AnalysedName, list, str, str, str]]) -> None:
        """Score the listed names `nids` against the query, keeping the best per entity in `best`."""
        for nid in nids:
            e, listed, strength, analysed = self.names[nid]
            etype = self.rows[e].get("type")
            if qtype and etype and qtype != etype and PERSON in (qtype, etype):
                continue  # a person is never a company, vessel or aircraft
            score, alignment, cap = score_core(query, analysed, threshold)
            exact = query.tokens == analysed.tokens or fold(query.raw) == fold(analysed.raw)
            if exact and score < 1.0:
                # the listed name itself ("FAIZ", "RA-02791", "HAPPINESS I"): a screening tool
                # finds every exact listed name, whatever the pair policy says of its shape
                score, cap = 1.0, ""
            if strength == "weak":
                score = weak_alias_score(score, analysed, threshold)
            prev = best.get(e)
            if prev is None or score > prev[0]:
                best[e] = (score, analysed, alignment, cap, listed, strength)

    def _match(self, query: AnalysedName, limit: int, threshold: float, qtype: str | None = None,
               identifiers: dict | None = None, birth_date: str | None = None,
               floor: float | None = None, original: str | None = None) -> list[NameMatch]:
        floor = threshold * 0.75 if floor is None else floor
        best: dict[int, tuple[float, AnalysedName, list, str, str, str]] = {}
        seen = dict.fromkeys([*self.exact.get(fold(query.raw), ()), *self._candidates(query, floor)])
        self._score_candidates(query, list(seen), threshold, qtype, best)
        if not any(b[0] >= threshold for b in best.values()):
            # nothing matched: a second retrieval reads the query's in-vocabulary tokens as
            # possibly misspelt too ("Defense Industries Organization": "organization" is in the
            # list's vocabulary, the listed name writes "ORGANISATION")
            # (a near miss only: matching on it raised false alerts on the benchmark's non-listed
            # names, benchmarks/names.py: OFAC SDN 41 -> 65 of 14,328, UN 13 -> 16 of 2,820)
            wide = [nid for nid in self._candidates(query, floor, wide=True) if nid not in seen]
            found: dict[int, tuple[float, AnalysedName, list, str, str, str]] = {}
            self._score_candidates(query, wide, threshold, qtype, found)
            for e, (score, *rest) in found.items():
                if score >= threshold:
                    score = round(threshold - 0.01, 4)
                    rest[2] = "found only by reading listed spellings as misspelt: a near miss"
                if e not in best or score > best[e][0]:
                    best[e] = (score, *rest)
        decisions: dict[int, str] = {}
        if identifiers and any(identifiers.values()):
            for e, row in enumerate(self.rows):
                decided, why = _identifier_decision(row, identifiers)
                if decided is True:
                    best[e] = (1.0, analyse(row.get("name") or ""), [], "", row.get("name"), "identifier")
                    decisions[e] = why
                elif decided is False and e in best:
                    best[e] = (min(best[e][0], 0.5), *best[e][1:])
                    decisions[e] = why
        out = []
        query_acronym = split_acronym(query.raw)
        for e, (score, analysed, alignment, cap, listed, strength) in best.items():
            row = self.rows[e]
            if query_acronym and score >= threshold and strength != "identifier":
                # "X (TGG)" is not the entry "X (ISWAP)": a name's acronym is part of it
                own = {parts[1] for n, _st in entity_names(row) if (parts := split_acronym(n))}
                if own and query_acronym[1] not in own and query_acronym[1] != listed:
                    score = round(min(score, threshold - 0.05), 4)
                    cap = f"acronym ({query_acronym[1]}) is not the entry's ({', '.join(sorted(own))})"
            notes = ["exactly the listed name"] if strength != "identifier" and (
                query.tokens == analysed.tokens or fold(query.raw) == fold(analysed.raw)) else []
            if strength == "weak":
                notes.append(f"weak alias (x{WEAK_ALIAS_FACTOR})")
            if e in decisions:
                notes.append(decisions[e])
            if birth_date and row.get("birth_dates") and row.get("type") == PERSON:
                years = {str(d)[:4] for d in row["birth_dates"]}
                if str(birth_date)[:4] not in years:
                    score = round(score * 0.9, 4)
                    notes.append(f"birth year {str(birth_date)[:4]} not in {sorted(years)} (x0.9)")
                elif str(birth_date) in {str(d) for d in row["birth_dates"]}:
                    score = round(min(1.0, score + 0.05), 4)
                    notes.append("birth date equal (+0.05)")
            if score < floor:
                continue
            parts = ([] if strength == "identifier" else explain(query, analysed, alignment, cap)) + notes
            if analysed.raw != listed and strength != "identifier":
                parts.append(f"listed name read as Korean {analysed.raw!r}")
            shown = repr(query.raw) if original in (None, query.raw) else f"{original!r} (read as Korean {query.raw!r})"
            explanation = f"{shown} vs {strength} name {listed!r}: " + "; ".join(parts) + f" -> {score:.2f}"
            out.append(NameMatch(
                entity_id=row.get("id"), entity_name=row.get("name"), matched_name=listed, score=score,
                match=score >= threshold, explanation=explanation, list=row.get("list"),
                entity_type=row.get("type"), programs=tuple(row.get("programs") or ())))
        out.sort(key=lambda m: (-m.score, m.entity_id or ""))
        return out[:limit]

    def search(self, name: str, limit: int = 5, threshold: float | None = None, kind: str | None = None,
               identifiers: dict | None = None, birth_date: str | None = None) -> list[NameMatch]:
        """Best entities for one query name, best first (candidates scoring >= 0.75 x
        threshold are kept so near misses are visible; `match` says which pass). `screen`
        looks every record up the same way."""
        threshold = self.threshold if threshold is None else threshold
        queries = forms(name, kind)
        self._compute_neighbours([k for q in queries for k in _token_keys(q)])
        return self._lookup(name, queries, limit, threshold, kind, identifiers, birth_date)

    def _lookup(self, name: str, queries: tuple[AnalysedName, ...], limit: int, threshold: float,
                kind: str | None, identifiers: dict | None, birth_date: str | None) -> list[NameMatch]:
        """The one candidate search and scoring of `search`, `screen` (and so `Scanner.screen`)."""
        return _merge([self._match(q, limit, threshold, normalize_kind(kind), identifiers, birth_date, original=name)
                       for q in queries], limit)

    def screen(self, frame: pl.DataFrame, limit: int = 3, threshold: float | None = None,
               workers: int | None = None) -> pl.DataFrame:
        """Screen many records at once. `frame` has a `name` column and optionally `type`,
        `country`, `birth_date`, `imo`. Returns one row per input record (in order) with the
        best candidate (`matched` says whether it reaches the threshold; a near miss keeps its
        score and explanation), the ids of the other matches, and the frame's other columns
        as they came (renamed input_<column> where one clashes with a result column).

        Identical records are scored once; fuzzy neighbours of all query tokens are computed
        in one batch; large batches are split over `workers` forked processes (default: all
        cores)."""
        threshold = self.threshold if threshold is None else threshold
        cols = set(frame.columns)
        n = frame.height

        def column(name: str) -> list:
            return frame[name].cast(pl.Utf8).to_list() if name in cols else [None] * n

        names = [x or "" for x in column("name")]
        types, births, imos, countries = column("type"), column("birth_date"), column("imo"), column("country")
        records = list(zip(names, types, births, imos, strict=True))
        unique = list(dict.fromkeys(records))
        workers = workers or os.cpu_count() or 1
        if workers > 1 and len(unique) >= 4000 and can_fork():
            # each forked worker analyses its share, finds fuzzy neighbours for its unknown
            # tokens (one cdist thread each) and verifies; the index and the records reach the
            # workers by fork (shared copy-on-write), only the (start, end) of each share is sent
            step = max(1, len(unique) // (workers * 4))
            chunks = [(i, min(i + step, len(unique))) for i in range(0, len(unique), step)]
            work = partial(self._screen_chunk, unique, limit, threshold)
            results = [m for _chunk, part in fork_map(work, chunks, workers) for m in part]
        else:
            results = self._screen_range(unique, limit, threshold)
        by_record = dict(zip(unique, results, strict=True))
        out: dict[str, list] = defaultdict(list)
        for i, record in enumerate(records):
            matches = by_record[record]
            top = matches[0] if matches else None
            out["record"].append(i)
            out["name"].append(names[i])
            out["country"].append(countries[i])
            out["matched"].append(bool(top and top.match))
            out["score"].append(top.score if top else 0.0)
            out["entity_id"].append(top.entity_id if top else None)
            out["entity_name"].append(top.entity_name if top else None)
            out["matched_name"].append(top.matched_name if top else None)
            out["list"].append(top.list if top else None)
            out["programs"].append(";".join(top.programs) if top else None)
            out["explanation"].append(top.explanation if top else None)
            out["other_matches"].append(";".join(f"{m.entity_id}:{m.score:.2f}" for m in matches[1:] if m.match))
        result = pl.DataFrame(out, schema=SCREEN_SCHEMA)
        # the caller's own columns (customer_id, account ...) come through beside the result
        extra = [c for c in frame.columns if c not in _QUERY_COLUMNS]
        if extra:
            result = result.with_columns(
                frame.select(extra).rename({c: f"input_{c}" for c in extra if c in SCREEN_SCHEMA}))
        return result

    def _screen_range(self, records: list[tuple], limit: int, threshold: float, cdist_workers: int = -1):
        analysed = [forms(r[0], r[1]) for r in records]
        keys = [k for fs in analysed for a in fs for k in _token_keys(a)]
        self._compute_neighbours(keys, cdist_workers)
        # for the second retrieval of records nothing matches: one batch, not one cdist per record
        self._compute_neighbours(keys, cdist_workers, in_vocab=True)
        return [self._screen_one(r, fs, limit, threshold) for r, fs in zip(records, analysed, strict=True)]

    def _screen_chunk(self, records: list[tuple], limit: int, threshold: float,
                      bounds: tuple[int, int]) -> list[list[NameMatch]]:
        """`_screen_range` of records[start:end], in a forked worker (one cdist thread)."""
        return self._screen_range(records[bounds[0]:bounds[1]], limit, threshold, cdist_workers=1)

    def _screen_one(self, record: tuple, queries: tuple[AnalysedName, ...], limit: int,
                    threshold: float) -> list[NameMatch]:
        name, kind, birth, imo = record
        idents = {"IMO": imo} if imo else None
        return self._lookup(name, queries, limit, threshold, kind, idents, birth)


def _merge(results: list[list[NameMatch]], limit: int) -> list[NameMatch]:
    """Best match per entity over the readings of one query name, best first."""
    if len(results) == 1:
        return results[0]
    best: dict[str | None, NameMatch] = {}
    for matches in results:
        for m in matches:
            if m.entity_id not in best or m.score > best[m.entity_id].score:
                best[m.entity_id] = m
    return sorted(best.values(), key=lambda m: (-m.score, m.entity_id or ""))[:limit]


_QUERY_COLUMNS = ("name", "type", "birth_date", "imo", "country")

SCREEN_SCHEMA = {
    "record": pl.Int64, "name": pl.Utf8, "country": pl.Utf8, "matched": pl.Boolean, "score": pl.Float64,
    "entity_id": pl.Utf8, "entity_name": pl.Utf8, "matched_name": pl.Utf8, "list": pl.Utf8,
    "programs": pl.Utf8, "explanation": pl.Utf8, "other_matches": pl.Utf8,
}
