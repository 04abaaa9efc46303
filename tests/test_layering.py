"""The package's layering holds (issue 14): imports point down the layers in pyproject.toml's
[tool.importlinter] contract, from the click CLI to the foundation modules.

- import-linter's contract is kept (its broken chains are printed otherwise);
- imports of flagger modules inside functions are few, and each says why on its line or the line
  above (start-up cost, an optional dependency), because each one hides a dependency from the
  module's header;
- there is no import cycle among flagger modules, counting the imports inside functions (which
  import-linter counts too, but a deferred import is the usual way a cycle gets hidden);
- no ``except ImportError`` (or ``suppress(ImportError)``) wraps an import of a flagger module: a
  broken flagger module must fail loudly, not switch a feature off;
- no ``global`` statement: module-level state mutated from functions is shared by every scanner in
  the process (and differs between worker processes).

Imports under ``if TYPE_CHECKING:`` never run, and are left out of every check here.
"""

from __future__ import annotations

import ast
import io
import os
import re
import subprocess
import sys
import tokenize
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "flagger"

MAX_FUNCTION_IMPORTS = 10
# What a comment must say for an import inside a function: why it cannot be at the top.
REASON = re.compile(r"start-?up|optional|lazy|lazily|on first use|import time|heavy|slow to import", re.I)
IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}


@dataclass(frozen=True)
class Import:
    importer: str          # the importing module, e.g. flagger.engine.compile
    target: str            # the imported flagger module, e.g. flagger.names.index
    path: str              # file, relative to the repository
    line: int
    function: str | None   # the enclosing def, None at module or class level
    comment: str           # comments on the statement's lines and on the line(s) just above
    guarded: bool          # inside `try: ... except ImportError` or `with suppress(ImportError)`

    def where(self) -> str:
        inside = f", in {self.function}()" if self.function else ""
        return f"{self.path}:{self.line}{inside}"


@dataclass
class Analysis:
    modules: set[str] = field(default_factory=set)
    imports: list[Import] = field(default_factory=list)
    globals: list[str] = field(default_factory=list)   # "path:line: global X (in f())"


def _module_name(path: Path) -> tuple[str, bool]:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _comments(source: str) -> dict[int, str]:
    found: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                found[tok.start[0]] = tok.string
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _names(expr: ast.expr | None) -> set[str]:
    """Exception class names in an `except` clause (or a suppress(...) call's arguments)."""
    if expr is None:
        return set()
    if isinstance(expr, ast.Tuple):
        return set().union(*(_names(e) for e in expr.elts))
    if isinstance(expr, ast.Name):
        return {expr.id}
    if isinstance(expr, ast.Attribute):
        return {expr.attr}
    return set()


class _Walker(ast.NodeVisitor):
    def __init__(self, analysis: Analysis, path: Path, source: str):
        self.analysis = analysis
        self.rel = str(path.relative_to(ROOT))
        self.module, self.is_package = _module_name(path)
        self.comments = _comments(source)
        self.lines = source.splitlines()
        self.functions: list[str] = []
        self.guard = 0

    # --- context -------------------------------------------------------------------------------
    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for outside in (*node.decorator_list, node.args, node.returns):
            if outside is not None:
                self.visit(outside)
        self.functions.append(node.name)
        for stmt in node.body:
            self.visit(stmt)
        self.functions.pop()

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            for stmt in node.orelse:          # the body never runs
                self.visit(stmt)
        else:
            self.generic_visit(node)

    def _visit_try(self, node) -> None:
        catches = any(_names(h.type) & IMPORT_ERRORS for h in node.handlers)
        self.guard += catches
        for stmt in node.body:
            self.visit(stmt)
        self.guard -= catches
        for part in (*node.handlers, *node.orelse, *node.finalbody):
            self.visit(part)

    visit_Try = _visit_try
    visit_TryStar = _visit_try

    def visit_With(self, node: ast.With) -> None:
        catches = any(isinstance(item.context_expr, ast.Call) and _names(item.context_expr.func) & {"suppress"}
                      and set().union(*(_names(a) for a in item.context_expr.args)) & IMPORT_ERRORS
                      for item in node.items)
        for item in node.items:
            self.visit(item)
        self.guard += catches
        for stmt in node.body:
            self.visit(stmt)
        self.guard -= catches

    # --- what is recorded ----------------------------------------------------------------------
    def visit_Global(self, node: ast.Global) -> None:
        inside = f" (in {self.functions[-1]}())" if self.functions else ""
        self.analysis.globals.append(f"{self.rel}:{node.lineno}: global {', '.join(node.names)}{inside}")

    def visit_Import(self, node: ast.Import) -> None:
        self._record(node, [a.name for a in node.names if _is_flagger(a.name)])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            package = self.module if self.is_package else self.module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{node.module}" if node.module else package
        else:
            base = node.module or ""
        if _is_flagger(base):
            # `from flagger.x import y` imports the module flagger.x.y when there is one
            self._record(node, [f"{base}.{a.name}" if f"{base}.{a.name}" in self.analysis.modules else base
                                for a in node.names])

    def visit_Call(self, node: ast.Call) -> None:
        """importlib.import_module("flagger.x") and __import__("flagger.x") with a literal name."""
        if (_names(node.func) & {"import_module", "__import__"} and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and _is_flagger(node.args[0].value)):
            self._record(node, [node.args[0].value])
        self.generic_visit(node)

    def _record(self, node: ast.stmt | ast.expr, targets: list[str]) -> None:
        first, last = node.lineno, node.end_lineno or node.lineno
        said = [self.comments[n] for n in range(first - 1, last + 1) if n in self.comments]
        above = first - 2                                  # comment-only lines just above
        while above >= 0 and self.lines[above].lstrip().startswith("#"):
            said.append(self.lines[above].strip())
            above -= 1
        for target in dict.fromkeys(targets):
            self.analysis.imports.append(Import(
                importer=self.module, target=target, path=self.rel, line=first,
                function=self.functions[-1] if self.functions else None,
                comment=" ".join(said), guarded=self.guard > 0))


