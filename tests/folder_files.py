"""A folder of news in every format the folder scan reads, each file written by its own library."""

from __future__ import annotations

import csv
import gzip
import json
import lzma
from pathlib import Path
from typing import Any

from index_helpers import REPRINT, UNRELATED, WIRE


def jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = {".gz": gzip.open, ".xz": lzma.open}.get(path.suffix)
    if opener is None:
        path.write_bytes(data)
    else:
        with opener(path, "wb") as out:
            out.write(data)
    return path


def table(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        import pyarrow
        import pyarrow.parquet

        pyarrow.parquet.write_table(pyarrow.Table.from_pylist(rows), path)
        return path
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter="\t" if path.suffix == ".tsv" else ",")
        writer.writeheader()
        writer.writerows(rows)
    return path


def news_folder(root: Path) -> Path:
    """Outlet subfolders holding files of records beside a text file, a sidecar naming one
    of them, records with and without outlets, URLs and ids, and a file cut short."""
    jsonl(root / "wire" / "feed.jsonl.gz", [
        {"id": "w1", "text": WIRE, "date": "2026-03-03"},  # the subfolder's
        {"id": "w2", "text": REPRINT, "url": "https://www.herald.example/ferries"},  # the URL's host
        {"id": "w3", "text": UNRELATED, "outlet": "city"},  # its own
    ])
    jsonl(root / "wire" / "news.jsonl", [{"text": WIRE.upper()}])
    jsonl(root / "daily" / "news.jsonl", [{"text": REPRINT.upper()}])  # no ids: the file's path names them
    table(root / "daily" / "rows.csv", [{"id": "d1", "text": REPRINT, "date": ""}])
    table(root / "daily" / "more.tsv", [{"id": "d2", "text": UNRELATED + " Tabs.", "outlet": "tabs"}])
    table(root / "daily" / "table.parquet", [{"id": "d3", "text": WIRE + " Parquet.", "outlet": None}])
    (root / "daily" / "story.txt").write_text("Daily Post\n\n" + REPRINT, encoding="utf-8")
    cut = gzip.compress(("".join(json.dumps({"id": f"c{i}", "text": f"{UNRELATED} {i}"}) + "\n"
                                 for i in range(200))).encode())
    (root / "daily" / "cut.jsonl.gz").write_bytes(cut[: len(cut) // 2])
    (root / "daily" / ".hidden.jsonl").write_text(json.dumps({"id": "h", "text": WIRE}) + "\n", encoding="utf-8")
    (root / "metadata.csv").write_text("path,outlet,date\ndaily/rows.csv,Daily Post,2026-03-04\n", encoding="utf-8")
    return root
