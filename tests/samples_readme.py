"""What samples/README.md says a scan of the samples shows, read from its tables."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parent.parent / "samples" / "README.md"


def stories() -> list[tuple[str, str, str]]:
    """The table "Stories and their edit summaries": (story, copy, edit summary), in its order."""
    block = README.read_text(encoding="utf-8").split("### Stories and their edit summaries", 1)[1].split("\n### ", 1)[0]
    rows = [r.strip().strip("|").split("|") for r in block.splitlines() if r.startswith("| `")]
    return [(a.strip().strip("`"), b.strip().strip("`"), c.strip()) for a, b, c in rows]
