"""Stories: each original article and the articles that copied it, with what each copy changed.

Clusters (:mod:`dedup.families`) are connected components, and an article
stitched from two stories chains both into one. A reader follows stories
instead: one per **original** (an article that copies from no other and is
copied), listing every article that took its text, with the share taken
and an edit summary. A stitched article appears under each original it
took from, with the share from each. A copy of a copy that shares nothing
with the original itself appears under the original it descends from,
``via`` the copy it took from.

Edit summaries compare paragraphs of the two bodies (the text inside the
page's head and tail lines, :func:`dedup.page.body_range`): which of the
original's the copy kept (at least ``KEPT`` of it inside copied prose),
which it cut at the end or elsewhere, which of its own it added, and the
quotations of the part it kept that it left out.

The **coverage** of an article splits its characters: each copied
character credited once, to the most original source that holds it
(:func:`dedup.outlets.attributed_ranges`), its outlet's template, and the
rest, its own.

Both engines call :func:`tell` on the documents and pairs of their report,
so both give the same stories.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .diffview import changed_words
from .model import Article, Copy, Coverage, Edits, Match, Story
from .outlets import attributed_ranges
from .page import body_range
from .quotes import paragraph_breaks, regions
from .ranges import Range, covered_each, length, merge, union_length
from .text import BATCH, Tokens, tokenize_batch

KEPT = 0.5
"""Share of a paragraph a copy must hold for the paragraph to count as kept (less: shortened)."""
PART = 40
"""Fewest characters of a paragraph a copy must hold for it to count as shortened, not dropped."""
QUOTATION_WORDS = 4
"""Fewest words of a quotation that can count as dropped (not a quoted word or name)."""
FURNITURE_SLACK = 1.1
"""Template characters count from a run's first word to its last; its paragraphs are a little longer."""
CACHE = 1024
"""Articles whose words and paragraphs are kept at a time (a story's original serves all its copies)."""
_WORD = re.compile(r"\w+")


def paragraphs(text: str, body: tuple[int, int] | None = None) -> list[Range]:
    """The body's paragraphs (:func:`dedup.quotes.paragraph_breaks`), as ranges without surrounding
    blanks; ``body``: the text's :func:`dedup.page.body_range`, when it is known already."""
    start, end = body if body is not None else body_range(text)
    cuts = [start, *(b for b in paragraph_breaks(text) if start < b < end), end]
    found = []
    for lo, hi in zip(cuts, cuts[1:]):
        while lo < hi and text[lo].isspace():
            lo += 1
        while hi > lo and text[hi - 1].isspace():
            hi -= 1
        if hi > lo:
            found.append((lo, hi))
    return found


@dataclass(frozen=True)
class Layout:
    """One text with its body paragraphs, and its quotations once asked for."""

    text: str
    paragraphs: list[Range]

    @classmethod
    def of(cls, text: str, body: tuple[int, int] | None = None) -> Layout:
        return cls(text, paragraphs(text, body))

    @cached_property
    def quotations(self) -> list[Range]:
        """Quotations long enough to count as dropped (:data:`QUOTATION_WORDS`)."""
        return [r for r in regions(self.text) if len(_WORD.findall(self.text[r[0]:r[1]])) >= QUOTATION_WORDS]

    @cached_property
    def quoting(self) -> list[bool]:
        """Which paragraphs are mostly quotation (an original's, asked once for all its copies)."""
        return _held(self.paragraphs, self.quotations)


def _held(parts: Sequence[Range], ranges: Sequence[Range]) -> list[bool]:
    """Which of ``parts`` the ranges hold at least ``KEPT`` of."""
    return [n >= KEPT * (p[1] - p[0]) for n, p in zip(covered_each(parts, ranges), parts)]


def _furniture(parts: Sequence[Range], own: Sequence[bool], budget: float) -> set[int]:
    """The copy's own paragraphs at its ends (before the first and after the last it took)
    that its outlet's template characters account for."""
    found: set[int] = set()
    left = budget * FURNITURE_SLACK
    for order in (range(len(parts) - 1, -1, -1), range(len(parts))):
        for i in order:
            size = parts[i][1] - parts[i][0]
            if i in found:
                continue
            if not own[i] or size > left:
                break
            left -= size
            found.add(i)
    return found


