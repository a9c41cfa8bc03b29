"""Strings that come from outside (article text, ids, outlets, file names) made
safe to show: on a terminal, nothing they hold is obeyed; in a spreadsheet,
nothing they hold runs.

A terminal obeys control characters (an escape sequence can retitle the
window, clear the screen or plant a hyperlink) and lets bidirectional
overrides reorder what it shows; both are replaced by visible symbols, one
character for one, so columns still line up. A spreadsheet runs a cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula; such a cell gets a leading apostrophe (OWASP's advice).
"""

from __future__ import annotations

_CONTROL: dict[int, int | None] = {c: 0x2400 + c for c in range(32) if c not in (9, 10)}
_CONTROL.update({0x7F: 0x2421, 13: None})
_CONTROL.update({c: 0xFFFD for c in range(0x80, 0xA0)})
_CONTROL.update({c: 0xFFFD for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)})
_LINE = dict(_CONTROL)
_LINE.update({9: 0x2409, 10: 0x240A, 13: 0x240D})
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str) -> str:
    """Text for a terminal, line breaks and tabs kept: control characters and
    direction overrides shown as symbols, never obeyed; carriage returns dropped."""
    return text.translate(_CONTROL)


def shown(text: str) -> str:
    """A name or message for one line of a terminal: like :func:`printable`, and
    line breaks, tabs and carriage returns shown as symbols too."""
    return text.translate(_LINE)


def cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text and never runs as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value
