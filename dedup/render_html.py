"""The HTML report: one self-contained page for a scan or a diff, readable offline.

The page leads with the stories (each original and its copies, on a
timeline, with their edit summaries), then the outlets (a table, the
outlet-by-outlet matrix of reused text and, beside it, one outlet's view:
what it took, from whom, its most copied stories), the clusters and every
pair. One search box finds articles by title, outlet, id or text.

Header, tables and the legend are rendered by Jinja2 templates with
autoescaping. Article texts and spans go into the page once, as JSON in a
``<script type="application/json">`` block with ``<``, ``>``, ``&`` and the
JavaScript line separators escaped, so no text can close the block; the
page's script builds lists and views from it with ``textContent``, never
markup, and a pair's side-by-side view only when it is opened. A
Content-Security-Policy lets only the page's own script run and nothing be
fetched. Offsets are converted to UTF-16 code units, the unit of
JavaScript strings.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from importlib import resources
from typing import Any

import jinja2
import markupsafe
import numpy as np

from ._version import __version__
from .diffview import Diff, inner_edits
from .model import Article, Match, Report
from .outlets import NO_OUTLET, outlet_of
from .progress import Progress
from .render_text import percent
from .stories import describe, most_copied
from .text import BATCH, Tokens, tokenize_batch

MATRIX_OUTLETS = 40
"""Most outlets in the reuse matrix (those with the most reused text)."""
_JSON_ESCAPES: dict[str, str | int | None] = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                                              "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``</script>``, no ``<!--``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.translate(str.maketrans(_JSON_ESCAPES))


class Utf16:
    """Python string offsets (code points) to JavaScript ones (UTF-16 code units) for one text."""

    def __init__(self, text: str) -> None:
        self.shift: np.ndarray | None = None
        if len(text.encode("utf-16-le")) != 2 * len(text):
            astral = np.fromiter((ord(c) > 0xFFFF for c in text), dtype=np.int64, count=len(text))
            self.shift = np.concatenate(([0], np.cumsum(astral)))

    def __call__(self, offset: int) -> int:
        return offset if self.shift is None else offset + int(self.shift[offset])


def _pair_data(m: Match, index: dict[str, int], conv: Sequence[Utf16],
               edits: Sequence[Sequence[Any]]) -> dict[str, Any]:
    ia, ib = index[m.a], index[m.b]
    ca, cb = conv[ia], conv[ib]
    spans = []
    for s, inner in zip(m.spans, edits):
        spans.append([ca(s.a_start), ca(s.a_end), cb(s.b_start), cb(s.b_end), s.kind, s.score,
                      [[ca(e.a_start), ca(e.a_end), cb(e.b_start), cb(e.b_end)] for e in inner]])
    source = None if m.source is None else (0 if m.source == m.a else 1)
    return {"a": ia, "b": ib, "source": source, "reason": m.reason,
            "ac": m.a_coverage, "bc": m.b_coverage, "spans": spans}


def page_data(documents: Sequence[Article], pairs: Iterable[Match], edits: Iterable[Sequence[Any]]) -> dict[str, Any]:
    """What the page's script needs: every article once, and each pair's spans with their inner edits.

    The texts are under ``texts``, which the page keeps in a block of its own and
    parses only when a view or a search first needs them."""
    index = {d.id: i for i, d in enumerate(documents)}
    conv = [Utf16(d.text) for d in documents]
    return {
        "docs": [{"id": d.id, "outlet": d.outlet, "date": d.date, "title": d.title} for d in documents],
        "pairs": [_pair_data(m, index, conv, e) for m, e in zip(pairs, edits)],
        "texts": [d.text for d in documents],
    }


def story_data(report: Report) -> dict[str, Any]:
    """Stories, coverage, the order of pairs and the outlets' figures, by document and pair number."""
    index = {d.id: i for i, d in enumerate(report.documents)}
    pair_of = {(m.a, m.b): n for n, m in enumerate(report.pairs)}
    pair_of.update({(m.b, m.a): n for n, m in enumerate(report.pairs)})
    stories = [{"o": index[s.original],
                "copies": [{"d": index[c.id], "share": c.share, "taken": c.taken, "reason": c.reason,
                            "via": None if c.via is None else index[c.via],
                            "pair": pair_of.get((c.via or s.original, c.id)), "edits": list(describe(c.edits))}
                           for c in s.copies]}
               for s in report.stories]
    coverage = [[[[index[src], share] for src, share in c.sources.items()], c.furniture, c.original]
                for c in report.coverage]
    clusters = [[f.id, [index[i] for i in f.members], [index[i] for i in f.members if i in f.sources],
                 None if f.source is None else index[f.source]] for f in report.families]
    outlets = [{"name": o.outlet, "documents": o.documents, "reused": o.reused_share, "shared": o.shared_share,
                "rewritten": o.rewritten_share, "template": o.boilerplate_share, "from": list(o.reused_from.items())}
               for o in report.outlets]
    return {"stories": stories, "coverage": coverage, "clusters": clusters, "order": most_copied(report.pairs),
            "outlets": outlets,
            "none": NO_OUTLET}


