"""Scan one article: candidates from the phrase index -> term/entity/cue hits -> fired rules."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from flagger.engine.alternatives import EXACT, INFLECT, PRESS, script_of
from flagger.engine.compile import UNLESS, CompiledRules, Framing, Payload, affix_word
from flagger.engine.hitsite import generic_name, press_reading_corroborated, ship_suffixed
from flagger.entities._common import known_country
from flagger.language import detect_language
from flagger.model import EntityMatch
from flagger.names.normalize import fold
from flagger.names.resources import title_tokens
from flagger.names.scripts import non_ascii
from flagger.resources import vessel_words
from flagger.text import Token, no_spaces_script, normalize_text, normalize_token

VESSEL_CONTEXT_TOKENS = 6
LEAD_SENTENCES = 2        # a `lead` framing cue (fact check) counts in the first two sentences
CHAR_REACH = 12           # characters searched for a negator in scripts without spaces
HISTORY = "history"       # the cue kind of sentences dated well before the article (engine/history.py)
WORD_TOKENS = 2           # tokens per word in scripts cut into characters (see _window_scale)
_NO_SPACES = no_spaces_script
_CLAUSE = re.compile("[,;:()\\[\\]\u2013\u2014!?\"\u201c\u201d\u00ab\u00bb\u3001\uff0c\uff1b\uff1a\u3002\n]")


@dataclass(slots=True)
class TermHit:
    start: int            # token index
    end: int              # token index (exclusive)
    similarity: float
    term: str
    entity: int = -1      # entity row for entity-group hits


@dataclass
class Window:
    hits: list[TermHit]
    distance: int
    similarity: float
    modifier: float
    modifiers: list[str]
    entity_bonus: bool


@dataclass
class FiredRule:
    rule: int
    windows: list[Window]


@dataclass
class ArticleMatches:
    tokens: list[Token]
    sentence_of: list[int]
    entities: list[tuple[EntityMatch, int, int, int]]   # (match, token start, token end, entity row)
    fired: list[FiredRule]
    # every term match at or above its threshold, by (rule, group), whether its rule fired or not
    term_hits: dict[tuple[int, str], list[TermHit]] = field(default_factory=dict)


class FindingTables:
    """What turning one article's candidates into findings reads that depends on the rules alone,
    made once per scanner instead of once per article: each rule's (rule, group) keys (whether a
    rule can fire is asked of every rule with a hit in every article), each language's negator
    lists, and the negation form of each word read beside evidence (the same words recur in every
    article). `find_matches` makes its own when not given one."""

    NORMS_KEPT = 200_000      # negation forms kept; past this the table starts again (memory stays bounded)

    def __init__(self, compiled: CompiledRules):
        self.framing = compiled.framing
        self.rule_keys = [(tuple((r, g) for g in rule.all_of), tuple((r, g) for g in rule.any_of))
                          for r, rule in enumerate(compiled.rules)]
        self._negators: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
        self._negation_forms: dict[str, str] = {}

    def can_fire(self, r: int, term_hits) -> bool:
        """Whether rule `r` has hits in every one of its categories (each `all` group, and one of
        its `any` groups if it has them), without making the lists (`_categories` makes them)."""
        all_of, any_of = self.rule_keys[r]
        get = term_hits.get
        return all(map(get, all_of)) and (not any_of or any(map(get, any_of)))

    def negators(self, lang: str) -> tuple[frozenset[str], tuple[str, ...]]:
        """`Framing.negators(lang)`, the prefixes after as a tuple (one C call tests them all)."""
        found = self._negators.get(lang)
        if found is None:
            before, after = self.framing.negators(lang)
            found = self._negators[lang] = (before, tuple(after))
        return found

    def negation_form(self, raw: str) -> str:
        """A word as the negator lists are written: normalised, without apostrophes."""
        form = self._negation_forms.get(raw)
        if form is None:
            if len(self._negation_forms) >= self.NORMS_KEPT:
                self._negation_forms.clear()
            form = self._negation_forms[raw] = normalize_token(raw.replace("\u2019", "'")).replace("'", "")
        return form


def token_offsets(tokens) -> tuple[Sequence[int], Sequence[int]]:
    """The tokens' start and end character offsets, to read by index or bisect: a `Tokens` gives
    them without making a Token or a Python int per token (`Tokens.offsets`); a plain list of
    Token is read once."""
    offsets = getattr(tokens, "offsets", None)
    if offsets is None:
        return [t.start for t in tokens], [t.end for t in tokens]
    return offsets()


def token_span_for_chars(tokens: list[Token], starts: Sequence[int], start: int, end: int,
                         ends: Sequence[int] | None = None) -> tuple[int, int] | None:
    """The tokens (first, end) that characters start..end touch; None when none does. `ends`:
    the tokens' end offsets, when the caller has them (else read from the tokens)."""
    i = bisect_right(starts, start) - 1
    if i < 0 or (tokens[i].end if ends is None else ends[i]) <= start:
        i += 1
    j = bisect_left(starts, end)
    if i >= j:
        return None
    return i, j


