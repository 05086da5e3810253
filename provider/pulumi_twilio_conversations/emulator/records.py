"""What every emulated record shares: its JSON, its SID, its timestamps and links, its state-file form.

Records are frozen dataclasses, so the state can hand them out and callers render them without holding
its lock. Each family's records render as the spec's schemas do: every property present, `null` where
Twilio has nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any, Protocol, TypeVar

from .rules import format_timestamp, parse_timestamp

JsonObject = dict[str, Any]
_R = TypeVar("_R")

_DATE_FIELDS = ("date_created", "date_updated", "date_inactive", "date_closed")


class Record(Protocol):
    """A record of the state: its SID, and `seq`, the order of its creation among all records."""

    @property
    def sid(self) -> str: ...

    @property
    def seq(self) -> int: ...

    def render(self, account_sid: str, base: str) -> JsonObject: ...


def new_sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


def links(url: str, names: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {key: f"{url}/{segment}" for key, segment in names}


def when(moment: datetime | None) -> str | None:
    return None if moment is None else format_timestamp(moment)


def parse_when(text: str | None) -> datetime | None:
    return None if text is None else parse_timestamp(text, "state file")


def record_to_state(record: Any) -> JsonObject:
    """A flat record as the state file keeps it: dates as Twilio's timestamps, tuples as lists."""
    data = asdict(record)
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = format_timestamp(value)
        elif isinstance(value, tuple):
            data[key] = list(value)
    return data


def record_from_state(cls: type[_R], data: JsonObject) -> _R:
    """The record `record_to_state` wrote (fields it lacks, from older state files, take their defaults)."""
    names = {item.name for item in fields(cls)}  # type: ignore[arg-type]
    values = {key: value for key, value in data.items() if key in names}
    for key, value in values.items():
        if key in _DATE_FIELDS:
            values[key] = parse_when(value)
        elif isinstance(value, list):
            values[key] = tuple(value)
    return cls(**values)
