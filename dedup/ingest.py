"""Reading articles: folders of files and JSONL streams, with problems reported, not raised.

A folder is read recursively: text and HTML files (``.txt``, ``.md``,
``.html``/``.htm``) are an article each, and files of records (JSONL, CSV,
TSV, Parquet, WARC: :func:`is_records`) are read as when they are named
(:class:`Place`). When it has subfolders, the first-level subfolder names the
outlet; an article with no outlet but a URL is its host's (without ``www.``),
and one with neither is the outlet its page's first line names (its
masthead), if it has one. A sidecar file ``metadata.csv`` or
``metadata.jsonl`` at its root, keyed by ``path`` (relative to the folder),
may give ``outlet``, ``date``, ``title`` and ``url``. README, LICENSE and
hidden files are not articles.

A JSONL file (``.jsonl``, ``.ndjson``, either compressed with gzip, bzip2, xz
or zstd: :mod:`dedup.compressed`) holds one article per line: ``id`` and ``text``, optionally
``outlet``, ``date``, ``title``, ``url``; other fields are kept in
``Article.meta``. Field names can be mapped (``FieldNames``).

A WARC file (``.warc``, compressed or not, ``.warc.gz`` most often:
:mod:`dedup.warc`) holds one article per HTML response: its text is the
page's, as for an HTML file; its id the WARC-Target-URI (else its
WARC-Record-ID, else ``file:record``; though warcio reads no response
without a target URI), its URL that URI, so its outlet the
URI's host, its date the day of its WARC-Date. Its other ``WARC-*`` headers are
the record's other fields, so a ``--field`` mapping may name one
(``--field id=WARC-Record-ID``). Standard input is JSONL or, if its first
bytes say so, a WARC.

Anything unreadable becomes a :class:`~dedup.model.Problem` naming the file
(and line) and the run goes on. Every article, whatever reader made it,
passes one check (:func:`validate`): text that is Unicode (no lone
surrogate), pass-through fields nested at most :data:`MAX_DEPTH` deep, and
no more than ``max_bytes`` of text. A hostile record is one problem, never a
crash of the run or of a later output.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path, PurePath
from typing import IO, Any
from urllib.parse import urlsplit

from . import heap
from .compressed import ERRORS, base_suffix, decompressed
from .errors import InputError
from .model import Article, Problem
from .page import masthead
from .records import MAX_BYTES as MAX_BYTES
from .records import Unreadable as Unreadable
from .records import lines, load_json, not_unicode, validate
from .records import too_large as too_large
from .sidecar import Row, sidecar_rows
from .sidecar import parse_sidecar as parse_sidecar
from .tables import CSV_DELIMITERS, PARQUET_SUFFIXES, Rows, csv_rows, parquet_rows
from .textfiles import HTML_SUFFIXES as HTML_SUFFIXES
from .textfiles import decode as decode
from .textfiles import extract_html as extract_html
from .textfiles import parse_file as parse_file
from .warc import WARC_SUFFIXES, Page, is_warc_stream, warc_pages

TEXT_SUFFIXES = {".txt", ".md", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SIDECARS = ("metadata.csv", "metadata.jsonl")
NOT_ARTICLES = ("readme", "license", "licence", "changelog")

OnProblem = Callable[[Problem], None]


@dataclass(frozen=True)
class Place:
    """Where a file of records lies in a folder, and what its records take from it when
    they lack it. Its records' own outlet wins, then their URL's host, then the file's
    (its sidecar row's ``outlet``, else its first-level subfolder), then a masthead;
    the sidecar row's ``date`` is theirs when they have none (its ``title`` and ``url``
    name one article, so they are not). A record without an id is ``PATH:LINE`` with the
    file's path in the folder (a file named directly: its name), so two outlets'
    ``news.jsonl`` do not share ids."""

    path: str | None = None
    outlet: str | None = None
    date: str | None = None


NAMED = Place()
"""The place of a file named directly (or standard input): nothing to take."""


@dataclass(frozen=True)
class FieldNames:
    """How records are read: which JSONL field holds each part of an article, and
    how large one article (a file or a record) may be."""

    id: str = "id"
    text: str = "text"
    outlet: str = "outlet"
    date: str = "date"
    title: str = "title"
    url: str = "url"
    max_bytes: int = MAX_BYTES

    def __post_init__(self) -> None:
        if isinstance(self.max_bytes, bool) or not isinstance(self.max_bytes, int) or self.max_bytes < 1:
            raise InputError(f"max_bytes must be a positive whole number of bytes, got {self.max_bytes!r}")

    @classmethod
    def parse(cls, specs: Iterable[str], max_bytes: int = MAX_BYTES) -> FieldNames:
        """From ``part=field`` strings, e.g. ``text=body``."""
        known = {f.name for f in fields(cls)} - {"max_bytes"}
        values: dict[str, str] = {}
        for spec in specs:
            part, sep, name = spec.partition("=")
            if not sep or part not in known or not name:
                raise InputError(f"bad field mapping {spec!r}: use PART=FIELD with PART one of {sorted(known)}")
            values[part] = name
        return cls(**values, max_bytes=max_bytes)


def _load_sidecar(root: Path, on_problem: OnProblem) -> dict[str, Row]:
    """Sidecar rows keyed by path relative to ``root`` (the first row of a path is kept)."""
    found: dict[str, Row] = {}
    for name in SIDECARS:
        path = root / name
        if not path.is_file():
            continue
        try:
            text = decode(path.read_bytes())
        except (OSError, Unreadable) as err:
            on_problem(Problem(shown_path(path), f"metadata not read: {err}"))
            continue
        for key, row in sidecar_rows(name, text, shown_path(path), on_problem).items():
            if key in found:
                on_problem(Problem(row.source, f"metadata row for '{key}' repeats {found[key].source} row "
                                               f"{found[key].line}; the first one is kept", row.line))
            else:
                found[key] = row
    return found


def shown_path(path: PurePath | str) -> str:
    """A path as text that any output can hold: bytes of a file name that are not UTF-8
    (which Python keeps as lone surrogates) shown as ``\\xNN``."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def is_article_file(path: PurePath, root: PurePath) -> bool:
    """Whether a file under ``root`` is an article (text or HTML, and :func:`is_read`)."""
    return path.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES and is_read(path, root)


