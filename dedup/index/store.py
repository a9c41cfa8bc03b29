"""What an index keeps and how it is reached: the seam between the index and its storage.

A store holds, for every indexed article, its text (to align against), its
metadata and its passage fingerprints, keyed by a sequence number that only
grows, so "what was added since" is one comparison. The settings the index
was built with are stored with it: fingerprints made with another
``shingle`` or ``window`` would never match, so opening with different ones
is an error; every other setting may change from run to run.
"""

from __future__ import annotations

import functools
import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

import numpy as np

from ..errors import IndexStoreError
from ..model import Article
from ..settings import Settings

FORMAT = 3
"""Version of the stored layout; bump it when the layout changes (and say so in CHANGELOG.md).
2: each article records whether it repeats a story of its outlet. 3: words and
fingerprints of the tokenizer of every script (CJK and Thai characters as words,
NFKC, invisible characters and look-alikes folded); the words an older index
stores would not match, so it is refused (build it again from its articles)."""
READS = (3,)
"""Layouts this dedup reads."""


POSITION_BITS = 32
"""Postings pack ``seq << POSITION_BITS | position`` into one int64: up to 2**31
articles, and positions below :data:`NO_SEED`."""
NO_SEED = 0xFFFFFFFF
"""Stored instead of a position for a fingerprint that occurs more than once in
its article: no single window around it tells whether the pair copies (a seed of
-1 for :func:`dedup.sift.worth_aligning`). Indexes written before this keep the
first position."""
MAX_WORDS = NO_SEED - 1
"""Most words of one indexed article (positions must stay below :data:`NO_SEED`);
a longer one is an error when it is added, never postings that spill over."""
MAX_SEQ = (1 << (63 - POSITION_BITS)) - 1
"""Highest article number the packing holds."""


@dataclass(frozen=True)
class Entry:
    """An article to index: its distinct fingerprints, the word where each first
    occurs, and its words as 16-bit hashes (enough to tell whether two articles
    share a run of identical words around a shared fingerprint)."""

    article: Article
    hashes: np.ndarray  # uint64, sorted, distinct
    positions: np.ndarray  # uint32, aligned with hashes (NO_SEED: repeated in the article)
    words: np.ndarray  # uint16, one per word
    repeat: bool = False
    """It repeats a story of its outlet (:func:`dedup.candidates.repeated_story`, by the
    counts of the index when it was added): its passages do not make furniture."""


@dataclass(frozen=True)
class Hits:
    """Postings found for query hashes: ``query[k]`` (an index into the query)
    is held by article ``seq[k]`` at word ``position[k]``; ``outlet[k]`` is its
    outlet and ``repeat[k]`` whether it repeats a story of that outlet."""

    query: np.ndarray  # int64
    seq: np.ndarray  # int64
    position: np.ndarray  # int64
    outlet: np.ndarray  # int64
    repeat: np.ndarray  # bool

    @classmethod
    def empty(cls) -> Hits:
        zero = np.zeros(0, np.int64)
        return cls(zero, zero, zero, zero, np.zeros(0, dtype=bool))

    def __len__(self) -> int:
        return len(self.seq)


@dataclass(frozen=True)
class Compacted:
    """What compacting a store did: entries trimmed from its log of removals and its
    size in bytes before and after; ``note`` says why a store had nothing to do."""

    trimmed: int = 0
    before: int | None = None
    after: int | None = None
    note: str = ""


class Writer(Protocol):
    """Changes made while a store's write lock is held; none is visible to others
    until the ``writing()`` block ends without error, and then all are at once."""

    def add(self, entries: Sequence[Entry]) -> None:
        """Index these articles; an id already indexed is replaced (in the same commit)."""

    def remove(self, ids: Iterable[str]) -> list[str]:
        """Remove articles by id; returns the ids that were indexed."""


