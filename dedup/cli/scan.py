"""``dedup scan``: find what a corpus copies, on this machine or on Spark."""

from __future__ import annotations

import sys
from collections.abc import Iterable

import click

from ..errors import DedupError
from ..ingest import load
from ..local import scan
from ..local.memory import parse_size
from ..model import Match
from ..progress import progress_bar
from ..report import FORMATS, write, write_csv, write_jsonl
from ..report_parquet import require_pyarrow, write_parquet
from ..settings import Settings
from .base import (
    binary_file,
    build_settings,
    cli,
    field_names,
    handle_errors,
    html_option,
    input_options,
    output_file,
    report_problems,
    settings_options,
    write_text,
)


def memory_size(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """``--memory``'s bytes (None: not given)."""
    if value is None:
        return None
    try:
        return parse_size(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


@cli.command("scan")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: a summary; json: the full report; jsonl/csv: one pair per line; "
                   "parquet: one span per row, to a file (-o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              help="Write the report here instead of standard output (spark engine, jsonl/csv: a new folder; "
                   "parquet: a file, always).")
@click.option("-q", "--quiet", is_flag=True, help="No warnings about skipped inputs, no progress bar.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes to use (default: every core).")
@click.option("--top", type=click.IntRange(min=0), default=10, show_default=True,
              help="Stories, clusters and pairs the text summary lists.")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="spark: run on Apache Spark (local[*], or the cluster spark-submit gives); see README.")
@click.option("--memory", "memory", default=None, metavar="SIZE", callback=memory_size,
              help="Memory the local scan may use besides its texts, e.g. 6GB (default: what is available; "
                   "0: do not check). A scan that needs more stops before it starts.")
@html_option
@input_options
@settings_options
@handle_errors
def scan_cmd(paths: tuple[str, ...], fmt: str, output: str, quiet: bool, jobs: int | None, top: int, engine: str,
             memory: int | None, html_path: str | None, field_specs: tuple[str, ...], min_words: int | None,
             overrides: tuple[str, ...], wires: tuple[str, ...]) -> None:
    """Scan folders of articles (subfolder = outlet), JSONL, CSV, Parquet or WARC files, or - for stdin."""
    settings = build_settings(min_words, overrides, wires)
    if fmt == "parquet":  # asked before the scan, which may take hours
        if output == "-":
            raise click.UsageError("--format parquet writes a file: give --output FILE (not -, standard output)")
        require_pyarrow()
    if engine == "spark":
        _spark(paths, fmt, output, html_path, field_specs, settings, quiet, top)
        return
    articles, problems = load(paths, field_names(field_specs))
    report_problems(problems, quiet)
    if not articles:
        raise DedupError("nothing to scan: no readable articles in " + ", ".join(paths))
    with progress_bar(len(articles), quiet) as progress:
        report = scan(articles, settings, problems=problems, jobs=jobs, progress=progress, memory=memory)
        if html_path:
            from ..render_html import scan_page

            write_text(html_path, scan_page(report, settings.to_dict(), progress, inputs=paths))
    if fmt == "parquet":
        _parquet(report.pairs, output)
        return
    with output_file(output) as out:
        write(report, fmt, out, settings.to_dict(), top=top)


def _parquet(pairs: Iterable[Match], output: str) -> None:
    with binary_file(output) as out:
        write_parquet(pairs, out)


def _spark(paths: tuple[str, ...], fmt: str, output: str, html_path: str | None, field_specs: tuple[str, ...],
           settings: Settings, quiet: bool, top: int) -> None:
    """The Spark engine's scan, written the way the local one is (jsonl/csv to a folder: part files;
    parquet to one file, the pairs streamed to the driver)."""
    from ..spark import scan_paths
    from ..spark.parts import write_pairs
    from ..spark.session import session

    result = scan_paths(session(), paths, settings, field_names(field_specs))
    report_problems(result.problems, quiet)
    if not result.stats["articles"]:
        raise DedupError("nothing to scan: no readable articles in " + ", ".join(paths))
    report = result.report() if html_path or fmt in ("json", "text") else None
    if html_path and report is not None:
        from ..render_html import scan_page

        write_text(html_path, scan_page(report, settings.to_dict(), inputs=paths))
    if fmt == "parquet":
        _parquet(result.iter_matches(), output)
    elif fmt in ("jsonl", "csv") and output != "-":
        write_pairs(result.ordered_pairs(), fmt, output)
    elif report is None:  # pairs streamed from the executors, one at a time
        (write_jsonl if fmt == "jsonl" else write_csv)(result.iter_matches(), sys.stdout)
    else:
        with output_file(output) as out:
            write(report, fmt, out, settings.to_dict(), top=top)
