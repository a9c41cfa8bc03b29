"""Inputs and outputs on a cluster: any path Spark can read, part files written where they are.

Inputs follow the local engine's rules (:mod:`dedup.ingest`), whose parsing
functions run here on the executors: plain JSONL files (split in lines by
Spark, ``--field`` mappings), Parquet files or datasets (the same field
names), compressed JSONL, CSV, TSV and WARC files (each read whole by one
executor, by the local engine's reader), and folders of all of these and of
text and HTML files (first-level subfolder = outlet, sidecar
``metadata.csv``/``metadata.jsonl``, a file of records' place:
:class:`~dedup.ingest.Place`). Records that cannot be read become
:class:`~dedup.model.Problem` rows naming the file and line.

Every record keeps where it was read (argument, file, line) so that the first
of two records with one id wins, as it does locally.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass
from functools import reduce
from itertools import accumulate
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from ..compressed import base_suffix
from ..ingest import (
    JSONL_SUFFIXES,
    MAX_BYTES,
    NAMED,
    NO_FILES,
    SIDECARS,
    FieldNames,
    Place,
    Unreadable,
    articles_of,
    decode,
    from_record,
    is_article_file,
    is_records,
    is_records_file,
    parse_file,
    parse_record,
    parse_sidecar,
    too_large,
)
from ..model import Article, Problem
from ..tables import PARQUET_SUFFIXES
from .arrow import arrow_schema

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark import RDD
    from pyspark.sql import DataFrame, SparkSession

RECORD_FIELDS = ("rank", "file", "line", "id", "text", "outlet", "date", "title", "url", "path", "problem")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_GLOB = re.compile(r"[*?\[{]")


def record_schema() -> Any:
    from pyspark.sql.types import IntegerType, LongType, StringType, StructField, StructType

    types = {"rank": IntegerType(), "line": LongType()}
    return StructType([StructField(n, types.get(n, StringType())) for n in RECORD_FIELDS])


def article_row(rank: int, file: str, line: int, a: Article) -> tuple[Any, ...]:
    return (rank, file, line, a.id, a.text, a.outlet, a.date, a.title, a.url, a.path, None)


def problem_row(rank: int, file: str, line: int, p: Problem) -> tuple[Any, ...]:
    return (rank, file, line, None, None, None, None, None, None, p.source, _problem_text(p))


def _problem_text(p: Problem) -> str:
    return f"{p.line if p.line is not None else ''}\t{p.reason}"


def problem_of(source: str, text: str) -> Problem:
    line, _, reason = text.partition("\t")
    return Problem(source, reason, int(line) if line else None)


@dataclass(frozen=True)
class Entry:
    """One file or folder found for an input argument."""

    uri: str  # as Hadoop names it, for reading
    shown: str  # as the local engine would name it, for reports
    folder: bool
    size: int


class Inputs:
    """Expands input arguments on the driver and reads them on the executors."""

    def __init__(self, spark: SparkSession, names: FieldNames = FieldNames()) -> None:
        self.spark = spark
        self.names = names
        self.problems: list[tuple[int, str, int, Problem]] = []
        jvm = spark.sparkContext._jvm
        assert jvm is not None
        self._Path = jvm.org.apache.hadoop.fs.Path
        self._conf = spark.sparkContext._jsc.hadoopConfiguration()

    def _problem(self, rank: int, problem: Problem, file: str = "", line: int = -1) -> None:
        """A problem met on the driver, ordered with the records by (rank, file, line)."""
        self.problems.append((rank, file, line, problem))

    def expand(self, raw: str) -> list[Entry]:
        """Files and folders an argument names (globs expanded, sorted)."""
        path = self._Path(raw)
        fs = path.getFileSystem(self._conf)
        found = fs.globStatus(path) or []
        entries = []
        for status in sorted(found, key=lambda s: s.getPath().toString()):
            uri = status.getPath().toString()
            entries.append(Entry(uri, shown_name(raw, uri, glob=bool(_GLOB.search(raw))),
                                 status.isDirectory(), status.getLen()))
        return entries

    def records(self, paths: Iterable[str]) -> DataFrame:
        """One row per article or problem (``RECORD_FIELDS``) from every input."""
        from pyspark.sql import DataFrame

        parts: list[RDD[Any]] = []
        frames: list[DataFrame] = []
        for rank, raw in enumerate(paths):
            if raw == "-":
                self._problem(rank, Problem("-", "standard input cannot be read by the spark engine; "
                                                 "write it to a file first"))
                continue
            entries = self.expand(raw)
            if not entries:
                self._problem(rank, Problem(str(PurePosixPath(raw)) if not _SCHEME.match(raw) else raw,
                                            "no such file or folder"))
            for n, entry in enumerate(entries):
                order = f"{n:06d}"
                read = (self._folder(rank, order, entry) if entry.folder
                        else [self._file(rank, order, entry, PurePosixPath(entry.uri).name)])
                for part in read:
                    if isinstance(part, DataFrame):
                        frames.append(part)
                    else:
                        parts.append(part)
        sc = self.spark.sparkContext
        if parts or not frames:
            frames.append(self.spark.createDataFrame(sc.union(parts) if parts else sc.emptyRDD(), record_schema()))
        return reduce(lambda x, y: x.unionByName(y), frames)

    def _file(self, rank: int, order: str, entry: Entry, rel: str, place: Place = NAMED,
              outlet: str | None = None) -> RDD[Any] | DataFrame:
        """One file named, or found in a folder (its path ``rel`` in it, its ``place`` if it
        holds records, its ``outlet`` if an article)."""
        name = PurePosixPath(rel).name
        if _is_parquet(name):
            return self._parquet(rank, [(order, entry, place)])
        if base_suffix(name)[1] is None and base_suffix(name)[0] in JSONL_SUFFIXES:
            return self._jsonl(rank, order, entry, place)
        if is_records(name):
            return self._whole(rank, order, entry, place)
        return self._files(rank, [(order, entry, rel, outlet)], {})

    def _jsonl(self, rank: int, order: str, entry: Entry, place: Place) -> DataFrame:
        """A JSONL file's lines in Arrow batches; each line's number is its place in its
        partition of the file plus the lines of the partitions before (counted by Spark)."""
        from pyspark.sql import functions as F

        lines = (self.spark.read.option("lineSep", "\n").text(entry.uri)
                 .select(F.spark_partition_id().alias("part"), F.col("value").cast("binary").alias("raw")))
        counted = sorted((r.part, r["count"]) for r in lines.groupBy("part").count().collect())
        before = dict(zip((p for p, _ in counted), accumulate((n for _, n in counted), initial=0)))
        names, shown = self.names, entry.shown

        def convert(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            import pyarrow as pa

            schema, done = arrow_schema(record_schema()), 0
            for batch in batches:
                if not batch.num_rows:
                    continue
                first = before[batch.column("part")[0].as_py()] + done
                done += batch.num_rows
                indexed = zip(batch.column("raw").to_pylist(), range(first, first + batch.num_rows))
                columns = list(zip(*_jsonl_rows(indexed, rank, order, shown, names, place))) or [()] * len(schema)
                yield pa.RecordBatch.from_arrays([pa.array(c, type=f.type) for c, f in zip(columns, schema)],
                                                 schema=schema)

        return lines.mapInArrow(convert, record_schema())

    def _parquet(self, rank: int, files: list[tuple[str, Entry, Place]]) -> RDD[Any]:
        """Parquet files or datasets, in one read: each row named by its file and number."""
        from pyspark.sql import functions as F

        frame = self.spark.read.option("mergeSchema", "true").parquet(*(e.uri for _, e, _ in files))
        present = [c for c in dict.fromkeys(astuple(self.names)) if c in frame.columns]
        if self.names.text not in present:
            for order, entry, _ in files:
                self._problem(rank, Problem(entry.shown, f"no '{self.names.text}' column"), order)
            return self.spark.sparkContext.emptyRDD()
        rows = frame.select(F.col("_metadata.file_path").alias("__file"),
                            F.col("_metadata.row_index").alias("__row"), *present)
        names = self.names
        roots = {_local_key(e.uri).rstrip("/"): (order, e, place) for order, e, place in files}

        def convert(part: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
            for file, row_index, *values in part:
                key = _local_key(file)  # a file named or found in a folder, else one of a dataset named
                root = key if key in roots else next(r for r in roots if key.startswith(r + "/"))
                order, entry, place = roots[root]
                source = entry.shown + key[len(root):] if entry.folder else entry.shown
                record = dict(zip(present, values))
                yield from _record_rows(record, rank, f"{order}/{file}", source, row_index + 1, names, place)

        return rows.rdd.mapPartitions(convert)

    def _whole(self, rank: int, order: str, entry: Entry, place: Place) -> RDD[Any]:
        """A file read whole by one executor, by the local engine's reader (WARC,
        compressed JSONL, CSV, TSV)."""
        names, shown, name = self.names, entry.shown, PurePosixPath(entry.uri).name
        return self.spark.sparkContext.binaryFiles(_escape(entry.uri)).flatMap(
            lambda item: _whole_file_rows(item[1], name, rank, order, shown, names, place))

    def _folder(self, rank: int, order: str, entry: Entry) -> list[RDD[Any] | DataFrame]:
        """A folder of articles and files of records, or a Parquet dataset."""
        fs = self._Path(entry.uri).getFileSystem(self._conf)
        root = entry.uri.rstrip("/")
        listed = []
        it = fs.listFiles(self._Path(entry.uri), True)
        while it.hasNext():
            status = it.next()
            uri = status.getPath().toString()
            rel = uri[len(root) + 1:] if uri.startswith(root + "/") else PurePosixPath(uri).name
            listed.append((rel, uri, status.getLen()))
        listed.sort(key=lambda item: PurePosixPath(item[0]).parts)  # the local engine's path order
        base = PurePosixPath("/root")
        sidecar: dict[str, dict[str, str]] = {}
        for name in SIDECARS:
            for rel, uri, _ in listed:
                if rel == name:
                    sidecar.update(self._sidecar(rank, order, name, uri, f"{entry.shown}/{name}"))
        files = [(rel, uri, size) for rel, uri, size in listed
                 if is_article_file(base / rel, base) or is_records_file(base / rel, base)]
        if not files:
            self._problem(rank, Problem(entry.shown, NO_FILES), order)
            return []
        nested = any("/" in rel for rel, _, _ in files)
        chosen, parquet = [], []
        parts: list[RDD[Any] | DataFrame] = []
        for n, (rel, uri, size) in enumerate(files):
            shown, at = f"{entry.shown}/{rel}", f"{order}/{n:09d}"
            outlet = rel.split("/", 1)[0] if nested and "/" in rel else None
            found = Entry(uri, shown, False, size)
            if is_records(PurePosixPath(rel).name):
                meta = sidecar.get(rel, {})
                place = Place(rel, meta.get("outlet") or outlet, meta.get("date"))
                if _is_parquet(rel):
                    parquet.append((at, found, place))
                else:
                    parts.append(self._file(rank, at, found, rel, place))
            elif size > MAX_BYTES:
                self._problem(rank, Problem(shown, too_large(size)), at)
            else:
                chosen.append((at, found, rel, outlet))
        return [self._files(rank, chosen, sidecar), *parts, *([self._parquet(rank, parquet)] if parquet else [])]

    def _sidecar(self, rank: int, order: str, name: str, uri: str, shown: str) -> dict[str, dict[str, str]]:
        data = self.spark.sparkContext.binaryFiles(_escape(uri)).values().collect()
        found: list[Problem] = []
        try:
            rows = parse_sidecar(name, decode(data[0]), shown, found.append)
        except Unreadable as err:
            found.append(Problem(shown, f"metadata not read: {err}"))
            rows = {}
        for p in found:
            self._problem(rank, p, order)
        return rows

    def _files(self, rank: int, chosen: list[tuple[str, Entry, str, str | None]],
               sidecar: dict[str, dict[str, str]]) -> RDD[Any]:
        """Text and HTML files, read whole on the executors."""
        sc = self.spark.sparkContext
        if not chosen:
            return sc.emptyRDD()
        known = {_key(e.uri): (place, e.shown, rel, outlet, sidecar.get(rel, {}))
                 for place, e, rel, outlet in chosen}
        table = sc.broadcast(known)
        joined = ",".join(_escape(e.uri) for _, e, _, _ in chosen)
        parts = max(sc.defaultParallelism, len(chosen) // 200)
        return sc.binaryFiles(joined, minPartitions=parts).mapPartitions(
            lambda part: _file_rows(part, rank, table.value))


def _key(uri: str) -> str:
    return re.sub(r"^file:/+", "/", uri)


def _local_key(uri: str) -> str:
    """A file's path as Hadoop lists it and as Parquet's ``_metadata.file_path`` gives it (quoted)."""
    return unquote(_key(uri))


def _is_parquet(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in PARQUET_SUFFIXES


def _escape(uri: str) -> str:
    """A Hadoop path with glob characters and commas escaped (a list is comma separated)."""
    return re.sub(r"([\\,{}\[\]*?])", r"\\\1", uri)


def shown_name(raw: str, uri: str, glob: bool) -> str:
    """How the local engine names a path: as typed, or the shell's expansion of a glob."""
    if _SCHEME.match(raw):
        return uri if glob else raw.rstrip("/") or raw
    if not glob:
        return str(PurePosixPath(raw))
    return str(PurePosixPath(raw).parent / PurePosixPath(uri).name)


