"""The rules on every input (pydantic), checked in `check` before any request: pure, no network.

Values still unknown during preview are not judged. Imported only by the providers' `check`, so a
program that merely declares resources never loads pydantic (about 75 ms per process).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError

from .ids import sid_rule
from .inputs import ATTRIBUTES_MAX_BYTES, attributes_text, parse_duration, parse_timestamp

# Twilio documents no rule for Bindings.Email.Address beyond "local-part@domain" (error 22104): one @,
# no white space, and a domain of at least two non-empty labels (an address mail can be delivered to).
# The emulator's check_email is the same rule (tests/test_rules_agree.py holds the cases).
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


def _duration_at_least(minimum: timedelta, words: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        if parse_duration(text) < minimum:
            raise ValueError(f"must be at least {words} (Twilio's minimum), got {text!r}")
        return text

    return check


def _timestamp(text: str) -> str:
    parse_timestamp(text)
    return text


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
