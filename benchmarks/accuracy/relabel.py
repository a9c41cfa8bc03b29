"""What a corpus tells about its articles besides their text: the wire's name, outlet fields, ids.

Applied to a finished corpus, so the text and the truth's spans are those of
the condition's corpus before relabelling; only names change, in the
records and everywhere in the truth alike (documents, pairs, families,
look-alike groups). The truth keeps every document's real outlet: the
scorer needs it, even when the records hide it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from .newsrooms import WIRE
from .records import Corpus
from .variants import Condition, slug


def relabel(corpus: Corpus, condition: Condition, rng: random.Random, wire_name: str | None = None) -> Corpus:
    """``corpus`` with the names ``condition`` asks for; ``wire_name`` is the wire's new name
    (``variants.wire_name``), which the stories' text already gives (``variants.credited``)."""
    wire = WIRE
    if condition.wire_name:
        if wire_name is None:
            raise ValueError(f"{condition.name}: the wire needs its new name")
        wire = slug(wire_name)
        prefix = f"{WIRE}/"
        corpus = _renamed(corpus, lambda i: f"{wire}/{i[len(prefix):]}" if i.startswith(prefix) else i,
                          {WIRE: wire})
        corpus.truth["wire_outlets"] = [wire]
    if condition.outlet_field != "outlet":
        ids = [a["id"] for a in corpus.articles]
        numbers = list(range(1, len(ids) + 1))
        rng.shuffle(numbers)
        names = {i: f"doc-{n:05d}" for i, n in zip(sorted(ids), numbers)}
        corpus = _renamed(corpus, names.__getitem__, {})
        for a in corpus.articles:
            outlet = a.pop("outlet")
            if condition.outlet_field == "url":
                a["url"] = _url(outlet, corpus.published[a["id"]], a.get("title") or "", a["id"])
    return corpus


def _url(outlet: str, published: str, title: str, doc_id: str) -> str:
    """An address on the outlet's own host (``.example``, a name reserved for examples)."""
    when = datetime.fromisoformat(published)
    words = re.findall(r"[a-z0-9]+", title.lower())[:6] or ["story"]
    return f"https://www.{outlet}.example/{when:%Y/%m/%d}/{'-'.join(words)}-{doc_id.rsplit('-', 1)[-1]}"


def _renamed(corpus: Corpus, rename: Callable[[str], str], outlets: dict[str, str]) -> Corpus:
    def outlet(name: str) -> str:
        return outlets.get(name, name)

    articles = []
    for a in corpus.articles:
        record = dict(a, id=rename(a["id"]))
        if "outlet" in record:
            record["outlet"] = outlet(record["outlet"])
        articles.append(record)
    articles.sort(key=lambda a: (a.get("date") or "", a["id"]))
    truth: dict[str, Any] = dict(corpus.truth)
    truth["documents"] = sorted(
        ({**d, "id": rename(d["id"]), "outlet": outlet(d["outlet"]),
          **({"from": sorted(rename(f) for f in d["from"])} if "from" in d else {})}
         for d in corpus.truth["documents"]), key=lambda d: d["id"])
    pairs = []
    for p in corpus.truth["pairs"]:
        pairs.append({**p, "a": rename(p["a"]), "b": rename(p["b"]),
                      "source": rename(p["source"]) if p["source"] else None})
    truth["pairs"] = sorted(pairs, key=lambda p: (p["a"], p["b"]))
    truth["families"] = sorted(({"members": sorted(rename(m) for m in f["members"])} for f in corpus.truth["families"]),
                               key=lambda f: (-len(f["members"]), f["members"][0]))
    truth["lookalikes"] = [{**g, "members": sorted(rename(m) for m in g["members"])}
                           for g in corpus.truth["lookalikes"]]
    published = {rename(i): t for i, t in corpus.published.items()}
    return Corpus(articles, truth, published)