def _is_flagger(name: str) -> bool:
    return name == "flagger" or name.startswith("flagger.")


@cache
def analyse() -> Analysis:
    analysis = Analysis()
    files = _package_files()
    analysis.modules = {_module_name(p)[0] for p in files}
    for path in files:
        source = path.read_text(encoding="utf-8")
        _Walker(analysis, path, source).visit(ast.parse(source, filename=str(path)))
    return analysis


def _cycles(imports: list[Import]) -> list[list[Import]]:
    """One shortest cycle through each module that is on a cycle (deduplicated), as lists of edges."""
    edges: dict[str, dict[str, Import]] = {}
    for imp in imports:
        if imp.target != imp.importer:
            edges.setdefault(imp.importer, {}).setdefault(imp.target, imp)
    cycles: dict[frozenset, list[Import]] = {}
    for start in sorted(edges):
        previous: dict[str, Import] = {}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for target, imp in sorted(edges.get(node, {}).items()):
                if target == start:
                    chain = [imp]
                    while chain[0].importer != start:
                        chain.insert(0, previous[chain[0].importer])
                    key = frozenset((i.importer, i.target) for i in chain)
                    cycles.setdefault(key, chain)
                    queue.clear()
                    break
                if target not in previous and target != start:
                    previous[target] = imp
                    queue.append(target)
    return sorted(cycles.values(), key=lambda c: (len(c), c[0].importer))


def _render_cycle(chain: list[Import]) -> str:
    steps = [chain[0].importer] + [f"-> {i.target}  ({i.where()})" for i in chain]
    return "\n      ".join(steps)


# --- the tests -------------------------------------------------------------------------------------

def test_import_linter_layers_contract_is_kept():
    """`lint-imports` with pyproject.toml's [tool.importlinter] contract (import-linter: the test extra)."""
    exe = Path(sys.executable).parent / ("lint-imports.exe" if os.name == "nt" else "lint-imports")
    assert exe.exists(), f"import-linter is not installed next to {sys.executable}: pip install -e '.[test]'"
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run([str(exe), "--no-cache", "--no-logo"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    output = proc.stdout + proc.stderr
    broken = output[output.find("Broken contracts"):] if "Broken contracts" in output else output
    assert proc.returncode == 0, f"lint-imports: the layers contract is broken:\n{broken.strip()}"


def test_few_imports_inside_functions():
    inside = [i for i in analyse().imports if i.function]
    listing = "\n".join(f"  {i.where()}: {i.target}" for i in inside)
    assert len(inside) <= MAX_FUNCTION_IMPORTS, (
        f"{len(inside)} imports of flagger modules inside functions (at most {MAX_FUNCTION_IMPORTS}); "
        f"move them to the module's header, or move the code to the layer it needs:\n{listing}")


def test_each_import_inside_a_function_says_why():
    unexplained = [i for i in analyse().imports if i.function and not REASON.search(i.comment)]
    listing = "\n".join(f"  {i.where()}: {i.target}" + (f"   [{i.comment}]" if i.comment else "")
                        for i in unexplained)
    assert not unexplained, (
        "imports of flagger modules inside functions without a comment, on the line or just above, that "
        f"says why (matching {REASON.pattern!r}, e.g. '# start-up: polars loads on first use'):\n{listing}")


def test_no_import_cycles_among_flagger_modules():
    cycles = _cycles(analyse().imports)
    listing = "\n".join(f"  {n}. {_render_cycle(c)}" for n, c in enumerate(cycles, 1))
    assert not cycles, (f"{len(cycles)} import cycles among flagger modules (imports inside functions "
                        f"count; `if TYPE_CHECKING:` imports do not):\n{listing}")


def test_no_except_importerror_around_a_flagger_import():
    guarded = [i for i in analyse().imports if i.guarded]
    listing = "\n".join(f"  {i.where()}: {i.target}" for i in guarded)
    assert not guarded, ("`except ImportError` wraps imports of flagger modules (a broken module would "
                         f"silently switch a feature off; import it plainly):\n{listing}")


def test_no_global_statements():
    found = analyse().globals
    listing = "\n".join(f"  {g}" for g in found)
    assert not found, ("`global` statements in flagger/ (module-level state mutated from functions; keep the "
                       f"state on an object the caller owns):\n{listing}")


def test_the_analysis_sees_the_package():
    """Guards the checks above against passing vacuously (a moved package, a resolver that finds nothing)."""
    analysis = analyse()
    assert {"flagger", "flagger.errors", "flagger.scanner", "flagger.cli"} <= analysis.modules
    targets = {i.target for i in analysis.imports}
    assert "flagger.errors" in targets and len(analysis.imports) > 50
