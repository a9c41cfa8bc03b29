"""The diff of two articles: their copied spans, the words that differ inside each, and rows to show them side by side.

A span says *where* two texts share a passage; a reader also wants to see
*what changed* inside it (a swapped word, a typo, a dropped clause). The
words of each span's two sides are compared with rapidfuzz's Indel opcodes
on their folded hashes, so case and accents do not count as edits and
offsets still point into the text as read. Both renderers (terminal and
HTML) draw from this model.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz.distance import Indel

from .candidates import find_candidates, outlet_numbers
from .errors import InputError
from .ingest import JSONL_SUFFIXES, FieldNames, load, read_file
from .kinds import Marks
from .model import Article, Match, Problem, Span
from .pairs import Side, align_sides
from .passages import Fingerprints, read_texts
from .settings import Settings
from .text import BATCH, Tokens, tokenize


@dataclass(frozen=True)
class Edit:
    """Inside one span, words ``a[a_start:a_end]`` stand where ``b`` has ``b[b_start:b_end]``.

    One side is empty (``start == end``) when words were only added or only dropped.
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int


@dataclass(frozen=True)
class DiffSpan:
    """A copied span with its inner edits and the number of words that match on both sides."""

    span: Span
    edits: tuple[Edit, ...]
    matched: int


@dataclass(frozen=True)
class Diff:
    """Two articles and everything they share.

    ``similarity`` is the share of the two texts' words that the spans match
    (twice the matched words over the words of both texts), any kind of span.
    """

    a: Article
    b: Article
    match: Match
    spans: tuple[DiffSpan, ...]
    similarity: float


@dataclass(frozen=True)
class Piece:
    """A stretch of one side's text with one look: outside any span, or inside span ``span``."""

    start: int
    end: int
    span: int | None = None
    kind: str | None = None
    edited: bool = False


@dataclass(frozen=True)
class Row:
    """Text ``a[a_start:a_end]`` shown beside ``b[b_start:b_end]``."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int


def _words(tokens: Tokens, start: int, end: int) -> tuple[int, int]:
    """The word numbers ``first:stop`` of the words inside characters ``start:end``."""
    first = int(np.searchsorted(tokens.starts, start, side="left"))
    stop = int(np.searchsorted(tokens.ends, end, side="right"))
    return first, max(first, stop)


def _opcodes(span: Span, ta: Tokens, tb: Tokens) -> tuple[int, int, list[Any]]:
    """First word of each side of ``span`` and the Indel opcodes between the two sides' words."""
    a0, a1 = _words(ta, span.a_start, span.a_end)
    b0, b1 = _words(tb, span.b_start, span.b_end)
    return a0, b0, list(Indel.opcodes(ta.hashes[a0:a1].tolist(), tb.hashes[b0:b1].tolist()))


def inner_edits(span: Span, ta: Tokens, tb: Tokens) -> tuple[tuple[Edit, ...], int]:
    """The words that differ between the two sides of ``span``, and how many match."""
    a0, b0, ops = _opcodes(span, ta, tb)
    edits: list[Edit] = []
    matched = 0
    pending: list[int] | None = None  # [a_first, a_stop, b_first, b_stop] in word numbers

    def close() -> None:
        if pending is None:
            return
        pa0, pa1, pb0, pb1 = pending
        ca = (int(ta.starts[pa0]), int(ta.ends[pa1 - 1])) if pa1 > pa0 else (_gap(ta, pa0, span.a_end),) * 2
        cb = (int(tb.starts[pb0]), int(tb.ends[pb1 - 1])) if pb1 > pb0 else (_gap(tb, pb0, span.b_end),) * 2
        edits.append(Edit(ca[0], ca[1], cb[0], cb[1]))

    for op in ops:
        if op.tag == "equal":
            matched += op.src_end - op.src_start
            close()
            pending = None
        elif pending is None:
            pending = [a0 + op.src_start, a0 + op.src_end, b0 + op.dest_start, b0 + op.dest_end]
        else:
            pending[1], pending[3] = a0 + op.src_end, b0 + op.dest_end
    close()
    return tuple(edits), matched


def changed_words(span: Span, ta: Tokens, tb: Tokens) -> int:
    """Words of ``span`` changed, added or dropped: for each stretch that differs, the longer of its two sides."""
    changed = dropped = added = 0
    for op in [*_opcodes(span, ta, tb)[2], None]:
        if op is None or op.tag == "equal":  # a stretch that differs ends: a changed word is one drop and one add
            changed, dropped, added = changed + max(dropped, added), 0, 0
        else:
            dropped += op.src_end - op.src_start
            added += op.dest_end - op.dest_start
    return changed


def _gap(tokens: Tokens, word: int, limit: int) -> int:
    """Where nothing stands in for words added on the other side: before word ``word``."""
    return int(tokens.starts[word]) if word < len(tokens) else limit


