"""An index file's fingerprints frozen into memory-mapped files beside it.

Loading every posting of a large index into memory at its first check costs
seconds per 100,000 articles and as much memory as the postings take. So an
index file keeps them in a few more files, each sorted once: their postings
(fingerprint and ``seq << bits | position``, two flat arrays), a directory of
their top bits, and each article's liveness, outlet code, repeat flag and
16-bit words. Opening one maps it; only the pages a lookup touches are read,
and the operating system shares them between processes.

A file holds the articles numbered ``lo + 1`` to ``upto`` as the index held
them at one committed moment (every removal logged up to ``removed``); the
files of an index follow one another, and a reader takes the articles after
the last one, and the removals after the first, from the database. A file is
written whole under a name of its own and only then named in the database
(:mod:`.sqlite_store`), so no reader ever maps a half-written one; it holds
raw little-endian arrays after a JSON header, never a pickle.
"""

from __future__ import annotations

import json
import mmap
import os
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from .postings import Frozen, Resident, Run

MAGIC = b"DEDUPFP\x00"
VERSION = 1
"""Version of this file's layout (it is also named in ``FORMAT``'s history, CHANGELOG.md)."""
ALIGN = 64
PER_BUCKET = 16
"""Average postings per directory bucket: the directory stays a sixteenth of the postings."""
CHUNK_BITS = 6
"""Postings are merged and written in ``2**CHUNK_BITS`` parts by their top bits, so a freeze holds
about that fraction of them in memory at a time."""
SEQ_CHUNK = 65_536
"""Articles whose words are copied at a time."""
COLUMNS = (("hashes", "<u8"), ("values", "<i8"), ("directory", "<i8"), ("alive", "u1"), ("repeat", "u1"),
           ("outlet", "<i8"), ("word_start", "<i8"), ("word_len", "<i8"), ("words", "<u2"))


class Unreadable(ValueError):
    """A frozen file that cannot be used: the index then loads from its database."""


