"""The batch tokeniser in C (flagger.text.tokenize_batch; loaded by flagger/kernels/__init__.py): one
pass over each text's characters cuts its tokens and numbers their strings in a hash table, instead
of the numpy passes (and the per-position hashing) of the pure path. The tokens are `tokenize`'s and
the words are numbered in the order the texts first hold them, which is `tokenize_each`'s numbering
(tests/test_kernels.py compares them on random text of every script)."""

include "_fingerprint.pxi"   # SOURCE_SHA256: the stale-build check (flagger/kernels/__init__.py)

cimport cython

import numpy as np

from libc.stdint cimport int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.stdlib cimport calloc, free, malloc, realloc
from libc.string cimport memcpy

cdef extern from "Python.h":
    int PyUnicode_KIND(object o)
    void *PyUnicode_DATA(object o)
    uint32_t PyUnicode_READ(int kind, void *data, Py_ssize_t index) nogil
    object PyUnicode_Substring(object o, Py_ssize_t start, Py_ssize_t end)

# flagger.text's character classes (_char_classes: per BMP code point; beyond it: split)
cdef enum:
    WORD_BIT = 1
    APOSTROPHE_BIT = 2
    SPLIT_BIT = 4
    # the longest elided article (lorsqu', puisqu') before its apostrophe
    ELISION_MAX = 6

cdef uint64_t HASH_SEED = 0xCBF29CE484222325ULL
cdef uint64_t HASH_MUL = 0x100000001B3ULL


cdef struct Slot:
    uint64_t key         # a short word's characters packed exactly (`shape` > 0), or a long word's hash
    uint32_t word        # the word's id + 1 (0: an empty slot)
    uint32_t shape       # a short word: length << 2 | bits a character (1: 8, 2: 16, 3: 21); a long one: 0


@cython.final
cdef class _Column:
    """A growing int64 numpy array written from C (handed out as a view of its first `count`)."""
    cdef object array
    cdef int64_t *data
    cdef Py_ssize_t count, room

    def __cinit__(self, Py_ssize_t room):
        self.count = 0
        self._allocate(max(room, 16))

    cdef int _allocate(self, Py_ssize_t room) except -1:
        array = np.empty(room, dtype=np.int64)
        cdef int64_t[::1] view = array
        if self.count:
            memcpy(&view[0], self.data, self.count * sizeof(int64_t))
        self.array, self.data, self.room = array, &view[0], room
        return 0

    cdef inline int push(self, int64_t value) except -1:
        if self.count == self.room:
            self._allocate(2 * self.room)
        self.data[self.count] = value
        self.count += 1
        return 0

    cdef object values(self):
        return self.array[:self.count]


cdef inline uint64_t mix(uint64_t h) nogil:
    h ^= h >> 33
    h *= 0xFF51AFD7ED558CCDULL
    h ^= h >> 33
    return h


