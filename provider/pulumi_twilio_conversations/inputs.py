"""What a Conversation accepts: validation (pydantic), the Twilio form-key table, and comparison.

Validation here is pure (no network) and tolerates values still unknown during preview. Values
arrive as the engine sends them: numbers as floats (protobuf `Struct`), keys set to None absent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError

from .ids import sid_rule

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

_DURATION = re.compile(
    r"P(?!$)(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?"
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_duration(text: str) -> timedelta:
    """An ISO 8601 duration of weeks, days, hours, minutes and seconds (`PT1H`, `P7D`)."""
    match = _DURATION.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not an ISO 8601 duration such as PT5M, PT1H or P7D")
    parts = {unit: float(value) for unit, value in match.groupdict().items() if value}
    return timedelta(**parts)


def _duration_at_least(minimum: timedelta, words: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        if parse_duration(text) < minimum:
            raise ValueError(f"must be at least {words} (Twilio's minimum), got {text!r}")
        return text

    return check


def _timestamp(text: str) -> str:
    try:
        parse_timestamp(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 timestamp such as 2026-01-31T09:30:00Z") from None
    return text


def parse_timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _json_attributes(value: dict[str, Any] | str) -> dict[str, Any] | str:
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError as exc:
            raise ValueError(f"must be a dict or a string holding valid JSON ({exc})") from None
    size = len(attributes_text(value).encode())
    if size > ATTRIBUTES_MAX_BYTES:
        raise ValueError(f"is {size} bytes of JSON; Twilio accepts at most {ATTRIBUTES_MAX_BYTES} (16 KB)")
    return value


def _unique_name(text: str) -> str:
    if sid_rule("CH").matches(text):
        raise ValueError("must not look like a conversation SID (CH + 32 hex): Twilio rejects it (50390)")
    return text


def _email(text: str) -> str:
    if not _EMAIL.fullmatch(text):
        raise ValueError(f"{text!r} is not an email address")
    return text


def _adopt(text: str) -> str:
    if text.startswith("CH") and len(text) == 34 and not sid_rule("CH").matches(text):
        raise ValueError("looks like a conversation SID but is not 'CH' followed by 32 hex digits")
    return text


NonEmpty = Annotated[StrictStr, Field(min_length=1)]
ServiceSid = Annotated[StrictStr, AfterValidator(sid_rule("IS").check)]
MessagingServiceSid = Annotated[StrictStr, AfterValidator(sid_rule("MG").check)]
InactiveTimer = Annotated[StrictStr, AfterValidator(_duration_at_least(timedelta(minutes=1), "1 minute"))]
ClosedTimer = Annotated[StrictStr, AfterValidator(_duration_at_least(timedelta(minutes=10), "10 minutes"))]
Timestamp = Annotated[StrictStr, AfterValidator(_timestamp)]
State = Literal["inactive", "active", "closed"]


class ConversationInputs(BaseModel):
    """The rules of DESIGN.md for each input. Unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", strict=True)

    chat_service_sid: ServiceSid
    friendly_name: Annotated[StrictStr, Field(max_length=256)] | None = None
    unique_name: Annotated[NonEmpty, AfterValidator(_unique_name)] | None = None
    attributes: Annotated[dict[str, Any] | StrictStr, AfterValidator(_json_attributes)] | None = None
    state: State | None = None
    timers_inactive: InactiveTimer | None = None
    timers_closed: ClosedTimer | None = None
    date_created: Timestamp | None = None
    date_updated: Timestamp | None = None
    messaging_service_sid: MessagingServiceSid | None = None
    bindings_email_address: Annotated[StrictStr, AfterValidator(_email)] | None = None
    bindings_email_name: StrictStr | None = None
    webhook_enabled: StrictBool | None = None
    adopt: Annotated[NonEmpty, AfterValidator(_adopt)] | None = None


INPUT_NAMES: tuple[str, ...] = tuple(ConversationInputs.model_fields)

RoleSid = Annotated[StrictStr, AfterValidator(sid_rule("RL").check)]


class ServiceInputs(BaseModel):
    """The rules for a ConversationService's inputs."""

    model_config = ConfigDict(extra="forbid", strict=True)

    friendly_name: Annotated[NonEmpty, Field(max_length=256)]
    reachability_enabled: StrictBool | None = None
    default_conversation_creator_role_sid: RoleSid | None = None
    default_conversation_role_sid: RoleSid | None = None
    default_chat_service_role_sid: RoleSid | None = None
    force_destroy: StrictBool | None = None
    adopt: ServiceSid | None = None


SERVICE_INPUT_NAMES: tuple[str, ...] = tuple(ServiceInputs.model_fields)


def validation_failures(
    model: type[BaseModel], values: Mapping[str, Any], unknown: Iterable[str]
) -> list[tuple[str, str]]:
    """(input, reason) for each rule `values` break; inputs still unknown (preview) are not judged."""
    unknown = set(unknown)
    known = {k: v for k, v in values.items() if k not in unknown and v is not None}
    try:
        model.model_validate(known)
    except ValidationError as exc:
        failures: dict[str, str] = {}  # one per input: a union type reports each alternative
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else ""
            if name not in unknown:
                failures.setdefault(name, _reason(model, error))
        return list(failures.items())
    return []


def _reason(model: type[BaseModel], error: Any) -> str:
    kind, message = error["type"], error["msg"]
    if kind == "extra_forbidden":
        return f"is not an input of this resource; the inputs are: {', '.join(model.model_fields)}"
    if kind == "missing":
        return "is required"
    if kind == "literal_error":
        return f"must be one of inactive, active, closed, got {error['input']!r}"
    if kind == "string_too_long":
        return f"must be at most {error['ctx']['max_length']} characters, got {len(error['input'])}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind.endswith("_type"):
        expected = (
            "a dict or a string holding JSON"
            if error["loc"][0] == "attributes"
            else {"string_type": "a string", "bool_type": "a bool (True or False)"}.get(
                kind, kind.removesuffix("_type")
            )
        )
        return f"must be {expected}, got {type(error['input']).__name__}"
    return str(message).removeprefix("Value error, ")


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
