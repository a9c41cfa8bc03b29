"""benchmarks/RESULTS.md: each benchmark rewrites its own section and leaves the others alone."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(heading: str, text: str, path: Path = RESULTS) -> None:
    """Replace the section that starts with ``heading`` (a ``## `` line) by ``text``, or append it."""
    old = path.read_text(encoding="utf-8")
    start = old.find(heading + "\n")
    if start < 0:
        path.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    end = old.find("\n## ", start + 1)
    path.write_text(old[:start] + text + (old[end:] if end >= 0 else ""), encoding="utf-8")
