import json

import pytest

from dedup import ingest
from dedup.errors import InputError
from dedup.ingest import FieldNames, decode, load

import requires

STORY = "The harbour bridge will open in May, officials said on Tuesday.\n\nMore text follows here.\n"


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def reasons(problems):
    return {p.source.split("/")[-1]: p.reason for p in problems}


def test_subfolders_name_the_outlet_and_the_sidecar_adds_metadata(tmp_path):
    write(tmp_path / "wire" / "a.txt", STORY)
    write(tmp_path / "herald" / "b.md", STORY)
    write(tmp_path / "metadata.csv", "path,date,title,section\nwire/a.txt,2026-03-02,Bridge,news\n")
    write(tmp_path / "README.md", "not an article")
    articles, problems = load([str(tmp_path)])
    assert problems == []
    by_id = {a.id: a for a in articles}
    assert set(by_id) == {"wire/a.txt", "herald/b.md"}
    assert by_id["wire/a.txt"].outlet == "wire"
    assert by_id["wire/a.txt"].date == "2026-03-02" and by_id["wire/a.txt"].title == "Bridge"
    assert by_id["wire/a.txt"].meta == {"section": "news"}
    assert by_id["herald/b.md"].title == STORY.splitlines()[0]


def test_a_flat_folder_has_no_outlets(tmp_path):
    write(tmp_path / "a.txt", STORY)
    (article,), _ = load([str(tmp_path)])
    assert article.outlet is None


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "utf-8-sig", "cp1252"])
def test_legacy_and_unicode_encodings_are_decoded(tmp_path, encoding):
    text = "Peña Nieto said the café would reopen — soon, according to officials of the ministry."
    if encoding == "latin-1":
        text = text.replace("—", "-")
    write(tmp_path / "x.txt", text.encode(encoding))
    (article,), problems = load([str(tmp_path)])
    assert problems == [] and article.text == text


def test_empty_binary_and_oversized_files_are_reported_and_skipped(tmp_path):
    write(tmp_path / "good.txt", STORY)
    write(tmp_path / "empty.txt", "  \n")
    write(tmp_path / "binary.txt", bytes(range(256)) * 20)
    write(tmp_path / "huge.txt", "word " * 2000)
    articles, problems = load([str(tmp_path)], FieldNames(max_bytes=8000))
    assert [a.id for a in articles] == ["good.txt"]
    got = reasons(problems)
    assert got["empty.txt"] == "empty file"
    assert got["binary.txt"].startswith("binary file")
    assert "limit" in got["huge.txt"]


def test_jsonl_keeps_going_past_bad_lines_and_names_them(tmp_path):
    lines = [
        json.dumps({"id": 1, "text": STORY, "outlet": "wire", "section": "x"}),
        "{not json",
        json.dumps({"id": 2}),
        json.dumps(["a list"]),
        "",
        json.dumps({"text": STORY}),
    ]
    path = write(tmp_path / "in.jsonl", "\n".join(lines) + "\n")
    good = json.dumps({"id": "ok", "text": STORY}).encode()
    write(tmp_path / "bad.jsonl", b'{"id": "z", "text": "caf\xe9"}\n' + good)
    articles, problems = load([str(path), str(tmp_path / "bad.jsonl")])
    assert [a.id for a in articles] == ["1", "in.jsonl:6", "ok"]
    assert articles[0].meta == {"section": "x"} and articles[0].outlet == "wire"
    where = sorted((p.source.split("/")[-1], p.line) for p in problems)
    assert where == [("bad.jsonl", 1), ("in.jsonl", 2), ("in.jsonl", 3), ("in.jsonl", 4)]
    assert any("malformed JSON" in p.reason for p in problems)
    assert any("no 'text' field" in p.reason for p in problems)


def test_field_names_can_be_mapped(tmp_path):
    path = write(tmp_path / "in.jsonl", json.dumps({"doc": "d1", "body": STORY, "source": "AP"}) + "\n")
    (article,), _ = load([str(path)], FieldNames.parse(["id=doc", "text=body", "outlet=source"]))
    assert (article.id, article.outlet) == ("d1", "AP")
    with pytest.raises(InputError, match="PART=FIELD"):
        FieldNames.parse(["bogus"])


def test_duplicate_ids_keep_the_first(tmp_path):
    path = write(tmp_path / "in.jsonl", "\n".join(json.dumps({"id": "x", "text": t}) for t in ("one two", "three")))
    articles, problems = load([str(path)])
    assert [a.text for a in articles] == ["one two"]
    assert "duplicate id" in problems[0].reason


def test_missing_paths_are_problems_not_crashes(tmp_path):
    articles, problems = load([str(tmp_path / "nope")])
    assert articles == [] and problems[0].reason == "no such file or folder"


def test_decode_rejects_nul_heavy_binary():
    with pytest.raises(ingest.Unreadable):
        decode(b"\x00\x01\x02\x03" * 100)


def test_html_pages_are_reduced_to_their_article_text(tmp_path):
    requires.module("trafilatura", "pip install 'dedup[html]'")
    page = ("<html><head><title>Bridge vote</title></head><body><nav>Home | News | Sport</nav>"
            "<article><h1>Bridge vote</h1><p>The council approved the harbour bridge on Monday after a long "
            "debate about its cost and the tolls it will charge.</p><p>Construction will start in the "
            "spring, officials said.</p></article><footer>Copyright 2026</footer></body></html>")
    write(tmp_path / "herald" / "bridge.html", page)
    (article,), problems = load([str(tmp_path)])
    assert problems == []
    assert "The council approved the harbour bridge" in article.text
    assert "Home | News" not in article.text and "Copyright" not in article.text
    assert article.title == "Bridge vote" and article.outlet == "herald"