def is_records_file(path: PurePath, root: PurePath) -> bool:
    """Whether a file under ``root`` holds records (:func:`is_records`, and :func:`is_read`)."""
    return is_records(path.name) and is_read(path, root)


def is_read(path: PurePath, root: PurePath) -> bool:
    """Whether a folder's scan reads a file under it, if of a kind it reads: not hidden,
    not a sidecar, README or LICENSE."""
    rel = path.relative_to(root)
    if any(part.startswith(".") for part in rel.parts):
        return False
    if len(rel.parts) == 1 and (path.name in SIDECARS or path.name.lower().split(".")[0] in NOT_ARTICLES):
        return False
    return True


def is_records(name: str) -> bool:
    """Whether a file name is one of a file of records: JSONL, WARC or a table, compressed or not."""
    return is_jsonl(name) or is_warc(name) or is_table(name)


def place_in(root: Path, path: Path, sidecar: dict[str, Row], nested: bool) -> Place:
    """The :class:`Place` of a file of records in a folder."""
    rel = path.relative_to(root)
    meta = sidecar[rel.as_posix()].fields if rel.as_posix() in sidecar else {}
    return Place(rel.as_posix(), meta.get("outlet") or (rel.parts[0] if nested and len(rel.parts) > 1 else None),
                 meta.get("date"))


