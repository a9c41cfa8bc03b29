"""The markdown of the benchmark by condition: a row per condition for the scan and for the filter.

The goals are the ones dedup must meet on every row (issue 14): a figure that
misses its goal is set in bold, and each row counts its misses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dedup.evaluate import Evaluation

from .filtering import STATUSES, FilterScores, Status
from .variants import Condition


@dataclass(frozen=True)
class Row:
    """One condition's corpus, dedup's scores on it, and how long it all took."""

    condition: Condition
    articles: int
    evaluation: Evaluation
    filters: tuple[FilterScores, ...]
    seconds: float


@dataclass(frozen=True)
class Goal:
    """A figure of a row, how to show it, and whether it meets its goal."""

    label: str
    value: Callable[[Evaluation], float | int | None]
    met: Callable[[float | int], bool]
    show: Callable[[Evaluation], str]


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


SCAN_GOALS: tuple[Goal, ...] = (
    Goal("pair P", lambda e: e.pairs.precision, lambda x: True, lambda e: _num(e.pairs.precision)),
    Goal("pair R", lambda e: e.pairs.recall, lambda x: True, lambda e: _num(e.pairs.recall)),
    Goal("pair F1 ≥ 0.98", lambda e: e.pairs.f1, lambda x: x >= 0.98, lambda e: _num(e.pairs.f1)),
    Goal("span P ≥ 0.96", lambda e: e.spans.precision, lambda x: x >= 0.96, lambda e: _num(e.spans.precision)),
    Goal("span R ≥ 0.96", lambda e: e.spans.recall, lambda x: x >= 0.96, lambda e: _num(e.spans.recall)),
    Goal("quote-only pairs as prose = 0", lambda e: e.quote_only_as_prose, lambda x: x == 0,
         lambda e: f"{e.quote_only_as_prose} of {e.quote_only}"),
    Goal("wire→outlet source right ≥ 0.97", lambda e: e.sources.wire_accuracy, lambda x: x >= 0.97,
         lambda e: f"{_num(e.sources.wire_accuracy)} of {e.sources.wire_found}"),
    Goal("wire→outlet cannot tell ≤ 0.03", lambda e: e.sources.wire_unknown_share, lambda x: x <= 0.03,
         lambda e: _num(e.sources.wire_unknown_share)),
    Goal("source right, every known pair", lambda e: e.sources.accuracy, lambda x: True,
         lambda e: f"{_num(e.sources.accuracy)} of {e.sources.found}"),
    Goal("families of furniture alone = 0", lambda e: e.furniture_families, lambda x: x == 0,
         lambda e: f"{e.furniture_families} ({e.furniture_pairs} pairs)"),
)
"""The scan's columns; those without a goal in their label always meet it."""

FILTER_GOALS: dict[Status, float] = {"duplicate": 0.98, "partial": 0.95, "new": 0.99}
"""Least share of the articles expected each status that the filter must call so."""
_CALLED = {"duplicate": "reprints called duplicate", "partial": "partials called partial", "new": "new called new"}


def _cell(text: str, missed: bool) -> str:
    return f"**{text}**" if missed else text


def scan_misses(e: Evaluation) -> list[str]:
    """The scan goals ``e`` misses (a figure that cannot be measured, n/a, is no miss)."""
    out = []
    for g in SCAN_GOALS:
        value = g.value(e)
        if value is not None and not g.met(value):
            out.append(g.label)
    return out


def scan_table(rows: Sequence[Row]) -> str:
    head = ["condition", "articles", "copy pairs"] + [g.label for g in SCAN_GOALS] + ["goals missed"]
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for r in rows:
        e = r.evaluation
        misses = scan_misses(e)
        cells = [r.condition.name, f"{r.articles:,}", f"{e.pairs.true:,}"]
        cells += [_cell(g.show(e), g.label in misses) for g in SCAN_GOALS]
        cells.append(_cell(str(len(misses)), bool(misses)))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def filter_misses(f: FilterScores) -> list[Status]:
    return [s for s, goal in FILTER_GOALS.items() if (x := f.right(s)) is not None and x < goal]


def filter_table(rows: Sequence[Row]) -> str:
    head = (["condition", "mode", "indexed first"]
            + [f"{_CALLED[s]} ≥ {g:.2f}" for s, g in FILTER_GOALS.items()] + ["goals missed"])
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for r in rows:
        for f in r.filters:
            misses = filter_misses(f)
            cells = [r.condition.name, f.mode, f"{f.indexed:,}"]
            for s in FILTER_GOALS:
                cells.append(_cell(f"{_num(f.right(s))} ({f.confusion.get((s, s), 0)} of {f.expected(s)})",
                                   s in misses))
            cells.append(_cell(str(len(misses)), bool(misses)))
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def confusion_table(rows: Sequence[Row]) -> str:
    pairs = [(want, got) for want in STATUSES for got in STATUSES]
    head = ["condition", "mode"] + [f"{want} → {got}" for want, got in pairs]
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for r in rows:
        for f in r.filters:
            cells = [r.condition.name, f.mode] + [str(f.confusion.get(k, 0)) for k in pairs]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def reason_table(rows: Sequence[Row]) -> str:
    """Per reason, across every condition, how often the source it named was right: the
    figures ``dedup.direction.CONFIDENCE`` states."""
    pooled: dict[str, list[int]] = {}
    for r in rows:
        for reason, found, correct in r.evaluation.sources.by_reason:
            tally = pooled.setdefault(reason, [0, 0])
            tally[0] += found
            tally[1] += correct
    lines = ["| reason | pairs with a known source | source right | lower bound (95%) | worst condition |",
             "|---|---|---|---|---|"]
    for reason, (found, correct) in sorted(pooled.items(), key=lambda x: -x[1][0]):
        worst = min(((k / n, r.condition.name) for r in rows for why, n, k in r.evaluation.sources.by_reason
                     if why == reason and n), default=None)
        shown = f"{worst[1]} {worst[0]:.3f}" if worst else "n/a"
        lines.append(f"| {reason} | {found:,} | {correct / found:.3f} | {wilson_lower(correct, found):.3f} | {shown} |")
    return "\n".join(lines)


def wilson_lower(right: int, total: int, z: float = 1.96) -> float:
    """The lower end of the Wilson score interval of ``right`` of ``total``: a share that
    few pairs measure is not taken at its face value."""
    if not total:
        return 0.0
    p = right / total
    centre = p + z * z / (2 * total)
    spread = z * ((p * (1 - p) + z * z / (4 * total)) / total) ** 0.5
    return float((centre - spread) / (1 + z * z / total))


def conditions_list(rows: Sequence[Row]) -> str:
    return "\n".join(f"- `{r.condition.name}`: {r.condition.about}" for r in rows)
