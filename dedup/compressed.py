"""Compressed input streams: gzip, bzip2, xz and zstd, known by their first bytes.

A file is decompressed as it is read, never held whole. Its codec is the one
its first bytes (magic) name, whatever its name says; a name that claims a
codec (``.jsonl.gz``) the bytes do not hold is :class:`Unreadable`. Data
that breaks off or is corrupt raises one of :data:`ERRORS` while reading, so
a reader reports the line it got to and goes on with the next file. zstd
needs the ``zstandard`` package (the ``zstd`` extra).
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
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
    if codec == "gzip":
        return cast(IO[bytes], gzip.GzipFile(fileobj=stream, mode="rb"))
    if codec == "bzip2":
        return cast(IO[bytes], bz2.BZ2File(stream, "rb"))
    if codec == "xz":
        return cast(IO[bytes], lzma.LZMAFile(stream, "rb"))
    if codec == "zstd":
        if _zstd is None:
            raise Unreadable("zstd input needs the zstd extra: pip install 'dedup[zstd]'")
        return cast(IO[bytes], io.BufferedReader(_Zstd(stream), 1 << 16))
    return cast(IO[bytes], stream)


class _Zstd(io.RawIOBase):
    """zstd frames decompressed as they are read; input that ends inside a frame is
    :class:`CutShort` (``zstandard``'s own stream reader ends there silently)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._frame: Any = None
        self._pending = b""
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._at == len(self._pending):
            self._pending, self._at = b"", 0
            chunk = self._stream.read(1 << 12)  # small: one chunk's output is held whole
            if not chunk:
                if self._frame is not None and not self._frame.eof:
                    raise CutShort("zstd data ends before the end of its frame")
                return 0
            while chunk:
                if self._frame is None or self._frame.eof:
                    self._frame = _zstd.ZstdDecompressor().decompressobj()
                self._pending += self._frame.decompress(chunk)
                chunk = self._frame.unused_data if self._frame.eof else b""
        size = min(len(buffer), len(self._pending) - self._at)
        buffer[:size] = self._pending[self._at : self._at + size]
        self._at += size
        return size
