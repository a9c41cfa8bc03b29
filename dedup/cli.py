"""The ``dedup`` command: parses options, calls the library, renders.

Everything here is a thin layer: a pipeline can do the same by importing
:mod:`dedup`. Library errors (:class:`~dedup.errors.DedupError`) become one
clear message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from typing import Any, Callable, Iterable, TextIO

import click

from . import __version__
from .errors import DedupError
from .ingest import FieldNames, load
from .model import Problem, Report
from .progress import progress_bar
from .report import write_csv, write_json, write_jsonl
from .render_text import summary
from .scan import scan
from .settings import Settings


def _handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DedupError as err:
            raise click.ClickException(str(err)) from None
    return wrapper


def _parse_value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def settings_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options that tune detection, shared by every command that compares texts."""
    func = click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
                        help="Any setting of dedup.Settings, e.g. --set max_gap=8 (see README).")(func)
    func = click.option("--min-words", type=int, default=None,
                        help="Fewest matching words for a span to count (default 8).")(func)
    return func


def build_settings(min_words: int | None, overrides: Iterable[str]) -> Settings:
    values: dict[str, Any] = {}
    for item in overrides:
        name, sep, raw = item.partition("=")
        if not sep:
            raise DedupError(f"--set takes NAME=VALUE, got {item!r}")
        values[name.strip()] = _parse_value(raw)
    if min_words is not None:
        values["min_words"] = min_words
    return Settings.from_dict(values) if values else Settings()


def input_options(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--field", "field_specs", multiple=True, metavar="PART=NAME",
                        help="JSONL field holding PART (id, text, outlet, date, title, url), e.g. --field text=body.")(func)


html_option = click.option("--html", "html_path", type=click.Path(dir_okay=False, writable=True), default=None,
                           help="Also write one self-contained HTML page (works offline) to this file.")


def write_html(path: str, page: str) -> None:
    with click.open_file(path, "w", encoding="utf-8", atomic=True) as out:
        out.write(page)


def report_problems(problems: Iterable[Problem], quiet: bool = False) -> None:
    if quiet:
        return
    for problem in problems:
        click.echo(f"dedup: skipped {problem}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dedup")
def cli() -> None:
    """Find copied passages in news text: wire reprints, stitched articles, shared quotations."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl", "csv"]), default="text",
              show_default=True, help="text: a summary; json: the full report; jsonl/csv: one pair per line.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              help="Write the report here instead of standard output (spark engine, jsonl/csv: a new folder).")
@click.option("-q", "--quiet", is_flag=True, help="No warnings about skipped inputs, no progress bar.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes to use (default: every core).")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="spark: run on Apache Spark (local[*], or the cluster spark-submit gives); see README.")
@html_option
@input_options
@settings_options
@_handle_errors
def scan_cmd(paths: tuple[str, ...], fmt: str, output: str, quiet: bool, jobs: int | None, engine: str,
             html_path: str | None, field_specs: tuple[str, ...], min_words: int | None,
             overrides: tuple[str, ...]) -> None:
    """Scan folders of articles (subfolder = outlet), JSONL files, or - for JSONL on stdin."""
    settings = build_settings(min_words, overrides)
    if engine == "spark":
        from .spark.cli import run_scan

        run_scan(paths, fmt, output, html_path, FieldNames.parse(field_specs), settings,
                 lambda found: report_problems(found, quiet))
        return
    articles, problems = load(paths, FieldNames.parse(field_specs))
    report_problems(problems, quiet)
    if not articles:
        raise DedupError("nothing to scan: no readable articles in " + ", ".join(paths))
    with progress_bar(len(articles), quiet) as progress:
        report = scan(articles, settings, problems=problems, jobs=jobs, progress=progress)
        if html_path:
            from .render_html import scan_page
            write_html(html_path, scan_page(report, settings.to_dict(), progress))
    with click.open_file(output, "w", encoding="utf-8") as out:
        write_report(report, fmt, out, settings)


scan_cmd.name = "scan"


def write_report(report: Report, fmt: str, out: TextIO, settings: Settings) -> None:
    if fmt == "json":
        write_json(report, out, settings.to_dict())
    elif fmt == "jsonl":
        write_jsonl(report.pairs, out)
    elif fmt == "csv":
        write_csv(report.pairs, out)
    else:
        out.write(summary(report) + "\n")


@cli.command("diff")
@click.argument("args", nargs=-1, required=True, metavar="A B | SOURCE ID_A ID_B")
@click.option("--color/--no-color", default=None,
              help="Colour (needs the rich extra) or plain markers; default: colour on a terminal unless NO_COLOR is set.")
@click.option("--width", type=click.IntRange(20), default=None, help="Columns to fit (default: the terminal's).")
@click.option("--layout", type=click.Choice(["auto", "side", "stack"]), default="auto", show_default=True,
              help="side: the texts side by side; stack: one after the other; auto: side by side from 100 columns.")
@html_option
@input_options
@settings_options
@_handle_errors
def diff_cmd(args: tuple[str, ...], color: bool | None, width: int | None, layout: str, html_path: str | None,
             field_specs: tuple[str, ...], min_words: int | None, overrides: tuple[str, ...]) -> None:
    """Show two articles with their copied spans highlighted.

    Two files (A B), or two article ids from a JSONL file or folder (SOURCE ID_A ID_B,
    ids as the scan report names them).
    """
    from .diffview import build_diff, load_pair
    from .render_terminal import render, terminal_width, want_color

    settings = build_settings(min_words, overrides)
    pair = load_pair(args, FieldNames.parse(field_specs), settings)
    report_problems(pair.problems)
    diff = build_diff(pair.a, pair.b, settings, pair.marks_a, pair.marks_b)
    out = click.get_text_stream("stdout")
    render(diff, out, color=want_color(color, out), width=terminal_width(width), layout=layout)
    if html_path:
        from .render_html import diff_page
        write_html(html_path, diff_page(diff))


def main() -> None:
    try:
        cli(prog_name="dedup")
    except BrokenPipeError:  # e.g. dedup scan ... | head
        sys.stderr.close()
        sys.exit(0)


from .cli_eval import eval_cmd  # noqa: E402  (it builds on the helpers above)
cli.add_command(eval_cmd)

from . import cli_index  # noqa: E402  (its commands build on the helpers above)
for command in cli_index.commands():
    cli.add_command(command)
