"""Twilio's validation rules for the request fields, as pure functions of the form.

Each function either returns the parsed value or raises `ApiError` with the code Twilio answers.
Cross-field rules that only hold on create (closed is no initial state, timers need a state) live in
`parse_conversation_form`, which is the one place a conversation form is read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TypeVar

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
