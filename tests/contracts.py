"""Every report and record the tests make is checked against its JSON Schema.

``TARGETS`` names the functions that make contract data, by dotted path
(move a function, change its row). For the whole session each one is
replaced by a wrapper, on its defining module and on every module that
imported it under any name (each module in ``sys.modules`` whose attribute
*is* the original), so even module-scoped fixtures and the CLI's own
imports go through it. The wrapper checks the result, or one argument by
name (an input such as a truth file, checked only once the reader has
accepted it: the tests feed bad ones on purpose to see them refused). A
producer called by another producer is not checked on its own: its output
is part of its caller's, which is checked whole (the pairs of a report).

A mismatch is recorded rather than raised, since the code under test may
catch exceptions (the CLI turns a ``DedupError`` into a message), and the
test that made it fails at its teardown with the JSON path of the error.
Output written by a child process (``dedup`` run as a subprocess, Spark's
Python workers) is not seen.

At the end, a row that checked nothing means a producer moved or is no
longer called and its data went unchecked, so the session fails; but only
when the whole suite ran (every test module collected, nothing deselected
or picked by node id, every test started) and no test was skipped (a
skipped test may be the only producer: locally that is only a warning,
and under ``CI=true`` missing dependencies fail instead of skipping).
Counting "the whole suite" from what pytest collected and ran, instead of
from the command line, keeps ``-k``, ``-m``, ``-x``, one file or a failed
collection from ever failing for coverage.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from dedup.contracts import ContractError, validate

TARGETS: tuple[tuple[str, str, str], ...] = (
    # producer (dotted path)             schema (dedup.contracts)       what is checked
    ("dedup.report.to_dict",             "report",                      "return"),
    ("dedup.report.match_dict",          "pair",                        "return"),
    ("dedup.filter.annotation",          "filter-record#/$defs/dedup",  "return"),
    ("dedup.filter.reject_record",       "filter-reject",               "return"),
    ("dedup.evaluate.truth_from_dict",   "truth",                       "data"),
)
"""The functions that make contract data, the schema of what they make, and
``"return"`` (their result) or the name of the argument to check."""

TESTS = Path(__file__).resolve().parent
"""The folder of the test modules (this plugin's own)."""


class _Depth(threading.local):
    """How deep this thread is inside producers (0: not inside one)."""

    depth = 0


@dataclass
class Checks:
    """The wrappers in place, what they validated and what did not match."""

    counts: Counter[str] = field(default_factory=Counter)
    """Validations per row of ``TARGETS`` (by dotted path)."""
    failures: list[str] = field(default_factory=list)
    """Mismatches not yet reported by a test."""
    originals: dict[str, Callable[..., Any]] = field(default_factory=dict)
    wrappers: dict[str, Callable[..., Any]] = field(default_factory=dict)
    inside: _Depth = field(default_factory=_Depth)

    def install(self) -> None:
        for path, name, what in TARGETS:
            original = resolve(path)
            wrapper = self._wrap(path, name, what, original)
            self.originals[path], self.wrappers[path] = original, wrapper
            swap(original, wrapper)

    def remove(self) -> None:
        for path, wrapper in self.wrappers.items():
            swap(wrapper, self.originals[path])

    def _wrap(self, path: str, name: str, what: str, original: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(original)
        if what != "return" and what not in signature.parameters:
            raise pytest.UsageError(f"contracts: {path} has no argument {what!r}; update TARGETS in {__file__}")

        @functools.wraps(original)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if self.inside.depth:
                return original(*args, **kwargs)
            self.inside.depth += 1
            try:
                result = original(*args, **kwargs)
            finally:
                self.inside.depth -= 1
            if what == "return":
                data = result
            else:
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                data = bound.arguments[what]
            self.counts[path] += 1
            try:
                validate(name, data)
            except ContractError as err:
                self.failures.append(f"{path} made data that does not match its schema: {err}")
            return result

        return checked

    def take_failures(self) -> list[str]:
        found, self.failures = self.failures, []
        return found

    def per_schema(self) -> Counter[str]:
        totals: Counter[str] = Counter()
        for path, name, _ in TARGETS:
            totals[name] += self.counts[path]
        return totals

    def missing(self) -> list[str]:
        """Rows of ``TARGETS`` that validated nothing."""
        return [path for path, _, _ in TARGETS if not self.counts[path]]


def resolve(path: str) -> Callable[..., Any]:
    """The object a dotted path names: the longest importable module, then attributes."""
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            break
        if callable(obj):
            return obj
        break
    raise pytest.UsageError(f"contracts: cannot find {path}; update TARGETS in {__file__}")


def swap(old: object, new: object) -> None:
    """Replace ``old`` by ``new`` wherever a loaded module holds it, under any name."""
    for module in list(sys.modules.values()):
        names = getattr(module, "__dict__", None)
        if not isinstance(names, dict):
            continue
        for attr, value in list(names.items()):
            if value is old:
                setattr(module, attr, new)


@dataclass
class Run:
    """What pytest collected and ran: enough to tell a run of the whole suite."""

    items: int = 0
    every_module: bool = False
    deselected: bool = False
    started: int = 0
    skipped: int = 0

    @property
    def whole(self) -> bool:
        """Every test module collected, nothing left out, every test started."""
        return self.every_module and not self.deselected and self.started == self.items


RUN = Run()
CHECKS = Checks()


def pytest_collection_finish(session: pytest.Session) -> None:
    collected = {item.path.resolve() for item in session.items}
    picked = any("::" in str(arg) for arg in session.config.args)  # node ids: no deselection hook runs
    RUN.items = len(session.items)
    RUN.every_module = (set(TESTS.glob("test_*.py")) <= collected and not picked
                        and not hasattr(session.config, "workerinput"))  # an xdist worker runs a share


def pytest_deselected(items: list[pytest.Item]) -> None:
    RUN.deselected = RUN.deselected or bool(items)  # -k, -m, --deselect, --lf


def pytest_runtest_logstart(nodeid: str) -> None:
    RUN.started += 1


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        RUN.skipped += 1


@pytest.fixture(scope="session", autouse=True)
def contract_checks() -> Iterator[Checks]:
    """The wrappers, for the whole session; at its end, whether every row checked something."""
    CHECKS.install()
    try:
        yield CHECKS
    finally:
        CHECKS.remove()
    left = CHECKS.take_failures()
    if left:
        pytest.fail("\n".join(left), pytrace=False)
    missing = CHECKS.missing()
    if missing and RUN.whole and not RUN.skipped:
        pytest.fail(f"contracts: the whole suite ran and validated nothing from {', '.join(missing)} "
                    f"(moved, or no longer called? update TARGETS in {__file__})", pytrace=False)


@pytest.fixture(autouse=True)
def contracts(contract_checks: Checks) -> Iterator[Checks]:
    """Fail the test if a report or record it made (or its fixtures made) does not match its schema."""
    yield contract_checks
    found = contract_checks.take_failures()
    if found:
        pytest.fail("\n".join(found), pytrace=False)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    counts = CHECKS.per_schema()
    if not sum(counts.values()):
        return
    terminalreporter.write_line("contracts validated: " + ", ".join(f"{n} {c}" for n, c in counts.items()))
    missing = CHECKS.missing()
    if missing and RUN.whole and RUN.skipped:
        terminalreporter.write_line(f"contracts: nothing validated for {', '.join(missing)} "
                                    f"({RUN.skipped} tests skipped; one may be its producer)")
