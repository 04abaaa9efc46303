"""Rule regexes run on RE2, whose matching time is linear in the text: a rule author cannot
write a pattern that backtracks catastrophically. Constructs RE2 does not support
(backreferences, lookaround) are refused at load time with the rule's file and line."""

from __future__ import annotations

import re2

from flagger.errors import RuleError


def compile_regex(pattern: str, file: str | None = None, line: int | None = None):
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise RuleError(f"invalid regex {pattern!r}: {detail} (patterns run on RE2: no backreferences or lookaround)",
                        file, line) from None
