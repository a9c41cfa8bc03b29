# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled loops of dedup.kernels (see there): each gives what its reference in
dedup.kernels.reference gives, bit for bit."""

import numpy as np


from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy
from libc.stdint cimport int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t

cdef extern from "Python.h" nogil:  # table lookups: no Python object is touched
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch)
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)

cdef enum:
    CODE_BITS = 21  # dedup.chars.CODE_BITS
    CODE_MASK = (1 << 21) - 1
    PENDING = 256  # marks held after one letter; a longer run is ordered in pieces
    ONE_OF_MANY = 0xFFFFFFFF
    RUN_LETTER = 1
    RUN_DIGIT = 2
    WORD = 1
    DIGIT = 4
    JOIN = 8
    UNIT = 16
    LEAD = 32


cdef inline uint8_t _cls(const uint8_t[::1] table, uint32_t c) noexcept nogil:
    return table[c] if c < <uint32_t>table.shape[0] else 0


cdef inline bint _digit_next(const uint32_t[::1] codes, const uint8_t[::1] table, Py_ssize_t i) noexcept nogil:
    """Whether the first character from ``i`` on that is not a joiner is a digit."""
    cdef Py_ssize_t n = codes.shape[0]
    cdef uint8_t b
    while i < n:
        b = _cls(table, codes[i])
        if not (b & JOIN):
            return (b & DIGIT) != 0
        i += 1
    return False


cdef inline uint64_t _mix64(uint64_t x) noexcept nogil:
    """splitmix64's finalizer (dedup.hashing.mix64)."""
    x ^= x >> 30
    x *= 0xBF58476D1CE4E5B9ULL
    x ^= x >> 27
    x *= 0x94D049BB133111EBULL
    x ^= x >> 31
    return x


def words(const uint32_t[::1] codes, const uint8_t[::1] cls_table, const uint32_t[::1] fold_at,
          const uint32_t[::1] fold_codes, const uint64_t[::1] powers, uint64_t length_mix):
    """Words of the joined text ``codes``: starts, ends, folded hashes, and the
    class bits of each word's first character (reference.words)."""
    cdef Py_ssize_t count, cap = codes.shape[0] + 1  # the most words the characters can hold
    found = (np.empty(cap, np.int64), np.empty(cap, np.int64), np.empty(cap, np.uint64), np.empty(cap, np.uint8))
    count = _words(codes, cls_table, fold_at, fold_codes, powers, length_mix, found[0], found[1], found[2],
                   found[3])
    for column in found:  # cut to the words found, in place (realloc), not held at the most
        column.resize(count, refcheck=False)
    return found


cdef Py_ssize_t _words(const uint32_t[::1] codes, const uint8_t[::1] cls_table, const uint32_t[::1] fold_at,
                       const uint32_t[::1] fold_codes, const uint64_t[::1] powers, uint64_t length_mix,
                       int64_t[::1] starts, int64_t[::1] ends, uint64_t[::1] raw, uint8_t[::1] first):
    """What :func:`words` gives, written to its four columns, without the GIL; the number of words."""
    cdef Py_ssize_t n = codes.shape[0], count = 0, i = 0, start, rel, k, j, held
    cdef Py_ssize_t top = powers.shape[0] - 1
    cdef uint32_t c, f, order
    cdef uint32_t marks[PENDING]
    cdef uint32_t ascii[128]  # the folded code of an ASCII character that folds to one unmarked code, else ONE_OF_MANY
    cdef uint8_t run[128]  # RUN_LETTER or RUN_DIGIT: an ASCII word character of one code, no unit or lead; else 0
    cdef uint8_t bits, b
    cdef uint64_t acc
    cdef bint unit = False, digit = False, lead = False
    with nogil:
        for c in range(128):
            ascii[c] = ONE_OF_MANY
            if c + 1 < <uint32_t>fold_at.shape[0] and fold_at[c + 1] == fold_at[c] + 1 \
                    and fold_codes[fold_at[c]] >> CODE_BITS == 0:
                ascii[c] = fold_codes[fold_at[c]]
            run[c] = 0
            if ascii[c] != ONE_OF_MANY and _cls(cls_table, c) & (WORD | JOIN | UNIT | LEAD) == WORD:
                run[c] = RUN_DIGIT if _cls(cls_table, c) & DIGIT else RUN_LETTER
        while i < n:
            bits = _cls(cls_table, codes[i])
            if not (bits & WORD):
                i += 1  # a separator, or a joiner after one
                continue
            start = i
            acc = 0
            rel = 0
            held = 0
            b = bits
            while True:
                # the character at i belongs to the word: fold it in, the marks after a
                # letter held back and put in canonical order (stable by class) first
                c = codes[i]
                if c < 128 and held == 0 and ascii[c] != ONE_OF_MANY:  # most characters: one code, no marks
                    acc += <uint64_t>ascii[c] * powers[rel if rel < top else top]
                    rel += 1
                else:
                    for k in range(fold_at[c], fold_at[c + 1]):
                        f = fold_codes[k]
                        order = f >> CODE_BITS
                        if order and held < PENDING:
                            j = held
                            while j > 0 and (marks[j - 1] >> CODE_BITS) > order:
                                marks[j] = marks[j - 1]
                                j -= 1
                            marks[j] = f
                            held += 1
                            continue
                        for j in range(held):
                            acc += <uint64_t>(marks[j] & CODE_MASK) * powers[rel if rel < top else top]
                            rel += 1
                        held = 0
                        acc += <uint64_t>(f & CODE_MASK) * powers[rel if rel < top else top]
                        rel += 1
                if not (b & JOIN):
                    digit = (b & DIGIT) != 0
                    unit = (b & UNIT) != 0
                # a lead among the joiners after a character leads as well: marks come in any order
                lead = (lead or (b & LEAD) != 0) if b & JOIN else (b & LEAD) != 0
                if held == 0 and not unit:
                    # the run of plain ASCII letters and digits that follows: what the steps
                    # below do for each of them (it continues the word; no mark, lead or unit)
                    while i + 1 < n and codes[i + 1] < 128 and run[codes[i + 1]]:
                        i += 1
                        acc += <uint64_t>ascii[codes[i]] * powers[rel if rel < top else top]
                        rel += 1
                        digit = run[codes[i]] == RUN_DIGIT
                        lead = False
                i += 1
                if i >= n:
                    break
                b = _cls(cls_table, codes[i])
                if b & JOIN:
                    continue
                if b & WORD:
                    if (unit or b & UNIT) and not lead:
                        break  # a unit is a word by itself, unless a lead before it takes it
                    continue
                c = codes[i]
                # a figure is one word: a mark between two digits joins them
                if (c == 44 or c == 46 or c == 47) and digit and _digit_next(codes, cls_table, i + 1):
                    continue
                break
            for j in range(held):
                acc += <uint64_t>(marks[j] & CODE_MASK) * powers[rel if rel < top else top]
                rel += 1
            starts[count] = start
            ends[count] = i
            raw[count] = _mix64(acc ^ (<uint64_t>rel * length_mix))
            first[count] = bits
            count += 1
    return count


