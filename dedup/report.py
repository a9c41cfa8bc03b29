"""The report as plain data: JSON, JSONL and CSV, and back; the rows Parquet writes.

The JSON document is a contract other programs rely on (see the README,
"JSON report"). Change it only on purpose, and bump ``SCHEMA`` when you do.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import IO, Any

from . import heap
from ._version import __version__
from .model import KINDS, Article, Copy, Coverage, Edits, Family, Match, OutletStats, Problem, Report, Span, Story
from .render_text import TOP, summary
from .safe import cell
from .stories import describe

SCHEMA = 4


def document_dict(a: Article) -> dict[str, Any]:
    return {"id": a.id, "outlet": a.outlet, "date": a.date, "title": a.title, "url": a.url,
            "path": a.path, "length": len(a.text)}


def match_dict(m: Match) -> dict[str, Any]:
    return {"a": m.a, "b": m.b, "source": m.source, "reason": m.reason, "confidence": m.confidence,
            "a_coverage": m.a_coverage, "b_coverage": m.b_coverage,
            "spans": [dict(zip(SPAN_FIELDS, span_cells(s))) for s in m.spans]}


def family_dict(f: Family) -> dict[str, Any]:
    return {"id": f.id, "members": list(f.members), "source": f.source, "sources": list(f.sources)}


def _about(a: Article | None) -> dict[str, Any]:
    return {"outlet": a.outlet if a else None, "date": a.date if a else None, "title": a.title if a else None}


def story_dict(s: Story, by_id: dict[str, Article]) -> dict[str, Any]:
    return {"original": s.original, **_about(by_id.get(s.original)),
            "copies": [{"id": c.id, **_about(by_id.get(c.id)), "share": c.share, "taken": c.taken,
                        "reason": c.reason, "via": c.via, "edits": asdict(c.edits), "summary": list(describe(c.edits))}
                       for c in s.copies]}


def coverage_dict(c: Coverage) -> dict[str, Any]:
    return {"id": c.id, "sources": dict(c.sources), "furniture": c.furniture, "original": c.original}


def outlet_dict(o: OutletStats) -> dict[str, Any]:
    return {"outlet": o.outlet, "documents": o.documents, "characters": o.characters,
            "reused_share": o.reused_share, "shared_share": o.shared_share,
            "rewritten_share": o.rewritten_share, "reused_from": dict(o.reused_from),
            "boilerplate_share": o.boilerplate_share}


def problem_dict(p: Problem) -> dict[str, Any]:
    return {"source": p.source, "line": p.line, "reason": p.reason}


def to_dict(report: Report, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    by_id = {a.id: a for a in report.documents}
    return {
        "dedup": {"version": __version__, "schema": SCHEMA},
        "settings": settings or {},
        "documents": [document_dict(a) for a in report.documents],
        "pairs": [match_dict(m) for m in report.pairs],
        "stories": [story_dict(s, by_id) for s in report.stories],
        "clusters": [family_dict(f) for f in report.families],
        "coverage": [coverage_dict(c) for c in report.coverage],
        "outlets": [outlet_dict(o) for o in report.outlets],
        "problems": [problem_dict(p) for p in report.problems],
        "stats": dict(report.stats),
    }


def match_from_dict(d: dict[str, Any]) -> Match:
    spans = tuple(Span(**s) for s in d.get("spans", ()))
    return Match(d["a"], d["b"], spans, d.get("a_coverage", 0.0), d.get("b_coverage", 0.0),
                 d.get("source"), d.get("reason"), d.get("confidence"))


def from_dict(d: dict[str, Any], texts: dict[str, str] | None = None) -> Report:
    """A report read back from JSON. Texts are not in the JSON; pass them to render diffs."""
    texts = texts or {}
    docs = tuple(Article(id=x["id"], text=texts.get(x["id"], ""), outlet=x.get("outlet"), date=x.get("date"),
                         title=x.get("title"), url=x.get("url"), path=x.get("path"))
                 for x in d.get("documents", ()))
    return Report(
        documents=docs,
        pairs=tuple(match_from_dict(p) for p in d.get("pairs", ())),
        families=tuple(Family(f["id"], tuple(f["members"]), f.get("source"), tuple(f.get("sources", ())))
                       for f in d.get("clusters", d.get("families", ()))),  # "families" up to schema 2
        outlets=tuple(OutletStats(o["outlet"], o["documents"], o.get("characters", 0), o["reused_share"],
                                  o.get("shared_share", 0.0), o.get("reused_from", {}),
                                  o.get("boilerplate_share", 0.0), o.get("rewritten_share", 0.0))
                      for o in d.get("outlets", ())),
        problems=tuple(Problem(p["source"], p["reason"], p.get("line")) for p in d.get("problems", ())),
        stats=d.get("stats", {}),
        stories=tuple(Story(s["original"], tuple(Copy(c["id"], c["share"], c["taken"], Edits(**c["edits"]),
                                                      c.get("reason"), c.get("via")) for c in s["copies"]))
                      for s in d.get("stories", ())),
        coverage=tuple(Coverage(c["id"], c["sources"], c["furniture"], c["original"]) for c in d.get("coverage", ())),
    )


def write_json(report: Report, out: IO[str], settings: dict[str, Any] | None = None) -> None:
    """The whole report, one document, pair, story... to a line: readable and greppable, and
    each line made by json's C encoder (``json.dump`` and any ``indent`` use its Python one,
    three times slower)."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    with heap.paused():  # the report is millions of small dicts and lists, none in a cycle
        out.write("{")
        for n, (key, value) in enumerate(to_dict(report, settings).items()):
            out.write(f"{',' if n else ''}\n {encode(key)}: ")
            if isinstance(value, list) and value:
                out.write("[")
                for k, item in enumerate(value):
                    out.write(f"{',' if k else ''}\n  {encode(item)}")
                out.write("\n ]")
            else:
                out.write(encode(value))
    out.write("\n}\n")


