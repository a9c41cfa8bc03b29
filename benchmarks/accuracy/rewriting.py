"""Rewriting cases: wire copy reworded at three strengths, and independent stories on the same event.

    python benchmarks/accuracy/rewriting.py [--seed N] [--wire N] [--set NAME=VALUE ...]
                                            [--out FILE] [--keep DIR]

Content farms and rewriting desks do not reprint: they swap words for
synonyms, reorder clauses, merge and split sentences, and keep the facts.
Each of ``--wire`` real Reuters stories is published by the wire and
rewritten by six outlets: once with every operation of :mod:`.rewording` at
each strength (``rewrite-light``, ``rewrite-medium``, ``rewrite-heavy``), and
once with each operation alone at a strength drawn at random
(``synonyms-*``, ``reorder-*``, ``merge-split-*``). Every rewritten sentence
is recorded where it stands, so the truth's spans are exact (two copies of
one story are ``sibling`` pairs, as in the main benchmark).

The hard negative: two outlets write their own story on the same event.
Each is the prose of another Reuters story (used nowhere else) with the wire
story's dateline, figures and names put in the place of its own, in the
wire's order: the facts are shared, the prose is not. Such a story must not
be linked to the wire story, its copies or the other one. The markdown
gives the scan's figures by case and strength (with how many found copies
dedup reads as ``rewritten``), and how many same-event stories were linked.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import this checkout's dedup and benchmarks
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import dedup  # noqa: E402
from benchmarks.accuracy import edits, generate, reuters  # noqa: E402
from benchmarks.accuracy.edits import reflow  # noqa: E402
from benchmarks.accuracy.generate import Assembly, Plan  # noqa: E402
from benchmarks.accuracy.newsrooms import WIRE  # noqa: E402
from benchmarks.accuracy.pools import Pools, choose  # noqa: E402
from benchmarks.accuracy.records import Corpus, report  # noqa: E402
from benchmarks.accuracy.reuters import Story  # noqa: E402
from benchmarks.accuracy.rewording import OPERATIONS, STRENGTHS, Strength, merge, only, pad, reorder, split, substitute  # noqa: E402
from benchmarks.accuracy.tables import pct  # noqa: E402
from benchmarks.accuracy.variants import BASELINE  # noqa: E402
from benchmarks.accuracy.writing import Draft, Source  # noqa: E402
from dedup.cli import build_settings  # noqa: E402
from dedup.evaluate import Evaluation, evaluate, truth_from_dict  # noqa: E402
from dedup.report import write_json  # noqa: E402

WIRE_STORIES = 200
SAME_EVENT = "same-event"
"""The case of an independent story written on a wire story's event."""

_NUMBER = re.compile(r"(?<![\w.])\d[\d.,]*\d(?![\w])|(?<![\w.])\d(?![\w])")
_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][A-Za-z&'.-]+(?: [A-Z][A-Za-z&'.-]+)*")


def rewritten(src: Source, strength: Strength, rng: random.Random) -> Draft:
    """``src`` rewritten at ``strength``: each sentence's words swapped and clauses reordered,
    neighbours merged, some cut in two; every piece recorded with its source sentence."""
    draft = Draft()
    for p, para in enumerate(src.paragraphs()):
        if p:
            draft.write("\n\n")
        k = 0
        while k < len(para):
            if k:
                draft.write(" ")
            text = _reworded(src.say(para[k]), strength, rng)
            if k + 1 < len(para) and rng.random() < strength.merge:
                head, link, tail = merge(text, _reworded(src.say(para[k + 1]), strength, rng), rng)
                draft.write(head, *src.origin(para[k]))
                draft.write(link)
                draft.write(tail, *src.origin(para[k + 1]))
                k += 2
                continue
            cut = split(text, rng) if rng.random() < strength.split else None
            draft.write(" ".join(cut) if cut else text, *src.origin(para[k]))
            k += 1
    return draft


def _reworded(text: str, strength: Strength, rng: random.Random) -> str:
    if rng.random() < strength.reorder:
        text = reorder(text)
    if strength.swap:
        text = substitute(text, strength.swap, rng)
    return pad(text, strength.pad, rng) if strength.pad else text


def facts(story: Story) -> tuple[list[str], list[str]]:
    """The figures and the names (capitalised words inside a sentence) of a story, in order."""
    return _NUMBER.findall(story.body), _NAME.findall(story.body)


def same_event(wire: Story, other: Story) -> Draft:
    """A story on ``wire``'s event in ``other``'s words: ``other``'s prose (its paragraphs in
    order) with ``wire``'s dateline, and its figures and names in place of ``other``'s, in order."""
    numbers, names = facts(wire)
    figure: Iterator[str] = _cycle(numbers)
    name: Iterator[str] = _cycle(names)
    start = other.body_start + len(other.lead)
    paras: dict[int, list[str]] = {}
    for s in edits.sentences(other.text, start, len(other.text)):
        paras.setdefault(s.paragraph, []).append(reflow(other.text[s.start:s.end]))
    text = "\n\n".join(" ".join(p) for p in paras.values())
    if numbers:
        text = _NUMBER.sub(lambda m: next(figure), text)
    if names:
        text = _NAME.sub(lambda m: next(name), text)
    draft = Draft()
    draft.write((f"{wire.dateline} " if wire.dateline else "") + text)
    return draft


