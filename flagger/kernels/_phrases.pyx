"""Where index keys may begin in a batch of texts, in C (flagger.engine.phrases `_MatchState.positions`;
loaded by flagger/kernels/__init__.py): one pass over the batch's word ids instead of about twenty numpy
passes over all of them. The positions are the ones the numpy path finds (tests/test_kernels.py and
tests/engine/test_phrase_positions.py compare them)."""

include "_fingerprint.pxi"   # SOURCE_SHA256: the stale-build check (flagger/kernels/__init__.py)

import numpy as np

from libc.stdint cimport int64_t, uint8_t, uint64_t

cdef enum:
    SINGLE = 1
    MULTI = 2
    OTHER = 4


cdef uint64_t MIX = 0x9E3779B97F4A7C15ULL


cdef inline Py_ssize_t slot(int64_t code, int shift) noexcept nogil:
    return <Py_ssize_t>((<uint64_t>code * MIX) >> shift)


def pair_table(const int64_t[::1] pairs):
    """`pairs` (non-negative codes) as an open-addressing hash set: a power-of-two array at most half
    full, -1 where empty, each code at its slot (`slot`) or the first empty one after it. One look-up
    touches one place of the array where a binary search of 160k codes touched ~17."""
    cdef Py_ssize_t n = pairs.shape[0], size = 16, i, h
    cdef int shift = 60
    while size < 2 * n:
        size <<= 1
        shift -= 1
    out = np.full(size, -1, dtype=np.int64)
    cdef int64_t[::1] table = out
    cdef Py_ssize_t mask = size - 1
    with nogil:
        for i in range(n):
            h = slot(pairs[i], shift)
            while table[h] != -1 and table[h] != pairs[i]:
                h = (h + 1) & mask
            table[h] = pairs[i]
    return out


cdef inline bint has(const int64_t[::1] table, int shift, int64_t code) noexcept nogil:
    """Whether `code` is in `pair_table`'s set (a table without an empty place ends the probe too)."""
    cdef Py_ssize_t mask = table.shape[0] - 1, h = slot(code, shift), probes
    cdef int64_t v
    for probes in range(table.shape[0]):
        v = table[h]
        if v == code:
            return True
        if v == -1:
            return False
        h = (h + 1) & mask
    return False


def positions(const int64_t[::1] ids, const int64_t[::1] ends, const uint8_t[::1] flags,
              const int64_t[::1] offsets, const int64_t[::1] counts, const int64_t[::1] alt_ids,
              const int64_t[::1] other_offsets, const int64_t[::1] other_counts, const int64_t[::1] other_ids,
              const int64_t[::1] table, const uint8_t[::1] second):
    """(ones, starts) over the texts one after the other (`ids`: their word ids, -1 for a word not
    learned; `ends`: per text, the position past its last word): where a word is a one-token key,
    and where a key of several words may begin: the start word (flag MULTI) as one of its index
    alternatives (`alt_ids[offsets[id]:][:counts[id]]`), the next word as written or as one of the
    second key words it stands for (flag OTHER; `other_ids[other_offsets[id]:][:other_counts[id]]`),
    such that the (alternative, next word) code `alternative << 32 | next` is in `table` (`pair_table`).
    `second[id]`: the word is some key's second word (ids past its end are none)."""
    cdef Py_ssize_t n = ids.shape[0], n_flags = flags.shape[0], n_second = second.shape[0]
    cdef Py_ssize_t n_texts = ends.shape[0]
    cdef int shift = 64
    while (<Py_ssize_t>1 << (64 - shift)) < table.shape[0]:
        shift -= 1
    ones_out = np.empty(n, dtype=np.int64)
    starts_out = np.empty(n, dtype=np.int64)
    cdef int64_t[::1] ones = ones_out
    cdef int64_t[::1] starts = starts_out
    cdef Py_ssize_t n_ones = 0, n_starts = 0, i, t = 0, j, q, a_lo, a_hi, o_lo, o_hi
    cdef int64_t end = ends[0] if n_texts else 0, wid, nid, alt
    cdef uint8_t f
    cdef bint found
    with nogil:
        for i in range(n):
            while i >= end and t + 1 < n_texts:
                t += 1
                end = ends[t]
            wid = ids[i]
            if wid < 0 or wid >= n_flags:
                continue
            f = flags[wid]
            if f & SINGLE:
                ones[n_ones] = i
                n_ones += 1
            if not (f & MULTI) or i + 1 >= end:
                continue
            nid = ids[i + 1]
            if nid < 0:
                continue
            found = False
            a_lo = offsets[wid]
            a_hi = a_lo + counts[wid]
            if nid < n_second and second[nid]:
                for j in range(a_lo, a_hi):
                    if has(table, shift, (alt_ids[j] << 32) | nid):
                        found = True
                        break
            if not found and nid < n_flags and flags[nid] & OTHER:
                o_lo = other_offsets[nid]
                o_hi = o_lo + other_counts[nid]
                for j in range(a_lo, a_hi):
                    alt = alt_ids[j] << 32
                    for q in range(o_lo, o_hi):
                        if has(table, shift, alt | other_ids[q]):
                            found = True
                            break
                    if found:
                        break
            if found:
                starts[n_starts] = i
                n_starts += 1
    return ones_out[:n_ones].copy(), starts_out[:n_starts].copy()
