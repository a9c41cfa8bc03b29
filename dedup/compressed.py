"""Compressed input streams: gzip, bzip2, xz and zstd, known by their first bytes.

A file is decompressed as it is read, never held whole. Its codec is the one
its first bytes (magic) name, whatever its name says; a name that claims a
codec (``.jsonl.gz``) the bytes do not hold is :class:`Unreadable`. Data
that breaks off or is corrupt raises one of :data:`ERRORS` while reading, so
a reader reports the line it got to and goes on with the next file. zstd
needs the ``zstandard`` package (the ``zstd`` extra).

A file of at least :data:`CHILD_BYTES` is decompressed in a child process
(:mod:`dedup.inflate` run as a script) that writes to a pipe the reader parses
from, so that decompression runs on a core of its own: the reader's cost per
article is that of the plain file (``benchmarks/RESULTS.md``, "Reading each
input format"). A thread could not do that: it wins the GIL back from the
parser only after the interpreter's switch interval, after every call of the
decompressor. Smaller files, and streams that are not files (standard input,
bytes in memory), are decompressed in a thread a few blocks ahead of the
reader (:class:`Ahead`, gzip, bzip2 and xz) or in the reader's own thread
(zstd, fed a small chunk at a time: its output per call is not bounded).
"""

from __future__ import annotations

import io
import lzma
import os
import queue
import stat
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

from . import inflate
from .inflate import BLOCK, CHUNK, CutShort
from .records import Unreadable

try:
    import fcntl
except ImportError:  # not a POSIX system: the pipe keeps its default size
    fcntl = None  # type: ignore[assignment]

__all__ = ["BLOCK", "CHILD_BYTES", "CHUNK", "ERRORS", "CutShort", "base_suffix", "codec_of", "decompressed"]

