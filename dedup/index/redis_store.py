"""The shared index: one Redis server that many workers check and add against.

Fingerprint postings live in datasketch's own Redis storage layout (an
``unordered_storage`` with ``{"type": "redis"}``: one Redis set per
fingerprint of ``seq:position`` members, and its bookkeeping hash of keys).
Its API serves removals and figures; reads and writes of a whole batch go
through two small Lua scripts over the same keys, one command per batch
instead of one or two per fingerprint (redis-py spends some 20 µs on each).
Articles are Redis hashes (metadata, zlib-compressed text,
fingerprints, positions and word hashes as raw bytes);
``<prefix>:live`` maps each live article number to its outlet code, and a
number is live only once its article is fully written, so a worker killed
mid-add leaves postings that lookups ignore, never a half article.

Writers take a Redis lock (``<prefix>:lock``) for the length of one batch;
it expires on its own if a worker dies holding it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

import numpy as np

from ..errors import IndexStoreError
from ..model import Article
from ..settings import Settings

if TYPE_CHECKING:
    from redis.typing import EncodableT, FieldT

from .store import (
    FORMAT,
    READS,
    Entry,
    Hits,
    check_settings,
    guarded,
    outlet_code,
    pack,
    pack_text,
    unpack,
    unpack_text,
)

_TEXT_FIELDS = {b"id", b"outlet", b"date", b"title", b"url", b"extra"}
LOCK_SECONDS = 600
READ = """
local out = {}
for i, key in ipairs(ARGV) do
  for _, member in ipairs(redis.call('SMEMBERS', KEYS[1] .. key)) do
    out[#out + 1] = (i - 1) .. ':' .. member
  end
end
return table.concat(out, ' ')
"""
WRITE = """
for i = 1, #ARGV, 2 do
  local key = KEYS[1] .. ARGV[i]
  redis.call('HSET', KEYS[1], ARGV[i], key)
  redis.call('SADD', key, ARGV[i + 1])
end
return #ARGV / 2
"""
"""datasketch's ``RedisSetStorage.insert`` and ``getmany`` for many keys at once (same keys, same
values); reads come back as one string of ``query:seq:position`` items."""
"""A writer's lock expires after this long even if the writer never releases it."""


def connection(url: str) -> tuple[dict[str, Any], str]:
    """redis-py keyword arguments (for ``redis.Redis``) and the key prefix of a
    ``redis://``, ``rediss://`` or ``unix://`` URL (``?prefix=NAME``, default ``dedup``).
    The URL is read by redis-py itself; only ``prefix`` is dedup's own."""
    from redis.connection import SSLConnection, UnixDomainSocketConnection, parse_url

    base, _, query = url.partition("?")
    pairs = parse_qsl(query, keep_blank_values=True)
    prefix = dict(pairs).get("prefix") or "dedup"
    rest = urlencode([(k, v) for k, v in pairs if k != "prefix"])
    try:
        kwargs = parse_url(f"{base}?{rest}" if rest else base)  # type: ignore[no-untyped-call]
    except ValueError as err:
        raise IndexStoreError(f"{url}: not a Redis URL ({err}); use redis://HOST:PORT/DB, rediss:// or "
                              "unix:///PATH?db=N") from None
    kind = kwargs.pop("connection_class", None)
    if kind is SSLConnection:
        kwargs["ssl"] = True
    elif kind is UnixDomainSocketConnection:
        kwargs["unix_socket_path"] = kwargs.pop("path")
    return kwargs, prefix


def _live(value: bytes | str | None) -> tuple[int, bool]:
    """An article's outlet code and repeat flag from its ``live`` entry (``code/flag``;
    layout 1 wrote the code alone)."""
    if value is None:
        return 0, False
    code, _, flag = (value.decode() if isinstance(value, bytes) else value).partition("/")
    return int(code), flag == "1"


def _keys(hashes: np.ndarray) -> list[bytes]:
    raw = np.ascontiguousarray(hashes, dtype=">u8").tobytes()
    return [raw[k : k + 8] for k in range(0, len(raw), 8)]