class Store(Protocol):
    """Storage of an index (embedded SQLite file or a shared Redis)."""

    location: str
    settings: Settings

    def refresh(self) -> None:
        """See what other processes committed since the last look."""

    def last_seq(self) -> int:
        """Sequence number of the last committed article seen."""

    def lookup(self, hashes: np.ndarray, after: int = 0) -> Hits:
        """Postings of live articles numbered above ``after`` holding any of ``hashes``."""

    def fetch(self, seqs: Sequence[int]) -> dict[int, Article]:
        """Stored articles by sequence number (those still there)."""

    def words(self, seqs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The 16-bit word keys of stored articles (see :class:`Entry`): a flat array,
        and where the words of each of ``seqs`` start in it and how many there are
        (none for an article no longer there)."""

    def seqs(self, ids: Sequence[str]) -> dict[str, int]:
        """The sequence numbers of those of ``ids`` that are indexed."""

    def dates(self, page: int) -> Iterator[list[tuple[str, str | None]]]:
        """Every indexed article's id and date as stored (None: undated), about ``page``
        at a time; the store may be written between two pages (:meth:`dedup.index.Index.expire`)."""

    def compact(self) -> Compacted:
        """Give back the space removed articles left, without ever leaving the index unreadable."""

    def writing(self) -> AbstractContextManager[Writer]:
        """Hold the write lock; changes are committed when the block ends without error,
        and none of them is if it raises (or the process dies before its end)."""

    def count(self) -> int:
        """Articles indexed."""

    def stats(self) -> dict[str, Any]:
        """Figures about the index for ``dedup index stats``."""

    def close(self) -> None:
        """Release the connection."""


F = TypeVar("F", bound=Callable[..., Any])


class Damaged(ValueError):
    """Stored data that this layout cannot hold: the index was changed by something else."""


def guarded(method: F) -> F:
    """Turn the storage's own errors (``self._error``) and damaged data into an
    :class:`IndexStoreError` naming the index."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except self._error as err:
            raise IndexStoreError(f"{self.location}: {err}") from None
        except Damaged as err:
            raise IndexStoreError(f"{self.location} is damaged: {err}") from None

    return cast(F, wrapper)


def outlet_code(outlet: str | None) -> int:
    """A stable 63-bit number for an outlet name (0 for none), the same in every process."""
    if not outlet:
        return 0
    digest = hashlib.blake2b(outlet.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1 or 1


def pack_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 1)  # fastest level: about 10% larger than the default


def unpack_text(blob: bytes, seq: int | str = "?") -> str:
    try:
        return zlib.decompress(blob).decode("utf-8")
    except (zlib.error, UnicodeDecodeError, TypeError) as err:
        raise Damaged(f"the text of article {seq} does not unpack ({err})") from None


def unpack_extra(text: str, seq: int | str = "?") -> dict[str, Any]:
    """An article's pass-through fields, stored as a JSON object."""
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, TypeError) as err:
        raise Damaged(f"the fields of article {seq} are not JSON ({err})") from None
    if not isinstance(value, dict):
        raise Damaged(f"the fields of article {seq} are not a JSON object")
    return value


def pack(values: np.ndarray, dtype: str) -> bytes:
    """An array as raw little-endian bytes (``<u8``, ``<u4``, ``<u2``): never a pickle."""
    return np.ascontiguousarray(values, dtype=dtype).tobytes()


SIZES = {"<u8": 8, "<u4": 4, "<u2": 2}
NAMES = {"<u8": "fingerprints", "<u4": "positions", "<u2": "words"}


def _whole(blob: bytes | None, dtype: str, seq: int | str) -> None:
    if blob and len(blob) % SIZES[dtype]:
        raise Damaged(f"the {NAMES[dtype]} of article {seq} are {len(blob)} bytes, "
                      f"not a whole number of {SIZES[dtype]}-byte values")


def unpack(blob: bytes | None, dtype: str, seq: int | str = "?") -> np.ndarray:
    native = {"<u8": np.uint64, "<u4": np.uint32, "<u2": np.uint16}[dtype]
    _whole(blob, dtype, seq)
    return np.frombuffer(blob or b"", dtype=dtype).astype(native, copy=False)


def check_shape(seq: int | str, fingerprints: bytes | None, positions: bytes | None, words: bytes | None) -> None:
    """Raise :class:`Damaged` unless an article's stored arrays fit together: whole
    values, and one position per fingerprint. (By their lengths alone: it runs for
    every article when an index opens.)"""
    for blob, dtype in ((fingerprints, "<u8"), (positions, "<u4"), (words, "<u2")):
        _whole(blob, dtype, seq)
    if len(fingerprints or b"") // 8 != len(positions or b"") // 4:
        raise Damaged(f"article {seq} has {len(fingerprints or b'') // 8} fingerprints "
                      f"but {len(positions or b'') // 4} positions")


def check_settings(location: str, stored: str | bytes | None, wanted: Settings | None) -> Settings:
    """The settings to run with: ``wanted`` (or, without it, the stored ones), once
    the settings that shape what the index holds (:meth:`Settings.shape`) are
    found equal; any other setting may differ from run to run."""
    try:
        have = Settings.from_dict(json.loads(stored or ""))
    except (TypeError, ValueError, AttributeError) as err:
        raise IndexStoreError(f"{location}: stored settings are unreadable ({err}); "
                              "the index is damaged") from None
    if wanted is None:
        return have
    differ = [f"{name}={value!r} (index has {have.shape()[name]!r})"
              for name, value in wanted.shape().items() if value != have.shape()[name]]
    if differ:
        raise IndexStoreError(
            f"{location} was built with other settings: {', '.join(differ)}; these decide which fingerprints "
            "it holds, so open it without them (or with the index's) or build a new index")
    return wanted
