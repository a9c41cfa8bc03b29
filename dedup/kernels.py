"""Compiled loops for the hot paths, when the package was built with its C extension.

Each kernel is the loop form of a numpy reference elsewhere in the package
and gives the same result, bit for bit (the tests compare them): numpy
passes over a whole batch cost a pass over memory per step, and a pair of
short texts costs a dozen numpy calls whose overhead exceeds their work.
The extension (``dedup/_kernels.pyx``, Cython) is built by ``pip install``
where a C compiler is present; without it the references run, slower, with
the same results. Set ``DEDUP_PURE=1`` to run the references anyway.
"""

from __future__ import annotations

import os

try:
    if os.environ.get("DEDUP_PURE"):
        raise ImportError("DEDUP_PURE is set")
    from ._kernels import anchors, chains, near_seed, quotations, winnow, words
except ImportError:  # not built here: the numpy references run
    anchors = chains = near_seed = quotations = winnow = words = None

AVAILABLE = words is not None
"""Whether the compiled kernels are in use."""
