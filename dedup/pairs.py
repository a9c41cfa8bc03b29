"""One pair of articles: align, label, measure and attribute.

This is the unit every engine shares: the local engine, the Spark engine,
the index and ``dedup diff`` all turn two prepared articles (:class:`Side`)
into a :class:`~dedup.model.Match` here, and keep it by :func:`reported`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .align import Segment, align_tokens
from .bridges import Side as Words
from .bridges import stemmer
from .chance import Chance, rounded, significant
from .direction import UNKNOWN, attribute
from .kinds import Marks, furniture_words, label, marked_ranges
from .model import COPIED, Article, Match, Span
from .page import body_range, credits
from .ranges import Range, difference, union_length
from .settings import Settings
from .text import STOP, Tokens, tokenize


@dataclass(frozen=True)
class Side:
    """One article of a pair as alignment needs it: its words, the marks the
    corpus gave them (boilerplate, common passages), its length in characters
    and where its body stands (:func:`dedup.page.body_range`; None: the
    whole text), given so that forked workers never touch the text itself."""

    article: Article
    tokens: Tokens
    marks: Marks
    length: int
    body: tuple[int, int] | None = None
    credits: frozenset[str] = frozenset()
    """The outlets the text credits (:func:`dedup.page.credits`)."""
    _words: dict[Callable[[str], str], Words] = field(default_factory=dict, compare=False, repr=False)
    _furniture: dict[int, np.ndarray] = field(default_factory=dict, compare=False, repr=False)
    _bits: list[tuple[Chance, np.ndarray]] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def of(cls, article: Article, tokens: Tokens, marks: Marks) -> Side:
        """An article with its words and marks; where its body stands and whom it credits
        are read from its text."""
        body = body_range(article.text)
        return cls(article, tokens, marks, len(article.text), body, credits(article.text, body))

    @classmethod
    def alone(cls, article: Article) -> Side:
        """An article with no corpus around it: nothing is boilerplate or common."""
        tokens = tokenize(article.text)
        return cls.of(article, tokens, Marks.empty(len(tokens)))

    def own(self, extra: Sequence[Range] = ()) -> list[Range]:
        """The body as character ranges: the text inside the page's head and tail, outside
        the outlet's furniture (the marked words, and ``extra`` ranges)."""
        return difference(self._own, extra) if extra else list(self._own)

    def words(self, stem: Callable[[str], str]) -> Words:
        """The text as bridges and labels read it, stemmed by ``stem`` (:class:`dedup.bridges.Side`):
        made once, since an article is a side of many pairs."""
        found = self._words.get(stem)
        if found is None:
            found = self._words[stem] = Words(self.tokens, self.article.text, stem, None)
        return found

    def furniture(self, reach: int) -> np.ndarray:
        """The words of the outlet's furniture (:func:`dedup.kinds.furniture_words`): made once."""
        found = self._furniture.get(reach)
        if found is None:
            found = self._furniture[reach] = furniture_words(self.marks.boilerplate, self.tokens.flags, reach)
        return found

    def bits(self, chance: Chance) -> np.ndarray:
        """The bits of each word by the corpus's ``chance`` rates (:meth:`dedup.chance.Chance.weigh`):
        weighed once for the last rates asked for, not once per span."""
        if not self._bits or self._bits[0][0] is not chance:
            self._bits[:] = [(chance, chance.weigh(self.tokens.hashes))]
        return self._bits[0][1]

    @cached_property
    def body_words(self) -> tuple[int, int]:
        """``(first, stop)``: the words of the body (all of them without a body range)."""
        if self.body is None:
            return 0, len(self.tokens)
        start, end = self.body
        return (int(np.searchsorted(self.tokens.starts, start)),
                int(np.searchsorted(self.tokens.ends, end, side="right")))

    @cached_property
    def own_size(self) -> int:
        """The characters of the body (:meth:`own`)."""
        return union_length(self._own)

    @cached_property
    def _own(self) -> list[Range]:  # an article is a side of many pairs: its body is cut once
        start, end = self.body if self.body is not None else (0, self.length)
        return difference([(start, end)], marked_ranges(self.tokens, self.marks.boilerplate))


def body_share(copied: Iterable[Range], body: list[Range], size: int | None = None) -> float:
    """The share of a body (its ranges; ``size``: their characters, when known) that the
    ``copied`` ranges cover."""
    size = union_length(body) if size is None else size
    left = sum(end - start for start, end in difference(body, copied))  # its pieces are apart
    return (size - left) / size if size else 0.0


