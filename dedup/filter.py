"""The pre-ingestion filter: JSONL records in, the ones worth ingesting out, as they come.

Rows of CSV, TSV and Parquet files come in as JSON objects of their columns, the
pages of a WARC as JSON objects of their article (:func:`dedup.ingest.page_record`).

Records are read in small batches, so memory does not grow with the input.
Each batch is checked against the index (:meth:`dedup.index.Index.check_many`);
kept records are written unchanged (the very bytes read) or, with
``annotate``, with a ``dedup`` field added; dropped ones go to the rejects
stream with that field. A line that is not a JSON object with text, or that
no output could carry (:func:`dedup.records.validate`), goes to the rejects
stream as ``{"source", "line", "error", "raw"}``, and so does a record whose
id is indexed with another text (unless ``on_conflict`` says otherwise):
nothing is dropped silently.

Delivery is at least once. A batch is written out and flushed while the
index's write lock is held, before it is committed: a run that dies at any
moment (killed, interrupted, the reader gone, the disk full) has passed on
every record it indexed, and the records it passed on but did not commit
are checked again, and passed on again, when the stream is sent once more.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, Any, BinaryIO

from .batching import batches
from .compressed import ERRORS
from .errors import OutputError
from .index import Index, OnConflict
from .ingest import (
    FieldNames,
    Unreadable,
    broken,
    from_record,
    holds_warc,
    is_table,
    json_record,
    opened,
    table_rows,
    warc_rows,
)
from .model import STATUSES, Article, Decision, Problem, Status
from .records import lines as numbered_lines

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
    on_conflict: OnConflict = "reject"
    """A record whose id is indexed with another text: rejected, kept (passed on by
    its status, not indexed) or put in the indexed article's place."""

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

    def take(self, other: Counts) -> None:
        """Add the counts of one more batch."""
        for name in ("read", "kept", "dropped", "rejected", "added"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.statuses.update(other.statuses)

    def summary(self) -> str:
        counts = ", ".join(f"{self.statuses[s]} {s}" for s in ("new", "partial", "duplicate") if self.statuses[s])
        return (f"{self.read} records: {self.kept} kept, {self.dropped} dropped, {self.rejected} rejected"
                + (f" ({counts})" if counts else "") + f"; {self.added} added to the index")


@dataclass(frozen=True)
class Line:
    """One input line, and the article in it or why there is none (``raw`` is empty
    for a line over the size limit, which is never held in memory)."""

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


def parse_line(source: str, number: int, raw: bytes, names: FieldNames, size: int | None = None) -> Line:
    """The article of one JSONL line, or the reason it has none."""
    problems: list[Problem] = []
    try:
        record = json_record(raw, names, size)
    except Unreadable as err:
        return Line(source, number, raw, error=str(err))
    article = from_record(record, source, number, problems.append, names)
    if article is None or not isinstance(record, dict):
        return Line(source, number, raw, error=problems[0].reason if problems else "not an article")
    if record.get(names.id) in (None, ""):
        article = replace(article, id=content_id(article.text))
    return Line(source, number, raw, record, article)


def read_lines(paths: Iterable[str], stdin: BinaryIO, on_problem: Callable[[Problem], None],
               names: FieldNames = FieldNames()) -> Iterator[tuple[str, int, bytes, int]]:
    """Non-blank lines of JSONL files, compressed or not (``-`` is standard input), with
    their source, number and size in bytes (a line over ``names.max_bytes`` comes without its
    bytes). A row of a CSV, TSV or Parquet file comes as the line of a JSON object of its
    columns, a page of a WARC (a file, or standard input) as the line of its record."""
    for path in paths:
        source = "<stdin>" if path == "-" else path
        try:
            if path != "-" and is_table(path):
                with table_rows(Path(path), source, on_problem, names.max_bytes) as rows:
                    yield from _row_lines(source, rows)
                continue
            with opened(None if path == "-" else path, stdin) as stream:
                if holds_warc(None if path == "-" else path, stream):
                    yield from _row_lines(source, warc_rows(stream, source, on_problem, names))
                else:
                    yield from _numbered(source, stream, names.max_bytes, on_problem)
        except OSError as err:
            on_problem(Problem(source, f"cannot read: {err.strerror or err}"))
        except Unreadable as err:
            on_problem(Problem(source, str(err)))


def _row_lines(source: str, rows: Iterable[tuple[int, dict[str, Any]]]) -> Iterator[tuple[str, int, bytes, int]]:
    for number, record in rows:
        raw = _line_bytes(record, "backslashreplace")
        yield source, number, raw, len(raw)


def _numbered(source: str, stream: IO[bytes], max_bytes: int,
              on_problem: Callable[[Problem], None]) -> Iterator[tuple[str, int, bytes, int]]:
    number = 0
    try:
        for number, raw, size in numbered_lines(stream, max_bytes):
            if size > max_bytes or raw.strip():
                yield source, number, raw, size
    except ERRORS as err:
        on_problem(broken(source, number, err))


def write_all(stream: BinaryIO, data: bytes | bytearray) -> None:
    """Write every byte: a buffered write cut short (the reader went away while it
    waited) returns a count instead of failing, and the next try fails."""
    view = memoryview(data)
    while len(view):
        view = view[stream.write(view) or 0 :]


def emit(stream: BinaryIO, data: bytes | bytearray, name: str) -> None:
    """Write and flush; a write that fails (a full disk) is an :class:`OutputError`, while a
    reader that went away stays a ``BrokenPipeError`` (the run ends quietly)."""
    try:
        write_all(stream, data)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as err:
        raise OutputError(f"cannot write {name}: {err.strerror or err}; the batch being written "
                          "was not committed") from None


def _line_bytes(data: dict[str, Any], errors: str = "strict") -> bytes:
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8", errors)


def reject_record(line: Line | None, error: str, source: str | None = None,
                  number: int | None = None) -> dict[str, Any]:
    """What the rejects stream gets for input that is not an article (or an article it
    cannot take: an id conflict). ``raw`` is null for a line over the size limit."""
    raw = line.raw.decode("utf-8", errors="replace").rstrip("\r\n") if line and line.raw else None
    return {"source": line.source if line else source, "line": line.number if line else number,
            "error": error, "raw": raw}


def conflict_reason(decision: Decision) -> str:
    return f"id {decision.id!r} is indexed with another text; the indexed article is kept"


def run(
    index: Index,
    lines: Iterable[tuple[str, int, bytes, int]],
    out: BinaryIO,
    rejects: BinaryIO | None,
    policy: Policy = Policy(),
    names: FieldNames = FieldNames(),
    batch: int = BATCH,
    on_problem: Callable[[Problem], None] | None = None,
    tally: Counts | None = None,
) -> Counts:
    """Filter JSONL lines into ``out`` (and ``rejects``), batch by batch; returns the counts.

    Each batch is written out and flushed before it is committed to the index
    (``deliver`` of :meth:`Index.check_many`): if writing fails (the reader went
    away, the disk is full, the run is interrupted), nothing of the batch is indexed.
    """
    tally = tally if tally is not None else Counts()
    parsed = (parse_line(source, number, raw, names, size) for source, number, raw, size in lines)
    for chunk in batches(parsed, batch):
        good = [ln for ln in chunk if ln.article is not None]

        def deliver(decisions: list[Decision], chunk: list[Line] = chunk, good: list[Line] = good) -> None:
            kept, dropped, counts, problems = _render(chunk, dict(zip(map(id, good), decisions)), policy,
                                                      rejects is not None)
            for problem in problems:
                if on_problem:
                    on_problem(problem)
            emit(out, kept, "the output")
            if rejects is not None:
                emit(rejects, dropped, "the rejects")
            tally.take(counts)

        index.check_many([ln.article for ln in good if ln.article is not None], add=policy.indexed,
                         on_conflict=policy.on_conflict, deliver=deliver)
    return tally


def _render(chunk: list[Line], decided: dict[int, Decision], policy: Policy, rejects: bool
            ) -> tuple[bytearray, bytearray, Counts, list[Problem]]:
    """The output and rejects bytes of one batch, what it counts, and the lines rejected."""
    kept, dropped, counts, problems = bytearray(), bytearray(), Counts(read=len(chunk)), []
    for ln in chunk:
        d = decided.get(id(ln))
        if d is None or (d.conflict and policy.on_conflict == "reject"):
            error = (ln.error or "not an article") if d is None else conflict_reason(d)
            counts.rejected += 1
            problems.append(Problem(ln.source, error, ln.number))
            dropped += _line_bytes(reject_record(ln, error))
            continue
        counts.statuses[d.status] += 1
        counts.added += d.added
        keep = policy.annotate or d.status not in policy.drop
        if keep and not policy.annotate:
            kept += ln.raw if ln.raw.endswith(b"\n") else ln.raw + b"\n"
        elif keep or rejects:
            (kept if keep else dropped).extend(_line_bytes({**(ln.record or {}), "dedup": annotation(d, policy.spans)}))
        counts.kept += keep
        counts.dropped += not keep
    return kept, dropped, counts, problems
