"""A seeded corpus of news-length articles with known reuse, for benchmarks.

Reuters-21578 holds only about 19,000 bodies, too few to fill a million
articles without copying the same paragraphs everywhere. So the articles here
are original text from a word-level Markov chain trained on those bodies
(order 1 by default, with random jumps after rare words so that verbatim runs
of the training text stay rare), sampled for a whole batch of articles per
step with numpy. On top of that, reuse families: a source article and one to six
derived ones (whole reprints, trimmed, lightly edited, one or two paragraphs
embedded in another article, stitched from two or three sources), spread over
outlets that each wrap every article in their own header and footer. Sources
are dated before what copies them.

The corpus is written as JSONL (``id, text, outlet, date``) in chunks of
``chunk`` articles; families never cross a chunk, so memory stays bounded and
a smaller corpus is a prefix of a larger one with the same seed. The ground
truth goes to a sidecar ``*.truth.jsonl`` (``id, family, role, sources``).

    python benchmarks/corpus.py 100000 -o benchmarks/data/corpus-100000.jsonl
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"
PARA = "\u00b6"
"""The token that stands for a paragraph break inside the chain."""
KINDS = ("reprint", "trimmed", "edited", "embedded", "stitched")


@dataclass(frozen=True)
class Params:
    """Everything that shapes a corpus; the same params and seed give the same bytes."""

    seed: int = 1
    words: tuple[int, int] = (600, 700)
    """Range of chain tokens per article body (about 4 KB with header and footer)."""
    order: int = 1
    """1: the next word depends on the last word; 2: on the last two (more fluent,
    but it repeats the training text's stock phrases far more often)."""
    backoff: float = 0.5
    """With order 2, the chance at each word of using the order-1 table instead."""
    jump: float = 0.1
    """Chance at each word of jumping to a random word of the training text."""
    rare: int = 10
    """A word followed by fewer different words than this in the training text is followed by a jump."""
    family_share: float = 0.25
    """Share of articles that belong to a reuse family (source or derived)."""
    max_derived: int = 6
    kind_weights: tuple[float, ...] = (0.25, 0.2, 0.25, 0.15, 0.15)
    """Weights of the derived kinds, in the order of ``KINDS``."""
    outlets: int = 30
    wire_share: float = 0.5
    """Chance that a family's source is the wire service (otherwise an outlet)."""
    edit_rate: float = 0.04
    """Share of words replaced in an edited copy (as many again are dropped at half this rate)."""
    start: str = "2024-01-01"
    days: int = 365
    chunk: int = 10_000
    training: int | None = None
    """Train on only the first this many tokens of the Reuters text (a small vocabulary)."""


DENSE = Params(order=2, backoff=0.05, jump=0.0, rare=0, training=120_000)
"""Low-entropy text standing in for templated market, sports and legal reports: an
order-2 chain over a small vocabulary, with no jumps, so that unrelated articles
share many runs of stock phrasing by chance."""


# ---------------------------------------------------------------- Reuters text

def reuters_bodies(folder: Path) -> list[str]:
    """The article bodies of the Reuters-21578 SGML files, unescaped, without the sign-off."""
    files = sorted(folder.glob("reut2-*.sgm"))
    if not files:
        raise FileNotFoundError(f"no reut2-*.sgm files in {folder}")
    bodies = []
    for path in files:
        raw = path.read_text(encoding="latin-1")
        for body in re.findall(r"<BODY>(.*?)</BODY>", raw, re.S):
            body = html.unescape(body).replace("\x03", "")
            body = re.sub(r"\s*\b(REUTER|Reuter)\s*$", "", body.strip())
            bodies.append(body)
    return bodies


def paragraphs(body: str) -> list[str]:
    """Reuters paragraphs start on an indented line; inside one, whitespace is one space."""
    return [" ".join(p.split()) for p in re.split(r"\n\s{2,}", body) if p.strip()]


def training_tokens(bodies: Sequence[str]) -> list[str]:
    """One token stream: words of prose-like bodies, paragraphs and bodies split by ``PARA``."""
    stream: list[str] = []
    for body in bodies:
        words = body.split()
        if len(words) < 40 or sum(any(c.isalpha() for c in w) for w in words) < 0.8 * len(words):
            continue  # tables of figures, one-liners
        for para in paragraphs(body):
            stream.extend(para.split())
            stream.append(PARA)
    return stream


# ---------------------------------------------------------------- the chain

@dataclass(frozen=True)
class Chain:
    """Order-1 and order-2 tables over one circular token stream, in CSR form.

    Row ``w`` of the word table lists every position of word ``w`` in the
    stream (``word_pos[word_ptr[w]:word_ptr[w + 1]]``), row ``b`` of the bigram
    table every position of bigram ``b``. Picking a uniform entry of a row
    picks a successor with probability proportional to its count, so one step
    for a whole batch of articles is a few gathers, with no search at all.
    The state of an article is a stream position ``q``: its last two words are
    ``stream[q], stream[q + 1]``.
    """

    vocab: np.ndarray  # object array of words
    stream: np.ndarray  # int32 word ids, the first two repeated at the end
    bigram: np.ndarray  # int32 bigram id at each position, the first repeated at the end
    word_ptr: np.ndarray
    word_pos: np.ndarray
    bigram_ptr: np.ndarray
    bigram_pos: np.ndarray
    successors: np.ndarray  # distinct words seen after each word
    para: int
    sentence_end: np.ndarray  # bool per word

    @classmethod
    def train(cls, tokens: Sequence[str]) -> Chain:
        number: dict[str, int] = {}
        s = np.fromiter((number.setdefault(w, len(number)) for w in tokens), dtype=np.int64, count=len(tokens))
        vocab = np.array(list(number), dtype=object)
        keys, bigram = np.unique(s * len(vocab) + np.roll(s, -1), return_inverse=True)
        word_pos = np.argsort(s, kind="stable")
        bigram_pos = np.argsort(bigram, kind="stable")
        word_ptr = np.searchsorted(s[word_pos], np.arange(len(vocab) + 1))
        bigram_ptr = np.searchsorted(bigram[bigram_pos], np.arange(len(keys) + 1))
        successors = np.bincount(keys // len(vocab), minlength=len(vocab))
        ends = np.array([w.endswith((".", "?", "!", '."')) for w in vocab])
        return cls(vocab, np.concatenate((s, s[:2])).astype(np.int32),
                   np.concatenate((bigram, bigram[:1])).astype(np.int32),
                   word_ptr, word_pos.astype(np.int32), bigram_ptr, bigram_pos.astype(np.int32),
                   successors, number[PARA], ends)

    @staticmethod
    def _pick(ptr: np.ndarray, pos: np.ndarray, rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        lo = ptr[rows]
        picked: np.ndarray = pos[lo + (rng.random(len(rows)) * (ptr[rows + 1] - lo)).astype(np.int64)]
        return picked

    def sample(self, count: int, length: int, rng: np.random.Generator, params: Params) -> np.ndarray:
        """``count`` token streams of ``length`` words, each starting a paragraph.

        At each word, with chance ``params.jump`` or when fewer than ``params.rare``
        different words ever follow the current one, the chain jumps to a random
        word of the training text: near-deterministic runs (names, figures,
        set phrases) are what would otherwise repeat verbatim across thousands of
        generated articles.
        """
        out = np.empty((count, length), dtype=np.int32)
        q = self._pick(self.word_ptr, self.word_pos, np.full(count, self.para), rng)
        out[:, 0] = self.stream[q + 1]
        for t in range(1, length):
            word = self.stream[q + 1]
            step = self._pick(self.word_ptr, self.word_pos, word, rng)
            if params.order >= 2:
                two = self._pick(self.bigram_ptr, self.bigram_pos, self.bigram[q], rng) + 1
                step = np.where(rng.random(count) >= params.backoff, two, step)
            jump = (rng.random(count) < params.jump) | (self.successors[word] < params.rare)
            q = np.where(jump, rng.integers(0, len(self.word_pos), size=count), step)
            out[:, t] = self.stream[q + 1]
        return out

    def bodies(self, count: int, rng: np.random.Generator, params: Params) -> list[str]:
        """Article bodies: paragraphs joined by blank lines, each body ending a sentence."""
        low, high = params.words
        lengths = rng.integers(low, high + 1, size=count)
        streams = self.sample(count, int(lengths.max()), rng, params)
        words = self.vocab[streams]
        ends = self.sentence_end[streams]
        found = []
        for i, n in enumerate(lengths.tolist()):
            stop = np.flatnonzero(ends[i, :n])
            if len(stop) and stop[-1] >= 0.7 * n:
                n = int(stop[-1]) + 1
            text = " ".join(words[i, :n].tolist())
            found.append(_tidy(text))
        return found


MIN_PARAGRAPH = 15
"""Words below which a generated paragraph runs on into the next one."""


def _tidy(text: str) -> str:
    """Paragraph tokens to blank lines; a paragraph shorter than ``MIN_PARAGRAPH`` words joins the next."""
    paras: list[str] = []
    carry = ""
    for part in text.split(PARA):
        carry = f"{carry} {part.strip()}".strip()
        if carry.count(" ") + 1 >= MIN_PARAGRAPH:
            paras.append(carry)
            carry = ""
    if carry:
        paras.append(carry)
    return "\n\n".join(paras)


# ---------------------------------------------------------------- outlets

PLACES = ("Harbor", "Valley", "Lakeside", "Northern", "Capital", "Prairie", "Coastal", "Metro",
          "Riverside", "Summit", "Granite", "Bayview", "Eastern", "Highland", "Pinewood", "Southern",
          "Westfield", "Ironbridge", "Cedar", "Maple")
PAPERS = ("Ledger", "Gazette", "Courier", "Tribune", "Sentinel", "Post", "Herald", "Chronicle",
          "Observer", "Dispatch", "Record", "Journal", "Times", "Star", "Beacon")


@dataclass(frozen=True)
class Outlet:
    slug: str
    name: str
    header: str
    footer: str


def make_outlets(chain: Chain, params: Params) -> list[Outlet]:
    """The wire service ("reuters") first, then named local outlets, each with its own template."""
    rng = np.random.default_rng([params.seed, 7])
    names = [f"{p} {n}" for p in PLACES for n in PAPERS]
    picked = [names[i] for i in rng.choice(len(names), size=params.outlets - 1, replace=False)]
    lines = chain.bodies(params.outlets, rng, replace(params, words=(24, 30)))
    found = [Outlet("reuters", "Reuters", "(Reuters wire service) - for subscriber use",
                    "Reporting by Reuters staff. " + lines[0].replace("\n\n", " ")
                    + " (c) Reuters, all rights reserved.")]
    for name, line in zip(picked, lines[1:]):
        since = 1850 + int(rng.integers(0, 150))
        found.append(Outlet(name.lower().replace(" ", "-"), name,
                            f"The {name}: independent news for {name.split()[0]} readers since {since}.",
                            f"This story appeared in the {name}. " + line.replace("\n\n", " ")
                            + f" Copyright the {name}."))
    return found


# ---------------------------------------------------------------- derived articles

def trimmed(paras: list[str], rng: np.random.Generator) -> list[str]:
    """The first paragraphs (40-80%), or the whole minus some inner paragraphs."""
    n = len(paras)
    if n >= 4 and rng.random() < 0.5:
        drop = set(rng.choice(np.arange(1, n - 1), size=max(1, n // 4), replace=False).tolist())
        return [p for i, p in enumerate(paras) if i not in drop]
    return paras[: max(1, int(np.ceil(n * rng.uniform(0.4, 0.8))))]


def edited(paras: list[str], filler: list[str], rate: float, rng: np.random.Generator) -> list[str]:
    """Words replaced (``rate``) and dropped (``rate / 2``) here and there."""
    out = []
    for para in paras:
        words = para.split(" ")
        roll = rng.random(len(words))
        picks = rng.integers(0, len(filler), size=len(words))
        kept = [filler[k] if r < rate else w for w, r, k in zip(words, roll, picks.tolist())
                if not rate <= r < 1.5 * rate]
        out.append(" ".join(kept))
    return out


def embedded(paras: list[str], host: list[str], rng: np.random.Generator) -> list[str]:
    """One or two consecutive source paragraphs put inside another article."""
    take = min(len(paras), int(rng.integers(1, 3)))
    first = int(rng.integers(0, len(paras) - take + 1))
    at = int(rng.integers(0, len(host) + 1))
    return host[:at] + paras[first : first + take] + host[at:]


def stitched(sources: list[list[str]], own: list[str], rng: np.random.Generator) -> list[str]:
    """Runs of one to three paragraphs from each source, and maybe a paragraph of its own."""
    out: list[str] = []
    for paras in sources:
        take = min(len(paras), int(rng.integers(1, 4)))
        first = int(rng.integers(0, len(paras) - take + 1))
        out.extend(paras[first : first + take])
    if own and rng.random() < 0.5:
        out.insert(int(rng.integers(0, len(out) + 1)), own[0])
    return out


# ---------------------------------------------------------------- one chunk

@dataclass(frozen=True)
class Truth:
    id: str
    family: str | None
    role: str  # original, source, or one of KINDS
    sources: tuple[str, ...] = ()


def chunk_records(chain: Chain, outlets: list[Outlet], params: Params, index: int, size: int,
                  first_id: int) -> tuple[list[dict[str, str]], list[Truth]]:
    """``size`` articles numbered from ``first_id``, with families inside the chunk."""
    rng = np.random.default_rng([params.seed, 1000 + index])
    fresh = chain.bodies(size, rng, params)
    ids = [f"a{first_id + i:07d}" for i in range(size)]
    order = rng.permutation(size).tolist()
    target = int(round(size * params.family_share))
    families: list[tuple[int, list[int]]] = []
    used = 0
    while used + 2 <= target:
        derived = int(rng.integers(1, params.max_derived + 1))
        derived = min(derived, target - used - 1)
        members = order[used : used + 1 + derived]
        families.append((members[0], members[1:]))
        used += 1 + derived

    role = ["original"] * size
    family_of: list[str | None] = [None] * size
    sources_of: list[tuple[int, ...]] = [()] * size
    weights = np.array(params.kind_weights) / np.sum(params.kind_weights)
    heads = [src for src, _ in families]
    for f, (head, copies) in enumerate(families):
        fid = f"f{index:03d}-{f:04d}"
        role[head], family_of[head] = "source", fid
        for d in copies:
            kind = KINDS[int(rng.choice(len(KINDS), p=weights))]
            srcs: tuple[int, ...] = (head,)
            if kind == "stitched":
                others = [h for h in heads if h != head]
                extra = min(len(others), int(rng.integers(1, 3)))
                srcs += tuple(others[k] for k in rng.choice(len(others), size=extra, replace=False)) if extra else ()
            role[d], family_of[d], sources_of[d] = kind, fid, srcs

    # Outlets: Zipf-like weights for the local outlets; sources lean to the wire.
    n_local = len(outlets) - 1
    zipf = 1.0 / np.arange(1, n_local + 1)
    zipf /= zipf.sum()
    outlet = (1 + rng.choice(n_local, size=size, p=zipf)).tolist()
    wire = rng.random(size)
    for i in range(size):
        if role[i] == "source" and wire[i] < params.wire_share:
            outlet[i] = 0
        elif role[i] == "original" and wire[i] < 0.1:
            outlet[i] = 0
    for i in range(size):
        if sources_of[i] and outlet[i] == outlet[sources_of[i][0]]:
            outlet[i] = 1 + (outlet[i] % n_local)

    start = date.fromisoformat(params.start)
    day = rng.integers(0, params.days, size=size).tolist()
    for i in sorted(range(size), key=lambda k: len(sources_of[k])):
        if sources_of[i]:
            day[i] = max(day[s] for s in sources_of[i]) + int(rng.integers(1, 5))

    paras = [b.split("\n\n") for b in fresh]
    bodies: list[list[str]] = list(paras)
    for i in range(size):
        kind, srcs = role[i], sources_of[i]
        if not srcs:
            continue
        src = paras[srcs[0]]  # the source's paragraphs
        if kind == "reprint":
            bodies[i] = src
        elif kind == "trimmed":
            bodies[i] = trimmed(src, rng)
        elif kind == "edited":
            bodies[i] = edited(src, fresh[i].split(), params.edit_rate, rng)
        elif kind == "embedded":
            bodies[i] = embedded(src, paras[i], rng)
        else:
            bodies[i] = stitched([paras[s] for s in srcs], paras[i], rng)

    records, truth = [], []
    for i in range(size):
        o = outlets[outlet[i]]
        text = o.header + "\n\n" + "\n\n".join(bodies[i]) + "\n\n" + o.footer
        when = (start + timedelta(days=day[i])).isoformat()
        records.append({"id": ids[i], "text": text, "outlet": o.slug, "date": when})
        truth.append(Truth(ids[i], family_of[i], role[i], tuple(ids[s] for s in sources_of[i])))
    return records, truth


# ---------------------------------------------------------------- the whole corpus

def load_chain(reuters: Path = REUTERS, training: int | None = None) -> Chain:
    return Chain.train(training_tokens(reuters_bodies(reuters))[:training])


def generate(count: int, params: Params = Params(), reuters: Path = REUTERS,
             chain: Chain | None = None) -> Iterator[tuple[list[dict[str, str]], list[Truth]]]:
    """The corpus, chunk by chunk."""
    chain = chain or load_chain(reuters, params.training)
    outlets = make_outlets(chain, params)
    for index, first in enumerate(range(0, count, params.chunk)):
        yield chunk_records(chain, outlets, params, index, min(params.chunk, count - first), first)


def write(count: int, out: Path, params: Params = Params(), reuters: Path = REUTERS,
          progress: bool = False) -> dict[str, Any]:
    """Write ``out`` (JSONL) and its ``.truth.jsonl`` atomically; return a summary of the run."""
    began = time.perf_counter()
    chain = load_chain(reuters, params.training)
    trained = time.perf_counter() - began
    out.parent.mkdir(parents=True, exist_ok=True)
    truth_path = out.with_suffix(".truth.jsonl")
    tmp, tmp_truth = out.with_name(out.name + ".tmp"), truth_path.with_name(truth_path.name + ".tmp")
    size = members = 0
    with open(tmp, "w", encoding="utf-8") as fh, open(tmp_truth, "w", encoding="utf-8") as th:
        done = 0
        for records, truth in generate(count, params, reuters, chain):
            lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
            fh.write(lines)
            size += len(lines.encode("utf-8"))
            th.write("".join(json.dumps(asdict(t)) + "\n" for t in truth))
            members += sum(t.family is not None for t in truth)
            done += len(records)
            if progress:
                rate = done / (time.perf_counter() - began)
                print(f"corpus: {done:,}/{count:,} articles ({rate:,.0f}/s)", file=sys.stderr)
    os.replace(tmp_truth, truth_path)
    os.replace(tmp, out)
    seconds = time.perf_counter() - began
    return {"articles": count, "bytes": size, "family_members": members, "seconds": round(seconds, 2),
            "train_seconds": round(trained, 2), "articles_per_second": round(count / seconds, 1)}


# ---------------------------------------------------------------- scoring pairs against the truth

def read_truth(path: Path) -> list[Truth]:
    """The ``.truth.jsonl`` that :func:`write` puts beside a corpus."""
    with open(path, encoding="utf-8") as fh:
        return [Truth(t["id"], t["family"], t["role"], tuple(t["sources"])) for t in map(json.loads, fh)]


def related(truth: Sequence[Truth]) -> set[frozenset[str]]:
    """The pairs that share text by construction: a copy and each of its sources, and two
    copies of one source (siblings). Anything else two articles share is chance."""
    holders: dict[str, list[str]] = {}
    for t in truth:
        for s in (*t.sources, *((t.id,) if t.role == "source" else ())):
            holders.setdefault(s, []).append(t.id)
    return {frozenset((x, y)) for ids in holders.values() for i, x in enumerate(ids) for y in ids[i + 1:]}


def pair_scores(found: Sequence[tuple[str, str]], truth: Sequence[Truth]) -> dict[str, float]:
    """Precision and recall of ``found`` pairs of article ids against :func:`related`."""
    want, got = related(truth), {frozenset(p) for p in found}
    hit = len(want & got)
    return {"precision": hit / len(got) if got else 1.0, "recall": hit / len(want) if want else 1.0,
            "found": len(got), "related": len(want)}


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("count", type=int, help="articles to write")
    ap.add_argument("-o", "--out", type=Path, required=True, help="JSONL file to write")
    ap.add_argument("--seed", type=int, default=Params.seed)
    ap.add_argument("--outlets", type=int, default=Params.outlets)
    ap.add_argument("--family-share", type=float, default=Params.family_share)
    ap.add_argument("--reuters", type=Path, default=REUTERS, help="folder of the Reuters-21578 .sgm files")
    ap.add_argument("--dense", action="store_true", help="low-entropy text full of stock phrasing (DENSE)")
    ap.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = ap.parse_args(argv)
    params = replace(DENSE if args.dense else Params(), seed=args.seed, outlets=args.outlets,
                     family_share=args.family_share)
    try:
        made = write(args.count, args.out, params, args.reuters, progress=not args.quiet)
    except FileNotFoundError as err:
        sys.exit(f"corpus: {err} (the Reuters-21578 files; use --reuters)")
    print(json.dumps(made))


if __name__ == "__main__":
    main()