def read_folder(root: Path, on_problem: OnProblem, names: FieldNames = FieldNames()) -> Iterator[Article]:
    """Articles of a folder, recursively, in path order."""
    sidecar = _load_sidecar(root, on_problem)
    files = sorted(p for p in root.rglob("*") if p.is_file() and (is_article_file(p, root) or is_records_file(p, root)))
    has_subfolders = any(len(p.relative_to(root).parts) > 1 for p in files)
    if not files:
        on_problem(Problem(shown_path(root), NO_FILES))
    listed = {p.relative_to(root).as_posix() for p in files}
    for key, row in sidecar.items():
        if key not in listed:
            on_problem(Problem(row.source, f"metadata row for '{key}' names no article file", row.line))
    for path in files:
        rel = path.relative_to(root).as_posix()
        if not_unicode(rel, "the file name"):
            on_problem(Problem(shown_path(path), "the file name is not UTF-8; rename the file"))
            continue
        if is_records(path.name):
            yield from articles_of(path, on_problem, names, place_in(root, path, sidecar, has_subfolders))
            continue
        article = read_file(path, rel, on_problem, names.max_bytes)
        if article is None:
            continue
        meta = sidecar[rel].fields if rel in sidecar else {}
        outlet = (meta.get("outlet") or (path.relative_to(root).parts[0] if has_subfolders and "/" in rel else None)
                  or outlet_of_url(meta.get("url")) or outlet_of_page(article.text))
        article = Article(
            id=rel, text=article.text, outlet=outlet, date=meta.get("date"),
            title=meta.get("title") or article.title, url=meta.get("url"), path=str(path),
            meta={k: v for k, v in meta.items() if k not in ("outlet", "date", "title", "url")},
        )
        reason = validate(article, names.max_bytes)
        if reason:
            on_problem(Problem(shown_path(path), reason))
            continue
        yield article


NO_FILES = "no article files in this folder (text, HTML, JSONL, CSV, TSV, Parquet or WARC)"


def read_file(path: Path, article_id: str, on_problem: OnProblem, max_bytes: int = MAX_BYTES) -> Article | None:
    """One text or HTML file as an article, or None (and a problem) if unreadable."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise Unreadable(too_large(size, max_bytes))
        text, title = parse_file(path.read_bytes(), path.suffix)
    except OSError as err:
        on_problem(Problem(shown_path(path), f"cannot read: {err.strerror or err}"))
        return None
    except Unreadable as err:
        on_problem(Problem(shown_path(path), str(err)))
        return None
    return Article(id=article_id, text=text, title=title, path=str(path))


def read_jsonl(
    stream: IO[bytes], source: str, on_problem: OnProblem, names: FieldNames = FieldNames(), place: Place = NAMED
) -> Iterator[Article]:
    """Articles from a JSONL byte stream; bad lines become problems with their line number,
    and so does compressed data that breaks off (the lines before it are read)."""
    line_no = 0
    try:
        for line_no, raw, size in lines(stream, names.max_bytes):
            if not raw.strip() and size <= names.max_bytes:
                continue
            article = parse_record(raw, source, line_no, on_problem, names, size, place)
            if article is not None:
                yield article
    except ERRORS as err:
        on_problem(broken(source, line_no, err))


def broken(source: str, line_no: int, err: BaseException) -> Problem:
    """The problem of a stream that fails after ``line_no`` whole lines (corrupt or cut-short
    compressed data, a failing disk): it names the line it could not read."""
    return Problem(source, f"cannot read further, the data is corrupt or cut short: {err}", line_no + 1)


def read_rows(rows: Rows, source: str, on_problem: OnProblem, names: FieldNames = FieldNames(),
              place: Place = NAMED) -> Iterator[Article]:
    """Articles from the rows of a table (:mod:`dedup.tables`), each through :func:`from_record`."""
    for number, record in rows:
        article = from_record(record, source, number, on_problem, names, place)
        if article is not None:
            yield article


def is_table(name: str) -> bool:
    """Whether a file name is a table's: CSV or TSV (compressed or not), or Parquet."""
    return base_suffix(name)[0] in CSV_DELIMITERS or PurePath(name).suffix.lower() in PARQUET_SUFFIXES


