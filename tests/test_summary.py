"""The terminal summary: articles by title, outlet and date; stories original first; --top."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import dedup
from dedup.cli import cli
from dedup.model import Article, Family, Report
from dedup.render_text import percent, summary
from dedup.stories import most_copied


@pytest.fixture(scope="module")
def report(samples_dir: Path) -> dedup.Report:
    articles, _ = dedup.load([str(samples_dir)])
    return dedup.scan(articles)


def section(text: str, head: str) -> list[str]:
    """The lines of one part of the summary (from its heading to the next blank line)."""
    lines = text.split(head, 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    return [x for x in lines if x.strip()]


def test_stories_come_original_first_with_each_copy_and_its_edits(report: dedup.Report) -> None:
    lines = section(summary(report), "stories (")
    assert lines[0] == "  1. “Port Calder council approves $412 million harbor bridge” (wire, 2026-03-02)"
    assert lines[1] == ("       <- “Port Calder green-lights long-awaited bridge to Eastmarsh” "
                        "(daily-herald, 2026-03-03): 89.0% of it copied, took 98.3%; whole, furniture added")
    assert sum(1 for x in lines if x.lstrip().startswith("<-")) == 10
    roundup = [x for x in lines if "Bridge deal and bread prices" in x]
    assert len(roundup) == 2 and all("lede rewritten" in x for x in roundup)  # under both wire stories


def test_a_cluster_puts_every_original_on_the_original_side(report: dedup.Report) -> None:
    f1, *others = section(summary(report), "clusters (")
    head, rest = f1.split(";")
    assert "harbor bridge" in head and "wheat prices" in head and head.index("harbor") < head.index("wheat")
    assert rest.strip() == "5 others" and "originals" in head
    assert len(others) == 4 and "school" not in f1 and all(x.endswith("; 1 other") for x in others)


def test_articles_without_a_title_are_named_by_id() -> None:
    docs = (Article("a/1", "x"), Article("b/2", "x", title="Two"))
    text = summary(Report(docs, (), (Family("F1", ("a/1", "b/2"), "a/1", ("a/1",)),), ()))
    assert "original a/1; 1 other" in text


def test_quotation_only_pairs_show_the_first_words_of_the_quotation(report: dedup.Report) -> None:
    text = summary(report, top=100)
    (line,) = [x for x in text.splitlines() if "quotations only" in x]
    assert " ~ " in line and line.endswith(": 2 quotations only: “Every child in this city should be able…”")


def test_pairs_follow_the_one_most_copied_order(report: dedup.Report) -> None:
    lines = section(summary(report, top=100), "pairs (")
    by_id = {d.id: d for d in report.documents}
    titles = [(by_id[report.pairs[i].copier or report.pairs[i].a].title) for i in most_copied(report.pairs)]
    assert len(lines) == len(titles) == len(report.pairs)
    assert all(x.startswith("  “" + t[:40]) for t, x in zip(titles, lines))  # the copy (or a) leads each line


def test_top_limits_stories_clusters_and_pairs(samples_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["scan", str(samples_dir), "--top", "1"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "  2. " not in out and "... 5 more stories (--top N shows more)" in out
    assert "... 4 more clusters" in out and "... 21 more pairs" in out
    assert len(section(out, "pairs (")) == 2
    assert CliRunner().invoke(cli, ["scan", str(samples_dir), "--top", "-1"]).exit_code == 2


@pytest.mark.parametrize("share, shown", [(0.0, "–"), (0.0004, "<0.1%"), (0.001, "0.1%"), (0.8512, "85.1%")])
def test_shares_read_without_zero_noise(share: float, shown: str) -> None:
    assert percent(share) == shown


def test_no_share_of_the_summary_reads_zero_percent(report: dedup.Report) -> None:
    assert not re.search(r"\b0\.0%", summary(report, top=100))
