"""A made-up news corpus of any size: wire stories, outlets that reprint and edit them, and their own stories.

Words are invented syllable strings from a seeded generator, so the corpus is
the same on every run and holds no text from anywhere.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

SYLLABLES = ["ka", "lo", "mi", "ter", "san", "du", "ve", "ron", "pa", "li", "nor", "ez", "ul", "bra", "tis", "om"]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))))
    return sorted(words)


def _paragraph(rng: random.Random, vocab: list[str], words: int) -> str:
    text = " ".join(rng.choice(vocab) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def articles(count: int, outlets: int = 50, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` articles: a tenth are wire stories, half reprint one (edited, cut, with the outlet's
    header and footer), the rest are each outlet's own."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng, 4000)
    names = [f"outlet-{i:02d}" for i in range(1, outlets)]
    footers = {n: _paragraph(rng, vocab, 18) for n in names}
    wire = []
    found: list[dict[str, Any]] = []
    for n in range(max(1, count // 10)):
        paras = [_paragraph(rng, vocab, rng.randint(30, 55)) for _ in range(rng.randint(5, 10))]
        wire.append(paras)
        found.append({"id": f"wire/{n:05d}", "outlet": "wire", "date": f"2026-01-{1 + n % 28:02d}",
                      "title": " ".join(paras[0].split()[:6]), "text": "\n\n".join(paras)})
    while len(found) < count:
        n = len(found)
        outlet = rng.choice(names)
        if rng.random() < 0.55:
            k = rng.randrange(len(wire))
            paras = list(wire[k][: rng.randint(3, len(wire[k]))])
            for _ in range(rng.randint(0, 3)):
                i = rng.randrange(len(paras))
                words = paras[i].split()
                words[rng.randrange(len(words))] = rng.choice(vocab)
                paras[i] = " ".join(words)
            date = f"2026-02-{1 + k % 28:02d}"
        else:
            paras = [_paragraph(rng, vocab, rng.randint(30, 55)) for _ in range(rng.randint(4, 8))]
            date = f"2026-02-{1 + n % 28:02d}"
        text = "\n\n".join([f"{outlet.upper()} news desk"] + paras + [footers[outlet]])
        found.append({"id": f"{outlet}/{n:05d}", "outlet": outlet, "date": date,
                      "title": " ".join(paras[0].split()[:6]), "text": text})
    return found


def write_jsonl(path: Path, count: int, **kwargs: Any) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        for record in articles(count, **kwargs):
            out.write(json.dumps(record) + "\n")
    return path
