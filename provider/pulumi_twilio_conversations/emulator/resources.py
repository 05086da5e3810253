"""The emulated resources: immutable records, their Twilio JSON, and their state-file form.

Records are frozen, so the store can hand them out and callers render them without holding its lock.
Rendering follows the spec's schemas (`conversations.v1.service`, `…service_configuration`,
`…service_conversation`, `…service_webhook_configuration`, `…service_notification`, `…service_role`,
`…configuration_address`, `…service_conversation_scoped_webhook`): every property present, `null`
where Twilio has nothing.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from .rules import format_timestamp, parse_timestamp

JsonObject = dict[str, Any]
_R = TypeVar("_R")

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
            values[key] = _parse_when(value)
        elif isinstance(value, list):
            values[key] = tuple(value)
    return cls(**values)


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
class ServiceWebhooks:
    """A service's webhook settings (`Configuration/Webhooks`), as a new service has them until set.

    Twilio's answer for a service never configured has no URLs and no filters (the spec's `fetchEmpty`
    example); its method is POST, the default Twilio documents for service webhooks (the spec's
    example shows `null`, which its own schema does not allow).
    """

    pre_webhook_url: str | None = None
    post_webhook_url: str | None = None
    filters: tuple[str, ...] | None = None
    method: str = "POST"

    def render(self, account_sid: str, service_sid: str, base: str) -> JsonObject:
        return {
            "account_sid": account_sid,
            "chat_service_sid": service_sid,
            "pre_webhook_url": self.pre_webhook_url,
            "post_webhook_url": self.post_webhook_url,
            "filters": None if self.filters is None else list(self.filters),
            "method": self.method,
            "url": f"{base}/v1/Services/{service_sid}/Configuration/Webhooks",
        }


# Push notification settings of a new service: every kind off ("The default is `false`", says the spec),
# no template or sound of its own.
_NOTIFICATION_DEFAULTS: JsonObject = {
    "log_enabled": False,
    "new_message": {
        "enabled": False,
        "template": None,
        "sound": None,
        "badge_count_enabled": False,
        "with_media": {"enabled": False, "template": None},
    },
    "added_to_conversation": {"enabled": False, "template": None, "sound": None},
    "removed_from_conversation": {"enabled": False, "template": None, "sound": None},
}


@dataclass(frozen=True)
class Notifications:
    """A service's push notification settings (`Configuration/Notifications`): what was set over the defaults."""

    given: dict[str, bool | str | None] = field(default_factory=dict)  # `new_message.enabled` -> True; never mutated

    def updated(self, changes: dict[str, bool | str | None]) -> Notifications:
        return Notifications({**self.given, **changes})

    def render(self, account_sid: str, service_sid: str, base: str) -> JsonObject:
        settings = copy.deepcopy(_NOTIFICATION_DEFAULTS)
        for path, value in self.given.items():
            *groups, name = path.split(".")
            node = settings
            for group in groups:
                node = node[group]
            node[name] = value
        return {
            "account_sid": account_sid,
            "chat_service_sid": service_sid,
            **settings,
            "url": f"{base}/v1/Services/{service_sid}/Configuration/Notifications",
        }


@dataclass(frozen=True)
class Service:
    sid: str
    friendly_name: str
    date_created: datetime
    date_updated: datetime
    configuration: Configuration
    seq: int
    webhooks: ServiceWebhooks = ServiceWebhooks()
    notifications: Notifications = field(default_factory=Notifications)

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
            "webhooks": record_to_state(self.webhooks),
            "notifications": dict(self.notifications.given),
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
            webhooks=record_from_state(ServiceWebhooks, data.get("webhooks", {})),
            notifications=Notifications(data.get("notifications", {})),
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


