"""``dedup scan --engine spark`` through click, and through a real spark-submit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dedup.cli import cli

from spark_fixtures import STATS


def _json(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["stats"] = {k: data["stats"][k] for k in STATS}
    return data


def _scan(*args: str) -> Any:
    result = CliRunner().invoke(cli, ["scan", *args], catch_exceptions=False)
    return result


def test_json_report_equals_local(spark: Any, samples_dir: Path, tmp_path: Path) -> None:
    assert _scan(str(samples_dir), "--format", "json", "-o", str(tmp_path / "local.json")).exit_code == 0
    result = _scan("--engine", "spark", str(samples_dir), "--format", "json", "-o", str(tmp_path / "spark.json"))
    assert result.exit_code == 0, result.output
    assert _json(tmp_path / "spark.json") == _json(tmp_path / "local.json")


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_pairs_written_as_part_files(spark: Any, samples_dir: Path, tmp_path: Path, fmt: str) -> None:
    local = _scan(str(samples_dir), "--format", fmt).output.splitlines()
    out = tmp_path / "pairs"
    result = _scan("--engine", "spark", str(samples_dir), "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    parts = sorted(out.glob("part-*"))
    assert parts and (out / "_SUCCESS").exists()
    lines = [line for part in parts for line in part.read_text(encoding="utf-8").splitlines()]
    if fmt == "csv":  # every non-empty part file starts with the header
        header = local[0]
        assert all(p.read_text(encoding="utf-8").startswith(header) for p in parts if p.stat().st_size)
        lines = [header] + [line for line in lines if line != header]
    assert lines == local and len(lines) > 10


def test_pairs_to_stdout_and_an_existing_folder(spark: Any, samples_dir: Path, tmp_path: Path) -> None:
    local = _scan(str(samples_dir), "--format", "jsonl").output
    assert _scan("--engine", "spark", str(samples_dir), "--format", "jsonl").output == local
    taken = tmp_path / "taken"
    taken.mkdir()
    result = _scan("--engine", "spark", str(samples_dir), "--format", "jsonl", "-o", str(taken / "x"))
    assert result.exit_code == 0
    again = _scan("--engine", "spark", str(samples_dir), "--format", "jsonl", "-o", str(taken / "x"))
    assert again.exit_code != 0 and "is a directory" in again.output  # never written over


def test_nothing_to_scan(spark: Any, tmp_path: Path) -> None:
    result = _scan("--engine", "spark", str(tmp_path / "missing"))
    assert result.exit_code != 0
    assert "nothing to scan" in result.output and "no such file or folder" in result.output


def _spark_submit() -> str:
    import pyspark

    found = Path(pyspark.__file__).parent / "bin" / "spark-submit"
    return str(found) if found.exists() else (shutil.which("spark-submit") or "spark-submit")


@pytest.mark.parametrize("master", ["local[2]", "local-cluster[2,1,1024]"])
def test_spark_submit_runs_the_scan(spark: Any, samples_dir: Path, tmp_path: Path, master: str) -> None:
    """The README's spark-submit command line, in one JVM (local[2]) and with two executor
    processes (local-cluster: a master and two workers of one core each, as on a cluster,
    so the Python stages run in two executors' workers and the shuffles cross processes)."""
    launcher = subprocess.run([sys.executable, "-m", "dedup.spark.submit"], capture_output=True, text=True,
                              check=True, cwd=Path(__file__).resolve().parent.parent).stdout.strip()
    assert launcher.endswith("submit.py") and Path(launcher).exists()
    root = str(Path(__file__).resolve().parent.parent)  # this checkout's dedup, driver and workers
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable,
               PYTHONHASHSEED="11", PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    out = tmp_path / "report.json"
    work = Path(_spark_submit()).parent.parent / "work"  # local-cluster's workers keep executor logs here
    before = set(work.glob("app-*"))
    try:
        run = subprocess.run([_spark_submit(), "--master", master,
                              "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                              "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=4",
                              launcher, "scan", "--engine", "spark", str(samples_dir), "--format", "json",
                              "-o", str(out)], capture_output=True, text=True, env=env, timeout=900)
    finally:
        for made in set(work.glob("app-*")) - before:
            shutil.rmtree(made, ignore_errors=True)
    assert run.returncode == 0, run.stderr[-3000:]
    assert _scan(str(samples_dir), "--format", "json", "-o", str(tmp_path / "local.json")).exit_code == 0
    assert _json(out) == _json(tmp_path / "local.json")
