"""The inputs' wire side: names, the Twilio form-key tables, JSON attributes, and comparison.

Values arrive as the engine sends them: numbers as floats (protobuf `Struct`), keys set to None
absent. The rules on inputs are in `validation` (pydantic), which only `check` imports: a program
that declares resources never loads pydantic.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
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

_DURATION = re.compile(
    r"P(?!$)(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?"
)


def parse_duration(text: str) -> timedelta:
    """An ISO 8601 duration of weeks, days, hours, minutes and seconds (`PT1H`, `P7D`)."""
    match = _DURATION.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not an ISO 8601 duration such as PT5M, PT1H or P7D")
    parts = {unit: float(value) for unit, value in match.groupdict().items() if value}
    return timedelta(**parts)


def parse_timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


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
    if name in ("date_created", "date_updated") and isinstance(new, str) and isinstance(old, str):
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
        elif isinstance(value, bool):
            form[key] = "true" if value else "false"
        else:
            form[key] = str(value)
    return form


def webhook_headers(values: Mapping[str, Any]) -> dict[str, str]:
    enabled = values.get("webhook_enabled")
    return {} if enabled is None else {WEBHOOK_HEADER: "true" if enabled else "false"}