@dataclass(frozen=True)
class Role:
    sid: str
    chat_service_sid: str
    friendly_name: str
    type: str
    permissions: tuple[str, ...]
    date_created: datetime
    date_updated: datetime
    seq: int

    def render(self, account_sid: str, base: str) -> JsonObject:
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "chat_service_sid": self.chat_service_sid,
            "friendly_name": self.friendly_name,
            "type": self.type,
            "permissions": list(self.permissions),
            "date_created": _when(self.date_created),
            "date_updated": _when(self.date_updated),
            "url": f"{base}/v1/Services/{self.chat_service_sid}/Roles/{self.sid}",
        }


# The roles Twilio creates with every service, the ones its Configuration names. Names and service
# permissions follow Twilio's documented Chat defaults (Service User; Channel User / Channel Admin,
# channel read as conversation); the conversation user's permissions are the spec's Role example, the
# admin's add what Twilio documents for a conversation admin (Flex's Conversations roles page).
_CONVERSATION_USER = ("sendMessage", "leaveConversation", "editOwnMessage", "deleteOwnMessage")
DEFAULT_ROLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # Configuration field -> (friendly name, type, permissions)
    "default_chat_service_role_sid": ("Service User", "service", ("joinConversation", "editOwnUserInfo")),
    "default_conversation_role_sid": ("Conversation User", "conversation", _CONVERSATION_USER),
    "default_conversation_creator_role_sid": (
        "Conversation Admin",
        "conversation",
        (
            *_CONVERSATION_USER,
            "sendMediaMessage",
            "editOwnMessageAttributes",
            "editConversationAttributes",
            "editAnyMessage",
            "editAnyMessageAttributes",
            "deleteAnyMessage",
            "addParticipant",
            "removeParticipant",
        ),
    ),
}


@dataclass(frozen=True)
class AddressConfiguration:
    """An account's configuration of one address (type + address unique), with its auto-creation settings."""

    sid: str
    type: str
    address: str
    date_created: datetime
    date_updated: datetime
    seq: int
    friendly_name: str | None = None
    address_country: str | None = None
    auto_enabled: bool = False
    auto_type: str = "default"
    auto_conversation_service_sid: str | None = None
    auto_webhook_url: str | None = None
    auto_webhook_method: str = "POST"
    auto_webhook_filters: tuple[str, ...] = ()
    auto_studio_flow_sid: str | None = None
    auto_studio_retry_count: int | None = None

    def render(self, account_sid: str, base: str) -> JsonObject:
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "type": self.type,
            "address": self.address,
            "friendly_name": self.friendly_name,
            "auto_creation": self.auto_creation(),
            "date_created": _when(self.date_created),
            "date_updated": _when(self.date_updated),
            "url": f"{base}/v1/Configuration/Addresses/{self.sid}",
            "address_country": self.address_country,
        }

    def auto_creation(self) -> JsonObject:
        """The settings of its auto-creation type only, as the spec's examples show them."""
        found: JsonObject = {"enabled": self.auto_enabled, "type": self.auto_type}
        if self.auto_type != "default" or self.auto_conversation_service_sid is not None:
            found["conversation_service_sid"] = self.auto_conversation_service_sid
        if self.auto_type == "webhook":
            found.update(
                webhook_url=self.auto_webhook_url,
                webhook_method=self.auto_webhook_method,
                webhook_filters=list(self.auto_webhook_filters),
            )
        elif self.auto_type == "studio":
            found.update(studio_flow_sid=self.auto_studio_flow_sid, studio_retry_count=self.auto_studio_retry_count)
        return found


