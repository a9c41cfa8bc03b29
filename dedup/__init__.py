"""dedup: find, align and attribute copied passages across news articles.

The stages, each a module: ``ingest`` (articles) → ``text`` (words with
offsets) → ``passages`` (MinHash fingerprints) → ``candidates`` (LSH
buckets) → ``sift`` (which are worth aligning) → ``align`` (copied spans) → ``kinds`` (prose, quote, boilerplate)
→ ``direction`` and ``families`` → ``outlets`` → ``report``.
"""

from ._version import __version__
from .errors import DedupError, IndexStoreError, InputError, SettingsError
from .index import Index, Rules
from .ingest import FieldNames, load
from .local import scan
from .model import Article, Decision, Family, Match, OutletStats, Problem, Report, Span
from .pairs import compare
from .settings import Settings

__all__ = [
    "Article", "DedupError", "Decision", "Family", "FieldNames", "Index", "IndexStoreError", "InputError",
    "Match", "OutletStats", "Problem", "Report", "Rules", "Settings", "SettingsError", "Span", "__version__",
    "compare", "load", "scan",
]
