"""Web archives: the HTML pages of a WARC stream, read with warcio, a record at a time.

A page is a ``response`` record with a 2xx HTTP status whose Content-Type is
HTML; every other record (warcinfo, request, metadata, revisit, images,
redirects) is passed over. Records are numbered from 1 in the order of the
file, counting the ones passed over, so a problem names the record a WARC tool
shows. The stream comes decompressed (:mod:`dedup.compressed`: a ``.warc.gz``
of one gzip member per record is one gzip stream), so offsets are bytes of the
uncompressed WARC and data cut short inside a gzip member raises one of
:data:`~dedup.compressed.ERRORS`.

warcio ends quietly at a file cut short inside a record (it reads what is
there), so each record's block is read to its end and held against its
Content-Length, and a record without one is taken as broken: either ends the
file with one problem, after the pages before it. A page over the size limit
is one problem and is never held whole. Needs warcio (the ``warc`` extra).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from .model import Problem
from .records import Unreadable, too_large

WARC_SUFFIXES = {".warc"}
MAGIC = b"WARC/"
"""How a WARC stream begins (its first record's version line)."""
HTML_TYPES = ("text/html", "application/xhtml+xml")
CHUNK = 1 << 16


@dataclass(frozen=True)
class Page:
    """One HTML response of a WARC: its record number, where its record starts in the
    (uncompressed) stream, its WARC headers and the HTML as sent."""

    number: int
    offset: int
    headers: dict[str, str]
    html: bytes


class _Broken(Exception):
    """A record that ends the reading of its file."""


def is_warc_stream(stream: IO[bytes]) -> bool:
    """Whether a (decompressed, peekable) stream holds a WARC, by its first bytes (as
    :func:`dedup.compressed.decompressed` knows a codec: a pipe gives them at once)."""
    peek: Callable[[int], bytes] | None = getattr(stream, "peek", None)
    return peek is not None and peek(len(MAGIC))[: len(MAGIC)] == MAGIC


def warc_pages(stream: IO[bytes], source: str, limit: int, on_problem: Callable[[Problem], None],
               errors: tuple[type[BaseException], ...] = ()) -> Iterator[Page]:
    """The HTML pages of a WARC stream; a page over ``limit`` bytes is a problem, and a broken
    record (malformed, cut short, or raising one of ``errors`` from the stream) is the
    last problem of the file."""
    try:
        records = _iterator(_Guarded(stream, errors))
    except ImportError:
        raise Unreadable("WARC input needs the warc extra: pip install 'dedup[warc]'") from None
    number, start, inside = 0, 0, False  # the latest record: its number, where it starts, being read
    try:
        while True:
            inside = False
            record = next(records, None)
            if record is None:
                return
            number, start, inside = number + 1, records.offset, True
            page = _page(record, number, start, limit, on_problem, source)
            if page is not None:
                yield page
    except Exception as err:  # warcio meets hostile bytes with exceptions of any kind
        if isinstance(err, _Broken):
            reason = str(err)
        elif type(err).__module__.startswith("warcio"):  # warcio's own account of what is wrong
            reason = f"not a WARC record ({' '.join(str(err).split())[:100] or type(err).__name__})"
        else:  # a Python error inside warcio says nothing to a user: the headers are broken
            reason = "not a WARC record (its headers could not be read)"
        if inside:
            where = f"record at byte {start}"
        elif records.offset > start or not number:
            number, where = number + 1, f"record at byte {records.offset}"
        else:  # broke off before warcio found where the record starts
            number, where = number + 1, f"record after the one at byte {start}"
        on_problem(Problem(source, f"{where}: {reason}; the rest of the file is not read", number))


def _page(record: Any, number: int, offset: int, limit: int, on_problem: Callable[[Problem], None],
          source: str) -> Page | None:
    """The page a record holds, or None; its block read to the end either way (checked)."""
    headers = record.rec_headers
    if headers.get_header("Content-Length") is None or not record.rec_type:
        raise _Broken("no WARC-Type or Content-Length header, the file is cut short or corrupt")
    html = _html(record, limit) if _is_html(record) else None
    if isinstance(html, str):
        on_problem(Problem(source, f"record at byte {offset}: {html}", number))
        html = None
    _drained(record.raw_stream)
    missing = getattr(record.raw_stream, "limit", 0)  # warcio's reader of the block counts what is left
    if missing:
        length = int(headers.get_header("Content-Length"))
        raise _Broken(f"cut short, {length - missing:,} of its {length:,} bytes are there")
    if html is None:
        return None
    return Page(number, offset, {k: v for k, v in headers.headers}, html)


def _html(record: Any, limit: int) -> bytes | str:
    """The HTML of a page as sent (its transfer and content encodings undone), or why not:
    over ``limit`` bytes (never held whole), or a compressed body that does not decode
    (warcio then writes to stderr and ends the body there)."""
    content, said = record.content_stream(), io.StringIO()
    try:
        with contextlib.redirect_stderr(said):  # where warcio reports a body that stops decoding, and cuts it
            html: bytes = content.read(limit + 1)
            size = len(html) + (_drained(content) if len(html) > limit else 0)
    except _Broken:
        raise
    except Exception as err:  # a corrupt compressed body: the record itself is whole
        said.write(str(err) or type(err).__name__)
    if said.getvalue():
        return f"the page does not decode ({' '.join(said.getvalue().split())[:100]})"
    return too_large(size, limit, "page") if size > limit else html


def _is_html(record: Any) -> bool:
    http = record.http_headers
    if record.rec_type != "response" or http is None:
        return False
    status = (http.get_statuscode() or "").strip()
    kind = (http.get_header("Content-Type") or "").split(";", 1)[0].strip().lower()
    return status.startswith("2") and kind in HTML_TYPES


def _drained(stream: Any) -> int:
    total = 0
    while chunk := stream.read(CHUNK):
        total += len(chunk)
    return total


class _Guarded(io.RawIOBase):
    """A decompressed stream as warcio should read it: a read gives what one read of the
    codec gives (so the bytes before a break are read before it), and one of ``errors``
    becomes :class:`_Broken` (warcio takes an ``EOFError`` for the end of the file)."""

    def __init__(self, stream: IO[bytes], errors: tuple[type[BaseException], ...]) -> None:
        self._read: Callable[[int], bytes] = getattr(stream, "read1", stream.read)
        self._errors = errors

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._read(len(buffer))
        except self._errors as err:
            raise _Broken(f"cannot read further, the data is corrupt or cut short: {err}") from None
        buffer[: len(data)] = data
        return len(data)


def _iterator(stream: io.RawIOBase) -> Any:
    """warcio's iterator over ``stream``, without the warning it writes to stderr itself (a
    run reports problems its own way). ``offset`` is where its latest record starts."""
    from warcio.archiveiterator import ArchiveIterator

    class Quiet(ArchiveIterator):  # type: ignore[misc]
        INC_RECORD = ""

    return Quiet(stream)
