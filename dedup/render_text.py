"""The terminal summary of a scan: outlets, families, then the strongest pairs.

Every line passes through :func:`dedup.safe.shown`: ids and outlets come from
the input, and a terminal must show their control characters, never obey them.
"""

from __future__ import annotations

from .model import Report
from .safe import shown


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def summary(report: Report, *, top: int = 10) -> str:
    """A short, plain-text account of what the scan found."""
    lines: list[str] = []
    n_pairs = len(report.pairs)
    prose_pairs = sum(1 for p in report.pairs if p.prose)
    lines.append(f"{len(report.documents)} articles, {prose_pairs} pairs sharing copied prose, "
                 f"{n_pairs - prose_pairs} sharing only quotations, {len(report.families)} families")
    if report.problems:
        lines.append(f"{len(report.problems)} input problems (see messages above)")
    lines.append("")
    lines.append(f"{'outlet':<24} {'articles':>8} {'reused':>7} {'shared':>7} {'template':>8}  main sources")
    for o in report.outlets:
        sources = ", ".join(f"{name} {_pct(share).strip()}" for name, share in list(o.reused_from.items())[:3])
        lines.append(f"{_cut(o.outlet, 24):<24} {o.documents:>8} {_pct(o.reused_share):>7} "
                     f"{_pct(o.shared_share):>7} {_pct(o.boilerplate_share):>8}  {sources or '-'}")
    if report.families:
        lines.append("")
        lines.append("families (source first):")
        for f in report.families[:top]:
            others = [m for m in f.members if m != f.source]
            head = f.source or "source unknown"
            lines.append(f"  {f.id} {len(f.members)} articles: {head} <- {', '.join(others[:6])}"
                         + (f" (+{len(others) - 6} more)" if len(others) > 6 else ""))
        if len(report.families) > top:
            lines.append(f"  ... {len(report.families) - top} more families")
    if report.pairs:
        lines.append("")
        lines.append("pairs (most copied first):")
        copiers = {p.copier for p in report.pairs if p.copier}
        # originals first (a source that copies no one), then by how much is copied
        ranked = sorted(report.pairs, key=lambda p: (p.source is None or p.source in copiers,
                                                     -(p.a_coverage + p.b_coverage)))
        for p in ranked[:top]:
            kinds = sorted({s.kind for s in p.spans})
            if p.source:
                arrow = f"{p.copier} copies {p.source} ({p.reason})"
            else:
                arrow = f"{p.a} ~ {p.b}"
            cov = f"{_pct(p.a_coverage).strip()} / {_pct(p.b_coverage).strip()}" if p.prose else "quotes only"
            lines.append(f"  {arrow}: {len(p.spans)} spans [{', '.join(kinds)}], {cov}")
        if len(report.pairs) > top:
            lines.append(f"  ... {len(report.pairs) - top} more pairs (use --format json for all)")
    return "\n".join(shown(line) for line in lines)