def _jsonl_rows(part: Iterable[tuple[bytes, int]], rank: int, order: str, source: str,
                names: FieldNames, place: Place) -> Iterator[tuple[Any, ...]]:
    for raw, index in part:
        line_no = index + 1
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            yield problem_row(rank, order, line_no,
                              Problem(source, f"not UTF-8: {err.reason} at byte {err.start}", line_no))
            continue
        if not line.strip():
            continue
        found: list[Problem] = []
        article = parse_record(line + "\n", source, line_no, found.append, names, place=place)
        yield from _rows(article, found, rank, order, line_no)


def _whole_file_rows(data: bytes, name: str, rank: int, order: str, source: str, names: FieldNames,
                     place: Place) -> Iterator[tuple[Any, ...]]:
    """The articles of one file's bytes read by the local engine's reader, each record's
    problems before it, in the order it gives them (which numbers the rows)."""
    found: list[Problem] = []
    at = 0
    for article in articles_of(PurePosixPath(name), found.append, names, place, io.BytesIO(data), source):
        for p in found:
            yield problem_row(rank, order, at, p)
            at += 1
        found.clear()
        yield article_row(rank, order, at, article)
        at += 1
    for p in found:
        yield problem_row(rank, order, at, p)
        at += 1


def _record_rows(record: dict[str, Any], rank: int, order: str, source: str, line_no: int,
                 names: FieldNames, place: Place = NAMED) -> Iterator[tuple[Any, ...]]:
    found: list[Problem] = []
    article = from_record(record, source, line_no, found.append, names, place)
    yield from _rows(article, found, rank, order, line_no)


