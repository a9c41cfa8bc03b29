"""A local scan that cannot fit in memory says so before it starts, with the figure it needs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup.cli import cli
from dedup.ingest import load
from dedup.local import scan
from dedup.local.memory import IN_RAM, PER_PAIR, SPILLED, MemoryShort, available, needed, parse_size
from dedup.model import Article

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.parametrize(("text", "size"), [("0", 0), ("123", 123), ("6GB", 6 << 30), ("512 MiB", 512 << 20),
                                            ("1.5g", 3 << 29), ("64k", 64 << 10), ("2T", 2 << 40)])
def test_sizes_are_read_in_powers_of_1024(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "lots", "6 GB extra", "-1G", "1e9"])
def test_what_is_not_a_size_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a size"):
        parse_size(text)


def test_words_kept_on_disk_need_less_memory_than_words_in_ram() -> None:
    assert needed(10**9, spilled=True) < needed(10**9, spilled=False)
    assert needed(2 * 10**9, spilled=False) - needed(10**9, spilled=False) == int(IN_RAM * 10**9)
    assert needed(2 * 10**9, spilled=True) - needed(10**9, spilled=True) == int(SPILLED * 10**9)


def _machine(root: Path, *, available_kb: int, cgroup: str, files: dict[str, str]) -> Path:
    """A root folder holding the files the kernel shows under /proc and /sys/fs/cgroup."""
    (root / "proc/self").mkdir(parents=True)
    (root / "proc/meminfo").write_text(f"MemTotal:       32000000 kB\nMemFree:  1000 kB\n"
                                       f"MemAvailable:   {available_kb} kB\n")
    (root / "proc/self/cgroup").write_text(cgroup)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_without_a_limit_the_machine_s_available_memory_counts(tmp_path: Path) -> None:
    root = _machine(tmp_path, available_kb=4_000_000, cgroup="0::/\n",
                    files={"sys/fs/cgroup/memory.max": "max\n", "sys/fs/cgroup/memory.current": "100\n"})
    have = available(root)
    assert have is not None and have.bytes == 4_000_000 * 1024 and "machine" in have.source


def test_a_cgroup_v2_limit_below_the_machine_s_memory_counts_with_its_page_cache_as_free(tmp_path: Path) -> None:
    group = "sys/fs/cgroup/user.slice/job"
    root = _machine(tmp_path, available_kb=30_000_000, cgroup="0::/user.slice/job\n",
                    files={f"{group}/memory.max": str(2 << 30), f"{group}/memory.current": str(1 << 30),
                           f"{group}/memory.stat": f"anon {1 << 29}\nfile {1 << 29}\n"})
    have = available(root)
    assert have is not None and have.bytes == (2 << 30) - (1 << 30) + (1 << 29) and "control group" in have.source


def test_a_cgroup_v1_limit_inside_a_container_is_read_from_the_root_of_its_view(tmp_path: Path) -> None:
    root = _machine(tmp_path, available_kb=30_000_000, cgroup="4:memory:/docker/abc\n1:cpu:/\n",
                    files={"sys/fs/cgroup/memory/memory.limit_in_bytes": str(3 << 30),
                           "sys/fs/cgroup/memory/memory.usage_in_bytes": str(1 << 30),
                           "sys/fs/cgroup/memory/memory.stat": "cache 0\ntotal_cache 1024\n"})
    have = available(root)
    assert have is not None and have.bytes == (2 << 30) + 1024


def test_a_machine_without_these_files_has_no_figure(tmp_path: Path) -> None:
    assert available(tmp_path) is None


def test_this_machine_s_figure_is_no_more_than_its_memory() -> None:
    have = available()
    if have is None:
        pytest.skip("no /proc/meminfo here (not Linux)")
    total = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal:"))) * 1024
    assert 0 < have.bytes <= total


def test_a_scan_that_needs_more_than_it_may_use_stops_before_it_starts() -> None:
    articles = [Article(f"a{i}", "Words of an article, one after another. " * 50) for i in range(3)]
    stages: list[str] = []
    with pytest.raises(MemoryShort, match=r"needs about 64 MB .*\(6,000 characters\).*10 MB is given"):
        scan(articles, memory=10 << 20, progress=lambda stage, done, total: stages.append(stage))
    assert stages == []
    assert len(scan(articles, memory=0).documents) == 3  # 0: not checked


def test_the_cli_says_so_in_one_line_and_scans_when_told_not_to_check() -> None:
    runner = CliRunner()
    short = runner.invoke(cli, ["scan", str(SAMPLES), "--memory", "1MB"])
    assert short.exit_code == 1 and "Traceback" not in short.output
    assert [line for line in short.output.splitlines() if line] == [short.output.strip()]
    assert "needs about" in short.output and "1 MB is given" in short.output
    bad = runner.invoke(cli, ["scan", str(SAMPLES), "--memory", "plenty"])
    assert bad.exit_code == 2 and "--memory" in bad.output and "not a size" in bad.output
    fine = runner.invoke(cli, ["scan", str(SAMPLES), "--memory", "0", "--format", "json"])
    assert fine.exit_code == 0 and '"pairs"' in fine.output


def test_a_scan_is_checked_again_once_it_knows_the_pairs_it_must_align() -> None:
    articles, _ = load([str(SAMPLES)])
    first = needed(sum(len(a.text) for a in articles), spilled=False)
    stages: list[str] = []
    with pytest.raises(MemoryShort, match=r"candidate pairs to align"):
        scan(articles, memory=first, progress=lambda stage, done, total: stages.append(stage))
    assert "tokenize" in stages and "alignment" not in stages  # stopped after the candidates, before aligning
    assert scan(articles, memory=first + PER_PAIR * 10_000).pairs  # room for the pairs: the scan runs


def test_once_words_are_counted_a_text_of_a_word_to_a_character_needs_more() -> None:
    english = needed(6_000_000, spilled=False, words=1_000_000)
    chinese = needed(6_000_000, spilled=False, words=6_000_000)  # Chinese: each character a word
    assert english == needed(6_000_000, spilled=False) and chinese > 5 * (english - needed(0, spilled=False))
