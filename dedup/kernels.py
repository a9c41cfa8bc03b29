"""Compiled loops for the hot paths, when the package was built with its C extension.

Each kernel is the loop form of a numpy or Python reference elsewhere in the package
and gives the same result, bit for bit (the tests compare them): numpy
passes over a whole batch cost a pass over memory per step, and a pair of
short texts costs a dozen numpy calls whose overhead exceeds their work.
The extension (``dedup/_kernels.pyx``, Cython) is built by ``pip install``
where a C compiler is present; without it the references run, slower, with
the same results. Set ``DEDUP_PURE=1`` to run the references anyway.
"""

from __future__ import annotations

import os

_compiled = None
if not os.environ.get("DEDUP_PURE"):
    try:
        from . import _kernels as _compiled
    except ImportError:  # not built here: the numpy references run
        _compiled = None

AVAILABLE = _compiled is not None
"""Whether the compiled kernels are in use."""

# a built extension that lacks one of these is a broken build: let it fail loudly
anchors = _compiled.anchors if _compiled else None
chains = _compiled.chains if _compiled else None
near_seed = _compiled.near_seed if _compiled else None
quotations = _compiled.quotations if _compiled else None
winnow = _compiled.winnow if _compiled else None
words = _compiled.words if _compiled else None