def summary(original: Layout, copy: Layout, taken_o: Sequence[Range], taken_c: Sequence[Range],
            elsewhere: Sequence[Range], furniture: int, words_changed: int) -> Edits:
    """How ``copy`` differs from ``original``, given the ranges of each that the
    copy took (``taken_o`` and ``taken_c``), the ranges of the copy that are from other
    articles or shared furniture (``elsewhere``) and the copy's template characters not
    shared with the original (``furniture``)."""
    taken_o, taken_c = merge(taken_o), merge(taken_c)
    mine = original.paragraphs
    held = covered_each(mine, taken_o)
    keep = [n > 0 and n >= KEPT * (p[1] - p[0]) for n, p in zip(held, mine)]
    present = [i for i, n in enumerate(held) if n >= PART or keep[i]]  # a short paragraph kept is present
    theirs = copy.paragraphs
    own = [not h for h in _held(theirs, [*taken_c, *elsewhere])]
    furn = _furniture(theirs, own, furniture) if furniture else set()
    added = [p for i, p in enumerate(theirs) if own[i] and i not in furn]
    kept = sum(keep)
    if not present:
        return Edits(len(mine), added=len(added), furniture_added=furniture, words_changed=words_changed)
    first, last = present[0], present[-1]
    # a new first paragraph in place of the original's, the copy following the original after it
    lede = first == 1 and len(present) > 1 and any(p[1] <= taken_c[0][0] for p in added)
    trimmed = len(mine) - 1 - last if first <= int(lede) else 0
    quoted = original.quotations
    quote_paragraph = original.quoting
    dropped: list[Range] = []
    for i, p in enumerate(mine):
        if held[i] >= PART or keep[i] or (lede and i == 0) or i >= len(mine) - trimmed:
            continue
        if not (first < i < last and quote_paragraph[i]):  # a quotation left out between kept paragraphs
            dropped.append(p)
    within = [r for r in quoted if mine[first][0] <= r[0] and r[1] <= mine[last][1]]
    left_out = [not (k or d) for k, d in zip(_held(within, taken_o), _held(within, dropped))]
    return Edits(len(mine), kept, len(present) - kept, trimmed, lede, len(dropped), len(added) - int(lede),
                 sum(left_out), furniture, words_changed)


def describe(edits: Edits) -> tuple[str, ...]:
    """The edit summary in words, as the terminal and the page show it."""
    present = edits.kept + edits.shortened
    if not edits.paragraphs:
        found = []
    elif present == edits.paragraphs:
        found = ["whole"]
    elif present:
        found = [f"{present} of {edits.paragraphs} paragraphs"]
    else:
        found = ["passages shorter than a paragraph"]
    for count, words in ((edits.shortened, "{} shortened"), (edits.trimmed, "trimmed at the end ({})"),
                         (int(edits.lede_rewritten), "lede rewritten"), (edits.dropped, "{} dropped"),
                         (edits.added, "{} added")):
        if count:
            found.append(words.format(_n(count, "paragraph")))
    if edits.quotations_dropped:
        found.append(f"{_n(edits.quotations_dropped, 'quotation')} dropped")
    if edits.furniture_added:
        found.append("furniture added")
    if edits.words_changed:
        found.append(f"{_n(edits.words_changed, 'word')} changed")
    return tuple(found)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def most_copied(pairs: Sequence[Match]) -> list[int]:
    """Indexes of ``pairs``, most copied first: the larger shares of copied prose, then the most
    spans (quotation-only pairs), then report order. The terminal and the page both use it."""
    return sorted(range(len(pairs)), key=lambda i: (-(pairs[i].a_coverage + pairs[i].b_coverage),
                                                    -len(pairs[i].spans), i))


def _oriented(pair: Match, source: str) -> tuple[list[Range], list[Range], list[Range]]:
    """The source's and the copier's prose ranges, and the copier's boilerplate ranges."""
    src_a = pair.a == source
    prose = [((s.a_start, s.a_end), (s.b_start, s.b_end)) for s in pair.copied]
    boiler = [(s.b_start, s.b_end) if src_a else (s.a_start, s.a_end) for s in pair.spans if s.kind == "boilerplate"]
    if src_a:
        return [a for a, _ in prose], [b for _, b in prose], boiler
    return [b for _, b in prose], [a for a, _ in prose], boiler


