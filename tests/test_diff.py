"""dedup diff: the diff model (spans, inner edits, rows) and its terminal output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup import Article, Settings
from dedup.cli import cli
from dedup.diffview import build_diff, pieces, rows, side_pieces
from dedup.render_terminal import printable, want_color

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;]*m")

ORIGINAL = """Ferry fares rise on the Tolland line

The Tolland ferry company will raise fares by eleven percent from the first of May, its board said on Thursday, blaming the cost of fuel and a shortage of trained deckhands along the northern coast.

Passengers who cross daily will be able to buy a new monthly pass, which the company says will soften the increase for commuters who depend on the morning boats to reach the mainland hospital and schools.

"We held prices for three winters and we cannot hold them for a fourth," the board chair, Edda Marlow, told a meeting of island residents in the parish hall.
"""

EDITED = """Island ferry to cost more from May

The Tolland ferry company will raise fares by eleven percent from the first of May, its board announced on Thursday, blaming the cost of fuel and a shortage of trained deckhands along the northern coast.

Passengers who cross daily will be able to buy a new monthly pass, which the company says will soften the increase for commuters who depend on the early morning boats to reach the mainland hospital and schools.

Residents said they would ask the county for a subsidy.
"""

OTHER = """Orchard growers in the Brisk valley expect a small apple harvest after a late frost damaged blossoms across most of the upper slopes this spring, the growers' cooperative said."""


@pytest.fixture()
def pair_files(tmp_path: Path) -> tuple[str, str]:
    a, b = tmp_path / "original.txt", tmp_path / "edited.txt"
    a.write_text(ORIGINAL, encoding="utf-8")
    b.write_text(EDITED, encoding="utf-8")
    return str(a), str(b)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_inner_edits_name_the_changed_and_added_words() -> None:
    diff = build_diff(Article("a", ORIGINAL), Article("b", EDITED), Settings())
    assert len(diff.spans) == 1
    edits = diff.spans[0].edits
    changed = [(ORIGINAL[e.a_start:e.a_end], EDITED[e.b_start:e.b_end]) for e in edits]
    assert ("said", "announced") in changed
    assert ("", "early") in changed  # a word only B has: nothing stands in for it on A's side
    assert len(changed) == 2


def test_case_and_accents_are_not_edits() -> None:
    a = ORIGINAL
    b = ORIGINAL.replace("Tolland ferry company", "TOLLAND FERRY COMPANY").replace("deckhands", "déckhands")
    diff = build_diff(Article("a", a), Article("b", b), Settings())
    assert diff.spans and all(not d.edits for d in diff.spans)
    assert diff.similarity == 1.0


def test_similarity_counts_matched_words_of_both_texts() -> None:
    same = build_diff(Article("a", ORIGINAL), Article("b", ORIGINAL), Settings())
    assert same.similarity == 1.0
    unrelated = build_diff(Article("a", ORIGINAL), Article("b", OTHER), Settings())
    assert unrelated.spans == () and unrelated.similarity == 0.0
    partial = build_diff(Article("a", ORIGINAL), Article("b", EDITED), Settings())
    assert 0.5 < partial.similarity < 1.0


def test_pieces_keep_every_overlapping_span_visible() -> None:
    found = pieces(100, [(10, 60, "prose"), (40, 90, "quote")], [[(20, 25)], []])
    shown = {p.span for p in found if p.span is not None}
    assert shown == {0, 1}
    assert [p.start for p in found] == sorted(p.start for p in found)
    assert sum(p.end - p.start for p in found) == 100
    assert [p for p in found if p.edited] == [found[2]] and (found[2].start, found[2].end) == (20, 25)


def test_rows_put_each_paragraph_beside_its_counterpart() -> None:
    diff = build_diff(Article("a", ORIGINAL), Article("b", EDITED), Settings())
    pairs = [(ORIGINAL[r.a_start:r.a_end], EDITED[r.b_start:r.b_end]) for r in rows(diff)]
    assert pairs[0] == ("Ferry fares rise on the Tolland line", "Island ferry to cost more from May")
    assert pairs[1][0].startswith("The Tolland ferry company") and pairs[1][1].startswith("The Tolland ferry company")
    assert pairs[2][0].startswith("Passengers who cross") and pairs[2][1].startswith("Passengers who cross")


