"""The compiled phrase trie shares its equal subtrees (flagger.engine.compile._share_subtrees):
the same keys, payloads and walk order as the trie it was made from, with fewer objects; and a
compiled index pickles and loads to the same payloads.

The compiled index keeps that trie as flat arrays (flagger.engine.phrases.FlatTrie): it reads as the
dict trie it was made from (the same keys, payloads, order and shared subtrees), pickles as arrays,
matches as an index still taking keys, and an index cached in the older layout (a dict trie, cache
format 1) is never read as one of this layout."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flagger.engine.compile as compile_mod
from flagger.engine import cache
from flagger.engine.compile import Payload, _share_subtrees
from flagger.engine.phrases import _END, FlatTrie, PhraseIndex, _unique
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


def test_the_keys_of_one_name_end_in_one_leaf():
    index = build([(("kim", "jong", "un"), 0), (("kimjong", "un"), 0), (("kim", "jongun"), 0),
                   (("kimjongun",), 0), (("park", "un"), 1)])
    plain = copy.deepcopy(index.trie)
    _share_subtrees(index)
    assert walk(index.trie) == walk(plain)
    trie = index.trie
    leaf = trie["kimjongun"]
    assert leaf == {_END: (0,)}
    assert trie["kim"]["jong"]["un"] is leaf and trie["kim"]["jongun"] is leaf
    assert trie["kimjong"] is trie["kim"]["jong"]           # {"un": leaf}: one subtree
    assert trie["park"]["un"] is not leaf and trie["park"]["un"] == {_END: (1,)}
    assert len(nodes(trie)) < len(nodes(plain))


def test_nodes_with_the_same_keys_in_another_order_stay_apart():
    # a walk meets a node's keys in insertion order: merging these would change it for one of them
    index = build([(("qa", "qx"), 0), (("qa", "qy"), 1), (("qb", "qy"), 1), (("qb", "qx"), 0)])
    plain = copy.deepcopy(index.trie)
    _share_subtrees(index)
    assert walk(index.trie) == walk(plain)
    assert index.trie["qa"] is not index.trie["qb"]
    assert index.trie["qa"]["qx"] is index.trie["qb"]["qx"]


def test_every_word_is_the_vocabularys_own_string():
    index = build([(("kim", "jong", "un"), 0), (("park", "".join(["u", "n"])), 1)])
    _share_subtrees(index)
    own = {w: w for w in index.vocabulary}
    for path, _payloads in walk(index.trie):
        assert all(own[w] is w for w in path)
    assert all(own[w] is w for w in index.fuzzy_vocabulary)


WORDS = ["qa", "qb", "qc", "qd"]


@settings(max_examples=60, deadline=None)
@given(keys=st.lists(st.tuples(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(tuple),
                               st.integers(0, 5)), min_size=1, max_size=30),
       texts=st.lists(st.lists(st.sampled_from(WORDS), max_size=12), min_size=1, max_size=4))
def test_a_shared_trie_walks_and_matches_as_the_plain_one(keys, texts):
    plain, shared = build(keys), build(keys)
    _share_subtrees(shared)
    assert walk(shared.trie) == walk(plain.trie)
    assert shared.fuzzy_vocabulary == plain.fuzzy_vocabulary
    for norms in texts:
        expected = plain.match(norms, "en", plain.alternatives())
        got = shared.match(norms, "en", shared.alternatives())
        assert got == expected


def test_a_compiled_index_is_the_same_with_and_without_shared_subtrees(fixtures, monkeypatch):
    packs = load_rule_packs([str(fixtures / "rules" / "basic.yaml")])
    entities = load_entity_lists([str(fixtures / "entities" / "news_names.csv")], default_entities=False)
    shared = compile_mod._compile_rules(packs, entities)
    monkeypatch.setattr(compile_mod, "_share_subtrees", lambda index: None)
    plain = compile_mod._compile_rules(packs, entities)
    assert walk(shared.index.tree()) == walk(plain.index.tree())
    assert len(nodes(shared.index.tree())) < len(nodes(plain.index.tree()))
    assert shared.index._word_ids().ids == plain.index._word_ids().ids
    assert (shared.index._word_ids().pairs == plain.index._word_ids().pairs).all()


def test_payloads_come_back_from_the_pickle_as_payloads(fixtures):
    packs = load_rule_packs([str(fixtures / "rules" / "basic.yaml")])
    entities = load_entity_lists([str(fixtures / "entities" / "news_names.csv")], default_entities=False)
    compiled = compile_mod._compile_rules(packs, entities)
    loaded = pickle.loads(pickle.dumps(compiled.without_inputs(), protocol=pickle.HIGHEST_PROTOCOL))
    assert loaded.payloads == compiled.payloads
    assert all(type(p) is Payload for p in loaded.payloads)
    assert any(p.kind == "entity" for p in loaded.payloads) and any(p.kind == "term" for p in loaded.payloads)
    assert walk(loaded.index.tree()) == walk(compiled.index.tree())


# The flat layout

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



def test_the_walk_finds_a_start_words_children_without_making_its_node(fixtures):
    packs = load_rule_packs([str(fixtures / "rules" / "basic.yaml")])
    entities = load_entity_lists([str(fixtures / "entities" / "news_names.csv")], default_entities=False)
    compiled = compile_mod._compile_rules(packs, entities)
    loaded = pickle.loads(pickle.dumps(compiled.without_inputs(), protocol=pickle.HIGHEST_PROTOCOL)).index
    texts = [["korea", "mining", "development", "trading", "corporation"], ["the", "korea", "minning", "corp"],
             ["kim", "jong", "un", "said"]]
    plain = PhraseIndex()
    for key, payloads in walk(compiled.index.tree()):
        for pid in payloads or ():
            plain.add(key, pid)
    plain.fuzzy_vocabulary = set(compiled.index.fuzzy_vocabulary)
    assert loaded.match_many(texts, "en", loaded.alternatives()) == plain.match_many(texts, "en", plain.alternatives())
    trie, words = loaded.trie, loaded._word_ids()
    # the start words' nodes that are no other node's child (shared subtrees make some both)
    inner = trie.edge_to[trie.edges[1]:][trie.edge_word[trie.edges[1]:] >= 0]
    starts = set(words.first_nodes[words.first_nodes >= 0].tolist()) - set(inner.tolist())
    reached = {int(words.first_nodes[words.ids[w]]) for w in ("kim", "korea", "the") if w in words.ids}
    assert starts & reached and trie._nodes.keys() - {0}
    assert not starts & trie._nodes.keys()          # matching made none of them, only deeper ones


def test_children_are_the_start_nodes_entries_in_walk_order(fixtures):
    packs = load_rule_packs([str(fixtures / "rules" / "basic.yaml")])
    entities = load_entity_lists([str(fixtures / "entities" / "news_names.csv")], default_entities=False)
    index = compile_mod._compile_rules(packs, entities).index
    words = index._word_ids()
    tree = index.tree()

    class Alt:                      # what `children` reads of an alternative
        def __init__(self, token):
            self.token = token

    firsts = [w for w, node in tree.items() if len(node) > (1 if _END in node else 0)]
    assert len(firsts) > 2
    seconds = sorted({w for w in firsts for w in tree[w] if w != _END})
    # per start word: itself twice (two readings of one word), its seconds and two words no key has
    # second, in a scrambled order
    starts = [((0, "a", words.ids[w]), (1, "b", words.ids[w])) for w in firsts]
    nexts = [[Alt(t) for t in ["never-seen", *seconds[::-1], firsts[0], "corp"]] for _ in firsts]
    got = words.children(starts, nexts)
    for w, start, nxt, reached in zip(firsts, starts, nexts, got, strict=True):
        node = index.trie.get(w)
        expected = [(entry, alt, node[alt.token]) for entry in start for alt in nxt if alt.token in node]
        assert reached == expected and reached
    assert words.children([(), starts[0]], [nexts[0], []]) == [[], []]      # nothing on either side
    assert words.children([], []) == []


def test_a_one_token_keys_payloads_are_read_without_its_node(fixtures):
    packs = load_rule_packs([str(fixtures / "rules" / "basic.yaml")])
    entities = load_entity_lists([str(fixtures / "entities" / "news_names.csv")], default_entities=False)
    loaded = pickle.loads(pickle.dumps(compile_mod._compile_rules(packs, entities).without_inputs(),
                                       protocol=pickle.HIGHEST_PROTOCOL)).index
    words = loaded._word_ids()
    wholes = [w for w, whole, _seconds, _node in loaded.trie.heads() if whole]     # (makes no node)
    assert wholes
    payloads = {w: words.whole_payloads(words.ids[w]) for w in wholes}
    assert not loaded.trie._nodes          # no node made
    # the same tuple object as the node's own (the floors are keyed by identity)
    assert all(words.first(w)[_END] is payloads[w] for w in wholes)


@pytest.mark.parametrize("values", [[], [7], [3, 3], [5, 1, 5, 2, 1 << 40, 2, -1], list(range(50, 0, -1)) * 2])
def test_unique_is_numpys(values):
    a = np.array(values, dtype=np.int64)
    got = _unique(a)
    assert got.dtype == np.int64 and got.tolist() == np.unique(a).tolist()

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
