"""The local engine: a whole scan on one machine, every core (:func:`scan`)."""

from .engine import scan

__all__ = ["scan"]
