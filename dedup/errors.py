"""Typed errors: the library raises these, the CLI turns each into one message."""


class DedupError(Exception):
    """Base of every error dedup raises on purpose."""


class SettingsError(DedupError, ValueError):
    """A parameter is out of range; the message names the fix."""


class InputError(DedupError):
    """An input path or record cannot be used at all."""


class IndexStoreError(DedupError):
    """A persistent index cannot be opened or written."""


class OutputError(DedupError):
    """An output cannot be written (the disk is full, the file system went away)."""


class MemoryShort(DedupError):
    """A scan needs more memory than it may use (:mod:`dedup.local.memory`)."""