cdef enum:
    MARK = 1  # dedup.kernels.reference.MARK, WIDE, SPACE
    WIDE = 2
    SPACE = 4


cdef inline uint8_t _kind(const uint8_t[::1] kinds, uint32_t c) noexcept nogil:
    return kinds[c] if c < <uint32_t>kinds.shape[0] else 0


def sentences(const uint32_t[::1] codes, const uint8_t[::1] kinds, const int64_t[::1] starts,
              const int64_t[::1] ends, const int64_t[::1] text_starts, Py_ssize_t look, uint8_t stop,
              uint8_t closes):
    """Each word's ``stop`` and ``closes`` bits from the characters of its gap to the
    next word of its text, one word at a time (reference.sentences)."""
    cdef Py_ssize_t n = codes.shape[0], count = starts.shape[0], texts = text_starts.shape[0] - 1
    cdef Py_ssize_t w, t = 0, p, k, gap_end, text_end, breaks
    cdef uint8_t kind, bits
    out_arr = np.zeros(count, np.uint8)
    cdef uint8_t[::1] out = out_arr
    with nogil:
        for w in range(count):
            while t + 1 < texts and starts[w] >= text_starts[t + 1]:
                t += 1
            text_end = text_starts[t + 1] - 1
            gap_end = starts[w + 1] if w + 1 < count else n
            bits = 0
            if gap_end >= text_end:
                gap_end = text_end
                bits = closes  # the text's last word
            p = ends[w]
            if p < text_end and _kind(kinds, codes[p]) & MARK:
                bits |= stop
            breaks = 0
            while not (bits & closes) and p < gap_end:
                kind = _kind(kinds, codes[p])
                if codes[p] == 10:
                    breaks += 1
                    if breaks >= 2:
                        bits |= closes  # a blank line
                elif kind & MARK:
                    if kind & WIDE:
                        bits |= closes
                    for k in range(p + 1, min(p + look + 1, gap_end)):
                        if _kind(kinds, codes[k]) & SPACE:
                            bits |= closes
                            break
                p += 1
            out[w] = bits
    return out_arr


cdef inline int _family(Py_UCS4 c) noexcept nogil:
    """The family of a double quotation mark (dedup.quotes.FAMILIES), or -1."""
    if c == 0x22 or c == 0x201C or c == 0x201D or c == 0x201E or c == 0x201F or c == 0xFF02:
        return 0
    if c == 0xAB or c == 0xBB:
        return 1
    if c == 0x300C or c == 0x300D:
        return 2
    if c == 0x300E or c == 0x300F:
        return 3
    return -1


cdef inline bint _guillemet(Py_UCS4 c) noexcept nogil:
    return c == 0x2039 or c == 0x203A


cdef inline bint _mark(Py_UCS4 c) noexcept nogil:
    if c < 0x22 or 0x27 < c < 0xAB:  # most characters: none of the marks is among them
        return False
    return _family(c) >= 0 or _guillemet(c) or c == 0x2018 or c == 0x2019 or c == 0x27 or c == 0x201A


cdef inline bint _blank(Py_UCS4 c) noexcept nogil:
    return c == 0x20 or c == 0x09 or c == 0x0D or c == 0x0C or c == 0x0B


cdef inline Py_ssize_t _blank_line(const uint32_t[::1] codes, Py_ssize_t p, Py_ssize_t hi) noexcept nogil:
    """Where the line break that makes the one at ``p`` a blank line stands, or -1."""
    cdef Py_ssize_t j = p + 1
    while j < hi and _blank(codes[j]):
        j += 1
    return j if j < hi and codes[j] == 0x0A else -1