def test_plain_output_marks_spans_and_edits(pair_files: tuple[str, str]) -> None:
    code, out, _ = run("diff", *pair_files, "--width", "80")
    assert code == 0
    assert not ANSI.search(out)
    assert "coverage" in out and "similarity" in out
    assert "[[#1 The Tolland ferry company" in out
    assert "[-said-]" in out and "{+announced+}" in out and "{+early+}" in out
    assert out.count("[[") == out.count("]]")


def test_side_by_side_when_wide_enough(pair_files: tuple[str, str]) -> None:
    code, out, _ = run("diff", *pair_files, "--width", "120")
    assert code == 0
    body = out.split("\n")[5:]
    assert any(" | " in line for line in body)
    assert max(len(line) for line in out.splitlines()) <= 120
    line = next(x for x in body if "[[#1" in x)
    assert line.count("[[#1") == 2  # the span and its counterpart on one line


def test_narrow_terminal_stacks_the_texts(pair_files: tuple[str, str]) -> None:
    code, out, _ = run("diff", *pair_files, env={"COLUMNS": "70"})
    assert code == 0
    assert "=== A: " in out and "=== B: " in out
    assert out.index("=== A: ") < out.index("=== B: ")
    wide = run("diff", *pair_files, env={"COLUMNS": "150"})[1]
    assert "=== A: " not in wide and " | " in wide


def test_color_forced_draws_with_escape_codes(pair_files: tuple[str, str]) -> None:
    code, out, _ = run("diff", *pair_files, "--color", "--width", "120")
    assert code == 0
    assert ANSI.search(out)
    plain = ANSI.sub("", out)
    assert "[[" not in plain and "{+" not in plain
    assert "The Tolland ferry company" in plain and "announced" in plain
    assert max(len(line) for line in plain.splitlines()) <= 120
    assert "A: " in plain.splitlines()[4] and "B: " in plain.splitlines()[4]  # the side-by-side table's header


