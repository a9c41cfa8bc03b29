"""Scoring a report against labelled truth: pairs, spans, families, sources, outlet shares.

``dedup eval TRUTH REPORT`` reads a truth file and a dedup JSON report
(``dedup scan --format json``) and measures how far the report is from the
truth. Any tool that writes the same JSON can be scored the same way.

Truth file (JSON, UTF-8)::

    {
      "documents": [{"id": "wire/1", "outlet": "reuters", "length": 2113, "case": "wire"},
                    {"id": "herald/7", "outlet": "herald", "length": 1290, "case": "trim",
                     "body": [140, 1101], "from": ["wire/1"]}, ...],
      "pairs": [{"a": "wire/1", "b": "herald/7", "source": "wire/1", "case": "trim",
                 "spans": [{"a_start": 20, "a_end": 940, "b_start": 151, "b_end": 1060,
                            "kind": "prose"}]}, ...],
      "families": [{"members": ["wire/1", "herald/7", "post/3"]}, ...],
      "lookalikes": [{"name": "earnings tables", "members": ["wire/5", "wire/9"]}, ...],
      "wire_outlets": ["reuters"],
      "truth": {"generator": "benchmarks/accuracy/generate.py", "seed": 1}
    }

* ``documents`` (required): every article of the corpus. ``outlet`` is needed
  for the per-outlet figures, ``length`` (characters) for reused shares (the
  report's lengths are used when it is missing); ``case`` is a free label
  that breaks false pairs down. Optional: ``body``, ``[start, end]`` (character
  offsets, ``0 <= start <= end <= length``), where the article's own text
  lies inside its outlet's page; what lies outside it (header, date line,
  headline, byline, footer) is the page's *furniture*. A document without
  ``body`` has no furniture. ``from``, a list of ids of the articles it
  reuses, is for the reader and not scored.
* ``pairs`` (required): every two articles that share text. ``spans`` give
  character offsets (Python string indices) of the shared passage in each
  text; ``kind`` is ``prose`` (copied text) or ``quote`` (the same quotation,
  quoted by both: not a copy). A pair with a prose span is a *copy pair*.
  ``source`` is the article the text came from, or null when neither copies
  the other (two copies of a third). ``case`` is a free label (how the copy
  was made) for the breakdown by case.
* ``families`` (optional): groups of articles linked by copying; by default
  the connected components of the copy pairs.
* ``lookalikes`` (optional): groups of articles that look alike but are not
  copies (formulaic stories); none of them may be linked.
* ``wire_outlets`` (optional): the outlets that are wire services in this
  corpus (compared lower case). When present it decides which pairs are
  wire→outlet pairs, instead of the wire services of the report's settings
  (a corpus whose wire is on no list).
* ``truth`` (optional): an object describing how the truth was made (the
  generator, its seed and condition); not scored.

Measures:

* **pairs**: precision, recall and F1 of the copy pairs (unordered).
* **spans**: the PAN plagiarism-detection measures (Potthast et al., 2010).
  A *case* is one truth prose span, a *detection* one reported span of copied
  text (``prose`` or ``rewritten``: both are copies) of the same two articles;
  a detection detects a case when they overlap in both texts. Precision and
  recall are macro-averaged over detections and cases in characters of both
  texts; granularity is the mean number of detections per detected case;
  plagdet = F1 / log2(1 + granularity).
* **families**: adjusted Rand index of the report's families against the
  truth's, over all documents (an article in no family is a family of one).
* **sources**: of the copy pairs with a known source that the report found,
  the share whose reported source is right; separately for *wire→outlet*
  pairs (the truth's source is a wire service, the other article is not), and
  of those the share the report leaves without a source (``source`` null,
  "cannot tell").
* **quotes**: quotation-only pairs of the truth that the report counts as
  copied prose.
* **outlets**: per outlet, the reported ``reused_share`` plus ``rewritten_share``
  (the truth does not tell a rewrite from a copy) against the truth's
  (characters of the outlet's articles inside prose spans copied from a known
  source), in percentage points.
* **furniture**: a reported prose span *lies in furniture* when, in one of the
  two articles that has a ``body``, at least half of its characters on that
  side are outside the body. A *furniture pair* is a reported prose pair that
  is not a copy pair of the truth and all of whose prose spans lie in
  furniture. A reported family (two or more members) is *formed by furniture
  alone* when its linking pairs (the reported prose pairs between two of its
  members) are all furniture pairs: none is a copy pair, and what links them
  is outside the articles' own text. Both are counted.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError
from .graph import components
from .model import Match, Report, Span
from .ranges import Range, covered, union_length
from .report import from_dict
from .settings import WIRE_OUTLETS

Key = tuple[str, str]


class TruthError(InputError):
    """A truth file or report that cannot be scored; the message names the file and the item."""


@dataclass(frozen=True)
class TruthDoc:
    id: str
    outlet: str | None = None
    length: int | None = None
    case: str | None = None
    body: Range | None = None
    """Where the article's own text lies in its page; outside it is furniture."""