cdef inline bint _indented(const uint32_t[::1] codes, Py_ssize_t p, Py_ssize_t hi) noexcept nogil:
    """Whether the line after the break at ``p`` is indented (a tab, or two spaces or a space and a tab)."""
    return p + 1 < hi and (codes[p + 1] == 0x09 or (codes[p + 1] == 0x20 and p + 2 < hi
                                                     and (codes[p + 2] == 0x20 or codes[p + 2] == 0x09)))


cdef Py_ssize_t _add(int64_t** parts, Py_ssize_t* cap, Py_ssize_t count, int64_t start, int64_t end,
                     bint* failed) noexcept nogil:
    """Append ``(start, end)`` to the growing buffer of ranges (``failed`` set when memory runs out)."""
    cdef int64_t* grown
    if count == cap[0]:
        grown = <int64_t*>realloc(parts[0], 4 * cap[0] * sizeof(int64_t))
        if grown == NULL:
            failed[0] = True
            return count
        parts[0], cap[0] = grown, 2 * cap[0]
    parts[0][2 * count] = start
    parts[0][2 * count + 1] = end
    return count + 1


cdef void _merged(int64_t* parts, Py_ssize_t count, list found):
    """Append one text's ranges to ``found`` sorted, overlapping or touching ones joined,
    empty ones left out (dedup.ranges.merge)."""
    cdef Py_ssize_t i, j
    cdef int64_t s, e, last_s = 0, last_e = -1
    cdef bint held = False
    for i in range(1, count):  # a few ranges, nearly in order: insertion sort by (start, end)
        s, e = parts[2 * i], parts[2 * i + 1]
        j = i
        while j > 0 and (parts[2 * j - 2] > s or (parts[2 * j - 2] == s and parts[2 * j - 1] > e)):
            parts[2 * j], parts[2 * j + 1] = parts[2 * j - 2], parts[2 * j - 1]
            j -= 1
        parts[2 * j], parts[2 * j + 1] = s, e
    for i in range(count):
        s, e = parts[2 * i], parts[2 * i + 1]
        if e <= s:
            continue
        if held and s <= last_e:
            last_e = max(last_e, e)
            continue
        if held:
            found.append((last_s, last_e))
        last_s, last_e, held = s, e, True
    if held:
        found.append((last_s, last_e))


def quotations(const uint32_t[::1] codes, const int64_t[::1] text_starts):
    """Quotation ranges of every text, in offsets of the joined ``codes``
    (text ``i`` is ``codes[text_starts[i]:text_starts[i + 1] - 1]``): what
    :func:`dedup.quotes.regions` gives for each text, shifted (reference.quotations).
    The characters are read without the GIL, every text of the batch in one go."""
    cdef Py_ssize_t texts = text_starts.shape[0] - 1, t, lo, hi, p, j, skip, double, single
    cdef Py_ssize_t count = 0, cap = 64
    cdef int f, family
    cdef Py_UCS4 c, prev, nxt, opener
    cdef bint any_mark, paragraphs, ends, failed = False
    cdef int64_t* parts = <int64_t*>malloc(2 * cap * sizeof(int64_t))
    cdef int64_t* first = <int64_t*>malloc((texts + 1) * sizeof(int64_t))  # each text's first range
    if parts == NULL or first == NULL:
        free(parts)
        free(first)
        raise MemoryError()
    found = []
    try:
        with nogil:
            for t in range(texts):
                first[t] = count
                lo, hi = text_starts[t], text_starts[t + 1] - 1
                any_mark = False
                for p in range(lo, hi):
                    if _mark(codes[p]):
                        any_mark = True
                        break
                if not any_mark:
                    continue
                # paragraph ends: blank lines and indented lines when the text has any, else every line break
                paragraphs = False
                for p in range(lo, hi):
                    if codes[p] == 0x0A and (_blank_line(codes, p, hi) >= 0 or _indented(codes, p, hi)):
                        paragraphs = True
                        break
                double = single = skip = -1
                family = -1
                opener = 0
                for p in range(lo, hi):
                    c = codes[p]
                    if c == 0x0A:
                        if not paragraphs:
                            ends = True
                        else:
                            # the break closing a blank line does not open another one
                            j = _blank_line(codes, p, hi) if p != skip else -1
                            if j >= 0:
                                skip = j
                            ends = j >= 0 or _indented(codes, p, hi)
                        if ends:
                            if double >= 0:
                                count = _add(&parts, &cap, count, double, p, &failed)
                            if single >= 0:
                                count = _add(&parts, &cap, count, single, p, &failed)
                            double = single = -1
                            continue
                    if not _mark(c):
                        continue
                    f = _family(c)
                    if f >= 0:
                        if double < 0:
                            if c != 0x300D and c != 0x300F:  # a closing corner bracket opens nothing
                                double = p
                                family = f
                        elif f == family and c != 0x300C and c != 0x300E:
                            count = _add(&parts, &cap, count, double, p + 1, &failed)
                            double = -1
                        continue  # another family's mark quotes inside the quotation
                    if _guillemet(c):
                        if single >= 0 and _guillemet(opener):
                            count = _add(&parts, &cap, count, single, p + 1, &failed)
                            single = -1
                        elif single < 0 and double < 0:
                            single = p
                            opener = c
                        continue
                    prev = codes[p - 1] if p > lo else 0x20
                    nxt = codes[p + 1] if p + 1 < hi else 0x20
                    if Py_UNICODE_ISALNUM(prev) and Py_UNICODE_ISALNUM(nxt):
                        continue  # an apostrophe inside a word
                    if single >= 0 and not _guillemet(opener) \
                            and (c == 0x2019 or c == 0x27 or (c == 0x2018 and opener == 0x201A)) \
                            and not Py_UNICODE_ISSPACE(prev) and not Py_UNICODE_ISALNUM(nxt):
                        count = _add(&parts, &cap, count, single, p + 1, &failed)
                        single = -1
                    elif single < 0 and double < 0 and (c == 0x2018 or c == 0x27 or c == 0x201A) \
                            and not Py_UNICODE_ISALNUM(prev) and Py_UNICODE_ISALNUM(nxt):
                        single = p
                        opener = c
                if double >= 0:
                    count = _add(&parts, &cap, count, double, hi, &failed)
                if single >= 0:
                    count = _add(&parts, &cap, count, single, hi, &failed)
            first[texts] = count
        if failed:
            raise MemoryError()
        for t in range(texts):
            _merged(parts + 2 * first[t], first[t + 1] - first[t], found)
    finally:
        free(parts)
        free(first)
    return found


