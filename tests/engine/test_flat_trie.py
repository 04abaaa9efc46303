"""The compiled index keeps its phrase trie as flat arrays (flagger.engine.phrases.FlatTrie): it reads
as the dict trie it was made from (the same keys, payloads, order and shared subtrees), pickles as
arrays, matches as an index still taking keys, and an index cached in the older layout (a dict trie,
cache format 1) is never read as one of this layout."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import flagger.engine.compile as compile_mod
from flagger.engine import cache
from flagger.engine.compile import _share_subtrees
from flagger.engine.phrases import _END, FlatTrie, PhraseIndex
from flagger.entities.loading import load_entity_lists
from flagger.rules.loader import load_rule_packs


def walk(trie: dict) -> list[tuple[tuple[str, ...], tuple[int, ...] | None]]:
    """Every node in depth-first order, keys in the node's order: (path, its payloads or None)."""
    out = []

    def visit(path, node):
        for tok, child in node.items():
            if tok == _END:
                out.append((path, tuple(child)))
            else:
                out.append(((*path, tok), None))
                visit((*path, tok), child)

    visit((), trie)
    return out


def nodes(trie: dict) -> set[int]:
    seen: set[int] = set()
    stack = [trie]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            stack.extend(child for tok, child in node.items() if tok != _END)
    return seen


def build(keys: list[tuple[tuple[str, ...], int]]) -> PhraseIndex:
    index = PhraseIndex()
    for key, pid in keys:
        index.add(key, pid)
    return index


KEYS = [(("kim", "jong", "un"), 0), (("kimjong", "un"), 0), (("kim", "jongun"), 0), (("kimjongun",), 0),
        (("park", "un"), 1), (("kim",), 2), (("kim", "yo", "jong"), 3)]


def _shared(keys) -> PhraseIndex:
    index = build(keys)
    _share_subtrees(index)
    return index


def test_a_flat_trie_is_the_dict_trie_it_was_made_from():
    index = _shared(KEYS)
    flat = FlatTrie.of(index.trie)
    assert walk(flat.tree()) == walk(index.trie)
    assert len(nodes(flat.tree())) == len(nodes(index.trie))       # a shared subtree stays one node
    tree = flat.tree()
    assert tree["kim"]["jong"]["un"] is tree["kimjongun"] is tree["kim"]["jongun"]
    assert tree["kim"]["jong"]["un"][_END] == (0,)
    # arrays, not a Python object per node
    assert isinstance(flat.edges, np.ndarray) and isinstance(flat.edge_word, np.ndarray)
    assert len(flat.edges) == len(nodes(index.trie)) + 1


def test_a_node_is_read_one_level_at_a_time():
    flat = FlatTrie.of(_shared(KEYS).trie)
    kim = flat["kim"]
    assert list(kim) == ["jong", "jongun", _END, "yo"]          # the entries in the order added
    assert kim[_END] == (2,)
    assert all(isinstance(kim[w], int) for w in ("jong", "jongun", "yo"))  # children by number
    assert flat.node(kim["jong"]) == {"un": kim["jongun"]}
    assert flat.node(kim["jongun"]) == {_END: (0,)}
    assert flat.node(kim["jong"]) is flat.node(kim["jong"])     # made once
    assert flat.get("nobody") is None and flat.get("nobody", {}) == {}
    assert "park" in flat and "un" not in flat and len(flat) == 4
    with pytest.raises(KeyError):
        flat["un"]


def test_equal_payloads_are_one_tuple():
    # the similarity floors are kept per payload tuple's identity (flagger.scanner._similarity_floor)
    flat = FlatTrie.of(_shared([(("ab",), 5), (("cd",), 5), (("ab", "cd"), 5)]).trie)
    assert flat["ab"][_END] is flat["cd"][_END] is flat.node(flat["ab"]["cd"])[_END] == (5,)


def test_a_flat_trie_pickles_as_its_arrays():
    flat = FlatTrie.of(_shared(KEYS).trie)
    flat["kim"]                                         # a node made before pickling is not stored
    assert flat.__getstate__()[0] == flat.words
    loaded = pickle.loads(pickle.dumps(flat, protocol=pickle.HIGHEST_PROTOCOL))
    assert not loaded._nodes                             # no node, until one is read
    assert walk(loaded.tree()) == walk(flat.tree())


def test_a_compiled_index_matches_as_one_still_taking_keys(fixtures):
    packs = load_rule_packs([str(fixtures / "rules" / "basic.yaml")])
    entities = load_entity_lists([str(fixtures / "entities" / "news_names.csv")], default_entities=False)
    compiled = compile_mod._compile_rules(packs, entities)
    assert isinstance(compiled.index.trie, FlatTrie)
    loaded = pickle.loads(pickle.dumps(compiled.without_inputs(), protocol=pickle.HIGHEST_PROTOCOL))
    assert isinstance(loaded.index.trie, FlatTrie) and loaded.index._word_ids().trie is loaded.index.trie
    # the same keys added one by one to a new index (a dict trie, flattened at its first match)
    plain = PhraseIndex()
    for key, payloads in walk(compiled.index.tree()):
        for pid in payloads or ():
            plain.add(key, pid)
    plain.fuzzy_vocabulary = set(compiled.index.fuzzy_vocabulary)
    assert walk(plain.trie) == walk(compiled.index.tree())
    texts = [["korea", "mining", "development", "trading", "corporation"], ["kim", "jong", "un", "said"],
             ["the", "korea", "minning", "development", "corp"]]
    for index in (compiled.index, loaded.index):
        assert index.match_many(texts, "en", index.alternatives()) == \
            plain.match_many(texts, "en", plain.alternatives())


def test_first_key_words_are_found_through_the_word_ids(fixtures):
    packs = load_rule_packs([str(fixtures / "rules" / "basic.yaml")])
    entities = load_entity_lists([str(fixtures / "entities" / "news_names.csv")], default_entities=False)
    compiled = compile_mod._compile_rules(packs, entities)
    loaded = pickle.loads(pickle.dumps(compiled.without_inputs(), protocol=pickle.HIGHEST_PROTOCOL)).index
    texts = [["korea", "mining", "development", "trading", "corporation"], ["the", "korea", "minning", "corp"]]
    loaded.match_many(texts, "en", loaded.alternatives())
    assert 0 not in loaded.trie._nodes            # matching never made the root's dict of first words
    words = loaded._word_ids()
    tree = compiled.index.tree()
    seconds = {w for node in tree.values() for w in node if w != _END}
    assert tree and all(walk({w: loaded.trie.tree_of(words.first(w))}) == walk({w: node}) for w, node in tree.items())
    assert all(words.first(w) is None for w in seconds - tree.keys())
    assert words.first("minning") is None and words.first("never-seen") is None   # a text word, an unknown one
    assert all(words.first_by_id(words.ids[w]) is words.first(w) for w in tree)


def test_the_cache_format_is_part_of_the_key(fixtures, monkeypatch):
    # an index cached by flagger with the dict trie (format 1) has another key: never loaded as flat
    packs = load_rule_packs([str(fixtures / "rules" / "basic.yaml")])
    entities = load_entity_lists([str(fixtures / "entities" / "small.csv")], default_entities=False)
    key = cache.content_key(packs, entities)
    assert cache.FORMAT >= 2
    cache.code_fingerprint.cache_clear()
    monkeypatch.setattr(cache, "FORMAT", 1)
    try:
        assert cache.content_key(packs, entities) != key
    finally:
        cache.code_fingerprint.cache_clear()
