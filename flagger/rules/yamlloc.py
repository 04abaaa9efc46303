"""Safe YAML loading that remembers the line of every mapping key and list item.

Built on yaml.SafeLoader's composer, so tags that would construct objects
(`!!python/object`, custom tags) are refused exactly as `yaml.safe_load` refuses them.
"""

from __future__ import annotations

import yaml

from flagger.errors import RuleError


class LocDict(dict):
    """A dict that knows its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LocList(list):
    line: int
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


# libyaml's safe loader when present (about 10x faster on large packs), same safety and marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap"}


class _Budget:
    """Aliases let a few lines of YAML stand for an exponential tree ("billion laughs"), and an
    anchor may even contain itself. Expansion is limited to a multiple of the document's distinct
    nodes (ordinary anchor reuse stays far below it); cycles are refused."""

    FACTOR = 20
    SLACK = 10_000

    def __init__(self, root, file: str):
        seen: set[int] = set()
        todo = [root]
        while todo:
            node = todo.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, yaml.MappingNode):
                todo.extend(n for pair in node.value for n in pair)
            elif isinstance(node, yaml.SequenceNode):
                todo.extend(node.value)
        self.left = self.FACTOR * len(seen) + self.SLACK
        self.active: set[int] = set()
        self.file = file

    def enter(self, node) -> None:
        self.left -= 1
        if self.left < 0:
            raise RuleError("YAML aliases expand too far (billion-laughs pattern); refused", self.file,
                            node.start_mark.line + 1)
        if id(node) in self.active:
            raise RuleError("recursive YAML alias (a node that contains itself); refused", self.file,
                            node.start_mark.line + 1)


def _convert(node, loader: yaml.SafeLoader, file: str, budget: _Budget | None = None):
    if budget is None:
        budget = _Budget(node, file)
    budget.enter(node)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        budget.active.add(id(node))
        try:
            return _convert_collection(node, loader, file, budget)
        finally:
            budget.active.discard(id(node))
    return _convert_scalar(node, loader, file)


def _convert_collection(node, loader: yaml.SafeLoader, file: str, budget: _Budget):
    if node.tag not in _PLAIN_TAGS:
        raise RuleError(f"YAML tag refused ({node.tag}); only plain YAML is allowed", file, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out = LocDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, loader, file, budget)
            if isinstance(key, (dict, list)):
                raise RuleError("mapping keys must be plain scalars", file, key_node.start_mark.line + 1)
            if key in out:
                raise RuleError(f"duplicate key {key!r}", file, key_node.start_mark.line + 1)
            out[key] = _convert(value_node, loader, file, budget)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        out = LocList(_convert(item, loader, file, budget) for item in node.value)
        out.line = node.start_mark.line + 1
        out.item_lines = [item.start_mark.line + 1 for item in node.value]
        return out
    raise AssertionError(node)  # pragma: no cover


def _convert_scalar(node, loader: yaml.SafeLoader, file: str):
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        line = (exc.problem_mark or node.start_mark).line + 1
        raise RuleError(f"YAML tag refused ({exc.problem}); only plain YAML is allowed", file, line) from None


def load_located(text: str, file: str):
    """Parse one YAML document into LocDict/LocList/scalars, errors as RuleError(file, line)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise RuleError("file is empty", file, 1)
        return _convert(node, loader, file)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise RuleError(f"invalid YAML: {exc.problem or exc.context}", file, line) from None
    except yaml.YAMLError as exc:
        raise RuleError(f"invalid YAML: {exc}", file) from None
    except RecursionError:
        raise RuleError("invalid YAML: nested too deeply (or a recursive merge key); refused", file) from None
    finally:
        loader.dispose()
