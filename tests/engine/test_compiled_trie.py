"""The compiled phrase trie shares its equal subtrees (flagger.engine.compile._share_subtrees):
the same keys, payloads and walk order as the trie it was made from, with fewer objects; and a
compiled index pickles and loads to the same payloads."""

from __future__ import annotations

import copy
import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

import flagger.engine.compile as compile_mod
from flagger.engine.compile import Payload, _share_subtrees
from flagger.engine.phrases import _END, PhraseIndex
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
