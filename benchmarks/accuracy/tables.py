"""The benchmark's markdown: engines side by side, dedup by case, false pairs, goals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dedup.evaluate import Evaluation, Key
from dedup.model import Match, Report

CASE_ORDER = ("reprint", "trim", "edit", "rewrite", "scan", "embed", "sentence", "stitch", "sibling",
              "repeat", "correction")
CASE_NOTES = {
    "reprint": "whole story, new headline and byline",
    "trim": "first paragraphs only",
    "edit": "a few words changed, a sentence dropped",
    "rewrite": "paragraphs moved, sentences swapped, merged and dropped, many words changed",
    "scan": "character confusions and lost spaces",
    "embed": "one or two wire paragraphs in a local story",
    "sentence": "one wire sentence in a local story",
    "stitch": "content-farm digest of three stories",
    "sibling": "two outlets' copies of one wire story",
    "repeat": "the wire re-sending an identical item",
    "correction": "a CORRECTED item and the story it replaces",
}


@dataclass(frozen=True)
class Run:
    """One engine's report on the corpus and its scores."""

    name: str
    report: Report
    evaluation: Evaluation
    seconds: float


def pct(x: float | None, digits: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def engines_table(runs: Sequence[Run]) -> str:
    base = runs[0].seconds or 1e-9
    head = ("| engine | pair P | pair R | pair F1 | span P | span R | span F1 | gran. | plagdet | family ARI "
            "| source ok | wire→outlet source ok | quote-only pairs as prose | outlet share error, max (pp) "
            "| template pairs / families | time vs dedup |")
    rows = [head, "|---" * (head.count("|") - 1) + "|"]
    for r in runs:
        e = r.evaluation
        rows.append("| " + " | ".join((
            r.name, pct(e.pairs.precision), pct(e.pairs.recall), pct(e.pairs.f1),
            pct(e.spans.precision), pct(e.spans.recall), pct(e.spans.f1), f"{e.spans.granularity:.3f}",
            pct(e.spans.plagdet), pct(e.ari), pct(e.sources.accuracy), pct(e.sources.wire_accuracy),
            f"{e.quote_only_as_prose} of {e.quote_only}", f"{e.max_outlet_error:.2f}",
            f"{e.lookalike_pairs} / {e.lookalike_families}", f"{r.seconds / base:.2f}×",
        )) + " |")
    return "\n".join(rows)


def cases_table(e: Evaluation) -> str:
    rows = ["| case | what | true pairs | found | pair recall | span P | span R | gran. | source ok |",
            "|---|---|---|---|---|---|---|---|---|"]
    known = {c.case: c for c in e.by_case}
    for name in list(CASE_ORDER) + sorted(set(known) - set(CASE_ORDER)):
        c = known.get(name)
        if c is None:
            continue
        rows.append(f"| {name} | {CASE_NOTES.get(name, '')} | {c.true} | {c.found} | {pct(c.recall)} | "
                    f"{pct(c.spans.precision)} | {pct(c.spans.recall)} | {c.spans.granularity:.3f} | "
                    f"{pct(c.sources.accuracy)} |")
    return "\n".join(rows)


FALSE_CLASSES = {
    "quotation only": "the two stories only quote the same speaker",
    "template": "two formulaic stories of one series (earnings, dividends, money market, Fed weekly)",
    "outlet page": "two articles of one outlet, linked by their header, date line and byline",
    "same wire story": "both reuse one wire story, but not one passage of eight words or more",
    "unrelated stories": "stories with no copied text (stock phrases, similar figures)",
}


def false_class(key: Key, truth: Mapping[str, Any], quote_only: set[Key], span: tuple[int, int] | None = None) -> str:
    """Why a reported pair that is not a copy looks like one, from the generator's labels;
    ``span`` is the longest reported prose span in the first document of ``key``."""
    docs = truth["_docs"]
    a, b = docs.get(key[0], {}), docs.get(key[1], {})
    if key in quote_only:
        return "quotation only"
    for group in truth.get("lookalikes", ()):
        if key[0] in group["_set"] and key[1] in group["_set"]:
            return "template"
    if a.get("outlet") == b.get("outlet") and span is not None and "body" in a:
        start, end = a["body"]
        outside = max(0, min(span[1], start) - span[0]) + max(0, span[1] - max(span[0], end))
        if outside * 2 >= span[1] - span[0]:
            return "outlet page"
    from_a = set(a.get("from", ())) | ({key[0]} if a.get("case") == "wire" else set())
    from_b = set(b.get("from", ())) | ({key[1]} if b.get("case") == "wire" else set())
    if from_a & from_b:
        return "same wire story"
    return "unrelated stories"


def index_truth(truth: dict[str, Any]) -> dict[str, Any]:
    """The truth with lookups the tables need (added under keys starting with ``_``)."""
    truth["_docs"] = {d["id"]: d for d in truth["documents"]}
    for group in truth.get("lookalikes", ()):
        group["_set"] = set(group["members"])
    return truth


def longest_prose(m: Match, doc: str) -> tuple[int, int]:
    """The longest span of copied prose of ``m`` in document ``doc``."""
    s = max(m.copied, key=lambda s: s.a_end - s.a_start)
    return (s.a_start, s.a_end) if m.a == doc else (s.b_start, s.b_end)


def _roots(doc: Mapping[str, Any], doc_id: str) -> tuple[str, ...]:
    return tuple(doc.get("from") or (doc_id,))


def false_table(e: Evaluation, truth: Mapping[str, Any], texts: Mapping[str, str], report: Report) -> str:
    quote_only = quotation_only_keys(truth)
    classes: Counter[str] = Counter()
    sources: dict[str, set[tuple[tuple[str, ...], ...]]] = {}
    example: dict[str, str] = {}
    by_key = {tuple(sorted((m.a, m.b))): m for m in report.pairs}
    docs = truth["_docs"]
    for key in e.false:
        m = by_key[key]
        name = false_class(key, truth, quote_only, longest_prose(m, key[0]))
        classes[name] += 1
        roots = tuple(sorted((_roots(docs.get(key[0], {}), key[0]), _roots(docs.get(key[1], {}), key[1]))))
        sources.setdefault(name, set()).add(roots)
        if name not in example:
            start, end = longest_prose(m, key[0])
            snippet = " ".join(texts.get(key[0], "")[start:end].split())[:90]
            example[name] = f"{key[0]} ~ {key[1]}: \"{snippet}\""
    rows = ["| false pairs | count | distinct story pairs | what | example |", "|---|---|---|---|---|"]
    for name, what in FALSE_CLASSES.items():
        if classes[name]:
            rows.append(f"| {name} | {classes[name]} | {len(sources[name])} | {what} | "
                        f"{example.get(name, '').replace('|', '/')} |")
    return "\n".join(rows)


def quotation_only_keys(truth: Mapping[str, Any]) -> set[Key]:
    return {tuple(sorted((p["a"], p["b"]))) for p in truth["pairs"]
            if p["spans"] and all(s["kind"] != "prose" for s in p["spans"])}


def outlets_table(e: Evaluation) -> str:
    rows = ["| outlet | true reused share | reported | error (pp) |", "|---|---|---|---|"]
    for o in e.outlets:
        rows.append(f"| {o.outlet} | {o.truth:.4f} | {o.report:.4f} | {o.error_pp:.2f} |")
    return "\n".join(rows)


def goals(e: Evaluation) -> list[tuple[str, str, bool]]:
    """The project's accuracy goals: (goal, measured, met)."""
    wire = e.sources.wire_accuracy
    return [
        ("pair F1 >= 0.98", pct(e.pairs.f1), e.pairs.f1 >= 0.98),
        ("span precision >= 0.95", pct(e.spans.precision), e.spans.precision >= 0.95),
        ("span recall >= 0.95", pct(e.spans.recall), e.spans.recall >= 0.95),
        ("no quotation-only pair counted as copied prose", str(e.quote_only_as_prose), e.quote_only_as_prose == 0),
        ("source right for >= 95% of wire→outlet pairs", pct(wire), wire is not None and wire >= 0.95),
        ("per-outlet reused share within 2 pp", f"{e.max_outlet_error:.2f} pp max", e.max_outlet_error <= 2.0),
        ("formulaic templates never form a family", f"{e.lookalike_families} families, {e.lookalike_pairs} pairs",
         e.lookalike_families == 0 and e.lookalike_pairs == 0),
    ]


def goals_list(e: Evaluation) -> str:
    return "\n".join(f"- {'met' if ok else '**missed**'}: {goal} (measured {value})" for goal, value, ok in goals(e))
