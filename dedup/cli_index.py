"""The ``dedup index`` and ``dedup filter`` commands: thin layers over :mod:`dedup.index`
and :mod:`dedup.filter`."""

from __future__ import annotations

import json
import os
import sys
from contextlib import nullcontext
from itertools import islice
from typing import Any, Iterable, Iterator, TypeVar

import click

from .cli import _handle_errors, build_settings, input_options, report_problems, settings_options
from .filter import BATCH, Policy, Tally, read_lines, reject_record, run
from .index import Index, Rules
from .ingest import FieldNames, read_paths
from .model import Problem
from .settings import Settings

T = TypeVar("T")
LOCATION = "INDEX is an index file (created if missing) or a redis://HOST:PORT/DB[?prefix=NAME] URL."


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _settings(min_words: int | None, overrides: Iterable[str]) -> Settings | None:
    """Settings given on the command line, or None to use the index's own."""
    overrides = tuple(overrides)
    return build_settings(min_words, overrides) if min_words is not None or overrides else None


def timeout_option(func: Any) -> Any:
    return click.option("--timeout", type=float, default=30.0, show_default=True,
                        help="Seconds a writer waits for another one to finish.")(func)


@click.group("index", epilog=LOCATION)
def index_group() -> None:
    """Build, inspect and prune a persistent index of articles."""


@index_group.command("add", epilog=LOCATION)
@click.argument("location", metavar="INDEX")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--batch", type=click.IntRange(1), default=512, show_default=True,
              help="Articles per commit; each commit is reported on stderr.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no warnings about skipped inputs.")
@timeout_option
@input_options
@settings_options
@_handle_errors
def add_cmd(location: str, paths: tuple[str, ...], batch: int, quiet: bool, timeout: float,
            field_specs: tuple[str, ...], min_words: int | None, overrides: tuple[str, ...]) -> None:
    """Add articles (folders, JSONL files, - for JSONL on stdin) to INDEX as they are.

    An id already in the index is replaced. Every batch is one commit: once
    "committed N" is printed, those N articles survive a crash.
    """
    problems: list[Problem] = []
    total = 0
    with Index.open(location, _settings(min_words, overrides), timeout=timeout) as idx:
        for chunk in _batches(read_paths(paths, problems.append, FieldNames.parse(field_specs)), batch):
            total += idx.add(chunk)
            report_problems(problems, quiet)
            problems.clear()
            if not quiet:
                click.echo(f"dedup: committed {total} articles to {location}", err=True)
        report_problems(problems, quiet)
        if not quiet:
            click.echo(f"dedup: {location} holds {len(idx)} articles", err=True)


@index_group.command("stats", epilog=LOCATION)
@click.argument("location", metavar="INDEX")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_handle_errors
def stats_cmd(location: str, as_json: bool) -> None:
    """Articles, fingerprints, size and settings of INDEX."""
    with Index.open(location, create=False) as idx:
        stats = idx.stats()
    if as_json:
        click.echo(json.dumps(stats, indent=1))
        return
    for key, value in stats.items():
        if key != "settings":
            click.echo(f"{key:13} {value}")
    click.echo("settings      " + " ".join(f"{k}={v}" for k, v in stats["settings"].items() if k != "wire_outlets"))


@index_group.command("remove", epilog=LOCATION)
@click.argument("location", metavar="INDEX")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@timeout_option
@_handle_errors
def remove_cmd(location: str, ids: tuple[str, ...], timeout: float) -> None:
    """Remove articles from INDEX by id, in one commit."""
    with Index.open(location, create=False, timeout=timeout) as idx:
        removed = idx.remove(ids)
    missing = sorted(set(ids) - set(removed))
    click.echo(f"dedup: removed {len(removed)} articles from {location}", err=True)
    if missing:
        click.echo("dedup: not in the index: " + ", ".join(missing), err=True)


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


@click.command("filter", epilog=LOCATION)
@click.argument("inputs", nargs=-1, metavar="[JSONL...]")
@click.option("--index", "location", required=True, metavar="INDEX", help="The index to check against.")
@click.option("--rejects", type=click.Path(dir_okay=False, writable=True),
              help="Write dropped records (with a dedup field) and unreadable lines here (JSONL).")
@click.option("--annotate", is_flag=True, help="Keep every record and add a dedup field to each.")
@click.option("--drop", type=click.Choice(["partial", "new"]), multiple=True,
              help="Also drop these statuses (duplicates are always dropped unless --annotate).")
@click.option("--no-add", is_flag=True, help="Only check: add nothing to the index.")
@click.option("--spans", is_flag=True, help="Put the aligned spans of each match in the dedup field.")
@click.option("--duplicate", "dup_share", type=click.FloatRange(0.0, 1.0, min_open=True), default=Rules.duplicate,
              show_default=True, help="Share of a record's text one indexed article must cover to make it a duplicate.")
@click.option("--partial", "partial_share", type=click.FloatRange(0.0, 1.0), default=Rules.partial,
              show_default=True, help="Least reused share of a record's text to call it partial (0: any passage).")
@click.option("--batch", type=click.IntRange(1), default=BATCH, show_default=True,
              help="Records checked and committed together.")
@click.option("-q", "--quiet", is_flag=True, help="No summary and no warnings on stderr.")
@timeout_option
@input_options
@settings_options
@_handle_errors
def filter_cmd(inputs: tuple[str, ...], location: str, rejects: str | None, annotate: bool, drop: tuple[str, ...],
               no_add: bool, spans: bool, dup_share: float, partial_share: float, batch: int, quiet: bool,
               timeout: float, field_specs: tuple[str, ...], min_words: int | None, overrides: tuple[str, ...]) -> None:
    """Read JSONL records (files, or stdin by default), write those to ingest to stdout.

    Duplicates of indexed articles go to --rejects; new and partial records are
    written unchanged and added to the index. Unreadable lines go to --rejects
    with their line number and reason. The summary goes to stderr.
    """
    policy = Policy(drop=frozenset({"duplicate", *drop}), annotate=annotate, add=not no_add, spans=spans)  # type: ignore[arg-type]
    names = FieldNames.parse(field_specs)
    tally = Tally()

    def warn(problem: Problem) -> None:
        if not quiet:
            click.echo(f"dedup: rejected {problem}", err=True)

    with Index.open(location, _settings(min_words, overrides), rules=Rules(dup_share, partial_share),
                    timeout=timeout) as idx, (open(rejects, "wb") if rejects else nullcontext()) as reject_stream:

        def unreadable(problem: Problem) -> None:  # an input file that cannot be opened
            warn(problem)
            tally.rejected += 1
            if reject_stream is not None:
                reject_stream.write(json.dumps(reject_record(None, problem.reason, problem.source)).encode() + b"\n")

        try:
            lines = read_lines(inputs or ("-",), click.get_binary_stream("stdin"), unreadable)
            run(idx, lines, click.get_binary_stream("stdout"), reject_stream, policy, names, batch, warn, tally)
        except BrokenPipeError:  # e.g. dedup filter ... | head -1: the reader has all it wants
            _silence_stdout()
            return
    if not quiet:
        click.echo(f"dedup filter: {tally.summary()}", err=True)


def commands() -> list[click.Command]:
    """The commands this module adds to ``dedup``."""
    return [index_group, filter_cmd]
