"""``dedup diff`` in a terminal: both texts with the copied spans highlighted.

On a terminal, rich draws spans in colour. Piped, or
with ``NO_COLOR`` or ``--no-color``, spans are wrapped in plain markers
that need nothing but Python:

* ``[[#1 …]]`` copied prose, ``[~#2 …~]`` rewritten prose, ``«#3 …»`` a shared quotation,
  ``{{#4 …}}`` boilerplate
  (``#n`` numbers the span; its counterpart on the other side has the same number);
* inside a span, ``[-…-]`` words of A that B does not have, ``{+…+}`` words of B that A does not have.

Side by side when the width allows (each copied span beside its
counterpart), one text after the other otherwise.
"""

from __future__ import annotations

import os
import shutil
import textwrap
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import TextIO

from .diffview import Diff, Piece, rows, side_pieces
from .errors import DedupError
from .safe import printable, shown

MARKERS = {"prose": ("[[", "]]"), "rewritten": ("[~", "~]"), "quote": ("«", "»"), "boilerplate": ("{{", "}}")}
EDIT_MARKERS = {"a": ("[-", "-]"), "b": ("{+", "+}")}
STYLES = {"prose": "black on yellow", "rewritten": "underline black on orange1", "quote": "italic black on bright_cyan",
          "boilerplate": "black on bright_black"}
EDIT_STYLE = "bold bright_white on red"
SIDE_BY_SIDE = 100
"""Fewest columns for the side-by-side layout."""
GUTTER = " | "

def want_color(flag: bool | None, stream: TextIO) -> bool:
    """``--color``/``--no-color`` if given, else colour on a terminal, unless ``NO_COLOR`` is set or rich is missing
    (a dependency of every install, but a broken one still prints plain markers)."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR", "") or not getattr(stream, "isatty", lambda: False)():
        return False
    try:
        import rich  # noqa: F401
    except ImportError:
        return False
    return True


def terminal_width(width: int | None) -> int:
    """``--width`` if given, else ``COLUMNS`` or the terminal's width (80 when unknown)."""
    return width if width else shutil.get_terminal_size((80, 24)).columns


@dataclass(frozen=True)
class Run:
    """Consecutive characters of one look, and whether a span opens or closes around them.

    ``first`` is true where the span itself begins (not where a row cut it).
    """

    text: str
    piece: Piece
    opens: bool
    closes: bool
    first: bool


def runs(text: str, all_pieces: Sequence[Piece], lo: int, hi: int) -> Iterator[Run]:
    """The pieces of ``text[lo:hi]``, clipped, each knowing where its span starts and ends."""
    inside = [i for i, p in enumerate(all_pieces) if p.end > lo and p.start < hi]
    for n, i in enumerate(inside):
        p = all_pieces[i]
        start, end = max(p.start, lo), min(p.end, hi)
        before = all_pieces[inside[n - 1]].span if n > 0 else None
        after = all_pieces[inside[n + 1]].span if n + 1 < len(inside) else None
        first = p.span is not None and start == p.start and (i == 0 or all_pieces[i - 1].span != p.span)
        yield Run(printable(text[start:end]), p, p.span is not None and p.span != before,
                  p.span is not None and p.span != after, first)


def _counts(diff: Diff) -> str:
    kinds: list[str] = [d.span.kind for d in diff.spans]
    parts = [f"{kinds.count(k)} {k}{'s' if k == 'quote' and kinds.count(k) > 1 else ''}"
             for k in MARKERS if kinds.count(k)]
    return f"{len(kinds)} span{'s' if len(kinds) != 1 else ''}" + (f" ({', '.join(parts)})" if parts else "")


def header(diff: Diff) -> list[str]:
    """Who is compared, how much of each is copied prose, how similar they are, and the source."""
    m = diff.match
    if m.source is None:
        source = "source: cannot tell" if m.copied else "no copied prose"
    else:
        side = "A" if m.source == diff.a.id else "B"
        source = f"source: {side} (by {m.reason})"
    return [
        f"A: {shown(diff.a.id)}   coverage {100 * m.a_coverage:.1f}%",
        f"B: {shown(diff.b.id)}   coverage {100 * m.b_coverage:.1f}%",
        f"similarity {100 * diff.similarity:.1f}%   {_counts(diff)}   {source}",
    ]


def _plain_side(diff: Diff, side: str, all_pieces: Sequence[Piece], lo: int, hi: int) -> str:
    text = diff.a.text if side == "a" else diff.b.text
    edit_open, edit_close = EDIT_MARKERS[side]
    out: list[str] = []
    for r in runs(text, all_pieces, lo, hi):
        p = r.piece
        if p.span is None or p.kind is None:
            out.append(r.text)
            continue
        opening, closing = MARKERS[p.kind]
        label = f"#{p.span + 1} " if r.first else ""
        out.append((opening + label if r.opens else "")
                   + (f"{edit_open}{r.text}{edit_close}" if p.edited else r.text)
                   + (closing if r.closes else ""))
    return "".join(out)


