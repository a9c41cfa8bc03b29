import csv
import io
import json

import pytest
from click.testing import CliRunner

from dedup.cli import cli
from dedup.contracts import validate


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)
    return invoke


def test_scan_prints_a_summary(run, samples_dir):
    result = run("scan", str(samples_dir))
    assert result.exit_code == 0
    assert "20 articles: 6 stories copied by 9 articles" in result.output
    assert "  1. “Port Calder council approves $412 million harbor bridge” (wire, 2026-03-02)" in result.output


def test_scan_json_report_follows_the_shipped_schema(run, samples_dir, tmp_path):
    out = tmp_path / "r.json"
    assert run("scan", str(samples_dir), "--format", "json", "-o", str(out)).exit_code == 0
    report = json.loads(out.read_text())
    validate("report", report)  # the file as written, not only what the library handed the writer
    assert report["dedup"]["schema"] == 4


def test_jsonl_and_csv_list_the_same_pairs(run, samples_dir):
    lines = run("scan", str(samples_dir), "--format", "jsonl").output.splitlines()
    rows = list(csv.DictReader(io.StringIO(run("scan", str(samples_dir), "--format", "csv").output)))
    assert len(lines) == len(rows) == 22
    assert [(json.loads(x)["a"], json.loads(x)["b"]) for x in lines] == [(r["a"], r["b"]) for r in rows]


def test_jsonl_on_stdin_with_mapped_fields(run):
    text = "The bridge over the harbour will finally open to traffic in May after years of delays and debate."
    records = [{"doc": "x", "body": f"Intro one. {text}"}, {"doc": "y", "body": f"{text} Outro two."}]
    data = "\n".join(json.dumps(r) for r in records) + "\n"
    result = run("scan", "-", "--field", "id=doc", "--field", "text=body", "--format", "jsonl", input=data)
    assert result.exit_code == 0
    (pair,) = [json.loads(x) for x in result.output.splitlines()]
    assert (pair["a"], pair["b"]) == ("x", "y")


def test_bad_input_is_named_and_the_scan_goes_on(run, samples_dir, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "text": "hello there"}\n{oops\n')
    result = run("scan", str(samples_dir), str(bad), str(tmp_path / "missing"))
    assert result.exit_code == 0
    assert f"{bad}:2: malformed JSON" in result.output
    assert "missing: no such file or folder" in result.output


def test_nothing_to_scan_is_an_error_without_traceback(run, tmp_path):
    result = run("scan", str(tmp_path))
    assert result.exit_code == 1
    assert "Error: nothing to scan" in result.output
    assert "Traceback" not in result.output


def test_settings_can_be_set(run, samples_dir):
    assert run("scan", str(samples_dir), "--set", "max_gap=4", "--min-words", "10").exit_code == 0


@pytest.mark.parametrize("value, message", [
    ("min_score=2", "min_score must be a number in [0.0, 1.0], got 2.0"),
    ("min_score=high", "--set min_score=high: min_score takes a number"),
    ("min_score=nan", "--set min_score=nan: min_score takes a finite number"),
    ("max_gap=true", "--set max_gap=true: max_gap takes a whole number"),
    ("max_gap=1.5", "--set max_gap=1.5: max_gap takes a whole number"),
    ("wire_outlets=5", "wire_outlets must be a list of outlet names"),
    ("wire_outlets=[5]", "--set wire_outlets=[5]: wire_outlets takes a list of names"),
    ("nonsense=1", "unknown setting(s): nonsense"),
    ("shingle", "--set takes NAME=VALUE"),
])
def test_a_bad_setting_is_one_line_and_exit_status_2(run, samples_dir, value, message):
    result = run("scan", str(samples_dir), "--set", value)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_wire_services_are_named_in_any_case_and_lists_parse(run, tmp_path):
    story = ("The harbour authority said on Monday that the new bridge would open to traffic in May, "
             "after three years of delays caused by storms and a shortage of steel.")
    records = [{"id": "agency-1", "outlet": "Meridian Newswire", "text": story},
               {"id": "paper-1", "outlet": "Valley Post", "text": "Local news. " + story}]
    data = "".join(json.dumps(r) + "\n" for r in records)
    for option in (["--wire", "meridian NEWSWIRE"], ["--set", "wire_outlets=Meridian Newswire, AP"],
                   ["--set", 'wire_outlets=["MERIDIAN NEWSWIRE"]']):
        result = run("scan", "-", "--format", "jsonl", *option, input=data)
        (pair,) = [json.loads(x) for x in result.output.splitlines()]
        assert (pair["source"], pair["reason"]) == ("agency-1", "wire"), option
