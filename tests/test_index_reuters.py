"""The index on real wire copy: Reuters-21578 bodies, read at run time from ../shared/data/."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from dedup import Article, Index

pytestmark = pytest.mark.slow  # builds real corpora or kills processes: minutes, not seconds

BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)


def bodies(folder: Path, count: int) -> list[Article]:
    """The first ``count`` bodies of at least 800 characters (the SGML is latin-1)."""
    text = (folder / "reut2-000.sgm").read_text(encoding="latin-1")
    found = [html.unescape(m).replace("\x03", "").strip() for m in BODY.findall(text)]
    long = [b for b in found if len(b) >= 800]
    return [Article(f"reuters-{k}", b, outlet="reuters") for k, b in enumerate(long[:count])]


def test_reuters_reprints_and_lifted_paragraphs(reuters_dir: Path, tmp_path: Path) -> None:
    articles = bodies(reuters_dir, 160)
    indexed, unseen = articles[:120], articles[120:]
    with Index.open(tmp_path / "reuters.idx") as idx:
        idx.add(indexed)
        again = idx.check_many([Article(f"copy-{a.id}", a.text, outlet="daily") for a in indexed[:40]])
        assert all(d.status == "duplicate" for d in again)
        for a, d in zip(indexed, again):  # its original is among the near-copies (Reuters ran some stories twice)
            assert a.id in [m.b for m in d.matches if m.a_coverage >= 0.9]
        paragraph = max(indexed[7].text.split("\n    "), key=len)
        stitched = unseen[0].text + "\n    " + paragraph
        lifted = idx.check(Article("stitched", stitched))
        assert lifted.status == "partial"
        assert indexed[7].id in [m.b for m in lifted.matches]
        fresh = idx.check_many(unseen[1:])
        assert sum(d.status == "new" for d in fresh) > len(fresh) // 2
