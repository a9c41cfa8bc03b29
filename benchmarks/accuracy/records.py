"""A generated corpus as data and as the two files the benchmark writes (``corpus.jsonl``, ``truth.json``)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Corpus:
    """Articles as JSONL records and the truth document.

    ``published`` gives every article's true publication time (ISO 8601), which
    its record may hide (a day only, or no date); the filter is fed in that order.
    """

    articles: list[dict[str, Any]]
    truth: dict[str, Any]
    published: dict[str, str] = field(default_factory=dict)


def write(corpus: Corpus, folder: Path) -> tuple[Path, Path]:
    """``corpus.jsonl`` and ``truth.json`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    articles, truth = folder / "corpus.jsonl", folder / "truth.json"
    with open(articles, "w", encoding="utf-8") as out:
        for a in corpus.articles:
            out.write(json.dumps(a, ensure_ascii=False) + "\n")
    with open(truth, "w", encoding="utf-8") as out:
        json.dump(corpus.truth, out, ensure_ascii=False, indent=1)
        out.write("\n")
    return articles, truth


def report(go: Callable[[Path], str], keep: Path | None, out: Path | None, prefix: str) -> None:
    """Run a benchmark in ``keep`` (or a temporary folder named from ``prefix``), print its
    markdown and, with ``out``, write it there too."""
    if keep:
        text = go(keep)
    else:
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            text = go(Path(tmp))
    print(text)
    if out:
        out.write_text(text, encoding="utf-8")
