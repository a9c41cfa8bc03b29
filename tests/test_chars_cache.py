"""The character tables are made once and kept: what is read back is what would be made."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from dedup import chars


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    chars.tables.cache_clear()
    yield tmp_path / "dedup"
    chars.tables.cache_clear()


def same(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...]) -> bool:
    return all(x.dtype == y.dtype and np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_tables_are_kept_and_read_back_as_made(cache: Path) -> None:
    made = chars.tables()
    kept = list(cache.glob("chars-*.npz"))
    assert len(kept) == 1 and kept[0] == chars.cache_file()
    chars.tables.cache_clear()
    assert same(chars.tables(), made)
    assert same(made, chars._make_tables())


def test_a_broken_cache_file_is_made_again(cache: Path) -> None:
    path = chars.cache_file()
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not an npz file")
    assert same(chars.tables(), chars._make_tables())
    with np.load(path, allow_pickle=False) as kept:
        assert set(kept.files) == {"cls", "at", "codes"}


def test_without_a_place_to_keep_them_they_are_made(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache.parent / "a-file"))
    (cache.parent / "a-file").write_text("")  # a file where the folder would go
    assert same(chars.tables(), chars._make_tables())
