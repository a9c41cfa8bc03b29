"""``dedup index``: build, inspect and prune a persistent index (:mod:`dedup.index`)."""

from __future__ import annotations

import json
from datetime import date, datetime

import click

from ..batching import batches
from ..errors import DedupError
from ..index import EXPIRE_BATCH, Index, OnConflict
from ..ingest import read_paths
from ..model import Problem
from ..safe import shown
from .base import (
    asking,
    cli,
    conflict_option,
    field_names,
    given_settings,
    handle_errors,
    input_options,
    report_problems,
    settings_options,
    stop_if_asked,
    stops_cleanly,
    timeout_option,
)

LOCATION = "INDEX is an index file (created if missing) or a redis://HOST:PORT/DB[?prefix=NAME] URL."


@cli.group("index", epilog=LOCATION)
def index_group() -> None:
    """Build, inspect and prune a persistent index of articles."""


@index_group.command("add", epilog=LOCATION)
@click.argument("location", metavar="INDEX")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--batch", type=click.IntRange(1), default=512, show_default=True,
              help="Articles per commit; each commit is reported on stderr.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no warnings about skipped inputs.")
@conflict_option
@timeout_option
@input_options
@settings_options
@handle_errors
@stops_cleanly
def add_cmd(location: str, paths: tuple[str, ...], batch: int, quiet: bool, on_conflict: OnConflict, timeout: float,
            field_specs: tuple[str, ...], min_words: int | None, overrides: tuple[str, ...],
            wires: tuple[str, ...]) -> None:
    """Add articles (folders, JSONL, CSV, Parquet or WARC files, - for stdin) to INDEX as they are.

    An id already indexed with the same text is left as it is; with another
    text, --on-conflict decides (by default the indexed article stays and the
    new one is reported). Every batch is one commit: once "committed N" is
    printed, those N articles survive a crash. The exit status is 1 if a PATH
    gave no article at all (missing, unreadable, nothing but bad records).
    """
    problems: list[Problem] = []
    total = 0
    empty: list[str] = []
    names = field_names(field_specs)
    with Index.open(location, given_settings(min_words, overrides, wires), timeout=timeout) as idx:
        for path in paths:
            read = 0
            for chunk in asking(batches(read_paths([path], problems.append, names), batch)):
                read += len(chunk)
                done = idx.add(chunk, on_conflict=on_conflict)
                total += done.held
                report_problems(problems, quiet)
                problems.clear()
                if done.conflicts and not quiet:
                    click.echo(f"dedup: not added, indexed with another text (--on-conflict {on_conflict}): "
                               + ", ".join(shown(i) for i in done.conflicts), err=True)
                if not quiet:
                    click.echo(f"dedup: committed {total} articles to {shown(location)}", err=True)
            if not read and problems:
                empty.append(path)
            report_problems(problems, quiet)
            problems.clear()
        if not quiet:
            click.echo(f"dedup: {shown(location)} holds {len(idx)} articles", err=True)
    if empty:
        raise DedupError("no article read from " + ", ".join(shown(p) for p in empty))


@index_group.command("stats", epilog=LOCATION)
@click.argument("location", metavar="INDEX")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@handle_errors
def stats_cmd(location: str, as_json: bool) -> None:
    """Articles, fingerprints, size and settings of INDEX."""
    with Index.open(location, readonly=True) as idx:
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
@handle_errors
@stops_cleanly
def remove_cmd(location: str, ids: tuple[str, ...], timeout: float) -> None:
    """Remove articles from INDEX by id, in one commit."""
    with Index.open(location, create=False, timeout=timeout) as idx:
        removed = idx.remove(ids)
    missing = sorted(set(ids) - set(removed))
    click.echo(f"dedup: removed {len(removed)} articles from {location}", err=True)
    if missing:
        click.echo("dedup: not in the index: " + ", ".join(missing), err=True)


def _day(ctx: click.Context, param: click.Parameter, value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.UsageError(f"--before takes a date as YYYY-MM-DD, got {shown(value)}", ctx) from None


@index_group.command("expire", epilog=LOCATION)
@click.argument("location", metavar="INDEX")
@click.option("--before", required=True, metavar="YYYY-MM-DD", callback=_day,
              help="Remove the articles dated before this day.")
@click.option("--batch", type=click.IntRange(1), default=EXPIRE_BATCH, show_default=True,
              help="Articles removed per commit; each commit is reported on stderr.")
@timeout_option
@handle_errors
@stops_cleanly
def expire_cmd(location: str, before: date, batch: int, timeout: float) -> None:
    """Remove every article of INDEX dated before a day, a batch per commit.

    An article's date is read as the filter reads it (2024-03-01, 2024-03-01T09:30Z,
    1 March 2024, ...); articles without a date, or with one that cannot be read,
    are kept and counted. Stopped part way, it leaves the batches it committed
    removed and the index readable; run it again to finish. Run `dedup index
    compact` afterwards to give the space back.
    """
    def committed(total: int) -> None:
        click.echo(f"dedup: removed {total} articles so far", err=True)
        stop_if_asked()

    with Index.open(location, create=False, timeout=timeout) as idx:
        done = idx.expire(before, batch=batch, committed=committed)
        held = len(idx)
    click.echo(f"dedup: removed {done.removed} articles dated before {before.isoformat()} from {shown(location)}; "
               f"{held} left", err=True)
    click.echo(f"dedup: kept {done.undated} articles without a date and {done.unreadable} whose date "
               "cannot be read", err=True)


@index_group.command("compact", epilog=LOCATION)
@click.argument("location", metavar="INDEX")
@timeout_option
@handle_errors
@stops_cleanly
def compact_cmd(location: str, timeout: float) -> None:
    """Give back the space removed articles left in INDEX.

    An index file trims its log of removals and is rebuilt by SQLite's VACUUM,
    which commits at once: interrupted at any moment, the index is as it was or
    compacted. Readers and writers may go on meanwhile (a writer waits for it);
    it needs about the file's size of free disk. A Redis index has nothing to
    compact, and says so.
    """
    with Index.open(location, create=False, timeout=timeout) as idx:
        done = idx.compact()
    if done.note:
        click.echo(f"dedup: {shown(location)}: {done.note}", err=True)
        return
    click.echo(f"dedup: compacted {shown(location)}: {done.before:,} -> {done.after:,} bytes "
               f"({done.trimmed} entries of the removal log trimmed)", err=True)
