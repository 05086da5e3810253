"""What the dashboard reads of the emulator's state: `StateView`, its one adapter over the families' operations.

Each record comes as Twilio renders it (`Record.data`), with its place in creation order (`Record.seq`), which
the page's live updates count from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from .errors import ApiError
from .events import Delivery
from .families import addresses as _addresses
from .families import conversations as _conversations
from .families import messages as _messages
from .families import participants as _participants
from .families import roles as _roles
from .families import services as _services
from .state import State

JsonObject = dict[str, Any]
_T = TypeVar("_T")


@dataclass(frozen=True)
class Record:
    """A record as Twilio renders it, with its place in creation order (`seq`, account-wide)."""

    seq: int
    data: JsonObject


class StateView:
    """The dashboard's one window on the emulator's state: Twilio's JSON of each record, read through the
    families' own operations (and so their locking); a record deleted while the page reads is simply not there."""

    def __init__(self, state: State, account_sid: str) -> None:
        self._state = state
        self.account_sid = account_sid

    def services(self, base: str) -> list[JsonObject]:
        return [service.render(self.account_sid, base) for service in _services.services(self._state)]

    def settings(self, service_sid: str, base: str) -> dict[str, JsonObject]:
        """The service's configuration, webhooks and push notifications, by those names."""

        def read() -> dict[str, JsonObject]:
            found, account = _services.service(self._state, service_sid), self.account_sid
            return {
                "configuration": found.configuration.render(service_sid, base),
                "webhooks": found.webhooks.render(account, service_sid, base),
                "notifications": found.notifications.render(account, service_sid, base),
            }

        return _or_empty(read, {})

    def roles(self, service_sid: str, base: str) -> list[JsonObject]:
        return _or_empty(
            lambda: [role.render(self.account_sid, base) for role in _roles.roles(self._state, service_sid)], []
        )

    def addresses(self, base: str) -> list[JsonObject]:
        return [address.render(self.account_sid, base) for address in _addresses.addresses(self._state)]

    def conversations(self, service_sid: str, base: str) -> list[Record]:
        return self._records(lambda: _conversations.conversations(self._state, service_sid), base)

    def participants(self, service_sid: str, conversation_sid: str, base: str) -> list[Record]:
        return self._records(lambda: _participants.participants(self._state, service_sid, conversation_sid), base)

    def messages(self, service_sid: str, conversation_sid: str, base: str) -> list[Record]:
        """Oldest first."""
        return self._records(lambda: _messages.messages(self._state, service_sid, conversation_sid), base)

    def deliveries(self) -> list[Delivery]:
        """Oldest first."""
        return self._state.dispatcher.deliveries if self._state.dispatcher is not None else []

    def replay(self, number: int) -> Delivery:
        if self._state.dispatcher is None:
            raise LookupError("this emulator delivers no webhooks")
        return self._state.dispatcher.replay(number)

    def _records(self, read: Callable[[], Sequence[Any]], base: str) -> list[Record]:
        found: Sequence[Any] = _or_empty(read, [])
        return [Record(record.seq, record.render(self.account_sid, base)) for record in found]


def _or_empty(read: Callable[[], _T], empty: _T) -> _T:
    """What `read` returns, or `empty` when what it reads was deleted meanwhile."""
    try:
        return read()
    except ApiError:
        return empty