def diff_match(a: Article, b: Article, match: Match | None,
               ta: Tokens | None = None, tb: Tokens | None = None) -> Diff:
    """The diff of a pair already compared (a scan's match), or of a pair that shares nothing."""
    ta = ta if ta is not None else tokenize(a.text)
    tb = tb if tb is not None else tokenize(b.text)
    match = match or Match(a.id, b.id, (), 0.0, 0.0)
    spans = []
    for span in match.spans:
        edits, matched = inner_edits(span, ta, tb)
        spans.append(DiffSpan(span, edits, matched))
    words = len(ta) + len(tb)
    similarity = round(2 * sum(s.matched for s in spans) / words, 4) if words else 0.0
    return Diff(a, b, match, tuple(spans), min(similarity, 1.0))


def build_diff(a: Article, b: Article, settings: Settings,
               marks_a: Marks | None = None, marks_b: Marks | None = None) -> Diff:
    """Align two articles as a scan does (:func:`dedup.pairs.align_sides`) and find the edits inside each span."""
    ta, tb = tokenize(a.text), tokenize(b.text)
    side_a = Side.of(a, ta, marks_a if marks_a is not None else Marks.empty(len(ta)))
    side_b = Side.of(b, tb, marks_b if marks_b is not None else Marks.empty(len(tb)))
    return diff_match(a, b, align_sides(side_a, side_b, settings), ta, tb)


def pieces(length: int, spans: Sequence[tuple[int, int, str]],
           edits: Sequence[Sequence[tuple[int, int]]]) -> list[Piece]:
    """One side's text cut where its look changes.

    ``spans[i]`` is ``(start, end, kind)`` of span ``i`` on this side and
    ``edits[i]`` its edited character ranges. Where spans overlap, the one
    starting last (then ending first) shows, so every span stays visible.
    """
    cuts = {0, length}
    for i, (start, end, _) in enumerate(spans):
        cuts.update((start, end))
        for e0, e1 in edits[i]:
            cuts.update((e0, e1))
    edges = sorted(c for c in cuts if 0 <= c <= length)
    out: list[Piece] = []
    for x, y in zip(edges, edges[1:]):
        if y <= x:
            continue
        covering = [i for i, (s, e, _) in enumerate(spans) if s <= x and y <= e]
        if not covering:
            out.append(Piece(x, y))
            continue
        i = max(covering, key=lambda k: (spans[k][0], -spans[k][1], -k))
        edited = any(e0 <= x and y <= e1 for e0, e1 in edits[i])
        out.append(Piece(x, y, i, spans[i][2], edited))
    return out


def side_pieces(diff: Diff, side: str) -> list[Piece]:
    """:func:`pieces` of side ``"a"`` or ``"b"`` of a diff."""
    text = diff.a.text if side == "a" else diff.b.text
    if side == "a":
        spans = [(d.span.a_start, d.span.a_end, d.span.kind) for d in diff.spans]
        edits = [[(e.a_start, e.a_end) for e in d.edits if e.a_end > e.a_start] for d in diff.spans]
    else:
        spans = [(d.span.b_start, d.span.b_end, d.span.kind) for d in diff.spans]
        edits = [[(e.b_start, e.b_end) for e in d.edits if e.b_end > e.b_start] for d in diff.spans]
    return pieces(len(text), spans, edits)


def _chain(spans: Sequence[Span]) -> list[Span]:
    """The heaviest run of spans in the same order on both sides (the ones rows can line up)."""
    order = sorted(spans, key=lambda s: (s.a_start, s.b_start))
    best: list[float] = []
    back: list[int] = []
    for i, s in enumerate(order):
        weight = (s.a_end - s.a_start) + (s.b_end - s.b_start)
        prev = [j for j in range(i) if order[j].a_end <= s.a_start and order[j].b_end <= s.b_start]
        j = max(prev, key=lambda k: best[k], default=-1)
        best.append(weight + (best[j] if j >= 0 else 0))
        back.append(j)
    if not order:
        return []
    i = max(range(len(order)), key=lambda k: best[k])
    chain = []
    while i >= 0:
        chain.append(order[i])
        i = back[i]
    return chain[::-1]


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _line_end(text: str, at: int) -> int:
    found = text.find("\n", at)
    return len(text) if found < 0 else found


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _starts_line(text: str, tokens: Tokens, word: int) -> bool:
    before = text[int(tokens.ends[word - 1]) if word else 0 : int(tokens.starts[word])]
    return word == 0 or "\n" in before


def _paragraphs(span: Span, a: str, b: str, ta: Tokens, tb: Tokens) -> list[tuple[int, int]]:
    """Inside a span, the matching words that start a line on both sides (where rows can break)."""
    a0, b0, ops = _opcodes(span, ta, tb)
    found = []
    for op in ops:
        if op.tag != "equal":
            continue
        for k in range(op.src_end - op.src_start):
            i, j = a0 + op.src_start + k, b0 + op.dest_start + k
            if i > a0 and _starts_line(a, ta, i) and _starts_line(b, tb, j):
                found.append((_line_start(a, int(ta.starts[i])), _line_start(b, int(tb.starts[j]))))
    return found


