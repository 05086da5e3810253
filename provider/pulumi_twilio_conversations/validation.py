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
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
)

from .ids import sid_rule
from .inputs import ATTRIBUTES_MAX_BYTES, attributes_text, parse_duration, parse_timestamp
from .settings import is_loopback

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

    chat_service_sid: ServiceSid | None = None  # left out: the account's default service (/v1/Conversations)
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


# Twilio's Conversations webhook events ("Conversations Webhooks" reference): the pre-action ones a
# PreWebhookUrl can answer, the post-action ones a PostWebhookUrl or a conversation's webhook is told.
PRE_EVENTS = (
    "onConversationAdd", "onConversationRemove", "onConversationUpdate", "onMessageAdd", "onMessageRemove",
    "onMessageUpdate", "onParticipantAdd", "onParticipantRemove", "onParticipantUpdate", "onUserUpdate",
)  # fmt: skip
POST_EVENTS = (
    "onConversationAdded", "onConversationRemoved", "onConversationStateUpdated", "onConversationUpdated",
    "onDeliveryUpdated", "onMessageAdded", "onMessageRemoved", "onMessageUpdated", "onParticipantAdded",
    "onParticipantRemoved", "onParticipantUpdated", "onUserAdded", "onUserUpdated",
)  # fmt: skip
# The permission values of Twilio's Role resource (service and conversation scope, "Permission Values";
# the Flex Conversations roles page lists the same names in use).
PERMISSIONS = (
    "addNonChatParticipant", "addParticipant", "createConversation", "deleteAnyMessage", "deleteConversation",
    "deleteOwnMessage", "editAnyMessage", "editAnyMessageAttributes", "editAnyUserInfo",
    "editConversationAttributes", "editConversationName", "editNotificationLevel", "editOwnMessage",
    "editOwnMessageAttributes", "editOwnUserInfo", "joinConversation", "leaveConversation",
    "removeParticipant", "sendMediaMessage", "sendMessage",
)  # fmt: skip
MAX_ROLE_NAME = 64  # the Role resource: "friendly_name ... up to 64 characters"
# Twilio documents no bound for the integers below; they are 32-bit on the wire (the spec's `integer`).
MAX_INTEGER = 2**31 - 1


