"""Copy grouping's shingles in C (flagger.sources.dedupe; loaded by flagger/kernels/__init__.py): one pass over a
text's characters instead of about ten numpy passes over a slice of texts. The hashes are the ones
dedupe's pure path computes (tests/test_kernels.py compares them on random text of every script)."""

include "_fingerprint.pxi"   # SOURCE_SHA256: the stale-build check (flagger/kernels/__init__.py)

import numpy as np

from libc.stdint cimport int64_t, uint8_t, uint16_t, uint32_t, uint64_t

cdef extern from "Python.h":
    int PyUnicode_KIND(object o)
    void *PyUnicode_DATA(object o)
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch) nogil

cdef enum:
    SHINGLE = 5
cdef uint64_t WORD_BASE = 0x100000001B3ULL
cdef uint64_t WORD_LENGTH = 0x9E3779B97F4A7C15ULL
cdef uint64_t SHORT = 0x27D4EB2F165667C5ULL
cdef uint64_t[5] MIX = [0x9E3779B97F4A7C15ULL, 0xC2B2AE3D27D4EB4FULL, 0x165667B19E3779F9ULL,
                        0xD6E8FEB86659FD93ULL, 0xFF51AFD7ED558CCDULL]
cdef uint32_t MANY = 0xFFFFFFFFU


cdef inline uint64_t rotl29(uint64_t x) nogil:
    return (x << 29) | (x >> 35)


ctypedef fused char_t:
    uint8_t
    uint16_t
    uint32_t


cdef Py_ssize_t word_hashes(const char_t *data, Py_ssize_t n, const uint32_t *fold, const uint8_t *word_chars,
                            bint folded, uint64_t *words) noexcept:
    """Each word's hash into `words`, and how many there are; -1 when a character's casefold is
    not one character (or it lies beyond the BMP) and the text is not `folded`."""
    cdef Py_ssize_t i, nwords = 0, length = 0
    cdef uint32_t c, f
    cdef bint is_word
    cdef uint64_t h = 0, power = WORD_BASE
    for i in range(n + 1):
        if i < n:
            c = data[i]
            if c < 0x10000:
                f = fold[c]
                if f == MANY:
                    if not folded:
                        return -1
                    f = c
                is_word = word_chars[f] if f < 0x10000 else (Py_UNICODE_ISALNUM(f) or f == 0x5F)
            else:
                if not folded:
                    return -1
                f = c
                is_word = Py_UNICODE_ISALNUM(f) or f == 0x5F
        else:
            is_word = False
        if is_word:
            h += (<uint64_t>f + 1) * power
            power *= WORD_BASE
            length += 1
        elif length:
            h ^= (<uint64_t>length) * WORD_LENGTH
            h *= MIX[4]
            h ^= h >> 31
            words[nwords] = h
            nwords += 1
            h, power, length = 0, WORD_BASE, 0
    return nwords


