"""Compressed streams, decompressed in a child process (files) or a few blocks ahead in a
thread (other streams): the same bytes as the codec's own reader, errors where they
happen, and no process or thread left behind."""

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
from pathlib import Path
from typing import IO

import pytest

from dedup import compressed
from dedup.compressed import BLOCK, CHUNK, CutShort, decompressed

Open = Callable[[bytes], IO[bytes]]


@pytest.fixture(params=["thread", "child"])
def opened(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Open:
    """Compressed bytes as the reader gets them: in memory (decompressed in this process)
    or as a file decompressed by a child process (however small)."""
    if request.param == "thread":
        return lambda packed: decompressed(io.BytesIO(packed))
    monkeypatch.setattr(compressed, "CHILD_BYTES", 0)

    def from_file(packed: bytes) -> IO[bytes]:
        path = tmp_path / f"data{len(list(tmp_path.iterdir()))}"
        path.write_bytes(packed)
        handle = path.open("rb")
        request.addfinalizer(handle.close)
        stream = decompressed(handle)
        assert isinstance(getattr(stream, "raw", None), compressed.Piped)
        request.addfinalizer(stream.close)
        return stream

    return from_file


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
def test_many_blocks_read_in_lines_and_pieces_give_the_bytes_compressed(codec: str, opened: Open) -> None:
    data = _text(3 * BLOCK + 12345)
    stream = opened(COMPRESS[codec](data))
    head = b"".join(stream.readline() for _ in range(100))
    assert head + stream.read(777) + stream.read() == data


def test_gzip_members_and_zero_padding_between_them_are_one_stream(opened: Open) -> None:
    data = _text(CHUNK * 3)
    packed = gzip.compress(data[:1000]) + bytes(512) + gzip.compress(data[1000:]) + bytes(3)
    assert opened(packed).read() == data


def _read_until_error(stream: IO[bytes], error: type[BaseException] | tuple[type[BaseException], ...]) -> bytes:
    got = bytearray()
    with pytest.raises(error):
        while piece := stream.read(4096):
            got += piece
    assert stream.read() == b""  # the error is raised once, where it happened
    return bytes(got)


def test_corrupt_gzip_gives_what_comes_before_the_damage_then_an_error(opened: Open) -> None:
    data = _text(4 * CHUNK)
    packed = bytearray(gzip.compress(data, compresslevel=1))
    middle = len(packed) // 2
    packed[middle : middle + 64] = bytes(b ^ 0x5A for b in packed[middle : middle + 64])
    got = _read_until_error(opened(bytes(packed)), zlib.error)
    same = next((i for i, (a, b) in enumerate(zip(got, data)) if a != b), len(got))
    assert len(data) // 3 < same < len(data)  # all before the damage (the middle), garbled bytes after it


@pytest.mark.parametrize("codec", list(COMPRESS))
def test_data_cut_short_gives_what_it_holds_then_says_so(codec: str, opened: Open) -> None:
    data = _text(3 * BLOCK)  # bzip2's blocks are 900 kB: several of them
    packed = COMPRESS[codec](data)
    got = _read_until_error(opened(packed[: len(packed) * 3 // 4]), (CutShort, EOFError))
    assert len(got) > len(data) // 3 and data.startswith(got)


@pytest.mark.parametrize(("codec", "error"), [("xz", lzma.LZMAError), ("bzip2", OSError)])
def test_corrupt_xz_and_bzip2_raise_their_codecs_error(codec: str, error: type[BaseException],
                                                        opened: Open) -> None:
    packed = bytearray(COMPRESS[codec](_text(CHUNK)))
    packed[len(packed) // 2 : len(packed) // 2 + 32] = bytes(32)
    got = _read_until_error(opened(bytes(packed)), error)
    assert _text(CHUNK).startswith(got)


def test_a_file_read_from_where_its_reader_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The child reads on from the reader's place, not from where its buffer got to."""
    monkeypatch.setattr(compressed, "CHILD_BYTES", 0)
    data = _text(CHUNK)
    path = tmp_path / "after-a-header"
    path.write_bytes(b"HEAD" + gzip.compress(data))
    with path.open("rb") as handle:
        assert handle.read(4) == b"HEAD"
        with decompressed(handle) as stream:
            assert stream.read() == data


def test_a_file_closed_before_its_end_stops_its_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compressed, "CHILD_BYTES", 0)
    path = tmp_path / "big.gz"
    path.write_bytes(gzip.compress(_text(8 * BLOCK)))
    with path.open("rb") as handle:
        stream = decompressed(handle)
        assert stream.read(10)
        child = stream.raw._process  # type: ignore[attr-defined]
        stream.close()
    assert child.poll() is not None  # ended (and reaped), not left writing to a pipe nobody reads


def test_small_files_stay_in_this_process(tmp_path: Path) -> None:
    path = tmp_path / "small.gz"
    path.write_bytes(gzip.compress(_text(1000)))
    with path.open("rb") as handle, decompressed(handle) as stream:
        assert isinstance(stream.raw, compressed.Ahead)  # type: ignore[attr-defined]
        assert stream.read() == _text(1000)


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