@contextmanager
def table_rows(path: Path, source: str, on_problem: OnProblem, max_bytes: int) -> Iterator[Rows]:
    """The rows of a table file (:func:`is_table`); raises ``OSError`` or :class:`Unreadable`."""
    suffix = base_suffix(path.name)[0]
    if suffix not in CSV_DELIMITERS:
        yield parquet_rows(path, source, on_problem)
        return
    with opened(path) as stream:
        yield csv_rows(stream, source, CSV_DELIMITERS[suffix], max_bytes, on_problem)


@contextmanager
def records_of(path: PurePath | None, source: str, on_problem: OnProblem, names: FieldNames = FieldNames(),
               place: Place = NAMED, raw: IO[bytes] | None = None) -> Iterator[Iterator[Article]]:
    """The articles of a JSONL, WARC or table file (standard input when ``path`` is None;
    its bytes ``raw`` when they were read elsewhere); raises ``OSError`` or :class:`Unreadable`."""
    if path is not None and path.suffix.lower() in PARQUET_SUFFIXES:
        yield read_rows(parquet_rows(raw or Path(path), source, on_problem), source, on_problem, names, place)
        return
    if path is not None and raw is not None:
        with decompressed(raw, base_suffix(path.name)[1]) as stream:
            yield stream_records(stream, path.name, source, on_problem, names, place)
        return
    with opened(None if path is None else Path(path), sys.stdin.buffer) as stream:
        yield stream_records(stream, None if path is None else path.name, source, on_problem, names, place)


def stream_records(stream: IO[bytes], name: str | None, source: str, on_problem: OnProblem,
                   names: FieldNames = FieldNames(), place: Place = NAMED) -> Iterator[Article]:
    """The articles of an opened (:func:`opened`) JSONL, WARC, CSV or TSV file called ``name``,
    or of standard input (``name`` None: JSONL, or a WARC by its first bytes)."""
    delimiter = CSV_DELIMITERS.get(base_suffix(name)[0]) if name is not None else None
    if delimiter is not None:
        rows = csv_rows(stream, source, delimiter, names.max_bytes, on_problem)
    elif holds_warc(name, stream):
        rows = warc_rows(stream, source, on_problem, names)
    else:
        return read_jsonl(stream, source, on_problem, names, place)
    return read_rows(rows, source, on_problem, names, place)


def articles_of(path: PurePath | None, on_problem: OnProblem, names: FieldNames = FieldNames(),
                 place: Place = NAMED, raw: IO[bytes] | None = None, source: str | None = None) -> Iterator[Article]:
    """The articles of a file of records (or of standard input, ``path`` None; ``raw`` and
    ``source``: :func:`records_of`), a file that cannot be read one problem."""
    source = source or ("<stdin>" if path is None else shown_path(path))
    try:
        with records_of(path, source, on_problem, names, place, raw) as articles:
            yield from articles
    except OSError as err:
        on_problem(Problem(source, f"cannot read: {err.strerror or err}"))
    except Unreadable as err:
        on_problem(Problem(source, str(err)))


def is_warc(name: str) -> bool:
    """Whether a file name is a WARC file's, compressed or not (``a.warc``, ``a.warc.gz``)."""
    return base_suffix(name)[0] in WARC_SUFFIXES


def holds_warc(path: str | Path | None, stream: IO[bytes]) -> bool:
    """Whether an opened input (:func:`opened`) is a WARC: a file by its name, standard
    input (``path`` None) by its first bytes."""
    return is_warc(Path(path).name) if path is not None else is_warc_stream(stream)


