"""The emulated resources: immutable records, their Twilio JSON, and their state-file form.

Records are frozen, so the store can hand them out and callers render them without holding its lock.
Rendering follows the spec's schemas (`conversations.v1.service`, `…service_configuration`,
`…service_conversation`): every property present, `null` where Twilio has nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from .rules import format_timestamp, parse_timestamp

JsonObject = dict[str, Any]

SERVICE_LINKS = (
    ("conversations", "Conversations"),
    ("users", "Users"),
    ("roles", "Roles"),
    ("bindings", "Bindings"),
    ("configuration", "Configuration"),
    ("participant_conversations", "ParticipantConversations"),
    ("conversation_with_participants", "ConversationWithParticipants"),
)
CONFIGURATION_LINKS = (("notifications", "Notifications"), ("webhooks", "Webhooks"))
CONVERSATION_LINKS = (
    ("participants", "Participants"),
    ("messages", "Messages"),
    ("webhooks", "Webhooks"),
    ("export", "Export"),
)


_DATE_FIELDS = ("date_created", "date_updated", "date_inactive", "date_closed")


def new_sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


def _links(url: str, names: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {key: f"{url}/{segment}" for key, segment in names}


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else format_timestamp(moment)


def _parse_when(text: str | None) -> datetime | None:
    return None if text is None else parse_timestamp(text, "state file")


@dataclass(frozen=True)
class Configuration:
    """A service's configuration; Twilio creates the three default roles with the service."""

    default_conversation_creator_role_sid: str
    default_conversation_role_sid: str
    default_chat_service_role_sid: str
    reachability_enabled: bool = False

    @classmethod
    def with_new_roles(cls) -> Configuration:
        return cls(new_sid("RL"), new_sid("RL"), new_sid("RL"))

    def render(self, service_sid: str, base: str) -> JsonObject:
        url = f"{base}/v1/Services/{service_sid}/Configuration"
        return {
            "chat_service_sid": service_sid,
            "default_conversation_creator_role_sid": self.default_conversation_creator_role_sid,
            "default_conversation_role_sid": self.default_conversation_role_sid,
            "default_chat_service_role_sid": self.default_chat_service_role_sid,
            "reachability_enabled": self.reachability_enabled,
            "url": url,
            "links": _links(url, CONFIGURATION_LINKS),
        }


@dataclass(frozen=True)
class Service:
    sid: str
    friendly_name: str
    date_created: datetime
    date_updated: datetime
    configuration: Configuration
    seq: int

    def render(self, account_sid: str, base: str) -> JsonObject:
        url = f"{base}/v1/Services/{self.sid}"
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "friendly_name": self.friendly_name,
            "date_created": _when(self.date_created),
            "date_updated": _when(self.date_updated),
            "url": url,
            "links": _links(url, SERVICE_LINKS),
        }

    def to_state(self) -> JsonObject:
        config = self.configuration
        return {
            "sid": self.sid,
            "friendly_name": self.friendly_name,
            "date_created": _when(self.date_created),
            "date_updated": _when(self.date_updated),
            "seq": self.seq,
            "configuration": {
                "default_conversation_creator_role_sid": config.default_conversation_creator_role_sid,
                "default_conversation_role_sid": config.default_conversation_role_sid,
                "default_chat_service_role_sid": config.default_chat_service_role_sid,
                "reachability_enabled": config.reachability_enabled,
            },
        }

    @classmethod
    def from_state(cls, data: JsonObject) -> Service:
        created = _parse_when(data["date_created"])
        updated = _parse_when(data["date_updated"])
        assert created is not None and updated is not None, "a service always has its dates"
        return cls(
            sid=data["sid"],
            friendly_name=data["friendly_name"],
            date_created=created,
            date_updated=updated,
            configuration=Configuration(**data["configuration"]),
            seq=data["seq"],
        )


@dataclass(frozen=True)
class Conversation:
    sid: str
    chat_service_sid: str
    date_created: datetime
    date_updated: datetime
    seq: int
    friendly_name: str | None = None
    unique_name: str | None = None
    attributes: str = "{}"
    messaging_service_sid: str | None = None
    state: str = "active"
    date_inactive: datetime | None = None
    date_closed: datetime | None = None
    email_address: str | None = None
    email_name: str | None = None

    def render(self, account_sid: str, base: str) -> JsonObject:
        url = f"{base}/v1/Services/{self.chat_service_sid}/Conversations/{self.sid}"
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "chat_service_sid": self.chat_service_sid,
            "messaging_service_sid": self.messaging_service_sid,
            "friendly_name": self.friendly_name,
            "unique_name": self.unique_name,
            "attributes": self.attributes,
            "date_created": _when(self.date_created),
            "date_updated": _when(self.date_updated),
            "state": self.state,
            "timers": self.timers(),
            "bindings": self.bindings(),
            "url": url,
            "links": _links(url, CONVERSATION_LINKS),
        }

    def timers(self) -> dict[str, str]:
        """`{}`, or the moments the pending timers fire (only those that are set)."""
        moments = {"date_inactive": self.date_inactive, "date_closed": self.date_closed}
        return {key: format_timestamp(moment) for key, moment in moments.items() if moment is not None}

    def bindings(self) -> JsonObject:
        email = {"address": self.email_address, "name": self.email_name}
        given = {key: value for key, value in email.items() if value is not None}
        return {"email": given} if given else {}

    def advanced_to(self, now: datetime) -> Conversation:
        """This conversation as its timers have moved it by `now` (Twilio runs them on its side)."""
        result = self
        if result.date_inactive is not None and result.date_inactive <= now:
            state = "inactive" if result.state == "active" else result.state
            result = replace(result, state=state, date_updated=result.date_inactive, date_inactive=None)
        if result.date_closed is not None and result.date_closed <= now:
            closed_at = result.date_closed
            result = replace(result, state="closed", date_updated=closed_at, date_inactive=None, date_closed=None)
        return result

    def to_state(self) -> JsonObject:
        return {
            "sid": self.sid,
            "chat_service_sid": self.chat_service_sid,
            "date_created": _when(self.date_created),
            "date_updated": _when(self.date_updated),
            "seq": self.seq,
            "friendly_name": self.friendly_name,
            "unique_name": self.unique_name,
            "attributes": self.attributes,
            "messaging_service_sid": self.messaging_service_sid,
            "state": self.state,
            "date_inactive": _when(self.date_inactive),
            "date_closed": _when(self.date_closed),
            "email_address": self.email_address,
            "email_name": self.email_name,
        }

    @classmethod
    def from_state(cls, data: JsonObject) -> Conversation:
        dates = {key: _parse_when(data[key]) for key in _DATE_FIELDS}
        return cls(**{**data, **dates})


def timer_moment(now: datetime, duration: timedelta | None, current: datetime | None) -> datetime | None:
    """When a timer set now fires; an absent duration keeps the current moment."""
    return current if duration is None else now + duration
