"""The tuning knobs of a scan, checked once, in one place."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
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
    bridge_words: int = 0
    """Most words on either side between two chains of anchors bridged into one span when
    their content words, stemmed, say the same thing (a reworded sentence), and so extended;
    0 (the default, for now: it costs alignment time): neither. 24 is what the accuracy
    benchmark measured."""
    rewritten_score: float = 0.8
    """Word similarity (a span's ``score``) below which a copied prose span whose content
    words, stemmed, still follow the other side's in order is ``rewritten``, not ``prose``
    (:mod:`dedup.kinds`): heavy rewrites measure 0.64-0.82 on the rewriting benchmark,
    light rewrites, edits and scans 0.86 and up there and in the accuracy benchmark
    (benchmarks/RESULTS.md). 0: nothing is rewritten."""
    language: str = "english"
    """The Snowball stemmer that bridging stems content words with."""
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
    max_expect: float = 1.0
    """A pair whose every span the corpus would show this many times or more between
    unrelated articles (its ``expect``, :mod:`dedup.chance`) rests on chance: not reported."""
    wire_outlets: tuple[str, ...] = WIRE_OUTLETS
    """Outlet names treated as wire services when naming a source (matched without regard to case)."""

    def __post_init__(self) -> None:
        for name in ("shingle", "window", "num_perm", "max_bucket", "stock_docs", "min_words", "min_block",
                     "boilerplate_docs"):
            _check_int(name, getattr(self, name), 1)
        for name in ("seed", "max_gap", "quote_slack", "min_lowercase", "context_words", "bridge_words"):
            _check_int(name, getattr(self, name), 0)
        for name in ("min_score", "rewritten_score"):
            score = getattr(self, name)
            if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0.0 <= score <= 1.0:
                raise SettingsError(f"{name} must be a number in [0.0, 1.0], got {score!r}")
        bar = self.max_expect
        if isinstance(bar, bool) or not isinstance(bar, (int, float)) or not (0.0 < bar < math.inf):
            raise SettingsError(f"max_expect must be a positive finite number, got {bar!r}")
        if not isinstance(self.language, str) or not self.language:
            raise SettingsError(f"language must be the name of a Snowball stemmer, got {self.language!r}")
        if self.min_block > self.min_words:
            raise SettingsError("min_block must not exceed min_words")
        wires: object = self.wire_outlets
        if not isinstance(wires, (tuple, list)) or not all(
                isinstance(w, str) and any(c.isalpha() for c in w) for w in wires):
            raise SettingsError(f"wire_outlets must be a list of outlet names, got {wires!r}")
        # outlets are matched case-insensitively
        object.__setattr__(self, "wire_outlets", tuple(dict.fromkeys(str(w).strip().lower() for w in wires)))

    @property
    def guaranteed_words(self) -> int:
        """Length of a shared run of identical words that is always a candidate."""
        return self.shingle + self.window - 1

    def shape(self) -> dict[str, Any]:
        """The settings that shape what an index stores (fingerprints and where they
        sit): an index can only be read with these as it was built."""
        return {name: getattr(self, name) for name in SHAPE}

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["wire_outlets"] = list(self.wire_outlets)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Settings:
        """Settings from plain values (a report's or an index's ``settings``); the
        values keep their JSON types and are checked as the constructor checks them."""
        _known(data)
        values = dict(data)
        if isinstance(values.get("wire_outlets"), list):
            values["wire_outlets"] = tuple(values["wire_outlets"])
        return cls(**values)

    @classmethod
    def parse(cls, items: Iterable[str], base: Settings | None = None) -> Settings:
        """Settings from ``NAME=VALUE`` strings (the command line's ``--set``), over
        ``base``. A list (``wire_outlets``) is a JSON list or comma-separated names."""
        values: dict[str, Any] = {}
        for item in items:
            name, sep, raw = item.partition("=")
            name = name.strip()
            if not sep or not name:
                raise SettingsError(f"--set takes NAME=VALUE, got {item!r}")
            _known({name: None})
            values[name] = _parse_value(name, raw.strip())
        return replace(base or cls(), **values)


SHAPE = ("shingle", "window")
"""Settings that decide which fingerprints are taken and where (see :meth:`Settings.shape`);
every other setting applies when a pair is aligned or judged and may change from run to run."""


def _check_int(name: str, value: Any, least: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        what = "a positive integer" if least == 1 else f"an integer >= {least}"
        raise SettingsError(f"{name} must be {what}, got {value!r}")


def _known(data: Mapping[str, Any]) -> None:
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise SettingsError(f"unknown setting(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")


def _parse_value(name: str, raw: str) -> Any:
    """One ``--set`` value, read as the type its setting takes."""
    kind = type(getattr(Settings(), name))
    if kind is int:
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"--set {name}={raw}: {name} takes a whole number") from None
    if kind is float:
        try:
            value = float(raw)
        except ValueError:
            raise SettingsError(f"--set {name}={raw}: {name} takes a number") from None
        if not math.isfinite(value):
            raise SettingsError(f"--set {name}={raw}: {name} takes a finite number")
        return value
    if kind is str:
        return raw
    if raw.startswith("["):
        try:
            items = json.loads(raw)
        except json.JSONDecodeError as err:
            raise SettingsError(f"--set {name}={raw}: not a JSON list ({err.msg})") from None
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise SettingsError(f"--set {name}={raw}: {name} takes a list of names")
        return tuple(items)
    return tuple(part.strip() for part in raw.split(",") if part.strip())
