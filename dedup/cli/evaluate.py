"""``dedup eval``: score a JSON report against a labelled truth file (see :mod:`dedup.evaluate`)."""

from __future__ import annotations

import json

import click

from ..evaluate import Evaluation, evaluate, read_report, read_truth
from .base import cli, handle_errors, output_file


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def summary(e: Evaluation) -> str:
    """The evaluation as text: headline figures, then tables by case, false pairs and outlets."""
    p, s, src = e.pairs, e.spans, e.sources
    worst = max(e.outlets, key=lambda o: o.error_pp, default=None)
    mean = sum(o.error_pp for o in e.outlets) / len(e.outlets) if e.outlets else 0.0
    lines = [
        f"pairs       P {_num(p.precision)}  R {_num(p.recall)}  F1 {_num(p.f1)}"
        f"   ({p.true:,} copy pairs, {p.found:,} found, {p.false:,} false)",
        f"spans       P {_num(s.precision)}  R {_num(s.recall)}  F1 {_num(s.f1)}"
        f"   granularity {s.granularity:.3f}  plagdet {_num(s.plagdet)}   (PAN, macro-averaged characters)",
        f"families    adjusted Rand index {_num(e.ari)}",
        f"sources     {_num(src.accuracy)} right of {src.found:,} found pairs with a known source;"
        f" wire to outlet {_num(src.wire_accuracy)} of {src.wire_found:,}",
        "by reason   " + ("; ".join(f"{r} {k / n:.3f} of {n:,}" for r, n, k in src.by_reason) or "none"),
        f"quotations  {e.quote_only_as_prose} of {e.quote_only} quotation-only pairs counted as copied prose",
    ]
    if worst is not None:
        lines.append(f"outlets     reused share off by {worst.error_pp:.2f} pp at most ({worst.outlet}),"
                     f" {mean:.2f} pp on average")
    if e.lookalike_pairs or e.lookalike_families:
        lines.append(f"lookalikes  {e.lookalike_pairs} pairs linked, {e.lookalike_families} families formed")
    else:
        lines.append("lookalikes  none linked")
    if e.by_case:
        lines += ["", "| case | copy pairs | found | recall | span P | span R | granularity | source right |",
                  "|---|---|---|---|---|---|---|---|"]
        for c in e.by_case:
            lines.append(f"| {c.case} | {c.true} | {c.found} | {_num(c.recall)} | {_num(c.spans.precision)} | "
                         f"{_num(c.spans.recall)} | {c.spans.granularity:.3f} | {_num(c.sources.accuracy)} |")
    if e.false_by_case:
        lines += ["", "| false pairs (cases of the two documents) | count |", "|---|---|"]
        lines += [f"| {label} | {n} |" for label, n in list(e.false_by_case.items())[:15]]
    if e.outlets:
        lines += ["", "| outlet | true reused share | reported | error (pp) |", "|---|---|---|---|"]
        lines += [f"| {o.outlet} | {o.truth:.4f} | {o.report:.4f} | {o.error_pp:.2f} |" for o in e.outlets]
    return "\n".join(lines)


@cli.command("eval")
@click.argument("truth", type=click.Path(dir_okay=False))
@click.argument("report", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: figures and markdown tables; json: every measure.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              help="Write the evaluation here instead of standard output.")
@handle_errors
def eval_cmd(truth: str, report: str, fmt: str, output: str) -> None:
    """Score a dedup JSON REPORT against a labelled TRUTH file (format: see README)."""
    labelled = read_truth(truth)
    found, lengths, wires = read_report(report)
    result = evaluate(labelled, found, lengths=lengths, wire_outlets=wires)
    with output_file(output) as out:
        if fmt == "json":
            json.dump(result.to_dict(), out, indent=1)
        else:
            out.write(summary(result))
        out.write("\n")
