"""Where a text quotes someone: the character ranges inside quotation marks.

News style, not grammar, drives the rules: straight and curly double marks
both occur; a quotation running over several paragraphs opens each paragraph
with a mark and closes only at its end, so an open quotation ends with its
paragraph; single marks quote inside headlines, but an apostrophe inside a
word (``Trump's``, ``don't``) is never a quotation mark.

Other languages' marks too: guillemets (« », » «, ‹ ›, with or without the
spaces French sets inside them), German „ “ and ‚ ‘, and the corner
brackets of Chinese and Japanese (「 」, 『 』). Marks come in families; a
quotation opened by one family is closed by the same family, and the marks
of another family inside it quote within the quotation (“… «…» …”).
"""

from __future__ import annotations

import re

from .ranges import merge

FAMILIES = ('"“”„‟＂', "«»", "「」", "『』")
"""Double quotation marks by family: any mark of the first two opens and closes;
a corner bracket opens with its first mark and closes with its second."""
_FAMILY = {ch: k for k, marks in enumerate(FAMILIES) for ch in marks}
_STRICT_OPEN = set("「『")
_STRICT_CLOSE = set("」』")
_SINGLE_OPEN = set("‘'‚")
_SINGLE_CLOSE = set("’'")
_LOW_CLOSE = set("‘’'")
"""What closes a single quotation opened by ‚ (German ‚…‘)."""
_GUILLEMETS = set("‹›")
_MARK = re.compile("[\"“”„«»‟＂「」『』‘’'‚‹›]")
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
    family = -1
    single: int | None = None
    opener = ""
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
        if ch in _FAMILY:
            if double is None:
                if ch not in _STRICT_CLOSE:
                    double, family = pos, _FAMILY[ch]
            elif _FAMILY[ch] == family and ch not in _STRICT_OPEN:
                found.append((double, pos + 1))
                double = None
            continue  # another family's mark quotes inside the quotation
        if ch in _GUILLEMETS:
            if single is not None and opener in _GUILLEMETS:
                found.append((single, pos + 1))
                single = None
            elif single is None and double is None:
                single, opener = pos, ch
            continue
        prev = text[pos - 1] if pos else " "
        nxt = text[pos + 1] if pos + 1 < n else " "
        if _is_word(prev) and _is_word(nxt):
            continue  # an apostrophe inside a word
        closes = _LOW_CLOSE if opener == "‚" else _SINGLE_CLOSE
        if single is not None and opener not in _GUILLEMETS and ch in closes and not prev.isspace() \
                and not _is_word(nxt):
            found.append((single, pos + 1))
            single = None
        elif single is None and double is None and ch in _SINGLE_OPEN and not _is_word(prev) and _is_word(nxt):
            single, opener = pos, ch
    for opened in (double, single):
        if opened is not None:
            found.append((opened, breaks[b]))
    return merge(found)
