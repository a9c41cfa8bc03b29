"""Which article of a pair is the likely source, why, and how sure dedup is.

Evidence, strongest first, each a ``reason``:

* ``date``: one was published first;
* ``wire``: one is of a wire service on the list (``wire_outlets``), the other not;
* ``credit``: one credits the other's outlet ("WASHINGTON (Reuters) -",
  "By ..., Associated Press", "— AFP", "... contributed to this report");
* ``role``: learned from the corpus itself (:func:`learn_roles`): the
  outlet of one is a source outlet (others copy its text, it copies little,
  it is the earlier party where dates differ), the other's is not;
* ``containment``: one body is almost all copy, the other holds that copy
  inside more text of its own, so the fuller one is the source.

When none decides, dedup says it cannot tell (source and reason ``None``).
``confidence`` is a lower bound (95% Wilson interval, rounded down) on the
share of pairs with that reason whose source was right across the accuracy
benchmark's conditions (``benchmarks/accuracy/conditions.py``, "Sources by
reason"): few pairs, as for containment, give a low bound.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from .dates import earlier
from .model import Article, Match
from .page import name_key
from .settings import Settings

CONTAINED = 0.8
"""Body coverage above which an article counts as mostly copy."""
MARGIN = 0.25
"""How much less of the other body must be copy for containment to decide."""
CONFIDENCE = {"date": 0.99, "wire": 0.99, "credit": 0.99, "role": 0.99, "containment": 0.74}
"""Lower bound on how often each reason named the right source (see the module docstring)."""
ROLE_PAIRS = 3
"""Fewest pairs an outlet must be the source of, by other evidence, to be learned as a source outlet."""
ROLE_SHARE = 0.8
"""Least share of its decided pairs in which a source outlet is the source."""
LEARN_FROM = ("date", "wire", "credit", "containment")
"""Reasons whose pairs teach which outlets are sources."""


@dataclass(frozen=True)
class Attribution:
    """The likely source of a pair (an article id, or None), the evidence, and how sure."""

    source: str | None
    reason: str | None
    confidence: float | None

    @classmethod
    def of(cls, source: str | None, reason: str | None) -> Attribution:
        return cls(source, reason, CONFIDENCE[reason] if reason else None)


UNKNOWN = Attribution(None, None, None)


def is_wire(outlet: str | None, settings: Settings) -> bool:
    return outlet is not None and outlet.strip().lower() in settings.wire_outlets


def attribute(a: Article, b: Article, a_body: float, b_body: float, settings: Settings,
              credits_a: frozenset[str] = frozenset(), credits_b: frozenset[str] = frozenset()) -> Attribution:
    """The source of a pair sharing prose, from the pair alone. ``a_body``/``b_body`` are the
    shares of each body that is copy; ``credits_a``/``credits_b`` the outlets each text credits."""
    order = earlier(a.date, b.date)
    if order:
        return Attribution.of(a.id if order < 0 else b.id, "date")
    wire_a, wire_b = is_wire(a.outlet, settings), is_wire(b.outlet, settings)
    if wire_a != wire_b:
        return Attribution.of(a.id if wire_a else b.id, "wire")
    b_credits_a = a.outlet is not None and name_key(a.outlet) in credits_b
    a_credits_b = b.outlet is not None and name_key(b.outlet) in credits_a
    if b_credits_a != a_credits_b and a.outlet != b.outlet:
        return Attribution.of(a.id if b_credits_a else b.id, "credit")
    if b_body >= CONTAINED and a_body <= b_body - MARGIN:
        return Attribution.of(a.id, "containment")
    if a_body >= CONTAINED and b_body <= a_body - MARGIN:
        return Attribution.of(b.id, "containment")
    return UNKNOWN


def learn_roles(pairs: Iterable[Match], outlet_of: Mapping[str, str | None]) -> frozenset[str]:
    """The source outlets of a corpus (:func:`source_outlets`), from its pairs."""
    flows = [(p.source, p.copier or "") for p in pairs
             if p.source is not None and p.reason in LEARN_FROM and p.copied]
    return roles_of(flows, outlet_of)


def roles_of(flows: Iterable[tuple[str, str]], outlet_of: Mapping[str, str | None]) -> frozenset[str]:
    """The source outlets (:func:`source_outlets`) from ``(source, copier)`` article ids of the
    pairs other evidence decided. Two copies of a third article (siblings) teach nothing:
    the earlier of them is no origin of the text."""
    flows = list(flows)
    origins: dict[str, set[str]] = {}
    for src, dst in flows:
        origins.setdefault(dst, set()).add(src)
    source: Counter[str] = Counter()
    copier: Counter[str] = Counter()
    for src, dst in flows:
        if (origins.get(dst, set()) & origins.get(src, set())) - {src, dst}:
            continue  # both copy a third article
        a, b = outlet_of.get(src), outlet_of.get(dst)
        if a is None or b is None or a == b:
            continue
        source[a] += 1
        copier[b] += 1
    return source_outlets(source, copier)


def source_outlets(source: Mapping[str, int], copier: Mapping[str, int]) -> frozenset[str]:
    """Outlets that are the source of ``ROLE_PAIRS`` or more pairs with another outlet, by
    evidence other than a role (``source``; ``copier`` counts the pairs they copy in), and of
    at least ``ROLE_SHARE`` of all such pairs they take part in: a wire that others copy,
    that copies little, that is the earlier party where dates differ."""
    return frozenset(o for o, n in source.items()
                     if n >= ROLE_PAIRS and n >= ROLE_SHARE * (n + copier.get(o, 0)))


def with_roles(pairs: Iterable[Match], outlet_of: Mapping[str, str | None], roles: frozenset[str]) -> list[Match]:
    """Pairs that the pair alone could not settle, or settled only by containment, named
    by the learned source outlets (reason ``role``) where one side's outlet is one and
    the other's is not."""
    found = []
    for p in pairs:
        if p.copied and p.reason in (None, "containment"):
            in_a, in_b = outlet_of.get(p.a) in roles, outlet_of.get(p.b) in roles
            if in_a != in_b:
                r = Attribution.of(p.a if in_a else p.b, "role")
                p = replace(p, source=r.source, reason=r.reason, confidence=r.confidence)
        found.append(p)
    return found