cdef void _grams(const uint64_t[::1] hashes, Py_ssize_t k, uint64_t prime, uint64_t* out) noexcept nogil:
    """What dedup.hashing.ngram_hashes gives, written to ``out``: the polynomial of each
    gram rolled on from the one before (exact, arithmetic modulo 2**64)."""
    cdef Py_ssize_t i, j, count = hashes.shape[0] - k + 1
    cdef uint64_t acc = 0, top = 1
    if count <= 0:
        return
    for j in range(k):
        acc = acc * prime + hashes[j]
        if j:
            top *= prime  # prime ** (k - 1): the weight of a gram's first word
    out[0] = _mix64(acc)
    for i in range(1, count):
        if k:  # a gram of no words is 0 everywhere
            acc = (acc - hashes[i - 1] * top) * prime + hashes[i + k - 1]
        out[i] = _mix64(acc)


cdef Py_ssize_t _collect(const uint64_t* ga, const uint64_t* gb, const int64_t* head, const int64_t* nxt,
                        const int64_t* cnt, const int64_t* where, Py_ssize_t na, Py_ssize_t nb,
                        Py_ssize_t k, int64_t** out) noexcept nogil:
    """Rows of maximal runs written to ``*out`` (grown with realloc); their number, or -1 without memory."""
    cdef Py_ssize_t i, j, length, rows = 0, room = 0
    cdef int64_t* grown
    for i in range(na):
        if cnt[i] == 0:
            continue
        j = head[where[i]]
        while j >= 0:
            # a run starts here unless the words before match too
            if not (i > 0 and j > 0 and cnt[i - 1] > 0 and ga[i - 1] == gb[j - 1]):
                length = 1
                while i + length < na and j + length < nb and cnt[i + length] > 0 \
                        and ga[i + length] == gb[j + length]:
                    length += 1
                if rows == room:
                    room = 2 * room + 16
                    grown = <int64_t*>realloc(out[0], 3 * room * sizeof(int64_t))
                    if grown == NULL:
                        return -1
                    out[0] = grown
                out[0][3 * rows] = i
                out[0][3 * rows + 1] = j
                out[0][3 * rows + 2] = length + k - 1
                rows += 1
            j = nxt[j]
    return rows


def anchors(const uint64_t[::1] a, const uint64_t[::1] b, Py_ssize_t k, Py_ssize_t max_repeats,
            uint64_t prime):
    """Maximal runs of ``k`` or more identical words: rows ``(a_first, b_first, length)``
    sorted by ``a_first`` then ``b_first``, as reference.anchors gives them."""
    cdef Py_ssize_t na = a.shape[0] - k + 1, nb = b.shape[0] - k + 1
    if na <= 0 or nb <= 0:
        return np.zeros((0, 3), np.int64)
    cdef Py_ssize_t cap = 1, mask, slot, i, j, rows = 0
    while cap < 2 * nb:
        cap <<= 1
    mask = cap - 1
    # one block of scratch memory: a pair of short texts is mostly allocation otherwise
    cdef uint64_t* ga = <uint64_t*>malloc((na + nb + cap) * sizeof(uint64_t)
                                          + (2 * cap + nb + 2 * na) * sizeof(int64_t))
    if ga == NULL:
        raise MemoryError()
    cdef uint64_t* gb = ga + na
    cdef uint64_t* keys = gb + nb
    cdef int64_t* head = <int64_t*>(keys + cap)
    cdef int64_t* count = head + cap
    cdef int64_t* nxt = count + cap
    cdef int64_t* cnt = nxt + nb  # occurrences in b of a's gram at each position (0: none or too many)
    cdef int64_t* where = cnt + na  # its slot in the table
    cdef int64_t* out = NULL
    cdef int64_t[:, ::1] view
    try:
        with nogil:
            _grams(a, k, prime, ga)
            _grams(b, k, prime, gb)
            for slot in range(cap):
                head[slot] = -1
                count[slot] = 0
            # b's grams in an open-addressing table; each slot chains its positions in ascending order
            for j in range(nb - 1, -1, -1):
                slot = <Py_ssize_t>(gb[j] & mask)
                while head[slot] >= 0 and keys[slot] != gb[j]:
                    slot = (slot + 1) & mask
                keys[slot] = gb[j]
                nxt[j] = head[slot]
                head[slot] = j
                count[slot] += 1
            for i in range(na):
                cnt[i] = 0
                slot = <Py_ssize_t>(ga[i] & mask)
                while head[slot] >= 0 and keys[slot] != ga[i]:
                    slot = (slot + 1) & mask
                if head[slot] >= 0 and count[slot] <= max_repeats:
                    cnt[i] = count[slot]
                    where[i] = slot
            rows = _collect(ga, gb, head, nxt, cnt, where, na, nb, k, &out)
        if rows < 0:
            raise MemoryError()
        result = np.empty((rows, 3), np.int64)
        if rows:
            view = result
            memcpy(&view[0, 0], out, 3 * rows * sizeof(int64_t))
        return result
    finally:
        free(ga)
        free(out)