def shingles(str text, const uint32_t[::1] fold, const uint8_t[::1] word_chars, bint folded):
    """The sorted distinct word 5-gram hashes of `text` (uint64), as dedupe's `_slice_shingles`
    computes them: words are runs of `\\w` characters of the casefolded text, each hashed by the
    sum of (code point + 1) * BASE**(position + 1) mixed with its length.

    `fold` is dedupe's `_fold_table` (per BMP code point its one-character casefold, else MANY) and
    `word_chars` its `_word_chars` table as bytes. None when the text holds a character whose
    casefold is not one character (or one beyond the BMP) and `folded` is false: the caller then
    passes `text.casefold()` with `folded` true, whose characters are their own casefolds."""
    cdef Py_ssize_t n = len(text), i, nwords, k, m, kept
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef uint64_t h, g
    words_arr = np.empty(n // 2 + 1, dtype=np.uint64)
    cdef uint64_t[::1] words = words_arr
    if kind == 1:
        nwords = word_hashes(<const uint8_t *>data, n, &fold[0], &word_chars[0], folded, &words[0])
    elif kind == 2:
        nwords = word_hashes(<const uint16_t *>data, n, &fold[0], &word_chars[0], folded, &words[0])
    else:
        nwords = word_hashes(<const uint32_t *>data, n, &fold[0], &word_chars[0], folded, &words[0])
    if nwords < 0:
        return None
    if nwords == 0:
        return np.zeros(0, dtype=np.uint64)
    if nwords < SHINGLE:
        h = SHORT * <uint64_t>nwords
        for k in range(nwords):
            h = ((h ^ words[k]) * MIX[k]) ^ (h >> 35)
        out = np.empty(1, dtype=np.uint64)
        out[0] = h
        return out
    m = nwords - SHINGLE + 1
    grams_arr = np.empty(m, dtype=np.uint64)
    cdef uint64_t[::1] grams = grams_arr
    for i in range(m):
        g = words[i] * MIX[0]
        for k in range(1, SHINGLE):
            g = rotl29(g) ^ (words[i + k] * MIX[k])
        grams[i] = g
    grams_arr.sort()
    kept = 1
    for i in range(1, m):
        if grams[i] != grams[kept - 1]:
            grams[kept] = grams[i]
            kept += 1
    return grams_arr[:kept].copy() if kept < m else grams_arr


def held(const uint64_t[::1] keys, list sets, list has):
    """Every (sketch key, record) with the key among the record's shingles, as dedupe's `_held`
    gives them (the same pairs in the same order: records in `has` order, each one's shingles in
    order): the keys' indexes into sorted `keys` and the records' indexes, as int64 arrays. Each
    shingle is looked up in a hash table of the keys instead of a binary search."""
    cdef Py_ssize_t n_keys = len(keys), capacity = 16, i, j, r, found = 0, room
    cdef uint64_t mask, h
    cdef const uint64_t[::1] shingles
    while capacity < 2 * n_keys:
        capacity *= 2
    mask = capacity - 1
    slot_arr = np.full(capacity, -1, dtype=np.int64)      # the key's index, -1: empty
    cdef int64_t[::1] slot = slot_arr
    for i in range(n_keys):
        j = <Py_ssize_t>(spread(keys[i]) & mask)
        while slot[j] >= 0 and keys[slot[j]] != keys[i]:
            j = (j + 1) & mask
        if slot[j] < 0:
            slot[j] = i
    # a bitmap of the keys' hashes (16+ bits a key, in cache): most shingles are no key, and leave here
    cdef Py_ssize_t bits = 1 << 16
    while bits < 16 * n_keys:
        bits *= 2
    cdef uint64_t bit_mask = bits - 1
    bitmap_arr = np.zeros(bits // 8, dtype=np.uint8)
    cdef uint8_t[::1] bitmap = bitmap_arr
    for i in range(n_keys):
        h = spread(keys[i]) >> 20
        bitmap[(h & bit_mask) >> 3] |= 1 << (h & 7)
    room = 1024
    key_arr = np.empty(room, dtype=np.int64)
    holder_arr = np.empty(room, dtype=np.int64)
    cdef int64_t[::1] key_of = key_arr
    cdef int64_t[::1] holder = holder_arr
    for record in has:
        r = record
        shingles = sets[r]
        for i in range(len(shingles)):
            h = shingles[i]
            j = <Py_ssize_t>(spread(h) >> 20)
            if not (bitmap[(j & bit_mask) >> 3] >> (j & 7)) & 1:
                continue
            j = <Py_ssize_t>(spread(h) & mask)
            while slot[j] >= 0:
                if keys[slot[j]] == h:
                    if found == room:
                        room *= 2
                        key_arr = np.resize(key_arr, room)
                        holder_arr = np.resize(holder_arr, room)
                        key_of = key_arr
                        holder = holder_arr
                    key_of[found] = slot[j]
                    holder[found] = r
                    found += 1
                    break
                j = (j + 1) & mask
    return key_arr[:found].copy(), holder_arr[:found].copy()


cdef inline uint64_t spread(uint64_t h) noexcept nogil:
    h ^= h >> 33
    h *= 0xFF51AFD7ED558CCDULL
    h ^= h >> 33
    return h
