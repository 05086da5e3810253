"""How many examples a property test with a count of its own tries.

`make test` runs each test's own count; `make check` loads the lighter Hypothesis profile `check`
(HYPOTHESIS_PROFILE=check, registered in conftest.py), and a count is then capped at that profile's.
"""

from __future__ import annotations

from hypothesis import settings


def examples(count: int) -> int:
    """The test's own count, or the loaded profile's when that is lower."""
    return min(count, settings().max_examples)
