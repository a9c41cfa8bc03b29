"""One record checked, the same way for every reader: folders, JSONL, sidecars, formats to come.

A record from outside may hold what no later stage can handle: a lone
surrogate (a JSON escape such as ``"\\ud800"``, or a file name that is not
UTF-8), which no UTF-8 output can write, so a report or a rejects line would
fail halfway; objects nested thousands deep, which exhaust the stack of any
JSON reader or writer; a line of hundreds of megabytes, which a batch would
hold in memory many times over. Each is found here, before the article goes
anywhere, and becomes a reason that the reader reports with the file and
line; the run goes on. A reader calls :func:`validate` on every article it
makes (and :func:`load_json` on every JSON value it parses).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import IO, Any

from .model import Article

MAX_BYTES = 20_000_000
"""Default of the largest article, in bytes: a file, or one JSONL record (its line).
A larger one is reported and skipped (a stray dump, not an article); ``--max-bytes``
(:attr:`dedup.ingest.FieldNames.max_bytes`) changes it."""
MAX_DEPTH = 64
"""Deepest nesting of objects and lists in one JSON record (the record itself is
level 1); a deeper one is rejected."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_PARTS = ("id", "text", "outlet", "date", "title", "url")


class Unreadable(Exception):
    """Why one input could not be turned into an article."""


def too_large(size: int, limit: int = MAX_BYTES, what: str = "file") -> str:
    return f"{what} is {size:,} bytes, over the {limit:,}-byte limit for one article"


def load_json(data: bytes | str) -> Any:
    """One JSON value from a line, or :class:`Unreadable` saying why not: not UTF-8,
    malformed, or nested deeper than :data:`MAX_DEPTH`."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise Unreadable(f"not UTF-8: {err.reason} at byte {err.start}") from None
    try:
        value = json.loads(data)
    except json.JSONDecodeError as err:
        raise Unreadable(f"malformed JSON: {err.msg} (column {err.colno})") from None
    except RecursionError:  # the parser's own stack ran out, far deeper than allowed
        raise Unreadable(_too_deep()) from None
    if data.count("[") + data.count("{") > MAX_DEPTH and _depth(value) > MAX_DEPTH:
        raise Unreadable(_too_deep())
    return value


def _too_deep() -> str:
    return f"JSON nested deeper than {MAX_DEPTH} levels"


def _depth(value: object) -> int:
    """How deep objects and lists nest in ``value`` (0 for a plain value), without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def not_unicode(value: str, what: str) -> str | None:
    """Why ``value`` cannot be written as UTF-8 (it holds a lone surrogate), or None."""
    if value.isascii():  # a flag of the string, no scan
        return None
    found = _SURROGATE.search(value)
    if found is None:
        return None
    return (f"{what} is not Unicode text: a lone surrogate U+{ord(found.group()):04X} "
            f"at character {found.start()}")


def validate(article: Article, max_bytes: int = MAX_BYTES) -> str | None:
    """Why an article cannot go on, or None: its text and fields are Unicode, its
    pass-through fields nest at most :data:`MAX_DEPTH` deep, its text has at most
    ``max_bytes`` bytes. Every reader calls this on every article it makes."""
    for part in _PARTS:
        value = getattr(article, part)
        if value is not None and (reason := not_unicode(value, f"the {part}")):
            return reason
    if 4 * len(article.text) > max_bytes and (size := len(article.text.encode("utf-8"))) > max_bytes:
        return too_large(size, max_bytes, "the text")
    stack: list[tuple[object, int]] = [(article.meta, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, str):
            if reason := not_unicode(item, "a pass-through field"):
                return reason
            continue
        if isinstance(item, Mapping):
            children: list[object] = [*item.keys(), *item.values()]
        elif isinstance(item, (list, tuple)):
            children = list(item)
        else:
            continue
        if level > MAX_DEPTH:
            return _too_deep()
        stack.extend((child, level + 1) for child in children)
    return None


def lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes, int]]:
    """The lines of a byte stream with their number and size in bytes. A line over
    ``limit`` bytes is read through in pieces and given as ``b""`` with its size, so
    memory stays bounded whatever the input."""
    number = 0
    while raw := stream.readline(limit + 1):
        number += 1
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield number, raw, len(raw)
            continue
        size = len(raw)
        while raw and not raw.endswith(b"\n"):
            raw = stream.readline(1 << 20)
            size += len(raw)
        yield number, b"", size
