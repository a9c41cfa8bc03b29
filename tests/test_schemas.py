"""The JSON Schemas of dedup's contracts: real output validates, broken output does not."""

from __future__ import annotations

import copy
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

import dedup
from benchmarks.accuracy import generate, reuters
from dedup import Article, Index
from dedup.cli import cli
from dedup.contracts import SCHEMAS, ContractError, schema, validate
from dedup.errors import DedupError
from dedup.evaluate import truth_from_dict
from dedup.filter import Policy, reject_record, run
from dedup.report import to_dict, write_json, write_jsonl

from index_helpers import QUOTING, REPRINT, STITCHED, UNRELATED, WIRE
from rewrites import REWRITE, SOURCE

ROOT = Path(__file__).resolve().parent.parent

INCOMING = [
    json.dumps({"id": "herald-7", "text": REPRINT, "outlet": "herald", "tags": ["ferry"]}),
    json.dumps({"id": "island-2", "text": STITCHED}),
    '{"id": "broken", "text": ',
    json.dumps({"id": "commuters", "text": QUOTING}),
    json.dumps({"id": "empty", "text": "   "}),
    json.dumps(["not", "an", "object"]),
    json.dumps({"text": UNRELATED}),
]
"""A reprint, a partial copy, a quotation, unrelated text, and three lines that are not articles."""

MISSING = object()
"""A value for :func:`edit`: take the key out."""


