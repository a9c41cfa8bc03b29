"""Compressed streams decompressed a few blocks ahead in a thread: the same bytes as the
codec's own reader, errors where they happen, and no thread left behind."""

from __future__ import annotations

import bz2
import gc
import gzip
import io
import lzma
import random
import threading
import time
import zlib
from collections.abc import Callable

import pytest

from dedup.compressed import BLOCK, CHUNK, decompressed


def _text(size: int, seed: int = 3) -> bytes:
    rng = random.Random(seed)
    words = [bytes(rng.choices(b"abcdefghij", k=rng.randint(2, 8))) for _ in range(400)]
    out = bytearray()
    while len(out) < size:
        out += b" ".join(rng.choices(words, k=50)) + b"\n"
    return bytes(out[:size])


def _zstd(data: bytes) -> bytes:
    zstandard = pytest.importorskip("zstandard")
    return zstandard.ZstdCompressor().compress(data[: len(data) // 2]) + zstandard.ZstdCompressor().compress(
        data[len(data) // 2 :])


COMPRESS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.compress, "bzip2": bz2.compress, "xz": lzma.compress, "zstd": _zstd,
}


@pytest.mark.parametrize("codec", list(COMPRESS))
def test_many_blocks_read_in_lines_and_pieces_give_the_bytes_compressed(codec: str) -> None:
    data = _text(3 * BLOCK + 12345)
    stream = decompressed(io.BytesIO(COMPRESS[codec](data)))
    head = b"".join(stream.readline() for _ in range(100))
    assert head + stream.read(777) + stream.read() == data


def test_gzip_members_and_zero_padding_between_them_are_one_stream() -> None:
    data = _text(CHUNK * 3)
    packed = gzip.compress(data[:1000]) + bytes(512) + gzip.compress(data[1000:]) + bytes(3)
    assert decompressed(io.BytesIO(packed)).read() == data


def test_corrupt_gzip_gives_what_comes_before_the_damage_then_an_error() -> None:
    data = _text(4 * CHUNK)
    packed = bytearray(gzip.compress(data, compresslevel=1))
    middle = len(packed) // 2
    packed[middle : middle + 64] = bytes(b ^ 0x5A for b in packed[middle : middle + 64])
    stream = decompressed(io.BytesIO(bytes(packed)))
    got = bytearray()
    with pytest.raises(zlib.error):
        while piece := stream.read(4096):
            got += piece
    same = next((i for i, (a, b) in enumerate(zip(got, data)) if a != b), len(got))
    assert len(data) // 3 < same < len(data)  # all before the damage (the middle), garbled bytes after it


def test_a_stream_left_unread_ends_its_thread() -> None:
    before = threading.active_count()
    stream = decompressed(io.BytesIO(gzip.compress(_text(8 * BLOCK))))
    assert stream.read(10) and threading.active_count() == before + 1
    del stream
    gc.collect()
    for _ in range(100):  # the thread looks at its stop flag every tenth of a second
        if threading.active_count() == before:
            break
        time.sleep(0.05)
    assert threading.active_count() == before