def _webhook_url(text: str) -> str:
    """https, or http to a loopback host only (a local receiver): never plain http across a network."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{text!r} is not an absolute http(s) URL")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValueError(f"{text!r}: plain http is accepted only for loopback hosts (localhost, 127.0.0.0/8, ::1)")
    return text


def _method(text: str) -> str:
    if text.upper() not in ("GET", "POST"):
        raise ValueError(f"must be GET or POST, got {text!r}")
    return text


def _one_of(choices: tuple[str, ...], what: str) -> Callable[[list[str]], list[str]]:
    def check(values: list[str]) -> list[str]:
        unknown = [value for value in values if value not in choices]
        if unknown:
            raise ValueError(f"{', '.join(map(repr, unknown))} {'is' if len(unknown) == 1 else 'are'} not {what}")
        if len(set(values)) != len(values):
            raise ValueError("names an entry twice")
        return values

    return check


def _whole(low: int, high: int) -> Callable[[float], float]:
    def check(value: float) -> float:
        if not float(value).is_integer() or not low <= value <= high:
            raise ValueError(f"must be a whole number from {low} to {high}, got {value!r}")
        return value

    return check


WebhookUrl = Annotated[StrictStr, AfterValidator(_webhook_url)]
Method = Annotated[StrictStr, AfterValidator(_method)]
PostEvents = Annotated[list[StrictStr], AfterValidator(_one_of(POST_EVENTS, "a post-action event of Twilio's"))]
AnyEvents = Annotated[
    list[StrictStr], AfterValidator(_one_of(PRE_EVENTS + POST_EVENTS, "a Conversations webhook event of Twilio's"))
]
StudioFlowSid = Annotated[StrictStr, AfterValidator(sid_rule("FW").check)]
ConversationSid = Annotated[StrictStr, AfterValidator(sid_rule("CH").check)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ServiceWebhookInputs(_Strict):
    chat_service_sid: ServiceSid
    pre_webhook_url: WebhookUrl | None = None
    post_webhook_url: WebhookUrl | None = None
    filters: AnyEvents | None = None
    method: Method | None = None


class ServiceNotificationsInputs(_Strict):
    chat_service_sid: ServiceSid
    log_enabled: StrictBool | None = None
    new_message_enabled: StrictBool | None = None
    new_message_template: StrictStr | None = None
    new_message_sound: StrictStr | None = None
    new_message_badge_count_enabled: StrictBool | None = None
    new_message_with_media_enabled: StrictBool | None = None
    new_message_with_media_template: StrictStr | None = None
    added_to_conversation_enabled: StrictBool | None = None
    added_to_conversation_template: StrictStr | None = None
    added_to_conversation_sound: StrictStr | None = None
    removed_from_conversation_enabled: StrictBool | None = None
    removed_from_conversation_template: StrictStr | None = None
    removed_from_conversation_sound: StrictStr | None = None


class RoleInputs(_Strict):
    chat_service_sid: ServiceSid
    friendly_name: Annotated[NonEmpty, Field(max_length=MAX_ROLE_NAME)]
    type: Literal["conversation", "service"]
    permissions: Annotated[
        list[StrictStr], AfterValidator(_one_of(PERMISSIONS, "a permission of Twilio's")), Field(min_length=1)
    ]
    adopt: RoleSid | None = None


class AddressConfigurationInputs(_Strict):
    type: Literal["sms", "whatsapp", "messenger", "gbm", "email", "rcs", "apple", "chat"]
    address: NonEmpty
    friendly_name: Annotated[StrictStr, Field(max_length=256)] | None = None
    auto_creation_enabled: StrictBool | None = None
    auto_creation_type: Literal["webhook", "studio", "default"] | None = None
    auto_creation_conversation_service_sid: ServiceSid | None = None
    auto_creation_webhook_url: WebhookUrl | None = None
    auto_creation_webhook_method: Method | None = None
    auto_creation_webhook_filters: PostEvents | None = None
    auto_creation_studio_flow_sid: StudioFlowSid | None = None
    auto_creation_studio_retry_count: (
        Annotated[StrictInt | StrictFloat, AfterValidator(_whole(0, MAX_INTEGER))] | None
    ) = None
    address_country: Annotated[StrictStr, Field(min_length=2, max_length=2)] | None = None
    adopt: Annotated[StrictStr, AfterValidator(sid_rule("IG").check)] | None = None


class ConversationWebhookInputs(_Strict):
    chat_service_sid: ServiceSid
    conversation_sid: ConversationSid
    target: Literal["webhook", "trigger", "studio"]
    configuration_url: WebhookUrl | None = None
    configuration_method: Method | None = None
    configuration_filters: PostEvents | None = None
    configuration_triggers: Annotated[list[NonEmpty], Field(min_length=1)] | None = None
    configuration_flow_sid: StudioFlowSid | None = None
    configuration_replay_after: Annotated[StrictInt | StrictFloat, AfterValidator(_whole(0, MAX_INTEGER))] | None = None
    adopt: Annotated[StrictStr, AfterValidator(sid_rule("WH").check)] | None = None


Attributes = Annotated[dict[str, Any] | StrictStr, AfterValidator(_json_attributes)]
# Key material: never echoed in a reason (no rule here quotes a value), as the message reaches the CLI.
KeyMaterial = NonEmpty


class CredentialInputs(_Strict):
    type: Literal["apn", "fcm", "gcm"]
    friendly_name: Annotated[StrictStr, Field(max_length=64)] | None = None
    certificate: KeyMaterial | None = None
    private_key: KeyMaterial | None = None
    sandbox: StrictBool | None = None
    api_key: KeyMaterial | None = None
    secret: KeyMaterial | None = None
    adopt: Annotated[StrictStr, AfterValidator(sid_rule("CR").check)] | None = None


class AccountConfigurationInputs(_Strict):
    default_chat_service_sid: ServiceSid | None = None
    default_messaging_service_sid: MessagingServiceSid | None = None
    default_inactive_timer: InactiveTimer | None = None
    default_closed_timer: ClosedTimer | None = None


class AccountWebhookInputs(_Strict):
    method: Method | None = None
    filters: AnyEvents | None = None
    pre_webhook_url: WebhookUrl | None = None
    post_webhook_url: WebhookUrl | None = None
    target: Literal["webhook", "flex"] | None = None


class UserInputs(_Strict):
    chat_service_sid: ServiceSid
    identity: NonEmpty
    friendly_name: StrictStr | None = None
    attributes: Attributes | None = None
    role_sid: RoleSid | None = None
    adopt: Annotated[StrictStr, AfterValidator(sid_rule("US").check)] | None = None


class ParticipantInputs(_Strict):
    chat_service_sid: ServiceSid
    conversation_sid: ConversationSid
    identity: NonEmpty | None = None
    messaging_binding_address: NonEmpty | None = None
    messaging_binding_proxy_address: NonEmpty | None = None
    messaging_binding_projected_address: NonEmpty | None = None
    attributes: Attributes | None = None
    role_sid: RoleSid | None = None
    adopt: Annotated[StrictStr, AfterValidator(sid_rule("MB").check)] | None = None


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
        choices = str(error["ctx"]["expected"]).replace("'", "").replace(" or ", ", ")
        return f"must be one of {choices}, got {error['input']!r}"
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
