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

Writers take a Redis lock (``<prefix>:lock``, :mod:`.lease`) for one batch
at a time; its lease is renewed while the writer lives, so a worker killed
holding it blocks the others for one lease (5 s by default, ``?lease=SECONDS``).
A batch is committed by one Lua script, atomically: it checks that the
writer still holds the lock (a writer that lost it commits nothing), takes
out the old version of every id the batch replaces and makes the new
articles live, so an id is always either its old article or its new one.
Postings are written before the commit (unseen until their article is live)
and those of replaced or removed articles are cleaned up after it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qsl, urlencode

import numpy as np

from ..errors import IndexStoreError
from ..model import Article
from ..settings import Settings

if TYPE_CHECKING:
    from redis.typing import EncodableT

from .lease import LEASE, Lease
from .store import (
    FORMAT,
    MAX_SEQ,
    READS,
    Compacted,
    Damaged,
    Entry,
    Hits,
    check_settings,
    guarded,
    outlet_code,
    pack,
    pack_text,
    unpack,
    unpack_extra,
    unpack_text,
)

_TEXT_FIELDS = {b"id", b"outlet", b"date", b"title", b"url", b"extra"}
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
WRITE_ARGS = 40_000
"""Arguments of one postings write (20,000 postings): a short script, so the lease is renewed between two."""
COMMIT = """
local p = KEYS[1]
if redis.call('GET', p .. 'lock') ~= ARGV[1] then
  return redis.error_reply('LOST the write lock: held past its lease by a stopped writer')
end
local gone, chars, at = {}, 0, 6
local function drop(id)
  local old = redis.call('HGET', p .. 'ids', id)
  if not old then return end
  local doc = p .. 'doc:' .. old
  local row = redis.call('HMGET', doc, 'fp', 'positions', 'length')
  chars = chars - (tonumber(row[3]) or 0)
  redis.call('HDEL', p .. 'live', old)
  redis.call('HDEL', p .. 'ids', id)
  redis.call('DEL', doc)
  for _, v in ipairs({id, old, row[1] or '', row[2] or ''}) do gone[#gone + 1] = v end
end
for _ = 1, tonumber(ARGV[4]) do
  local seq, id, live, outlet, length, fields = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3],
    tonumber(ARGV[at + 4]), tonumber(ARGV[at + 5])
  at = at + 6
  drop(id)
  local doc = p .. 'doc:' .. seq
  for f = at, at + 2 * fields - 1, 2 do redis.call('HSET', doc, ARGV[f], ARGV[f + 1]) end
  at = at + 2 * fields
  redis.call('HSET', p .. 'ids', id, seq)
  redis.call('HSET', p .. 'live', seq, live)
  if outlet ~= '' then redis.call('SADD', p .. 'outlets', outlet) end
  chars = chars + length
end
for _ = 1, tonumber(ARGV[5]) do
  drop(ARGV[at])
  at = at + 1
end
redis.call('INCRBY', p .. 'chars', chars)
if ARGV[3] ~= '' then redis.call('SET', p .. 'committed', ARGV[3]) end
redis.call('SET', p .. 'format', ARGV[2])
return gone
"""
"""One batch of a writer, atomically: ``ARGV`` holds the lock token, the layout, the
last article number (or ``''``), how many articles to add and ids to remove, each
article (``seq, id, live, outlet, length``, its field count and fields), then the ids.
Returns ``id, seq, fingerprints, positions`` of each article taken out."""


OWN = ("prefix", "lease")
"""Query parameters of the URL that are dedup's own, not redis-py's."""


def client(url: str) -> tuple[Any, str, float]:
    """A redis-py client, the key prefix and the lock's lease of a ``redis://``, ``rediss://``
    or ``unix://`` URL (``?prefix=NAME``, default ``dedup``; ``?lease=SECONDS``, default 5).
    The rest of the URL is read by redis-py itself."""
    import redis
    from redis.connection import parse_url

    base, _, query = url.partition("?")
    pairs = parse_qsl(query, keep_blank_values=True)
    own = dict(pairs)
    prefix = own.get("prefix") or "dedup"
    try:
        lease = float(own.get("lease") or LEASE)
        if not 0.1 <= lease <= 600:
            raise ValueError
    except ValueError:
        raise IndexStoreError(f"{url}: lease must be a number of seconds from 0.1 to 600, "
                              f"got {own.get('lease')!r}") from None
    rest = urlencode([(k, v) for k, v in pairs if k not in OWN])
    try:
        kwargs = parse_url(f"{base}?{rest}" if rest else base)  # type: ignore[no-untyped-call]
    except ValueError as err:
        raise IndexStoreError(f"{url}: not a Redis URL ({err}); use redis://HOST:PORT/DB, rediss:// or "
                              "unix:///PATH?db=N") from None
    kwargs.setdefault("socket_timeout", None)  # a commit takes as long as its batch needs (redis-py: 5 s)
    kwargs["command_packer"] = _packer()
    pool = redis.ConnectionPool(**kwargs)
    try:  # a connection is made only when first used: an unknown parameter would surface there
        pool.connection_class(**pool.connection_kwargs)
    except TypeError as err:
        raise IndexStoreError(f"{url}: not a parameter of a Redis URL ({err}); dedup's own are "
                              f"{', '.join(OWN)}") from None
    r = redis.Redis(connection_pool=pool)
    r.auto_close_connection_pool = True  # closing the client closes its connections, as from_url's does
    return r, prefix, lease