@dataclass(frozen=True)
class TruthPair:
    """Two articles that share text, as labelled."""

    a: str
    b: str
    spans: tuple[Span, ...]
    source: str | None = None
    case: str | None = None

    @property
    def prose(self) -> tuple[Span, ...]:
        return tuple(s for s in self.spans if s.kind == "prose")


@dataclass(frozen=True)
class Truth:
    documents: Mapping[str, TruthDoc]
    pairs: tuple[TruthPair, ...]
    families: tuple[tuple[str, ...], ...]
    lookalikes: Mapping[str, tuple[str, ...]]
    wire_outlets: tuple[str, ...] | None = None
    """The corpus's wire services, when the truth names them."""


@dataclass(frozen=True)
class PairScores:
    true: int
    found: int
    false: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class SpanScores:
    cases: int
    detections: int
    precision: float
    recall: float
    f1: float
    granularity: float
    plagdet: float


@dataclass(frozen=True)
class SourceScores:
    found: int
    correct: int
    accuracy: float | None
    wire_found: int
    wire_correct: int
    wire_accuracy: float | None
    wire_unknown: int = 0
    """Found wire→outlet pairs the report gives no source ("cannot tell")."""
    wire_unknown_share: float | None = None
    by_reason: tuple[tuple[str, int, int], ...] = ()
    """``(reason, found, correct)`` for each reason the report gave, by most found: how
    often each kind of evidence names the right source."""


@dataclass(frozen=True)
class OutletError:
    outlet: str
    truth: float
    report: float
    error_pp: float


@dataclass(frozen=True)
class CaseScores:
    """The measures restricted to the truth pairs of one ``case`` label."""

    case: str
    true: int
    found: int
    recall: float
    spans: SpanScores
    sources: SourceScores


@dataclass(frozen=True)
class Evaluation:
    pairs: PairScores
    spans: SpanScores
    ari: float
    sources: SourceScores
    quote_only: int
    quote_only_as_prose: int
    outlets: tuple[OutletError, ...]
    lookalike_pairs: int
    lookalike_families: int
    by_case: tuple[CaseScores, ...]
    false_by_case: Mapping[str, int]
    missed: tuple[Key, ...]
    false: tuple[Key, ...]
    furniture_pairs: int = 0
    furniture_families: int = 0

    @property
    def max_outlet_error(self) -> float:
        return max((o.error_pp for o in self.outlets), default=0.0)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["max_outlet_error"] = self.max_outlet_error
        data["missed"] = [list(k) for k in self.missed]
        data["false"] = [list(k) for k in self.false]
        return data


# ---------------------------------------------------------------- reading


