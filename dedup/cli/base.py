"""What every command shares: the ``dedup`` group, option groups, error handling, output.

Commands only parse options, call the library and render. Library errors
(:class:`~dedup.errors.DedupError`) become one clear message here, never a
traceback: a bad setting is a usage error (exit status 2), anything else an
error (exit status 1).
"""

from __future__ import annotations

import functools
import os
import signal
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from .._version import __version__
from ..errors import DedupError, SettingsError
from ..index import CONFLICTS
from ..ingest import MAX_BYTES, FieldNames
from ..model import Problem
from ..safe import shown
from ..settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dedup")
def cli() -> None:
    """Find copied passages in news text: wire reprints, stitched articles, shared quotations."""


def handle_errors(func: F) -> F:
    """Turn dedup's own errors, and failed reads and writes, into one line and an exit status."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SettingsError as err:
            raise click.UsageError(str(err)) from None
        except DedupError as err:
            raise click.ClickException(str(err)) from None
        except BrokenPipeError:
            raise
        except OSError as err:
            silence_stdout()  # what is left in its buffer cannot be written either
            where = f"{err.filename}: " if err.filename else ""
            raise click.ClickException(f"{where}{err.strerror or err}") from None

    return wrapper  # type: ignore[return-value]


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program stands, as SIGINT raises KeyboardInterrupt."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_ASKED: list[int] = []
"""Signals that came during the command in progress (see :func:`stop_if_asked`)."""


def stop_if_asked() -> None:
    """Raise :class:`Stopped` for a signal that came already. A signal's exception is
    raised wherever the program stands; when that is a finalizer (``__del__`` of a
    connection pool, say), Python swallows it, so the command looks here between
    records and batches, and once more at its end."""
    if _ASKED:
        raise Stopped(_ASKED[0])


T = TypeVar("T")


def asking(items: Iterable[T]) -> Iterator[T]:
    """``items``, with :func:`stop_if_asked` before each."""
    for item in items:
        stop_if_asked()
        yield item


def stops_cleanly(func: F) -> F:
    """SIGTERM, SIGHUP and SIGINT stop the command alike: the batch in progress is not
    committed, the index is left as the last commit made it, and the exit status is
    128 plus the signal's number."""

    def stop(signum: int, frame: object) -> None:
        _ASKED.append(signum)
        raise Stopped(signum)

    def unraisable(info: Any) -> None:  # a Stopped swallowed by a finalizer: stop_if_asked raises it again
        if not isinstance(info.exc_value, Stopped):
            hook(info)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _ASKED.clear()
        try:
            previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}
        except ValueError:  # not the main thread: signals stay as they are
            previous = {}
        sys.unraisablehook = unraisable
        try:
            result = func(*args, **kwargs)
            stop_if_asked()
            return result
        except KeyboardInterrupt as err:
            signum = err.signum if isinstance(err, Stopped) else signal.SIGINT
            click.echo(f"dedup: stopped by {signal.Signals(signum).name}; "
                       "what was not committed is not in the index", err=True)
            sys.exit(128 + signum)
        finally:
            sys.unraisablehook = hook
            for s, handler in previous.items():
                signal.signal(s, handler)

    hook = sys.unraisablehook
    return wrapper  # type: ignore[return-value]


