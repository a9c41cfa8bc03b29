"""Sidecar metadata: a ``metadata.csv`` or ``metadata.jsonl`` at a folder's root names
each article file by its path (relative to the folder) and gives its ``outlet``,
``date``, ``title``, ``url`` and any other columns.

A row that cannot be used is reported with the file and row, and the rest
are kept: a path that is absolute, leaves the folder or names a hidden file
(never an article: ``..herald/b.txt`` is not ``herald/b.txt``); a second row
for one path (the first is kept); a date that is not one (the row is kept
without it); text that is not Unicode; a CSV row that does not parse (an
unterminated quote, a field over the csv module's limit, more fields than
the header), after which reading starts again on the next line, so one bad
quote never swallows the rows after it; a JSONL line that is not an object.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .dates import parse_date
from .model import Problem
from .records import Unreadable, load_json, not_unicode

OnProblem = Callable[[Problem], None]


@dataclass(frozen=True)
class Row:
    """One usable sidecar row: where it was read and its fields (``path`` left out)."""

    source: str
    line: int
    fields: dict[str, str]


def sidecar_rows(name: str, text: str, source: str, on_problem: OnProblem) -> dict[str, Row]:
    """Usable rows of one sidecar file (``metadata.csv`` or ``metadata.jsonl``) by normalized path."""
    found: dict[str, Row] = {}
    raw = _csv_rows(text, source, on_problem) if name.endswith(".csv") else _json_rows(text, source, on_problem)
    for line, row in raw:
        def report(reason: str, line: int = line) -> None:
            on_problem(Problem(source, f"metadata row {reason}", line))

        if not isinstance(row, dict) or row.get("path") in (None, ""):
            report("has no 'path'")
            continue
        values = {str(k): _text(v) for k, v in row.items() if v not in (None, "")}
        bad = next((r for k, v in values.items() for r in (not_unicode(k, "a field name"),
                                                            not_unicode(v, f"field '{k}'")) if r), None)
        if bad:
            report(f"not read: {bad}")
            continue
        path = values.pop("path")
        key, why = path_key(path)
        if why:
            report(f"not used: the path {path[:200]!r} {why}")
            continue
        if key in found:
            report(f"for '{key}' repeats row {found[key].line}; the first one is kept")
            continue
        if "date" in values and parse_date(values["date"]) is None:
            report(f"for '{key}': date {values.pop('date')!r} is not a date (e.g. 2026-03-02); left out")
        found[key] = Row(source, line, values)
    return found


def parse_sidecar(name: str, text: str, source: str, on_problem: OnProblem) -> dict[str, dict[str, str]]:
    """The fields of each usable row of one sidecar file, by normalized path."""
    return {key: row.fields for key, row in sidecar_rows(name, text, source, on_problem).items()}


def path_key(raw: str) -> tuple[str, str | None]:
    """A sidecar path as the folder reader names files (``a/b.txt``), or why it names none."""
    text = raw.replace("\\", "/")
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if text.startswith("/") or (parts and parts[0][1:2] == ":"):  # a drive, even after "./"
        return "", "is absolute"
    if not parts:
        return "", "names no file"
    if ".." in parts:
        return "", "leaves the folder"
    if any(p.startswith(".") for p in parts):
        return "", "names a hidden file, which is never an article"
    return "/".join(parts), None


def _text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)


def _csv_rows(text: str, source: str, on_problem: OnProblem) -> Iterator[tuple[int, dict[str, str]]]:
    """CSV rows with the line each starts on. A row that does not parse is reported and
    reading starts again on the line after the one it started on."""
    lines = list(io.StringIO(text, newline=""))
    header: list[str] | None = None
    start = 0
    while start < len(lines):
        reader = csv.reader(lines[start:], strict=True)
        done = 0  # lines of ``lines[start:]`` that complete rows used up
        try:
            for row in reader:
                line, done = start + done + 1, reader.line_num
                if header is None:
                    header = row
                    if "path" not in header:
                        on_problem(Problem(source, "metadata has no 'path' column", line))
                        return
                elif len(row) > len(header):
                    on_problem(Problem(source, f"metadata row has {len(row)} fields, the header {len(header)}",
                                       line))
                elif any(cell.strip() for cell in row):
                    yield line, dict(zip(header, row))
            return
        except csv.Error as err:
            on_problem(Problem(source, f"metadata row not read: {err}", start + done + 1))
            start += done + 1


def _json_rows(text: str, source: str, on_problem: OnProblem) -> Iterator[tuple[int, object]]:
    for line_no, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            yield line_no, load_json(line)
        except Unreadable as err:
            on_problem(Problem(source, f"metadata row not read: {err}", line_no))