def _load_json(path: str | Path) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise TruthError(f"{path}: cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError as err:
        raise TruthError(f"{path}: not UTF-8 text ({err.reason})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise TruthError(f"{path}:{err.lineno}: not valid JSON: {err.msg} (column {err.colno})") from None


def _span(raw: Any, where: str) -> Span:
    if not isinstance(raw, dict):
        raise TruthError(f"{where}: a span must be an object")
    try:
        values = [int(raw[k]) for k in ("a_start", "a_end", "b_start", "b_end")]
    except KeyError as err:
        raise TruthError(f"{where}: missing {err.args[0]!r}") from None
    except (TypeError, ValueError):
        raise TruthError(f"{where}: offsets must be integers") from None
    kind = raw.get("kind", "prose")
    if kind not in ("prose", "quote"):
        raise TruthError(f"{where}: kind must be prose or quote, got {kind!r}")
    if values[0] > values[1] or values[2] > values[3] or min(values) < 0:
        raise TruthError(f"{where}: each span needs 0 <= start <= end")
    a_start, a_end, b_start, b_end = values
    return Span(a_start, a_end, b_start, b_end, score=float(raw.get("score", 1.0)), kind=kind)


def truth_from_dict(data: Any, name: str = "truth") -> Truth:
    """A :class:`Truth` from decoded JSON; ``name`` (the file) prefixes every error."""
    if not isinstance(data, dict):
        raise TruthError(f"{name}: the truth must be a JSON object with 'documents' and 'pairs'")
    for field in ("documents", "pairs"):
        if not isinstance(data.get(field), list):
            raise TruthError(f"{name}: missing list {field!r}")
    docs: dict[str, TruthDoc] = {}
    for n, raw in enumerate(data["documents"]):
        if not isinstance(raw, dict) or not raw.get("id"):
            raise TruthError(f"{name}: documents[{n}]: needs an 'id'")
        length = int(raw["length"]) if raw.get("length") is not None else None
        body = _body(raw.get("body"), length, f"{name}: documents[{n}]")
        docs[str(raw["id"])] = TruthDoc(str(raw["id"]), raw.get("outlet"), length, raw.get("case"), body)
    pairs = []
    for n, raw in enumerate(data["pairs"]):
        where = f"{name}: pairs[{n}]"
        if not isinstance(raw, dict) or not raw.get("a") or not raw.get("b"):
            raise TruthError(f"{where}: needs 'a' and 'b'")
        if not isinstance(raw.get("spans"), list):
            raise TruthError(f"{where}: missing list 'spans'")
        spans = tuple(_span(s, f"{where}.spans[{k}]") for k, s in enumerate(raw["spans"]))
        source = raw.get("source")
        if source is not None and source not in (raw["a"], raw["b"]):
            raise TruthError(f"{where}: source must be a, b or null")
        pairs.append(TruthPair(str(raw["a"]), str(raw["b"]), spans, source, raw.get("case")))
    families = tuple(tuple(f["members"] if isinstance(f, dict) else f) for f in data.get("families") or ())
    if "families" not in data:
        families = tuple(tuple(m) for m in components([(p.a, p.b) for p in pairs if p.prose]))
    lookalikes = {str(g.get("name", f"group {n + 1}")): tuple(g["members"])
                  for n, g in enumerate(data.get("lookalikes") or ())}
    wires = data.get("wire_outlets")
    if wires is not None and (not isinstance(wires, list) or not all(isinstance(w, str) for w in wires)):
        raise TruthError(f"{name}: wire_outlets must be a list of outlet names")
    return Truth(docs, tuple(pairs), families, lookalikes, tuple(wires) if wires is not None else None)


def _body(raw: Any, length: int | None, where: str) -> Range | None:
    if raw is None:
        return None
    if (not isinstance(raw, list) or len(raw) != 2 or not all(isinstance(x, int) for x in raw)
            or not 0 <= raw[0] <= raw[1] or (length is not None and raw[1] > length)):
        raise TruthError(f"{where}: body must be [start, end] with 0 <= start <= end <= length")
    return raw[0], raw[1]


def read_truth(path: str | Path) -> Truth:
    return truth_from_dict(_load_json(path), str(path))


def read_report(path: str | Path) -> tuple[Report, dict[str, int], tuple[str, ...]]:
    """A dedup JSON report (``dedup scan --format json``), its document lengths
    and the wire outlets of its settings."""
    data = _load_json(path)
    if not isinstance(data, dict) or "pairs" not in data:
        raise TruthError(f"{path}: not a dedup JSON report (no 'pairs'); write one with --format json")
    try:
        report = from_dict(data)
        lengths = {str(d["id"]): int(d["length"]) for d in data.get("documents", ()) if d.get("length") is not None}
    except (KeyError, TypeError, ValueError) as err:
        raise TruthError(f"{path}: malformed report: {err!r}") from None
    wires = (data.get("settings") or {}).get("wire_outlets") or WIRE_OUTLETS
    return report, lengths, tuple(wires)


# ---------------------------------------------------------------- measures


def adjusted_rand_index(left: Sequence[Any], right: Sequence[Any]) -> float:
    """ARI of two labellings of the same items (Hubert and Arabie, 1985), from the contingency table."""
    if len(left) != len(right):
        raise ValueError("both labellings must cover the same items")
    n = len(left)
    if n < 2:
        return 1.0
    _, li = np.unique(np.asarray(left, dtype=object).astype(str), return_inverse=True)
    _, ri = np.unique(np.asarray(right, dtype=object).astype(str), return_inverse=True)
    _, cells = np.unique(li.astype(np.int64) * (ri.max() + 1) + ri, return_counts=True)

    def pairs(counts: np.ndarray) -> float:
        return float((counts * (counts - 1) // 2).sum())

    index = pairs(cells)
    rows, cols = pairs(np.bincount(li)), pairs(np.bincount(ri))
    expected = rows * cols / (n * (n - 1) / 2)
    top = (rows + cols) / 2
    if top == expected:
        return 1.0
    return (index - expected) / (top - expected)


def _ratio(num: float, den: float, empty: float) -> float:
    return num / den if den else empty


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _overlap(x: Range, y: Range) -> bool:
    return min(x[1], y[1]) > max(x[0], y[0])


Quad = tuple[Range, Range]


def _quads(spans: Iterable[Span], flip: bool) -> list[Quad]:
    out = []
    for s in spans:
        a, b = (s.a_start, s.a_end), (s.b_start, s.b_end)
        out.append((b, a) if flip else (a, b))
    return out


def _coverage(spans: Mapping[Key, list[Quad]], others: Mapping[Key, list[Quad]]) -> tuple[list[float], list[int]]:
    """For each span, the share of its characters (both sides) inside the ``others``
    of the same pair that overlap it on both sides, and how many those are."""
    shares: list[float] = []
    counts: list[int] = []
    for key, mine in spans.items():
        theirs = others.get(key, [])
        for xa, xb in mine:
            hits = [(ya, yb) for ya, yb in theirs if _overlap(xa, ya) and _overlap(xb, yb)]
            size = (xa[1] - xa[0]) + (xb[1] - xb[0])
            got = covered(xa, [h[0] for h in hits]) + covered(xb, [h[1] for h in hits])
            shares.append(got / size if size else 0.0)
            counts.append(len(hits))
    return shares, counts


def pan_scores(cases: Mapping[Key, list[Quad]], detections: Mapping[Key, list[Quad]]) -> SpanScores:
    """PAN's macro precision, recall, granularity and plagdet over character spans.

    ``cases`` and ``detections`` map a pair of documents to spans given as
    ``((a_start, a_end), (b_start, b_end))`` in the same orientation.
    """
    recalls, granules = _coverage(cases, detections)
    precisions, _ = _coverage(detections, cases)
    n_cases, n_dets = len(recalls), len(precisions)
    empty = 1.0 if n_cases == n_dets == 0 else 0.0
    precision = sum(precisions) / n_dets if n_dets else empty
    recall = sum(recalls) / n_cases if n_cases else empty
    f1 = _f1(precision, recall)
    detected = [g for g in granules if g]
    gran = sum(detected) / len(detected) if detected else 1.0
    return SpanScores(n_cases, n_dets, precision, recall, f1, gran, f1 / math.log2(1 + gran))


def _key(a: str, b: str) -> tuple[Key, bool]:
    return ((a, b), False) if a <= b else ((b, a), True)


def _prose_pairs(report: Report) -> dict[Key, Match]:
    found = {}
    for m in report.pairs:
        if m.copied:
            found[_key(m.a, m.b)[0]] = m
    return found


def _source_scores(pairs: Iterable[TruthPair], found: Mapping[Key, Match], is_wire: Mapping[str, bool]) -> SourceScores:
    total = correct = wire_total = wire_correct = wire_unknown = 0
    reasons: dict[str, list[int]] = {}
    for p in pairs:
        match = found.get(_key(p.a, p.b)[0])
        if p.source is None or not p.prose or match is None:
            continue
        right = match.source == p.source
        total += 1
        correct += right
        if match.reason is not None:
            tally = reasons.setdefault(match.reason, [0, 0])
            tally[0] += 1
            tally[1] += right
        other = p.b if p.source == p.a else p.a
        if is_wire.get(p.source) and not is_wire.get(other):
            wire_total += 1
            wire_correct += right
            wire_unknown += match.source is None
    return SourceScores(total, correct, correct / total if total else None,
                        wire_total, wire_correct, wire_correct / wire_total if wire_total else None,
                        wire_unknown, wire_unknown / wire_total if wire_total else None,
                        tuple((r, n, k) for r, (n, k) in sorted(reasons.items(), key=lambda x: (-x[1][0], x[0]))))


def _in_furniture(span: Span, a: TruthDoc | None, b: TruthDoc | None) -> bool:
    """Whether at least half of the span lies outside the body on a side that has one."""
    for doc, side in ((a, (span.a_start, span.a_end)), (b, (span.b_start, span.b_end))):
        if doc is not None and doc.body is not None and side[1] > side[0]:
            if 2 * (side[1] - side[0] - covered(side, [doc.body])) >= side[1] - side[0]:
                return True
    return False


def _furniture(truth: Truth, report: Report, found: Mapping[Key, Match],
               copies: Mapping[Key, TruthPair]) -> tuple[int, int]:
    """Furniture pairs, and families formed by furniture alone (see the module docstring)."""
    docs = truth.documents
    furniture = {k for k, m in found.items()
                 if k not in copies and all(_in_furniture(s, docs.get(m.a), docs.get(m.b)) for s in m.copied)}
    families = 0
    for f in report.families:
        members = sorted(set(f.members))
        links = [(x, y) for i, x in enumerate(members) for y in members[i + 1:] if (x, y) in found]
        families += bool(links) and all(k in furniture for k in links)
    return len(furniture), families


def truth_shares(truth: Truth, lengths: Mapping[str, int]) -> dict[str, float]:
    """Per outlet, the share of its characters that are prose copied from a known source."""
    copied: dict[str, list[Range]] = defaultdict(list)
    for p in truth.pairs:
        if p.source is None:
            continue
        for s in p.prose:
            if p.source == p.a:
                copied[p.b].append((s.b_start, s.b_end))
            else:
                copied[p.a].append((s.a_start, s.a_end))
    chars: Counter[str] = Counter()
    reused: Counter[str] = Counter()
    for doc in truth.documents.values():
        outlet = doc.outlet or "(none)"
        chars[outlet] += lengths.get(doc.id, 0)
        reused[outlet] += union_length(copied.get(doc.id, ()))
    return {o: reused[o] / chars[o] if chars[o] else 0.0 for o in sorted(chars)}


def _family_ari(truth: Truth, report: Report, ids: Iterable[str]) -> float:
    """ARI over every document; an article in no family is a family of its own."""
    universe = sorted(set(ids) | {i for f in truth.families for i in f}
                      | {i for f in report.families for i in f.members})
    t_label = {i: n for n, fam in enumerate(truth.families) for i in fam}
    r_label = {i: n for n, fam in enumerate(report.families) for i in fam.members}
    return adjusted_rand_index([t_label.get(i, f"_{i}") for i in universe],
                               [r_label.get(i, f"_{i}") for i in universe])


def _outlet_errors(truth: Truth, report: Report, sizes: Mapping[str, int]) -> tuple[OutletError, ...]:
    # the truth's copies are verbatim and rewritten alike: both of the report's shares count
    reported = {o.outlet: round(o.reused_share + o.rewritten_share, 4) for o in report.outlets}
    return tuple(OutletError(o, share, reported.get(o, 0.0), round(100 * abs(reported.get(o, 0.0) - share), 2))
                 for o, share in truth_shares(truth, sizes).items())


def _lookalikes_linked(truth: Truth, report: Report, found: Iterable[Key]) -> tuple[int, int]:
    """Pairs reported inside one look-alike group, and families holding two of a group."""
    pairs = families = 0
    keys = list(found)
    for members in truth.lookalikes.values():
        group = set(members)
        pairs += sum(1 for a, b in keys if a in group and b in group)
        families += sum(1 for f in report.families if len(group.intersection(f.members)) >= 2)
    return pairs, families


def evaluate(
    truth: Truth,
    report: Report,
    *,
    lengths: Mapping[str, int] | None = None,
    wire_outlets: Iterable[str] = WIRE_OUTLETS,
) -> Evaluation:
    """Every measure of ``report`` against ``truth`` (see the module docstring).

    Document lengths come from the truth, else ``lengths``, else the report's texts.
    The truth's ``wire_outlets``, when it has them, take the place of ``wire_outlets``.
    """
    wires = {w.strip().lower() for w in (truth.wire_outlets if truth.wire_outlets is not None else wire_outlets)}
    outlet_of = {a.id: a.outlet for a in report.documents}
    outlet_of.update({d.id: d.outlet for d in truth.documents.values() if d.outlet})
    is_wire = {i: o is not None and o.strip().lower() in wires for i, o in outlet_of.items()}
    case_of = {d.id: d.case or "?" for d in truth.documents.values()}
    sizes = {a.id: len(a.text) for a in report.documents if a.text}
    sizes.update(lengths or {})
    sizes.update({d.id: d.length for d in truth.documents.values() if d.length is not None})

    found = _prose_pairs(report)
    copies = {_key(p.a, p.b)[0]: p for p in truth.pairs if p.prose}
    quotes_only = {_key(p.a, p.b)[0] for p in truth.pairs if p.spans and not p.prose}
    hits = set(found) & set(copies)
    precision = _ratio(len(hits), len(found), 1.0 if not copies else 0.0)
    recall = _ratio(len(hits), len(copies), 1.0)
    cases = {k: _quads(p.prose, _key(p.a, p.b)[1]) for k, p in copies.items()}
    detections = {k: _quads(m.copied, _key(m.a, m.b)[1]) for k, m in found.items()}

    by_case = []
    for label in sorted({p.case or "?" for p in copies.values()}):
        keys = [k for k, p in copies.items() if (p.case or "?") == label]
        got = [k for k in keys if k in found]
        by_case.append(CaseScores(
            label, len(keys), len(got), _ratio(len(got), len(keys), 1.0),
            pan_scores({k: cases[k] for k in keys}, {k: detections[k] for k in got}),
            _source_scores((copies[k] for k in keys), found, is_wire),
        ))
    linked = sorted(k for k in found if k not in copies)
    false_by_case = Counter("quote-only" if k in quotes_only else "+".join(sorted((case_of.get(k[0], "?"),
                                                                                case_of.get(k[1], "?"))))
                            for k in linked)
    look_pairs, look_families = _lookalikes_linked(truth, report, found)
    furniture_pairs, furniture_families = _furniture(truth, report, found, copies)
    return Evaluation(
        pairs=PairScores(len(copies), len(hits), len(found) - len(hits), precision, recall, _f1(precision, recall)),
        spans=pan_scores(cases, detections),
        ari=_family_ari(truth, report, set(truth.documents) | set(outlet_of)),
        sources=_source_scores(copies.values(), found, is_wire),
        quote_only=len(quotes_only),
        quote_only_as_prose=len(quotes_only & set(found)),
        outlets=_outlet_errors(truth, report, sizes),
        lookalike_pairs=look_pairs,
        lookalike_families=look_families,
        by_case=tuple(by_case),
        false_by_case=dict(sorted(false_by_case.items(), key=lambda kv: (-kv[1], kv[0]))),
        missed=tuple(sorted(set(copies) - set(found))),
        false=tuple(linked),
        furniture_pairs=furniture_pairs,
        furniture_families=furniture_families,
    )