def align_sides(a: Side, b: Side, settings: Settings, chance: Chance | None = None,
                only_reported: bool = False) -> Match | None:
    """The passages ``a`` and ``b`` share, or None when they share none worth reporting.
    With the corpus's ``chance`` rates each span says how often chance would give it,
    and a pair that rests on chance alone (:func:`dedup.chance.significant`) keeps only
    its boilerplate; ``only_reported``: such a pair is None at once (a scan reports
    only prose and quotations), before its spans are labelled, and so is one whose
    labels leave only boilerplate, before its spans are measured."""
    ta, tb = a.tokens, b.tokens

    def words() -> tuple[Words, Words] | None:
        """The two texts as bridges and labels read them: the texts are read only by bridges and
        by labels for prose of few identical words (forked workers otherwise never touch them:
        :mod:`dedup.local.engine`)."""
        if not (a.article.text and b.article.text):
            return None
        stem = stemmer(settings.language)
        return a.words(stem), b.words(stem)

    segments = align_tokens(ta, tb, settings, words=words() if settings.bridge_words else None,
                            bodies=(a.body_words, b.body_words))
    shorter = min(len(ta), len(tb))

    def expect(s: Segment, chance: Chance) -> float:  # the bits of its anchored words
        first, stop = s.core[:2] if s.core else (s.a_first, s.a_stop)
        bits = float(a.bits(chance)[first:stop].sum())
        return rounded(chance.expect(bits * s.anchored / max(stop - first, 1), shorter))

    expects = {id(s): expect(s, chance) for s in segments} if chance is not None else {}  # ids: no hash of a span
    if only_reported and segments and not significant(list(expects.values()) or [None], settings):
        return None  # labels only take spans away: nothing it could report
    one_outlet = a.article.outlet is not None and a.article.outlet == b.article.outlet
    labelled = label(segments, ta, tb, a.marks, b.marks, settings, one_outlet=one_outlet, words=words,
                     furniture_of=lambda reach: (a.furniture(reach), b.furniture(reach)))
    if not labelled:
        return None
    if only_reported:  # only boilerplate, or what chance alone gives beside it: nothing to report
        told = [expects.get(id(x.segment)) for x in labelled if x.kind != "boilerplate"]
        if not (told and significant(told, settings)):
            return None
    spans = []
    for item in labelled:
        s = item.segment
        a0, a1 = ta.char_span(s.a_first, s.a_stop)
        b0, b1 = tb.char_span(s.b_first, s.b_stop)
        if ta.flags[s.a_stop - 1] & tb.flags[s.b_stop - 1] & STOP:  # both copied the sentence's mark
            a1, b1 = a1 + 1, b1 + 1
        spans.append(Span(a0, a1, b0, b1, s.score, item.kind,
                          expects.get(id(s)) if item.kind != "boilerplate" else None, item.content))
    if not significant([s.expect for s in spans if s.kind != "boilerplate"] or [None], settings):
        spans = [s for s in spans if s.kind == "boilerplate"]
    copied = [s for s in spans if s.kind in COPIED]
    a_cov = round(union_length((s.a_start, s.a_end) for s in copied) / max(a.length, 1), 4)
    b_cov = round(union_length((s.b_start, s.b_end) for s in copied) / max(b.length, 1), 4)
    found = UNKNOWN
    if copied:  # which holds the other is judged on the stories, not on the pages around them
        a_body = body_share([(s.a_start, s.a_end) for s in copied], a.own(), a.own_size)
        b_body = body_share([(s.b_start, s.b_end) for s in copied], b.own(), b.own_size)
        found = attribute(a.article, b.article, a_body, b_body, settings, a.credits, b.credits)
    return Match(a.article.id, b.article.id, tuple(spans), a_cov, b_cov, found.source, found.reason, found.confidence)


def reported(match: Match) -> bool:
    """Whether a scan reports a pair: it shares prose (verbatim or rewritten) or a quotation,
    not only boilerplate."""
    return any(s.kind != "boilerplate" for s in match.spans)


def align_all(
    pairs: Iterable[tuple[int, int]], side: Callable[[int], Side], settings: Settings, chance: Chance | None = None
) -> Iterator[tuple[int, int, Match]]:
    """Numbered pairs with the match each reports (those that report none are left
    out); ``side`` prepares an article by its number."""
    for i, j in pairs:
        match = align_sides(side(i), side(j), settings, chance, only_reported=True)
        if match is not None and reported(match):
            yield i, j, match


def compare(a: Article, b: Article, settings: Settings | None = None) -> Match | None:
    """What two articles share, aligned as a scan aligns them but without a corpus
    around them (so nothing is boilerplate or a common phrase)."""
    return align_sides(Side.alone(a), Side.alone(b), settings or Settings())
