"""Twilio's validation rules for the request fields, as pure functions of the form.

Each function either returns the parsed value or raises `ApiError` with the code Twilio answers.
Cross-field rules that only hold on create (closed is no initial state, timers need a state) live in
`parse_conversation_form`, which is the one place a conversation form is read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TypeVar
from urllib.parse import urlsplit

from . import errors
from .errors import ApiError, bad_request, invalid_parameter

MAX_FRIENDLY_NAME = 256
MAX_ATTRIBUTES_BYTES = 16 * 1024
MIN_INACTIVE_TIMER = timedelta(minutes=1)
MIN_CLOSED_TIMER = timedelta(minutes=10)
SETTABLE_STATES = ("inactive", "active", "closed")

_T = TypeVar("_T")

_HEX32 = "[0-9a-fA-F]{32}"
# The rules below are Twilio's as the provider's check implements them too (inputs.py, validation.py);
# tests/test_rules_agree.py feeds both the same tables. Why each rule is what it is: inputs.py.
# Durations: days, hours, minutes, seconds (only seconds with a fraction); no years, months or weeks.
_DURATION = re.compile(
    r"P(?!$)(?:(?P<days>[0-9]+)D)?"
    r"(?:T(?=[0-9])(?:(?P<hours>[0-9]+)H)?(?:(?P<minutes>[0-9]+)M)?(?:(?P<seconds>[0-9]+(?:[.,][0-9]+)?)S)?)?"
)
_SECONDS_PER = {"days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}
MAX_TIMER = timedelta(days=36500)  # so that the moment a timer fires is always a timestamp Twilio can write
# Timestamps: RFC 3339 date-time (the spec's `format: date-time`), offset required, years 0001-9999 in UTC.
_TIMESTAMP = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})(?:\.[0-9]+)?"
    r"(?:Z|(?P<sign>[+-])(?P<offset_hours>[0-9]{2}):(?P<offset_minutes>[0-9]{2}))"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Email: local-part@domain, no white space, a domain of at least two non-empty labels.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_URI_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def is_sid(text: str, prefix: str) -> bool:
    return re.fullmatch(prefix + _HEX32, text) is not None


def check_sid(text: str, prefix: str, name: str) -> str:
    """A SID of the given kind (`IS`, `CH`, `MG`, `RL` + 32 hex), else 400 naming the parameter."""
    if not is_sid(text, prefix):
        raise invalid_parameter(name, f"{text!r} is not a {prefix} SID ({prefix} followed by 32 hex digits)")
    return text


def parse_duration(text: str) -> timedelta:
    """An ISO 8601 duration (`PT1M`, `P7D`, `P1DT12H`) of at most MAX_TIMER; ValueError says why not."""
    match = _DURATION.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not an ISO 8601 duration of days, hours, minutes, seconds such as PT10M or P1D")
    parts = {unit: float(value.replace(",", ".")) for unit, value in match.groupdict().items() if value}
    seconds = sum(value * _SECONDS_PER[unit] for unit, value in parts.items())
    if seconds > MAX_TIMER.total_seconds():
        raise ValueError(f"{text!r} is longer than P{MAX_TIMER.days}D")
    return timedelta(seconds=seconds)


def parse_timestamp(text: str, name: str) -> datetime:
    """An RFC 3339 timestamp (`2015-12-16T22:18:37Z`, `...+01:00`), in UTC to the second (Twilio's precision)."""
    match = _TIMESTAMP.fullmatch(text)
    try:
        if match is None:
            raise ValueError
        parts = {key: int(value) for key, value in match.groupdict().items() if value and key != "sign"}
        offset_hours, offset_minutes = parts.pop("offset_hours", 0), parts.pop("offset_minutes", 0)
        if offset_hours > 23 or offset_minutes > 59:
            raise ValueError
        offset = timedelta(hours=offset_hours, minutes=offset_minutes)
        zone = timezone(-offset if match["sign"] == "-" else offset)
        return datetime(**parts, tzinfo=zone).astimezone(timezone.utc)
    except (ValueError, OverflowError):
        raise invalid_parameter(
            name, f"{text!r} is not an RFC 3339 date-time such as 2015-12-16T22:18:37Z (years 0001-9999 in UTC)"
        ) from None


def parse_date_bound(text: str, name: str) -> datetime:
    """A list filter's StartDate/EndDate: a date (its midnight in UTC) or a timestamp as `parse_timestamp` reads it."""
    if _DATE.fullmatch(text):
        text += "T00:00:00Z"
    return parse_timestamp(text, name)


def format_timestamp(moment: datetime) -> str:
    """Twilio's wire form: `2015-12-16T22:18:37Z` (RFC 3339: the year has four digits even below 1000)."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def parse_boolean(text: str, name: str) -> bool:
    lowered = text.strip().lower()
    if lowered not in ("true", "false"):
        raise invalid_parameter(name, f"{text!r} is not true or false")
    return lowered == "true"


def check_friendly_name(text: str) -> str:
    if len(text) > MAX_FRIENDLY_NAME:
        raise bad_request(
            errors.FRIENDLY_NAME_TOO_LONG,
            f"FriendlyName is too long: {len(text)} characters, at most {MAX_FRIENDLY_NAME} are allowed",
        )
    return text


def check_attributes(text: str) -> str:
    """A string holding valid JSON of at most 16 KB; empty means unset, which Twilio reports as `{}`."""
    if text == "":
        return "{}"
    if len(text.encode()) > MAX_ATTRIBUTES_BYTES:
        raise bad_request(
            errors.ATTRIBUTES_TOO_LONG,
            f"Attributes are too long: {len(text.encode())} bytes, at most {MAX_ATTRIBUTES_BYTES} are allowed",
        )
    try:
        json.loads(text)
    except ValueError:
        raise bad_request(errors.ATTRIBUTES_NOT_JSON, "Attributes must be a string holding valid JSON") from None
    return text


def check_state(text: str) -> str:
    if text not in SETTABLE_STATES:
        raise bad_request(
            errors.INVALID_STATE,
            f"State {text!r} is invalid: supported values are 'active', 'inactive', 'closed'",
        )
    return text


def check_unique_name(text: str) -> str | None:
    """A unique name, or None when empty (which removes it); a name shaped like a SID is refused."""
    if is_sid(text, "CH"):
        raise bad_request(
            errors.UNIQUE_NAME_LIKE_SID,
            'Unique name should not match conversation SID pattern "CH[0-9a-f]{32}"',
        )
    return text or None


def _timer(text: str, minimum: timedelta, format_code: int, minimum_code: int, words: str) -> timedelta:
    try:
        duration = parse_duration(text)
    except ValueError as exc:
        raise bad_request(format_code, f"{words}: {exc}") from None
    if duration < minimum:
        raise bad_request(minimum_code, f"{words} should be greater or equal to {_minutes(minimum)}")
    return duration


def _minutes(span: timedelta) -> str:
    count = int(span.total_seconds() // 60)
    return f"{count} minute" if count == 1 else f"{count} minutes"


def check_email(text: str) -> str:
    if _EMAIL.fullmatch(text) is None:
        raise invalid_parameter("Bindings.Email.Address", f"{text!r} is not an email address")
    return text


@dataclass(frozen=True)
class ConversationInput:
    """The fields one create or update request set, parsed; None means the form did not carry it."""

    friendly_name: str | None = None
    unique_name: str | None = None
    clears_unique_name: bool = False
    attributes: str | None = None
    messaging_service_sid: str | None = None
    state: str | None = None
    timer_inactive: timedelta | None = None
    timer_closed: timedelta | None = None
    date_created: datetime | None = None
    date_updated: datetime | None = None
    email_address: str | None = None
    email_name: str | None = None


def parse_conversation_form(form: Mapping[str, str], *, creating: bool) -> ConversationInput:
    """Read a Conversation create/update form as Twilio does; unknown keys are ignored, as Twilio does."""
    state = _optional(form, "State", check_state)
    inactive = _optional(
        form,
        "Timers.Inactive",
        lambda text: _timer(
            text,
            MIN_INACTIVE_TIMER,
            errors.INACTIVE_TIMER_NOT_DURATION,
            errors.INACTIVE_TIMER_TOO_SHORT,
            "Timers.Inactive (TimeToInactive)",
        ),
    )
    closed = _optional(
        form,
        "Timers.Closed",
        lambda text: _timer(
            text,
            MIN_CLOSED_TIMER,
            errors.CLOSED_TIMER_NOT_DURATION,
            errors.CLOSED_TIMER_TOO_SHORT,
            "Timers.Closed (TimeToClosed)",
        ),
    )
    if creating and state == "closed":
        raise bad_request(errors.CLOSED_AS_INITIAL_STATE, "Initial state can't be 'closed'")
    if creating and state is None and (inactive is not None or closed is not None):
        raise bad_request(errors.TIMER_WITHOUT_STATE, "Timer can't be set without state")
    unique_name = form.get("UniqueName")
    return ConversationInput(
        friendly_name=_optional(form, "FriendlyName", check_friendly_name),
        unique_name=check_unique_name(unique_name) if unique_name is not None else None,
        clears_unique_name=unique_name == "",
        attributes=_optional(form, "Attributes", check_attributes),
        messaging_service_sid=_optional(
            form, "MessagingServiceSid", lambda text: check_sid(text, "MG", "MessagingServiceSid")
        ),
        state=state,
        timer_inactive=inactive,
        timer_closed=closed,
        date_created=_optional(form, "DateCreated", lambda text: parse_timestamp(text, "DateCreated")),
        date_updated=_optional(form, "DateUpdated", lambda text: parse_timestamp(text, "DateUpdated")),
        email_address=_optional(form, "Bindings.Email.Address", check_email),
        email_name=form.get("Bindings.Email.Name"),
    )


@dataclass(frozen=True)
class ConfigurationInput:
    """The fields one configuration update set; None means not given."""

    reachability_enabled: bool | None = None
    default_conversation_creator_role_sid: str | None = None
    default_conversation_role_sid: str | None = None
    default_chat_service_role_sid: str | None = None


def parse_configuration_form(form: Mapping[str, str]) -> ConfigurationInput:
    def role(name: str) -> str | None:
        return _optional(form, name, lambda text: check_sid(text, "RL", name))

    return ConfigurationInput(
        reachability_enabled=_optional(
            form, "ReachabilityEnabled", lambda text: parse_boolean(text, "ReachabilityEnabled")
        ),
        default_conversation_creator_role_sid=role("DefaultConversationCreatorRoleSid"),
        default_conversation_role_sid=role("DefaultConversationRoleSid"),
        default_chat_service_role_sid=role("DefaultChatServiceRoleSid"),
    )


def parse_service_form(form: Mapping[str, str]) -> str:
    """The FriendlyName of a new service (required, at most 256 characters)."""
    name = form.get("FriendlyName")
    if name is None:
        raise ApiError(400, errors.INVALID_PARAMETER, "Missing required parameter FriendlyName in the post body")
    return check_friendly_name(name)


def _optional(form: Mapping[str, str], key: str, parse: Callable[[str], _T]) -> _T | None:
    value = form.get(key)
    return None if value is None else parse(value)


# Shared by the settings, roles, address configurations and webhooks below

Lists = Mapping[str, Sequence[str]]  # a form's repeated keys (`Filters=a&Filters=b`), every value in order

WEBHOOK_METHODS = ("GET", "POST")
ROLE_TYPES = ("conversation", "service")
MAX_ROLE_FRIENDLY_NAME = 64
ADDRESS_TYPES = ("sms", "whatsapp", "messenger", "gbm", "email", "rcs", "apple", "chat")
AUTO_CREATION_TYPES = ("webhook", "studio", "default")
WEBHOOK_TARGETS = ("webhook", "trigger", "studio")
MAX_INTEGER = 2**31 - 1


def check_choice(text: str, name: str, choices: Sequence[str]) -> str:
    """One of `choices`, matched without regard to case, returned in the spelling of `choices`."""
    for choice in choices:
        if text.lower() == choice.lower():
            return choice
    raise invalid_parameter(name, f"{text!r} is not one of {', '.join(choices)}")


def parse_integer(text: str, name: str, low: int = 0) -> int:
    """A whole number from `low` up to Twilio's 32-bit limit."""
    try:
        value = int(text.strip())
    except ValueError:
        raise invalid_parameter(name, f"{text!r} is not an integer") from None
    if not low <= value <= MAX_INTEGER:
        raise invalid_parameter(name, f"{value} is out of range: it must be between {low} and {MAX_INTEGER}")
    return value


def missing(key: str, where: str = "in the post body") -> ApiError:
    """Twilio's 400 / 20001 for a required parameter the request lacks."""
    return ApiError(400, errors.INVALID_PARAMETER, f"Missing required parameter {key} {where}")


def require(form: Mapping[str, str], key: str) -> str:
    """A parameter the request must carry."""
    value = form.get(key)
    if value is None:
        raise missing(key)
    return value


def check_url(text: str, name: str) -> str:
    """An absolute http(s) URL, any host (Twilio calls whatever it is given; the emulator only stores it).

    Twilio answers these as `format: uri`, so what is stored must be one: no spaces, controls or
    non-ASCII characters (the fuzzer found `PreWebhookUrl=r` accepted and answered back).
    """
    try:
        parts = urlsplit(text)
        absolute = parts.scheme in ("http", "https") and bool(parts.netloc)
    except ValueError:  # a malformed IPv6 host: `http://[::1`
        absolute = False
    if not (absolute and _URI_CHARACTERS.fullmatch(text)):
        raise invalid_parameter(name, f"{text!r} is not an absolute http or https URL")
    return text


def _listed(lists: Lists, key: str) -> tuple[str, ...] | None:
    """The values of a repeated key, None when not sent; sent only empty (`Filters=`), it clears the list."""
    values = lists.get(key)
    return None if values is None else tuple(value for value in values if value)


# Service configuration: webhooks and push notifications


@dataclass(frozen=True)
class ServiceWebhooksInput:
    """The fields one `Configuration/Webhooks` update set; None means not given, "" in a URL clears it."""

    pre_webhook_url: str | None = None
    post_webhook_url: str | None = None
    filters: tuple[str, ...] | None = None
    method: str | None = None


def parse_service_webhooks_form(form: Mapping[str, str], lists: Lists) -> ServiceWebhooksInput:
    def url(key: str) -> str | None:
        return _optional(form, key, lambda text: text and check_url(text, key))  # empty clears the URL

    return ServiceWebhooksInput(
        pre_webhook_url=url("PreWebhookUrl"),
        post_webhook_url=url("PostWebhookUrl"),
        filters=_listed(lists, "Filters"),
        method=_optional(form, "Method", lambda text: check_choice(text, "Method", WEBHOOK_METHODS)),
    )


# form key of `Configuration/Notifications` -> the setting's path in the answer; the *Enabled ones are booleans
NOTIFICATION_FIELDS = {
    "LogEnabled": "log_enabled",
    "NewMessage.Enabled": "new_message.enabled",
    "NewMessage.Template": "new_message.template",
    "NewMessage.Sound": "new_message.sound",
    "NewMessage.BadgeCountEnabled": "new_message.badge_count_enabled",
    "NewMessage.WithMedia.Enabled": "new_message.with_media.enabled",
    "NewMessage.WithMedia.Template": "new_message.with_media.template",
    "AddedToConversation.Enabled": "added_to_conversation.enabled",
    "AddedToConversation.Template": "added_to_conversation.template",
    "AddedToConversation.Sound": "added_to_conversation.sound",
    "RemovedFromConversation.Enabled": "removed_from_conversation.enabled",
    "RemovedFromConversation.Template": "removed_from_conversation.template",
    "RemovedFromConversation.Sound": "removed_from_conversation.sound",
}


def parse_notifications_form(form: Mapping[str, str]) -> dict[str, bool | str | None]:
    """Setting path (`new_message.enabled`) -> value, for every setting the form carries; an empty text clears it."""
    given: dict[str, bool | str | None] = {}
    for key, path in NOTIFICATION_FIELDS.items():
        if key in form:
            given[path] = parse_boolean(form[key], key) if key.endswith("Enabled") else form[key] or None
    return given


# Roles


@dataclass(frozen=True)
class RoleInput:
    friendly_name: str
    type: str
    permissions: tuple[str, ...]


def _permissions(lists: Lists) -> tuple[str, ...]:
    permissions = _listed(lists, "Permission")
    if not permissions:  # not sent, or sent empty: a role grants at least one permission
        raise missing("Permission")
    return permissions


def parse_role_form(form: Mapping[str, str], lists: Lists) -> RoleInput:
    """A new role: FriendlyName (at most 64 characters), Type `conversation` or `service`, one Permission or more."""
    friendly_name = require(form, "FriendlyName")
    if len(friendly_name) > MAX_ROLE_FRIENDLY_NAME:
        raise bad_request(
            errors.FRIENDLY_NAME_TOO_LONG,
            f"FriendlyName is too long: {len(friendly_name)} characters, at most {MAX_ROLE_FRIENDLY_NAME} are allowed",
        )
    role_type = check_choice(require(form, "Type"), "Type", ROLE_TYPES)
    return RoleInput(friendly_name, role_type, _permissions(lists))


def parse_role_update_form(lists: Lists) -> tuple[str, ...]:
    """A role update replaces its permissions: one Permission or more."""
    return _permissions(lists)


# Address configurations


@dataclass(frozen=True)
class AutoCreationInput:
    """The `AutoCreation.*` fields one request set; None means not given."""

    enabled: bool | None = None
    type: str | None = None
    conversation_service_sid: str | None = None
    webhook_url: str | None = None
    webhook_method: str | None = None
    webhook_filters: tuple[str, ...] | None = None
    studio_flow_sid: str | None = None
    studio_retry_count: int | None = None


@dataclass(frozen=True)
class AddressInput:
    type: str | None = None  # as the client spelled it (Twilio echoes `whAtsAPP`); compared without case
    address: str | None = None
    friendly_name: str | None = None
    address_country: str | None = None
    auto_creation: AutoCreationInput = AutoCreationInput()


def parse_address_form(form: Mapping[str, str], lists: Lists, *, creating: bool) -> AddressInput:
    """An address configuration's create (Type and Address required) or update (neither can change) form."""
    address_type = address = None
    if creating:
        address_type = require(form, "Type")
        check_choice(address_type, "Type", ADDRESS_TYPES)
        address = require(form, "Address")
    auto = AutoCreationInput(
        enabled=_optional(form, "AutoCreation.Enabled", lambda text: parse_boolean(text, "AutoCreation.Enabled")),
        type=_optional(
            form, "AutoCreation.Type", lambda text: check_choice(text, "AutoCreation.Type", AUTO_CREATION_TYPES)
        ),
        conversation_service_sid=_optional(
            form,
            "AutoCreation.ConversationServiceSid",
            lambda text: check_sid(text, "IS", "AutoCreation.ConversationServiceSid"),
        ),
        webhook_url=_optional(
            form, "AutoCreation.WebhookUrl", lambda text: text and check_url(text, "AutoCreation.WebhookUrl")
        ),
        webhook_method=_optional(
            form,
            "AutoCreation.WebhookMethod",
            lambda text: check_choice(text, "AutoCreation.WebhookMethod", WEBHOOK_METHODS),
        ),
        webhook_filters=_listed(lists, "AutoCreation.WebhookFilters"),
        studio_flow_sid=_optional(
            form, "AutoCreation.StudioFlowSid", lambda text: check_sid(text, "FW", "AutoCreation.StudioFlowSid")
        ),
        studio_retry_count=_optional(
            form, "AutoCreation.StudioRetryCount", lambda text: parse_integer(text, "AutoCreation.StudioRetryCount")
        ),
    )
    return AddressInput(
        type=address_type,
        address=address,
        friendly_name=_optional(form, "FriendlyName", check_friendly_name),
        address_country=form.get("AddressCountry") if creating else None,
        auto_creation=auto,
    )


def check_auto_creation(auto_type: str, webhook_url: str | None, studio_flow_sid: str | None) -> None:
    """Auto-creation of type `webhook` needs a WebhookUrl, of type `studio` a StudioFlowSid."""
    if auto_type == "webhook" and not webhook_url:
        raise invalid_parameter("AutoCreation.WebhookUrl", "auto-creation of type webhook needs a webhook URL")
    if auto_type == "studio" and not studio_flow_sid:
        raise invalid_parameter("AutoCreation.StudioFlowSid", "auto-creation of type studio needs a Studio flow SID")


# Conversation-scoped webhooks


@dataclass(frozen=True)
class WebhookInput:
    """The `Target` and `Configuration.*` fields one request set; None means not given."""

    target: str | None = None
    url: str | None = None
    method: str | None = None
    filters: tuple[str, ...] | None = None
    triggers: tuple[str, ...] | None = None
    flow_sid: str | None = None
    replay_after: int | None = None


def parse_webhook_form(form: Mapping[str, str], lists: Lists, *, creating: bool) -> WebhookInput:
    """A conversation webhook's create (Target required) or update (the target stays) form."""
    target = check_choice(require(form, "Target"), "Target", WEBHOOK_TARGETS) if creating else None
    return WebhookInput(
        target=target,
        url=_optional(form, "Configuration.Url", lambda text: text and check_url(text, "Configuration.Url")),
        method=_optional(
            form, "Configuration.Method", lambda text: check_choice(text, "Configuration.Method", WEBHOOK_METHODS)
        ),
        filters=_listed(lists, "Configuration.Filters"),
        triggers=_listed(lists, "Configuration.Triggers"),
        flow_sid=_optional(form, "Configuration.FlowSid", lambda text: check_sid(text, "FW", "Configuration.FlowSid")),
        replay_after=_optional(
            form, "Configuration.ReplayAfter", lambda text: parse_integer(text, "Configuration.ReplayAfter")
        ),
    )


def check_webhook_target(target: str, url: str | None, triggers: tuple[str, ...], flow_sid: str | None) -> None:
    """What each target needs: `webhook` a URL, `trigger` a URL and keywords, `studio` a flow SID."""
    if target in ("webhook", "trigger") and not url:
        raise ApiError(
            400, errors.INVALID_PARAMETER, f"Missing required parameter Configuration.Url for target {target}"
        )
    if target == "trigger" and not triggers:
        raise ApiError(
            400, errors.INVALID_PARAMETER, "Missing required parameter Configuration.Triggers for target trigger"
        )
    if target == "studio" and not flow_sid:
        raise ApiError(
            400, errors.INVALID_PARAMETER, "Missing required parameter Configuration.FlowSid for target studio"
        )


# Participants and messages

MAX_IDENTITY = 256
MAX_MESSAGE_BODY = 1600  # "can be up to 1,600 characters long" (the spec)
MAX_SUBJECT = 256
MESSAGE_ORDERS = ("asc", "desc")
# a binding's channel, from its address prefix (`whatsapp:+1…`); a bare number is SMS
_CHANNEL_PREFIXES = ("whatsapp", "messenger", "gbm", "rcs", "apple")


def binding_type(address: str) -> str:
    """The channel of a messaging address: `whatsapp:+15550001111` is whatsapp, `+15550001111` is sms."""
    prefix, _, rest = address.partition(":")
    return prefix.lower() if rest and prefix.lower() in _CHANNEL_PREFIXES else "sms"


@dataclass(frozen=True)
class ParticipantInput:
    """The fields one participant create or update set; None means not given ("" clears a proxy or projection)."""

    identity: str | None = None
    address: str | None = None
    proxy_address: str | None = None
    projected_address: str | None = None
    attributes: str | None = None
    role_sid: str | None = None
    date_created: datetime | None = None
    date_updated: datetime | None = None
    last_read_message_index: int | None = None
    last_read_timestamp: str | None = None


def _identity(text: str) -> str:
    if not text or len(text) > MAX_IDENTITY:
        raise invalid_parameter("Identity", f"it must be 1 to {MAX_IDENTITY} characters")
    return text


def _removable(text: str) -> str:
    """A proxy or projected address on update: the text `null` (or nothing) removes it, as the spec says."""
    return "" if text in ("", "null") else text


def parse_participant_form(form: Mapping[str, str], *, creating: bool) -> ParticipantInput:
    """A participant: a chat Identity, or a MessagingBinding.Address with its ProxyAddress (or a projected one)."""
    given = ParticipantInput(
        identity=_optional(form, "Identity", _identity),
        address=_optional(form, "MessagingBinding.Address", lambda text: text) if creating else None,
        proxy_address=_optional(form, "MessagingBinding.ProxyAddress", lambda t: t if creating else _removable(t)),
        projected_address=_optional(
            form, "MessagingBinding.ProjectedAddress", lambda t: t if creating else _removable(t)
        ),
        attributes=_optional(form, "Attributes", check_attributes),
        role_sid=_optional(form, "RoleSid", lambda text: check_sid(text, "RL", "RoleSid")),
        date_created=_optional(form, "DateCreated", lambda text: parse_timestamp(text, "DateCreated")),
        date_updated=_optional(form, "DateUpdated", lambda text: parse_timestamp(text, "DateUpdated")),
        last_read_message_index=None
        if creating
        else _optional(form, "LastReadMessageIndex", lambda text: parse_integer(text, "LastReadMessageIndex")),
        last_read_timestamp=None if creating else form.get("LastReadTimestamp"),
    )
    if creating:
        if given.address is not None and not given.address:
            raise invalid_parameter("MessagingBinding.Address", "it must not be empty")
        if given.identity is None and given.address is None and given.projected_address is None:
            raise missing("Identity or MessagingBinding.Address")
        if given.address is not None and given.identity is not None:
            raise invalid_parameter("Identity", "a participant is either a chat identity or a messaging binding")
        if given.address is not None and not given.proxy_address:
            raise missing("MessagingBinding.ProxyAddress", "for a participant with a MessagingBinding.Address")
    return given


@dataclass(frozen=True)
class MessageInput:
    """The fields one message create or update set; None means not given."""

    author: str | None = None
    body: str | None = None
    attributes: str | None = None
    subject: str | None = None
    media_sid: str | None = None
    content_sid: str | None = None
    date_created: datetime | None = None
    date_updated: datetime | None = None


def _bounded(text: str, name: str, limit: int) -> str:
    if len(text) > limit:
        raise invalid_parameter(name, f"{len(text)} characters, at most {limit} are allowed")
    return text


def parse_message_form(form: Mapping[str, str], *, creating: bool) -> MessageInput:
    """A message: a Body (at most 1,600 characters), a MediaSid or a ContentSid on create; any field on update."""
    given = MessageInput(
        author=form.get("Author") or None,
        body=_optional(form, "Body", lambda text: _bounded(text, "Body", MAX_MESSAGE_BODY)),
        attributes=_optional(form, "Attributes", check_attributes),
        subject=_optional(form, "Subject", lambda text: _bounded(text, "Subject", MAX_SUBJECT)),
        media_sid=_optional(form, "MediaSid", lambda text: check_sid(text, "ME", "MediaSid")) if creating else None,
        content_sid=_optional(form, "ContentSid", lambda text: check_sid(text, "HX", "ContentSid"))
        if creating
        else None,
        date_created=_optional(form, "DateCreated", lambda text: parse_timestamp(text, "DateCreated")),
        date_updated=_optional(form, "DateUpdated", lambda text: parse_timestamp(text, "DateUpdated")),
    )
    if creating and not (given.body or given.media_sid or given.content_sid):
        raise missing("Body, MediaSid or ContentSid")
    if creating and "ContentVariables" in form:
        check_json(form["ContentVariables"], "ContentVariables")
    return given


def check_json(text: str, name: str) -> str:
    try:
        json.loads(text)
    except ValueError:
        raise invalid_parameter(name, "it must be a string holding valid JSON") from None
    return text


def parse_message_order(query: Mapping[str, str]) -> str:
    """`asc` (the default) or `desc`, in any case (the spec's examples send `AsC`)."""
    return check_choice(query.get("Order", "asc"), "Order", MESSAGE_ORDERS)