@dataclass(frozen=True)
class ConversationWebhook:
    """A webhook scoped to one conversation: a URL (`webhook`), keywords (`trigger`) or a Studio flow."""

    sid: str
    chat_service_sid: str
    conversation_sid: str
    target: str
    date_created: datetime
    date_updated: datetime
    seq: int
    url: str | None = None
    method: str = "POST"  # Twilio's documented default for a conversation webhook's method
    filters: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    flow_sid: str | None = None
    replay_after: int | None = None

    def render(self, account_sid: str, base: str) -> JsonObject:
        conversation = f"{base}/v1/Services/{self.chat_service_sid}/Conversations/{self.conversation_sid}"
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "chat_service_sid": self.chat_service_sid,
            "conversation_sid": self.conversation_sid,
            "target": self.target,
            "url": f"{conversation}/Webhooks/{self.sid}",
            "configuration": self.configuration(),
            "date_created": _when(self.date_created),
            "date_updated": _when(self.date_updated),
        }

    def configuration(self) -> JsonObject:
        """What the target uses, as the spec's examples show it (a trigger's keywords come back as `filters`)."""
        if self.target == "studio":
            return {"flow_sid": self.flow_sid}
        filters = self.triggers if self.target == "trigger" else self.filters
        return {"url": self.url, "method": self.method.lower(), "filters": list(filters)}


@dataclass(frozen=True)
class Participant:
    """A member of one conversation: a chat identity, or a messaging binding (an address and the proxy it uses)."""

    sid: str
    chat_service_sid: str
    conversation_sid: str
    date_created: datetime
    date_updated: datetime
    seq: int
    identity: str | None = None
    attributes: str = "{}"
    role_sid: str | None = None
    binding_type: str | None = None  # `sms`, `whatsapp`, …: the channel of a messaging binding
    binding_address: str | None = None
    binding_proxy_address: str | None = None
    binding_projected_address: str | None = None
    last_read_message_index: int | None = None
    last_read_timestamp: str | None = None

    def render(self, account_sid: str, base: str) -> JsonObject:
        conversation = f"{base}/v1/Services/{self.chat_service_sid}/Conversations/{self.conversation_sid}"
        return {
            "account_sid": account_sid,
            "chat_service_sid": self.chat_service_sid,
            "conversation_sid": self.conversation_sid,
            "sid": self.sid,
            "identity": self.identity,
            "attributes": self.attributes,
            "messaging_binding": self.messaging_binding(),
            "role_sid": self.role_sid,
            "date_created": _when(self.date_created),
            "date_updated": _when(self.date_updated),
            "url": f"{conversation}/Participants/{self.sid}",
            "last_read_message_index": self.last_read_message_index,
            "last_read_timestamp": self.last_read_timestamp,
        }

    def messaging_binding(self) -> JsonObject | None:
        """`null` for a chat participant; else its type and addresses, as the spec's examples show them."""
        if self.binding_type is None:
            return None
        binding: JsonObject = {"type": self.binding_type}
        addresses = {
            "address": self.binding_address,
            "proxy_address": self.binding_proxy_address,
            "projected_address": self.binding_projected_address,
        }
        binding.update({key: value for key, value in addresses.items() if value is not None})
        return binding


MESSAGE_LINKS = (("delivery_receipts", "Receipts"), ("channel_metadata", "ChannelMetadata"))


@dataclass(frozen=True)
class Message:
    """A message of one conversation; `index` counts up from 0 in its conversation and is never reused."""

    sid: str
    chat_service_sid: str
    conversation_sid: str
    index: int
    date_created: datetime
    date_updated: datetime
    seq: int
    author: str = "system"
    body: str | None = None
    attributes: str = "{}"
    participant_sid: str | None = None
    subject: str | None = None
    media_sid: str | None = None
    content_sid: str | None = None

    def render(self, account_sid: str, base: str) -> JsonObject:
        conversation = f"{base}/v1/Services/{self.chat_service_sid}/Conversations/{self.conversation_sid}"
        url = f"{conversation}/Messages/{self.sid}"
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "chat_service_sid": self.chat_service_sid,
            "conversation_sid": self.conversation_sid,
            "body": self.body,
            "media": None if self.media_sid is None else [{"sid": self.media_sid}],
            "author": self.author,
            "participant_sid": self.participant_sid,
            "attributes": self.attributes,
            "date_created": _when(self.date_created),
            "date_updated": _when(self.date_updated),
            "index": self.index,
            "delivery": None,
            "content_sid": self.content_sid,
            "url": url,
            "links": _links(url, MESSAGE_LINKS),
        }