def _hangul_inflected(cand) -> bool:
    """Whether a candidate differs from its phrase only by Korean endings or particles attached to
    Hangul words (the alternatives' suffix cut), not by a wildcard, a Latin or Cyrillic ending or a
    spelling variant."""
    return all(kind == EXACT or (kind == INFLECT and script_of(tok) == "hangul" and not tok.endswith("*"))
               for kind, tok in zip(cand.kinds, cand.key, strict=True))


def find_matches(compiled: CompiledRules, text: str, tokens: list[Token], sentence_of: list[int],
                 candidates, confirm_site, entity_threshold: float, history=None,
                 lang: str | None = None, tables: FindingTables | None = None) -> ArticleMatches:
    """One article's term, exclusion, cue and entity hits from its index `candidates`, and the
    rules they fire. `confirm_site(text, start, end, entity_row, matched_name, frequent=) -> (ok, reason)`
    decides whether an entity name found in the text stands for that entity there
    (`flagger.engine.hitsite.confirm_entity_site`). `history()`, when given, returns sentence ->
    cue text of those of the given sentences dated well before the article
    (`flagger.engine.history`); it is called only when some rule has hits, with the sentences
    of those hits and the lead sentences (no other sentence's cues are read). `lang`: the article's language when the caller has told
    it (else the negation pattern detects it). `tables`: the rules' `FindingTables` (made here when
    not given; a scanner makes them once)."""
    payloads = compiled.payloads
    term_hits: dict[tuple[int, str], list[TermHit]] = defaultdict(list)
    exclude_hits: dict[int, list[TermHit]] = defaultdict(list)
    cue_hits: list[tuple[int, int, str]] = []   # (first token, end token, kind)
    entity_cands: list[tuple[int, int, float, Payload]] = []

    told = lang in compiled.cue_languages      # (asked once per article, not per payload)
    starts, ends = token_offsets(tokens)
    for cand in candidates:
        press = PRESS in cand.kinds
        if press and not _press_reading_stands(compiled, text, starts, ends, cand):
            continue
        similarity = cand.similarity
        for pid in cand.payloads:
            p = payloads[pid]
            kind = p.kind
            if press and not (kind == "entity" and compiled.entity_rows[p.entity]["type"] == "person"):
                continue
            if kind == "entity":
                entity_cands.append((cand.start, cand.end, similarity, p))
                continue
            if p.exact and not cand.exact_only:
                # a Korean cue takes its endings and particles (부인했 in 부인했다고, 우려 in 우려가)
                if not (kind == "cue" and _hangul_inflected(cand)):
                    continue
            elif similarity < p.threshold:
                continue
            # a language-tagged term ("met @en") is an ordinary word in text told to be in another
            # language flagger reads (as a cue is, below); a text told in none of them ('Pyongyang sent
            # missiles to Moscow.' is told Tagalog) or not told reads it; a cue of another language
            # is an ordinary word there (es 'temen' fear, id 'temen' friend)
            if p.langs and told and lang not in p.langs:
                continue
            if kind == "term":
                term_hits[(p.rule, p.group)].append(TermHit(cand.start, cand.end, similarity, p.term))
            elif kind == "exclude":
                exclude_hits[p.rule].append(TermHit(cand.start, cand.end, similarity, p.term))
            elif kind == "cue":
                cue_hits.append((cand.start, cand.end, p.cue))

    if compiled.regexes and tokens:
        regexes = compiled.regexes
        for k in compiled.regex_set().matching(text):
            regex, p = regexes[k]
            for m in regex.finditer(text):
                span = token_span_for_chars(tokens, starts, m.start(), m.end(), ends)
                if span is None:
                    continue
                hit = TermHit(span[0], span[1], 100.0, p.term)
                if p.kind == "term":
                    term_hits[(p.rule, p.group)].append(hit)
                else:
                    exclude_hits[p.rule].append(hit)

    entities = _resolve_entities(compiled, text, tokens, entity_cands, confirm_site, entity_threshold, (starts, ends))
    if entities:
        _drop_hits_inside_entities(term_hits, entities)
    for match, s, e, row in entities:
        for (r, gname), members in compiled.entity_groups.items():
            if row in members and match.similarity >= compiled.rules[r].groups[gname].entities.min_similarity:
                term_hits[(r, gname)].append(TermHit(s, e, match.similarity, match.name, entity=row))

    # Only a rule with hits in every one of its groups can fire (_rule_windows): sentences, cues,
    # history and negation are looked up only for an article that has one (most have none).
    if tables is None:
        tables = FindingTables(compiled)
    can_fire = tables.can_fire
    rules_with_hits = [r for r in sorted({r for (r, _g) in term_hits}) if can_fire(r, term_hits)]
    fired = []
    if not rules_with_hits:
        return ArticleMatches(tokens, sentence_of, entities, fired, term_hits)
    entity_sentences = {sentence_of[s] for _, s, _, _ in entities}
    framing = compiled.framing
    cues_by_sentence: dict[int, list[tuple[str, str]]] = defaultdict(list)
    voided: dict[int, set[str]] = defaultdict(set)
    lead: list[tuple[str, str]] = []     # cues that frame the whole article (a fact-check headline)
    clause_cues = _ClauseCues(text, tokens, (starts, ends))
    for s, e, kind in cue_hits:
        sent = sentence_of[s]
        if kind.endswith(UNLESS):
            voided[sent].add(kind[:-len(UNLESS)])
            continue
        if kind in framing.clause_kinds:
            clause_cues.add(sent, kind, s, e)
            continue
        cues_by_sentence[sent].append((kind, text[starts[s]:ends[e - 1]]))
    if history is not None:
        # the sentences a window may read: those of the firing candidates' hits, and the lead
        firing = set(rules_with_hits)
        asked = {sentence_of[h.start] for (r, _g), hits in term_hits.items() if r in firing for h in hits}
        for sent, cue in history(asked.union(range(LEAD_SENTENCES))).items():
            cues_by_sentence[sent].append((HISTORY, cue))
    for sent, kinds in voided.items():
        cues_by_sentence[sent] = [c for c in cues_by_sentence.get(sent, ()) if c[0] not in kinds]
        clause_cues.void(sent, kinds)
    if framing.lead_kinds:
        lead = [c for sent in range(LEAD_SENTENCES) for c in cues_by_sentence.get(sent, ())
                if c[0] in framing.lead_kinds]
    negated = _NegationPattern(framing, text, tokens, sentence_of, lang, tables)
    scale = _window_scale(tokens, (starts, ends))

    for r in rules_with_hits:
        windows = _rule_windows(compiled, r, term_hits, exclude_hits.get(r, []), sentence_of,
                                cues_by_sentence, entity_sentences, lead, negated, scale, clause_cues)
        if windows:
            fired.append(FiredRule(r, windows))
    return ArticleMatches(tokens, sentence_of, entities, fired, term_hits)


