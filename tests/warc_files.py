"""WARC files for tests, written by warcio's own writer as a crawler writes them."""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from index_helpers import REPRINT, UNRELATED, WIRE


@dataclass(frozen=True)
class Response:
    uri: str
    date: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    record_id: str | None = None
    encoding: str | None = None  # the HTTP Content-Encoding the body is sent in


def html(title: str, text: str, padding: str = "") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (f"<html><head><title>{title}</title></head><body><nav>Home | News | Sport</nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article>{padding}"
            "<footer>All rights reserved</footer></body></html>").encode()


WIRE_PAGE = Response("https://www.wire.example/ferries", "2026-03-03T08:15:00Z", html("Ferry plan approved", WIRE))
COPY_PAGE = Response("https://herald.example/islands/ferries", "2026-03-04T19:02:11Z",
                     html("Island ferries", REPRINT.split("\n\n", 1)[1]))
BAKERY_PAGE = Response("https://city.example/bakery", "2026-03-05T10:00:00Z", html("Sourdough prize", UNRELATED))
IMAGE = Response("https://www.wire.example/logo.png", "2026-03-03T08:15:01Z", b"\x89PNG\r\n\x1a\n" + bytes(200),
                 "image/png")


def write_warc(path: Path, responses: list[Response], starts: list[int] | None = None) -> Path:
    """A WARC (gzip per record if the name says so): a warcinfo record, then each response
    and its request, as a crawler writes them. ``starts`` gets where each record starts in the file."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.suffix == ".gz")
        write = writer.write_record
        writer.write_record = lambda record: (starts.append(out.tell()) if starts is not None else None,  # type: ignore
                                              write(record))
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "dedup tests"}))
        for r in responses:
            sent = [("Content-Type", r.content_type)] + ([("Content-Encoding", r.encoding)] if r.encoding else [])
            http = StatusAndHeaders("200 OK", sent, protocol="HTTP/1.1")
            headers = {"WARC-Date": r.date, **({"WARC-Record-ID": r.record_id} if r.record_id else {})}
            writer.write_record(writer.create_warc_record(r.uri, "response", payload=io.BytesIO(r.body),
                                                          http_headers=http, warc_headers_dict=headers))
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(r.uri, "request", payload=io.BytesIO(b""),
                                                          http_headers=request))
    return path


def record_starts(path: Path) -> list[int]:
    """Where each record starts in the uncompressed WARC (0 is the warcinfo record)."""
    data = path.read_bytes()
    plain = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    starts = []
    with io.BytesIO(plain) as stream:
        records = ArchiveIterator(stream)
        for record in records:
            record.content_stream().read()
            starts.append(records.get_record_offset())
    return starts
