"""Is a candidate entity name in running text really that entity? Checks at the hit site."""

from __future__ import annotations


def _verify_case(text: str, start: int, end: int) -> tuple[bool, str]:
    span = text[start:end]
    letters = [c for c in span if c.isalpha()]
    if not letters or not all(c.isascii() or c.lower() != c.upper() for c in letters[:1]):
        return True, ""
    if any(c.lower() == c.upper() for c in letters):  # scripts without case
        return True, ""
    words = [w for w in span.replace("-", " ").split() if w[:1].isalpha()]
    # Names are written capitalised; "green pine trees" is not GREEN PINE ASSOCIATED CORP.
    if words and words[0][0].islower() and words[-1][0].islower():
        window = text[max(0, start - 200):end + 200]
        if window.lower() == window:     # the whole neighbourhood is lower-case: case says nothing
            return True, ""
        return False, "written in lower case, not as a name"
    return True, ""


def verify_entity(text: str, start: int, end: int, entity: dict, matched_name: str) -> tuple[bool, str]:
    ok, reason = _verify_case(text, start, end)
    if not ok:
        return ok, reason
    try:
        from flagger.names.chunk import verify_in_context
    except ImportError:  # pragma: no cover
        return True, ""
    names = [entity["name"], *[a["name"] for a in entity.get("aliases") or []], *(entity.get("original_names") or [])]
    return verify_in_context(text, start, end, names)
