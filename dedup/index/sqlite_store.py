"""The embedded index: one SQLite file in WAL mode, no server.

Rows hold what a check needs: the article's metadata, its text
(zlib-compressed UTF-8, to align against), its distinct fingerprints and
where each first occurs, and its words as 16-bit hashes, all as raw
little-endian bytes. The first look that needs fingerprints maps the frozen
files the database names (:mod:`.frozen`: the fingerprints and words of the
articles up to some number, sorted once) and loads the rows after them into
sorted numpy runs (:mod:`.postings`; a store that only removes, counts or
compacts does neither). Each later look catches up on rows other processes
committed, by sequence number, and on their removals, through the log
``removed`` (:meth:`SqliteStore.compact` trims it; a process whose place in
it was trimmed compares what it holds with what is stored instead). Once a
writable store holds :data:`FREEZE_FROM` postings in memory it freezes them
into a new file, merged with the newest files of about their size (as the
runs in memory merge), so opening reads at most that many rows, and each
posting is written a few times over the life of an index.

A batch of additions is one transaction: once ``writing()`` returns, the
batch survives the process being killed at any moment; a batch interrupted
before then leaves no trace. (``synchronous=NORMAL``, SQLite's advice for WAL
mode: a power cut may lose the last commits, but never corrupts the file.) WAL mode lets any
number of readers work while one process writes; a second writer waits up
to ``timeout`` seconds for the first, then fails with a clear error.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexStoreError
from ..model import Article
from ..settings import Settings
from . import frozen
from .postings import Resident
from .store import (
    FORMAT,
    MAX_SEQ,
    POSITION_BITS,
    READS,
    Compacted,
    Damaged,
    Entry,
    Hits,
    check_settings,
    check_shape,
    guarded,
    outlet_code,
    pack,
    pack_text,
    unpack,
    unpack_extra,
    unpack_text,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    outlet TEXT, date TEXT, title TEXT, url TEXT,
    extra TEXT NOT NULL,
    length INTEGER NOT NULL,
    text BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS shapes (
    seq INTEGER PRIMARY KEY,
    outlet_code INTEGER NOT NULL,
    fingerprints BLOB NOT NULL,
    positions BLOB NOT NULL,
    words BLOB NOT NULL,
    repeat INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS removed (seq INTEGER PRIMARY KEY AUTOINCREMENT, article INTEGER NOT NULL);
"""
"""``shapes`` holds what is loaded into memory at open, apart from the texts, so
that loading reads one compact table."""
LOAD_ROWS = 25_000
"""Rows of ``shapes`` turned into arrays at a time when loading."""
CHUNK = 500
"""Values bound in one ``IN (...)`` list (SQLite allows 999 on old builds)."""
TRIMMED = "removed_trimmed"
"""``meta`` key: the log of removals was trimmed up to this entry (:meth:`SqliteStore.compact`)."""
FROZEN = "frozen"
"""``meta`` key: the tokens of the frozen files that go with the database, oldest first, as a
JSON list (:func:`frozen_path`)."""
FREEZE_FROM = 4_000_000
"""Postings held in memory (about 20,000 articles, 64 MB) from which a writable store freezes them."""
MERGE = 2
"""A new frozen file takes in the newest file while that is at most this many times its size."""


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def frozen_path(path: Path, token: str) -> Path:
    """Where the frozen file of token ``token`` of the index at ``path`` is."""
    return path.with_name(f"{path.name}.{token}.frozen")


def _remove_others(path: Path, tokens: list[str]) -> None:
    """Remove the frozen files of the index at ``path`` but those of ``tokens``, and those
    left half written by processes no longer running."""
    keep = {frozen_path(path, t).name for t in tokens}
    for old in path.parent.glob(f"{path.name}.*.frozen"):
        if old.name not in keep:
            old.unlink(missing_ok=True)
    for half in path.parent.glob(f".{path.name}.*.frozen.new"):
        pid = half.name[len(path.name) + 2 :].split(".")[0]
        if pid.isdigit() and not _running(int(pid)):
            half.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


HEADER = b"SQLite format 3\x00"
"""How every SQLite database file starts."""
TABLES = {"meta", "articles", "shapes", "removed"}


