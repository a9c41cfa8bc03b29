"""Where an article's story stands in its page: the body, inside the page's head and tail.

A page carries lines that are not the story: a masthead, an edition, a date
line, a headline, a byline above it; a sign-off or a credit below. They come
in short lines, grouped in blocks between blank lines, at the top and the
bottom of the text. A reprint wraps such lines around the copied story, so
measures of how much of an article is copy (is it a duplicate, which side
holds the other) are taken on the body. Text without such lines (a body
field, hard-wrapped wire copy whose blocks are long) is all body.
"""

from __future__ import annotations

import re

from .chars import visible

PAGE_LINE_WORDS = 16
"""Most words in a line of a page's head or tail (a masthead, a headline, a byline, a date line)."""
PAGE_BLOCK_LINES = 8
"""Most lines in one block of a page's head or tail."""
MOST_OF_PAGE = 0.5
"""A head and tail that would cover this much of the text are not a page's: it is all body."""

_BLOCKS = re.compile(r"\S(?:.*\S)?(?:\n[ \t]*\S(?:.*\S)?)*")
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s*$")


def _page_block(block: str) -> bool:
    """Short lines, few of them, and no sentence ending the block: page lines, not a paragraph
    (words counted as the tokenizer sees them: an invisible character splits none)."""
    block = visible(block)
    if block.count("\n") >= PAGE_BLOCK_LINES or _SENTENCE_END.search(block):
        return False
    return all(len(_WORD.findall(line)) <= PAGE_LINE_WORDS for line in block.split("\n"))


LOOK = 2000
"""Characters at each end of a text in which its page's head or tail is looked for."""


def _blocks(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _BLOCKS.finditer(text, lo, hi)]


def body_range(text: str) -> tuple[int, int]:
    """``(start, end)``: the text without the blocks of short lines that open and close its page."""
    n = len(text)
    start = None
    for block in _BLOCKS.finditer(text, 0, min(n, LOOK)):  # as far as the first paragraph only
        lo, hi = block.span()
        if (hi == LOOK and n > LOOK) or not _page_block(text[lo:hi]):  # a paragraph, or cut by the window
            start = lo
            break
    if start is None:  # nothing but page lines: all of it is the body
        return 0, n
    lo = max(start, n - LOOK)
    if lo > start:  # begin the tail's window at a line, so that its blocks are whole
        lo = text.find("\n", lo) + 1 or n
    end = n
    for block_lo, block_hi in reversed(_blocks(text, lo, n)):
        if not _page_block(text[block_lo:block_hi]):
            end = block_hi
            break
        end = block_lo
    end = len(text[:end].rstrip())
    if end <= start or end - start < (1 - MOST_OF_PAGE) * len(text.strip()):
        return 0, n
    return start, end


def closing_lines(text: str) -> list[int]:
    """Where each line of the paragraph that closes a text begins (first line first), when
    it is a few short lines: where an outlet's footer stands ("Copyright ... All rights
    reserved.", "Call the ... desk with news tips."), whether or not its lines end a
    sentence. Empty for a text that closes with a paragraph of its story (a long line)."""
    blocks = _blocks(text, max(0, len(text) - LOOK), len(text))
    if not blocks:
        return []
    lo, hi = blocks[-1]
    if not text[:lo].strip():  # the text's only paragraph: no page closes with its whole story
        return []
    lines = text[lo:hi].split("\n")
    if len(lines) > PAGE_BLOCK_LINES or any(len(_WORD.findall(visible(line))) > PAGE_LINE_WORDS for line in lines):
        return []
    starts, at = [], lo
    for line in lines:
        starts.append(at + len(line) - len(line.lstrip()))
        at += len(line) + 1
    return starts


_CREDIT_DATELINE = re.compile(r"\(([A-Z][\w&.'’ /-]{1,40})\)\s*[-—–]")
_CREDIT_BYLINE = re.compile(r"^\s*By [^,\n]{2,60}[,|] *([A-Z][^\n]{1,50})$", re.M)
_CREDIT_END = re.compile(r"^[ \t]*(?:[-—–]{1,2}[ \t]*|\([ \t]*)([A-Z][\w&.'’ /-]{0,39}[\w.])[ \t]*\)?[ \t]*$", re.M)
_CONTRIBUTED = " contributed to this report"
_CREDIT_CONTRIBUTED = re.compile(r"([A-Z][\w&.'’ /-]{1,60}?)" + _CONTRIBUTED)
_ROLE_WORDS = re.compile(r"\b(staff|writer|writers|reporter|correspondent|desk|news desk|staff writer)\b", re.I)
_NAME = re.compile(r"[^\w]+")


def name_key(name: str) -> str:
    """An outlet or agency name as it is compared: lower case, words only
    ("Northline Wire", "northline-wire" and "NORTHLINE WIRE" are one)."""
    return " ".join(_NAME.sub(" ", name.lower()).split())


def credits(text: str, body: tuple[int, int] | None = None) -> frozenset[str]:
    """The outlets a text credits as the source of its story (:func:`name_key` form):
    a dateline credit ("WASHINGTON (Reuters) -"), a byline's agency ("By ..., Associated
    Press"), a sign-off ("— AFP") or "... contributed to this report". ``body``: the
    text's :func:`body_range`, when it is known already."""
    start, end = body if body is not None else body_range(text)
    head, tail = text[: min(len(text), start + 300)], text[max(0, end - 300):]
    found = [m.group(1) for m in _CREDIT_DATELINE.finditer(head)]
    # a byline naming the outlet's own staff ("By ..., Daily Herald staff") credits no source
    found += [m.group(1) for m in _CREDIT_BYLINE.finditer(text[:start]) if not _ROLE_WORDS.search(m.group(1))]
    found += [m.group(1) for m in _CREDIT_END.finditer(tail)]
    if _CONTRIBUTED in tail:  # the pattern tries every capital letter of the tail: look for its words first
        found += [m.group(1) for m in _CREDIT_CONTRIBUTED.finditer(tail)]
    keys = (name_key(_ROLE_WORDS.sub(" ", f)) for f in found)
    return frozenset(k for k in keys if k and len(k) <= 40)


MASTHEAD_CHARS = 80
"""Most characters of a page's first line kept as the name of the outlet it stands for."""
_FIGURES = re.compile(r"\d+([.,:/]\d+)*")


def masthead(text: str) -> str | None:
    """The first line of a page's head, as the name of the outlet whose page it is
    (figures, which change from page to page, left out), or None for a text
    that opens with its story."""
    start, _ = body_range(text)
    if start == 0:
        return None
    line = text[:start].strip().split("\n", 1)[0]
    name = " ".join(_FIGURES.sub(" ", line).split())[:MASTHEAD_CHARS].strip(" |-—–:,")
    return name if sum(c.isalpha() for c in name) >= 3 else None
