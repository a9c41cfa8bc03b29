"""A feature whose extra is not installed says so in one line, naming the pip command; never a traceback.

Each case runs ``dedup`` in a fresh Python with the extra's module made unimportable.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_without(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    code = (f"import sys; sys.modules[{module!r}] = None\n"
            "from dedup.cli import main\n"
            f"sys.argv = ['dedup', *{list(args)!r}]\n"
            "main()")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


def test_html_pages_without_the_html_extra_are_skipped_with_the_install_command(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<html><body><p>A page.</p></body></html>", encoding="utf-8")
    (tmp_path / "note.txt").write_text("A plain note about the harbour and its ferry.", encoding="utf-8")
    done = run_without("trafilatura", "scan", str(tmp_path), "--format", "json")
    assert done.returncode == 0 and '"id": "note.txt"' in done.stdout
    assert done.stderr.splitlines() == [
        f"dedup: skipped {tmp_path / 'page.html'}: HTML needs the html extra: pip install 'dedup[html]'"]


def test_a_redis_index_without_the_redis_extra_names_the_install(samples_dir: Path) -> None:
    done = run_without("redis", "index", "add", "redis://127.0.0.1:1/0", str(samples_dir))
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["Error: a Redis index needs the redis extra: pip install 'dedup[redis]'"]


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_the_spark_engine_without_the_spark_extra_names_the_install(samples_dir: Path, fmt: str) -> None:
    done = run_without("pyspark", "scan", "--engine", "spark", str(samples_dir), "--format", fmt)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines() == ["Error: the spark engine needs PySpark: pip install 'dedup[spark]'"]


def test_zstd_and_parquet_inputs_without_their_extras_name_the_install(tmp_path: Path) -> None:
    pytest.importorskip("zstandard")
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    import zstandard

    note = tmp_path / "note.txt"
    note.write_text("A plain note about the harbour and its ferry.", encoding="utf-8")
    packed = tmp_path / "news.jsonl.zst"
    with zstandard.open(packed, "wt") as out:
        out.write('{"id": "a", "text": "A story about the ferry fleet and the islands."}\n')
    table = tmp_path / "news.parquet"
    pq.write_table(pa.Table.from_pylist([{"id": "b", "text": "Another story about the bakery."}]), table)
    for module, path, message in (("zstandard", packed, "zstd input needs the zstd extra: pip install 'dedup[zstd]'"),
                                  ("pyarrow", table, "Parquet needs the parquet extra: pip install 'dedup[parquet]'")):
        done = run_without(module, "scan", str(note), str(path), "--format", "json")
        assert done.returncode == 0 and '"id": "note.txt"' in done.stdout
        assert done.stderr.splitlines() == [f"dedup: skipped {path}: {message}"]


def test_parquet_output_without_the_parquet_extra_names_the_install(samples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "pairs.parquet"
    done = run_without("pyarrow", "scan", str(samples_dir), "--format", "parquet", "-o", str(out))
    assert done.returncode == 1 and done.stdout == "" and not out.exists()
    assert done.stderr.splitlines() == ["Error: Parquet needs the parquet extra: pip install 'dedup[parquet]'"]


def test_the_package_says_the_version_it_was_built_as() -> None:
    from importlib.metadata import version

    import dedup

    assert dedup.__version__ == version("dedup")


def test_warc_input_without_the_warc_extra_names_the_install(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("A plain note about the harbour and its ferry.", encoding="utf-8")
    crawl = tmp_path / "crawl.warc"
    crawl.write_bytes(b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n")
    done = run_without("warcio", "scan", str(note), str(crawl), "--format", "json")
    assert done.returncode == 0 and '"id": "note.txt"' in done.stdout
    message = "WARC input needs the warc extra: pip install 'dedup[warc]'"
    assert done.stderr.splitlines() == [f"dedup: skipped {crawl}: {message}"]