class SqliteStore:
    """An index in one SQLite file; see the module docstring.

    An existing file is read before anything is written to it: one that is not a
    dedup index (empty, not SQLite, another program's database) is refused and
    left as it was. ``readonly`` opens it without ever writing (``dedup index
    stats``, a check that adds nothing). A new index is built in a file of its
    own beside the path and linked into place, so no process ever sees it half made.
    """

    def __init__(self, path: Path, settings: Settings | None, *, create: bool = True, timeout: float = 30.0,
                 readonly: bool = False):
        self.location = str(path)
        self._timeout = timeout
        self._readonly = readonly
        self._error = sqlite3.DatabaseError
        if path.is_dir():
            raise IndexStoreError(f"{path} is a folder, not an index file")
        if not path.exists():
            if not create or readonly:
                raise IndexStoreError(f"{path}: no such index")
            self._create(path, settings)
        self._refuse_foreign(path)
        try:
            self._db = self._connect(path, readonly=True)
            meta = self._meta()
            if not readonly:
                self._db.close()
                self._db = self._connect(path, readonly=False)
        except sqlite3.DatabaseError as err:
            raise IndexStoreError(f"{path} is not a dedup index ({err})") from None
        if meta.get("format") not in {str(v) for v in READS}:
            raise IndexStoreError(f"{self.location} has layout version {meta.get('format')}, "
                                  f"this dedup reads versions {', '.join(map(str, READS))}")
        self._format = int(meta["format"])
        self.settings = check_settings(self.location, meta.get("settings"), settings)
        self._memory = Resident(POSITION_BITS)
        self._seen = 0
        self._seen_removed = 0
        self._loaded = False  # the fingerprints are loaded at the first look that needs them
        self._refreeze = 0  # postings in memory from which to try freezing again, after a try that failed

    def _connect(self, path: Path, *, readonly: bool) -> sqlite3.Connection:
        if readonly:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=self._timeout,
                                 isolation_level=None)
        else:
            db = sqlite3.connect(str(path), timeout=self._timeout, isolation_level=None)
            db.execute("PRAGMA synchronous=NORMAL")
        return db

    def _refuse_foreign(self, path: Path) -> None:
        """Refuse a file that cannot be a dedup index, reading only its first bytes."""
        try:
            with open(path, "rb") as handle:
                head = handle.read(len(HEADER))
        except OSError as err:
            raise IndexStoreError(f"{path}: cannot read ({err.strerror or err})") from None
        if not head:
            raise IndexStoreError(f"{path} is an empty file, not a dedup index; remove it or name another file")
        if head != HEADER:
            raise IndexStoreError(f"{path} is not a dedup index (not an SQLite database)")

    def _create(self, path: Path, settings: Settings | None) -> None:
        """A new, empty index at ``path``, made whole in a file of its own and then linked
        into place (if another process made one there meanwhile, that one is used)."""
        new = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.new")
        try:
            db = sqlite3.connect(str(new), isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("BEGIN IMMEDIATE")
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.executemany("INSERT INTO meta VALUES (?, ?)", [
                    ("format", str(FORMAT)), ("settings", json.dumps((settings or Settings()).to_dict()))])
                db.execute("COMMIT")
            finally:
                db.close()
            try:
                os.link(new, path)
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links: copy it into a file made only here
                with open(path, "xb") as out:
                    out.write(new.read_bytes())
                    out.flush()
                    os.fsync(out.fileno())
        except FileExistsError:
            pass
        except (OSError, sqlite3.DatabaseError) as err:
            raise IndexStoreError(f"{path}: cannot create the index ({err})") from None
        finally:
            for leftover in (new, Path(f"{new}-wal"), Path(f"{new}-shm")):
                leftover.unlink(missing_ok=True)

    def _meta(self) -> dict[str, str]:
        """The stored format and settings, once the file is found to hold a dedup index.
        Only reads, so an index opens while another process writes to it."""
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not TABLES <= tables:
            raise IndexStoreError(f"{self.location} is an SQLite database, but not a dedup index")
        meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if "settings" not in meta:
            raise IndexStoreError(f"{self.location} is damaged: it holds no settings")
        return meta

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One write transaction; rolled back if the block fails."""
        if self._readonly:
            raise IndexStoreError(f"{self.location} is open read-only")
        try:
            if not self._db.in_transaction:
                self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            if "locked" in str(err) or "busy" in str(err):
                raise IndexStoreError(f"{self.location} is being written by another process; "
                                      f"gave up after waiting {self._timeout:g} s") from None
            raise
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException as err:
            if _in_transaction(self._db):
                self._db.execute("ROLLBACK")
            if isinstance(err, sqlite3.DatabaseError):
                raise IndexStoreError(f"{self.location}: cannot write ({err})") from None
            raise

    def refresh(self) -> None:
        own = not self._db.in_transaction
        held = self._seen
        try:
            if own:
                self._db.execute("BEGIN")  # one snapshot for every read
            if not self._loaded:
                self._thaw()
                held = self._seen
            repeat = "repeat" if self._format >= 2 else "0"
            rows = self._db.execute(f"SELECT seq, outlet_code, fingerprints, positions, words, {repeat} FROM shapes "
                                    "WHERE seq > ? ORDER BY seq", (self._seen,))
            while chunk := rows.fetchmany(LOAD_ROWS):  # in parts: memory stays near what is kept
                self._take(chunk)
            gone = self._db.execute("SELECT seq, article FROM removed WHERE seq > ? ORDER BY seq",
                                    (self._seen_removed,)).fetchall()
            trimmed = int((self._db.execute(f"SELECT value FROM meta WHERE key = '{TRIMMED}'").fetchone()
                           or (0,))[0])
            if held and trimmed > self._seen_removed:  # removals it missed were trimmed: compare with what is stored
                stored = np.array([r[0] for r in self._db.execute("SELECT seq FROM shapes WHERE seq <= ?", (held,))],
                                  dtype=np.int64)
                self._memory.remove(np.setdiff1d(np.flatnonzero(self._memory.alive.data[: held + 1]), stored))
            if own:
                self._db.execute("COMMIT")
        except Damaged as err:
            raise IndexStoreError(f"{self.location} is damaged: {err}") from None
        except (sqlite3.DatabaseError, ValueError) as err:
            raise IndexStoreError(f"{self.location}: cannot read the index ({err})") from None
        if gone:
            self._memory.remove(np.array([g[1] for g in gone], dtype=np.int64))
        self._seen_removed = max(self._seen_removed, trimmed, gone[-1][0] if gone else 0)
        self._loaded = True
        if own and not self._readonly and self._worth_freezing():
            self._freeze()

    def _thaw(self) -> None:
        """Start from the frozen files the database names, if they can be read (in the
        read transaction of :meth:`refresh`); without them, from nothing."""
        try:
            files = [frozen.read(frozen_path(Path(self.location), t), t) for t in self._frozen_tokens()]
        except (OSError, frozen.Unreadable):
            return  # gone (a newer one replaced it since) or damaged: load the rows, freeze anew
        if any(f.lo != (files[k - 1].upto if k else 0) for k, f in enumerate(files)):
            return
        if files:
            self._memory.thaw(files)
            self._seen, self._seen_removed = files[-1].upto, min(f.removed for f in files)

    def _worth_freezing(self) -> bool:
        return self._memory.postings.in_memory() >= max(FREEZE_FROM, self._refreeze)

    def _freeze(self, *, whole: bool = False) -> None:
        """Write what this store holds in memory (as of its last look) to a new frozen file,
        with the newest files of about its size (``whole``: all of them), name it in the
        database in their place, remove the files it replaces, and map it.

        The file is written and synced before the write lock is taken; the lock is held
        only to rename it into place, remove the others and commit the tokens. A process
        killed at any point leaves the database naming whole files (the old ones or the
        new), and at worst a file that nothing names, which the next freeze removes."""
        path, memory = Path(self.location), self._memory
        files = memory.frozen
        total, j = memory.postings.in_memory(), len(files)
        while j and (whole or len(files[j - 1].hashes) <= MERGE * total):
            j -= 1
            total += len(files[j].hashes)
        token = uuid.uuid4().hex
        new = path.with_name(f".{path.name}.{os.getpid()}.{token}.frozen.new")
        tokens = [f.token for f in files[:j]] + [token]
        try:
            frozen.write(new, memory, memory.postings.runs()[j:], token=token,
                         lo=files[j].lo if j < len(files) else memory.upto, upto=self._seen,
                         removed=self._seen_removed)
            with self._locked():  # no other freeze is between its rename and its commit meanwhile
                os.replace(new, frozen_path(path, token))
                self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (FROZEN, json.dumps(tokens)))
                _remove_others(path, tokens)  # readers that mapped one keep it
            alive = memory.alive.data[: self._seen + 1].copy()  # removals the older files do not hold
            memory.thaw(files[:j] + [frozen.read(frozen_path(path, token), token)])
            memory.alive.data[: len(alive)] = alive
            self._refreeze = 0
        except (OSError, IndexStoreError, frozen.Unreadable):
            self._refreeze = 2 * memory.postings.in_memory()  # a busy writer or a full disk: later
        finally:
            new.unlink(missing_ok=True)

    def _frozen_tokens(self) -> list[str]:
        row = self._db.execute(f"SELECT value FROM meta WHERE key = '{FROZEN}'").fetchone()
        try:
            tokens = json.loads(row[0]) if row else []
        except ValueError:
            return []
        return [t for t in tokens if isinstance(t, str) and t.isalnum()] if isinstance(tokens, list) else []

    def _load(self) -> None:
        """Load what is stored, once: a store that only removes, counts or compacts never does."""
        if not self._loaded:
            self.refresh()

    def _take(self, rows: list[tuple[int, int, bytes, bytes, bytes, int]]) -> None:
        for r in rows:
            check_shape(r[0], r[2], r[3], r[4])
        self._memory.add(
            np.array([r[0] for r in rows], dtype=np.int64), np.array([r[1] for r in rows], dtype=np.int64),
            np.array([r[5] for r in rows], dtype=bool),
            unpack(b"".join(r[2] for r in rows), "<u8"), unpack(b"".join(r[3] for r in rows), "<u4"),
            np.array([len(r[2]) // 8 for r in rows], dtype=np.int64),
            unpack(b"".join(r[4] for r in rows), "<u2"), np.array([len(r[4]) // 2 for r in rows], dtype=np.int64))
        self._seen = rows[-1][0]

    def last_seq(self) -> int:
        self._load()
        return self._seen

    def lookup(self, hashes: np.ndarray, after: int = 0) -> Hits:
        self._load()
        return Hits(*self._memory.lookup(hashes, after))

    @guarded
    def fetch(self, seqs: Sequence[int]) -> dict[int, Article]:
        found: dict[int, Article] = {}
        for part in _chunks(list(seqs)):
            rows = self._db.execute(
                "SELECT seq, id, outlet, date, title, url, extra, text FROM articles "
                f"WHERE seq IN ({_marks(len(part))})",
                tuple(part)).fetchall()
            for seq, aid, outlet, date, title, url, extra, blob in rows:
                found[seq] = Article(id=aid, text=unpack_text(blob, seq), outlet=outlet, date=date, title=title,
                                     url=url, meta=unpack_extra(extra, seq))
        return found

    def words(self, seqs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        self._load()
        return self._memory.word_spans(seqs)

    @guarded
    def seqs(self, ids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for part in _chunks(list(dict.fromkeys(ids))):
            rows = self._db.execute(f"SELECT id, seq FROM articles WHERE id IN ({_marks(len(part))})", tuple(part))
            found.update((r[0], int(r[1])) for r in rows)
        return found

    def dates(self, page: int) -> Iterator[list[tuple[str, str | None]]]:
        after = 0
        while rows := self._dates_after(after, page):  # a query per page: no cursor open across writes
            after = rows[-1][0]
            yield [(r[1], r[2]) for r in rows]

    @guarded
    def _dates_after(self, after: int, page: int) -> list[tuple[int, str, str | None]]:
        return self._db.execute("SELECT seq, id, date FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                                (after, page)).fetchall()

    def compact(self) -> Compacted:
        """Trim the log of removals, then rebuild the file without the space removed rows left.

        Each reader keeps its place in the log; one whose place was trimmed away
        compares what it holds with what is stored at its next look (:meth:`refresh`),
        so no reader has to stop. VACUUM writes the new file through the WAL and
        commits it at once, so a compact interrupted at any moment leaves the index
        as it was or compacted; it needs about the file's size of free space, waits
        for writers like any write, and the file shrinks once no reader holds an old
        snapshot of it (a reader's next look lets it go).
        """
        before = self._size()
        with self._locked():
            if self._loaded:
                self.refresh()
            top = self._db.execute("SELECT max(seq) FROM removed").fetchone()[0]
            trimmed = self._db.execute("DELETE FROM removed WHERE seq <= ?", (top,)).rowcount if top else 0
            if top:
                self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (TRIMMED, str(top)))
        try:
            self._db.execute("VACUUM")  # outside any transaction, as SQLite requires
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError as err:
            if "locked" in str(err) or "busy" in str(err):
                raise IndexStoreError(f"{self.location} is being written by another process; gave up after "
                                      f"waiting {self._timeout:g} s (the log of removals is trimmed)") from None
            raise IndexStoreError(f"{self.location}: cannot compact ({err})") from None
        except sqlite3.DatabaseError as err:
            raise IndexStoreError(f"{self.location}: cannot compact ({err})") from None
        if self._frozen_tokens() and not self._readonly:  # frozen files keep removed articles until frozen anew
            self._load()
            self._freeze(whole=True)
        return Compacted(trimmed, before, self._size())

    def _size(self) -> int:
        """Bytes of the file, its write-ahead log and its frozen files."""
        path = Path(self.location)
        files = [path, Path(f"{path}-wal")] + [frozen_path(path, t) for t in self._frozen_tokens()]
        return sum(p.stat().st_size for p in files if p.exists())

    @contextmanager
    def writing(self) -> Iterator[_SqliteWriter]:
        with self._locked():
            if self._format < FORMAT:  # an older layout grows what this one adds, in the same transaction
                self._db.execute("ALTER TABLE shapes ADD COLUMN repeat INTEGER NOT NULL DEFAULT 0")
                self._db.execute("UPDATE meta SET value = ? WHERE key = 'format'", (str(FORMAT),))
                self._format = FORMAT
            if self._loaded:
                self.refresh()
            yield _SqliteWriter(self._db)
        if self._loaded:
            self.refresh()

    @guarded
    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    @guarded
    def stats(self) -> dict[str, Any]:
        articles, chars, outlets = self._db.execute(
            "SELECT count(*), coalesce(sum(length), 0), count(DISTINCT outlet) FROM articles").fetchone()
        fps = self._db.execute("SELECT coalesce(sum(length(fingerprints)), 0) / 8 FROM shapes").fetchone()[0]
        return {"location": self.location, "store": "sqlite", "articles": articles, "fingerprints": fps,
                "characters": chars, "outlets": outlets, "bytes": self._size(), "settings": self.settings.to_dict()}

    def close(self) -> None:
        self._db.close()


def _in_transaction(db: sqlite3.Connection) -> bool:
    """Whether ``db`` holds a transaction open. A closed connection holds none: a signal
    taken between a writer's ``yield`` and the ``with`` statement that takes it leaves the
    writer suspended, to be finalized after its store is closed (its transaction went with it)."""
    try:
        return db.in_transaction
    except sqlite3.ProgrammingError:
        return False


class _SqliteWriter:
    """Adds and removals inside the store's open write transaction."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def _drop(self, ids: Sequence[str]) -> list[str]:
        dropped: list[str] = []
        for part in _chunks(list(ids)):
            rows = self._db.execute(f"SELECT seq, id FROM articles WHERE id IN ({_marks(len(part))})",
                                    tuple(part)).fetchall()
            if not rows:
                continue
            self._db.executemany("DELETE FROM articles WHERE seq = ?", [(r[0],) for r in rows])
            self._db.executemany("DELETE FROM shapes WHERE seq = ?", [(r[0],) for r in rows])
            self._db.executemany("INSERT INTO removed (article) VALUES (?)", [(r[0],) for r in rows])
            dropped.extend(r[1] for r in rows)
        return dropped

    def add(self, entries: Sequence[Entry]) -> None:
        last = {e.article.id: e for e in entries}  # an id given twice: the last one wins
        self._drop(list(last))
        rows = [(a.id, a.outlet, a.date, a.title, a.url, json.dumps(dict(a.meta), ensure_ascii=False, default=str),
                 len(a.text), pack_text(a.text)) for a in (e.article for e in last.values())]
        self._db.executemany("INSERT INTO articles (id, outlet, date, title, url, extra, length, text) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        top = self._db.execute("SELECT max(seq) FROM articles").fetchone()[0]
        if top > MAX_SEQ:
            raise IndexStoreError(f"the index holds article numbers up to {MAX_SEQ:,}; it is full")
        seqs = range(top - len(rows) + 1, top + 1)  # AUTOINCREMENT numbers one insert after another
        self._db.executemany("INSERT INTO shapes VALUES (?, ?, ?, ?, ?, ?)", [
            (q, outlet_code(e.article.outlet), pack(e.hashes, "<u8"), pack(e.positions, "<u4"), pack(e.words, "<u2"),
             int(e.repeat)) for q, e in zip(seqs, last.values())])

    def remove(self, ids: Iterable[str]) -> list[str]:
        return self._drop(list(dict.fromkeys(ids)))
