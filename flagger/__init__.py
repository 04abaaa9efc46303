"""flagger: sanctions-compliance risk flagger, as a library.

The same engine the ``flagger`` command runs. Load rule packs and entity lists once, then
scan any number of batches::

    import flagger

    scanner = flagger.Scanner(rules="rules/", entities=["sdn.xml"])    # compiled once
    report = scanner.scan([{"id": "a1", "text": "KOMID shipped shells to Russia."}])
    report.articles             # polars DataFrame, the CSV report's columns
    report.hits                 # polars DataFrame, one row per hit (the --hits columns)
    report.exit_code(fail_on="high")
    report.provenance           # versions, hashes, thresholds, timing: see docs/api.md

    scanner.screen(["Kim Jong Un", "Green Pine"])     # name screening against the same lists
    flagger.compare_names("Kim Jong-un", "Kim Chong Un").explanation

Every error is a subclass of `FlaggerError`: `RuleError` (with ``file`` and ``line``),
`EntityListError`, `InputError` (with ``source`` and ``line``/record number), `ConfigError`.

Heavy modules (polars, the rule compiler, the name matcher) load on first use, so importing
the package and running ``flagger --help`` stay fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from flagger.errors import ConfigError, EntityListError, FlaggerError, InputError, RuleError
from flagger.model import LEVELS, ArticleResult, EntityMatch, Hit, Record
from flagger.versions import flagger_version as _flagger_version

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs; at run time see __getattr__
    from flagger.api import Scanner
    from flagger.entities.loading import load_entity_lists
    from flagger.names.compare import NameComparison, compare_names
    from flagger.quality.replay import verify_report
    from flagger.report.scan_report import Report
    from flagger.rules.loader import load_rule_packs
    from flagger.rules.pack import RulePack

__version__: str = _flagger_version()

__all__ = [
    "LEVELS",
    "ArticleResult",
    "ConfigError",
    "EntityListError",
    "EntityMatch",
    "FlaggerError",
    "Hit",
    "InputError",
    "NameComparison",
    "Record",
    "Report",
    "RuleError",
    "RulePack",
    "Scanner",
    "__version__",
    "compare_names",
    "load_entity_lists",
    "load_rule_packs",
    "verify_report",
]

# public name -> module it lives in, imported on first access (PEP 562)
_LAZY = {
    "Scanner": "flagger.api",
    "Report": "flagger.report.scan_report",
    "load_entity_lists": "flagger.entities.loading",
    "load_rule_packs": "flagger.rules.loader",
    "RulePack": "flagger.rules.pack",
    "compare_names": "flagger.names.compare",
    "NameComparison": "flagger.names.compare",
    "verify_report": "flagger.quality.replay",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'flagger' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)   # importlib caches the module itself


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
