"""Where a text quotes someone: the character ranges inside quotation marks.

News style, not grammar, drives the rules: straight and curly double marks
both occur; a quotation running over several paragraphs opens each paragraph
with a mark and closes only at its end, so an open quotation ends with its
paragraph; single marks quote inside headlines, but an apostrophe inside a
word (``Trump's``, ``don't``) is never a quotation mark.
"""

from __future__ import annotations

import re

from .ranges import merge

_DOUBLE = set('"“”„«»‟')
_SINGLE_OPEN = set("‘'‚")
_SINGLE_CLOSE = set("’'")
_MARK = re.compile("[\"“”„«»‟‘’'‚]")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_INDENTED_LINE = re.compile(r"\n(?=[ \t]{2,}|\t)")


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
    if not _MARK.search(text):
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
