"""Index candidates for Latin list names written in other scripts (names.scripts).

The phrase index finds a name token by token through each token's alternatives; a Latin name
transcribed into Arabic, Hangul, Georgian, Greek ... script is found here instead, because it
needs the words around it (every word of the name in order, or the word for the entity's kind
beside it) before a sound key may stand for a listed word. What it finds joins the index's
candidates, so site verification, corroboration and rule entity groups treat it as any other
entity mention.
"""

from __future__ import annotations

from pathlib import Path

from flagger.collector import paused
from flagger.engine import cache
from flagger.engine.alternatives import EQUIV
from flagger.engine.phrases import _END, Candidate, PhraseIndex
from flagger.names.scripts import LatinNames, to_read

# Similarity of a transcribed name: above the default entity threshold (90), below any spelling
# found letter by letter; a weak alias (x 0.9) stays below it, so a remark's a.k.a. is never found so.
TRANSCRIBED_SIMILARITY = 93.0


class TranscribedNames:
    """The entity names of a phrase index, read in other scripts; made on first use (a scan that
    meets no such script never pays for it). `index_file`: where the compiled index is cached
    (`CompiledRules.cache_file`); the names are then kept beside it (`scripts-<key>.pickle`) and
    later processes load them instead of walking the index again (default list: 232k names, built
    in 0.8-1.1 CPU s, loaded in ~0.25 s), with the wordfreq lists and keys `LatinNames.prepare`
    makes (~4 CPU s when built; a process that read a few scripts' texts made them itself)."""

    def __init__(self, index: PhraseIndex, payloads, index_file: Path | None = None):
        self._index = index
        self._payloads = payloads
        self._names: LatinNames | None = None
        self._ends: dict[tuple[str, ...], tuple[int, ...]] = {}
        self._file = cache.companion_path(index_file, "scripts")

    def _made(self) -> LatinNames:
        """The names from the cache file when it holds them, else built (and stored there)."""
        with paused():      # ~10^6 containers, none of them garbage (as for the index itself)
            stored = cache.load(self._file) if self._file is not None else None
            if (isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], dict)
                    and isinstance(stored[1], LatinNames)):
                self._ends = stored[0]
                return stored[1]
            names = self._build()
            if self._file is not None:
                names.prepare()       # stored with them: later processes load what it makes
        if self._file is not None:
            cache.store(self._file, (self._ends, names))
        return names

    def _build(self) -> LatinNames:
        payloads = self._payloads
        stack: list[tuple[tuple[str, ...], dict]] = [((), self._index.tree())]
        while stack:
            key, node = stack.pop()
            for tok, child in node.items():
                if tok == _END:
                    # (names of one word are the index's own: names.scripts reads 2+ words)
                    if len(key) >= 2 and any(payloads[p].kind == "entity" for p in child):
                        # the Latin names first: the report names the spelling the text was read as
                        self._ends[key] = tuple(sorted(child, key=lambda p: not payloads[p].name.isascii()))
                elif tok.isascii() and tok.isalpha():
                    stack.append(((*key, tok), child))
        return LatinNames(self._ends)

    def candidates(self, text: str, tokens) -> list[tuple[Candidate, str]]:
        """(candidate, how it was read) for the transcribed list names in one article ([] when it
        has no word in one of those scripts: one regex search)."""
        if not to_read(text):
            return []
        if self._names is None:
            self._names = self._made()
        raws = [t.raw for t in tokens]
        between = [text[tokens[k].end:tokens[k + 1].start] for k in range(len(raws) - 1)]
        out = []
        seen = set()
        for start, end, name, why in self._names.find(raws, between):
            if (start, end, name) in seen:
                continue
            seen.add((start, end, name))
            out.append((Candidate(start, end, name, self._ends[name], TRANSCRIBED_SIMILARITY,
                                  (EQUIV,) * len(name), False), why))
        return out


def explain(matches, transcribed: list[tuple[Candidate, str]]) -> None:
    """Say in each entity match found through a transcribed candidate how its words were read
    ("... ; 'لازاروس' read as 'lazarus' beside 'مجموعة' (group; arabic script)")."""
    why = {(c.start, c.end): reason for c, reason in transcribed}
    for match, s, e, _row in matches.entities:
        reason = why.get((s, e))
        if reason and match.similarity == TRANSCRIBED_SIMILARITY:
            match.explanation = f"{match.explanation}; {reason}"