MAGIC = ((b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"), (b"\x28\xb5\x2f\xfd", "zstd"))
SUFFIXES = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bzip2", ".xz": "xz", ".zst": "zstd", ".zstd": "zstd"}


ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error, lzma.LZMAError)
"""What reading a decompressed stream may raise when its data is corrupt or cut short."""
try:
    import zstandard as _zstd

    ERRORS += (_zstd.ZstdError,)
except ImportError:  # the zstd extra is not installed
    _zstd = None  # type: ignore[assignment]


def base_suffix(name: str) -> tuple[str, str | None]:
    """A file name's suffix under any compression suffix, and the codec that suffix
    claims: ``("".jsonl", "gzip")`` for ``a.jsonl.gz``."""
    lower = name.lower()
    stem, dot, last = lower.rpartition(".")
    codec = SUFFIXES.get(dot + last) if dot else None
    if codec is not None:
        lower = stem
    _, dot, last = lower.rpartition(".")
    return (dot + last if dot else ""), codec


def codec_of(head: bytes) -> str | None:
    """The codec the first bytes of a stream name, or None for uncompressed data."""
    return next((codec for magic, codec in MAGIC if head.startswith(magic)), None)


def decompressed(source: IO[bytes], claimed: str | None = None) -> IO[bytes]:
    """The bytes of ``source`` decompressed as its magic says (the stream itself if it is
    not compressed); :class:`Unreadable` if the name ``claimed`` a codec it does not hold,
    or the codec's package is missing."""
    stream: Any = source if hasattr(source, "peek") else io.BufferedReader(cast(Any, source))
    codec = codec_of(stream.peek(8)[:8])
    if claimed is not None and codec != claimed:
        raise Unreadable(f"named as {claimed} data, but its first bytes are not {claimed}")
    if codec == "zstd" and _zstd is None:
        raise Unreadable("zstd input needs the zstd extra: pip install 'dedup[zstd]'")
    if codec is None:
        return cast(IO[bytes], stream)
    child = _child(stream, codec)
    if child is not None:
        return cast(IO[bytes], io.BufferedReader(child, BLOCK))
    blocks = inflate.BLOCKS[codec](stream)
    return cast(IO[bytes], io.BufferedReader(Blocks(blocks) if codec == "zstd" else Ahead(blocks), BLOCK))


CHILD_BYTES = 1 << 20
"""The smallest compressed file decompressed in a child process (starting one takes
about 10 ms, what parsing half a megabyte of JSONL takes)."""

PIPE_BYTES = 1 << 20
"""The pipe's capacity asked for (Linux): with the default 64 kB the child and the
reader wait on each other at every few articles."""


def _child(stream: Any, codec: str) -> Piped | None:
    """A child process decompressing ``stream`` from where it is read to, when it is a
    regular file of at least :data:`CHILD_BYTES` left; None otherwise, or when no child
    can be started (the caller decompresses in this process)."""
    script = Path(inflate.__file__)
    try:
        fd = stream.fileno()
        status = os.fstat(fd)
        at = stream.tell()
    except (AttributeError, OSError, ValueError):
        return None
    if not stat.S_ISREG(status.st_mode) or status.st_size - at < CHILD_BYTES or not sys.executable \
            or not script.is_file():
        return None
    os.lseek(fd, at, os.SEEK_SET)  # the child reads on from the reader's place, not its buffer's
    flags = ["-I"] if codec == "zstd" else ["-I", "-S"]  # zstandard lives in site-packages
    try:
        process = subprocess.Popen([sys.executable, *flags, str(script), codec], stdin=fd, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
    except OSError:
        return None
    if fcntl is not None and hasattr(fcntl, "F_SETPIPE_SZ"):
        try:
            fcntl.fcntl(cast(IO[bytes], process.stdout).fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        except OSError:  # a lower limit in /proc/sys/fs/pipe-max-size: the default pipe works, slower
            pass
    return Piped(process)


def _raised(name: str, message: str) -> BaseException:
    """The error a child's one line names, as the class decompressing here would raise."""
    classes: dict[str, type[BaseException]] = {"CutShort": CutShort, "error": zlib.error,
                                               "LZMAError": lzma.LZMAError, "EOFError": EOFError}
    if _zstd is not None:
        classes["ZstdError"] = _zstd.ZstdError
    return classes.get(name, OSError)(message)


class Piped(io.RawIOBase):
    """The output of a child process decompressing a file: its bytes, then, where the
    data was damaged, the error the child met (after the bytes before the damage). A
    stream closed before its end stops its child."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._pipe = cast(io.RawIOBase, process.stdout)
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._done:
            return 0
        size = self._pipe.readinto(buffer)
        if not size:
            self._done = True
            code = self._process.wait()
            said = cast(IO[bytes], self._process.stderr).read().decode("utf-8", "replace").strip()
            if code == inflate.FAILED:
                name, _, message = said.partition("\t")
                raise _raised(name, message)
            if code != 0:
                raise OSError(f"decompression stopped (status {code}){': ' + said if said else ''}")
        return size or 0

    def close(self) -> None:
        if not self.closed:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
            for pipe in (self._process.stdout, self._process.stderr):
                if pipe is not None:
                    pipe.close()
        super().close()


class Blocks(io.RawIOBase):
    """A stream of the blocks a generator gives."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        self._blocks = blocks
        self._block, self._at = b"", 0

    def readable(self) -> bool:
        return True

    def _next(self) -> bytes:
        return next(self._blocks, b"")

    def readinto(self, buffer: Any) -> int:
        if self._at == len(self._block):
            self._block, self._at = self._next(), 0
        size = min(len(buffer), len(self._block) - self._at)
        buffer[:size] = memoryview(self._block)[self._at : self._at + size]
        self._at += size
        return size


class Ahead(Blocks):
    """The blocks of a generator made a few ahead in a thread of its own, so that
    decompression (which releases the GIL) overlaps with the parsing of the blocks before.
    What the generator raises is raised to the reader where it happened: after the blocks
    before it. The thread holds no reference to the stream, so a stream left unread is
    closed when it is collected, and its thread ends."""

    AHEAD = 3
    """Blocks held at most, made and not yet read."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        super().__init__(iter(()))
        self._queue: queue.Queue[bytes | BaseException] = queue.Queue(self.AHEAD)
        self._stop = threading.Event()
        self._done = False
        threading.Thread(target=_fill, args=(blocks, self._queue, self._stop), daemon=True).start()

    def _next(self) -> bytes:
        if self._done:
            return b""
        item = self._queue.get()
        self._done = not item or isinstance(item, BaseException)
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        self._stop.set()
        super().close()


def _fill(blocks: Iterator[bytes], ahead: queue.Queue[bytes | BaseException], stop: threading.Event) -> None:
    """Queue the blocks, then ``b""`` or what making them raised, until ``stop``."""

    def put(item: bytes | BaseException) -> bool:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    try:
        for block in blocks:
            if not put(block):
                return
        put(b"")
    except BaseException as err:  # handed to the reader, raised there
        put(err)
