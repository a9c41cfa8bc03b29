"""``dedup filter``: pass on the records of a JSONL stream that are worth ingesting (:mod:`dedup.filter`)."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext

import click

from ..errors import OutputError
from ..filter import BATCH, Counts, Policy, read_lines, reject_record, run
from ..index import Index, OnConflict, Rules
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
    settings_options,
    silence_stdout,
    stops_cleanly,
    timeout_option,
)
from .index import LOCATION


@cli.command("filter", epilog=LOCATION)
@click.argument("inputs", nargs=-1, metavar="[JSONL...]")
@click.option("--index", "location", required=True, metavar="INDEX", help="The index to check against.")
@click.option("--rejects", type=click.Path(dir_okay=False, writable=True),
              help="Write dropped records (with a dedup field) and unreadable lines here (JSONL).")
@click.option("--annotate", is_flag=True, help="Keep every record and add a dedup field to each.")
@click.option("--drop", type=click.Choice(["partial", "new"]), multiple=True,
              help="Also drop these statuses (duplicates are always dropped unless --annotate).")
@click.option("--no-add", is_flag=True, help="Only check: add nothing to the index (it is opened read-only).")
@click.option("--spans", is_flag=True, help="Put the aligned spans of each match in the dedup field.")
@click.option("--duplicate", "dup_share", type=click.FloatRange(0.0, 1.0, min_open=True), default=Rules.duplicate,
              show_default=True, help="Share of a record's text one indexed article must cover to make it a duplicate.")
@click.option("--partial", "partial_share", type=click.FloatRange(0.0, 1.0), default=Rules.partial,
              show_default=True, help="Least reused share of a record's text to call it partial (0: any passage).")
@click.option("--batch", type=click.IntRange(1), default=BATCH, show_default=True,
              help="Records checked and committed together.")
@click.option("-q", "--quiet", is_flag=True, help="No summary and no warnings on stderr.")
@conflict_option
@timeout_option
@input_options
@settings_options
@handle_errors
@stops_cleanly
def filter_cmd(inputs: tuple[str, ...], location: str, rejects: str | None, annotate: bool, drop: tuple[str, ...],
               no_add: bool, spans: bool, dup_share: float, partial_share: float, batch: int, quiet: bool,
               on_conflict: OnConflict, timeout: float, field_specs: tuple[str, ...], min_words: int | None,
               overrides: tuple[str, ...], wires: tuple[str, ...]) -> None:
    """Read JSONL records (files, plain or compressed, or stdin by default), write those to ingest to stdout.

    CSV, TSV and Parquet rows, and the HTML pages of WARC files (or of a WARC on
    stdin), are read as records too.

    Duplicates of indexed articles go to --rejects; new and partial records are
    written unchanged and added to the index. Unreadable lines, and records whose
    id is indexed with another text, go to --rejects with their line number and
    reason. The summary goes to stderr. Each batch is written out before it is
    committed: a record in the index has been written, and one written but not
    committed (the run was killed) is written again when the stream is sent again.
    """
    policy = Policy(drop=frozenset({"duplicate", *drop}), annotate=annotate, add=not no_add, spans=spans,  # type: ignore[arg-type]
                    on_conflict=on_conflict)
    names = field_names(field_specs)
    tally = Counts()

    def warn(problem: Problem) -> None:
        if not quiet:
            click.echo(f"dedup: rejected {shown(str(problem))}", err=True)

    with Index.open(location, given_settings(min_words, overrides, wires), rules=Rules(dup_share, partial_share),
                    timeout=timeout, readonly=no_add) as idx, \
            (open(rejects, "wb") if rejects else nullcontext()) as reject_stream:

        def unreadable(problem: Problem) -> None:  # an input file that cannot be opened or read through
            warn(problem)
            tally.rejected += 1
            if reject_stream is not None:
                record = reject_record(None, problem.reason, problem.source, problem.line)
                reject_stream.write(json.dumps(record).encode() + b"\n")

        try:
            lines = asking(read_lines(inputs or ("-",), sys.stdin.buffer, unreadable, names))
            run(idx, lines, sys.stdout.buffer, reject_stream, policy, names, batch, warn, tally)
        except BrokenPipeError:  # e.g. dedup filter ... | head -1: the reader has all it wants
            silence_stdout()
            return
        except OutputError:
            silence_stdout()
            raise
    if not quiet:
        click.echo(f"dedup filter: {tally.summary()}", err=True)
