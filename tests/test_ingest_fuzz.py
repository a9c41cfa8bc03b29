"""Fuzzing the readers: whatever the bytes, every line is an article or a problem naming it, never a crash,
and every article can be written by any UTF-8 output."""

from __future__ import annotations

import io
import json

from hypothesis import example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from dedup.ingest import FieldNames, read_jsonl
from dedup.model import Article, Problem
from dedup.records import validate
from dedup.sidecar import path_key, sidecar_rows

from profiles import examples

ANY_CHAR = st.characters(exclude_categories=())  # lone surrogates included
TEXT = st.text(ANY_CHAR, max_size=30) | st.sampled_from(["", " ", "word " * 12, "\ud800", "a\udfffb"])
VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                      max_leaves=12)
RECORDS = st.fixed_dictionaries({"text": TEXT | VALUES}, optional={
    "id": VALUES, "outlet": VALUES, "date": VALUES, "title": VALUES, "url": VALUES, "tags": VALUES})
LINES = st.one_of(
    RECORDS.map(lambda r: json.dumps(r).encode()),  # lone surrogates become \\udXXX escapes
    RECORDS.map(lambda r: json.dumps(r, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    st.binary(max_size=60).filter(lambda b: b"\n" not in b),
    st.integers(1, 3000).map(lambda n: b'{"text": "x y z", "m": ' + b"[" * n + b"]" * n + b"}"),
    st.integers(1, 3000).map(lambda n: b"{" * n),
)


def writable(article: Article) -> None:
    fields = {k: getattr(article, k) for k in ("id", "text", "outlet", "date", "title", "url")}
    json.dumps({**fields, "meta": dict(article.meta)}, ensure_ascii=False, default=str).encode("utf-8")


@hsettings(max_examples=examples(300), deadline=None)
@given(st.lists(LINES, max_size=8), st.sampled_from([200, 5000, 20_000_000]))
def test_every_jsonl_line_is_an_article_or_a_problem(lines: list[bytes], limit: int) -> None:
    data = b"".join(line + b"\n" for line in lines)
    problems: list[Problem] = []
    articles = list(read_jsonl(io.BytesIO(data), "in.jsonl", problems.append, FieldNames(max_bytes=limit)))
    numbered = [n for n, line in enumerate(lines, 1) if line.strip() or len(line) + 1 > limit]
    assert len(articles) + len(problems) == len(numbered)
    assert {p.line for p in problems} <= set(numbered) and len({p.line for p in problems}) == len(problems)
    for article in articles:
        assert validate(article, limit) is None
        writable(article)


CELLS = st.text(st.sampled_from(list('ab,."\n\r\\/ :-2') + ["\ud800", "é"]), max_size=12)
CSV_TEXT = st.lists(CELLS, max_size=12).map(lambda cells: "path,date,title\n" + "".join(cells))
ROWS = st.dictionaries(st.sampled_from(["path", "date", "title", "x"]), VALUES, max_size=4)
JSONL_TEXT = st.lists(ROWS.map(json.dumps) | st.text(ANY_CHAR, max_size=20), max_size=6).map("\n".join)


@hsettings(max_examples=examples(300), deadline=None)
@given(st.sampled_from(["metadata.csv", "metadata.jsonl"]), CSV_TEXT | JSONL_TEXT)
def test_a_sidecar_never_crashes_and_keeps_only_rows_it_can_use(name: str, text: str) -> None:
    problems: list[Problem] = []
    rows = sidecar_rows(name, text, name, problems.append)
    last = max(text.count("\n"), len(list(io.StringIO(text, newline="")))) + 1  # CSV also breaks lines on \r
    assert all(p.line is not None and 1 <= p.line <= last for p in problems)
    for key, row in rows.items():
        assert path_key(key) == (key, None)  # already the folder reader's name of a file
        assert 1 <= row.line <= last
        json.dumps(row.fields, ensure_ascii=False).encode("utf-8")


@hsettings(max_examples=examples(200), deadline=None)
@given(st.lists(st.sampled_from(list("ab./\\:") + [".."]), max_size=12).map("".join))
@example("./a:")  # a drive letter behind "./"
def test_a_normalized_path_stays_inside_the_folder(raw: str) -> None:
    key, why = path_key(raw)
    if why is None:
        parts = key.split("/")
        assert all(p and not p.startswith(".") for p in parts) and not key.startswith("/")
        assert ":" not in key[1:2]
