"""Text and HTML files as article text: their bytes decoded whatever the encoding, HTML through its extractor.

A file's encoding is the one its BOM names, else UTF-8, else UTF-16 without a
BOM (by its zero bytes), else the legacy encoding charset-normalizer finds;
text that is mostly control characters is a binary file. HTML pages give the
text and title trafilatura finds (the ``html`` extra). Whatever cannot be read
is :class:`~dedup.records.Unreadable`, with the reason.
"""

from __future__ import annotations

import codecs

from .records import Unreadable

HTML_SUFFIXES = {".html", ".htm"}


def decode(data: bytes) -> str:
    """Text of a file in UTF-8, UTF-16 (with BOM) or a detected legacy encoding."""
    if not data.strip():
        raise Unreadable("empty file")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32")):
        if data.startswith(bom) and not (enc == "utf-16" and data.startswith(codecs.BOM_UTF32_LE)):
            try:
                return _plausible(data.decode(enc))
            except UnicodeDecodeError as err:
                raise Unreadable(f"not valid {enc}: {err.reason}") from None
    try:
        return _plausible(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if b"\x00" in sample:
        zeros_odd = sample[1::2].count(0)
        zeros_even = sample[0::2].count(0)
        enc = "utf-16-le" if zeros_odd > zeros_even else "utf-16-be"
        if max(zeros_odd, zeros_even) > len(sample) // 4:
            try:
                return _plausible(data.decode(enc))
            except UnicodeDecodeError:
                pass
        raise Unreadable("binary file (contains NUL bytes)")
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise Unreadable("binary file or unknown text encoding")
    best = matches[0]
    # Short texts often fit several single-byte code pages equally well; among
    # equals prefer Windows-1252, the most common legacy encoding of news pages.
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    chosen = next((m for m in tied if m.encoding == "cp1252"), best)
    return _plausible(str(chosen))


def _plausible(text: str) -> str:
    """Reject decoded text that is mostly control characters (a binary file)."""
    if not text.strip():
        raise Unreadable("empty file")
    sample = text[:4096]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if bad > len(sample) // 20:
        raise Unreadable("binary file")
    return text


def extract_html(markup: str) -> tuple[str, str | None]:
    """Article text and title from an HTML page (trafilatura, the ``html`` extra)."""
    try:
        import trafilatura
    except ImportError:
        raise Unreadable("HTML needs the html extra: pip install 'dedup[html]'") from None
    text = trafilatura.extract(markup, include_comments=False, include_tables=False)
    if not text or not text.strip():
        raise Unreadable("no article text found in the HTML")
    title = None
    meta = trafilatura.extract_metadata(markup)
    if meta is not None and meta.title:
        title = meta.title
    return text, title


def parse_file(data: bytes, suffix: str) -> tuple[str, str | None]:
    """Text and title of a text or HTML file's bytes; raises :class:`Unreadable`."""
    text = decode(data)
    if suffix.lower() in HTML_SUFFIXES:
        return extract_html(text)
    return text, text.lstrip().split("\n", 1)[0].strip()[:200] or None
