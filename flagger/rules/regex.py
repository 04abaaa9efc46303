"""Rule regexes run on RE2, whose matching time is linear in the text: a rule author cannot
write a pattern that backtracks catastrophically. Constructs RE2 does not support
(backreferences, lookaround) are refused at load time with the rule's file and line."""

from __future__ import annotations

import re2

from flagger.errors import RuleError


def _options():
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    return options


def compile_regex(pattern: str, file: str | None = None, line: int | None = None):
    options = _options()
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise RuleError(f"invalid regex {pattern!r}: {detail} (patterns run on RE2: no backreferences or lookaround)",
                        file, line) from None


class RegexSet:
    """Which of many rule regexes match a text at all, in one RE2 pass (RE2::Set), so only those
    are run for their positions: running every pattern over every article cost more than all the
    other matching (150 bundled patterns: ~3 ms an article)."""

    def __init__(self, patterns: list[str]):
        self._count = len(patterns)
        self._set = None
        try:
            s = re2.Set.SearchSet(_options())
            for pattern in patterns:
                s.Add(pattern)
            s.Compile()
            self._set = s
        except re2.error:   # too large for RE2's memory budget: every pattern is run
            self._set = None

    def matching(self, text: str) -> list[int]:
        """Indexes of the patterns that match somewhere in `text`, in order."""
        if self._set is None:
            return list(range(self._count))
        return sorted(self._set.Match(text) or ())
