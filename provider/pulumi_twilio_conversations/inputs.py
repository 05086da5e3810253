"""The inputs' wire side: names, the Twilio form-key tables, JSON attributes, and comparison.

Values arrive as the engine sends them: numbers as floats (protobuf `Struct`), keys set to None
absent. The rules on inputs are in `validation` (pydantic), which only `check` imports: a program
that declares resources never loads pydantic.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

ATTRIBUTES_MAX_BYTES = 16 * 1024

# The one table from input names to Twilio's form keys. Inputs not in it never reach the body.
FORM_KEYS: dict[str, str] = {
    "friendly_name": "FriendlyName",
    "unique_name": "UniqueName",
    "attributes": "Attributes",
    "state": "State",
    "timers_inactive": "Timers.Inactive",
    "timers_closed": "Timers.Closed",
    "date_created": "DateCreated",
    "date_updated": "DateUpdated",
    "messaging_service_sid": "MessagingServiceSid",
    "bindings_email_address": "Bindings.Email.Address",
    "bindings_email_name": "Bindings.Email.Name",
}
# The same for a Conversation Service's configuration (`POST /v1/Services/{Sid}/Configuration`).
SERVICE_CONFIG_FORM_KEYS: dict[str, str] = {
    "reachability_enabled": "ReachabilityEnabled",
    "default_conversation_creator_role_sid": "DefaultConversationCreatorRoleSid",
    "default_conversation_role_sid": "DefaultConversationRoleSid",
    "default_chat_service_role_sid": "DefaultChatServiceRoleSid",
}
WEBHOOK_HEADER = "X-Twilio-Webhook-Enabled"
# Every input, in declaration order (`validation.ConversationInputs` holds their rules; a test keeps both equal).
INPUT_NAMES: tuple[str, ...] = ("chat_service_sid", *FORM_KEYS, "webhook_enabled", "adopt")
SERVICE_INPUT_NAMES: tuple[str, ...] = ("friendly_name", *SERVICE_CONFIG_FORM_KEYS, "force_destroy", "adopt")

# Twilio's rules on durations and timestamps. The emulator (emulator/rules.py) implements the same
# rules on its own (it imports nothing from here); tests/test_rules_agree.py feeds both one table.
#
# Durations: Twilio says "ISO 8601 duration" and gives PT0S, PT10M and P1D as examples (error pages
# 50379/50380); nothing shows years, months or weeks. Years and months have no fixed length, so they
# are refused rather than guessed (P30D, P7D say the same exactly). Only seconds may have a fraction.
# A timer is at most MAX_TIMER long, so the moment it fires is always a date Twilio can write.
_DURATION = re.compile(
    r"P(?!$)(?:(?P<days>[0-9]+)D)?"
    r"(?:T(?=[0-9])(?:(?P<hours>[0-9]+)H)?(?:(?P<minutes>[0-9]+)M)?(?:(?P<seconds>[0-9]+(?:[.,][0-9]+)?)S)?)?"
)
_SECONDS_PER = {"days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}
MAX_TIMER = timedelta(days=36500)
# Timestamps: the spec gives DateCreated/DateUpdated `format: date-time`, which is RFC 3339 (§5.6): a
# 4-digit year, upper-case T, optional fraction, and an offset (Z or ±hh:mm) that is never left out.
# Twilio keeps whole seconds in UTC and writes them as YYYY-MM-DDTHH:MM:SSZ, so the instant must fall in
# years 0001-9999 once in UTC; that form is also what the provider sends.
_TIMESTAMP = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})(?:\.[0-9]+)?"
    r"(?:Z|(?P<sign>[+-])(?P<offset_hours>[0-9]{2}):(?P<offset_minutes>[0-9]{2}))"
)
TIMESTAMP_INPUTS = ("date_created", "date_updated")


def parse_duration(text: str) -> timedelta:
    """An ISO 8601 duration of days, hours, minutes and seconds (`PT1H`, `P7D`, `P1DT12H`), at most MAX_TIMER."""
    match = _DURATION.fullmatch(text)
    if not match:
        raise ValueError(
            f"{text!r} is not an ISO 8601 duration of days, hours, minutes and seconds such as PT5M, PT1H or "
            "P7D (Twilio's timers take no years, months or weeks: write P365D, P30D or P7D)"
        )
    parts = {unit: float(value.replace(",", ".")) for unit, value in match.groupdict().items() if value}
    seconds = sum(value * _SECONDS_PER[unit] for unit, value in parts.items())
    if seconds > MAX_TIMER.total_seconds():
        raise ValueError(f"{text!r} is longer than a timer can be: at most P{MAX_TIMER.days}D (about 100 years)")
    return timedelta(seconds=seconds)


def parse_timestamp(text: str) -> datetime:
    """An RFC 3339 timestamp (`2026-01-31T09:30:00Z`, `2026-01-31T10:30:00+01:00`) as UTC, to the second."""
    match = _TIMESTAMP.fullmatch(text)
    try:
        if not match:
            raise ValueError
        parts = {name: int(value) for name, value in match.groupdict().items() if value and name != "sign"}
        offset_hours, offset_minutes = parts.pop("offset_hours", 0), parts.pop("offset_minutes", 0)
        if offset_hours > 23 or offset_minutes > 59:
            raise ValueError
        offset = timedelta(hours=offset_hours, minutes=offset_minutes)
        zone = timezone(-offset if match["sign"] == "-" else offset)
        return datetime(**parts, tzinfo=zone).astimezone(timezone.utc)
    except (ValueError, OverflowError):
        raise ValueError(
            f"{text!r} is not an ISO 8601 timestamp in RFC 3339 form, such as 2026-01-31T09:30:00Z or "
            "2026-01-31T10:30:00+01:00 (a 4-digit year, T, Z or an offset; years 0001-9999 in UTC)"
        ) from None


def format_timestamp(moment: datetime) -> str:
    """Twilio's form of a moment: `2026-01-31T09:30:00Z` (UTC, whole seconds, always a 4-digit year)."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def json_ints(value: Any) -> Any:
    """Undo the wire's float conversion: 1.0 → 1 wherever a float is integral (recursively)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: json_ints(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_ints(item) for item in value]
    return value


def attributes_text(value: dict[str, Any] | str) -> str:
    """The `Attributes` form value: a JSON string as given, or a dict as compact JSON with ints kept ints.

    Keys are sorted: a dict crosses the engine as a protobuf Struct, whose key order is not kept, and
    the same declaration must always send the same text."""
    if isinstance(value, str):
        return value
    return json.dumps(json_ints(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _canonical_json(value: Any) -> str | None:
    try:
        parsed = json.loads(value) if isinstance(value, str) else value
        return json.dumps(json_ints(parsed), sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        return None


def same_value(name: str, new: Any, old: Any) -> bool:
    """Whether a declared input already holds on the remote side (no update needed)."""
    if name == "attributes":
        return _canonical_json(new) == _canonical_json(old if old is not None else "{}")
    if name in TIMESTAMP_INPUTS and isinstance(new, str) and isinstance(old, str):
        try:
            return parse_timestamp(new) == parse_timestamp(old)
        except ValueError:
            return new == old
    return bool(new == old)


def to_form(values: Mapping[str, Any], table: Mapping[str, str] = FORM_KEYS) -> dict[str, str]:
    """Twilio's form body for exactly the inputs of `table` that are set."""
    form = {}
    for name, key in table.items():
        value = values.get(name)
        if value is None:
            continue
        if name == "attributes":
            form[key] = attributes_text(value)
        elif name in TIMESTAMP_INPUTS:
            form[key] = format_timestamp(parse_timestamp(value))
        elif isinstance(value, bool):
            form[key] = "true" if value else "false"
        else:
            form[key] = str(value)
    return form


def webhook_headers(values: Mapping[str, Any]) -> dict[str, str]:
    enabled = values.get("webhook_enabled")
    return {} if enabled is None else {WEBHOOK_HEADER: "true" if enabled else "false"}
