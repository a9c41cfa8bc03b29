"""Decompressors as generators of blocks, and a child process that runs one.

Only the standard library (and ``zstandard``, imported when zstd is asked for) is
used here, so that :mod:`dedup.compressed` can run this file as a script in a
process of its own: ``python -I -S inflate.py gzip`` inflates its standard input
to its standard output, and on damage writes what came before it, then one line
(the error's class and message) to standard error, and exits with status 3.
Decompressing in a child process takes the work off the reading process whole: a
thread would have to win the GIL back from the parser after every call, and loses
it for the interpreter's switch interval each time (``benchmarks/RESULTS.md``,
"Reading each input format").
"""

from __future__ import annotations

import bz2
import lzma
import os
import sys
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any

FAILED = 3
"""The exit status of a child that met damaged or cut-short data."""


class CutShort(EOFError):
    """Compressed data that ends before its end-of-stream marker."""


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
    import zstandard

    frame: Any = None
    while chunk := stream.read(1 << 12):
        while chunk:
            if frame is None or frame.eof:
                frame = zstandard.ZstdDecompressor().decompressobj()
            if block := frame.decompress(chunk):
                yield block
            chunk = frame.unused_data if frame.eof else b""
    if frame is not None and not frame.eof:
        raise CutShort("zstd data ends before the end of its frame")


BLOCKS: dict[str, Callable[[IO[bytes]], Iterator[bytes]]] = {
    "gzip": _gzip_blocks, "bzip2": _stream_blocks(bz2.BZ2Decompressor, "bzip2"),
    "xz": _stream_blocks(lzma.LZMADecompressor, "xz"), "zstd": _zstd_blocks,
}


def main(argv: list[str]) -> int:
    """Decompress standard input to standard output with the codec ``argv[1]``."""
    out = os.fdopen(1, "wb", buffering=0, closefd=False)
    try:
        for block in BLOCKS[argv[1]](os.fdopen(0, "rb", buffering=CHUNK, closefd=False)):
            out.write(block)
    except BrokenPipeError:  # the reader stopped early: nothing is lost
        return 0
    except Exception as err:  # handed to the reader as one line, raised there as the same class
        sys.stderr.write(f"{type(err).__name__}\t{err}\n")
        return FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