def _cycle(items: list[str]) -> Iterator[str]:
    while True:
        yield from items


@dataclass(frozen=True)
class Cases:
    """A rewriting corpus and, per wire story, its same-event group (the story, its copies, the
    independent stories)."""

    corpus: Corpus
    events: dict[str, list[str]]
    independent: frozenset[str]


def build(stories: list[Story], *, seed: int = 1, wire: int = WIRE_STORIES) -> Cases:
    """The rewriting corpus of ``wire`` stories (see the module docstring)."""
    rng = random.Random(f"{seed}/rewriting")
    pools = choose(stories, rng, wire=wire, filler=2 * wire, templates=0, repeats=0)
    pools = Pools(pools.wire, pools.filler, {}, [])
    plan = Plan(wire, [], [], [], 0)
    assembly = Assembly(plan, pools, rng, 1.0, BASELINE, random.Random(f"{seed}/rewriting/extra"))
    sources = [Source.of(s) for s in pools.wire]
    filler = iter(pools.filler)
    events: dict[str, list[str]] = {}
    independent: set[str] = set()
    for src in sources:
        assembly.publish(src.id, WIRE, src.story.date, src.story.title, src.story.text, "wire", src.story.date)
        assembly.placed[src.id] = src.placed()
        kinds = [("rewrite", s) for s in STRENGTHS] + [(op, rng.choice(STRENGTHS)) for op in OPERATIONS[:-1]]
        rooms = rng.sample(assembly.rooms, len(kinds) + 2)
        group = [src.id]
        for (op, strength), room in zip(kinds, rooms):
            draft = rewritten(src, only(strength, op), rng)
            group.append(assembly.page(room, src.story.date, src.story.title, draft, f"{op}-{strength.name}"))
        for room in rooms[len(kinds):]:
            other = next(filler)
            doc = assembly.page(room, src.story.date, src.story.title, same_event(src.story, other), SAME_EVENT)
            group.append(doc)
            independent.add(doc)
        events[src.id] = group
    corpus = assembly.corpus(seed, sources)
    corpus.truth["truth"]["generator"] = "benchmarks/accuracy/rewriting.py"
    return Cases(corpus, events, frozenset(independent))


@dataclass(frozen=True)
class Links:
    """What the scan did with the same-event stories."""

    stories: int
    linked_stories: int
    pairs: int
    linked_pairs: int
    linked_elsewhere: int
    """Same-event stories linked to an article of another event."""


def links(cases: Cases, report: dedup.Report) -> Links:
    found = {tuple(sorted((m.a, m.b))) for m in report.pairs if m.copied}
    event_of = {doc: key for key, group in cases.events.items() for doc in group}
    linked_pairs = 0
    linked: set[str] = set()
    elsewhere: set[str] = set()
    pairs = 0
    for group in cases.events.values():
        for i, x in enumerate(group):
            for y in group[i + 1:]:
                if x in cases.independent or y in cases.independent:
                    pairs += 1
                    if tuple(sorted((x, y))) in found:
                        linked_pairs += 1
                        linked.update({x, y} & cases.independent)
    for a, b in found:
        for doc, other in ((a, b), (b, a)):
            if doc in cases.independent and event_of.get(other) != event_of[doc]:
                elsewhere.add(doc)
    return Links(len(cases.independent), len(linked), pairs, linked_pairs, len(elsewhere))


def kept_words(cases: Cases) -> dict[str, float]:
    """Per case, the mean share of the wire story's words its copy keeps in order (difflib):
    how heavy each strength is."""
    texts = {a["id"]: a["text"] for a in cases.corpus.articles}
    docs = {d["id"]: d for d in cases.corpus.truth["documents"]}
    shares: dict[str, list[float]] = {}
    for key, group in cases.events.items():
        source = edits.words(texts[key])
        for doc in group[1:]:
            if doc in cases.independent:
                continue
            start, end = docs[doc]["body"]
            copy = edits.words(texts[doc][start:end])
            kept = sum(b.size for b in SequenceMatcher(None, source, copy, autojunk=False).get_matching_blocks())
            shares.setdefault(docs[doc]["case"], []).append(kept / max(len(source), 1))
    return {case: sum(v) / len(v) for case, v in shares.items()}