def silence_stdout() -> None:
    """Point stdout at /dev/null, so the final flush of what could not be written cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def settings_options(func: F) -> F:
    """Options that tune detection, shared by every command that compares texts."""
    func = click.option("--wire", "wires", multiple=True, metavar="NAME",
                        help="An outlet that is a wire service, besides dedup's list (repeatable; any case).")(func)
    func = click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
                        help="Any setting of dedup.Settings, e.g. --set max_gap=8 (see README).")(func)
    func = click.option("--min-words", type=click.IntRange(1), default=None,
                        help="Fewest matching words for a span to count (default 8).")(func)
    return func


def build_settings(min_words: int | None, overrides: Iterable[str], wires: Iterable[str] = ()) -> Settings:
    """The settings the options ask for (``--set`` first, then ``--min-words`` and ``--wire``)."""
    settings = Settings.parse(overrides)
    extra: dict[str, Any] = {}
    if min_words is not None:
        extra["min_words"] = min_words
    wires = tuple(wires)
    if wires:
        extra["wire_outlets"] = settings.wire_outlets + wires
    return Settings.from_dict({**settings.to_dict(), **extra}) if extra else settings


def given_settings(min_words: int | None, overrides: Iterable[str], wires: Iterable[str] = ()) -> Settings | None:
    """Settings given on the command line, or None when none were (an index then uses its own)."""
    overrides, wires = tuple(overrides), tuple(wires)
    return build_settings(min_words, overrides, wires) if min_words is not None or overrides or wires else None


def _remember_max_bytes(ctx: click.Context, param: click.Parameter, value: int) -> int:
    ctx.meta["dedup.max_bytes"] = value
    return value


def input_options(func: F) -> F:
    func = click.option("--max-bytes", type=click.IntRange(1), default=MAX_BYTES, show_default=True,
                        expose_value=False, callback=_remember_max_bytes, metavar="N",
                        help="Largest article: a file or one JSONL record, in bytes; larger ones are skipped.")(func)
    return click.option("--field", "field_specs", multiple=True, metavar="PART=NAME",
                        help="Field holding PART (id, text, outlet, date, title, url), e.g. --field text=body.")(func)


def field_names(specs: Iterable[str]) -> FieldNames:
    """How the command reads records: ``--field`` mappings and ``--max-bytes``."""
    ctx = click.get_current_context(silent=True)
    return FieldNames.parse(specs, ctx.meta.get("dedup.max_bytes", MAX_BYTES) if ctx else MAX_BYTES)


conflict_option = click.option(
    "--on-conflict", type=click.Choice(CONFLICTS), default="reject", show_default=True,
    help="A record whose id is indexed with another text: reject it (the indexed one stays), keep it "
         "(passed on by its status, not indexed) or replace the indexed one.")


html_option = click.option("--html", "html_path", type=click.Path(dir_okay=False, writable=True), default=None,
                           help="Also write one self-contained HTML page (works offline) to this file.")


def timeout_option(func: F) -> F:
    return click.option("--timeout", type=float, default=30.0, show_default=True,
                        help="Seconds a writer waits for another one to finish.")(func)


@contextmanager
def output_file(path: str) -> Iterator[IO[str]]:
    """``path`` (``-``: standard output) opened for UTF-8 text, written to a
    temporary file beside it that replaces it only once whole: a failed run never
    leaves a truncated file or loses the previous one. (click's atomic mode
    renames the temporary file over ``path`` even when the writing failed.)"""
    if path == "-":
        with click.open_file(path, "w", encoding="utf-8") as out:
            yield out
        return
    with _replacing(path) as fd, open(fd, "w", encoding="utf-8") as out:
        yield out


@contextmanager
def binary_file(path: str) -> Iterator[IO[bytes]]:
    """``path`` (a file, never standard output) opened for bytes, replaced only once
    whole, as :func:`output_file` does."""
    with _replacing(path) as fd, open(fd, "wb") as out:
        yield out


@contextmanager
def _replacing(path: str) -> Iterator[int]:
    """A new temporary file beside ``path`` (its descriptor), renamed over ``path``
    when the block ends without an error and removed when it raises."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with suppress(FileNotFoundError):
            os.chmod(tmp, target.stat().st_mode)
        yield fd
        os.replace(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            tmp.unlink()
        raise


def write_text(path: str, text: str) -> None:
    """Write a whole file at once (:func:`output_file`)."""
    with output_file(path) as out:
        out.write(text)


def report_problems(problems: Iterable[Problem], quiet: bool = False, verb: str = "skipped") -> None:
    if quiet:
        return
    for problem in problems:
        click.echo(f"dedup: {verb} {shown(str(problem))}", err=True)
