"""Seeded, deterministic fault injection: the failures a client of Twilio has to survive.

One `random.Random(seed)` under a lock decides. Every request that gets past routing and
authentication draws exactly two numbers before it is applied (is it refused with 429 or 5xx, and
which 5xx), and every successful write draws one more after it committed (is its answer lost). The
number of draws does not depend on the shares, so one seed gives one sequence of decisions for one
sequence of requests, whatever the shares are.
"""

from __future__ import annotations

import math
import random
import threading
from dataclasses import dataclass

from . import errors
from .errors import ApiError


@dataclass
class Faults:
    """What goes wrong, and how often. Shares are probabilities in [0, 1]."""

    seed: int = 0
    rate_limit: float = 0.0
    """Share of requests answered 429 (code 20429) with Retry-After, not applied."""
    retry_after: float = 1.0
    """Seconds in the Retry-After header of a 429 (sent as whole seconds, rounded up)."""
    server_error: float = 0.0
    """Share of requests answered 500 (20500) or 503 (20503), not applied."""
    latency: float = 0.0
    """Seconds added before every request is handled."""
    lost_response: float = 0.0
    """Share of successful writes (POST/DELETE, 2xx) that commit but whose connection closes without an answer."""

    def __post_init__(self) -> None:
        for name in ("rate_limit", "server_error", "lost_response"):
            share = getattr(self, name)
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"Faults.{name} is a share between 0 and 1, got {share!r}")
        if self.rate_limit + self.server_error > 1.0:
            raise ValueError("Faults.rate_limit + Faults.server_error must not exceed 1")
        for name in ("retry_after", "latency"):
            if getattr(self, name) < 0:
                raise ValueError(f"Faults.{name} is a number of seconds, at least 0")


@dataclass(frozen=True)
class Fault:
    """A request refused before it was applied: its kind (a `Counters.faults` key) and Twilio's answer."""

    kind: str
    error: ApiError


class FaultInjector:
    """Draws the decisions for the current `Faults`; assigning new faults restarts from their seed."""

    def __init__(self, faults: Faults | None = None) -> None:
        self._lock = threading.Lock()
        self._faults = faults or Faults()
        self._random = random.Random(self._faults.seed)

    @property
    def faults(self) -> Faults:
        return self._faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        with self._lock:
            self._faults = faults
            self._random = random.Random(faults.seed)

    @property
    def latency(self) -> float:
        return self._faults.latency

    def before_applying(self) -> Fault | None:
        """A 429 or 5xx refusal for this request, or None to handle it."""
        with self._lock:
            faults = self._faults
            roll, which = self._random.random(), self._random.random()
        if roll < faults.rate_limit:
            return Fault("rate_limit", _rate_limited(faults.retry_after))
        if roll < faults.rate_limit + faults.server_error:
            if which < 0.5:
                return Fault("server_error", ApiError(500, errors.INTERNAL_SERVER_ERROR, "Internal Server Error"))
            return Fault("server_error", ApiError(503, errors.SERVICE_UNAVAILABLE, "Service Unavailable"))
        return None

    def loses_response(self) -> bool:
        """Whether the answer to a write that just committed is dropped."""
        with self._lock:
            faults = self._faults
            roll = self._random.random()
        return roll < faults.lost_response


def _rate_limited(retry_after: float) -> ApiError:
    return ApiError(
        429,
        errors.TOO_MANY_REQUESTS,
        "Too Many Requests: the request was not processed and is safe to retry",
        {"Retry-After": str(math.ceil(retry_after))},
    )
