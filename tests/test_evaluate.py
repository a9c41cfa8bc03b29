"""Scoring reports against truth: each measure on small cases worked out by hand, and `dedup eval`."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from dedup.cli import cli
from dedup.evaluate import (
    TruthError,
    adjusted_rand_index,
    evaluate,
    pan_scores,
    read_truth,
    truth_from_dict,
)
from dedup.graph import components
from dedup.model import Family, Match, OutletStats, Report, Span


def truth_doc(**parts):
    base = {"documents": [], "pairs": []}
    base.update(parts)
    return truth_from_dict(base, "truth.json")


def span(a0, a1, b0, b1, kind="prose"):
    return {"a_start": a0, "a_end": a1, "b_start": b0, "b_end": b1, "kind": kind}


def match(a, b, spans, source=None, reason=None):
    return Match(a, b, tuple(Span(*s[:4], 1.0, s[4] if len(s) > 4 else "prose") for s in spans), 0.5, 0.5,
                 source, reason)


def report(pairs=(), families=(), outlets=(), docs=()):
    return Report(tuple(docs), tuple(pairs), tuple(families), tuple(outlets))


DOCS = [{"id": i, "outlet": o, "length": 200} for i, o in
        (("x", "reuters"), ("y", "herald"), ("z", "post"), ("u", "herald"), ("v", "post"), ("w", "post"))]


def test_pairs_are_unordered_and_quotation_only_pairs_are_not_copies():
    truth = truth_doc(documents=DOCS, pairs=[
        {"a": "x", "b": "y", "source": "x", "spans": [span(0, 100, 0, 100)]},
        {"a": "x", "b": "z", "source": "x", "spans": [span(0, 50, 10, 60)]},
        {"a": "u", "b": "v", "spans": [span(5, 40, 5, 40, "quote")]},
    ])
    found = report([match("y", "x", [(0, 100, 0, 100)]),       # right pair, other way round
                    match("u", "v", [(5, 40, 5, 40)]),          # a shared quotation called prose
                    match("w", "x", [(0, 30, 0, 30)]),          # not a copy at all
                    match("x", "z", [(0, 50, 10, 60, "quote")])])  # the copy, but only as a quotation
    e = evaluate(truth, found)
    assert (e.pairs.true, e.pairs.found, e.pairs.false) == (2, 1, 2)
    assert e.pairs.precision == pytest.approx(1 / 3)
    assert e.pairs.recall == pytest.approx(1 / 2)
    assert e.pairs.f1 == pytest.approx(0.4)
    assert (e.quote_only, e.quote_only_as_prose) == (1, 1)
    assert e.missed == (("x", "z"),)
    assert e.false == (("u", "v"), ("w", "x"))


def test_pan_measures_of_a_case_split_in_two_detections():
    # one case of 100 characters on each side; two detections, the second running 20 characters past it
    cases = {("p", "q"): [((0, 100), (0, 100))]}
    detections = {("p", "q"): [((0, 50), (0, 50)), ((50, 120), (50, 120))]}
    s = pan_scores(cases, detections)
    assert s.recall == pytest.approx(1.0)
    assert s.precision == pytest.approx((1 + 100 / 140) / 2)  # = 6/7
    assert s.granularity == pytest.approx(2.0)
    assert s.f1 == pytest.approx(12 / 13)
    assert s.plagdet == pytest.approx((12 / 13) / math.log2(3))


def test_pan_measures_count_a_detection_only_for_its_own_pair_and_overlap():
    cases = {("p", "q"): [((0, 100), (0, 100)), ((200, 300), (400, 500))]}
    detections = {("p", "q"): [((0, 100), (0, 100)), ((200, 300), (0, 50))],  # second: right in p, wrong in q
                  ("p", "r"): [((0, 100), (0, 100))]}
    s = pan_scores(cases, detections)
    assert s.recall == pytest.approx(0.5)
    assert s.precision == pytest.approx(1 / 3)
    assert s.granularity == pytest.approx(1.0)
    assert pan_scores({}, {}).precision == 1.0 and pan_scores(cases, {}).precision == 0.0


@pytest.mark.parametrize("left, right, expected", [
    ([0, 0, 1, 1, 2], ["a", "a", "b", "b", "c"], 1.0),          # same partition, other names
    ([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2], 8 / 33),            # worked out from the contingency table
    ([0, 1, 2, 3], [0, 1, 2, 3], 1.0),                            # all singletons on both sides
    ([0, 0, 1, 1], [0, 1, 2, 3], 0.0),                            # pairs against singletons
])
def test_adjusted_rand_index(left, right, expected):
    assert adjusted_rand_index(left, right) == pytest.approx(expected)


def test_families_default_to_components_of_copy_pairs_and_score_by_ari():
    truth = truth_doc(documents=[{"id": i} for i in "abcdef"], pairs=[
        {"a": "a", "b": "b", "spans": [span(0, 9, 0, 9)]},
        {"a": "b", "b": "c", "spans": [span(0, 9, 0, 9)]},
        {"a": "d", "b": "e", "spans": [span(0, 9, 0, 9, "quote")]},
    ])
    assert truth.families == (("a", "b", "c"),)
    assert components([("d", "e"), ("a", "b")]) == [["a", "b"], ["d", "e"]]
    same = report(families=[Family("F1", ("a", "b", "c"), None)])
    split = report(families=[Family("F1", ("a", "b"), None)])
    assert evaluate(truth, same).ari == pytest.approx(1.0)
    # truth {abc} d e f vs report {ab} c d e f: index 1, rows 3, cols 1, 15 pairs -> (1 - 0.2) / (2 - 0.2)
    assert evaluate(truth, split).ari == pytest.approx(0.8 / 1.8)


def test_sources_wire_pairs_and_outlet_shares():
    truth = truth_doc(documents=DOCS, pairs=[
        {"a": "x", "b": "y", "source": "x", "spans": [span(0, 120, 0, 100)]},   # wire -> outlet
        {"a": "y", "b": "z", "source": "y", "spans": [span(0, 50, 0, 50)]},     # outlet -> outlet
        {"a": "z", "b": "w", "spans": [span(60, 80, 60, 80)]},                  # source unknown
    ])
    found = report(
        [match("x", "y", [(0, 120, 0, 100)], source="x"),
         match("y", "z", [(0, 50, 0, 50)], source="z"),
         match("z", "w", [(60, 80, 60, 80)], source="z")],
        outlets=[OutletStats("herald", 2, 400, 0.28, 0.3, {}), OutletStats("post", 3, 600, 0.1, 0.1, {})],
    )
    e = evaluate(truth, found)
    assert (e.sources.found, e.sources.correct) == (2, 1)
    assert (e.sources.wire_found, e.sources.wire_correct, e.sources.wire_accuracy) == (1, 1, 1.0)
    errors = {o.outlet: o for o in e.outlets}
    assert errors["herald"].truth == pytest.approx(100 / 400)   # y: 100 copied characters of herald's 400
    assert errors["herald"].error_pp == pytest.approx(3.0)
    assert errors["post"].truth == pytest.approx(50 / 600)
    assert errors["reuters"].truth == 0.0
    assert e.max_outlet_error == pytest.approx(3.0)


def test_sources_are_scored_by_the_reason_the_report_gave():
    truth = truth_doc(documents=DOCS, pairs=[
        {"a": "x", "b": "y", "source": "x", "spans": [span(0, 100, 0, 100)]},
        {"a": "x", "b": "z", "source": "x", "spans": [span(0, 100, 0, 100)]},
        {"a": "y", "b": "z", "source": "y", "spans": [span(0, 50, 0, 50)]},
        {"a": "z", "b": "w", "source": "z", "spans": [span(0, 50, 0, 50)]},
    ])
    found = report([match("x", "y", [(0, 100, 0, 100)], source="x", reason="date"),
                    match("x", "z", [(0, 100, 0, 100)], source="z", reason="date"),
                    match("y", "z", [(0, 50, 0, 50)], source="y", reason="role"),
                    match("z", "w", [(0, 50, 0, 50)])])          # cannot tell: no reason to score
    assert evaluate(truth, found).sources.by_reason == (("date", 2, 1), ("role", 1, 1))


def test_lookalikes_linked_count_pairs_and_families():
    truth = truth_doc(documents=[{"id": i} for i in ("t1", "t2", "t3")],
                      lookalikes=[{"name": "earnings", "members": ["t1", "t2", "t3"]}])
    found = report([match("t1", "t2", [(0, 60, 0, 60)])], families=[Family("F1", ("t1", "t2"), None)])
    e = evaluate(truth, found)
    assert (e.lookalike_pairs, e.lookalike_families) == (1, 1)
    assert e.false_by_case == {"?+?": 1}


def test_scores_by_case_label():
    truth = truth_doc(documents=[{"id": i, "case": c} for i, c in (("w", "wire"), ("r", "reprint"), ("s", "sentence"))],
                      pairs=[{"a": "w", "b": "r", "case": "reprint", "source": "w", "spans": [span(0, 90, 0, 90)]},
                             {"a": "w", "b": "s", "case": "sentence", "source": "w", "spans": [span(10, 30, 50, 70)]}])
    e = evaluate(truth, report([match("w", "r", [(0, 90, 0, 90)], source="w")]))
    cases = {c.case: c for c in e.by_case}
    assert (cases["reprint"].found, cases["reprint"].recall, cases["reprint"].spans.recall) == (1, 1.0, 1.0)
    assert (cases["sentence"].found, cases["sentence"].recall, cases["sentence"].spans.recall) == (0, 0.0, 0.0)


def test_cannot_tell_is_the_share_of_found_wire_pairs_left_without_a_source():
    truth = truth_doc(documents=DOCS, pairs=[
        {"a": "x", "b": "y", "source": "x", "spans": [span(0, 100, 0, 100)]},   # wire -> outlet, found, no source
        {"a": "x", "b": "z", "source": "x", "spans": [span(0, 100, 0, 100)]},   # wire -> outlet, found, right
        {"a": "x", "b": "v", "source": "x", "spans": [span(0, 100, 0, 100)]},   # wire -> outlet, missed: not counted
        {"a": "y", "b": "u", "source": "y", "spans": [span(0, 50, 0, 50)]},     # outlet -> outlet, no source
    ])
    found = report([match("x", "y", [(0, 100, 0, 100)]), match("x", "z", [(0, 100, 0, 100)], source="x"),
                    match("y", "u", [(0, 50, 0, 50)])])
    s = evaluate(truth, found).sources
    assert (s.wire_found, s.wire_correct, s.wire_unknown) == (2, 1, 1)
    assert s.wire_unknown_share == pytest.approx(0.5)
    assert (s.found, s.correct) == (3, 1)
    assert evaluate(truth, report()).sources.wire_unknown_share is None


def test_wire_outlets_of_the_truth_decide_which_pairs_are_wire_to_outlet():
    docs = [{"id": "n/1", "outlet": "Nordpress"}, {"id": "h/1", "outlet": "herald"}, {"id": "r/1", "outlet": "reuters"},
            {"id": "h/2", "outlet": "herald"}]
    pairs = [{"a": "n/1", "b": "h/1", "source": "n/1", "spans": [span(0, 90, 0, 90)]},
             {"a": "r/1", "b": "h/2", "source": "r/1", "spans": [span(0, 90, 0, 90)]}]
    found = report([match("n/1", "h/1", [(0, 90, 0, 90)], source="n/1"),
                    match("r/1", "h/2", [(0, 90, 0, 90)], source="r/1")])
    by_settings = evaluate(truth_doc(documents=docs, pairs=pairs), found).sources
    assert by_settings.wire_found == 1          # only reuters is on the default list
    named = truth_doc(documents=docs, pairs=pairs, wire_outlets=["nordpress"])
    assert named.wire_outlets == ("nordpress",)
    by_truth = evaluate(named, found, wire_outlets=("reuters",)).sources
    assert (by_truth.wire_found, by_truth.wire_correct) == (1, 1)   # Nordpress -> herald; reuters is an outlet here


PAGES = [{"id": i, "outlet": o, "length": 300, "body": [100, 250]} for i, o in
         (("h1", "herald"), ("h2", "herald"), ("h3", "herald"), ("p1", "post"), ("p2", "post"))]


def test_families_formed_by_furniture_alone():
    truth = truth_doc(documents=PAGES + [{"id": "w", "outlet": "reuters", "length": 400}], pairs=[
        {"a": "w", "b": "p1", "source": "w", "spans": [span(0, 150, 100, 250)]},
    ])
    found = report(
        [match("h1", "h2", [(0, 60, 0, 60)]),                  # both headers: furniture
         match("h2", "h3", [(240, 290, 90, 140)]),             # 10 of 50 in h2's body (and 40 in h3's): furniture
         match("p1", "w", [(100, 250, 0, 150)]),               # the true copy
         match("p1", "p2", [(80, 120, 80, 120)]),              # half outside both bodies: furniture
         match("h1", "p2", [(120, 200, 120, 200)])],           # inside both bodies: false, not furniture
        families=[Family("F1", ("h1", "h2", "h3"), None),     # furniture alone
                  Family("F2", ("p1", "p2", "w"), None),      # a true copy among its links
                  Family("F3", ("h1", "p2"), None)],          # linked inside the bodies
    )
    e = evaluate(truth, found)
    assert (e.furniture_pairs, e.furniture_families) == (3, 1)
    assert e.to_dict()["furniture_families"] == 1


def test_a_wire_story_without_body_has_no_furniture():
    truth = truth_doc(documents=[{"id": "w1", "length": 300}, {"id": "w2", "length": 300}])
    found = report([match("w1", "w2", [(0, 60, 0, 60)])], families=[Family("F1", ("w1", "w2"), None)])
    assert (evaluate(truth, found).furniture_pairs, evaluate(truth, found).furniture_families) == (0, 0)


@pytest.mark.parametrize("data, message", [
    ([], "must be a JSON object"),
    ({"pairs": []}, "missing list 'documents'"),
    ({"documents": [{"outlet": "x"}], "pairs": []}, "documents[0]: needs an 'id'"),
    ({"documents": [], "pairs": [{"a": "x", "b": "y"}]}, "pairs[0]: missing list 'spans'"),
    ({"documents": [], "pairs": [{"a": "x", "b": "y", "spans": [{"a_start": 0}]}]}, "pairs[0].spans[0]: missing 'a_end'"),
    ({"documents": [], "pairs": [{"a": "x", "b": "y", "spans": [span(9, 1, 0, 1)]}]}, "0 <= start <= end"),
    ({"documents": [], "pairs": [{"a": "x", "b": "y", "spans": [span(0, 1, 0, 1, "copy")]}]}, "kind must be"),
    ({"documents": [], "pairs": [{"a": "x", "b": "y", "source": "z", "spans": []}]}, "source must be a, b or null"),
    ({"documents": [{"id": "x", "length": 10, "body": [2, 11]}], "pairs": []}, "documents[0]: body must be"),
    ({"documents": [{"id": "x", "body": [5]}], "pairs": []}, "documents[0]: body must be"),
    ({"documents": [], "pairs": [], "wire_outlets": "reuters"}, "wire_outlets must be a list"),
])
def test_bad_truth_is_refused_with_the_file_and_item(data, message):
    with pytest.raises(TruthError) as err:
        truth_from_dict(data, "labels.json")
    assert "labels.json" in str(err.value) and message in str(err.value)


ORIGINAL = ("The harbour board voted on Tuesday to close the old ferry terminal at the end of the summer, "
            "after engineers found that the pilings under the north pier had rotted beyond repair.")
HERALD = ("HERALD NEWS\n\nFerry terminal to close\n\n" + ORIGINAL +
          "\n\nResidents who use the ferry every day told us they were worried about the longer drive.")
POST = ("A quiet week in the valley, where the orchards are in bloom and the council has little on its agenda. "
        "The library will extend its opening hours on Thursdays from next month, the librarian said.")


def write_corpus(folder):
    lines = [{"id": "wire/ferry", "outlet": "reuters", "date": "2026-03-01", "text": ORIGINAL},
             {"id": "herald/ferry", "outlet": "herald", "date": "2026-03-02", "text": HERALD},
             {"id": "post/valley", "outlet": "post", "date": "2026-03-02", "text": POST}]
    path = folder / "news.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    start = HERALD.index(ORIGINAL)
    truth = {"documents": [{"id": x["id"], "outlet": x["outlet"], "length": len(x["text"]), "case": "story"}
                           for x in lines],
             "pairs": [{"a": "wire/ferry", "b": "herald/ferry", "source": "wire/ferry", "case": "reprint",
                        "spans": [span(0, len(ORIGINAL), start, start + len(ORIGINAL))]}]}
    (folder / "truth.json").write_text(json.dumps(truth))
    return path


def test_dedup_eval_scores_a_real_scan(tmp_path):
    runner = CliRunner()
    corpus = write_corpus(tmp_path)
    scanned = runner.invoke(cli, ["scan", str(corpus), "--format", "json", "-o", str(tmp_path / "report.json")])
    assert scanned.exit_code == 0, scanned.output
    result = runner.invoke(cli, ["eval", str(tmp_path / "truth.json"), str(tmp_path / "report.json")])
    assert result.exit_code == 0, result.output
    assert "pairs       P 1.000  R 1.000  F1 1.000" in result.output
    assert "wire to outlet 1.000 of 1" in result.output
    as_json = runner.invoke(cli, ["eval", str(tmp_path / "truth.json"), str(tmp_path / "report.json"),
                                  "--format", "json"])
    scores = json.loads(as_json.output)
    assert scores["pairs"]["f1"] == 1.0
    assert scores["spans"]["recall"] > 0.95 and scores["spans"]["granularity"] == 1.0
    herald = next(o for o in scores["outlets"] if o["outlet"] == "herald")
    assert herald["error_pp"] < 2.0 and herald["truth"] == pytest.approx(len(ORIGINAL) / len(HERALD))
    assert read_truth(tmp_path / "truth.json").pairs[0].case == "reprint"


def test_dedup_eval_reports_bad_files_by_name(tmp_path):
    runner = CliRunner()
    (tmp_path / "truth.json").write_text('{"documents": [], "pairs": [}')
    (tmp_path / "report.json").write_text('{"pairs": []}')
    broken = runner.invoke(cli, ["eval", str(tmp_path / "truth.json"), str(tmp_path / "report.json")])
    assert broken.exit_code == 1
    assert "truth.json:1: not valid JSON" in broken.output
    (tmp_path / "truth.json").write_text('{"documents": [], "pairs": []}')
    (tmp_path / "report.json").write_text('{"documents": []}')
    not_report = runner.invoke(cli, ["eval", str(tmp_path / "truth.json"), str(tmp_path / "report.json")])
    assert not_report.exit_code == 1 and "report.json: not a dedup JSON report" in not_report.output
