"""Where a text's sentences end, in C (flagger.text.SentenceOf; loaded by flagger/kernels/__init__.py): one
pass over the characters instead of the sentence-end pattern's search (~7 ns a character in the regex
engine). The ends are the ones `[m.end() for m in flagger.text._SENTENCE_END.finditer(text)]` gives
(tests/test_kernels_sentences.py compares them on random text)."""

include "_fingerprint.pxi"   # SOURCE_SHA256: the stale-build check (flagger/kernels/__init__.py)

from libc.stdint cimport uint8_t, uint16_t, uint32_t

cdef extern from "Python.h":
    int PyUnicode_KIND(object o)
    void *PyUnicode_DATA(object o)
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch) nogil


ctypedef fused char_t:
    uint8_t
    uint16_t
    uint32_t


cdef inline bint ascii_end(uint32_t c) noexcept nogil:
    # . ! ? ; :  (the pattern's endings that need white space after them)
    return c == 0x2E or c == 0x21 or c == 0x3F or c == 0x3B or c == 0x3A


cdef inline bint cjk_end(uint32_t c) noexcept nogil:
    # 。 ！ ？ ；  (an ending by itself)
    return c == 0x3002 or c == 0xFF01 or c == 0xFF1F or c == 0xFF1B


cdef inline bint closing(uint32_t c) noexcept nogil:
    # " ' ” ’ ) ]
    return c == 0x22 or c == 0x27 or c == 0x201D or c == 0x2019 or c == 0x29 or c == 0x5D


cdef inline bint bullet(uint32_t c) noexcept nogil:
    # - * •
    return c == 0x2D or c == 0x2A or c == 0x2022


cdef uint8_t[128] ASCII_KIND      # 1: . ! ? ; :   2: a line break   0: any other ASCII character
for _c in range(128):
    ASCII_KIND[_c] = 1 if ascii_end(_c) else 2 if _c == 0x0A else 0


cdef list ends_of(const char_t *s, Py_ssize_t n):
    cdef list out = []
    cdef Py_ssize_t i = 0, j, newline
    cdef uint32_t c
    while i < n:
        c = s[i]
        if c < 128 and ASCII_KIND[c] == 0:     # most characters: one look-up
            i += 1
        elif ascii_end(c):
            # [.!?;:]* then ["'”’)\]]* then white space (looked at, not taken); else no ending here
            j = i + 1
            while j < n and ascii_end(s[j]):
                j += 1
            while j < n and closing(s[j]):
                j += 1
            if j < n and Py_UNICODE_ISSPACE(s[j]):
                out.append(j)
                i = j
            else:
                i += 1
        elif cjk_end(c):
            out.append(i + 1)
            i += 1
        elif c == 0x0A:
            # a blank line: white space up to the last line break of the run after this one ...
            j = i + 1
            newline = -1
            while j < n and Py_UNICODE_ISSPACE(s[j]):
                if s[j] == 0x0A:
                    newline = j
                j += 1
            if newline >= 0:
                out.append(newline + 1)
                i = newline + 1
            elif j < n and bullet(s[j]):
                # ... or a line break before a list item
                out.append(i + 1)
                i += 1
            else:
                i += 1
        else:
            i += 1
    return out


def sentence_ends(str text):
    """The offsets where the sentences of `text` after its first begin, in order (the ends of the
    sentence-end pattern's matches)."""
    cdef Py_ssize_t n = len(text)
    cdef int kind = PyUnicode_KIND(text)
    if kind == 1:
        return ends_of(<const uint8_t *> PyUnicode_DATA(text), n)
    if kind == 2:
        return ends_of(<const uint16_t *> PyUnicode_DATA(text), n)
    return ends_of(<const uint32_t *> PyUnicode_DATA(text), n)