def rewritten_pairs(cases: Cases, report: dedup.Report) -> dict[str, tuple[int, float]]:
    """Per case, the found copy pairs read as rewritten (most of their copied characters, both
    sides, in ``rewritten`` spans), and the share of the copied characters in such spans."""
    case_of = {tuple(sorted((p["a"], p["b"]))): p.get("case") or "?" for p in cases.corpus.truth["pairs"]}
    pairs: dict[str, int] = {}
    chars: dict[str, list[int]] = {}
    for m in report.pairs:
        case = case_of.get(tuple(sorted((m.a, m.b))))
        if case is None or not m.copied:
            continue
        size = {k: sum(s.a_end - s.a_start + s.b_end - s.b_start for s in m.copied if s.kind == k)
                for k in ("prose", "rewritten")}
        pairs[case] = pairs.get(case, 0) + (size["rewritten"] > size["prose"])
        tally = chars.setdefault(case, [0, 0])
        tally[0] += size["rewritten"]
        tally[1] += size["prose"] + size["rewritten"]
    return {case: (pairs[case], chars[case][0] / max(chars[case][1], 1)) for case in pairs}


def tables(e: Evaluation, found: Links, kept: dict[str, float], rewritten: dict[str, tuple[int, float]]) -> str:
    rows = ["| case | true pairs | found | pair recall | span P | span R | words kept in order "
            "| found as rewritten | copied text rewritten |",
            "|---|---|---|---|---|---|---|---|---|"]
    known = {c.case: c for c in e.by_case}
    order = [f"{op}-{s.name}" for op in OPERATIONS for s in STRENGTHS] + ["sibling"]
    for name in order:
        c = known.get(name)
        if c is not None:
            pairs, share = rewritten.get(name, (0, 0.0))
            rows.append(f"| {name} | {c.true} | {c.found} | {pct(c.recall)} | {pct(c.spans.precision)} | "
                        f"{pct(c.spans.recall)} | {pct(kept[name]) if name in kept else ''} | {pairs} | {pct(share)} |")
    whole = (f"| all | pair P {pct(e.pairs.precision)} | pair R {pct(e.pairs.recall)} | pair F1 {pct(e.pairs.f1)} "
             f"| span P {pct(e.spans.precision)} | span R {pct(e.spans.recall)} | | | |")
    rows.append(whole)
    heavy = known.get("rewrite-heavy")
    same = [
        "| same-event stories | measured | goal |", "|---|---|---|",
        f"| heavy rewrites found (pair recall, `rewrite-heavy`) | {pct(heavy.recall) if heavy else 'n/a'} | >= 0.90 |",
        f"| same-event stories linked to their event | {found.linked_stories} of {found.stories} "
        f"({found.linked_stories / max(found.stories, 1):.1%}) | <= 2% |",
        f"| same-event pairs linked | {found.linked_pairs} of {found.pairs} | |",
        f"| same-event stories linked to another event | {found.linked_elsewhere} | |",
    ]
    return "\n".join(rows) + "\n\n" + "\n".join(same)


def benchmark(reuters_dir: Path, folder: Path, *, seed: int = 1, wire: int = WIRE_STORIES,
              overrides: tuple[str, ...] = ()) -> str:
    settings = build_settings(None, overrides)
    cases = build(reuters.read(reuters_dir), seed=seed, wire=wire)
    path, _ = generate.write(cases.corpus, folder)
    articles, problems = dedup.load([str(path)])
    if problems:
        raise SystemExit(f"the generated corpus has unreadable records: {problems[0]}")
    report = dedup.scan(articles, settings)
    with open(folder / "dedup.json", "w", encoding="utf-8") as out:
        write_json(report, out, settings.to_dict())
    e = evaluate(truth_from_dict(cases.corpus.truth, "truth.json"), report, wire_outlets=settings.wire_outlets)
    changed = ", ".join(overrides) if overrides else "default settings"
    return "\n\n".join([
        f"### Rewriting cases, seed {seed}, {wire} wire stories, dedup with {changed}",
        f"{len(articles):,} articles, {e.pairs.true:,} copy pairs, {len(cases.independent)} same-event stories.",
        tables(e, links(cases, report), kept_words(cases), rewritten_pairs(cases, report)),
    ]) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--wire", type=int, default=WIRE_STORIES, help=f"wire stories (default {WIRE_STORIES})")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="NAME=VALUE",
                        help="a dedup setting, as dedup scan --set (repeatable)")
    parser.add_argument("--out", type=Path, help="also write the markdown here")
    parser.add_argument("--keep", type=Path, help="keep corpus.jsonl, truth.json and dedup.json in this folder")
    parser.add_argument("--reuters", type=Path, default=generate.REUTERS, help="folder of the reut2-*.sgm files")
    args = parser.parse_args(argv)

    def go(folder: Path) -> str:
        return benchmark(args.reuters, folder, seed=args.seed, wire=args.wire, overrides=tuple(args.overrides))

    report(go, args.keep, args.out, "dedup-rewriting-")


if __name__ == "__main__":
    main()