def _cells(text: str) -> int:
    """Terminal columns ``text`` takes (wide East Asian characters take two)."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for line in text.split("\n"):
        lines.extend(textwrap.wrap(line, width, break_on_hyphens=False) or [""])
    return lines


def render_plain(diff: Diff, width: int, side_by_side: bool) -> str:
    """The diff with plain markers (no colour, no dependency)."""
    pa, pb = side_pieces(diff, "a"), side_pieces(diff, "b")
    lines = header(diff)
    lines.append("markers: [[prose]] [~rewritten~] «quote» {{boilerplate}}, inside a span [-only in A-] {+only in B+}")
    if not side_by_side:
        for name, side, text, ps in (("A", "a", diff.a.text, pa), ("B", "b", diff.b.text, pb)):
            article = diff.a if side == "a" else diff.b
            lines += ["", f"=== {name}: {shown(article.id)} ===", _plain_side(diff, side, ps, 0, len(text))]
        return "\n".join(lines) + "\n"
    column = (width - len(GUTTER)) // 2

    def pad(s: str) -> str:
        return s + " " * max(0, column - _cells(s))

    lines += ["", pad(_cut(f"A: {shown(diff.a.id)}", column)) + GUTTER + _cut(f"B: {shown(diff.b.id)}", column),
              "-" * column + GUTTER.replace(" ", "-") + "-" * column]
    for n, row in enumerate(rows(diff)):
        if n:
            lines.append(pad("") + GUTTER.rstrip())
        left = _wrap(_plain_side(diff, "a", pa, row.a_start, row.a_end), column)
        right = _wrap(_plain_side(diff, "b", pb, row.b_start, row.b_end), column)
        for x, y in zip_longest(left, right, fillvalue=""):
            lines.append((pad(x) + GUTTER + y).rstrip())
    return "\n".join(lines) + "\n"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def render_rich(diff: Diff, out: TextIO, width: int, side_by_side: bool) -> None:
    """The diff in colour with rich."""
    try:
        from rich import box
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text
    except ImportError:
        raise DedupError("colour needs rich: pip install rich (or use --no-color)") from None

    def side_text(side: str, all_pieces: Sequence[Piece], lo: int, hi: int) -> Text:
        text = diff.a.text if side == "a" else diff.b.text
        result = Text()
        for r in runs(text, all_pieces, lo, hi):
            p = r.piece
            style = STYLES[p.kind] if p.kind else ""
            if r.first:
                result.append(f"#{(p.span or 0) + 1}", style=f"bold {style}")
                result.append(" ", style=style)
            result.append(r.text, style=EDIT_STYLE if p.edited else style)
        return result

    console = Console(file=out, force_terminal=True, no_color=False, width=width, highlight=False,
                      markup=False, emoji=False, soft_wrap=False)
    head = header(diff)
    console.print(Text(head[0], style="bold"))
    console.print(Text(head[1], style="bold"))
    console.print(Text(head[2]))
    legend = Text("markers: ")
    for kind in MARKERS:
        legend.append(kind, style=STYLES[kind])
        legend.append(" ")
    legend.append("edited word", style=EDIT_STYLE)
    console.print(legend)
    pa, pb = side_pieces(diff, "a"), side_pieces(diff, "b")
    if not side_by_side:
        for name, side, article, ps in (("A", "a", diff.a, pa), ("B", "b", diff.b, pb)):
            console.rule(Text(f"{name}: {shown(article.id)}"))
            console.print(side_text(side, ps, 0, len(article.text)))
        return
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, padding=(0, 1), show_lines=False)
    table.add_column(Text(f"A: {shown(diff.a.id)}", style="bold"), ratio=1)
    table.add_column(Text(f"B: {shown(diff.b.id)}", style="bold"), ratio=1)
    for n, row in enumerate(rows(diff)):
        if n:
            table.add_row("", "")
        table.add_row(side_text("a", pa, row.a_start, row.a_end), side_text("b", pb, row.b_start, row.b_end))
    console.print(table)


def render(diff: Diff, out: TextIO, *, color: bool, width: int, layout: str = "auto") -> None:
    """Write the diff: ``layout`` is ``side``, ``stack`` or ``auto`` (side by side from 100 columns)."""
    side_by_side = layout == "side" or (layout == "auto" and width >= SIDE_BY_SIDE)
    if color:
        render_rich(diff, out, width, side_by_side)
    else:
        out.write(render_plain(diff, width, side_by_side))