class RedisStore:
    """An index in a Redis database; see the module docstring."""

    def __init__(self, url: str, settings: Settings | None, *, create: bool = True, timeout: float = 30.0):
        try:
            import redis
            from datasketch.storage import unordered_storage
        except ImportError:
            raise IndexStoreError("a Redis index needs the redis extra: pip install 'dedup[redis]'") from None
        self.location = url
        self._timeout = timeout
        kwargs, prefix = connection(url)
        self._p = prefix
        self._r = redis.Redis(**kwargs)
        try:
            self._r.ping()
            if create:
                self._r.set(self._key("format"), str(FORMAT), nx=True)
                self._r.set(self._key("settings"), json.dumps((settings or Settings()).to_dict()), nx=True)
            fmt, stored = self._r.mget(self._key("format"), self._key("settings"))
        except redis.RedisError as err:
            raise IndexStoreError(f"{url}: cannot use Redis ({err})") from None
        if stored is None:
            raise IndexStoreError(f"{url}: no index with prefix {prefix!r} there")
        if fmt not in {str(v).encode() for v in READS}:
            raise IndexStoreError(f"{url} has layout version {fmt!r}, this dedup reads versions "
                                  f"{', '.join(map(str, READS))}")
        self.settings = check_settings(url, json.loads(stored), settings)
        self._postings = unordered_storage({"type": "redis", "redis": kwargs}, name=self._key("fp:").encode())
        self._read = self._r.register_script(READ)
        self._write = self._r.register_script(WRITE)
        self._error = redis.RedisError

    def _key(self, name: str) -> str:
        return f"{self._p}:{name}"

    def refresh(self) -> None:
        """Nothing to catch up on: every look goes to the server."""

    @guarded
    def last_seq(self) -> int:
        return int(self._r.get(self._key("committed")) or 0)

    @guarded
    def lookup(self, hashes: np.ndarray, after: int = 0) -> Hits:
        if len(hashes) == 0:
            return Hits.empty()
        found = self._read(keys=[self._key("fp:")], args=_keys(hashes))
        if not found:
            return Hits.empty()
        query, seq, position = np.fromstring(found.decode().replace(":", " "), dtype=np.int64, sep=" ").reshape(-1, 3).T
        distinct = np.unique(seq[seq > after])
        codes = self._r.hmget(self._key("live"), distinct.tolist()) if len(distinct) else []
        live = np.array([c is not None for c in codes], dtype=bool)
        values = [_live(c) for c in codes]
        outlets = np.array([v[0] for v in values], dtype=np.int64)
        repeats = np.array([v[1] for v in values], dtype=bool)
        where = np.minimum(np.searchsorted(distinct, seq), max(len(distinct) - 1, 0))
        keep = (seq > after) & (distinct[where] == seq) & live[where] if len(distinct) else np.zeros(len(seq), bool)
        return Hits(query[keep], seq[keep], position[keep], outlets[where[keep]], repeats[where[keep]])

    @guarded
    def fetch(self, seqs: Sequence[int]) -> dict[int, Article]:
        pipe = self._r.pipeline(transaction=False)
        for q in seqs:
            pipe.hgetall(self._key(f"doc:{q}"))
        found: dict[int, Article] = {}
        for q, row in zip(seqs, pipe.execute()):
            if not row:
                continue
            text = {k.decode(): v.decode("utf-8") for k, v in row.items() if k in _TEXT_FIELDS}
            found[q] = Article(id=text["id"], text=unpack_text(row[b"text"]), outlet=text.get("outlet"),
                               date=text.get("date"), title=text.get("title"), url=text.get("url"),
                               meta=json.loads(text.get("extra", "{}")))
        return found

    @guarded
    def words(self, seqs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        pipe = self._r.pipeline(transaction=False)
        for q in seqs.tolist():
            pipe.hget(self._key(f"doc:{q}"), "words")
        found = [unpack(blob, "<u2") for blob in pipe.execute()]
        lengths = np.array([len(w) for w in found], dtype=np.int64)
        flat = np.concatenate(found) if found else np.zeros(0, np.uint16)
        return flat, np.cumsum(lengths) - lengths, lengths

    @guarded
    def has(self, ids: Sequence[str]) -> list[bool]:
        if not ids:
            return []
        return [v is not None for v in self._r.hmget(self._key("ids"), list(ids))]

    @contextmanager
    def writing(self) -> Iterator[_RedisWriter]:
        lock = self._r.lock(self._key("lock"), timeout=LOCK_SECONDS, blocking_timeout=self._timeout)
        if not lock.acquire():
            raise IndexStoreError(f"{self.location} is being written by another worker; "
                                  f"gave up after waiting {self._timeout:g} s")
        try:
            yield _RedisWriter(self)
        except self._error as err:
            raise IndexStoreError(f"{self.location}: write failed ({err})") from None
        finally:
            try:
                lock.release()
            except self._error:  # the lock expired (LOCK_SECONDS) and may be another writer's now
                pass

    @guarded
    def count(self) -> int:
        return int(self._r.hlen(self._key("ids")))

    @guarded
    def stats(self) -> dict[str, Any]:
        memory = self._r.info("memory").get("used_memory")
        return {"location": self.location, "store": "redis", "articles": self.count(),
                "fingerprints": int(self._postings.size()), "characters": int(self._r.get(self._key("chars")) or 0),
                "outlets": int(self._r.scard(self._key("outlets"))), "bytes": memory,
                "settings": self.settings.to_dict()}

    def close(self) -> None:
        self._r.close()


class _RedisWriter:
    """Adds and removals while the store's lock is held."""

    def __init__(self, store: RedisStore):
        self._s = store
        self._r = store._r

    def _drop(self, ids: list[str]) -> list[str]:
        s = self._s
        seqs = self._r.hmget(s._key("ids"), ids) if ids else []
        gone = [(i, int(q)) for i, q in zip(ids, seqs) if q is not None]
        if not gone:
            return []
        pipe = self._r.pipeline(transaction=True)
        for _, q in gone:
            pipe.hmget(s._key(f"doc:{q}"), ["fp", "positions", "length"])
        rows = pipe.execute()
        pipe = self._r.pipeline(transaction=True)
        pipe.hdel(s._key("ids"), *[i for i, _ in gone])
        pipe.hdel(s._key("live"), *[q for _, q in gone])
        pipe.delete(*[s._key(f"doc:{q}") for _, q in gone])
        pipe.decrby(s._key("chars"), sum(int(r[2] or 0) for r in rows))
        pipe.execute()  # dead from here on; their postings are cleaned up below
        for (_, q), (fp, positions, _) in zip(gone, rows):
            for key, at in zip(_keys(unpack(fp, "<u8")), unpack(positions, "<u4").tolist()):
                s._postings.remove_val(key, f"{q}:{at}", buffer=True)
        s._postings.empty_buffer()
        return [i for i, _ in gone]

    def add(self, entries: Sequence[Entry]) -> None:
        s = self._s
        last = list({e.article.id: e for e in entries}.values())  # an id given twice: the last one wins
        if not last:
            return
        self._drop([e.article.id for e in last])
        top = int(self._r.incrby(s._key("seq"), len(last)))
        seqs = range(top - len(last) + 1, top + 1)
        args: list[bytes | str] = []
        for q, e in zip(seqs, last):
            for key, at in zip(_keys(e.hashes), e.positions.tolist()):
                args += (key, f"{q}:{at}")
        s._write(keys=[s._key("fp:")], args=args)
        pipe = self._r.pipeline(transaction=True)
        for q, e in zip(seqs, last):
            a = e.article
            fields: dict[FieldT, EncodableT] = {"id": a.id, "length": len(a.text), "text": pack_text(a.text),
                                                "fp": pack(e.hashes, "<u8"),
                      "positions": pack(e.positions, "<u4"), "words": pack(e.words, "<u2"),
                      "extra": json.dumps(dict(a.meta), ensure_ascii=False, default=str)}
            fields.update({k: v for k, v in (("outlet", a.outlet), ("date", a.date), ("title", a.title),
                                             ("url", a.url)) if v is not None})
            pipe.hset(s._key(f"doc:{q}"), mapping=fields)
            pipe.hset(s._key("ids"), a.id, q)
            pipe.hset(s._key("live"), q, f"{outlet_code(a.outlet)}/{int(e.repeat)}")
            if a.outlet:
                pipe.sadd(s._key("outlets"), a.outlet)
        pipe.incrby(s._key("chars"), sum(len(e.article.text) for e in last))
        pipe.set(s._key("committed"), top)
        pipe.set(s._key("format"), str(FORMAT))  # an index of layout 1 reads as 2
        pipe.execute()

    def remove(self, ids: Iterable[str]) -> list[str]:
        return self._drop(list(dict.fromkeys(ids)))
