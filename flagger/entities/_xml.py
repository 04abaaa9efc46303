"""Hardened XML parsing for list files (defusedxml).

Entity declarations (billion laughs, quadratic blow-up), external entities (XXE) and external
DTD fetches are refused with an EntityListError naming the file and the line of the declaration.
Nothing is ever fetched from the network or the file system on behalf of a document.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
from defusedxml.ElementTree import fromstring, iterparse

from flagger.entities._common import read_bytes
from flagger.errors import EntityListError


def _line_of(raw: bytes, needle: bytes) -> int | None:
    pos = raw.find(needle)
    return raw[:pos].count(b"\n") + 1 if pos >= 0 else None


def _refused(exc: Exception, raw: bytes, file: str) -> EntityListError:
    if isinstance(exc, defusedxml.EntitiesForbidden):
        line = _line_of(raw, b"<!ENTITY")
        kind = "external entity (XXE)" if (exc.sysid or exc.pubid) else "entity declaration"
        return EntityListError(
            f"refused: XML {kind} {exc.name!r} (entity declarations are not allowed in list files; "
            "they enable billion-laughs and XXE attacks)", file, line)
    if isinstance(exc, defusedxml.ExternalReferenceForbidden):
        return EntityListError(f"refused: XML external reference to {exc.sysid!r} (XXE)", file,
                               _line_of(raw, b"<!DOCTYPE"))
    if isinstance(exc, defusedxml.DTDForbidden):
        return EntityListError("refused: XML DTD", file, _line_of(raw, b"<!DOCTYPE"))
    if isinstance(exc, defusedxml.NotSupportedError):  # pragma: no cover
        return EntityListError(f"refused: {exc}", file)
    if isinstance(exc, ParseError):
        line = getattr(exc, "position", (None, None))[0]
        msg = re.sub(r":\s*line \d+, column \d+$", "", str(exc))
        return EntityListError(f"malformed XML: {msg}", file, line)
    raise exc


def parse_xml(path: str | Path) -> tuple[Element, bytes]:
    """Parse a whole (small/medium) XML list file; return (root, raw bytes)."""
    file = str(path)
    raw = read_bytes(path)
    try:
        return fromstring(raw, forbid_dtd=False, forbid_entities=True, forbid_external=True), raw
    except (defusedxml.DefusedXmlException, ParseError) as exc:
        raise _refused(exc, raw, file) from exc


def iter_xml(path: str | Path, tags: set[str]):
    """Stream a large XML list file, yielding (local_tag, element) at the end of each wanted tag.

    The yielded element is cleared after the consumer has used it, so memory stays flat.
    """
    file = str(path)
    raw = read_bytes(path)
    try:
        for _event, elem in iterparse(io.BytesIO(raw), events=("end",), forbid_dtd=False,
                                      forbid_entities=True, forbid_external=True):
            tag = local(elem.tag)
            if tag in tags:
                yield tag, elem
                elem.clear()
    except (defusedxml.DefusedXmlException, ParseError) as exc:
        raise _refused(exc, raw, file) from exc


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def text(elem: Element | None, path: str | None = None) -> str | None:
    """Stripped text of `elem` (or of its first descendant at `path`, namespace-agnostic); None if empty."""
    if elem is None:
        return None
    if path is not None:
        elem = find(elem, path)
        if elem is None:
            return None
    value = (elem.text or "").strip()
    return re.sub(r"\s+", " ", value) or None


def find(elem: Element, path: str) -> Element | None:
    """Namespace-agnostic find: `a/b/c` matches local names."""
    parts = path.split("/")
    current = [elem]
    for part in parts:
        nxt = []
        for e in current:
            nxt.extend(c for c in e if local(c.tag) == part)
        if not nxt:
            return None
        current = nxt
    return current[0]


def findall(elem: Element, path: str) -> list[Element]:
    parts = path.split("/")
    current = [elem]
    for part in parts:
        current = [c for e in current for c in e if local(c.tag) == part]
    return current