def scan_edits(report: Report, progress: Progress | None = None) -> list[list[Any]]:
    """Inner edits of every span of every pair of a scan (texts tokenized once, together)."""
    used = {x for m in report.pairs for x in (m.a, m.b)}
    docs = [d for d in report.documents if d.id in used]
    tokens: dict[str, Tokens] = {}
    for start in range(0, len(docs), BATCH):
        part = docs[start:start + BATCH]
        tokens.update(zip((d.id for d in part), tokenize_batch([d.text for d in part]).docs()))
    found = []
    for n, m in enumerate(report.pairs, 1):
        found.append([inner_edits(s, tokens[m.a], tokens[m.b])[0] for s in m.spans])
        if progress and (n % 1000 == 0 or n == len(report.pairs)):
            progress("html", n, len(report.pairs))
    return found


def matrix(report: Report, limit: int = MATRIX_OUTLETS) -> dict[str, Any]:
    """Outlet-by-outlet shares of reused text: row outlet's characters credited to column outlet."""
    weight: dict[str, float] = {}
    for o in report.outlets:
        weight[o.outlet] = weight.get(o.outlet, 0.0) + o.reused_share * o.characters
        for src, share in o.reused_from.items():
            weight[src] = weight.get(src, 0.0) + share * o.characters
    names = sorted(weight, key=lambda n: (-weight[n], n))[:limit]
    names.sort()
    rows = {o.outlet: o for o in report.outlets}
    cells = [[rows[r].reused_from.get(c, 0.0) if r in rows else 0.0 for c in names] for r in names]
    top = max((v for row in cells for v in row), default=0.0)
    return {"names": names, "cells": cells, "top": top, "total": len(report.outlets)}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("dedup", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = percent
    return env


def _asset(name: str) -> str:
    return resources.files("dedup").joinpath("templates").joinpath(name).read_text(encoding="utf-8")


def _render(template: str, data: dict[str, Any], **context: Any) -> str:
    texts = script_json(data.pop("texts"))
    payload = script_json(data)
    script, style = _asset("report.js"), _asset("report.css")
    digest = hashlib.sha256((payload + texts + script + style).encode("utf-8")).digest()
    nonce = base64.b64encode(digest[:18]).decode("ascii")
    page: str = _environment().get_template(template).render(
        data=markupsafe.Markup(payload), texts=markupsafe.Markup(texts), script=markupsafe.Markup(script),
        style=markupsafe.Markup(style),
        nonce=nonce, version=__version__, **context)
    return page


def scan_page(report: Report, settings: dict[str, Any] | None = None, progress: Progress | None = None, *,
              inputs: Sequence[str] = (), scanned: datetime | None = None) -> str:
    """The whole scan as one HTML page; ``inputs`` and ``scanned`` (default: now) head it."""
    data = page_data(report.documents, report.pairs, scan_edits(report, progress))
    data.update(story_data(report))
    by_id = {d.id: d for d in report.documents}
    prose_pairs = sum(1 for p in report.pairs if p.copied)
    when = (scanned or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M %Z").strip()
    outlets = sorted(report.outlets, key=lambda o: (-o.reused_share, o.outlet))
    return _render("report.html.j2", data, report=report, matrix=matrix(report), settings=settings or {},
                   prose_pairs=prose_pairs, by_id=by_id, outlet_of={i: outlet_of(d) for i, d in by_id.items()},
                   inputs=list(inputs), scanned=when, outlets=outlets,
                   copies=len({c.id for s in report.stories for c in s.copies}))


def diff_page(diff: Diff) -> str:
    """One diff as an HTML page: both texts side by side, copied spans linked."""
    data = page_data([diff.a, diff.b], [diff.match], [[d.edits for d in diff.spans]])
    return _render("diff.html.j2", data, diff=diff)