def _press_reading_stands(compiled: CompiledRules, text: str, starts, ends, cand) -> bool:
    """Whether a candidate with a frequent word read as a name part (alternatives.PRESS) has
    another part of the name beside it (hitsite.press_reading_corroborated). Such a candidate is
    used only as a person's name: rule terms and other entities never take the reading."""
    written = [normalize_token(text[starts[i]:ends[i]]) for i in range(cand.start, cand.end)]
    return press_reading_corroborated(cand.key, cand.kinds, written, compiled.index.alternatives().frequent(),
                                      PRESS)


def _resolve_entities(compiled, text, tokens, cands, confirm_site, threshold, offsets=None):
    """Best entity per token span; drop spans inside a longer accepted span; confirm at the site.
    `offsets`: the tokens' (starts, ends) when the caller has them."""
    best: dict[tuple[int, int, int], tuple[float, Payload]] = {}
    for s, e, sim, p in cands:
        score = sim * (0.9 if p.weak else 1.0)
        if score < threshold:
            continue
        k = (s, e, p.entity)
        if k not in best or score > best[k][0]:
            best[k] = (score, p)
    ordered = sorted(best.items(), key=lambda kv: (-(kv[0][1] - kv[0][0]), -kv[1][0], kv[0][0]))
    # Accepted spans by start token; a containment test looks back at most the longest span's
    # length (a list scan per candidate was quadratic: minutes for an article with 10k names).
    taken: dict[int, list[int]] = {}
    longest = 0
    out = []
    seen_entity_spans = set()
    starts, ends = offsets or token_offsets(tokens)
    for (s, e, row), (score, p) in ordered:
        if any(e <= te and (ts, te) != (s, e) for ts in range(s, max(-1, s - longest - 1), -1)
               for te in taken.get(ts, ())):
            continue
        ent = compiled.entity_rows[row]
        start_c, end_c = starts[s], ends[e - 1]
        if ent["type"] == "vessel" and e - s == 1 and not (_vessel_context(text, starts, ends, s, e)
                                                           or ship_suffixed(text, start_c, end_c)):
            continue
        corroborated = ""
        if _needs_corroboration(compiled, p, text, starts, ends, s, e, ent["type"]) and not _own_surname(p, ent):
            corroborated = _corroboration(text, starts, ends, s, e, ent)
            if not corroborated:
                continue
        ok, reason = confirm_site(text, start_c, end_c, ent, p.name, frequent=compiled.index.alternatives().frequent())
        if not ok:
            continue
        if corroborated:
            reason = f"{reason}; {corroborated}" if reason else corroborated
        if (s, e, row) in seen_entity_spans:
            continue
        seen_entity_spans.add((s, e, row))
        taken.setdefault(s, []).append(e)
        longest = max(longest, e - s)
        note = f"matched {p.name!r}" + (" (weak alias)" if p.weak else "") + f" at {score:.1f}"
        if reason:
            note += f"; {reason}"
        out.append((EntityMatch(
            entity_id=ent["id"], name=ent["name"], matched_name=p.name, type=ent["type"] or "",
            list=ent["list"] or "", programs=list(ent["programs"] or []), similarity=round(score, 2),
            matched_text=text[start_c:end_c], start=start_c, end=end_c, explanation=note,
        ), s, e, row))
    out.sort(key=lambda x: (x[1], x[0].entity_id))
    return out


