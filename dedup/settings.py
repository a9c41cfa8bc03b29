"""The tuning knobs of a scan, checked once, in one place."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from .errors import SettingsError

WIRE_OUTLETS: tuple[str, ...] = (
    "ap", "associated press", "reuters", "afp", "agence france-presse", "efe",
    "pa", "pa media", "press association", "dpa", "ansa", "xinhua", "upi",
    "bloomberg", "kyodo", "aap", "canadian press", "wire",
)


@dataclass(frozen=True)
class Settings:
    """Parameters of passage finding, alignment and labelling.

    The defaults guarantee that any run of ``shingle + window - 1`` identical
    words (8 by default) shared by two articles makes them a candidate pair,
    and report a span only when at least ``min_words`` words of it match.
    """

    shingle: int = 6
    """Words per shingle (the unit hashed for passage fingerprints)."""
    window: int = 3
    """Shingles per passage; each passage keeps its MinHash minimum (winnowing)."""
    num_perm: int = 128
    """Permutations of the whole-document MinHash signature (datasketch-compatible)."""
    seed: int = 1
    """Seed of the signature permutations (same meaning as datasketch's)."""
    max_bucket: int = 100
    """Articles sharing one fingerprint beyond which only star edges to the
    first few are made (wire copy reprinted hundreds of times, stock phrases)."""
    stock_docs: int = 20
    """A fingerprint in at least this many articles is common; a short span made
    mostly of common fingerprints is a stock phrase, not a match."""
    min_words: int = 8
    """Fewest matching words for a span to be reported."""
    min_block: int = 3
    """Fewest consecutive identical words that anchor a span."""
    max_gap: int = 12
    """Most words on either side between two anchors merged into one span
    (a changed word, a typo, a dropped clause)."""
    min_score: float = 0.75
    """Lowest word similarity of a span (matched words over span length)."""
    min_lowercase: int = 5
    """Fewest words in a span that are not capitalised names or numbers: a chain of
    names and titles ("Secretary of State ... John Kelly") is not copy."""
    quote_slack: int = 6
    """Words outside quotation marks a span may hold (an attribution such as
    "Tillerson said") and still count as a shared quotation."""
    context_words: int = 60
    """A quotation within this many words of copied prose, on both sides, is part of the copy."""
    boilerplate_docs: int = 3
    """A passage in at least this many articles of one outlet is that outlet's
    boilerplate (headers, footers, newsletter pleas)."""
    wire_outlets: tuple[str, ...] = WIRE_OUTLETS
    """Outlet names (lower case) treated as wire services when naming a source."""

    def __post_init__(self) -> None:
        positive = ("shingle", "window", "num_perm", "max_bucket", "stock_docs",
                    "min_words", "min_block", "boilerplate_docs")
        for name in positive:
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise SettingsError(f"{name} must be a positive integer, got {value!r}")
        for name in ("max_gap", "quote_slack", "min_lowercase", "context_words"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise SettingsError(f"{name} must be an integer >= 0, got {value!r}")
        if not 0.0 <= self.min_score <= 1.0:
            raise SettingsError(f"min_score must be in [0.0, 1.0], got {self.min_score!r}")
        if self.min_block > self.min_words:
            raise SettingsError("min_block must not exceed min_words")

    @property
    def guaranteed_words(self) -> int:
        """Length of a shared run of identical words that is always a candidate."""
        return self.shingle + self.window - 1

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["wire_outlets"] = list(self.wire_outlets)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Settings":
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(unknown)}")
        values = dict(data)
        if "wire_outlets" in values:
            values["wire_outlets"] = tuple(values["wire_outlets"])
        return cls(**values)

