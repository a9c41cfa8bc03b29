"""Strings from the input reach a terminal as symbols and a spreadsheet as text; outputs are never half written.

Ids, outlets and file names are the attacker's: an escape sequence in one
could retitle the window, clear the screen or plant a hyperlink, U+202E could
reverse what the line shows, and a CSV cell starting with ``=`` or ``@`` runs
as a formula.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dedup.cli import cli
from dedup.cli.base import write_text

from index_helpers import REPRINT, WIRE

RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066")
"""What a terminal would obey: ESC, BEL, CSI, a right-to-left override, an isolate."""


def jsonl(*records: dict[str, str]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def invoke(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def test_the_scan_summary_shows_control_characters_as_symbols() -> None:
    stream = jsonl({"id": "\x1b]0;owned\x07wire-1", "text": WIRE, "outlet": "wire\u202eevil"},
                   {"id": "\x1b]8;;http://example.invalid\x07copy\x1b]8;;\x07", "text": REPRINT,
                    "outlet": "\x1b[2Jisland\x9b"})
    result = invoke("scan", "-", "--format", "text", "-q", input=stream)
    assert result.exit_code == 0
    assert "copies" in result.stdout or "~" in result.stdout  # the pair is shown ...
    assert not [c for c in RAW if c in result.stdout]  # ... and nothing in it is obeyed
    assert "\u241b]0;owned\u2407wire-1" in result.stdout and "\u241b[2Jisland" in result.stdout


def test_skip_warnings_show_file_names_and_ids_as_symbols(tmp_path: Path) -> None:
    source = tmp_path / "\x1b]0;title\x07news\u202e.jsonl"
    source.write_text(jsonl({"id": "a", "text": WIRE}) + '{"id": "\x1b[2J", "text": \n'
                      + jsonl({"id": "\x1b[2Jb", "no": "text"}))
    result = invoke("scan", str(source), "--format", "json", "-o", str(tmp_path / "report.json"))
    warnings = [w for w in result.stderr.splitlines() if "skipped" in w]
    assert len(warnings) == 2
    assert all("\u241b]0;title\u2407news\ufffd.jsonl" in w for w in warnings)
    assert not [c for c in RAW if c in result.stderr]


@pytest.mark.parametrize("a, b", [('=HYPERLINK("http://example.invalid","x")', "@SUM(1+1)"),
                                  ("\t=1+1", "+cmd|' /C calc'!A0"), ("-2+3", "=1")])
def test_csv_cells_never_run_as_formulas(a: str, b: str) -> None:
    stream = jsonl({"id": a, "text": WIRE, "outlet": "=wire"}, {"id": b, "text": REPRINT, "outlet": "@island"})
    result = invoke("scan", "-", "--format", "csv", "-q", input=stream)
    (header, row) = list(csv.reader(io.StringIO(result.stdout)))
    cells = dict(zip(header, row))
    assert {cells["a"], cells["b"]} == {"'" + a, "'" + b}
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row)


def test_a_carriage_return_in_an_id_keeps_its_csv_row_whole() -> None:
    stream = jsonl({"id": "wire\r1", "text": WIRE, "outlet": "wire"},
                   {"id": "copy\n1", "text": REPRINT, "outlet": "island"})
    result = invoke("scan", "-", "--format", "csv", "-q", input=stream)
    (header, row) = list(csv.reader(io.StringIO(result.stdout, newline="")))
    cells = dict(zip(header, row))
    assert {cells["a"], cells["b"]} == {"wire\r1", "copy\n1"}


def test_a_failed_write_leaves_the_previous_output_whole(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text('{"previous": true}\n', encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_text(str(path), "x" * 100_000 + "\ud800")  # fails after much of it was written
    assert path.read_text(encoding="utf-8") == '{"previous": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left behind