def write_jsonl(pairs: Iterable[Match], out: IO[str]) -> None:
    for m in pairs:
        out.write(json.dumps(match_dict(m), ensure_ascii=False))
        out.write("\n")


PAIR_COLUMNS = ("a", "b", "source", "reason", "confidence", "a_coverage", "b_coverage")
"""The pair's own fields, first in every row of CSV and Parquet."""

SPAN_FIELDS = ("a_start", "a_end", "b_start", "b_end", "score", "kind", "expect", "content")
"""A span's fields, in the order of :class:`Span` and of the JSON report."""

SPAN_COLUMNS = (*PAIR_COLUMNS, "span", *SPAN_FIELDS)
"""The columns of :func:`span_rows` (``--format parquet``): ``span`` is the span's place in its pair, from 0."""

CSV_COLUMNS = (*PAIR_COLUMNS, "prose_spans", "rewritten_spans", "quote_spans", "boilerplate_spans", "spans")


def pair_cells(m: Match) -> tuple[Any, ...]:
    """The values of ``PAIR_COLUMNS`` for one pair, as they are (None stays None)."""
    return (m.a, m.b, m.source, m.reason, m.confidence, m.a_coverage, m.b_coverage)


def span_cells(s: Span) -> tuple[Any, ...]:
    """The values of ``SPAN_FIELDS`` for one span."""
    return (s.a_start, s.a_end, s.b_start, s.b_end, s.score, s.kind, s.expect, s.content)


_NO_SPAN = (None,) * (1 + len(SPAN_FIELDS))


def span_rows(m: Match) -> Iterator[tuple[Any, ...]]:
    """One row per span of the pair (columns ``SPAN_COLUMNS``), the pair's fields on each.
    A scan reports no pair without a span (:func:`dedup.pairs.reported`); such a pair,
    made by hand, still gets one row, its span columns None, so no pair is ever left out."""
    pair = pair_cells(m)
    if not m.spans:
        yield (*pair, *_NO_SPAN)
    for number, s in enumerate(m.spans):
        yield (*pair, number, *span_cells(s))


def csv_writer(out: IO[str]) -> Any:
    """A CSV writer that quotes every text cell: Python before 3.12 leaves a lone carriage return unquoted."""
    return csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)


def write_csv(pairs: Iterable[Match], out: IO[str]) -> None:
    """One row per pair; ``spans`` holds ``a_start-a_end:b_start-b_end:kind:score`` items joined by ``;``."""
    writer = csv_writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(m) for m in pairs)


def csv_row(m: Match) -> tuple[Any, ...]:
    """The CSV row of one pair (columns ``CSV_COLUMNS``): the cells of :func:`pair_cells` and
    :func:`span_cells`, made safe for a spreadsheet, with the spans counted by kind."""
    a, b, source, reason, confidence, a_coverage, b_coverage = pair_cells(m)
    counts = [sum(1 for s in m.spans if s.kind == k) for k in KINDS]
    spans = ";".join(f"{a0}-{a1}:{b0}-{b1}:{kind}:{score}"
                     for a0, a1, b0, b1, score, kind, *_ in map(span_cells, m.spans))
    return (cell(a), cell(b), cell(source or ""), reason or "", "" if confidence is None else confidence,
            a_coverage, b_coverage, *counts, spans)


FORMATS = ("text", "json", "jsonl", "csv", "parquet")
"""What ``dedup scan --format`` writes: a summary, the whole report, one pair per line, or
one span per row (Parquet, binary: :func:`dedup.report_parquet.write_parquet`, not :func:`write`)."""


def write(report: Report, fmt: str, out: IO[str], settings: dict[str, Any] | None = None, *, top: int = TOP) -> None:
    """The report in one of ``FORMATS`` (``top``: stories, clusters and pairs the text summary shows)."""
    if fmt == "json":
        write_json(report, out, settings)
    elif fmt == "jsonl":
        write_jsonl(report.pairs, out)
    elif fmt == "csv":
        write_csv(report.pairs, out)
    elif fmt == "text":
        out.write(summary(report, top=top) + "\n")
    elif fmt == "parquet":
        raise ValueError("parquet is binary: write it with dedup.report_parquet.write_parquet")
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
