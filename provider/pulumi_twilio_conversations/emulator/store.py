"""The emulator's state: services and their conversations, thread-safe, optionally kept in a file.

One re-entrant lock guards everything; a write validates (see `rules`), commits, then rewrites the
state file atomically (temp file + `os.replace`) before the lock is released, so what a client was told
is what a restart finds. Records are immutable and handed out as they are.

Twilio runs conversation timers on its side; here they are applied lazily: whenever a conversation is
read, it is first moved to the state its timers say it has reached by now.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import errors
from .errors import ApiError, not_found
from .resources import Configuration, Conversation, Service, new_sid, timer_moment
from .rules import (
    check_sid,
    is_sid,
    parse_configuration_form,
    parse_conversation_form,
    parse_date_bound,
    parse_service_form,
)

STATE_FILE_VERSION = 1
LISTABLE_STATES = ("inactive", "active", "closed", "initializing")


def utc_now() -> datetime:
    """Now, to the second: Twilio's timestamps have no fraction."""
    return datetime.now(timezone.utc).replace(microsecond=0)


class Store:
    """Every service and conversation of the one emulated account."""

    def __init__(
        self, state_file: str | os.PathLike[str] | None = None, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._lock = threading.RLock()
        self._path = Path(state_file) if state_file is not None else None
        self._clock = clock
        self._services: dict[str, Service] = {}
        # service SID -> conversation SID -> record, in creation order (dicts keep insertion order)
        self._conversations: dict[str, dict[str, Conversation]] = {}
        # service SID -> unique name -> conversation SID
        self._unique_names: dict[str, dict[str, str]] = {}
        self._seq = 0
        if self._path is not None and self._path.exists():
            self._load(self._path)

    def reset(self) -> None:
        """Forget everything (and say so in the state file)."""
        with self._lock:
            self._services.clear()
            self._conversations.clear()
            self._unique_names.clear()
            self._seq = 0
            self._commit()

    # Services

    def create_service(self, form: Mapping[str, str]) -> Service:
        friendly_name = parse_service_form(form)
        with self._lock:
            now = self._clock()
            service = Service(new_sid("IS"), friendly_name, now, now, Configuration.with_new_roles(), self._next_seq())
            self._services[service.sid] = service
            self._conversations[service.sid] = {}
            self._unique_names[service.sid] = {}
            self._commit()
            return service

    def service(self, sid: str) -> Service:
        with self._lock:
            return self._service(sid)

    def services(self) -> list[Service]:
        with self._lock:
            return list(self._services.values())

    def delete_service(self, sid: str) -> None:
        """Delete a service and, as Twilio does, everything in it."""
        with self._lock:
            self._service(sid)
            del self._services[sid], self._conversations[sid], self._unique_names[sid]
            self._commit()

    def configuration(self, service_sid: str) -> Configuration:
        return self.service(service_sid).configuration

    def update_configuration(self, service_sid: str, form: Mapping[str, str]) -> Configuration:
        changes = parse_configuration_form(form)
        with self._lock:
            service = self._service(service_sid, "Configuration")
            given = {key: value for key, value in vars(changes).items() if value is not None}
            configuration = replace(service.configuration, **given)
            self._services[service_sid] = replace(service, configuration=configuration)
            self._commit()
            return configuration

    # Conversations

    def create_conversation(self, service_sid: str, form: Mapping[str, str]) -> Conversation:
        with self._lock:
            self._service(service_sid, "Conversations")
            given = parse_conversation_form(form, creating=True)
            if given.unique_name is not None:
                self._claim(service_sid, given.unique_name, None)
            now = self._clock()
            created = given.date_created or now
            conversation = Conversation(
                sid=new_sid("CH"),
                chat_service_sid=service_sid,
                date_created=created,
                date_updated=given.date_updated or created,
                seq=self._next_seq(),
                friendly_name=given.friendly_name,
                unique_name=given.unique_name,
                attributes=given.attributes or "{}",
                messaging_service_sid=given.messaging_service_sid,
                state=given.state or "active",
                date_inactive=timer_moment(now, given.timer_inactive, None),
                date_closed=timer_moment(now, given.timer_closed, None),
                email_address=given.email_address,
                email_name=given.email_name,
            )
            self._put(conversation, None)
            self._commit()
            return conversation

    def conversation(self, service_sid: str, sid_or_unique_name: str) -> Conversation:
        with self._lock:
            return self._conversation(service_sid, sid_or_unique_name)

    def update_conversation(self, service_sid: str, sid_or_unique_name: str, form: Mapping[str, str]) -> Conversation:
        with self._lock:
            current = self._conversation(service_sid, sid_or_unique_name)
            if current.state == "closed":
                raise ApiError(400, errors.CLOSED_IS_FINAL, "Can't update conversation as it's in final closed state")
            given = parse_conversation_form(form, creating=False)
            unique_name = None if given.clears_unique_name else given.unique_name or current.unique_name
            if unique_name is not None and unique_name != current.unique_name:
                self._claim(service_sid, unique_name, current.sid)
            now = self._clock()
            state = given.state or current.state
            closing = state == "closed"
            updated = replace(
                current,
                date_created=given.date_created or current.date_created,
                date_updated=given.date_updated or now,
                friendly_name=_either(given.friendly_name, current.friendly_name),
                unique_name=unique_name,
                attributes=given.attributes or current.attributes,
                messaging_service_sid=given.messaging_service_sid or current.messaging_service_sid,
                state=state,
                date_inactive=None if closing else timer_moment(now, given.timer_inactive, current.date_inactive),
                date_closed=None if closing else timer_moment(now, given.timer_closed, current.date_closed),
                email_address=_either(given.email_address, current.email_address),
                email_name=_either(given.email_name, current.email_name),
            )
            self._put(updated, current)
            self._commit()
            return updated

    def delete_conversation(self, service_sid: str, sid_or_unique_name: str) -> None:
        with self._lock:
            current = self._conversation(service_sid, sid_or_unique_name)
            del self._conversations[service_sid][current.sid]
            if current.unique_name is not None:
                del self._unique_names[service_sid][current.unique_name]
            self._commit()

    def conversations(
        self, service_sid: str, *, state: str | None = None, start: str | None = None, end: str | None = None
    ) -> list[Conversation]:
        """A service's conversations in creation order; with a date filter, newest first (as Twilio lists them)."""
        if state is not None and state not in LISTABLE_STATES:
            raise ApiError(400, errors.INVALID_STATE, f"State {state!r} is invalid")
        after = parse_date_bound(start, "StartDate") if start is not None else None
        before = parse_date_bound(end, "EndDate") if end is not None else None
        with self._lock:
            self._service(service_sid, "Conversations")
            found = [
                conversation
                for conversation in self._advance_all(service_sid)
                if (state is None or conversation.state == state)
                and (after is None or conversation.date_created >= after)
                and (before is None or conversation.date_created <= before)
            ]
        if after is not None or before is not None:
            found.sort(key=lambda conversation: (conversation.date_created, conversation.seq), reverse=True)
        return found

    # Internals (call with the lock held)

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _service(self, sid: str, below: str = "") -> Service:
        check_sid(sid, "IS", "ChatServiceSid" if below else "Sid")
        service = self._services.get(sid)
        if service is None:
            raise not_found(f"/v1/Services/{sid}" + (f"/{below}" if below else ""))
        return service

    def _conversation(self, service_sid: str, key: str) -> Conversation:
        self._service(service_sid, "Conversations")
        conversations = self._conversations[service_sid]
        sid = key if is_sid(key, "CH") else self._unique_names[service_sid].get(key, "")
        stored = conversations.get(sid)
        if stored is None:
            raise not_found(f"/v1/Services/{service_sid}/Conversations/{key}")
        current = stored.advanced_to(self._clock())
        conversations[sid] = current
        return current

    def _advance_all(self, service_sid: str) -> list[Conversation]:
        now = self._clock()
        conversations = self._conversations[service_sid]
        for sid, stored in conversations.items():
            conversations[sid] = stored.advanced_to(now)
        return list(conversations.values())

    def _claim(self, service_sid: str, unique_name: str, owner: str | None) -> None:
        holder = self._unique_names[service_sid].get(unique_name)
        if holder is not None and holder != owner:
            raise ApiError(409, errors.UNIQUE_NAME_TAKEN, "Conversation with provided unique name already exists")

    def _put(self, conversation: Conversation, previous: Conversation | None) -> None:
        names = self._unique_names[conversation.chat_service_sid]
        if previous is not None and previous.unique_name is not None:
            del names[previous.unique_name]
        if conversation.unique_name is not None:
            names[conversation.unique_name] = conversation.sid
        self._conversations[conversation.chat_service_sid][conversation.sid] = conversation

    def _commit(self) -> None:
        if self._path is not None:
            _write_atomically(self._path, json.dumps(self._to_state(), indent=1))

    def _to_state(self) -> dict[str, Any]:
        return {
            "version": STATE_FILE_VERSION,
            "seq": self._seq,
            "services": [
                {
                    **service.to_state(),
                    "conversations": [c.to_state() for c in self._conversations[service.sid].values()],
                }
                for service in self._services.values()
            ],
        }

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != STATE_FILE_VERSION:
                raise ValueError(f"version {data.get('version')!r}, expected {STATE_FILE_VERSION}")
            for entry in data["services"]:
                service = Service.from_state({k: v for k, v in entry.items() if k != "conversations"})
                self._services[service.sid] = service
                self._conversations[service.sid] = {}
                self._unique_names[service.sid] = {}
                for item in entry["conversations"]:
                    self._put(Conversation.from_state(item), None)
            self._seq = int(data["seq"])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{path} is not an emulator state file ({exc}); move it away or pick another") from exc


def _either(given: str | None, current: str | None) -> str | None:
    return current if given is None else given


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