def rows(diff: Diff, ta: Tokens | None = None, tb: Tokens | None = None) -> list[Row]:
    """Rows that put each copied passage beside its counterpart, whole lines at a time.

    Spans in the same order on both sides line up, paragraph by paragraph
    where both sides break a line at the same word; a span out of that order
    (a reordered paragraph) is shown where it stands, still highlighted.
    """
    a, b = diff.a.text, diff.b.text
    ta = ta if ta is not None else tokenize(a)
    tb = tb if tb is not None else tokenize(b)
    points: list[tuple[int, int]] = []
    for s in _chain([d.span for d in diff.spans]):
        points.append((_line_start(a, s.a_start), _line_start(b, s.b_start)))
        points.extend(_paragraphs(s, a, b, ta, tb))
        points.append((_line_end(a, s.a_end), _line_end(b, s.b_end)))
    bounds = [(0, 0)]
    for point in points:
        if point[0] < bounds[-1][0] or point[1] < bounds[-1][1]:
            if len(bounds) > 1:
                bounds.pop()  # two spans share a line: one row for both
            continue
        bounds.append(point)
    bounds.append((len(a), len(b)))
    out = []
    for (a0, b0), (a1, b1) in zip(bounds, bounds[1:]):
        a0, a1 = _trim(a, a0, a1)
        b0, b1 = _trim(b, b0, b1)
        if a1 > a0 or b1 > b0:
            out.append(Row(a0, a1, b0, b1))
    return out


@dataclass(frozen=True)
class PairInput:
    """The two articles ``dedup diff`` was asked for, their word marks, and what could not be read."""

    a: Article
    b: Article
    marks_a: Marks | None
    marks_b: Marks | None
    problems: tuple[Problem, ...]


def _read_one(path: str) -> Article:
    problems: list[Problem] = []
    p = Path(path)
    if p.is_dir() or p.suffix.lower() in JSONL_SUFFIXES:
        raise InputError(f"{path} holds many articles: name two of them, e.g. dedup diff {path} ID1 ID2")
    if not p.is_file():
        raise InputError(f"{path}: {'not a regular file' if p.exists() else 'no such file'}")
    article = read_file(p, path, problems.append)
    if article is None:
        raise InputError(str(problems[0]))
    return article


def load_pair(args: Sequence[str], names: FieldNames = FieldNames(), settings: Settings | None = None) -> PairInput:
    """``FILE_A FILE_B``, or ``SOURCE ID_A ID_B`` with SOURCE a JSONL file, a folder or ``-``.

    With a SOURCE, every article in it is read and fingerprinted, so
    boilerplate and stock phrases are marked as a scan of SOURCE marks them.
    """
    if len(args) == 2:
        a, b = (_read_one(x) for x in args)
        return PairInput(a, b, None, None, ())
    if len(args) != 3:
        raise InputError("dedup diff takes FILE_A FILE_B, or SOURCE ID_A ID_B (SOURCE a JSONL file or folder)")
    source, id_a, id_b = args
    if source != "-" and not Path(source).exists():
        raise InputError(f"{source}: no such file or folder")
    articles, problems = load([source], names)
    by_id = {x.id: x for x in articles}
    for wanted in (id_a, id_b):
        if wanted not in by_id:
            near = difflib.get_close_matches(wanted, list(by_id), n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else f" ({len(by_id)} articles read)"
            raise InputError(f"{source}: no article with id {wanted!r}{hint}")
    marks = corpus_marks(articles, [id_a, id_b], settings or Settings())
    return PairInput(by_id[id_a], by_id[id_b], marks[id_a], marks[id_b], tuple(problems))


def corpus_marks(articles: Sequence[Article], ids: Sequence[str], settings: Settings) -> dict[str, Marks]:
    """Boilerplate and common-passage marks of some articles, as a scan of all of them finds them."""
    parts = [read_texts([x.text for x in articles[s : s + BATCH]], settings, first_doc=s)
             for s in range(0, len(articles), BATCH)]
    fp = Fingerprints(*(np.concatenate([getattr(p[1], f) for p in parts]) if parts else getattr(Fingerprints.empty(), f)
                        for f in ("hashes", "docs", "positions")))
    found = find_candidates(fp, outlet_numbers([x.outlet for x in articles]), settings)
    number = {x.id: i for i, x in enumerate(articles)}
    marks = {}
    for wanted in ids:
        i = number[wanted]
        mine = fp.docs == i
        length = len(parts[i // BATCH][0].doc(i % BATCH))
        marks[wanted] = Marks.of(fp.positions[mine & found.boilerplate], fp.positions[mine & found.common],
                                 length, settings)
    return marks