def _drop_hits_inside_entities(term_hits: dict[tuple[int, str], list[TermHit]], entities) -> None:
    """A matched entity's own words are its name, not rule evidence: "Missile" in "Missile
    General Bureau" is no arms term."""
    spans = [(s, e) for _m, s, e, _row in entities]
    covered = {i for s, e in spans for i in range(s, e)}    # a hit starting elsewhere is inside no name
    for key, hits in term_hits.items():
        # a term that is the whole name (a rule listing the entity by name) stays evidence, and so
        # does a country in it ("Iran" of "Iran Air" says whose it is, unlike "Missile" what it did)
        kept = [h for h in hits if h.entity >= 0 or h.start not in covered or not any(
            s <= h.start and h.end <= e and h.end - h.start < e - s for s, e in spans) or known_country(h.term)]
        if len(kept) != len(hits):
            term_hits[key] = kept
    for key in [k for k, hits in term_hits.items() if not hits]:
        del term_hits[key]


# How far (tokens) from a one-word name its corroboration may stand: the entity's other name parts.
CORROBORATION_TOKENS = 12
_NOT_NAME_PARTS = frozenset({"the", "and", "of", "for"})


def _needs_corroboration(compiled: CompiledRules, p: Payload, text: str, starts, ends, s: int, e: int,
                         etype: str | None) -> bool:
    """A one-word name or alias that is a frequent word of a news language ("Maria", "Atlantic",
    "Lazarus"), an alias made of frequent words only, and any weak alias (an OFAC remark's
    a.k.a.) is words before it is a name."""
    if p.weak:
        return True
    if e - s == 1:
        return normalize_token(text[starts[s]:ends[s]]) in compiled.index.alternatives().frequent()
    # an organisation's alias made of common words only ("Ministry of Defence", the UN list's
    # strong alias of the DPRK ministry) names any country's body; the primary name stands alone
    # (hitsite.generic_name)
    return etype == "organisation" and p.name != p.term and generic_name(p.name)