def lines(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def filtered(tmp_path: Path, policy: Policy) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Records written and rejects lines of a real filter run against a SQLite index of WIRE."""
    tmp_path.mkdir(exist_ok=True)
    with Index.open(str(tmp_path / "news.idx")) as idx:
        idx.add([Article("wire-1", WIRE, outlet="wire", date="2026-03-03")])
        out, rejects = io.BytesIO(), io.BytesIO()
        raw = [(line + "\n").encode() for line in INCOMING]
        run(idx, [("<stdin>", n, line, len(line)) for n, line in enumerate(raw, 1)], out, rejects, policy)
    return lines(out.getvalue()), lines(rejects.getvalue())


@pytest.fixture(scope="module")
def report_data(samples_dir: Path) -> dict[str, Any]:
    articles, problems = dedup.load([str(samples_dir)])
    return to_dict(dedup.scan(articles, problems=problems), dedup.Settings().to_dict())


@pytest.fixture
def pair_data(report_data: dict[str, Any]) -> dict[str, Any]:
    return report_data["pairs"][0]


@pytest.fixture
def record_data(tmp_path: Path) -> dict[str, Any]:
    records, _ = filtered(tmp_path, Policy(annotate=True, spans=True))
    return next(r for r in records if r["dedup"]["status"] == "partial")


@pytest.fixture
def truth_data() -> dict[str, Any]:
    return {"documents": [{"id": "wire/1", "outlet": "reuters", "length": 2113, "case": "wire"},
                          {"id": "herald/7", "outlet": "herald"}],
            "pairs": [{"a": "wire/1", "b": "herald/7", "source": "wire/1", "case": "trim",
                       "spans": [{"a_start": 20, "a_end": 940, "b_start": 151, "b_end": 1060, "kind": "prose"}]}]}


@pytest.mark.parametrize("name", SCHEMAS)
def test_each_schema_is_a_valid_draft_2020_12_schema_with_an_id_and_a_title(name: str) -> None:
    data = schema(name)
    Draft202012Validator.check_schema(data)
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert data["$id"].endswith("/" + SCHEMAS[name]) and data["title"] and data["description"]


def test_every_schema_file_is_named_and_shipped() -> None:
    files = {p.name for p in (ROOT / "dedup" / "schemas").glob("*.json")}
    assert files == set(SCHEMAS.values())
    package_data = re.search(r"^\[tool\.setuptools\.package-data\]\ndedup = (.*)$",
                             (ROOT / "pyproject.toml").read_text(), re.MULTILINE)
    assert package_data and "schemas/*.json" in json.loads(package_data[1])


def test_schema_hands_out_a_copy() -> None:
    schema("report")["title"] = "changed"
    assert schema("report")["title"] != "changed"


def test_an_unknown_schema_is_named() -> None:
    with pytest.raises(DedupError, match="no schema named 'scan'; the schemas are report, pair"):
        validate("scan", {})


def test_the_samples_report_validates(report_data: dict[str, Any]) -> None:
    validate("report", report_data)
    kinds = {s["kind"] for p in report_data["pairs"] for s in p["spans"]}
    assert kinds == {"prose", "quote", "boilerplate"} and report_data["clusters"] and report_data["outlets"]
    assert report_data["stories"] and len(report_data["coverage"]) == len(report_data["documents"])


def test_the_json_report_holds_one_record_to_a_line(samples_dir: Path) -> None:
    articles, _ = dedup.load([str(samples_dir)])
    report = dedup.scan(articles)
    out = io.StringIO()
    write_json(report, out, {"min_words": 8})
    text = out.getvalue()
    assert json.loads(text) == to_dict(report, {"min_words": 8})
    lines = text.splitlines()
    pair_lines = lines[lines.index(' "pairs": [') + 1:][:len(report.pairs)]
    pairs = [json.loads(line.strip().rstrip(",")) for line in pair_lines]
    assert [(p["a"], p["b"]) for p in pairs] == [(m.a, m.b) for m in report.pairs]


def test_a_report_with_a_rewritten_copy_validates() -> None:
    articles = [Article("wire-1", SOURCE, outlet="wire", date="2026-03-01"),
                Article("desk-1", REWRITE, outlet="desk", date="2026-03-02")]
    settings = dedup.Settings(bridge_words=24)
    data = to_dict(dedup.scan(articles, settings), settings.to_dict())
    validate("report", data)
    (span,) = data["pairs"][0]["spans"]
    assert span["kind"] == "rewritten" and 0 < span["content"] <= 1
    desk = next(o for o in data["outlets"] if o["outlet"] == "desk")
    assert desk["rewritten_share"] > 0.8 and desk["reused_share"] == 0.0


def test_each_jsonl_pair_line_validates(samples_dir: Path) -> None:
    articles, _ = dedup.load([str(samples_dir)])
    out = io.StringIO()
    write_jsonl(dedup.scan(articles).pairs, out)
    pairs = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(pairs) > 5
    for pair in pairs:
        validate("pair", pair)


def test_annotated_filter_records_validate_with_and_without_spans(tmp_path: Path) -> None:
    for spans in (False, True):
        records, _ = filtered(tmp_path / str(spans), Policy(annotate=True, spans=spans))
        assert [r["dedup"]["status"] for r in records] == ["duplicate", "partial", "new", "new"]
        assert all(("spans" in m) == spans for r in records for m in r["dedup"]["matches"])
        for record in records:
            validate("filter-record", record)
            validate("filter-record#/$defs/dedup", record["dedup"])


def test_a_rejects_file_validates_line_by_line(tmp_path: Path) -> None:
    _, rejects = filtered(tmp_path, Policy())
    assert ["dedup" in r for r in rejects] == [True, False, False, False]
    unreadable = reject_record(None, "cannot read: No such file or directory", "missing.jsonl")
    for line in [*rejects, unreadable]:
        validate("filter-reject", line)


@pytest.mark.slow
def test_a_generated_truth_file_validates(reuters_dir: Path, tmp_path: Path) -> None:
    corpus = generate.build(reuters.read(reuters_dir), seed=5, wire=8)
    _, path = generate.write(corpus, tmp_path)
    truth = json.loads(path.read_text(encoding="utf-8"))
    assert {"body", "from"} <= set().union(*truth["documents"]) and truth["truth"]["generator"]
    validate("truth", truth)


def test_a_minimal_truth_and_the_readmes_example_validate_and_are_read(truth_data: dict[str, Any]) -> None:
    example = {**truth_data, "families": [{"members": ["wire/1", "herald/7"]}],
               "lookalikes": [{"name": "earnings tables", "members": ["wire/5", "wire/9"]}],
               "wire_outlets": ["reuters"]}
    for truth in ({"documents": [{"id": "a"}], "pairs": []}, example):
        validate("truth", truth)
        assert truth_from_dict(truth).documents


def edit(data: Any, where: tuple[str | int, ...], value: object) -> None:
    *path, last = where
    for key in path:
        data = data[key]
    if value is MISSING:
        del data[last]
    else:
        data[last] = value


@pytest.mark.parametrize("name, base, where, value, error", [
    ("report", "report_data", ("outlets",), MISSING, "$: 'outlets' is a required property"),
    ("report", "report_data", ("pairs", 0, "a_coverage"), 1.5, "$.pairs[0].a_coverage: 1.5 is greater than the maximum of 1"),
    ("report", "report_data", ("pairs", 0, "spans", 0, "kind"), "copy", "$.pairs[0].spans[0].kind: 'copy' is not one of"),
    ("report", "report_data", ("pairs", 0, "spans", 0, "a_start"), -1, "$.pairs[0].spans[0].a_start: -1 is less than"),
    ("report", "report_data", ("pairs", 0, "reason"), None, "$.pairs[0].reason: None is not of type 'string'"),
    ("report", "report_data", ("dedup", "schema"), 3, "$.dedup.schema: 4 was expected"),
    ("report", "report_data", ("pairs", 0, "spans", 0, "content"), 1.5,
     "$.pairs[0].spans[0].content: 1.5 is greater than the maximum of 1"),
    ("report", "report_data", ("outlets", 0, "rewritten_share"), MISSING,
     "$.outlets[0]: 'rewritten_share' is a required property"),
    ("report", "report_data", ("families",), [], "$: Additional properties are not allowed ('families' was unexpected)"),
    ("report", "report_data", ("stories", 0, "copies"), [], "$.stories[0].copies: [] should be non-empty"),
    ("report", "report_data", ("stories", 0, "copies", 0, "edits", "kept"), -1,
     "$.stories[0].copies[0].edits.kept: -1 is less than the minimum of 0"),
    ("report", "report_data", ("coverage", 0, "original"), 1.2, "$.coverage[0].original: 1.2 is greater than"),
    ("pair", "pair_data", ("note",), "reprint", "$: Additional properties are not allowed ('note' was unexpected)"),
    ("filter-record", "record_data", ("dedup", "status"), "maybe", "$.dedup.status: 'maybe' is not one of"),
    ("filter-record", "record_data", ("dedup", "matches"), [], "$.dedup.matches: [] should be non-empty"),
    ("filter-reject", "record_data", ("dedup", "status"), "maybe", "$.dedup.status: 'maybe' is not one of"),
    ("truth", "truth_data", ("pairs", 0, "b"), MISSING, "$.pairs[0]: 'b' is a required property"),
    ("truth", "truth_data", ("pairs", 0, "spans", 0, "kind"), "boilerplate", "$.pairs[0].spans[0].kind: 'boilerplate' is not one of"),
    ("truth", "truth_data", ("familes",), [], "$: Additional properties are not allowed ('familes' was unexpected)"),
])
def test_broken_data_is_refused_with_the_path_of_the_error(name: str, base: str, where: tuple[str | int, ...],
                                                           value: object, error: str,
                                                           request: pytest.FixtureRequest) -> None:
    data = copy.deepcopy(request.getfixturevalue(base))
    validate(name, data)
    edit(data, where, value)
    with pytest.raises(ContractError, match="^" + re.escape(f"{name}: {error}")):
        validate(name, data)


def test_a_truth_document_may_carry_keys_of_its_own(truth_data: dict[str, Any]) -> None:
    truth_data["documents"][0]["title"] = "Grain prices"
    validate("truth", truth_data)


def test_validating_without_jsonschema_names_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from dedup import contracts

    contracts._validator.cache_clear()
    monkeypatch.setitem(sys.modules, "jsonschema", None)
    try:
        with pytest.raises(DedupError, match=r"pip install jsonschema"):
            validate("report", {})
    finally:
        contracts._validator.cache_clear()


def test_the_plugin_checks_what_the_cli_writes(contracts: Any, samples_dir: Path) -> None:
    before = contracts.counts["dedup.report.to_dict"]
    result = CliRunner().invoke(cli, ["scan", str(samples_dir), "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["pairs"]
    assert contracts.counts["dedup.report.to_dict"] == before + 1


def test_the_plugin_fails_a_test_whose_output_breaks_its_schema(contracts: Any) -> None:
    span = dedup.Span(0, 10, 0, 10, 1.0, "prose")
    broken = dedup.Report((), (dedup.Match("a", "b", (span,), 1.5, 0.5),), (), ())
    dedup.report.to_dict(broken)
    assert contracts.take_failures() == [("dedup.report.to_dict made data that does not match its schema: "
                                          "report: $.pairs[0].a_coverage: 1.5 is greater than the maximum of 1")]
