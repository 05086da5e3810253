"""The emulator's state: every family's records in one place, one lock, and the state file.

Each family declares its kinds of record (`Kind`): the key its list has in the state file and the kind
it belongs to (a conversation to a service, a message to a conversation). The state keeps each kind's
records grouped by the SID of the record they belong to, in creation order, so listing is a lookup and
deleting a record deletes what belongs to it, as Twilio does (a service takes its conversations along,
a conversation its messages).

One re-entrant lock guards everything; a write validates, commits, then rewrites the state file
atomically (temp file + `os.replace`) before the lock is released, so what a client was told is what a
restart finds. The file nests each record's belongings under its entry (`services[].conversations[]
.messages[]`): the layout of version 1, which the kinds' keys reproduce.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from .events import Dispatcher, Target
from .records import JsonObject, Record, record_from_state, record_to_state

STATE_FILE_VERSION = 1
Params = Mapping[str, str | None]  # an event's form parameters; None leaves one out
R = TypeVar("R", bound=Record)


def utc_now() -> datetime:
    """Now, to the second: Twilio's timestamps have no fraction."""
    return datetime.now(timezone.utc).replace(microsecond=0)


@dataclass(frozen=True, eq=False)
class Kind(Generic[R]):
    """One kind of record: where the state file keeps it, and which record it belongs to."""

    key: str  # its list's name in the state file, in its owner's entry (`conversations`) or at the top
    record: type[R]
    owner_kind: Kind[Any] | None = None
    owner: Callable[[R], str] | None = None  # the SID of the record it belongs to
    to_state: Callable[[R], JsonObject] = record_to_state
    from_state: Callable[[JsonObject], R] | None = None  # default: `record_from_state`

    def owner_of(self, record: R) -> str:
        return self.owner(record) if self.owner is not None else ""

    def load(self, data: JsonObject) -> R:
        return self.from_state(data) if self.from_state is not None else record_from_state(self.record, data)


@dataclass(frozen=True)
class Seed(Generic[R]):
    """What every new record of a kind comes with (a service: its default roles); also run on the records a
    state file brought, so that one from before the seed existed gets what it lacks (`fill` skips what is there)."""

    kind: Kind[R]
    fill: Callable[[State, R], None]


TargetFinder = Callable[["State", "Event"], list[Target]]
"""Where a family sends a post-action event: the service's webhook, the conversation's (lock held)."""


@dataclass(frozen=True)
class Event:
    """A post-action event of one conversation; `message` is the message it is about, if any."""

    name: str
    service_sid: str
    conversation_sid: str
    message: Any = None


@dataclass
class State:
    """Every record of the one emulated account, and what runs with a write (seeds, events, the file)."""

    kinds: Sequence[Kind[Any]]
    seeds: Sequence[Seed[Any]] = ()
    targets: Sequence[TargetFinder] = ()
    state_file: str | os.PathLike[str] | None = None
    clock: Callable[[], datetime] = utc_now
    dispatcher: Dispatcher | None = None

    def __post_init__(self) -> None:
        self.lock = threading.RLock()
        self._path = Path(self.state_file) if self.state_file is not None else None
        # kind -> owner SID ("" for the account's) -> record SID -> record, in creation order
        self._rows: dict[Kind[Any], dict[str, dict[str, Any]]] = {kind: {} for kind in self.kinds}
        self._seq = 0
        if self._path is not None and self._path.exists():
            self._load(self._path)

    def rows(self, kind: Kind[R], owner: str = "") -> dict[str, R]:
        """The records of `kind` that belong to `owner`, by SID in creation order (the live table: lock held)."""
        return cast("dict[str, R]", self._rows[kind].setdefault(owner, {}))

    def every(self, kind: Kind[R]) -> Iterator[R]:
        """Every record of `kind`, whoever it belongs to."""
        for rows in list(self._rows[kind].values()):
            yield from rows.values()

    def add(self, kind: Kind[R], record: R) -> R:
        """Store a new record, or a new version of one (which keeps its place)."""
        self.rows(kind, kind.owner_of(record))[record.sid] = record
        return record

    def created(self, kind: Kind[R], record: R) -> R:
        """Store a new record and give it what its kind's seeds give every new one."""
        self.add(kind, record)
        for seed in self.seeds:
            if seed.kind is kind:
                seed.fill(self, record)
        return record

    def remove(self, kind: Kind[R], record: R) -> None:
        """Delete a record and, as Twilio does, everything that belongs to it."""
        del self.rows(kind, kind.owner_of(record))[record.sid]
        for child in self._children(kind):
            for belonging in list(self.rows(child, record.sid).values()):
                self.remove(child, belonging)
            del self._rows[child][record.sid]

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def now(self) -> datetime:
        return self.clock()

    def reset(self) -> None:
        """Forget everything (and say so in the state file)."""
        with self.lock:
            for rows in self._rows.values():
                rows.clear()
            self._seq = 0
            self.commit()

    def emit(self, source: str | None, event: Event, params: Params) -> None:
        """Queue a post-action event for every target the families find (lock held; returns at once).

        `source` (`API`, `SMS`, …) says what caused the write; None (a write without
        `X-Twilio-Webhook-Enabled: true`, or a test's direct call) keeps webhooks quiet.
        """
        if source is None or self.dispatcher is None:
            return
        targets = [target for find in self.targets for target in find(self, event)]
        self.dispatcher.post(event.name, {**params, "Source": source}, targets)

    # The state file

    def commit(self) -> None:
        if self._path is not None:
            _write_atomically(self._path, json.dumps(self._to_state(), indent=1))

    def _children(self, kind: Kind[Any]) -> list[Kind[Any]]:
        return [child for child in self.kinds if child.owner_kind is kind]

    def _to_state(self) -> JsonObject:
        return {
            "version": STATE_FILE_VERSION,
            "seq": self._seq,
            **{kind.key: self._entries(kind, "") for kind in self._children_of_account()},
        }

    def _children_of_account(self) -> list[Kind[Any]]:
        return [kind for kind in self.kinds if kind.owner_kind is None]

    def _entries(self, kind: Kind[Any], owner: str) -> list[JsonObject]:
        return [
            {**kind.to_state(record), **{child.key: self._entries(child, sid) for child in self._children(kind)}}
            for sid, record in self._rows[kind].get(owner, {}).items()
        ]

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != STATE_FILE_VERSION:
                raise ValueError(f"version {data.get('version')!r}, expected {STATE_FILE_VERSION}")
            self._seq = int(data["seq"])
            for kind in self._children_of_account():
                self._load_entries(kind, data.get(kind.key, []))
            for seed in self.seeds:
                for record in list(self.every(seed.kind)):
                    seed.fill(self, record)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{path} is not an emulator state file ({exc}); move it away or pick another") from exc

    def _load_entries(self, kind: Kind[Any], entries: list[JsonObject]) -> None:
        children = self._children(kind)
        belongings = {child.key for child in children}
        for entry in entries:
            self.add(kind, kind.load({key: value for key, value in entry.items() if key not in belongings}))
            for child in children:
                self._load_entries(child, entry.get(child.key, []))


def _write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a reader (or a crash) sees the old file or the new, never half."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