def _own_surname(p: Payload, ent: dict) -> bool:
    """A person's strong one-word alias that is the last word of another of their names
    ("Putin" of "Vladimir Putin", "Путин" of "Владимир Путин"): the press's short form of that
    person, not a word that happens to be listed."""
    if p.weak or ent.get("type") != "person":
        return False
    word = normalize_text(p.name)
    names = [ent["name"], *[a["name"] for a in ent.get("aliases") or [] if a["strength"] == "strong"],
             *(ent.get("original_names") or [])]
    return len(word) == 1 and any(len(t := normalize_text(n)) > 1 and t[-1] == word[0] for n in names if n)


def _corroboration(text: str, starts, ends, s: int, e: int, ent: dict) -> str:
    """Why a one-word or weak name stands for `ent` here ("" when nothing says so): another part
    of the entity's names nearby, its country named nearby, one of its identifiers in the
    article, a ship word right beside a vessel's name, a title right before a person's."""
    own = {normalize_token(text[starts[i]:ends[i]]) for i in range(s, e)}
    names = [ent["name"], *[a["name"] for a in ent.get("aliases") or []], *(ent.get("original_names") or [])]
    parts = {t for n in names if n for t in normalize_text(n) if len(t) >= 3} - _NOT_NAME_PARTS - own
    lo, hi = max(0, s - CORROBORATION_TOKENS), min(len(starts), e + CORROBORATION_TOKENS)
    near = [normalize_token(text[starts[i]:ends[i]]) for i in range(lo, hi) if not s <= i < e]
    found = sorted(parts.intersection(near))
    if found:
        return f"corroborated by its other name part {found[0]!r} nearby"
    countries = {c for c in ent.get("countries") or [] if c}
    named = {code for i in range(len(near)) for n in (1, 2) for phrase in (" ".join(near[i:i + n]),)
             if (code := known_country(phrase) or (phrase.endswith("s") and known_country(phrase[:-1])))
             } if countries else set()    # "North Korea's" is read "north koreas"
    if countries & named:
        return f"corroborated by its country ({', '.join(sorted(countries & named))}) named nearby"
    for ident in ent.get("identifiers") or []:
        value = (ident.get("value") or "").strip()
        if len(value) >= 5 and value in text:
            return f"corroborated by its {ident.get('scheme') or 'identifier'} {value} in the text"
    if ent.get("type") == "vessel":
        beside = [normalize_token(text[starts[i]:ends[i]]) for i in (s - 2, s - 1, e) if 0 <= i < len(starts)]
        if vessel_words().intersection(beside):
            return "vessel name corroborated by a ship word beside it"
    if ent.get("type") == "person" and s > 0 and fold(text[starts[s - 1]:ends[s - 1]]) in title_tokens():
        return f"corroborated by the title {text[starts[s - 1]:ends[s - 1]]!r} before it"
    return ""


def _vessel_context(text: str, starts, ends, s: int, e: int) -> bool:
    """A one-word vessel name needs a ship word nearby ("the tanker Angara")."""
    words = vessel_words()
    lo, hi = max(0, s - VESSEL_CONTEXT_TOKENS), min(len(starts), e + VESSEL_CONTEXT_TOKENS)
    return any(normalize_token(text[starts[i]:ends[i]]) in words for i in range(lo, hi) if not s <= i < e)


class _ClauseCues:
    """Cues of a `scope: clause` kind (cues.yaml), by sentence. Such a cue frames the evidence of
    its sentence, except when it stands after all of it in a clause of its own that does not hold
    the rule's whole evidence (a word of each of its groups): then it comments on an act the
    sentence reports ("North Korea shipped shells to Russia, which the embargo prohibits") instead
    of describing what is banned ("Supplying arms to North Korea, including gifts, and buying its
    munitions are prohibited")."""

    def __init__(self, text: str, tokens: list[Token], offsets=None):
        self.text, self.tokens = text, tokens
        self.starts, self.ends = offsets or token_offsets(tokens)
        self._by_sentence: dict[int, list[tuple[str, int, int]]] = {}

    def __bool__(self) -> bool:
        return bool(self._by_sentence)

    def add(self, sent: int, kind: str, s: int, e: int) -> None:
        self._by_sentence.setdefault(sent, []).append((kind, s, e))

    def void(self, sent: int, kinds: set[str]) -> None:
        if sent in self._by_sentence:
            self._by_sentence[sent] = [c for c in self._by_sentence[sent] if c[0] not in kinds]

    def framing(self, sentences, chosen: list[TermHit], events) -> list[tuple[str, str]]:
        """The cues that frame the window `chosen`; `events`: (start, group, hit) of all the rule's hits."""
        starts, ends, text = self.starts, self.ends, self.text
        last = max(h.end for h in chosen)
        out = []
        for sent in sorted(sentences):
            for kind, s, e in self._by_sentence.get(sent, ()):
                if s >= last:
                    breaks = list(_CLAUSE.finditer(text, ends[last - 1], starts[s]))
                    if breaks:
                        cut = breaks[-1].end()
                        groups = {c for start, c, _h in events if start < s and starts[start] >= cut}
                        if len(groups) < len(chosen):
                            continue
                out.append((kind, text[starts[s]:ends[e - 1]]))
        return out


