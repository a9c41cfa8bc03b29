"""Sidecar metadata: every row that cannot be used is reported with its file and row, the rest are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup import load
from dedup.sidecar import parse_sidecar, path_key

STORY = "The harbour bridge will open in May, officials said on Tuesday, after years of work on it.\n"


def folder(tmp_path: Path, sidecar: str, name: str = "metadata.csv", files: tuple[str, ...] = ()) -> Path:
    for rel in files or ("herald/a.txt", "herald/b.txt", "wire/c.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(STORY + rel)
    (tmp_path / name).write_text(sidecar, encoding="utf-8")
    return tmp_path


def read(root: Path) -> tuple[dict[str, object], list[tuple[str, int | None, str]]]:
    articles, problems = load([str(root)])
    return {a.id: a for a in articles}, [(Path(p.source).name, p.line, p.reason) for p in problems]


def test_a_field_over_the_csv_limit_is_reported_and_the_next_rows_kept(tmp_path: Path) -> None:
    root = folder(tmp_path, "path,title\nherald/a.txt," + "x" * 200_000 + "\nherald/b.txt,Fine\n")
    by_id, problems = read(root)
    assert problems == [("metadata.csv", 2, "metadata row not read: field larger than field limit (131072)")]
    assert by_id["herald/b.txt"].title == "Fine"  # type: ignore[attr-defined]


def test_an_unterminated_quote_swallows_no_other_row(tmp_path: Path) -> None:
    root = folder(tmp_path, 'path,title\nherald/a.txt,"Unclosed\nherald/b.txt,Second\nwire/c.txt,Third\n')
    by_id, problems = read(root)
    assert problems == [("metadata.csv", 2, "metadata row not read: unexpected end of data")]
    assert [by_id[k].title for k in ("herald/b.txt", "wire/c.txt")] == ["Second", "Third"]  # type: ignore[attr-defined]


def test_a_quote_closed_rows_later_is_caught_too(tmp_path: Path) -> None:
    root = folder(tmp_path, 'path,title\nherald/a.txt,"Open\nherald/b.txt,"Quoted",x\nwire/c.txt,Third\n')
    by_id, problems = read(root)
    assert [p[:2] for p in problems] == [("metadata.csv", 2), ("metadata.csv", 3)]
    assert by_id["wire/c.txt"].title == "Third"  # type: ignore[attr-defined]


def test_a_quoted_field_over_two_lines_is_still_one_row(tmp_path: Path) -> None:
    root = folder(tmp_path, 'path,title\nherald/a.txt,"Two\nlines"\nherald/b.txt,Next\n')
    by_id, problems = read(root)
    assert problems == []
    assert by_id["herald/a.txt"].title == "Two\nlines" and by_id["herald/b.txt"].title == "Next"  # type: ignore[attr-defined]


@pytest.mark.parametrize("raw, key, why", [
    ("./herald/b.txt", "herald/b.txt", None),
    ("herald\\b.txt", "herald/b.txt", None),
    ("herald//./b.txt", "herald/b.txt", None),
    ("..herald/b.txt", "", "names a hidden file, which is never an article"),
    ("../herald/b.txt", "", "leaves the folder"),
    ("herald/../../b.txt", "", "leaves the folder"),
    ("/etc/herald/b.txt", "", "is absolute"),
    ("C:\\herald\\b.txt", "", "is absolute"),
    ("./", "", "names no file"),
])
def test_paths_are_normalized_never_stripped(raw: str, key: str, why: str | None) -> None:
    assert path_key(raw) == (key, why)


def test_an_odd_path_never_lends_its_row_to_another_file(tmp_path: Path) -> None:
    root = folder(tmp_path, "path,title\n..herald/b.txt,Wrong\n../wire/c.txt,Wrong too\n")
    by_id, problems = read(root)
    assert by_id["herald/b.txt"].title != "Wrong" and by_id["wire/c.txt"].title != "Wrong too"  # type: ignore[attr-defined]
    assert [(p[1], p[2].split(":")[0]) for p in problems] == [(2, "metadata row not used"),
                                                              (3, "metadata row not used")]
    assert "'..herald/b.txt' names a hidden file" in problems[0][2]


def test_duplicate_rows_keep_the_first_and_say_so(tmp_path: Path) -> None:
    root = folder(tmp_path, "path,title\nherald/a.txt,First\n./herald/a.txt,Second\n")
    by_id, problems = read(root)
    assert by_id["herald/a.txt"].title == "First"  # type: ignore[attr-defined]
    assert problems == [("metadata.csv", 3, "metadata row for 'herald/a.txt' repeats row 2; the first one is kept")]


def test_a_path_in_both_sidecars_keeps_the_csv_row(tmp_path: Path) -> None:
    root = folder(tmp_path, "path,title\nherald/a.txt,From CSV\n")
    (root / "metadata.jsonl").write_text('{"path": "herald/a.txt", "title": "From JSONL"}\n')
    by_id, problems = read(root)
    assert by_id["herald/a.txt"].title == "From CSV"  # type: ignore[attr-defined]
    ((name, line, reason),) = problems
    assert (name, line) == ("metadata.jsonl", 1) and "repeats" in reason and "metadata.csv row 2" in reason


def test_a_bad_date_is_reported_and_left_out(tmp_path: Path) -> None:
    root = folder(tmp_path, "path,date,title\nherald/a.txt,next Tuesday,Kept\nherald/b.txt,2026-03-02,Dated\n")
    by_id, problems = read(root)
    a, b = by_id["herald/a.txt"], by_id["herald/b.txt"]
    assert (a.date, a.title, b.date) == (None, "Kept", "2026-03-02")  # type: ignore[attr-defined]
    assert problems == [("metadata.csv", 2, "metadata row for 'herald/a.txt': date 'next Tuesday' is not a date "
                                            "(e.g. 2026-03-02); left out")]


def test_rows_naming_no_article_and_rows_too_long_are_reported(tmp_path: Path) -> None:
    root = folder(tmp_path, "path,title\nherald/gone.txt,Nowhere\nherald/a.txt,A,extra\nwire/c.txt,C\n")
    by_id, problems = read(root)
    assert by_id["wire/c.txt"].title == "C"  # type: ignore[attr-defined]
    assert sorted(problems) == [("metadata.csv", 2, "metadata row for 'herald/gone.txt' names no article file"),
                                ("metadata.csv", 3, "metadata row has 3 fields, the header 2")]


def test_a_sidecar_without_a_path_column_is_one_problem(tmp_path: Path) -> None:
    root = folder(tmp_path, "file,title\nherald/a.txt,A\nherald/b.txt,B\n")
    _, problems = read(root)
    assert problems == [("metadata.csv", 1, "metadata has no 'path' column")]


def test_jsonl_sidecar_lines_that_are_not_objects_are_reported(tmp_path: Path) -> None:
    found: list[object] = []
    rows = parse_sidecar("metadata.jsonl", '{"path": "a.txt", "title": "A"}\n[1, 2]\n{bad\n\n{"title": "no path"}\n',
                         "metadata.jsonl", found.append)
    assert rows == {"a.txt": {"title": "A"}}
    assert [p.line for p in found] == [2, 3, 5]  # type: ignore[attr-defined]
