"""The hot loops, compiled or pure, chosen once at import.

Each kernel is the loop form of a reference in :mod:`dedup.kernels.reference`
and gives the same result, bit for bit (the tests compare them): numpy
passes over a whole batch cost a pass over memory per step, and a pair of
short texts costs a dozen numpy calls whose overhead exceeds their work.
The extension (``dedup/kernels/_compiled.pyx``, Cython) is built by ``pip
install`` where a C compiler is present; without it the references run,
slower, with the same results. ``DEDUP_PURE=1`` runs the references anyway.
Algorithm code calls these names and never asks which it got; ``NOGIL``
tells an executor whether the word pass lets threads run side by side.
"""

from __future__ import annotations

import os
from importlib.util import find_spec

from . import reference

AVAILABLE = not os.environ.get("DEDUP_PURE") and find_spec(f"{__name__}._compiled") is not None
"""Whether the compiled kernels are in use."""
NOGIL = AVAILABLE
"""Whether the word pass lets other threads run meanwhile (the compiled one does)."""

if AVAILABLE:  # a built extension that lacks one of these is a broken build: let it fail loudly
    from ._compiled import (
        anchors,
        chains,
        cover,
        extend,
        furniture,
        lookup,
        near_seed,
        quotations,
        sentence_edges,
        sentences,
        stem_entries,
        winnow,
        words,
    )
else:
    from .reference import (
        anchors,
        chains,
        cover,
        extend,
        furniture,
        lookup,
        near_seed,
        quotations,
        sentence_edges,
        sentences,
        stem_entries,
        winnow,
        words,
    )

__all__ = [
    "AVAILABLE", "NOGIL", "anchors", "chains", "cover", "extend", "furniture", "lookup", "near_seed", "quotations",
    "reference", "sentence_edges", "sentences", "stem_entries", "winnow", "words",
]
