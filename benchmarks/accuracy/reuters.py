"""Reuters-21578 stories as plain records: the real wire copy the benchmark is built on.

The collection (SGML, latin-1, 22 files of ``<REUTERS ...>`` records) is
read at run time from a folder outside the repository; nothing of it is
stored here. Only records with a ``<BODY>`` are kept. A story's text is laid
out the way the wire sent it: the headline, a blank line, then the dateline
and the hard-wrapped body (indented lines open paragraphs), without the
closing "Reuter" sign-off.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_RECORD = re.compile(r"<REUTERS([^>]*)>(.*?)</REUTERS>", re.S)
_NEWID = re.compile(r'NEWID="(\d+)"')
_FIELD = {name: re.compile(rf"<{name}>(.*?)</{name}>", re.S) for name in ("DATE", "TITLE", "DATELINE", "BODY")}
_SIGNOFF = re.compile(r"\s*\bReuter\s*$", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Story:
    """One Reuters record with a body. ``date`` is ISO 8601 with the time of day."""

    newid: int
    date: str
    title: str
    dateline: str
    body: str

    @property
    def text(self) -> str:
        """The story as the wire sent it: headline, blank line, dateline and body."""
        return f"{self.title}\n\n{self.lead}{self.body}"

    @property
    def lead(self) -> str:
        """Dateline followed by one space, or nothing."""
        return f"{self.dateline} " if self.dateline else ""

    @property
    def body_start(self) -> int:
        """Offset of the dateline (or body) in :attr:`text`."""
        return len(self.title) + 2


def _clean(raw: str) -> str:
    return _CONTROL.sub("", html.unescape(raw))


def _iso(raw: str) -> str:
    day, clock = raw.split()[:2]
    parsed = datetime.strptime(f"{day} {clock.split('.')[0]}", "%d-%b-%Y %H:%M:%S")
    return parsed.isoformat()


def parse(text: str) -> list[Story]:
    """Stories of one SGML file's text, in file order; records without a body are skipped."""
    found = []
    for match in _RECORD.finditer(text):
        attrs, inner = match.groups()
        body = _FIELD["BODY"].search(inner)
        newid = _NEWID.search(attrs)
        date = _FIELD["DATE"].search(inner)
        if not body or not newid or not date:
            continue
        text_body = _SIGNOFF.sub("", _clean(body.group(1))).rstrip()
        if not text_body.strip():
            continue
        title = _FIELD["TITLE"].search(inner)
        dateline = _FIELD["DATELINE"].search(inner)
        try:
            when = _iso(date.group(1))
        except ValueError:
            continue
        found.append(Story(
            newid=int(newid.group(1)),
            date=when,
            title=" ".join(_clean(title.group(1)).split()) if title else "",
            dateline=" ".join(_clean(dateline.group(1)).split()) if dateline else "",
            body=text_body.lstrip(),
        ))
    return found


def read(folder: Path) -> list[Story]:
    """Every story with a body in ``folder`` (the ``reut2-*.sgm`` files), by NEWID."""
    files = sorted(Path(folder).glob("reut2-*.sgm"))
    if not files:
        raise FileNotFoundError(f"no reut2-*.sgm files in {folder}")
    stories: list[Story] = []
    for path in files:
        stories.extend(parse(path.read_bytes().decode("latin-1")))
    return sorted(stories, key=lambda s: s.newid)