def test_no_color_wins_over_a_terminal_and_color_flag_wins_over_no_color(pair_files: tuple[str, str],
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    master, slave = os.openpty()
    with open(slave, "w") as tty:
        monkeypatch.delenv("NO_COLOR", raising=False)
        assert want_color(None, tty) is True
        monkeypatch.setenv("NO_COLOR", "1")
        assert want_color(None, tty) is False
        assert want_color(True, tty) is True
    os.close(master)
    code, out, _ = run("diff", *pair_files, "--width", "100", env={"NO_COLOR": "1"})
    assert code == 0 and not ANSI.search(out) and "[[#1" in out
    code, out, _ = run("diff", *pair_files, "--color", "--width", "100", env={"NO_COLOR": "1"})
    assert code == 0 and ANSI.search(out)


def test_control_characters_in_articles_do_not_reach_the_terminal(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("\x1b]0;owned\x07" + ORIGINAL + "\x1b[2J", encoding="utf-8")
    b.write_text(EDITED, encoding="utf-8")
    for flag in ("--no-color", "--color"):
        code, out, _ = run("diff", str(a), str(b), flag, "--width", "120")
        assert code == 0
        assert "\x07" not in out and "\x1b]" not in out and "\x1b[2J" not in out
    assert printable("a\x1bb\rc\x9bd") == "a\u241bbc\ufffdd"


def test_plain_output_needs_no_rich(pair_files: tuple[str, str]) -> None:
    code = ("import sys; sys.modules['rich'] = None\n"
            "from dedup.cli import main\n"
            f"sys.argv = ['dedup', 'diff', {pair_files[0]!r}, {pair_files[1]!r}{{}}]\n"
            "main()")
    done = subprocess.run([sys.executable, "-c", code.format("")], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "[[#1 " in done.stdout and "{+announced+}" in done.stdout
    forced = subprocess.run([sys.executable, "-c", code.format(", '--color'")], capture_output=True, text=True,
                            cwd=ROOT)
    assert forced.returncode != 0 and forced.stderr.strip() == "Error: colour needs rich: pip install rich (or use --no-color)"


def test_two_ids_from_a_jsonl_file(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    lines = [json.dumps({"id": "n1", "outlet": "Tolland Post", "date": "2026-04-01", "text": ORIGINAL}),
             "{not json",
             json.dumps({"id": "n2", "outlet": "Coast Echo", "date": "2026-04-02", "text": EDITED}),
             json.dumps({"id": "n3", "text": OTHER})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run("diff", str(path), "n1", "n2", "--width", "80")
    assert code == 0
    assert "A: n1" in out and "B: n2" in out and "source: A (by date)" in out
    assert "{+announced+}" in out
    assert f"{path}:2" in err and "malformed JSON" in err
    code, out, err = run("diff", str(path), "n1", "n22")
    assert code != 0 and "no article with id 'n22'" in err and "n2" in err
    code, _, err = run("diff", str(path), "n1")
    assert code != 0 and "holds many articles" in err


def test_folder_ids_mark_boilerplate_as_a_scan_does(samples_dir: Path) -> None:
    code, out, _ = run("diff", str(samples_dir), "daily-herald/mayor-speech.txt", "daily-herald/bridge-reprint.txt",
                       "--width", "80")
    assert code == 0
    assert "{{#1 DAILY HERALD" in out and "2 boilerplate" in out
    code, out, _ = run("diff", str(samples_dir), "daily-herald/mayor-speech.txt", "city-times/mayor-address.txt",
                       "--width", "80")
    assert code == 0 and "«#1 " in out and "2 quote" in out and "[[#" not in out


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run("diff", str(tmp_path / "nope.txt"), str(tmp_path / "nope2.txt"))
    assert code != 0 and "nope.txt: no such file" in err


def test_diff_of_two_seed_articles(seeds_dir: Path) -> None:
    a, b = seeds_dir / "000_82e7b7e33ea09e69.txt", seeds_dir / "003_4eea159936ffc5e9.txt"
    code, out, _ = run("diff", str(a), str(b), "--width", "160")
    assert code == 0
    expected = build_diff(Article(str(a), a.read_text(encoding="utf-8")),
                          Article(str(b), b.read_text(encoding="utf-8")), Settings())
    assert f"{len(expected.spans)} span" in out
    markers = {"prose": "[[#", "quote": "«#", "boilerplate": "{{#"}
    for n, d in enumerate(expected.spans, 1):
        assert out.count(f"{markers[d.span.kind]}{n} ") == 2  # once on each side


def test_diff_html_page(pair_files: tuple[str, str], tmp_path: Path) -> None:
    page = tmp_path / "diff.html"
    code, _, _ = run("diff", *pair_files, "--html", str(page), "--width", "80")
    assert code == 0
    html = page.read_text(encoding="utf-8")
    block = r'<script type="application/json" id="dedup-{}">(.*?)</script>'
    data = json.loads(re.search(block.format("data"), html, re.S)[1])
    texts = json.loads(re.search(block.format("texts"), html, re.S)[1])
    diff = build_diff(Article("a", ORIGINAL), Article("b", EDITED), Settings())
    assert texts == [ORIGINAL, EDITED] and len(data["docs"]) == 2
    assert len(data["pairs"]) == 1 and len(data["pairs"][0]["spans"]) == len(diff.spans)
    assert len(side_pieces(diff, "a")) > 1


def test_diff_finds_the_spans_the_scan_reports(samples_dir: Path) -> None:
    from dedup import load, scan
    from dedup.diffview import load_pair

    report = scan(load([str(samples_dir)])[0], Settings(), jobs=1)
    assert report.pairs
    for match in report.pairs:
        pair = load_pair([str(samples_dir), match.a, match.b])
        diff = build_diff(pair.a, pair.b, Settings(), pair.marks_a, pair.marks_b)
        if match.reason == "role":  # learned from the whole corpus's pairs, which a diff does not align
            assert diff.match.reason in (None, "containment")
            diff = replace(diff, match=replace(diff.match, source=match.source, reason="role",
                                               confidence=match.confidence))
        assert diff.match == match
