"""Text from articles made safe for the program that shows it: spreadsheet, terminal, Markdown.

Every string in a report can come from a crafted article (an id, a title, a url, a feed's
source name, a snippet of its text). Each reader interprets something different:

* a spreadsheet runs a cell starting with ``= + - @``, tab or CR as a formula (OWASP "CSV
  injection"): such a cell is prefixed with ``'`` (`csv_text`);
* a terminal obeys escape sequences (``ESC ] 0; … BEL`` sets the window title, ``ESC [ 31m``
  colours, others move the cursor or rewrite the screen): they are removed and every other
  control character is shown escaped (`terminal_text`); wide characters (CJK, Hangul) take two
  columns, so columns are padded and cut by display width (`display_width`, `fit`, `clip_middle`);
* Markdown renders ``![alt](url)`` as an image that viewers fetch, ``[text](url)`` as a link, and
  a ``|`` or a line break ends a table cell or row (`markdown_text`, `markdown_url`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

#: a cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")

# ESC-initiated sequences: CSI (ESC [ … final), OSC/DCS/SOS/PM/APC strings (ended by BEL or ESC \),
# and two-character escapes; plus their 8-bit C1 forms (CSI = U+009B, OSC = U+009D ...).
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def csv_text(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: a formula-leading cell gets a ``'`` prefix."""
    return "'" + text if text.startswith(FORMULA_LEADERS) else text


def _escape_control(m: re.Match) -> str:
    ch = m.group(0)
    if ch in "\t\n\r":
        return " "
    return f"\\u{ord(ch):04x}" if ord(ch) > 0xFF else f"\\x{ord(ch):02x}"


def terminal_text(text) -> str:
    """`text` with terminal escape sequences removed and other control characters (and the
    bidirectional overrides that reorder what is shown) written as visible ``\\xNN`` escapes;
    tabs and line breaks become spaces."""
    text = _ESCAPES.sub("", str(text))
    return _CONTROLS.sub(_escape_control, text)


@cache
def _wcwidth():
    """wcwidth's column-width function, imported on first use: only terminal tables measure widths,
    and importing wcwidth cost every CSV/JSON scan 8-20 ms of start-up (-X importtime, quiet machine)."""
    from wcwidth import wcwidth

    return wcwidth


def _char_width(ch: str) -> int:
    w = _wcwidth()(ch)
    if w < 0:           # a control character: terminal_text has already escaped those
        return 1
    return w


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal (wide CJK/Hangul characters count two, combining marks none)."""
    return sum(_char_width(ch) for ch in unicodedata.normalize("NFC", text))


def fit(text: str, width: int) -> str:
    """`text` cut (with …) or padded with spaces to exactly `width` display columns."""
    text = unicodedata.normalize("NFC", text)
    if display_width(text) > width:
        out, used = [], 0
        for ch in text:
            w = _char_width(ch)
            if used + w > width - 1:
                break
            out.append(ch)
            used += w
        text = "".join(out) + "…"
    return text + " " * max(0, width - display_width(text))


def clip_middle(text: str, width: int) -> str:
    """`text` in at most `width` columns, cut in the middle (…) so a path keeps its file name:
    ``/very/long/folder/…/article-17.txt``."""
    text = unicodedata.normalize("NFC", text)
    if display_width(text) <= width:
        return text
    tail_w = max(1, (width - 1) * 2 // 3)
    name = text.rsplit("/", 1)[-1]
    if 0 < display_width(name) + 1 < width - 3:     # keep the whole file name, and the folder's start
        tail_w = display_width(name) + 1
    head_w = width - 1 - tail_w
    head, used = [], 0
    for ch in text:
        w = _char_width(ch)
        if used + w > head_w:
            break
        head.append(ch)
        used += w
    tail, used = [], 0
    for ch in reversed(text):
        w = _char_width(ch)
        if used + w > tail_w:
            break
        tail.append(ch)
        used += w
    return "".join(head) + "…" + "".join(reversed(tail))


def markdown_text(text) -> str:
    """Plain text for a Markdown table cell: one line; ``\\ | [ ] `` and backticks escaped, ``< >``
    as entities, so the cell neither ends early nor renders as a link, an image (``![x](url)``
    needs its brackets), code or HTML."""
    text = " ".join(terminal_text(text).split())
    return re.sub(r"([\\|\[\]`])", r"\\\1", text).replace("<", "&lt;").replace(">", "&gt;")


def markdown_url(url) -> str | None:
    """`url` usable as a Markdown link target (http or https, percent-encoding the characters
    that would end it), or None when it must stay text."""
    url = str(url or "").strip()
    if not url.lower().startswith(("http://", "https://")) or any(ord(c) < 0x20 or c == "\x7f" for c in url):
        return None
    return re.sub(r"[\s|()<>\[\]\\`]", lambda m: f"%{ord(m.group(0)):02X}", url)


def http_url(url) -> str | None:
    """`url` when it is an http(s) url a browser may follow; None for anything else
    (``javascript:``, ``data:``, ``file:`` ... stay text)."""
    url = str(url or "").strip()
    if url.lower().startswith(("http://", "https://")) and not any(ord(c) < 0x20 for c in url):
        return url
    return None
