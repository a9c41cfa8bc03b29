"""Will a local scan fit in memory? Asked once the texts are read, before the stages
that need the most of it.

A scan that runs out of memory is killed by the kernel, often an hour in and with
nothing to say why. The memory a scan needs beyond the texts it holds grows with
their characters, at ratios measured on the speed benchmark's corpus
(``benchmarks/RESULTS.md``, "Memory a local scan needs"), and with the candidate
pairs it aligns, which a corpus dense in shared passages has many more of. It is
checked twice: before the scan starts, from the characters alone, and once the
words and candidate pairs to align are known, before alignment, which holds the
most (a text without spaces has many more words to a character).
Compared with what the machine, and the control group the process runs in, has
available (memory in use by the page cache counts as available: the kernel gives
it back), a scan that cannot fit stops with the figure it needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import MemoryShort

IN_RAM = 8.5
"""Bytes a scan needs per character of text, beyond the texts, with its words in RAM."""
SPILLED = 2.0
"""The same, with its words in memory-mapped files of the work folder (what a corpus of
more than :data:`~dedup.local.corpus.SPILL_WORDS` words does)."""
PER_WORD = 6.0
"""Characters a word of the corpus the ratios were measured on takes (6.0: English news):
once the words are counted, a scan needs the larger of its characters' and its words'
figure, so a corpus of Chinese or Japanese text (a word to a character) is not underrated."""
PER_PAIR = 2000
"""Bytes a scan needs per candidate pair it aligns (its spans, and the match it may become)."""
BASE = 64 << 20
"""Bytes a scan needs whatever its size (workers, tables)."""

__all__ = ["Available", "MemoryShort", "available", "check", "needed", "parse_size"]

_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Available:
    """Bytes the scan may use, and where that figure comes from (for the message)."""

    bytes: int
    source: str


def needed(characters: int, *, spilled: bool, pairs: int = 0, words: int = 0) -> int:
    """Bytes a scan of texts of ``characters`` in all needs beyond the texts themselves,
    when it has ``words`` words and ``pairs`` candidate pairs to align (0: not known yet)."""
    size = max(characters, int(words * PER_WORD))
    return BASE + int(size * (SPILLED if spilled else IN_RAM)) + PER_PAIR * pairs


def parse_size(value: str) -> int:
    """``"6GB"``, ``"512M"``, ``"1.5g"``, ``"0"``: bytes (powers of 1024); ValueError otherwise."""
    found = _SIZE.fullmatch(value)
    if not found:
        raise ValueError(f"not a size: {value!r} (give bytes, or a number with K, M, G or T, e.g. 6GB)")
    number, unit = float(found[1]), found[2].lower()
    return int(number * (1 << (10 * " kmgt".index(unit or " "))))


def shown(size: float) -> str:
    """A size in the unit a reader takes in at a glance."""
    for unit, power in (("GB", 30), ("MB", 20)):
        if size >= 1 << power:
            return f"{size / (1 << power):.1f} {unit}" if power == 30 else f"{size / (1 << power):.0f} {unit}"
    return f"{size / 1024:.0f} kB"


def available(root: Path = Path("/")) -> Available | None:
    """What the machine has available (``MemAvailable``), or less where this process's
    control group (cgroup v2 or v1) has a limit; None where neither can be read (not Linux)."""
    found: list[Available] = []
    meminfo = _fields(root / "proc/meminfo")
    if "MemAvailable" in meminfo:
        found.append(Available(meminfo["MemAvailable"] * 1024, "available on this machine"))
    group = _cgroup(root)
    if group is not None:
        found.append(Available(group, "left under this control group's limit"))
    return min(found, key=lambda a: a.bytes) if found else None


def check(characters: int, *, spilled: bool, limit: int | None = None, pairs: int = 0, words: int = 0) -> None:
    """Raise :class:`MemoryShort` when a scan of ``characters`` (with ``pairs`` candidate
    pairs to align, once they are known) needs more than ``limit`` bytes (None: what is
    available; 0: do not check)."""
    if limit == 0:
        return
    have = Available(limit, "given") if limit is not None else available()
    need = needed(characters, spilled=spilled, pairs=pairs, words=words)
    if have is not None and need > have.bytes:
        what = (f"{characters:,} characters" + (f", {words:,} words" if words else "")
                + (f", {pairs:,} candidate pairs to align" if pairs else ""))
        raise MemoryShort(
            f"this scan needs about {shown(need)} of memory besides its texts ({what}), "
            f"and {shown(have.bytes)} is {have.source}: scan fewer articles at a time, use --engine spark, "
            "or give --memory SIZE (0: do not check) if the estimate is too high for this corpus")


def _fields(path: Path, *, kilobytes: bool = True) -> dict[str, int]:
    """``name value`` (or ``name: value kB``) lines of a /proc or cgroup file; {} where it cannot be read."""
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return {}
    out: dict[str, int] = {}
    for line in lines:
        name, _, rest = line.partition(":" if kilobytes else " ")
        value = rest.split()
        if value and value[0].isdigit():
            out[name.strip()] = int(value[0])
    return out


def _cgroup(root: Path) -> int | None:
    """Bytes left under this process's control group's memory limit (its page cache
    counted as free), or None: no limit, or none that can be read."""
    try:
        lines = (root / "proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        number, _, rest = line.partition(":")
        controllers, _, where = rest.partition(":")
        where = where.strip().lstrip("/")
        if number == "0" and not controllers:  # v2: one tree
            files = ("memory.max", "memory.current", "file")
            folders = [root / "sys/fs/cgroup" / where, root / "sys/fs/cgroup"]
        elif "memory" in controllers.split(","):  # v1: the memory controller's own tree
            files = ("memory.limit_in_bytes", "memory.usage_in_bytes", "total_cache")
            folders = [root / "sys/fs/cgroup/memory" / where, root / "sys/fs/cgroup/memory"]
        else:
            continue
        for folder in folders:  # inside a container the process's own group is the root of its view
            try:
                limit_text = (folder / files[0]).read_text().strip()
                usage = int((folder / files[1]).read_text())
            except (OSError, ValueError):
                continue
            if limit_text == "max" or not limit_text.isdigit() or int(limit_text) >= 1 << 60:
                break  # no limit here
            cache = _fields(folder / "memory.stat", kilobytes=False).get(files[2], 0)
            return max(0, int(limit_text) - usage + cache)
    return None