def warc_rows(stream: IO[bytes], source: str, on_problem: OnProblem, names: FieldNames = FieldNames()) -> Rows:
    """The HTML pages of a WARC stream as records (:func:`page_record`) numbered by their
    WARC record; a page without article text is a problem naming its record."""
    for page in warc_pages(stream, source, names.max_bytes, on_problem, ERRORS):
        try:
            text, title = parse_file(page.html, ".html")
        except Unreadable as err:
            on_problem(Problem(source, f"record at byte {page.offset}: {err}", page.number))
            continue
        yield page.number, page_record(page, text, title, names)


def page_record(page: Page, text: str, title: str | None, names: FieldNames = FieldNames()) -> dict[str, Any]:
    """A WARC page as a record for :func:`from_record`: its ``WARC-*`` headers (but
    WARC-Type), then each part a header does not give under the name ``names`` reads it by."""
    headers = page.headers
    uri = headers.get("WARC-Target-URI") or None
    record: dict[str, Any] = {k: v for k, v in headers.items() if k.startswith("WARC-") and k != "WARC-Type"}
    derived = {names.id: uri or headers.get("WARC-Record-ID"), names.url: uri,
               names.date: headers.get("WARC-Date", "").partition("T")[0], names.title: title}
    record.update((key, value) for key, value in derived.items() if value and key not in record)
    record[names.text] = text
    return record


def is_jsonl(name: str) -> bool:
    """Whether a file name is a JSONL file's, compressed or not (``a.jsonl``, ``a.ndjson.zst``)."""
    return base_suffix(name)[0] in JSONL_SUFFIXES


@contextmanager
def opened(path: str | Path | None, stdin: IO[bytes] | None = None) -> Iterator[IO[bytes]]:
    """A file's (or ``stdin``'s, when ``path`` is None) bytes, decompressed as its first
    bytes say (:mod:`dedup.compressed`); raises ``OSError`` or :class:`Unreadable`."""
    if path is None:
        assert stdin is not None
        yield decompressed(stdin)
        return
    with open(path, "rb") as handle, decompressed(handle, base_suffix(Path(path).name)[1]) as stream:
        yield stream


def parse_record(
    line: bytes | str, source: str, line_no: int, on_problem: OnProblem, names: FieldNames = FieldNames(),
    size: int | None = None, place: Place = NAMED,
) -> Article | None:
    """One JSONL line as an article, or None (and a problem naming the line). ``size``
    is the line's size in bytes when the reader has it (a line over ``names.max_bytes``
    comes without its bytes: :func:`dedup.records.lines`)."""
    try:
        record = json_record(line, names, size)
    except Unreadable as err:
        on_problem(Problem(source, str(err), line_no))
        return None
    return from_record(record, source, line_no, on_problem, names, place)


def json_record(line: bytes | str, names: FieldNames = FieldNames(), size: int | None = None) -> object:
    """The JSON value of one line, or :class:`Unreadable` saying why there is none: over
    the size limit, not UTF-8, malformed, nested too deep."""
    if size is None:
        size = len(line) if isinstance(line, bytes) else len(line.encode("utf-8", "replace"))
    if size > names.max_bytes:
        raise Unreadable(too_large(size, names.max_bytes, "record"))
    return load_json(line)


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", bool: "true or false"}.get(type(value), type(value).__name__)


