"""The batch scan path (`tokenize_batch`, word ids through numpy) finds exactly what the reference
path finds: `tokenize` per text and each text's normalised words as a Python list
(`ArticleScanner._prepare_batch(batch, reference=True)`), on generated batches (hypothesis)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flagger.model import Record

CI = bool(os.environ.get("CI"))
# Words the fixture pack and list index (names, terms, their typos and inflections), words that
# begin keys, scripts cut into characters, elisions, hiding characters and sentence breaks.
PIECES = st.sampled_from([
    "North Korea", "North Koreas", "Nrth Korea", "DPRK", "Pyongyang", "Pyongyangs", "Kim Jong Un", "Kim Jong-un",
    "Kim Chong-un", "Kin Jong Un", "김정은", "김정은이", "Путин", "Владимир Путин", "Ирану", "Vladimir Putin",
    "Korea Mining Development Trading Corporation", "KOMID", "Wise Honest", "the tanker", "artillery shells",
    "artilery shell", "ammunition", "ship-to-ship transfer", "shell company", "KN-23", "Russia", "joint military exercise",
    "allegedly", "denied", "not", "l'Iran", "dell'UE", "Ch'oe", "平壤", "北朝鮮", "\u200b", "\u00ad", "e\u0301",
    "\U0001F4A3", "'", "\u2019", "-", ", ", ". ", " ", " ", " ", "\n", "\n\n", "A" * 60,
])
ARTICLE = st.lists(st.one_of(PIECES, PIECES, PIECES, st.text(max_size=8)), max_size=50).map("".join)


@settings(max_examples=60, deadline=None, derandomize=CI, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ARTICLE, min_size=1, max_size=10))
def test_the_batch_path_gives_the_reference_paths_candidates_and_hits(test_scanner, texts):
    batch = [Record(id=f"r{i}", text=t, error="" if t.strip() else "empty") for i, t in enumerate(texts)]
    fast = test_scanner._prepare_batch(batch)
    slow = test_scanner._prepare_batch(batch, reference=True)
    assert len(fast) == len(slow) == len(batch)
    for (record, a), (_same, b) in zip(fast, slow, strict=True):
        if b is None:
            assert a is None
            continue
        (tokens_a, lang_a, cands_a), (tokens_b, lang_b, cands_b) = a, b
        assert list(tokens_a) == list(tokens_b)
        assert lang_a == lang_b
        assert cands_a == cands_b
        ra, rb = test_scanner._scan_one(record, a), test_scanner._scan_one(record, b)
        assert ra.hits == rb.hits
        assert (ra.score, ra.level, ra.rules, ra.entities) == (rb.score, rb.level, rb.rules, rb.entities)


def test_the_batch_path_finds_names_terms_and_typos_as_the_reference_does(test_scanner):
    texts = [
        "North Korea sent artillery shells to Russia, Kim Jong-un said; the tanker Wise Honest sailed.",
        "Пхеньян передал боеприпасы. Владимир Путин встретил Ким Чен Ына.",
        "L'artilery shell et l'Iran: KOMID, Korea Mining Development Trading Corporation.",
        "北朝鮮の平壤で김정은이 ammunition",
    ]
    batch = [Record(id=f"r{i}", text=t) for i, t in enumerate(texts)]
    fast = [test_scanner._scan_one(r, d) for r, d in test_scanner._prepare_batch(batch)]
    slow = [test_scanner._scan_one(r, d) for r, d in test_scanner._prepare_batch(batch, reference=True)]
    assert [r.hits for r in fast] == [r.hits for r in slow]
    assert any(h.kind == "entity" for h in fast[0].hits) and fast[0].rules
