"""Where a text quotes someone: the character ranges inside quotation marks.

News style, not grammar, drives the rules: straight and curly double marks
both occur; a quotation running over several paragraphs opens each paragraph
with a mark and closes only at its end, so an open quotation ends with its
paragraph; single marks quote inside headlines, but an apostrophe inside a
word (``Trump's``, ``don't``) is never a quotation mark.
"""

from __future__ import annotations

import re

import numpy as np

_DOUBLE = set('"“”„«»‟')
_SINGLE_OPEN = set("‘'‚")
_SINGLE_CLOSE = set("’'")
_MARK = re.compile("[\"“”„«»‟‘’'‚]")
_ANY_MARK = re.compile("[\"“”„«»‟‘’'‚]")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_INDENTED_LINE = re.compile(r"\n(?=[ \t]{2,}|\t)")


def has_marks(text: str) -> bool:
    return _ANY_MARK.search(text) is not None


def paragraph_breaks(text: str) -> list[int]:
    """Offsets of paragraph ends: blank lines and indented lines if the text
    uses them (hard-wrapped wire copy), otherwise every line break."""
    breaks = [m.start() for m in _BLANK_LINE.finditer(text)]
    breaks += [m.start() for m in _INDENTED_LINE.finditer(text)]
    if not breaks:
        breaks = [m.start() for m in re.finditer("\n", text)]
    return sorted(set(breaks))


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def regions(text: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ``(start, end)`` ranges that lie inside quotation marks."""
    if not _ANY_MARK.search(text):
        return []
    found: list[tuple[int, int]] = []
    breaks = paragraph_breaks(text) + [len(text)]
    b = 0
    double: int | None = None
    single: int | None = None
    n = len(text)
    for m in _MARK.finditer(text):
        pos = m.start()
        while pos > breaks[b]:
            for opened in (double, single):
                if opened is not None:
                    found.append((opened, breaks[b]))
            double = single = None
            b += 1
        ch = text[pos]
        prev = text[pos - 1] if pos else " "
        nxt = text[pos + 1] if pos + 1 < n else " "
        if ch in _DOUBLE:
            if double is None:
                double = pos
            else:
                found.append((double, pos + 1))
                double = None
            continue
        if _is_word(prev) and _is_word(nxt):
            continue  # an apostrophe inside a word
        if single is not None and ch in _SINGLE_CLOSE and not prev.isspace() and not _is_word(nxt):
            found.append((single, pos + 1))
            single = None
        elif single is None and double is None and ch in _SINGLE_OPEN and not _is_word(prev) and _is_word(nxt):
            single = pos
    for opened in (double, single):
        if opened is not None:
            found.append((opened, breaks[b]))
    return merge(found)


def merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ranges, overlapping or touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def inside(text: str, offsets: np.ndarray) -> np.ndarray:
    """For each character offset, whether it lies inside a quotation."""
    found = regions(text)
    if not found:
        return np.zeros(len(offsets), dtype=bool)
    starts = np.array([s for s, _ in found], dtype=np.int64)
    ends = np.array([e for _, e in found], dtype=np.int64)
    idx = np.searchsorted(starts, offsets, side="right") - 1
    ok = idx >= 0
    result = np.zeros(len(offsets), dtype=bool)
    result[ok] = offsets[ok] < ends[idx[ok]]
    return result
