"""Compressed input streams: gzip, bzip2, xz and zstd, known by their first bytes.

A file is decompressed as it is read, never held whole. Its codec is the one
its first bytes (magic) name, whatever its name says; a name that claims a
codec (``.jsonl.gz``) the bytes do not hold is :class:`Unreadable`. Data
that breaks off or is corrupt raises one of :data:`ERRORS` while reading, so
a reader reports the line it got to and goes on with the next file. zstd
needs the ``zstandard`` package (the ``zstd`` extra).

gzip, bzip2 and xz are decompressed in a thread of their own, a few blocks
ahead of the reader (:class:`Ahead`): their decompressors release the GIL
while they work (zlib on a quarter megabyte of input at a time), so with a
core to spare decompression overlaps with the parsing of what came before
(``benchmarks/RESULTS.md``, "Reading each input format"). zstd, fast and fed
a small chunk at a time (its output per call is not bounded), stays in the
reader's thread.
"""

from __future__ import annotations

import bz2
import io
import lzma
import queue
import threading
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any, cast

from .records import Unreadable

MAGIC = ((b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"), (b"\x28\xb5\x2f\xfd", "zstd"))
SUFFIXES = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bzip2", ".xz": "xz", ".zst": "zstd", ".zstd": "zstd"}


class CutShort(EOFError):
    """Compressed data that ends before its end-of-stream marker."""


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
    blocks = _BLOCKS[codec](stream)
    return cast(IO[bytes], io.BufferedReader(Blocks(blocks) if codec == "zstd" else Ahead(blocks), BLOCK))


BLOCK = 1 << 20
"""Most bytes one call of a decompressor gives (the stream's memory is a few of these)."""
CHUNK = 1 << 18
"""Compressed bytes read at a time."""


def _gzip_blocks(stream: IO[bytes]) -> Iterator[bytes]:
    """The blocks of gzip data, its members one after another (zero padding between them
    allowed). A chunk is inflated in one call, which releases the GIL for its whole length;
    when it is corrupt, it is inflated again from a copy, a little at a time, so that what
    comes before the damage is given first."""
    inflate: Any = None
    data = b""
    while True:
        if not data:
            data = stream.read(CHUNK)
            if not data:
                if inflate is not None and not inflate.eof:
                    raise CutShort("gzip data ends before the end of its stream")
                return
        if inflate is None or inflate.eof:
            if inflate is not None and not (data := data.lstrip(b"\0")):
                continue
            inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        before = inflate.copy()
        try:
            block = inflate.decompress(data, BLOCK)
        except zlib.error:
            yield from _up_to_damage(before, data)
            raise
        data = inflate.unused_data if inflate.eof else inflate.unconsumed_tail
        if block:
            yield block


def _up_to_damage(inflate: Any, data: bytes) -> Iterator[bytes]:
    """What a corrupt chunk inflates to before the damage, a small piece at a time."""
    for at in range(0, len(data), 1 << 12):
        try:
            block = inflate.decompress(data[at : at + (1 << 12)])
        except zlib.error:
            return
        if block:
            yield block


def _stream_blocks(make: Callable[[], Any], codec: str) -> Callable[[IO[bytes]], Iterator[bytes]]:
    """The blocks of bzip2 or xz data (streams one after another) from their decompressor,
    a small chunk at a time (the output of the call that meets damage is lost)."""

    def blocks(stream: IO[bytes]) -> Iterator[bytes]:
        unpack: Any = None
        data = b""
        while True:
            if unpack is not None and not unpack.eof and not unpack.needs_input:
                block = unpack.decompress(b"", PIECE)
            else:
                if not data:
                    data = stream.read(1 << 13)
                    if not data:
                        if unpack is not None and not unpack.eof:
                            raise CutShort(f"{codec} data ends before the end of its stream")
                        return
                if unpack is None or unpack.eof:
                    unpack = make()
                block, data = unpack.decompress(data, PIECE), b""
            if unpack.eof:
                data = unpack.unused_data
            if block:
                yield block

    return blocks


PIECE = 1 << 18
"""Most bytes one call of a bzip2 or xz decompressor gives."""


def _zstd_blocks(stream: IO[bytes]) -> Iterator[bytes]:
    """The blocks of zstd frames; input that ends inside a frame is :class:`CutShort`
    (``zstandard``'s own stream reader ends there silently). A small chunk at a time:
    one chunk's output is held whole."""
    frame: Any = None
    while chunk := stream.read(1 << 12):
        while chunk:
            if frame is None or frame.eof:
                frame = _zstd.ZstdDecompressor().decompressobj()
            if block := frame.decompress(chunk):
                yield block
            chunk = frame.unused_data if frame.eof else b""
    if frame is not None and not frame.eof:
        raise CutShort("zstd data ends before the end of its frame")


_BLOCKS: dict[str, Callable[[IO[bytes]], Iterator[bytes]]] = {
    "gzip": _gzip_blocks, "bzip2": _stream_blocks(bz2.BZ2Decompressor, "bzip2"),
    "xz": _stream_blocks(lzma.LZMADecompressor, "xz"), "zstd": _zstd_blocks,
}


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