def from_record(
    record: object, source: str, line_no: int | None, on_problem: OnProblem, names: FieldNames = FieldNames(),
    place: Place = NAMED,
) -> Article | None:
    """An article from a decoded record (a dict), or None and a problem: every field
    of the right type (the id a string or a whole number; outlet, date, title and url
    strings or numbers) and the article valid (:func:`dedup.records.validate`). What it
    lacks it takes from the file's ``place``."""

    def problem(reason: str) -> None:
        on_problem(Problem(source, reason, line_no))

    if not isinstance(record, dict):
        problem("record is not a JSON object")
        return None
    text = record.get(names.text)
    if not isinstance(text, str) or not text.strip():
        what = "no" if text is None else ("an empty" if isinstance(text, str) else "a non-string")
        problem(f"record has {what} '{names.text}' field")
        return None
    raw_id = record.get(names.id)
    if raw_id is None or raw_id == "":
        article_id = f"{place.path or Path(source).name}:{line_no}"
    elif isinstance(raw_id, str) or (isinstance(raw_id, int) and not isinstance(raw_id, bool)):
        article_id = str(raw_id)
    else:
        problem(f"'{names.id}' must be a string or a whole number, not {_kind(raw_id)}")
        return None
    parts: dict[str, str | None] = {}
    for part in ("outlet", "date", "title", "url"):
        key = getattr(names, part)
        value = record.get(key)
        if value is None or value == "":
            parts[part] = None
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            parts[part] = str(value)
        else:
            problem(f"'{key}' must be a string, not {_kind(value)}")
            return None
    used = {names.id, names.text, names.outlet, names.date, names.title, names.url}
    article = Article(
        id=article_id, text=text,
        outlet=parts["outlet"] or outlet_of_url(parts["url"]) or place.outlet or outlet_of_page(text),
        date=parts["date"] or place.date, title=parts["title"], url=parts["url"], path=source,
        meta={k: v for k, v in record.items() if k not in used},
    )
    reason = validate(article, names.max_bytes)
    if reason:
        problem(reason)
        return None
    return article


def outlet_of_url(url: str | None) -> str | None:
    """The outlet an article's URL names: its host, without ``www.`` (None for no URL, or one without a host)."""
    if not url or not url.strip():
        return None
    text = url.strip()
    try:
        host = urlsplit(text if "//" in text else "//" + text).hostname
    except ValueError:  # a malformed port or bracket
        return None
    if not host or "." not in host:
        return None
    return host[4:] if host.startswith("www.") else host


MASTHEAD = "masthead: "
"""How an outlet found from a page's masthead is named in reports."""


def outlet_of_page(text: str) -> str | None:
    """The outlet a page names in its masthead (:func:`dedup.page.masthead`), for an
    article given no outlet and no URL: pages of one outlet open with the same line."""
    name = masthead(text)
    return MASTHEAD + name if name else None


def read_paths(
    paths: Iterable[str], on_problem: OnProblem, names: FieldNames = FieldNames()
) -> Iterator[Article]:
    """Articles from folders, JSONL, WARC, CSV and TSV files (compressed or not), Parquet files,
    single text files or ``-`` (JSONL or a WARC on stdin)."""
    for raw in paths:
        path = None if raw == "-" else Path(raw)
        if path is not None and path.is_dir():
            yield from read_folder(path, on_problem, names)
        elif path is None or (path.is_file() and is_records(path.name)):
            yield from articles_of(path, on_problem, names)
        elif path.is_file():
            article = read_file(path, shown_path(path.name), on_problem, names.max_bytes)
            if article is not None:
                yield article
        else:
            on_problem(Problem(shown_path(path), "no such file or folder"))


def load(paths: Iterable[str], names: FieldNames = FieldNames()) -> tuple[list[Article], list[Problem]]:
    """All articles of ``paths``, first of each id kept, and the problems met."""
    problems: list[Problem] = []
    seen: set[str] = set()
    articles: list[Article] = []
    with heap.paused():  # a million articles: half the time would go to collections
        for article in read_paths(paths, problems.append, names):
            if article.id in seen:
                problems.append(Problem(article.path or article.id, f"duplicate id {article.id!r}; first one kept"))
                continue
            seen.add(article.id)
            articles.append(article)
    return lone_mastheads_dropped(articles), problems


def lone_mastheads_dropped(articles: list[Article]) -> list[Article]:
    """Articles whose masthead no other article of the corpus shares lose it: the first line
    of a page that no other page opens with names a story (a headline), not an outlet."""
    counts = Counter(a.outlet for a in articles if a.outlet and a.outlet.startswith(MASTHEAD))
    lone = {name for name, n in counts.items() if n < 2}
    return [replace(a, outlet=None) if a.outlet in lone else a for a in articles] if lone else articles