def _rows(article: Article | None, found: list[Problem], rank: int, file: str,
          line: int) -> Iterator[tuple[Any, ...]]:
    for p in found:
        yield problem_row(rank, file, line, p)
    if article is not None:
        yield article_row(rank, file, line, article)


def _file_rows(part: Iterable[tuple[str, bytes]], rank: int,
               known: dict[str, tuple[str, str, str, str | None, dict[str, str]]]) -> Iterator[tuple[Any, ...]]:
    for uri, data in part:
        place, shown, rel, outlet, meta = known[_key(uri)]
        try:
            text, title = parse_file(data, PurePosixPath(rel).suffix)
        except Unreadable as err:
            yield problem_row(rank, place, 0, Problem(shown, str(err)))
            continue
        article = Article(id=rel, text=text, outlet=meta.get("outlet") or outlet, date=meta.get("date"),
                          title=meta.get("title") or title, url=meta.get("url"), path=shown)
        yield article_row(rank, place, 0, article)


def read_records(spark: SparkSession, paths: Iterable[str],
                 names: FieldNames = FieldNames()) -> tuple[DataFrame, list[tuple[int, str, int, Problem]]]:
    """Rows (``RECORD_FIELDS``) of every input and the problems met while listing them."""
    inputs = Inputs(spark, names)
    return inputs.records(list(paths)), inputs.problems