def winnow(const uint64_t[::1] hashes, const int64_t[::1] bounds, Py_ssize_t n, Py_ssize_t w,
           uint64_t prime, int64_t first_doc):
    """Winnowed fingerprints of every text of a batch, as reference.winnow
    gives them: ``(hashes, docs, positions)``."""
    cdef Py_ssize_t docs = bounds.shape[0] - 1, total = hashes.shape[0], d, lo, length, s, t, best, last
    cdef Py_ssize_t count = 0, shingles, span = n + w - 1
    cap = max(total, 1)
    sh_arr = np.empty(cap, np.uint64)
    out_h_arr = np.empty(cap, np.uint64)
    out_d_arr = np.empty(cap, np.int64)
    out_p_arr = np.empty(cap, np.int32)
    cdef uint64_t[::1] sh = sh_arr
    cdef uint64_t[::1] out_h = out_h_arr
    cdef int64_t[::1] out_d = out_d_arr
    cdef int32_t[::1] out_p = out_p_arr
    with nogil:
        for d in range(docs):
            lo = bounds[d]
            length = bounds[d + 1] - lo
            if length < n:
                continue
            shingles = length - n + 1
            _grams(hashes[lo:lo + length], n, prime, &sh[0])
            if length < span:  # shorter than one passage: the minimum of all its shingles
                best = 0
                for t in range(1, shingles):
                    if sh[t] < sh[best]:
                        best = t
                out_h[count] = sh[best]
                out_d[count] = d + first_doc
                out_p[count] = <int32_t>best
                count += 1
                continue
            last = -1
            for s in range(shingles - w + 1):
                best = s
                for t in range(s + 1, s + w):
                    if sh[t] < sh[best]:
                        best = t
                if best != last:
                    out_h[count] = sh[best]
                    out_d[count] = d + first_doc
                    out_p[count] = <int32_t>best
                    count += 1
                    last = best
    return out_h_arr[:count].copy(), out_d_arr[:count].copy(), out_p_arr[:count].copy()


cdef inline Py_ssize_t _gap(tuple x, tuple y):
    return max(<Py_ssize_t>y[0] - <Py_ssize_t>x[0] - <Py_ssize_t>x[2], <Py_ssize_t>y[1] - <Py_ssize_t>x[1] - <Py_ssize_t>x[2])


def chains(const int64_t[:, ::1] runs, Py_ssize_t max_gap):
    """Anchors grouped into trimmed chains, as reference.chains gives them."""
    cdef Py_ssize_t count = runs.shape[0], r, idx, c, best, best_cost, cost, last, still
    cdef Py_ssize_t n_active = 0, n_chains = 0, a0, b0, ca1, cb1, gap_a, gap_b, lo, hi
    if count == 0:
        return []
    active_arr = np.empty(count, np.int64)
    last_arr = np.empty(count, np.int64)
    of_arr = np.empty(count, np.int64)
    cdef int64_t[::1] active = active_arr
    cdef int64_t[::1] last_run = last_arr
    cdef int64_t[::1] chain_of = of_arr
    for r in range(count):
        a0, b0 = runs[r, 0], runs[r, 1]
        best = -1
        best_cost = 0
        still = 0
        for idx in range(n_active):
            c = active[idx]
            last = last_run[c]
            ca1 = runs[last, 0] + runs[last, 2]
            cb1 = runs[last, 1] + runs[last, 2]
            if ca1 < a0 - max_gap:
                continue  # too far behind to be extended again
            active[still] = c
            still += 1
            gap_a, gap_b = a0 - ca1, b0 - cb1
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                cost = abs(gap_a - gap_b) + max(gap_a, gap_b)
                if best < 0 or cost < best_cost:
                    best, best_cost = c, cost
        n_active = still
        if best >= 0:
            chain_of[r] = best
            last_run[best] = r
        else:
            chain_of[r] = n_chains
            last_run[n_chains] = r
            active[n_active] = n_chains
            n_active += 1
            n_chains += 1
    grouped = [[] for _ in range(n_chains)]
    for r in range(count):
        grouped[chain_of[r]].append((runs[r, 0], runs[r, 1], runs[r, 2]))
    result = []
    for chain in grouped:
        # drop end anchors shorter than the gap that joins them (reference.trim)
        lo, hi = 0, len(chain)
        while hi - lo > 1 and <Py_ssize_t>chain[lo][2] < _gap(chain[lo], chain[lo + 1]):
            lo += 1
        while hi - lo > 1 and <Py_ssize_t>chain[hi - 1][2] < _gap(chain[hi - 2], chain[hi - 1]):
            hi -= 1
        result.append(chain[lo:hi])
    return result


