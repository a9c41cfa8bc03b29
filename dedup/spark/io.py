"""Inputs and outputs on a cluster: any path Spark can read, part files written where they are.

Inputs follow the local engine's rules (:mod:`dedup.ingest`), whose parsing
functions run here on the executors: JSONL files (one article per line,
``--field`` mappings), Parquet files or datasets (the same field names), and
folders of text and HTML files (first-level subfolder = outlet, sidecar
``metadata.csv``/``metadata.jsonl``), and WARC files (each read whole by one
executor, a page at a time). Records that cannot be read become
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

from ..compressed import base_suffix, decompressed
from ..ingest import (
    JSONL_SUFFIXES,
    MAX_BYTES,
    SIDECARS,
    FieldNames,
    Unreadable,
    decode,
    from_record,
    is_article_file,
    is_warc,
    parse_file,
    parse_record,
    parse_sidecar,
    too_large,
    warc_rows,
)
from ..model import Article, Problem
from .arrow import arrow_schema

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark import RDD
    from pyspark.sql import DataFrame, SparkSession

PARQUET_SUFFIX = ".parquet"
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
                order, name = f"{n:06d}", entry.uri.lower()
                if entry.folder:
                    parts.extend(self._folder(rank, order, entry))
                elif name.endswith(tuple(JSONL_SUFFIXES)):
                    frames.append(self._jsonl(rank, order, entry))
                elif name.endswith(PARQUET_SUFFIX):
                    parts.append(self._parquet(rank, order, entry))
                elif is_warc(PurePosixPath(name).name):
                    parts.append(self._warc(rank, order, entry))
                else:
                    parts.append(self._files(rank, [(order, entry, PurePosixPath(entry.uri).name, None)], {}))
        sc = self.spark.sparkContext
        if parts or not frames:
            frames.append(self.spark.createDataFrame(sc.union(parts) if parts else sc.emptyRDD(), record_schema()))
        return reduce(lambda x, y: x.unionByName(y), frames)

    def _jsonl(self, rank: int, order: str, entry: Entry) -> DataFrame:
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
                columns = list(zip(*_jsonl_rows(indexed, rank, order, shown, names))) or [()] * len(schema)
                yield pa.RecordBatch.from_arrays([pa.array(c, type=f.type) for c, f in zip(columns, schema)],
                                                 schema=schema)

        return lines.mapInArrow(convert, record_schema())

    def _parquet(self, rank: int, order: str, entry: Entry) -> RDD[Any]:
        from pyspark.sql import functions as F

        frame = self.spark.read.parquet(entry.uri)
        present = [c for c in dict.fromkeys(astuple(self.names)) if c in frame.columns]
        if self.names.text not in present:
            self._problem(rank, Problem(entry.shown, f"no '{self.names.text}' column"), order)
            return self.spark.sparkContext.emptyRDD()
        rows = frame.select(F.col("_metadata.file_path").alias("__file"),
                            F.col("_metadata.row_index").alias("__row"), *present)
        names, root, folder, shown = self.names, entry.uri.rstrip("/"), entry.folder, entry.shown

        def convert(part: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
            for file, row_index, *values in part:
                source = shown + file[len(root):] if folder and file.startswith(root) else shown
                record = dict(zip(present, values))
                yield from _record_rows(record, rank, f"{order}/{file}", source, row_index + 1, names)

        return rows.rdd.mapPartitions(convert)

    def _warc(self, rank: int, order: str, entry: Entry) -> RDD[Any]:
        names, shown, codec = self.names, entry.shown, base_suffix(PurePosixPath(entry.uri).name)[1]
        return self.spark.sparkContext.binaryFiles(_escape(entry.uri)).flatMap(
            lambda item: _warc_file_rows(item[1], codec, rank, order, shown, names))

    def _folder(self, rank: int, order: str, entry: Entry) -> list[RDD[Any]]:
        """A folder of articles (text/HTML), or a Parquet dataset."""
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
        if any(rel.endswith(PARQUET_SUFFIX) for rel, _, _ in listed):
            return [self._parquet(rank, order, entry)]
        base = PurePosixPath("/root")
        sidecar: dict[str, dict[str, str]] = {}
        for name in SIDECARS:
            for rel, uri, _ in listed:
                if rel == name:
                    sidecar.update(self._sidecar(rank, order, name, uri, f"{entry.shown}/{name}"))
        files = [(rel, uri, size) for rel, uri, size in listed if is_article_file(base / rel, base)]
        if not files:
            self._problem(rank, Problem(entry.shown, "no .txt, .md or .html files in this folder"), order)
            return []
        nested = any("/" in rel for rel, _, _ in files)
        chosen = []
        for n, (rel, uri, size) in enumerate(files):
            shown, place = f"{entry.shown}/{rel}", f"{order}/{n:09d}"
            if size > MAX_BYTES:
                self._problem(rank, Problem(shown, too_large(size)), place)
                continue
            outlet = rel.split("/", 1)[0] if nested and "/" in rel else None
            chosen.append((place, Entry(uri, shown, False, size), rel, outlet))
        return [self._files(rank, chosen, sidecar)]

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
                names: FieldNames) -> Iterator[tuple[Any, ...]]:
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
        article = parse_record(line + "\n", source, line_no, found.append, names)
        yield from _rows(article, found, rank, order, line_no)


def _warc_file_rows(data: bytes, codec: str | None, rank: int, order: str, source: str,
                    names: FieldNames) -> Iterator[tuple[Any, ...]]:
    """The articles of one WARC file's bytes, each record's problems before it, as locally."""
    found: list[Problem] = []
    try:
        for number, record in warc_rows(decompressed(io.BytesIO(data), codec), source, found.append, names):
            yield from (problem_row(rank, order, p.line or 0, p) for p in found)
            found.clear()
            yield from _record_rows(record, rank, order, source, number, names)
    except Unreadable as err:
        found.append(Problem(source, str(err)))
    yield from (problem_row(rank, order, p.line or 0, p) for p in found)


def _record_rows(record: dict[str, Any], rank: int, order: str, source: str, line_no: int,
                 names: FieldNames) -> Iterator[tuple[Any, ...]]:
    found: list[Problem] = []
    article = from_record(record, source, line_no, found.append, names)
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
