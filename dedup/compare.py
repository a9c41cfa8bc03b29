"""One pair of articles: align, label, measure and attribute.

This is the unit every engine shares: the local scan, the Spark engine, the
index filter and ``dedup diff`` all turn two tokenized articles into a
:class:`~dedup.model.Match` here.
"""

from __future__ import annotations

from .align import Grams, align_tokens
from .direction import attribute
from .kinds import Marks, label
from .model import Article, Match, Span
from .ranges import union_length
from .settings import Settings
from .text import Tokens, tokenize


def compare(
    a: Article,
    b: Article,
    settings: Settings,
    tokens_a: Tokens | None = None,
    tokens_b: Tokens | None = None,
    marks_a: Marks | None = None,
    marks_b: Marks | None = None,
    grams_a: Grams | None = None,
    grams_b: Grams | None = None,
    lengths: tuple[int, int] | None = None,
) -> Match | None:
    """The passages ``a`` and ``b`` share, or None when they share none worth reporting.

    ``lengths`` are the texts' lengths when the caller has them: forked
    workers then never touch the texts, which would copy their pages.
    """
    ta = tokens_a if tokens_a is not None else tokenize(a.text)
    tb = tokens_b if tokens_b is not None else tokenize(b.text)
    ma = marks_a if marks_a is not None else Marks.empty(len(ta))
    mb = marks_b if marks_b is not None else Marks.empty(len(tb))
    labelled = label(align_tokens(ta, tb, settings, grams_a, grams_b), ta, tb, ma, mb, settings)
    if not labelled:
        return None
    spans = []
    for item in labelled:
        s = item.segment
        a0, a1 = ta.char_span(s.a_first, s.a_stop)
        b0, b1 = tb.char_span(s.b_first, s.b_stop)
        spans.append(Span(a0, a1, b0, b1, s.score, item.kind))
    prose = [s for s in spans if s.kind == "prose"]
    len_a, len_b = lengths if lengths is not None else (len(a.text), len(b.text))
    a_cov = round(union_length((s.a_start, s.a_end) for s in prose) / max(len_a, 1), 4)
    b_cov = round(union_length((s.b_start, s.b_end) for s in prose) / max(len_b, 1), 4)
    source, reason = attribute(a, b, a_cov, b_cov, settings) if prose else (None, None)
    return Match(a.id, b.id, tuple(spans), a_cov, b_cov, source, reason)
