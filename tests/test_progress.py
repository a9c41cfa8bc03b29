"""The scan's progress bar: on a terminal's stderr for long scans, nowhere else."""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup.cli import cli
from dedup.progress import MIN_ARTICLES, LineBar, RichBar, progress_bar, wanted

import synthetic

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic.write_jsonl(tmp_path_factory.mktemp("news") / "news.jsonl", MIN_ARTICLES + 100, outlets=10)


def read_all(fd: int) -> str:
    chunks = []
    while select.select([fd], [], [], 0.5)[0]:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks).decode("utf-8", "replace")


def scan_on_a_terminal(*args: str) -> tuple[int, str]:
    """Run ``dedup scan`` with stderr on a real pseudo-terminal; return its exit code and what it drew."""
    master, slave = os.openpty()
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "dedup", "scan", *args], stdout=subprocess.DEVNULL,
                            stderr=slave, cwd=ROOT, env=env)
    os.close(slave)
    drawn = []
    while proc.poll() is None:
        drawn.append(read_all(master))
    drawn.append(read_all(master))
    os.close(master)
    return proc.wait(), "".join(drawn)


def test_bar_on_a_terminal_names_the_stages(news: Path, tmp_path: Path) -> None:
    code, drawn = scan_on_a_terminal(str(news), "-q", "--html", str(tmp_path / "r.html"))
    assert code == 0 and drawn == ""  # --quiet: nothing
    code, drawn = scan_on_a_terminal(str(news), "--html", str(tmp_path / "r.html"))
    assert code == 0
    assert "reading words" in drawn and "writing HTML" in drawn
    assert f"{MIN_ARTICLES + 100}/{MIN_ARTICLES + 100}" in drawn


def test_no_bar_when_stderr_is_not_a_terminal(news: Path) -> None:
    result = CliRunner().invoke(cli, ["scan", str(news)])
    assert result.exit_code == 0
    assert result.stderr == ""


def test_small_scans_and_quiet_runs_want_no_bar() -> None:
    master, slave = os.openpty()
    with open(slave, "w") as tty:
        assert wanted(MIN_ARTICLES, False, tty)
        assert not wanted(MIN_ARTICLES - 1, False, tty)
        assert not wanted(MIN_ARTICLES, True, tty)
        with progress_bar(10, stream=tty) as bar:
            assert bar is None
    os.close(master)
    assert not wanted(10_000, False, io.StringIO())


def test_line_bar_without_rich() -> None:
    out = io.StringIO()
    bar = LineBar(out)
    bar("tokenize", 256, 512)
    bar("tokenize", 512, 512)
    bar("alignment", 1000, 4000)
    bar.close()
    text = out.getvalue()
    assert text.count("\r") == 3 and text.endswith("\n")
    first, second = text.strip("\n").split("\n")
    assert "reading words" in first and first.endswith("512/512") and "#" * LineBar.WIDTH in first
    assert "aligning pairs" in second and second.endswith("1000/4000")


def test_rich_bar_completes_each_stage() -> None:
    out = io.StringIO()
    bar = RichBar(out)
    bar("tokenize", 100, 400)
    bar("alignment", 10, 40)
    bar.close()
    text = out.getvalue()
    assert "reading words" in text and "aligning pairs" in text
    assert "400/400" in text and "40/40" in text