def tell(documents: Sequence[Article], pairs: Iterable[Match],
         furniture: Mapping[str, int] | None = None, *, bodies: Mapping[str, tuple[int, int]] | None = None,
         words: Callable[[str], Tokens] | None = None) -> tuple[tuple[Story, ...], tuple[Coverage, ...]]:
    """The stories of a scan, most copied first, and every article's coverage, in document order.

    ``documents`` are in publication order (a report's); ``furniture`` gives,
    per article id, its characters that are its outlet's template. An engine that
    has read every page's body (``bodies``, by id) and kept every article's words
    (``words``, by id) gives them, so that they are not worked out again.
    """
    furniture = furniture or {}
    by_id = {d.id: d for d in documents}
    rank = {d.id: i for i, d in enumerate(documents)}
    directed = [p for p in pairs if p.copied and p.source is not None]
    credited = attributed_ranges(directed, by_id)
    sources_of: dict[str, dict[str, Match]] = defaultdict(dict)
    for p in directed:
        sources_of[p.copier or ""][p.source or ""] = p
    originals = {p.source for p in directed if p.source not in sources_of}

    @lru_cache(maxsize=CACHE)
    def layout(i: str) -> Layout:
        return Layout.of(by_id[i].text, bodies.get(i) if bodies is not None else None)

    def copy_of(source: str, copier: str, via: str | None, words: Mapping[str, Tokens]) -> Copy:
        pair = sources_of[copier][source]
        taken_o, taken_c, boiler = _oriented(pair, source)
        mine = credited.get(copier, {})
        elsewhere = [r for s, ranges in mine.items() if s != source for r in ranges] + boiler
        extra = max(0, furniture.get(copier, 0) - union_length(boiler))
        # a span scored 1.0 changes no word (exact up to 10,000 words a side: scores have four decimals)
        changed = sum(changed_words(s, words[pair.a], words[pair.b]) for s in pair.copied if s.score < 1)
        edits = summary(layout(source), layout(copier), taken_o, taken_c, elsewhere, extra, changed)
        share = round(length(mine.get(source, ())) / max(len(by_id[copier].text), 1), 4)
        taken = pair.a_coverage if pair.a == source else pair.b_coverage
        return Copy(copier, share, taken, edits, pair.reason, via)

    def chars(copier: str, source: str) -> int:
        return length(credited.get(copier, {}).get(source, ()))

    known: dict[str, list[str]] = {}

    def roots(article: str) -> list[str]:
        """The originals an article descends from, through its sources: each article's
        answer is worked out once (a dense web of copies has paths beyond counting),
        depth first without recursion; a source that leads back to an article still
        being worked out (a cycle of same-day copies) adds nothing."""
        stack, open_ = [article], {article}
        while stack:
            at = stack[-1]
            if at in originals:
                known[at] = [at]
            waiting = [s for s in sources_of.get(at, {}) if s not in known and s not in open_]
            if at not in known and waiting:
                stack += waiting
                open_.update(waiting)
                continue
            stack.pop()
            open_.discard(at)
            if at not in known:
                known[at] = list(dict.fromkeys(o for s in sources_of.get(at, {}) for o in known.get(s, ())))
        return known[article]

    placed: dict[str, list[tuple[str, str | None]]] = defaultdict(list)  # original -> (copier, via)
    for copier in sorted(sources_of, key=rank.__getitem__):
        mine = sources_of[copier]
        direct = [s for s in mine if s in originals]
        for s in direct:
            placed[s].append((copier, None))
        if direct:
            continue
        reached: set[str] = set()
        for via in sorted(mine, key=lambda s: (-chars(copier, s), rank[s])):
            for o in roots(via):
                if o not in reached:
                    reached.add(o)
                    placed[o].append((copier, via))

    jobs = [(o, c, through) for o in sorted(placed, key=rank.__getitem__) for c, through in placed[o]]
    made: dict[str, list[Copy]] = defaultdict(list)
    for start in range(0, len(jobs), BATCH):  # words of a batch of pairs, tokenized together
        part = jobs[start:start + BATCH]
        edited = [sources_of[c][through or o] for o, c, through in part]
        ids = list(dict.fromkeys(x for p in edited if any(s.score < 1 for s in p.copied) for x in (p.a, p.b)))
        if words is not None:
            held = {i: words(i) for i in ids}
        else:
            held = dict(zip(ids, tokenize_batch([by_id[i].text for i in ids]).docs())) if ids else {}
        for o, c, through in part:
            made[o].append(copy_of(through or o, c, through, held))
    stories = [Story(o, tuple(copies)) for o, copies in made.items()]
    stories.sort(key=story_key(rank))
    return tuple(stories), coverage(documents, credited, furniture)


def story_key(rank: Mapping[str, int]) -> Callable[[Story], tuple[int, float, int]]:
    """Most copied first: more copies, then more taken in all, then the earlier original."""
    return lambda s: (-len(s.copies), -round(sum(c.taken for c in s.copies), 4), rank.get(s.original, 0))


def coverage(documents: Sequence[Article], credited: Mapping[str, Mapping[str, list[Range]]],
             furniture: Mapping[str, int]) -> tuple[Coverage, ...]:
    """Each article's characters: from each source, its outlet's template, its own."""
    found = []
    for d in documents:
        size = max(len(d.text), 1)
        mine = credited.get(d.id, {})
        counts = {s: length(r) for s, r in mine.items()}
        template = min(furniture.get(d.id, 0), size)
        own = max(0, size - sum(counts.values()) - template)
        shares = {s: round(n / size, 4) for s, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}
        found.append(Coverage(d.id, shares, round(template / size, 4), round(own / size, 4)))
    return tuple(found)
