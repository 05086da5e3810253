"""What reached the emulator: per-route request counts, injected faults, and a log of every request."""

from __future__ import annotations

import collections
import threading
from dataclasses import dataclass

WRITE_METHODS = frozenset({"POST", "DELETE"})


@dataclass
class RecordedRequest:
    """One request as the emulator saw it, and the status it answered (0 when the answer was dropped)."""

    method: str
    path: str
    """The path as requested, e.g. `/v1/Services/IS…/Conversations`."""
    route: str
    """The spec's path template, e.g. `/v1/Services/{ChatServiceSid}/Conversations` (the path when none matched)."""
    form: dict[str, str]
    """The urlencoded body, last value per key; `{}` when there is none."""
    query: dict[str, str]
    headers: dict[str, str]
    """Request headers except Authorization."""
    status: int


class Counters:
    """Thread-safe tallies; read the attributes freely, they are only changed under the lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: collections.Counter[tuple[str, str]] = collections.Counter()
        """(method, route) -> requests that reached the server, faulted ones included."""
        self.faults: collections.Counter[str] = collections.Counter()
        """`rate_limit`, `server_error` or `lost_response` -> how many were injected."""
        self.log: list[RecordedRequest] = []

    def record(self, request: RecordedRequest, fault: str | None = None) -> None:
        with self._lock:
            self.requests[(request.method, request.route)] += 1
            if fault is not None:
                self.faults[fault] += 1
            self.log.append(request)

    def writes(self) -> int:
        """How many POST and DELETE requests reached the server."""
        with self._lock:
            return sum(count for (method, _), count in self.requests.items() if method in WRITE_METHODS)

    def reset(self) -> None:
        """Start counting afresh (the same objects are emptied, so references to them stay valid)."""
        with self._lock:
            self.requests.clear()
            self.faults.clear()
            self.log.clear()
