"""A progress bar on stderr for long scans, shown only to a person watching a terminal.

:func:`dedup.scan` reports ``(stage, done, total)``; this module draws
it: with rich when it is installed, else as one line rewritten with ``\\r``.
Nothing is drawn when stderr is not a terminal, with ``--quiet``, or for a
scan too small to need it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import TaskID

Progress = Callable[[str, int, int], None]

MIN_ARTICLES = 300
"""Scans of fewer articles finish too fast for a bar to help."""
STAGES = {"tokenize": "reading words", "alignment": "aligning pairs", "html": "writing HTML"}


def label(stage: str) -> str:
    return STAGES.get(stage, stage)


class LineBar:
    """The bar without rich: ``stage [#####-----] done/total``, rewritten in place."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.stage: str | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.stage is not None and stage != self.stage:
            self.stream.write("\n")
        self.stage = stage
        filled = int(self.WIDTH * done / total) if total else self.WIDTH
        self.stream.write(f"\r{label(stage):<16} [{'#' * filled}{'-' * (self.WIDTH - filled)}] {done}/{total}")
        self.stream.flush()

    def close(self) -> None:
        if self.stage is not None:
            self.stream.write("\n")
            self.stream.flush()


class RichBar:
    """The bar drawn by rich.progress: one line per stage, each completed when the next begins."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        self.progress = RichProgress(TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=Console(file=stream, force_terminal=True))
        self.tasks: dict[str, TaskID] = {}
        self.progress.start()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self._finish()
            self.tasks[stage] = self.progress.add_task(label(stage), total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)

    def _finish(self) -> None:
        for task in self.progress.tasks:
            if task.total is not None:
                self.progress.update(task.id, completed=task.total)

    def close(self) -> None:
        self._finish()
        self.progress.stop()


def make_bar(stream: TextIO, use_rich: bool | None = None) -> LineBar | RichBar:
    """A rich bar when rich is installed (or ``use_rich``), else a plain line."""
    if use_rich is None:
        try:
            import rich.progress  # noqa: F401
            use_rich = True
        except ImportError:
            use_rich = False
    return RichBar(stream) if use_rich else LineBar(stream)


def wanted(articles: int, quiet: bool, stream: TextIO) -> bool:
    """A bar helps: a long scan, not quiet, and a person at the terminal."""
    return not quiet and articles >= MIN_ARTICLES and bool(getattr(stream, "isatty", lambda: False)())


@contextmanager
def progress_bar(articles: int, quiet: bool = False, stream: TextIO | None = None) -> Iterator[Progress | None]:
    """The callback to give :func:`dedup.scan`, or None when no bar is wanted."""
    stream = stream or sys.stderr
    if not wanted(articles, quiet, stream):
        yield None
        return
    bar = make_bar(stream)
    try:
        yield bar
    finally:
        bar.close()
