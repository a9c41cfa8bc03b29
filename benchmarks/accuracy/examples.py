"""Concrete misses for whoever tunes dedup: missed pairs, false pairs and stray spans, with their text."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from dedup.evaluate import Evaluation, Key, Truth, pan_scores
from dedup.model import Match, Report, Span

from .tables import CASE_ORDER, false_class, longest_prose, quotation_only_keys

WIDTH = 160


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= WIDTH else flat[: WIDTH - 25] + " ... " + flat[-20:]


def _sides(texts: Mapping[str, str], a: str, b: str, s: Span) -> list[str]:
    return [f"    - `{a}` [{s.a_start}:{s.a_end}] {s.kind}: {_clip(texts[a][s.a_start:s.a_end])}",
            f"    - `{b}` [{s.b_start}:{s.b_end}]: {_clip(texts[b][s.b_start:s.b_end])}"]


def _oriented(m: Match, a: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    return [((s.a_start, s.a_end), (s.b_start, s.b_end)) if m.a == a else ((s.b_start, s.b_end), (s.a_start, s.a_end))
            for s in m.copied]


def _key(a: str, b: str) -> Key:
    return (a, b) if a <= b else (b, a)


def examples(e: Evaluation, truth: Truth, raw: Mapping[str, Any], texts: Mapping[str, str], report: Report,
             count: int) -> str:
    found = {_key(m.a, m.b): m for m in report.pairs}
    pairs = {_key(p.a, p.b): p for p in truth.pairs}
    lines: list[str] = []

    missed = defaultdict(list)
    for key in e.missed:
        missed[pairs[key].case or "?"].append(key)
    for case in [c for c in CASE_ORDER if c in missed] + sorted(set(missed) - set(CASE_ORDER)):
        lines.append(f"- missed **{case}** pairs ({len(missed[case])}):")
        for key in missed[case][:count]:
            p = pairs[key]
            got = found.get(key)
            note = f" (reported only as {sorted({s.kind for s in got.spans})})" if got else ""
            lines.append(f"  - `{p.a}` ~ `{p.b}`{note}")
            for s in p.prose[:2]:
                lines += _sides(texts, p.a, p.b, s)

    quote_only = quotation_only_keys(raw)
    false = defaultdict(list)
    for key in e.false:
        false[false_class(key, raw, quote_only, longest_prose(found[key], key[0]))].append(key)
    for name, keys in sorted(false.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"- false pairs, **{name}** ({len(keys)}):")
        for key in keys[:count]:
            hit = found[key]
            lines.append(f"  - `{hit.a}` ~ `{hit.b}`")
            for s in hit.copied[:2]:
                lines += _sides(texts, hit.a, hit.b, s)

    stray = defaultdict(list)
    for where, p in pairs.items():
        m = found.get(where)
        if m is None or not p.prose or not m.copied:
            continue
        cases = [((s.a_start, s.a_end), (s.b_start, s.b_end)) for s in p.prose]
        score = pan_scores({where: cases}, {where: _oriented(m, p.a)})
        if score.precision < 0.9:
            stray[p.case or "?"].append((score.precision, where))
    for case, items in sorted(stray.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"- found **{case}** pairs with span precision under 0.9 ({len(items)}), lowest first:")
        for precision, key in sorted(items)[:count]:
            p, m = pairs[key], found[key]
            lines.append(f"  - `{p.a}` ~ `{p.b}`: precision {precision:.2f}; reported spans mostly outside the truth:")
            cases = [((s.a_start, s.a_end), (s.b_start, s.b_end)) for s in p.prose]
            bad = [s for s, quad in zip(m.copied, _oriented(m, p.a))
                   if pan_scores({key: cases}, {key: [quad]}).precision < 0.5]
            for s in bad[:2]:
                lines += _sides(texts, m.a, m.b, s)
    return "\n".join(lines)