class _NegationPattern:
    """A negator governing an evidence word: at most `reach` words before it (or after it, for
    verb-final negation), with no clause boundary between; in scripts without spaces, a negator
    within CHAR_REACH characters. Called per evidence hit; returns the cue text or "". `tables`:
    the scanner's `FindingTables` (negator lists and word forms kept across articles)."""

    def __init__(self, framing: Framing, text: str, tokens: list[Token], sentence_of=None, lang: str | None = None,
                 tables: FindingTables | None = None):
        self.f, self.text, self.tokens = framing, text, tokens
        self._tables = tables if tables is not None and tables.framing is framing else None
        self.sentence_of = sentence_of
        self._lang = lang
        self._norm: dict[int, str] = {}
        self._lists: tuple[frozenset[str], tuple[str, ...]] | None = None
        self._affix: tuple | None = None
        self._found: dict[tuple[int, int], str] = {}
        self._gaps: dict[tuple[int, int], bool] = {}   # (i, j) -> _apart(i, j): hits near each other ask again
        self._token_offsets: tuple[list[int], list[int]] | None = None

    def lang(self) -> str:
        if self._lang is None:
            self._lang = detect_language(self.text)
        return self._lang

    def lists(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """The negators of the article's language (told once, on the first evidence word asked)."""
        if self._lists is None:
            if self._tables is not None:
                self._lists = self._tables.negators(self.lang())
            else:
                before, after = self.f.negators(self.lang())
                self._lists = before, tuple(after)
        return self._lists

    def _affix_pattern(self) -> re.Pattern | None:
        """The negated-verb pattern of the article's language (None: it has none)."""
        if self._affix is None:
            self._affix = self.f.affix_negation(self.lang())
        return self._affix[0]

    def affixed(self, i: int) -> bool:
        """Whether token `i` is a verb negated by an affix of the article's language."""
        pattern = self._affix_pattern()
        unless = self._affix[1]
        if pattern is None:
            return False
        starts, ends = self._offsets()
        word = affix_word(self.text[starts[i]:ends[i]])
        return word not in unless and pattern.fullmatch(word) is not None

    def _apart(self, i: int, j: int) -> bool:
        """A clause boundary (or a sentence's end) between tokens i < j."""
        apart = self._gaps.get((i, j))
        if apart is None:
            starts, ends = self._offsets()
            apart = self._gaps[(i, j)] = (
                (self.sentence_of is not None and self.sentence_of[i] != self.sentence_of[j])
                or _CLAUSE.search(self.text, ends[i], starts[j]) is not None)
        return apart

    def norm(self, i: int) -> str:
        n = self._norm.get(i)
        if n is None:
            starts, ends = self._offsets()
            raw = self.text[starts[i]:ends[i]]
            if self._tables is not None:
                n = self._norm[i] = self._tables.negation_form(raw)
            else:
                n = self._norm[i] = normalize_token(raw.replace("\u2019", "'")).replace("'", "")
        return n

    def __call__(self, h: TermHit) -> str:
        key = (h.start, h.end)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._find(h)
        return found

    def _open_from(self, lo: int, j: int) -> int:
        """The first token of tokens lo..j with no clause boundary between it and token j (what
        stepping back from j with `_apart` finds): the sentence and the last clause mark between
        them, looked up once instead of per pair of tokens."""
        sentence_of = self.sentence_of
        starts, ends = self._offsets()
        if lo >= j:
            return j
        if sentence_of is not None and sentence_of[lo] != sentence_of[j]:
            if not hasattr(sentence_of, "span"):       # a plain list of sentence numbers: step
                while lo < j and not self._apart(j - 1, j):
                    j -= 1
                return j
            # j's sentence starts after lo: from its first token on
            lo = bisect_left(starts, sentence_of.span(sentence_of[j])[0], lo, j)
            if lo >= j:
                return j
        marks = [m.start() for m in _CLAUSE.finditer(self.text, ends[lo], starts[j])]
        if not marks:
            return lo
        k = bisect_right(ends, marks[-1], lo, j) - 1    # the last mark is in the gap after token k
        if marks[-1] >= starts[k + 1]:       # inside a token (no token holds one): step
            while lo < j and not self._apart(j - 1, j):
                j -= 1
            return j
        return k + 1

    def _open_to(self, i: int, hi: int) -> int:
        """The last token of tokens i..hi with no clause boundary between token i and it."""
        sentence_of = self.sentence_of
        starts, ends = self._offsets()
        if i >= hi:
            return i
        if sentence_of is not None and sentence_of[i] != sentence_of[hi]:
            if not hasattr(sentence_of, "span"):
                while i < hi and not self._apart(i, i + 1):
                    i += 1
                return i
            # i's sentence ends before hi: up to its last token
            hi = bisect_left(starts, sentence_of.span(sentence_of[i])[1], i, hi) - 1
            if i >= hi:
                return i
        mark = _CLAUSE.search(self.text, ends[i], starts[hi])
        if mark is None:
            return hi
        k = bisect_right(ends, mark.start(), i, hi) - 1
        if mark.start() >= starts[k + 1]:       # inside a token (no token holds one): step
            while i < hi and not self._apart(i, i + 1):
                i += 1
            return i
        return k

    def _offsets(self) -> tuple[list[int], list[int]]:
        if self._token_offsets is None:
            self._token_offsets = token_offsets(self.tokens)
        return self._token_offsets

    def _find(self, h: TermHit) -> str:
        f, text, tokens = self.f, self.text, self.tokens
        if not f.pattern_kind:
            return ""
        starts, ends = self._offsets()
        first_start, last_end = starts[h.start], ends[h.end - 1]
        before, after = self.lists()
        if before and h.start > 0:
            # the words before the evidence, nearest first, back to a clause boundary or `reach`
            for i in range(h.start - 1, self._open_from(max(0, h.start - f.reach), h.start) - 1, -1):
                if self.norm(i) in before:
                    nxt = self.norm(i + 1)
                    if nxt in f.not_before or nxt.isdigit():
                        continue
                    return text[starts[i]:last_end]
        if f.before_chars:
            seg = text[max(0, first_start - CHAR_REACH):first_start]
            seg = _CLAUSE.split(seg)[-1]
            for w in f.before_chars:
                if w in seg:
                    return w + "…" + text[first_start:last_end]
        if after and h.end < len(tokens):
            # the words after it, up to a clause boundary or `reach`
            for i in range(h.end, self._open_to(h.end - 1, min(len(tokens), h.end + f.reach) - 1) + 1):
                if self.norm(i).startswith(after):     # any of the tuple's words, in one C call
                    return text[first_start:ends[i]]
        if f.affix and self._affix_pattern() is not None:
            # a verb negated by an affix: the evidence word itself (göndermedi), or a word within
            # `reach` of it in its clause (topçu mermisi göndermedi; ارسال نکرد); only in a
            # language with such a pattern (`affixed` is never true in another)
            lo = self._open_from(max(0, h.start - f.reach), h.start)
            hi = self._open_to(h.end - 1, min(len(tokens), h.end + f.reach) - 1) + 1
            for i in (*range(h.start, h.end), *range(h.end, hi), *range(h.start - 1, lo - 1, -1)):
                if self.affixed(i) and not (i + 1 < len(tokens) and self.norm(i + 1) in f.not_before):
                    s, e = min(first_start, starts[i]), max(last_end, ends[i])
                    return text[s:e]
        if f.after_chars:
            seg = _CLAUSE.split(text[last_end:last_end + CHAR_REACH])[0]
            for w in f.after_chars:
                if w in seg:
                    return text[first_start:last_end] + "…" + w
        return ""


def _window_scale(tokens: list[Token], offsets=None) -> int:
    """A rule's `within` counts words; where most tokens are single characters of a script written
    without spaces (Chinese, Japanese, Thai...), a word is about two tokens, so windows double."""
    if not tokens:
        return 1
    n = min(len(tokens), 400)
    text = getattr(tokens, "text", None)
    if text is not None:
        # one C scan of the sampled words' stretch of text decides the common case (no script
        # cut into characters there), without a Token or a string per word
        starts, ends = offsets or token_offsets(tokens)
        span = text[starts[0]:ends[n - 1]]
        if span.isascii() or not _NO_SPACES(non_ascii(span)):     # (those scripts are not ASCII)
            return 1
        sample = [text[starts[i]:ends[i]] for i in range(n)]
    else:
        sample = [tokens[i].raw for i in range(n)]
    chars = sum(1 for r in sample if len(r) <= 2 and not r.isascii() and _NO_SPACES(r))
    return WORD_TOKENS if chars * 2 > len(sample) else 1


def _categories(compiled, r: int, term_hits) -> list[list[TermHit]]:
    """Rule `r`'s hits per category: one list per `all` group, then one for its `any` groups."""
    rule = compiled.rules[r]
    categories: list[list[TermHit]] = [term_hits.get((r, g), []) for g in rule.all_of]
    if rule.any_of:
        categories.append([h for g in rule.any_of for h in term_hits.get((r, g), [])])
    return categories


def _rule_windows(compiled, r, term_hits, excludes, sentence_of, cues_by_sentence, entity_sentences,
                  lead=(), negated=None, scale=1, clause_cues=None):
    rule = compiled.rules[r]
    categories = _categories(compiled, r, term_hits)
    if any(not hits for hits in categories):
        return []
    if negated is not None:
        # A category's negated words ("did not send") give way to its other words in the
        # article ("...shipped shells"): the finding elsewhere keeps its weight.
        for c, hits in enumerate(categories):
            plain = [h for h in hits if h.entity >= 0 or not negated(h)]
            if plain and len(plain) < len(hits):
                categories[c] = plain
    events = sorted(((h.start, c, h) for c, hits in enumerate(categories) for h in hits), key=lambda x: (x[0], x[1]))
    ncat = len(categories)
    within = rule.within * scale if rule.within is not None else None
    windows: list[Window] = []
    if within is None and not rule.same_sentence:
        chosen = [max(hits, key=lambda h: (h.similarity, -h.start)) for hits in categories]
        candidates = [chosen]
    else:
        candidates = []
        for li in range(len(events)):
            first = events[li][2]
            best: dict[int, TermHit] = {}
            for rj in range(li, len(events)):
                start, c, h = events[rj]
                if within is not None and start - first.start > within:
                    break
                if rule.same_sentence and sentence_of[start] != sentence_of[first.start]:
                    break
                if c not in best or h.similarity > best[c].similarity:
                    best[c] = h
                if len(best) == ncat:
                    candidates.append([best[k] for k in range(ncat)])
                    break
    used: set[int] = set()
    for chosen in candidates:
        starts = [h.start for h in chosen]
        if excludes and _excluded(chosen, excludes, rule):
            continue
        key = min(starts)
        if key in used:
            continue
        used.add(key)
        distance = max(starts) - min(starts)
        sim = sum(h.similarity for h in chosen) / len(chosen)
        sentences = {sentence_of[h.start] for h in chosen}
        found = [c for sent in sorted(sentences) for c in cues_by_sentence.get(sent, ())] + list(lead)
        if clause_cues:
            found += clause_cues.framing(sentences, chosen, events)
        if negated is not None:
            kind = compiled.framing.pattern_kind
            found += [(kind, cue) for h in chosen if h.entity < 0 for cue in (negated(h),) if cue]
        modifier, mods = 1.0, []
        for kind, cue_text in found:
            mult = rule.modifiers.get(kind, compiled.cue_multipliers.get(kind, 1.0))
            mods.append(f"{kind}:{cue_text}")
            modifier = min(modifier, mult)
        bonus = any(h.entity >= 0 for h in chosen) or bool(sentences & entity_sentences)
        windows.append(Window(chosen, distance, sim, modifier, sorted(set(mods)), bonus))
        if len(windows) >= 20:
            break
    return windows


def _excluded(chosen: list[TermHit], excludes: list[TermHit], rule) -> bool:
    """An exclusion hit near the evidence (its term's own `within`, else the rule's; none = anywhere)."""
    per_term = {t.text: t.within for t in rule.exclude_terms if t.within is not None}
    for ex in excludes:
        within = per_term.get(ex.term, rule.exclude_within)
        if within is None:
            return True
        for h in chosen:
            if ex.start <= h.end + within and h.start <= ex.end + within:
                return True
    return False