ctypedef fused key_t:
    uint64_t
    uint16_t


def near_seed(const key_t[::1] words_a, const int64_t[:, ::1] spans_a, const int64_t[::1] seeds_a,
              const key_t[::1] words_b, const int64_t[:, ::1] spans_b, const int64_t[::1] seeds_b,
              Py_ssize_t reach, Py_ssize_t shingle, Py_ssize_t max_gap, Py_ssize_t k, Py_ssize_t min_words):
    """Which pairs have ``min_words`` anchored words in the window around their
    seed, as reference.near_seed decides it (outside a text, ``a`` reads 0
    and ``b`` reads 1, so they never match there)."""
    cdef Py_ssize_t count = spans_a.shape[0], width = 2 * reach + shingle, p, o, shift, t, run, marked
    cdef int64_t lo_a, hi_a, lo_b, hi_b, at_a, at_b, ia, ib
    cdef uint64_t vb
    ok_arr = np.zeros(count, np.uint8)
    anchored_arr = np.zeros(width, np.uint8)
    eq_arr = np.zeros(width, np.uint8)
    wa_arr = np.zeros(width, np.uint64)
    cdef uint8_t[::1] ok = ok_arr
    cdef uint8_t[::1] anchored = anchored_arr
    cdef uint8_t[::1] eq = eq_arr
    cdef uint64_t[::1] wa = wa_arr
    with nogil:
        for p in range(count):
            lo_a, hi_a = spans_a[p, 0], spans_a[p, 1]
            lo_b, hi_b = spans_b[p, 0], spans_b[p, 1]
            at_a = lo_a + seeds_a[p] - reach
            at_b = lo_b + seeds_b[p] - reach
            for o in range(width):
                ia = at_a + o
                wa[o] = words_a[ia] if lo_a <= ia < hi_a else 0
                anchored[o] = 0
            for shift in range(-max_gap, max_gap + 1):
                for o in range(width):
                    ib = at_b + o + shift
                    vb = words_b[ib] if lo_b <= ib < hi_b else 1
                    eq[o] = wa[o] == vb
                # words in a run of k or more equal words on this diagonal
                run = 0
                for o in range(width):
                    if eq[o]:
                        run += 1
                        if run == k:
                            for t in range(o - k + 1, o + 1):
                                anchored[t] = 1
                        elif run > k:
                            anchored[o] = 1
                    else:
                        run = 0
            marked = 0
            for o in range(width):
                marked += anchored[o]
            ok[p] = marked >= min_words
    return ok_arr.view(np.bool_)


