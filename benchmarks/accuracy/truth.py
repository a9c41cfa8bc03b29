"""The truth of a generated corpus: every shared passage, in character offsets of both texts.

A derived article records where each reused sentence sits in it
(:class:`Placed`). Two articles holding sentences of the same source share
those sentences; sentences that follow each other in the source and in both
articles (apart from at most ``JOIN_WORDS`` new words between them, such as
the "and" that merges two sentences) make one span. The source article
itself counts as holding all its sentences where they are. The result is in
the format ``dedup eval`` reads (see ``dedup/evaluate.py``).

Sources. A pair's ``source`` is the article the other one holds its text
from. Without copies of copies that is the story whose sentences they share,
when it is one of the two, and otherwise nobody (two copies of one story:
``sibling``). When an article took its text from another article that is not
the story itself (an outlet reprinting another outlet's version, an outlet
or a correction reprinting an update: ``took``), the pair of the two has the
one it took from as source, whoever first wrote the words; and the pair of
the copy with any earlier article of that chain (the wire story, the update a
correction revises) has the earlier one as source, labelled ``indirect``:
the words are that article's, though they came through another. The spans
of such a pair, which come from several stories (the wire's sentences and
the copied outlet's own paragraphs), are joined where they meet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from dedup.graph import components

from .edits import WORD, words
from .newsrooms import WIRE
from .pools import Pools
from .reuters import Story

JOIN_WORDS = 2
"""New words allowed between two consecutive source sentences inside one span."""
MIN_WORDS = 8
"""Shorter shared passages are not recorded: too short to call a copy."""
ATTRIBUTION = 6
"""Words outside quotation marks that a shared quotation may carry ("Smith said")."""
QUOTE = "quote:"
"""Prefix of the pseudo-sources of shared quotations (no article of their own)."""


@dataclass(frozen=True)
class Placed:
    """Sentence ``index`` of ``source`` stands at ``start:end`` of an article."""

    source: str
    index: int
    start: int
    end: int

    def shifted(self, offset: int) -> Placed:
        return Placed(self.source, self.index, self.start + offset, self.end + offset)


Quad = tuple[int, int, int, int]


def _joinable(gap: str) -> bool:
    return len(words(gap)) <= JOIN_WORDS


def shared(xs: list[Placed], ys: list[Placed], tx: str, ty: str, same: dict[int, int] | None = None) -> list[Quad]:
    """Spans ``(x_start, x_end, y_start, y_end)`` of the sentences both lists hold.

    ``xs`` and ys are the placements of one source in two articles, in article
    order. ``same`` maps a sentence to the first one of the source with the
    same words (a story that repeats itself): such sentences match when their
    own numbers do not, each placement at most once.
    """
    same = same or {}
    where_y = {p.index: k for k, p in enumerate(ys)}
    matched = {kx: where_y[p.index] for kx, p in enumerate(xs) if p.index in where_y}
    spare: dict[int, int] = {}
    for ky, q in enumerate(ys):
        if ky not in matched.values():
            spare.setdefault(same.get(q.index, q.index), ky)
    for kx, p in enumerate(xs):
        if kx not in matched and same.get(p.index, p.index) in spare:
            matched[kx] = spare.pop(same.get(p.index, p.index))
    spans: list[Quad] = []
    last: tuple[int, int] | None = None
    for kx in sorted(matched):
        ky = matched[kx]
        p, q = xs[kx], ys[ky]
        if (last is not None and kx == last[0] + 1 and ky == last[1] + 1 and p.index == xs[last[0]].index + 1
                and q.index == ys[last[1]].index + 1
                and _joinable(tx[xs[kx - 1].end:p.start]) and _joinable(ty[ys[ky - 1].end:q.start])):
            spans[-1] = (spans[-1][0], p.end, spans[-1][2], q.end)
        else:
            spans.append((p.start, p.end, q.start, q.end))
        last = (kx, ky)
    return spans


def _outside_quotes(text: str) -> int:
    """Words of ``text`` outside double quotation marks (a quotation ends with its paragraph)."""
    count = 0
    for para in text.split("\n\n"):
        for k, piece in enumerate(para.replace("“", '"').replace("”", '"').split('"')):
            if k % 2 == 0:
                count += len(words(piece))
    return count


def quotation_only(spans: list[Quad], tx: str, ty: str) -> bool:
    """Whether every span is a quotation in both texts, apart from a short attribution:
    what two outlets quoting one speaker share, however it came about."""
    return all('"' in tx[a0:a1] and _outside_quotes(tx[a0:a1]) <= ATTRIBUTION
               and '"' in ty[b0:b1] and _outside_quotes(ty[b0:b1]) <= ATTRIBUTION
               for a0, a1, b0, b1 in spans)


def long_enough(span: Quad, tx: str, ty: str) -> bool:
    a0, a1, b0, b1 = span
    return min(len(words(tx[a0:a1])), len(words(ty[b0:b1]))) >= MIN_WORDS


def repeat_span(x: Story, y: Story) -> Quad:
    """The text two re-sent wire items share: from the first to the last run of
    three or more words they have in common, in order (a correction may change
    the headline or the dateline, or add a note)."""
    ax, ay = _word_offsets(x.text, 0), _word_offsets(y.text, 0)
    matcher = SequenceMatcher(None, [w for w, _, _ in ax], [w for w, _, _ in ay], autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size >= 3]
    first, last = blocks[0], blocks[-1]
    return ax[first.a][1], ax[last.a + last.size - 1][2], ay[first.b][1], ay[last.b + last.size - 1][2]


def _word_offsets(text: str, start: int) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), m.start(), m.end()) for m in WORD.finditer(text, start)]


def _span(q: Quad, kind: str) -> dict[str, Any]:
    return {"a_start": q[0], "a_end": q[1], "b_start": q[2], "b_end": q[3], "kind": kind}


def _families(pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    linked = [(p["a"], p["b"]) for p in pairs if any(s["kind"] == "prose" for s in p["spans"])]
    return [{"members": list(m)} for m in components(linked)]


def _chain(doc: str, took: dict[str, str]) -> list[str]:
    """The articles ``doc`` holds text from, nearest first (``took`` followed back)."""
    chain = []
    while doc in took and took[doc] not in chain:
        doc = took[doc]
        chain.append(doc)
    return chain


def _source(key: str, x: str, y: str, took: dict[str, str]) -> str | None:
    """The source of the pair ``x``, ``y`` sharing sentences of ``key`` (see the module docstring)."""
    if key in (x, y):
        return key
    if x in _chain(y, took):
        return x
    if y in _chain(x, took):
        return y
    return None


def _joined(quads: list[Quad], tx: str, ty: str) -> list[Quad]:
    """Spans that meet (at most ``JOIN_WORDS`` words between them on both sides) made one."""
    out: list[Quad] = []
    for q in sorted(quads):
        if out and out[-1][1] <= q[0] and out[-1][3] <= q[2] and _joinable(tx[out[-1][1]:q[0]]) \
                and _joinable(ty[out[-1][3]:q[2]]):
            out[-1] = (out[-1][0], q[1], out[-1][2], q[3])
        else:
            out.append(q)
    return out


def build_truth(
    texts: dict[str, str],
    outlets: dict[str, str],
    cases: dict[str, str],
    placed: dict[str, list[Placed]],
    pools: Pools,
    same: dict[str, dict[int, int]] | None = None,
    took: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Documents, pairs, families and look-alike groups of a corpus; ``same`` gives,
    per source, its sentences that repeat an earlier one (see :func:`shared`);
    ``took`` maps an article to the article it took its text from, where that is
    not the story whose sentences it holds (see the module docstring)."""
    took = took or {}
    holders: dict[str, list[str]] = defaultdict(list)
    for doc_id in sorted(placed):
        for key in dict.fromkeys(p.source for p in placed[doc_id]):
            holders[key].append(doc_id)

    found: dict[tuple[str, str], dict[str, Any]] = {}
    chained: dict[tuple[str, str], list[tuple[Quad, str]]] = defaultdict(list)
    for key in sorted(holders):
        docs = holders[key]
        for i, x in enumerate(docs):
            xs = [p for p in placed[x] if p.source == key]
            for y in docs[i + 1:]:
                ys = [p for p in placed[y] if p.source == key]
                found_spans = shared(xs, ys, texts[x], texts[y], (same or {}).get(key))
                through = x in took or y in took  # spans joined across stories first, then measured
                spans = found_spans if through else [q for q in found_spans if long_enough(q, texts[x], texts[y])]
                if not spans:
                    continue
                quoted = key.startswith(QUOTE) or quotation_only(spans, texts[x], texts[y])
                source = _source(key, x, y, took)
                a, b = (x, y) if source in (x, None) else (y, x)
                if source and took.get(b, key) != source:
                    case = "indirect"
                elif source:
                    case = cases[b]
                else:
                    case = "quote-only" if key.startswith(QUOTE) else "sibling"
                entry = found.setdefault((a, b), {"a": a, "b": b, "source": source, "case": case, "spans": []})
                if entry["case"] != case:
                    entry["case"] = "sibling"
                for q in spans:
                    q = (q[2], q[3], q[0], q[1]) if a != x else q
                    if through:
                        chained[(a, b)].append((q, "quote" if quoted else "prose"))
                    else:
                        entry["spans"].append(_span(q, "quote" if quoted else "prose"))
    for (a, b), quads in chained.items():
        found[(a, b)]["spans"] = [_span(q, kind) for kind in ("prose", "quote")
                                  for q in _joined([q for q, k in quads if k == kind], texts[a], texts[b])
                                  if long_enough(q, texts[a], texts[b])]
        if not found[(a, b)]["spans"]:
            del found[(a, b)]

    for kind, group in pools.repeats:
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                a, b = f"{WIRE}/{first.newid}", f"{WIRE}/{second.newid}"
                source = a if i == 0 else None
                found[(a, b)] = {"a": a, "b": b, "source": source, "case": kind,
                                 "spans": [_span(repeat_span(first, second), "prose")]}

    pairs = [found[k] for k in sorted(found)]
    for p in pairs:
        p["spans"].sort(key=lambda s: (s["a_start"], s["b_start"]))
    return {
        "documents": [{"id": d, "outlet": outlets[d], "length": len(texts[d]), "case": cases[d]}
                      for d in sorted(texts)],
        "pairs": pairs,
        "families": _families(pairs),
        "lookalikes": [{"name": name, "members": sorted(f"{WIRE}/{s.newid}" for s in members)}
                       for name, members in pools.templates.items()],
    }