def _aligned(at: int) -> int:
    return -(-at // ALIGN) * ALIGN


def read(path: Path, token: str) -> Frozen:
    """Map a frozen file, once its header says it is the one the database names (``token``)."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size < 16:
            raise Unreadable(f"{path.name} is too short")
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if mapped[:8] != MAGIC:
        raise Unreadable(f"{path.name} is not a frozen fingerprint file")
    length = int.from_bytes(mapped[8:16], "little")
    try:
        head: dict[str, Any] = json.loads(mapped[16 : 16 + length])
        if head["version"] != VERSION or head["token"] != token:
            raise Unreadable(f"{path.name} is not the file the index names")
        arrays = {}
        for name, dtype in COLUMNS:
            offset, count = head["columns"][name]
            if offset + count * np.dtype(dtype).itemsize > size:
                raise Unreadable(f"{path.name} is cut short")
            arrays[name] = np.frombuffer(mapped, dtype=dtype, count=count, offset=offset)
        frozen = Frozen(head["token"], int(head["lo"]), int(head["upto"]), int(head["removed"]), int(head["shift"]),
                        arrays["hashes"].view(np.uint64), arrays["values"].view(np.int64), arrays["directory"],
                        arrays["alive"].view(bool), arrays["repeat"].view(bool), arrays["outlet"],
                        arrays["word_start"], arrays["word_len"], arrays["words"].view(np.uint16))
    except (ValueError, KeyError, TypeError) as err:
        raise Unreadable(f"{path.name}: {err}") from None
    if len(frozen.alive) != frozen.upto - frozen.lo or len(frozen.hashes) != len(frozen.values):
        raise Unreadable(f"{path.name} does not hold what its header says")
    return frozen


def _bits(n: int) -> int:
    return max(CHUNK_BITS, int(np.log2(max(n, 1) / PER_BUCKET)))


def write(path: Path, memory: Resident, runs: list[Run], *, token: str, lo: int, upto: int, removed: int) -> None:
    """Write the live postings of ``runs`` (those of articles ``lo + 1..upto``) and what
    ``memory`` holds of those articles to a new file at ``path``, synced to disk; the
    caller names it in the database after."""
    bits = memory.bits
    alive, repeat, outlet, word_len = (_between(column.data, lo, upto) for column in
                                       (memory.alive, memory.repeat, memory.outlet, memory.word_len))
    live = _between(memory.alive.data, -1, upto)  # by article number, for the postings
    kept = sum(int(np.count_nonzero(live[run.values[k : k + (1 << 24)] >> bits]))
               for run in runs for k in range(0, len(run), 1 << 24))
    shift_bits = _bits(kept)
    lengths = np.where(alive, word_len, 0)
    n = upto - lo
    columns = {"hashes": kept, "values": kept, "directory": (1 << shift_bits) + 1, "alive": n, "repeat": n,
               "outlet": n, "word_start": n, "word_len": n, "words": int(lengths.sum())}
    head: dict[str, Any] = {"version": VERSION, "token": token, "lo": lo, "upto": upto, "removed": removed,
                            "shift": 64 - shift_bits, "columns": {}}
    at = 0
    for name, dtype in COLUMNS:  # offsets after a header of at most 4 KB
        head["columns"][name] = (4096 + at, columns[name])
        at = _aligned(at + columns[name] * np.dtype(dtype).itemsize)
    text = json.dumps(head).encode()
    offsets = {name: head["columns"][name][0] for name, _ in COLUMNS}
    with open(path, "wb") as out:
        out.write(MAGIC + len(text).to_bytes(8, "little") + text)
        out.truncate(4096 + at)
        _postings(out, offsets, runs, live, bits, shift_bits)
        starts = np.cumsum(lengths) - lengths
        per_seq = {"alive": alive, "repeat": repeat, "outlet": outlet, "word_start": starts, "word_len": lengths}
        for name, values in per_seq.items():
            _put(out, offsets[name], values, dict(COLUMNS)[name])
        for k in range(0, n, SEQ_CHUNK):
            seqs = np.arange(k, min(k + SEQ_CHUNK, n), dtype=np.int64)
            flat, _, _ = memory.word_spans(seqs[alive[seqs]] + lo + 1)
            _put(out, offsets["words"] + 2 * int(starts[k]), flat, "<u2")
        out.flush()
        os.fsync(out.fileno())


def _between(values: np.ndarray, lo: int, upto: int) -> np.ndarray:
    """``values[lo + 1 : upto + 1]``, zeros past the end."""
    out = np.zeros(upto - lo, dtype=values.dtype)
    have = values[lo + 1 : upto + 1]
    out[: len(have)] = have
    return out


def _put(out: BinaryIO, offset: int, values: np.ndarray, dtype: str) -> None:
    out.seek(offset)
    out.write(np.ascontiguousarray(values, dtype=dtype).data.cast("B"))


def _postings(out: BinaryIO, offsets: dict[str, int], runs: list[Run], alive: np.ndarray, bits: int,
              shift_bits: int) -> None:
    """The live postings of every run, merged in parts by their top bits, and the directory."""
    parts = 1 << CHUNK_BITS
    per_part = 1 << (shift_bits - CHUNK_BITS)
    firsts = np.arange(parts, dtype=np.uint64) << np.uint64(64 - CHUNK_BITS)
    cuts = [np.append(run.search(firsts), len(run)) for run in runs]
    done = 0
    for part in range(parts):
        found_h, found_v = [], []
        for run, cut in zip(runs, cuts):
            values = np.asarray(run.values[cut[part] : cut[part + 1]])
            live = alive[values >> bits]
            found_h.append(np.asarray(run.hashes[cut[part] : cut[part + 1]])[live])
            found_v.append(values[live])
        hashes = np.concatenate(found_h) if found_h else np.zeros(0, np.uint64)
        values = np.concatenate(found_v) if found_v else np.zeros(0, np.int64)
        order = np.argsort(hashes, kind="stable")  # sorted runs one after another: a merge
        hashes, values = hashes[order], values[order]
        tops = (np.arange(per_part, dtype=np.uint64) + np.uint64(part * per_part)) << np.uint64(64 - shift_bits)
        _put(out, offsets["directory"] + 8 * part * per_part, np.searchsorted(hashes, tops) + done, "<i8")
        _put(out, offsets["hashes"] + 8 * done, hashes, "<u8")
        _put(out, offsets["values"] + 8 * done, values, "<i8")
        done += len(hashes)
    _put(out, offsets["directory"] + 8 * (parts * per_part), np.array([done]), "<i8")
