"""The terminal summary of a scan: outlets, stories (original first), clusters, then the most copied pairs.

Articles are named by title (the id where there is none), outlet and date;
a pair that shares only quotations shows the first words of the quotation.
Pairs come in :func:`dedup.stories.most_copied` order, the page's too.

Every line passes through :func:`dedup.safe.shown`: ids, titles and outlets
come from the input, and a terminal must show their control characters,
never obey them.
"""

from __future__ import annotations

import re

from .model import Article, Match, Report
from .safe import shown
from .stories import describe, most_copied

TOP = 10
"""Stories, clusters and pairs the summary shows (``--top``)."""
COPIES = 8
"""Copies listed under each story; the rest are counted."""
TITLE = 60
"""Characters of a title shown."""
QUOTE_WORDS = 8
"""Words of a shared quotation shown for a pair that shares only quotations."""


def percent(x: float) -> str:
    """A share as the report shows it: a dash for none, ``<0.1%`` for a trace, else one decimal."""
    if x <= 0:
        return "–"
    if x < 0.001:
        return "<0.1%"
    return f"{100 * x:.1f}%"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def name(article: Article | None, fallback: str) -> str:
    """An article as a reader knows it: its title in quotes, else its id."""
    if article is None or not article.title:
        return shown(fallback)
    return "“" + shown(_cut(" ".join(article.title.split()), TITLE)) + "”"


def where(article: Article | None) -> str:
    """Outlet and date, as far as known."""
    if article is None:
        return ""
    return ", ".join(shown(x) for x in (article.outlet, article.date) if x)


def labelled(article: Article | None, fallback: str) -> str:
    place = where(article)
    return name(article, fallback) + (f" ({place})" if place else "")


def first_words(text: str, words: int = QUOTE_WORDS) -> str:
    """The opening words of a passage, with an ellipsis when there are more."""
    found = re.findall(r"\S+", text)
    return " ".join(found[:words]) + ("…" if len(found) > words else "")


def _quotation(pair: Match, by_id: dict[str, Article]) -> str:
    quotes = [s for s in pair.spans if s.kind == "quote"]
    article = by_id.get(pair.a)
    if not quotes or article is None or not article.text:
        return ""
    return first_words(shown(article.text[quotes[0].a_start:quotes[0].a_end]).strip("\"“”«»'‘’ "))


def rewritten_pair(p: Match) -> bool:
    """Whether all the copied text of a pair is rewritten (a rewritten pair)."""
    return bool(p.copied) and all(s.kind == "rewritten" for s in p.copied)


def _pair_line(p: Match, by_id: dict[str, Article]) -> str:
    if p.source:
        line = f"{labelled(by_id.get(p.copier or ''), p.copier or '')} copies " \
               f"{labelled(by_id.get(p.source), p.source)}, by {p.reason}"
    else:
        line = f"{labelled(by_id.get(p.a), p.a)} ~ {labelled(by_id.get(p.b), p.b)}"
    how = "rewritten" if rewritten_pair(p) else "copied"
    if p.copied and p.source:
        copy_share, source_share = (p.b_coverage, p.a_coverage) if p.source == p.a else (p.a_coverage, p.b_coverage)
        return f"  {line}: {percent(copy_share)} of it {how}, {percent(source_share)} of the source"
    if p.copied:
        return f"  {line}: {percent(p.a_coverage)} and {percent(p.b_coverage)} in {how} prose"
    quotes = sum(1 for s in p.spans if s.kind == "quote")
    words = _quotation(p, by_id)
    return f"  {line}: {quotes} quotation{'s' if quotes != 1 else ''} only" + (f": “{words}”" if words else "")


def summary(report: Report, *, top: int = TOP) -> str:
    """A short, plain-text account of what the scan found."""
    by_id = {d.id: d for d in report.documents}
    lines: list[str] = []
    n_pairs = len(report.pairs)
    prose_pairs = sum(1 for p in report.pairs if p.copied)
    rewritten = sum(1 for p in report.pairs if rewritten_pair(p))
    copies = len({c.id for s in report.stories for c in s.copies})
    lines.append(f"{len(report.documents)} articles: {len(report.stories)} stories copied by {copies} articles, "
                 f"{prose_pairs} pairs sharing copied prose{f' ({rewritten} rewritten)' if rewritten else ''}, "
                 f"{n_pairs - prose_pairs} sharing only quotations, "
                 f"{len(report.families)} clusters")
    if report.problems:
        lines.append(f"{len(report.problems)} input problems (see messages above)")
    lines.append("")
    lines.append(f"{'outlet':<24} {'articles':>8} {'reused':>7} {'shared':>7} {'rewritten':>9} {'template':>8}  "
                 "main sources")
    for o in report.outlets:
        sources = ", ".join(f"{shown(n)} {percent(share)}" for n, share in list(o.reused_from.items())[:3])
        lines.append(f"{_cut(shown(o.outlet), 24):<24} {o.documents:>8} {percent(o.reused_share):>7} "
                     f"{percent(o.shared_share):>7} {percent(o.rewritten_share):>9} {percent(o.boilerplate_share):>8}  "
                     f"{sources or '–'}")
    if report.stories:
        lines += ["", "stories (most copied first; the original, then each copy and what it changed):"]
        for n, s in enumerate(report.stories[:top], 1):
            lines.append(f"{n:>3}. {labelled(by_id.get(s.original), s.original)}")
            for c in s.copies[:COPIES]:
                via = f", via {name(by_id.get(c.via), c.via)}" if c.via else ""
                lines.append(f"       <- {labelled(by_id.get(c.id), c.id)}: {percent(c.share)} of it copied, "
                             f"took {percent(c.taken)}{via}; {', '.join(describe(c.edits))}")
            if len(s.copies) > COPIES:
                lines.append(f"       ... {len(s.copies) - COPIES} more copies")
        if len(report.stories) > top:
            lines.append(f"  ... {len(report.stories) - top} more stories (--top N shows more)")
    if report.families:
        lines += ["", "clusters (articles linked by copied prose; originals, then the copies):"]
        for f in report.families[:top]:
            originals = sorted((i for i in f.members if i in f.sources), key=lambda i: i != f.source)
            rest = len(f.members) - len(originals)
            named = ", ".join(labelled(by_id.get(i), i) for i in originals[:3])
            more = f" and {len(originals) - 3} more" if len(originals) > 3 else ""
            head = f"original{'s' if len(originals) != 1 else ''} {named}{more}" if originals else "originals unknown"
            lines.append(f"  {f.id} {len(f.members)} articles: {head}; {rest} other{'s' if rest != 1 else ''}")
        if len(report.families) > top:
            lines.append(f"  ... {len(report.families) - top} more clusters")
    if report.pairs:
        lines += ["", "pairs (most copied first):"]
        order = most_copied(report.pairs)
        for i in order[:top]:
            lines.append(_pair_line(report.pairs[i], by_id))
        if n_pairs > top:
            lines.append(f"  ... {n_pairs - top} more pairs (--top N, or --format json for all)")
    return "\n".join(shown(line) for line in lines)