cdef class _Words:
    """The batch's distinct token strings, numbered in the order first met, in an open-addressing
    table. A short word (up to 8 characters below U+0100, 4 below U+10000, or 3) is its slot's key:
    its characters packed exactly, so a token finds it without reading anything else; a longer word
    is keyed by its hash and compared with its characters, kept in one arena."""
    cdef Slot *table
    cdef Py_ssize_t capacity     # a power of two, at most half full
    cdef Py_ssize_t count, words_room
    cdef int64_t *at             # per word: where its characters begin in the arena
    cdef int64_t *length         # ... and how many there are
    cdef uint32_t *arena
    cdef Py_ssize_t used, room
    cdef public list words

    def __cinit__(self):
        self.capacity = 1 << 12
        self.table = <Slot *>calloc(self.capacity, sizeof(Slot))
        self.words_room = 1 << 11
        self.at = <int64_t *>malloc(self.words_room * sizeof(int64_t))
        self.length = <int64_t *>malloc(self.words_room * sizeof(int64_t))
        self.room = 1 << 16
        self.arena = <uint32_t *>malloc(self.room * sizeof(uint32_t))
        if self.table == NULL or self.arena == NULL or self.at == NULL or self.length == NULL:
            raise MemoryError()
        self.count = self.used = 0
        self.words = []

    def __dealloc__(self):
        free(self.table)
        free(self.at)
        free(self.length)
        free(self.arena)

    cdef int _grow(self) except -1:
        """Twice the slots, each word placed again by its key."""
        cdef Py_ssize_t cap = self.capacity * 2, i, j
        cdef Slot *table = <Slot *>calloc(cap, sizeof(Slot))
        if table == NULL:
            raise MemoryError()
        for i in range(self.capacity):
            if self.table[i].word:
                j = <Py_ssize_t>(slot_hash(self.table[i].key, self.table[i].shape) & <uint64_t>(cap - 1))
                while table[j].word:
                    j = (j + 1) & (cap - 1)
                table[j] = self.table[i]
        free(self.table)
        self.table, self.capacity = table, cap
        return 0

    cdef int64_t number(self, str text, int kind, void *data, Py_ssize_t start, Py_ssize_t end) except -1:
        """The id of the string text[start:end], a new one the first time it is met."""
        cdef uint64_t h = HASH_SEED
        cdef Py_ssize_t i
        for i in range(start, end):
            h = (h ^ PyUnicode_READ(kind, data, i)) * HASH_MUL
        return self.find(text, kind, data, start, end, h)

    cdef int64_t find(self, str text, int kind, void *data, Py_ssize_t start, Py_ssize_t end,
                      uint64_t h) except -1:
        """`number`, given the hash of the token's characters (HASH_SEED, then per character
        h = (h ^ c) * HASH_MUL)."""
        cdef Py_ssize_t i, j, w, length = end - start
        cdef uint32_t c, top = 0, shape = 0
        cdef uint64_t key = 0
        cdef uint32_t *chars
        cdef uint32_t *grown
        cdef int64_t *more
        if length <= 8:
            for i in range(start, end):
                top |= PyUnicode_READ(kind, data, i)
            if top < 0x100:
                shape = 1
            elif length <= 4 and top < 0x10000:
                shape = 2
            elif length <= 3:
                shape = 3
        if shape:
            c = 8 if shape == 1 else (16 if shape == 2 else 21)
            for i in range(start, end):
                key = (key << c) | PyUnicode_READ(kind, data, i)
            shape |= <uint32_t>length << 2
        else:
            key = h ^ <uint64_t>length
        j = <Py_ssize_t>(slot_hash(key, shape) & <uint64_t>(self.capacity - 1))
        while self.table[j].word:
            if self.table[j].key == key and self.table[j].shape == shape:
                w = self.table[j].word - 1
                if shape:
                    return w
                if self.length[w] == length:
                    chars = self.arena + self.at[w]
                    for i in range(length):
                        if PyUnicode_READ(kind, data, start + i) != chars[i]:
                            break
                    else:
                        return w
            j = (j + 1) & (self.capacity - 1)
        if self.used + length > self.room:
            while self.used + length > self.room:
                self.room *= 2
            grown = <uint32_t *>realloc(self.arena, self.room * sizeof(uint32_t))
            if grown == NULL:
                raise MemoryError()
            self.arena = grown
        if self.count == self.words_room:
            self.words_room *= 2
            more = <int64_t *>realloc(self.at, self.words_room * sizeof(int64_t))
            if more == NULL:
                raise MemoryError()
            self.at = more
            more = <int64_t *>realloc(self.length, self.words_room * sizeof(int64_t))
            if more == NULL:
                raise MemoryError()
            self.length = more
        w = self.count
        if not shape:           # (a short word is its key: its characters are not kept)
            for i in range(length):
                self.arena[self.used + i] = PyUnicode_READ(kind, data, start + i)
        self.table[j].key = key
        self.table[j].shape = shape
        self.table[j].word = <uint32_t>(w + 1)
        self.at[w], self.length[w] = self.used, length
        if not shape:
            self.used += length
        self.count += 1
        self.words.append(PyUnicode_Substring(text, start, end))
        if 2 * self.count > self.capacity:
            self._grow()
        return w


cdef inline uint64_t slot_hash(uint64_t key, uint32_t shape) noexcept nogil:
    return mix(key * 0x9E3779B97F4A7C15ULL + shape)


cdef inline bint elision_candidate(int kind, void *data, Py_ssize_t start, Py_ssize_t apostrophe) noexcept:
    """Whether the token may begin with an elided article (l', dell', qu'...): the characters before
    its first inner apostrophe are few and each an ASCII letter of those articles or not ASCII at all
    (a superset: flagger.text._elision_spans decides, as on the pure path)."""
    cdef Py_ssize_t i
    cdef uint32_t c
    if apostrophe - start > ELISION_MAX:
        return False
    for i in range(start, apostrophe):
        c = PyUnicode_READ(kind, data, i)
        if c < 128:
            c |= 0x20       # an ASCII capital to its small letter (no other character lands on one)
            if not (c == 0x61 or c == 0x63 or c == 0x64 or c == 0x65 or c == 0x69 or c == 0x6A or c == 0x6C
                    or c == 0x6D or c == 0x6E or c == 0x6F or c == 0x70 or c == 0x71 or c == 0x72
                    or c == 0x73 or c == 0x75):      # a c d e i j l m n o p q r s u
                return False
    return True