def _packer() -> Any:
    """redis-py's hiredis packer, handed numbers already written out. hiredis formats an int
    or a float with ``PyObject_Repr`` and uses the result unchecked; Python runs a pending
    signal's handler at the start of ``PyObject_Repr``, so a SIGTERM that came while it
    packed a command (its handler raises, to stop the command cleanly) crashed the process
    with a segmentation fault. None (redis-py's own choice) without hiredis."""
    from redis.connection import HiredisRespSerializer
    from redis.utils import HIREDIS_AVAILABLE

    if not HIREDIS_AVAILABLE:
        return None

    class Packer(HiredisRespSerializer):
        def pack(self, *args: Any) -> Any:
            return super().pack(*[repr(a) if type(a) in (int, float) else a for a in args])  # type: ignore[arg-type]

    return Packer()


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

    def __init__(self, url: str, settings: Settings | None, *, create: bool = True, timeout: float = 30.0,
                 readonly: bool = False):
        try:
            import redis
            from datasketch.storage import unordered_storage
        except ImportError:
            raise IndexStoreError("a Redis index needs the redis extra: pip install 'dedup[redis]'") from None
        self.location = url
        self._timeout = timeout
        self._readonly = readonly
        self._r, self._p, self._lease = client(url)
        try:
            self._r.ping()
            if create and not readonly:
                self._r.set(self._key("format"), str(FORMAT), nx=True)
                self._r.set(self._key("settings"), json.dumps((settings or Settings()).to_dict()), nx=True)
            fmt, stored = self._r.mget(self._key("format"), self._key("settings"))
        except redis.RedisError as err:
            raise IndexStoreError(f"{url}: cannot use Redis ({err})") from None
        if stored is None:
            raise IndexStoreError(f"{url}: no index with prefix {self._p!r} there")
        if fmt not in {str(v).encode() for v in READS}:
            raise IndexStoreError(f"{url} has layout version {fmt!r}, this dedup reads versions "
                                  f"{', '.join(map(str, READS))}")
        self.settings = check_settings(url, stored, settings)
        self._postings = unordered_storage({"type": "redis", "redis": {"connection_pool": self._r.connection_pool}},
                                           name=self._key("fp:").encode())
        self._read = self._r.register_script(READ)
        self._write = self._r.register_script(WRITE)
        self._commit = self._r.register_script(COMMIT)
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
            try:
                text = {k.decode(): v.decode("utf-8") for k, v in row.items() if k in _TEXT_FIELDS}
                aid = text["id"]
            except (UnicodeDecodeError, KeyError) as err:
                raise Damaged(f"the fields of article {q} are unreadable ({err})") from None
            found[q] = Article(id=aid, text=unpack_text(row.get(b"text", b""), q), outlet=text.get("outlet"),
                               date=text.get("date"), title=text.get("title"), url=text.get("url"),
                               meta=unpack_extra(text.get("extra", "{}"), q))
        return found

    @guarded
    def words(self, seqs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        pipe = self._r.pipeline(transaction=False)
        for q in seqs.tolist():
            pipe.hget(self._key(f"doc:{q}"), "words")
        found = [unpack(blob, "<u2", q) for q, blob in zip(seqs.tolist(), pipe.execute())]
        lengths = np.array([len(w) for w in found], dtype=np.int64)
        flat = np.concatenate(found) if found else np.zeros(0, np.uint16)
        return flat, np.cumsum(lengths) - lengths, lengths

    @guarded
    def seqs(self, ids: Sequence[str]) -> dict[str, int]:
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        return {i: int(q) for i, q in zip(ids, self._r.hmget(self._key("ids"), ids)) if q is not None}

    def dates(self, page: int) -> Iterator[list[tuple[str, str | None]]]:
        cursor = 0
        while True:  # HSCAN: every id there all along comes at least once, though writes go on between pages
            cursor, found = self._dates_from(cursor, page)
            yield found
            if cursor == 0:
                return

    @guarded
    def _dates_from(self, cursor: int, page: int) -> tuple[int, list[tuple[str, str | None]]]:
        cursor, ids = cast("tuple[int, dict[bytes, bytes]]", self._r.hscan(self._key("ids"), cursor, count=page))
        pipe = self._r.pipeline(transaction=False)
        for seq in ids.values():
            pipe.hmget(self._key(f"doc:{int(seq)}"), "id", "date")
        found = []
        for aid, date in pipe.execute():
            if aid is not None:  # None: removed since the scan read its id
                try:
                    found.append((aid.decode(), date.decode() if date is not None else None))
                except UnicodeDecodeError as err:
                    raise Damaged(f"the id or date of article {aid!r} is unreadable ({err})") from None
        return int(cursor), found

    def compact(self) -> Compacted:
        return Compacted(note="a Redis index has nothing to compact: removing an article deletes its keys and "
                              "postings as it is removed, and the server manages its own memory (Redis's "
                              "activedefrag, MEMORY PURGE); postings left by a writer killed mid-batch stay "
                              "(lookups ignore them). Nothing was changed")

    @contextmanager
    def writing(self) -> Iterator[_RedisWriter]:
        if self._readonly:
            raise IndexStoreError(f"{self.location} is open read-only")
        lock = Lease(self._r, self._key("lock"), self._lease, self._timeout)
        try:
            if not lock.acquire():
                raise IndexStoreError(f"{self.location} is being written by another worker; gave up after "
                                      f"waiting {self._timeout:g} s (a worker that died holding the lock frees it "
                                      f"within {self._lease:g} s)")
        except self._error as err:
            raise IndexStoreError(f"{self.location}: cannot take the write lock ({err})") from None
        writer = _RedisWriter(self, lock.token)
        try:
            yield writer
            writer.commit()
        except BaseException as err:
            writer.discard()
            if isinstance(err, self._error):
                if "LOST the write lock" in str(err):
                    raise IndexStoreError(f"{self.location}: lost the write lock (stopped for longer than its "
                                          f"{self._lease:g} s lease); nothing of this batch was committed") from None
                raise IndexStoreError(f"{self.location}: write failed ({err})") from None
            raise
        finally:
            try:
                lock.release()
            except self._error:  # the server went away; the lease runs out on its own
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
    """Adds and removals gathered while the store's lock is held, committed in one script."""

    def __init__(self, store: RedisStore, token: str):
        self._s = store
        self._r = store._r
        self._token = token
        self._add: list[tuple[int, Entry]] = []
        self._remove: list[str] = []
        self._top = 0

    def add(self, entries: Sequence[Entry]) -> None:
        s = self._s
        last = list({e.article.id: e for e in entries}.values())  # an id given twice: the last one wins
        if not last:
            return
        top = int(self._r.incrby(s._key("seq"), len(last)))
        if top > MAX_SEQ:
            raise IndexStoreError(f"{s.location} holds article numbers up to {MAX_SEQ:,}; it is full")
        seqs = range(top - len(last) + 1, top + 1)
        self._add += zip(seqs, last)
        self._top = top
        args: list[bytes | str] = []
        for q, e in zip(seqs, last):
            for key, at in zip(_keys(e.hashes), e.positions.tolist()):
                args += (key, f"{q}:{at}")
            if len(args) >= WRITE_ARGS:  # a script blocks the server: short ones let the lease be renewed
                s._write(keys=[s._key("fp:")], args=args)  # unseen until the commit makes the article live
                args = []
        if args:
            s._write(keys=[s._key("fp:")], args=args)

    def remove(self, ids: Iterable[str]) -> list[str]:
        wanted = list(dict.fromkeys(ids))
        found = self._s.seqs(wanted)
        self._remove += [i for i in wanted if i in found]
        return [i for i in wanted if i in found]

    def commit(self) -> None:
        if not self._add and not self._remove:
            return
        s = self._s
        args: list[EncodableT] = [self._token, str(FORMAT), str(self._top) if self._add else "",
                                  len(self._add), len(self._remove)]
        for q, e in self._add:
            a = e.article
            fields: dict[str, EncodableT] = {
                "id": a.id, "length": len(a.text), "text": pack_text(a.text), "fp": pack(e.hashes, "<u8"),
                "positions": pack(e.positions, "<u4"), "words": pack(e.words, "<u2"),
                "extra": json.dumps(dict(a.meta), ensure_ascii=False, default=str)}
            fields.update({k: v for k, v in (("outlet", a.outlet), ("date", a.date), ("title", a.title),
                                             ("url", a.url)) if v is not None})
            args += [q, a.id, f"{outlet_code(a.outlet)}/{int(e.repeat)}", a.outlet or "", len(a.text), len(fields)]
            for k, v in fields.items():
                args += [k, v]
        args += self._remove
        gone = s._commit(keys=[s._key("")], args=args)
        self._add, self._remove = [], []
        self._clean([(int(gone[k + 1]), gone[k + 2], gone[k + 3]) for k in range(0, len(gone), 4)])

    def discard(self) -> None:
        """Take out the postings of a batch that was not committed (lookups ignore them anyway)."""
        try:
            self._clean([(q, pack(e.hashes, "<u8"), pack(e.positions, "<u4")) for q, e in self._add])
        except Exception:  # the server went away: they stay unseen
            pass
        self._add, self._remove = [], []

    def _clean(self, dead: list[tuple[int, bytes, bytes]]) -> None:
        """Remove the postings of articles that are not live (replaced, removed, never committed)."""
        postings = self._s._postings
        for q, fp, positions in dead:
            for key, at in zip(_keys(unpack(fp, "<u8", q)), unpack(positions, "<u4", q).tolist()):
                postings.remove_val(key, f"{q}:{at}", buffer=True)
        postings.empty_buffer()