cdef inline Py_ssize_t _left(const int64_t[::1] xs, int64_t x) noexcept nogil:
    """Where ``x`` would go in the ascending ``xs``, before its equals (bisect_left)."""
    cdef Py_ssize_t lo = 0, hi = xs.shape[0], mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if xs[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


cdef Py_ssize_t _within(const uint8_t[::1] quoted, Py_ssize_t at, Py_ssize_t until, Py_ssize_t slack) noexcept nogil:
    """reference.within_marks: the (slack + 1)-th word across the marks from ``at``
    towards ``until`` ends the reach."""
    cdef Py_ssize_t n = quoted.shape[0], left = slack, k, stop
    cdef bint inside
    if not (0 <= at < n):
        return max(0, min(until, n))
    inside = quoted[at] != 0
    if until > at:
        stop = min(until, n)
        for k in range(at + 1, stop):
            if (quoted[k] != 0) != inside:
                if left == 0:
                    return k
                left -= 1
        return stop
    stop = max(until + 1, 0)
    k = at - 1
    while k >= stop:
        if (quoted[k] != 0) != inside:
            if left == 0:
                return k + 1
            left -= 1
        k -= 1
    return stop


cdef Py_ssize_t _window(const int64_t[::1] at_a, const int64_t[::1] stems_a, Py_ssize_t lo_a, Py_ssize_t hi_a,
                        const int64_t[::1] at_b, const int64_t[::1] stems_b, Py_ssize_t lo_b, Py_ssize_t hi_b,
                        bint backward, int64_t start_a, int64_t start_b, bint near, Py_ssize_t near_words,
                        Py_ssize_t gap_matches, double extend_score,
                        int64_t* fa, int64_t* fb) noexcept nogil:
    """The content words ``lo:hi`` of each side (read backward if so), shared in order
    (greedy), into ``fa``/``fb``; the last dropped while they are not enough. Their count."""
    cdef Py_ssize_t m = 0, pos = 0, span_a = hi_a - lo_a, span_b = hi_b - lo_b, x, y, ia, ib, passed_a, passed_b
    cdef int64_t key
    # with each word found, how many content words it passed on each side
    cdef int64_t* ca = fa + span_a
    cdef int64_t* cb = fb + span_a
    for x in range(span_a):
        ia = hi_a - 1 - x if backward else lo_a + x
        key = stems_a[ia]
        for y in range(pos, span_b):
            ib = hi_b - 1 - y if backward else lo_b + y
            if stems_b[ib] == key:
                fa[m], fb[m], ca[m], cb[m] = at_a[ia], at_b[ib], x + 1, y + 1
                m += 1
                pos = y + 1
                break
    while m > 0:
        if m == 1 and near:
            if -near_words <= fa[0] - start_a <= near_words and -near_words <= fb[0] - start_b <= near_words:
                break
        elif m >= gap_matches and 2 * m >= extend_score * <double>(ca[m - 1] + cb[m - 1]):
            break
        m -= 1
    return m


def extend(const int64_t[:, ::1] chain, const int64_t[::1] at_a, const int64_t[::1] stems_a,
           const uint8_t[::1] quoted_a, const int64_t[::1] at_b, const int64_t[::1] stems_b,
           const uint8_t[::1] quoted_b, Py_ssize_t reach, bint near, Py_ssize_t near_words,
           Py_ssize_t gap_matches, double extend_score, Py_ssize_t slack):
    """The chain with the content words shared in order around it, as reference.extend gives it."""
    cdef Py_ssize_t count = chain.shape[0], cap = at_a.shape[0] + 1, forward = 0, backward = 0, r, m, k
    cdef int64_t a0, b0, a1, b1
    if count == 0:
        return []
    # forward and backward finds, and room for one window's finds with their counts
    cdef int64_t* buf = <int64_t*>malloc(8 * cap * sizeof(int64_t))
    if buf == NULL:
        raise MemoryError()
    cdef int64_t* fwd_a = buf
    cdef int64_t* fwd_b = buf + cap
    cdef int64_t* back_a = buf + 2 * cap
    cdef int64_t* back_b = buf + 3 * cap
    cdef int64_t* win_a = buf + 4 * cap
    cdef int64_t* win_b = buf + 6 * cap
    with nogil:
        a1 = chain[count - 1, 0] + chain[count - 1, 2]
        b1 = chain[count - 1, 1] + chain[count - 1, 2]
        for r in range(8):  # forward, a window at a time
            m = _window(at_a, stems_a, _left(at_a, a1), _left(at_a, _within(quoted_a, a1 - 1, a1 + reach, slack)),
                        at_b, stems_b, _left(at_b, b1), _left(at_b, _within(quoted_b, b1 - 1, b1 + reach, slack)),
                        False, a1, b1, near, near_words, gap_matches, extend_score, win_a, win_b)
            if m == 0:
                break
            for k in range(m):
                fwd_a[forward + k], fwd_b[forward + k] = win_a[k], win_b[k]
            forward += m
            a1, b1 = win_a[m - 1] + 1, win_b[m - 1] + 1
        a0, b0 = chain[0, 0], chain[0, 1]
        for r in range(8):  # backward
            m = _window(at_a, stems_a, _left(at_a, _within(quoted_a, a0, a0 - reach, slack)), _left(at_a, a0),
                        at_b, stems_b, _left(at_b, _within(quoted_b, b0, b0 - reach, slack)), _left(at_b, b0),
                        True, a0 - 1, b0 - 1, near, near_words, gap_matches, extend_score, win_a, win_b)
            if m == 0:
                break
            for k in range(m):
                back_a[backward + k], back_b[backward + k] = win_a[k], win_b[k]
            backward += m
            a0, b0 = win_a[m - 1], win_b[m - 1]
    try:
        out = [(back_a[k], back_b[k], 1) for k in range(backward - 1, -1, -1)]
        out.extend([(chain[k, 0], chain[k, 1], chain[k, 2]) for k in range(count)])
        out.extend([(fwd_a[k], fwd_b[k], 1) for k in range(forward)])
    finally:
        free(buf)
    return out


def furniture(marked_in, const uint8_t[::1] flags, uint8_t closes, Py_ssize_t reach):
    """reference.furniture: each run of marked words takes the rest of the sentence it
    begins in (back to the word after the last closing one) and of the one it ends in
    (to its closing word), each when at most ``reach`` words long."""
    out = np.array(marked_in, dtype=bool)
    if reach <= 0:
        return out
    cdef const uint8_t[::1] marked = np.ascontiguousarray(marked_in, dtype=bool).view(np.uint8)
    cdef uint8_t[::1] wide = out.view(np.uint8)
    cdef Py_ssize_t n = marked.shape[0], i = 0, begin, end, j, lo, hi, k
    with nogil:
        while i < n:
            if not marked[i]:
                i += 1
                continue
            begin = i
            while i < n and marked[i]:
                i += 1
            end = i
            lo = -1  # the first word of the sentence ``begin`` is in, if at most ``reach`` back
            j = begin - 1
            while j >= 0 and j >= begin - reach - 1:
                if flags[j] & closes:
                    lo = j + 1
                    break
                j -= 1
            if lo < 0 and begin <= reach:
                lo = 0
            if lo >= 0:
                for k in range(lo, begin):
                    wide[k] = 1
            hi = -1  # the word after the last of the sentence ``end - 1`` is in, if at most ``reach`` on
            j = end - 1
            while j < n and j < end + reach:
                if flags[j] & closes:
                    hi = j + 1
                    break
                j += 1
            if hi < 0 and end + reach >= n:
                hi = n
            if hi >= 0:
                for k in range(end, hi):
                    wide[k] = 1
    return out


cdef Py_ssize_t _close_at(const uint8_t[::1] flags, Py_ssize_t at, Py_ssize_t hi, Py_ssize_t reach,
                          uint8_t closes) noexcept nogil:
    """The word after the one that closes the sentence word ``at - 1`` is in, or -1."""
    cdef Py_ssize_t k
    if at == 0 or at >= hi or flags[at - 1] & closes:
        return -1
    for k in range(at, min(hi, at + reach)):
        if flags[k] & closes:
            return k + 1
    return hi if hi <= at + reach else -1


cdef Py_ssize_t _open_at(const uint8_t[::1] flags, Py_ssize_t lo, Py_ssize_t at, Py_ssize_t reach,
                         uint8_t closes) noexcept nogil:
    """The first word of the sentence word ``at`` is in, or -1."""
    cdef Py_ssize_t first, k
    if at <= lo or flags[at - 1] & closes:
        return -1
    first = max(lo, at - reach - 1)
    k = at - 2
    while k >= first:
        if flags[k] & closes:
            return k + 1
        k -= 1
    return lo if first == lo else -1


def sentence_edges(const uint64_t[::1] hashes_a, const uint8_t[::1] flags_a,
                   const uint64_t[::1] hashes_b, const uint8_t[::1] flags_b,
                   Py_ssize_t a_lo, Py_ssize_t a0, Py_ssize_t a1, Py_ssize_t a_hi,
                   Py_ssize_t b_lo, Py_ssize_t b0, Py_ssize_t b1, Py_ssize_t b_hi,
                   Py_ssize_t reach, Py_ssize_t max_gap, uint8_t closes):
    """reference.sentence_edges: each edge's sentence found word by word, then the run
    both sides share from it."""
    cdef Py_ssize_t sa, sb, ea, eb, n, run
    head = tail = None
    sa = _open_at(flags_a, a_lo, a0, reach, closes)
    sb = _open_at(flags_b, b_lo, b0, reach, closes) if sa >= 0 else -1
    if sb >= 0:
        n = min(a0 - sa, b0 - sb)
        run = 0
        while run < n and hashes_a[sa + run] == hashes_b[sb + run]:
            run += 1
        if run > 0 and a0 - sa - run <= max_gap and b0 - sb - run <= max_gap:
            head = (sa, sb, run)
    ea = _close_at(flags_a, a1, a_hi, reach, closes)
    eb = _close_at(flags_b, b1, b_hi, reach, closes) if ea >= 0 else -1
    if eb >= 0:
        n = min(ea - a1, eb - b1)
        run = 0
        while run < n and hashes_a[ea - 1 - run] == hashes_b[eb - 1 - run]:
            run += 1
        if run > 0 and ea - run - a1 <= max_gap and eb - run - b1 <= max_gap:
            tail = (ea - run, eb - run, run)
    return head, tail


def lookup(const uint64_t[::1] keys, const double[::1] values, const uint64_t[::1] hashes, double missing):
    """reference.lookup: a binary search per hash without branches to mispredict (the hashes are
    random, so a branch per step is a coin toss), in one pass: no index, mask or choice arrays."""
    cdef Py_ssize_t n = hashes.shape[0], size = keys.shape[0], i, base, length, half
    cdef uint64_t h
    out = np.empty(n, dtype=np.float64)
    cdef double[::1] got = out
    if size == 0:
        out.fill(missing)
        return out
    with nogil:
        for i in range(n):
            h = hashes[i]
            base = 0
            length = size
            while length > 1:  # keys[base] <= h, if any key is
                half = length >> 1
                base = base + half if keys[base + half] <= h else base
                length -= half
            got[i] = values[base] if keys[base] == h else missing
    return out


def cover(const int64_t[:] positions, Py_ssize_t width, Py_ssize_t length):
    """reference.cover: each shingle's words set in place (no array of every covered word)."""
    mask = np.zeros(length, dtype=np.bool_)
    cdef uint8_t[::1] out = mask.view(np.uint8)
    cdef Py_ssize_t i, k, start
    with nogil:
        for i in range(positions.shape[0]):
            start = positions[i]
            for k in range(max(start, 0), min(start + width, length)):
                out[k] = 1
    return mask


def stem_entries(const uint64_t[:] hashes, const int64_t[::1] at, const int64_t[:, ::1] table, Py_ssize_t shift,
                 const int64_t[::1] more, const int64_t[::1] more_entries, int64_t empty):
    """reference.stem_entries: each word's slot read, and the sorted overflow searched only
    for the words their slot does not hold, in one pass (no row, mask or index arrays)."""
    cdef Py_ssize_t n = at.shape[0], size = more.shape[0], i, lo
    cdef uint64_t h
    cdef int64_t signed, entry
    out = np.empty(n, dtype=np.int64)
    cdef int64_t[::1] got = out
    with nogil:
        for i in range(n):
            h = hashes[at[i]]
            signed = <int64_t>h
            entry = table[<Py_ssize_t>(h >> shift), 1]
            if table[<Py_ssize_t>(h >> shift), 0] != signed or entry == empty:
                entry = empty
                if size:
                    lo = min(_left(more, signed), size - 1)  # as searchsorted finds it
                    if more[lo] == signed:
                        entry = more_entries[lo]
            got[i] = entry
    return out
