"""Hypothesis profiles, chosen by ``HYPOTHESIS_PROFILE``: ``ci`` (the default under
``CI=true``) and ``default`` run every property test with the examples it
asks for; ``dev`` runs a tenth of them, for a quick local run::

    HYPOTHESIS_PROFILE=dev python -m pytest -m "not slow and not spark and not redis and not browser"
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI", "").lower() == "true" else "default")
settings.load_profile(PROFILE)


def examples(count: int) -> int:
    """How many examples a property test asking for ``count`` runs under the profile."""
    return max(5, count // 10) if PROFILE == "dev" else count