ctypedef fused char_t:
    uint8_t
    uint16_t
    uint32_t


cdef int cut(str text, const char_t *data, int kind, Py_ssize_t n, const uint8_t *classes, _Words words,
             _Column starts, _Column ends, _Column ids, elision_spans) except -1:
    """Cut one text (none of whose characters is of a script cut into characters, nor beyond the
    BMP) into tokens: runs of word characters and of apostrophes between two word characters; a
    token with an inner apostrophe that may follow an elided article goes to `elision_spans`."""
    cdef Py_ssize_t i = 0, s, apostrophe
    cdef uint8_t cls
    cdef uint64_t h
    cdef bint inner
    while i < n:
        while i < n and not (classes[data[i]] & WORD_BIT):
            i += 1
        if i >= n:
            break
        s, apostrophe = i, -1
        h = (HASH_SEED ^ data[i]) * HASH_MUL
        i += 1
        while i < n:
            cls = classes[data[i]]
            if cls & APOSTROPHE_BIT:
                inner = (classes[data[i - 1]] & WORD_BIT) and i + 1 < n and (classes[data[i + 1]] & WORD_BIT)
                if inner and apostrophe < 0:
                    apostrophe = i
                if not (inner or cls & WORD_BIT):
                    break
            elif not (cls & WORD_BIT):
                break
            h = (h ^ data[i]) * HASH_MUL
            i += 1
        if apostrophe >= 0 and elision_candidate(kind, <void *>data, s, apostrophe):
            spans = elision_spans(PyUnicode_Substring(text, s, i), s, i)
            if spans is not None:
                for a, b in spans:
                    starts.push(a)
                    ends.push(b)
                    ids.push(words.number(text, kind, <void *>data, a, b))
                continue
        starts.push(s)
        ends.push(i)
        ids.push(words.find(text, kind, <void *>data, s, i, h))
    return 0


def tokenize(list texts, const uint8_t[::1] classes, general, elision_spans):
    """Tokens of every text, as flagger.text.tokenize cuts them, and their strings numbered for the
    whole batch in the order first met.

    `classes`: flagger.text._char_classes(); `general(text)`: flagger.text.tokenize, for a text
    holding a character of a script cut into characters or one beyond the BMP (its tokens join the
    numbering in place); `elision_spans`: flagger.text._elision_spans, for a token that may begin
    with an elided article. Returns (starts, ends, ids, bounds, words, general_tokens): the offsets
    (within each text) and word ids of every token of the texts cut here, as int64 arrays, text k's
    being [bounds[k]:bounds[k + 1]]; the words; and per text handed to `general`, by its index, its
    Tokens and their word ids."""
    cdef Py_ssize_t n_texts = len(texts), k, n, i, s, apostrophe, total = 0
    cdef int kind
    cdef void *data
    cdef uint32_t c
    cdef bint split
    cdef _Column starts, ends, ids
    cdef _Words words = _Words()
    for text in texts:
        total += len(<str>text)
    bounds = [0]
    general_tokens = {}
    starts = _Column(total // 4 + 16)      # (news text: a token every ~5 characters)
    ends = _Column(total // 4 + 16)
    ids = _Column(total // 4 + 16)
    for k in range(n_texts):
        text = <str>texts[k]
        n = len(text)
        kind = PyUnicode_KIND(text)
        data = PyUnicode_DATA(text)
        split = False
        if kind != 1:       # (no character below U+0E00 is of a script cut into characters)
            for i in range(n):
                c = PyUnicode_READ(kind, data, i)
                if c >= 0x0E00 and (c > 0xFFFF or classes[c] & SPLIT_BIT):
                    split = True
                    break
        if split:
            toks = general(text)
            raw_starts, raw_ends = toks.starts, toks.ends
            got = np.empty(len(raw_starts), dtype=np.int64)
            for i in range(len(raw_starts)):
                got[i] = words.number(text, kind, data, raw_starts[i], raw_ends[i])
            general_tokens[k] = (toks, got)
            bounds.append(starts.count)
            continue
        if kind == 1:
            cut(text, <const uint8_t *>data, kind, n, &classes[0], words, starts, ends, ids, elision_spans)
        elif kind == 2:
            cut(text, <const uint16_t *>data, kind, n, &classes[0], words, starts, ends, ids, elision_spans)
        else:
            cut(text, <const uint32_t *>data, kind, n, &classes[0], words, starts, ends, ids, elision_spans)
        bounds.append(starts.count)
    return starts.values(), ends.values(), ids.values(), bounds, words.words, general_tokens
