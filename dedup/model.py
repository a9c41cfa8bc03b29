"""Plain records passed between dedup's stages.

Every offset in these records is a character offset into the article text
exactly as it was read (``Article.text``), never into a normalized copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

SpanKind = Literal["prose", "rewritten", "quote", "boilerplate"]
KINDS: tuple[SpanKind, ...] = ("prose", "rewritten", "quote", "boilerplate")
COPIED: tuple[SpanKind, ...] = ("prose", "rewritten")
"""The kinds that are copied text: verbatim (or lightly edited) prose, and prose rewritten
(:mod:`dedup.kinds`). Both make a copy pair, link families and count for coverage."""
Status = Literal["new", "partial", "duplicate"]
STATUSES: tuple[Status, ...] = ("new", "partial", "duplicate")


@dataclass(frozen=True)
class Article:
    """One article as read: its text and what is known about where it came from."""

    id: str
    text: str
    outlet: str | None = None
    date: str | None = None
    title: str | None = None
    url: str | None = None
    path: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """An input that could not be read; the run goes on without it."""

    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Span:
    """One copied passage: ``a[a_start:a_end]`` corresponds to ``b[b_start:b_end]``.

    ``score`` is the word-level similarity of the two sides (1.0 = identical words);
    ``expect`` the number of runs scoring as high as its anchored words that the
    shorter article would share with the rest of the corpus by chance
    (:mod:`dedup.chance`; None: not measured). ``content``, for a ``rewritten``
    span only (None otherwise), is the similarity of the two sides' content words,
    stemmed, in order (twice the stems in order over their sum): how much of its
    source's content a rewrite keeps, where ``score`` says how few words it kept.
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    score: float
    kind: SpanKind = "prose"
    expect: float | None = None
    content: float | None = None


@dataclass(frozen=True)
class Match:
    """Two articles that share passages, and which one is the likely source.

    ``source`` is ``a`` or ``b`` (an article id) or ``None`` when dedup cannot
    tell; ``reason`` says what decided it (``date``, ``wire``, ``credit``,
    ``role``, ``containment``: :mod:`dedup.direction`) and ``confidence`` how
    often that evidence names the right source. Coverages are the share of
    each text inside copied spans (prose or rewritten: :data:`COPIED`).
    """

    a: str
    b: str
    spans: tuple[Span, ...]
    a_coverage: float
    b_coverage: float
    source: str | None = None
    reason: str | None = None
    confidence: float | None = None

    @cached_property
    def prose(self) -> tuple[Span, ...]:  # asked for again and again by every stage after alignment
        return tuple(s for s in self.spans if s.kind == "prose")

    @cached_property
    def copied(self) -> tuple[Span, ...]:
        """The spans of copied text: prose and rewritten prose (what makes the pair a copy)."""
        return tuple(s for s in self.spans if s.kind in COPIED)

    @property
    def copier(self) -> str | None:
        if self.source is None:
            return None
        return self.b if self.source == self.a else self.a


@dataclass(frozen=True)
class Family:
    """Articles linked by copied text, verbatim or rewritten (a connected component of matches).

    ``source`` is the original most members copy from, or ``None``;
    ``sources`` lists every member that reuses no other member's text.
    """

    id: str
    members: tuple[str, ...]
    source: str | None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edits:
    """How a copy differs from the article it was taken from, paragraph by paragraph.

    Counts are of body paragraphs (page head and tail lines left out):
    ``paragraphs`` of the original, ``kept`` of them in the copy (most of
    each), ``shortened`` (a part of each), ``trimmed`` cut at its end,
    ``dropped`` elsewhere, ``added`` of the copy's own;
    ``lede_rewritten`` when the copy opens with its own text in place of the
    original's first paragraph; ``quotations_dropped`` inside the part it
    kept; ``furniture_added`` characters of the copy's outlet template around
    it; ``words_changed`` inside the copied passages.
    """

    paragraphs: int = 0
    kept: int = 0
    shortened: int = 0
    trimmed: int = 0
    lede_rewritten: bool = False
    dropped: int = 0
    added: int = 0
    quotations_dropped: int = 0
    furniture_added: int = 0
    words_changed: int = 0


@dataclass(frozen=True)
class Copy:
    """One article of a story that took text from its original (or, ``via``, from a copy of it).

    ``share`` is the share of the copy's characters credited to that article,
    ``taken`` the share of that article's characters the copy holds.
    """

    id: str
    share: float
    taken: float
    edits: Edits
    reason: str | None = None
    via: str | None = None


@dataclass(frozen=True)
class Story:
    """An original article (one that copies from no other) and every article that copied it."""

    original: str
    copies: tuple[Copy, ...]


@dataclass(frozen=True)
class Coverage:
    """Where one article's text comes from: a share per source article, its
    outlet's template, and the rest, its own."""

    id: str
    sources: Mapping[str, float]
    furniture: float
    original: float


@dataclass(frozen=True)
class OutletStats:
    """How much of one outlet's text is prose copied from others.

    ``reused_share`` counts text in ``prose`` spans (verbatim or lightly edited
    copy) whose source is another article (direction known); ``shared_share``
    counts all text in prose spans, whatever the direction. ``reused_from`` maps
    a source outlet to the share of this outlet's text reused from it (they sum
    to ``reused_share``). ``rewritten_share`` counts, apart from those, text in
    ``rewritten`` spans whose source is another article, outside the article's
    prose spans: what the outlet rewrote from others. ``boilerplate_share`` is
    the share of the outlet's text that is its own recurring template (not
    counted as reuse).
    """

    outlet: str
    documents: int
    characters: int
    reused_share: float
    shared_share: float
    reused_from: Mapping[str, float]
    boilerplate_share: float = 0.0
    rewritten_share: float = 0.0


@dataclass(frozen=True)
class Report:
    """Everything a scan found, ready to render."""

    documents: tuple[Article, ...]
    pairs: tuple[Match, ...]
    families: tuple[Family, ...]
    outlets: tuple[OutletStats, ...]
    problems: tuple[Problem, ...] = ()
    stats: Mapping[str, Any] = field(default_factory=dict)
    stories: tuple[Story, ...] = ()
    coverage: tuple[Coverage, ...] = ()


@dataclass(frozen=True)
class Decision:
    """What a persistent index says about one incoming article.

    Shares are of the article's body: its text outside its outlet's furniture
    (header, footer, byline, ``furniture_share`` of its characters), which a
    reprint wraps around the copy. ``duplicate``: one indexed article, or
    several versions of one story (an update, a correction) together, hold a
    near-copy of (almost) all of the body; ``partial``: it reuses passages of
    indexed articles, ``reused_share`` of its body; ``new``: neither. Only
    copied prose (verbatim or rewritten) counts, never a shared quotation or furniture. ``matches``
    are the indexed articles it shares prose with (``a`` is this article,
    ``b`` the indexed one; ``a_coverage`` the share of this article's body),
    highest coverage first; ``added`` says whether it went into the index;
    ``conflict`` that its id was indexed with another text (see ``on_conflict``
    of :class:`dedup.Index`).
    """

    id: str
    status: Status
    reused_share: float = 0.0
    matches: tuple[Match, ...] = ()
    added: bool = False
    furniture_share: float = 0.0
    conflict: bool = False

    @property
    def duplicate_of(self) -> str | None:
        """The indexed article this one copies, for a duplicate."""
        return self.matches[0].b if self.status == "duplicate" and self.matches else None
