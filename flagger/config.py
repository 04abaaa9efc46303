"""Effective settings for a scan: defaults < project config file < command line, each with its origin.

The project config is the first of these found in the working directory or a parent (stopping at
the repository root, the folder holding .git):

* ``flagger.yaml`` / ``.flagger.yaml`` — the settings at top level, or under a ``flagger:`` key;
* ``pyproject.toml`` — the ``[tool.flagger]`` table.

``--config FILE`` names one explicitly. Relative paths in a config file are relative to the file's
folder, so a pipeline can run from anywhere in the repository. Keys use ``_`` or ``-``.

    # flagger.yaml
    rules: [rules/]                  # these packs instead of the bundled ones, or
    extend_rules: [rules/]           # these packs as well as `rules` (the bundled packs when rules is empty)
    entities: [lists/sdn.xml]
    fail_on: {default: high, arms-embargo: medium, military-cooperation: off}
    baseline: .flagger-baseline.json
    state: .flagger-state.json
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from fnmatch import fnmatchcase
from pathlib import Path

from flagger.ci.gate import GateSpecError, check_categories, parse_fail_on
from flagger.errors import ConfigError
from flagger.rules.pack import RulePack
from flagger.versions import flagger_version

CONFIG_NAMES = ("flagger.yaml", ".flagger.yaml", "flagger.yml")
USER_AGENT = "flagger/{version} (sanctions-compliance feed scanner)"


@dataclass(frozen=True)
class Setting:
    name: str
    kind: str          # str | path | paths | bool | float | int | fail_on | choice
    default: object
    help: str
    choices: tuple[str, ...] = ()
    retired: str = ""  # why the setting no longer does anything: said once when a config or the CLI sets it


SETTINGS: tuple[Setting, ...] = (
    Setting("rules", "paths", [], "rule pack files or folders (empty: the bundled packs)"),
    Setting("extend_rules", "paths", [], "rule packs added to `rules` (to the bundled packs when rules is empty)"),
    Setting("entities", "paths", [], "entity lists to add"),
    Setting("default_entities", "bool", True, "load the bundled default entity list"),
    Setting("entity_threshold", "float", 90.0, "minimum similarity for an entity-name match"),
    Setting("format", "choice", None, "report format", ("table", "csv", "json", "jsonl", "markdown", "sarif",
                                                          "junit", "html")),
    Setting("output", "path", None, "report file (default: stdout)"),
    Setting("fail_on", "fail_on", [], "gate: LEVEL and/or CATEGORY=LEVEL|off"),
    Setting("min_score", "float", None, "gate: fail when an article reaches this score"),
    Setting("allow_errors", "bool", False, "do not exit 3 when some inputs could not be read"),
    Setting("baseline", "path", None, "baseline file of reviewed findings to suppress"),
    Setting("state", "path", None, "state file for incremental runs (only new articles are scanned)"),
    Setting("dedupe", "bool", True, "group syndicated copies of the same story"),
    Setting("dedupe_similarity", "float", 0.7, "kept for old configs; no effect: a copy is a record whose text adds "
            "nothing another record lacks (shingle containment), never a similar one",
            retired="copies are grouped only when their text adds nothing the original lacks, never by "
                    "similarity; remove it"),
    Setting("timeout", "float", 20.0, "seconds before a network fetch gives up (per try)"),
    Setting("retries", "int", 3, "network retries, with exponential backoff"),
    Setting("user_agent", "str", USER_AGENT, "User-Agent header for network fetches"),
    Setting("progress", "choice", "auto", "progress bar on stderr", ("auto", "always", "never")),
)
BY_NAME = {s.name: s for s in SETTINGS}


@dataclass
class Settings:
    values: dict = field(default_factory=dict)
    origins: dict = field(default_factory=dict)
    config_file: str | None = None

    def warnings(self) -> list[str]:
        """One line per retired setting that a config file or the command line still sets."""
        return [f"{self.origins[s.name]}: {s.name} no longer has any effect: {s.retired}"
                for s in SETTINGS if s.retired and self.origins.get(s.name, "default") != "default"]

    def __getitem__(self, name: str):
        return self.values[name]

    def get(self, name: str, default=None):
        return self.values.get(name, default)


def find_config(start: str | os.PathLike | None = None) -> Path | None:
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        py = folder / "pyproject.toml"
        if py.is_file() and _pyproject_table(py) is not None:
            return py
        if (folder / ".git").exists():
            return None
    return None


def _pyproject_table(path: Path) -> dict | None:
    import tomllib

    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    table = doc.get("tool", {}).get("flagger")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.flagger] must be a table")
    return table


def _read_yaml(path: Path) -> tuple[dict, dict[str, int]]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: invalid YAML ({getattr(exc, 'problem', exc)})") from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            lines[str(k.value)] = k.start_mark.line + 1
            if k.value == "flagger" and isinstance(v, yaml.MappingNode):
                lines.update({str(kk.value): kk.start_mark.line + 1 for kk, _ in v.value})
    if set(data) == {"flagger"} and isinstance(data["flagger"], dict):
        data = data["flagger"]
    return data, lines


def load_config_file(path: Path) -> tuple[dict, dict[str, str]]:
    """(values, origin per key) of one config file, validated and with paths resolved."""
    if path.name == "pyproject.toml":
        raw = _pyproject_table(path) or {}
        lines: dict[str, int] = {}
        label = f"{path} [tool.flagger]"
    else:
        raw, lines = _read_yaml(path)
        label = str(path)
    values, origins = {}, {}
    for key, value in raw.items():
        name = str(key).replace("-", "_")
        where = f"{label}:{lines[str(key)]}" if str(key) in lines else label
        setting = BY_NAME.get(name)
        if setting is None:
            known = ", ".join(sorted(BY_NAME))
            raise ConfigError(f"{where}: unknown setting {key!r} (known: {known})")
        values[name] = _coerce(setting, value, where, base=path.parent)
        origins[name] = where
    return values, origins


def _coerce(s: Setting, value, where: str, base: Path | None = None):
    def bad(expected: str):
        return ConfigError(f"{where}: {s.name} must be {expected}, got {value!r}")

    if value is None:
        return None
    if s.kind == "bool":
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if s.kind in ("float", "int"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad("a number")
        return int(value) if s.kind == "int" else float(value)
    if s.kind == "str":
        if not isinstance(value, str):
            raise bad("a string")
        return value
    if s.kind == "choice":
        if value not in s.choices:
            raise bad("one of " + ", ".join(s.choices))
        return value
    if s.kind == "path":
        if not isinstance(value, str):
            raise bad("a path")
        return _resolve(value, base)
    if s.kind == "paths":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise bad("a path or a list of paths")
        return [_resolve(v, base) for v in items]
    if s.kind == "fail_on":
        if isinstance(value, str):
            items = [value]
        elif isinstance(value, dict):
            items = [f"{k}={'off' if v in (None, False) else v}" if k not in ("default", "*") else str(v)
                     for k, v in value.items()]
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            items = list(value)
        else:
            raise bad("a level, a list of LEVEL / CATEGORY=LEVEL, or a mapping category: level")
        try:
            parse_fail_on(items)
        except GateSpecError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        return items
    raise AssertionError(s.kind)


def _resolve(value: str, base: Path | None) -> str:
    if base is None or value.startswith(("http://", "https://")) or os.path.isabs(value):
        return value
    p = base / value
    try:
        return os.path.relpath(p)
    except ValueError:
        return str(p)


def resolve_settings(cli: dict | None = None, config: str | None = None, *, no_config: bool = False,
                     start: str | None = None) -> Settings:
    """Defaults, then the project config file, then `cli` values that are not None/empty."""
    settings = Settings()
    for s in SETTINGS:
        default = s.default
        if s.name == "user_agent":
            default = USER_AGENT.format(version=flagger_version())
        settings.values[s.name] = list(default) if isinstance(default, list) else default
        settings.origins[s.name] = "default"
    path = None
    if config:
        path = Path(config)
        if not path.is_file():
            raise ConfigError(f"{config}: config file not found")
    elif not no_config:
        path = find_config(start)
    if path is not None:
        values, origins = load_config_file(path)
        settings.values.update(values)
        settings.origins.update(origins)
        settings.config_file = str(path)
    for name, value in (cli or {}).items():
        if value is None or (isinstance(value, (list, tuple)) and not value):
            continue
        if name not in BY_NAME:
            raise KeyError(name)
        value = list(value) if isinstance(value, tuple) else value
        if BY_NAME[name].kind == "fail_on" and settings.origins[name] != "default":
            # the command line's gates are added to the config file's, per category (a later
            # value for the same category or the global level wins), never replacing them all
            before = settings.values[name] or []
            value = [*before, *(value if isinstance(value, list) else [value])]
            settings.origins[name] = f"{settings.origins[name]} + command line"
        else:
            settings.origins[name] = "command line"
        settings.values[name] = value
    return settings


def check_gate_categories(settings: Settings, categories) -> None:
    """A usage error (ConfigError) when the gate names a category that is not in `categories`."""
    try:
        check_categories(parse_fail_on(settings["fail_on"]), categories)
    except GateSpecError as exc:
        raise ConfigError(f"{settings.origins['fail_on']}: {exc}") from None


def format_settings(settings: Settings) -> str:
    lines = [f"# config file: {settings.config_file or '(none found)'}"]
    width = max(len(s.name) for s in SETTINGS)
    for s in SETTINGS:
        value = settings.values[s.name]
        if isinstance(value, list):
            shown = ", ".join(map(str, value)) if value else "[]"
        elif value is None:
            shown = "-"
        else:
            shown = str(value)
        lines.append(f"{s.name:<{width}}  {shown:<40}  # {settings.origins[s.name]}")
    return "\n".join(lines)


def _patterns(values) -> list[str]:
    return [p.strip() for v in values or () for p in str(v).split(",") if p.strip()]


def select_rules(packs: list[RulePack], select=(), ignore=(), strict: bool = True) -> list[RulePack]:
    """The packs with only the rules whose id or category matches a `select` pattern (all when
    none is given) and none of the `ignore` patterns (fnmatch: ``dprk.*``, ``arms-embargo``;
    comma-separated or repeated). With `strict`, a pattern that matches no rule is a ConfigError
    (a typo would otherwise silently scan with every rule, or with none)."""
    sel, ign = _patterns(select), _patterns(ignore)
    if not sel and not ign:
        return packs
    every = [r for p in packs for r in p.rules]
    for kind, pats in (("--select", sel), ("--ignore", ign)) if strict else ():
        for pat in pats:
            if not any(fnmatchcase(r.id, pat) or fnmatchcase(r.category, pat) for r in every):
                raise ConfigError(f"{kind} {pat}: matches no rule id or category "
                                  "(`flagger rules list` shows them)")

    def keep(rule) -> bool:
        names = (rule.id, rule.category)
        chosen = not sel or any(fnmatchcase(n, p) for n in names for p in sel)
        return chosen and not any(fnmatchcase(n, p) for n in names for p in ign)

    out = []
    for pack in packs:
        rules = tuple(r for r in pack.rules if keep(r))
        if rules:
            out.append(dataclass_replace(pack, rules=rules))
    if not out:
        raise ConfigError("--select/--ignore leave no rule to scan with")
    return out
