"""The pre-ingestion filter: JSONL records in, the ones worth ingesting out, as they come.

Records are read in small batches, so memory does not grow with the input.
Each batch is checked against the index (:meth:`dedup.index.Index.check_many`);
kept records are written unchanged (the very bytes read) or, with
``annotate``, with a ``dedup`` field added; dropped ones go to the rejects
stream with that field. A line that is not a JSON object with text goes to
the rejects stream as ``{"source", "line", "error", "raw"}``: nothing is
dropped silently. A batch is written out right after it is committed to the
index; if it cannot be written (the reader went away, the run was
interrupted), its records are taken out of the index again.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from typing import Any, BinaryIO

from .index import Index
from .ingest import FieldNames, from_record
from .model import STATUSES, Article, Decision, Problem, Status

BATCH = 256
"""Records checked together: large enough for numpy to pay off, small enough to stream."""


@dataclass(frozen=True)
class Policy:
    """Which records go on, what the index learns, what the output says."""

    drop: frozenset[Status] = frozenset({"duplicate"})
    """Statuses sent to the rejects stream instead of the output."""
    annotate: bool = False
    """Keep every record and add a ``dedup`` field to each."""
    add: bool = True
    """Add the records that are not dropped to the index."""
    spans: bool = False
    """Put the aligned spans of each match in the ``dedup`` field."""

    @property
    def indexed(self) -> frozenset[Status]:
        """Statuses added to the index: all that are kept, when adding."""
        return frozenset(s for s in STATUSES if s not in self.drop) if self.add else frozenset()


@dataclass
class Counts:
    """What a filter run did, for its summary line."""

    read: int = 0
    kept: int = 0
    dropped: int = 0
    rejected: int = 0
    added: int = 0
    statuses: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        counts = ", ".join(f"{self.statuses[s]} {s}" for s in ("new", "partial", "duplicate") if self.statuses[s])
        return (f"{self.read} records: {self.kept} kept, {self.dropped} dropped, {self.rejected} rejected"
                + (f" ({counts})" if counts else "") + f"; {self.added} added to the index")


@dataclass(frozen=True)
class Line:
    """One input line, and the article in it or why there is none."""

    source: str
    number: int
    raw: bytes
    record: dict[str, Any] | None = None
    article: Article | None = None
    error: str | None = None


def annotation(decision: Decision, spans: bool = False) -> dict[str, Any]:
    """The ``dedup`` field of a record (see the README, "Filter records")."""
    matches = []
    for m in decision.matches:
        item: dict[str, Any] = {"id": m.b, "coverage": m.a_coverage, "indexed_coverage": m.b_coverage,
                                "source": m.source, "reason": m.reason, "confidence": m.confidence}
        if spans:
            item["spans"] = [asdict(s) for s in m.spans]
        matches.append(item)
    return {"id": decision.id, "status": decision.status, "reused_share": decision.reused_share,
            "furniture_share": decision.furniture_share, "added": decision.added, "matches": matches}


def content_id(text: str) -> str:
    """An id for a record that has none: the same text always gets the same one."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def parse_line(source: str, number: int, raw: bytes, names: FieldNames) -> Line:
    """The article of one JSONL line, or the reason it has none."""
    problems: list[Problem] = []
    try:
        record = json.loads(raw)
    except UnicodeDecodeError as err:
        return Line(source, number, raw, error=f"not UTF-8: {err.reason} at byte {err.start}")
    except json.JSONDecodeError as err:
        return Line(source, number, raw, error=f"malformed JSON: {err.msg} (column {err.colno})")
    article = from_record(record, source, number, problems.append, names)
    if article is None:
        return Line(source, number, raw, error=problems[0].reason if problems else "not an article")
    if record.get(names.id) in (None, ""):
        article = replace(article, id=content_id(article.text))
    return Line(source, number, raw, record, article)


def read_lines(paths: Iterable[str], stdin: BinaryIO, on_problem: Callable[[Problem], None]
               ) -> Iterator[tuple[str, int, bytes]]:
    """Non-blank lines of JSONL files (``-`` is standard input), with their source and number."""
    for path in paths:
        if path == "-":
            yield from _numbered("<stdin>", stdin)
            continue
        try:
            handle = open(path, "rb")
        except OSError as err:
            on_problem(Problem(path, f"cannot read: {err.strerror or err}"))
            continue
        with handle:
            yield from _numbered(path, handle)


def _numbered(source: str, stream: Iterable[bytes]) -> Iterator[tuple[str, int, bytes]]:
    for number, raw in enumerate(stream, 1):
        if raw.strip():
            yield source, number, raw


def _chunks(items: Iterable[Line], size: int) -> Iterator[list[Line]]:
    chunk: list[Line] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_all(stream: BinaryIO, data: bytes | bytearray) -> None:
    """Write every byte: a buffered write cut short (the reader went away while it
    waited) returns a count instead of failing, and the next try fails."""
    view = memoryview(data)
    while len(view):
        view = view[stream.write(view) or 0 :]


def _line_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")


def reject_record(line: Line | None, error: str, source: str | None = None) -> dict[str, Any]:
    """What the rejects stream gets for input that is not an article."""
    raw = line.raw.decode("utf-8", errors="replace").rstrip("\r\n") if line else None
    return {"source": line.source if line else source, "line": line.number if line else None,
            "error": error, "raw": raw}


def run(
    index: Index,
    lines: Iterable[tuple[str, int, bytes]],
    out: BinaryIO,
    rejects: BinaryIO | None,
    policy: Policy = Policy(),
    names: FieldNames = FieldNames(),
    batch: int = BATCH,
    on_problem: Callable[[Problem], None] | None = None,
    tally: Counts | None = None,
) -> Counts:
    """Filter JSONL lines into ``out`` (and ``rejects``), batch by batch; returns the counts.

    A batch is committed to the index, then written out. If writing fails (the
    reader went away, or the run is interrupted), the records of that batch
    that were not passed on are taken out of the index again.
    """
    tally = tally if tally is not None else Counts()
    parsed = (parse_line(source, number, raw, names) for source, number, raw in lines)
    for chunk in _chunks(parsed, batch):
        good = [ln for ln in chunk if ln.article is not None]
        decisions = index.check_many([ln.article for ln in good if ln.article is not None], add=policy.indexed)
        by_line = {id(ln): d for ln, d in zip(good, decisions)}
        kept, dropped = bytearray(), bytearray()
        for ln in chunk:
            d = by_line.get(id(ln))
            tally.read += 1
            if d is None:
                tally.rejected += 1
                if on_problem:
                    on_problem(Problem(ln.source, ln.error or "not an article", ln.number))
                dropped += _line_bytes(reject_record(ln, ln.error or "not an article"))
                continue
            tally.statuses[d.status] += 1
            keep = policy.annotate or d.status not in policy.drop
            if keep and not policy.annotate:
                kept += ln.raw if ln.raw.endswith(b"\n") else ln.raw + b"\n"
            elif keep or rejects is not None:
                (kept if keep else dropped).extend(
                    _line_bytes({**(ln.record or {}), "dedup": annotation(d, policy.spans)}))
            tally.kept += keep
            tally.dropped += not keep
        added = [d.id for d in decisions if d.added]
        try:
            write_all(out, kept)
            out.flush()
        except BaseException:
            if added:
                index.remove(added)  # not passed on, so not indexed either
            raise
        tally.added += len(added)
        if rejects is not None:
            write_all(rejects, dropped)
            rejects.flush()
    return tally
