"""What the plugin knows about each resource and about its configuration, as tables.

Nothing here speaks the plugin protocol: `schema.py` turns these tables into the Pulumi package schema,
`provider.py` uses them to translate requests. They are meant to move into a shared core unchanged.

Names are the core's snake_case names (`chat_service_sid`); the schema and the engine see their
camelCase form (`chatServiceSid`), which `camel` and `snake` convert in both directions.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..conversation import ConversationProvider
from ..inputs import attributes_text
from ..provider import TwilioProvider, is_unknown
from ..service import ConversationServiceProvider

PACKAGE = "twilio-conversations"
MODULE = "index"


def camel(name: str) -> str:
    """`chat_service_sid` → `chatServiceSid`."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def snake(name: str) -> str:
    """`chatServiceSid` → `chat_service_sid` (the inverse of `camel` for the names used here)."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


@dataclass(frozen=True)
class Field:
    """One property of a resource."""

    name: str
    """The core's name (snake_case)."""
    type: str
    """The value's kind in state: a key of `schema.TYPES` (string, boolean, number, json, string-map)."""
    description: str
    input: bool = True
    """Declared by the program (else Twilio sets it)."""
    output: bool = True
    """Kept in the resource's state."""
    required: bool = False
    replaces: bool = False
    """A change replaces the resource instead of updating it."""
    secret: bool = False
    imported: bool = False
    """`pulumi import` declares it from what Twilio reports."""
    input_type: str | None = None
    """The kind a program may give when it differs from the kind in state (attributes: object or JSON text)."""
    always: bool = False
    """Always in state once created (so the SDKs' output type is not optional)."""


@dataclass(frozen=True)
class ResourceSpec:
    """One resource type of the package."""

    name: str
    """The type token's last part: `twilio-conversations:index:<name>`."""
    description: str
    fields: tuple[Field, ...]
    core: Callable[[], TwilioProvider]
    """Builds the object that does the work: for now the dynamic provider, whose state stays as it is."""
    import_id: str
    """The id form `pulumi import` takes, for the description."""
    defaults: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None
    """What the Python front door adds to the program's inputs, given the resource's URN."""

    @property
    def token(self) -> str:
        return f"{PACKAGE}:{MODULE}:{self.name}"

    @property
    def inputs(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.input)

    @property
    def outputs(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.output)


@dataclass(frozen=True)
class ConfigKey:
    """One provider setting: `twilio-conversations:<key>` in stack config, else the environment variable."""

    key: str
    environment: str
    type: str
    description: str
    secret: bool = False


CONFIG = (
    ConfigKey("accountSid", "TWILIO_ACCOUNT_SID", "string", "The Twilio account SID (AC…)."),
    ConfigKey("authToken", "TWILIO_AUTH_TOKEN", "string", "The account's auth token.", secret=True),
    ConfigKey("apiKey", "TWILIO_API_KEY", "string", "An API key SID (SK…), used with apiSecret instead of the token."),
    ConfigKey("apiSecret", "TWILIO_API_SECRET", "string", "The API key's secret.", secret=True),
    ConfigKey("region", "TWILIO_REGION", "string", "A Twilio region such as ie1; needs edge too."),
    ConfigKey("edge", "TWILIO_EDGE", "string", "A Twilio edge such as dublin."),
    ConfigKey(
        "conversationsBaseUrl",
        "TWILIO_CONVERSATIONS_BASE_URL",
        "string",
        "Overrides the Conversations host, e.g. a local emulator; plain http only to loopback.",
    ),
    ConfigKey(
        "maxRetrySeconds",
        "TWILIO_MAX_RETRY_SECONDS",
        "number",
        "How long one request may keep retrying on 429, 503 and connection failures (default 60).",
    ),
)


def _auto_name(urn: str) -> str:
    """`<resource name>-<8 hex>`: the default unique name `Conversation.__init__` gives (same formula)."""
    stack, project = urn.split(":", 2)[2].split("::")[:2]
    name = urn.rsplit("::", 1)[1]
    return f"{name}-{hashlib.sha256(f'{project}/{stack}/{name}'.encode()).hexdigest()[:8]}"


def _conversation_defaults(urn: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """As `Conversation.__init__`: attributes as JSON text, and a default unique name unless adopting."""
    defaults = dict(inputs)
    attributes = inputs.get("attributes")
    if isinstance(attributes, Mapping) and not is_unknown(attributes):
        defaults["attributes"] = attributes_text(dict(attributes))
    if inputs.get("unique_name") is None and inputs.get("adopt") is None:
        defaults["auto_name"] = _auto_name(urn)
    return defaults


_SID = Field("sid", "string", "The SID; also the resource id.", input=False, always=True)
_ACCOUNT = Field("account_sid", "string", "The account (AC…) that owns it.", input=False, always=True)
_URL = Field("url", "string", "Its absolute API URL.", input=False, always=True)
_ADOPT = "take over on create instead of creating one; ignored afterwards"

CONVERSATION = ResourceSpec(
    name="Conversation",
    description="A Twilio conversation in a Conversation Service (`/v1/Services/{ChatServiceSid}/Conversations`).",
    core=ConversationProvider,
    import_id="IS…/CH… (the service SID, a slash, the conversation SID)",
    defaults=_conversation_defaults,
    fields=(
        Field(
            "chat_service_sid",
            "string",
            "The Conversation Service (IS…) it belongs to. A change replaces the conversation.",
            required=True,
            replaces=True,
            imported=True,
            always=True,
        ),
        Field("friendly_name", "string", "A human-readable name, at most 256 characters.", imported=True),
        Field(
            "unique_name",
            "string",
            "An application-defined name, unique in the service. Defaults to `<resource name>-<8 hex>`, "
            "stable for the project, stack and resource name.",
            imported=True,
        ),
        Field(
            "attributes",
            "string",
            "Metadata as JSON text (an object is accepted too), at most 16 KB; compared as JSON. "
            'In state, the JSON string Twilio returns ("{}" when unset).',
            input_type="json",
            imported=True,
        ),
        Field(
            "state",
            "string",
            "inactive, active or closed (Twilio may also report initializing); a new conversation cannot start closed.",
            imported=True,
        ),
        Field("timers_inactive", "string", "ISO 8601 duration, at least PT1M, after which Twilio makes it inactive."),
        Field("timers_closed", "string", "ISO 8601 duration, at least PT10M, after which Twilio closes it."),
        Field("date_created", "string", "When it was created (ISO 8601); may be declared to record another date."),
        Field("date_updated", "string", "When it was last updated (ISO 8601); may be declared to record another date."),
        Field("messaging_service_sid", "string", "The Messaging Service (MG…) it uses.", imported=True),
        Field("bindings_email_address", "string", "Default address for outbound email (Bindings.Email.Address)."),
        Field("bindings_email_name", "string", "Default sender name for outbound email (Bindings.Email.Name)."),
        Field(
            "webhook_enabled",
            "boolean",
            "Sent as X-Twilio-Webhook-Enabled on create, update and delete; not a stored field.",
        ),
        Field("adopt", "string", f"A conversation SID (CH…) or unique name to {_ADOPT}."),
        _SID,
        _ACCOUNT,
        Field(
            "timers",
            "string-map",
            "When it will become inactive or closed: {date_inactive, date_closed}, or {}.",
            input=False,
        ),
        Field(
            "bindings",
            "json",
            "Its bindings (e.g. the default email address and name), as Twilio reports them.",
            input=False,
        ),
        _URL,
        Field(
            "links",
            "string-map",
            "Its participants, messages and webhooks URLs, relative to url.",
            input=False,
        ),
    ),
)

CONVERSATION_SERVICE = ResourceSpec(
    name="ConversationService",
    description=(
        "A Twilio Conversation Service (`/v1/Services`). Twilio cannot rename a service: a new friendlyName "
        "replaces it, and replacing a service deletes its conversations; consider `protect`."
    ),
    core=ConversationServiceProvider,
    import_id="IS… (the service SID)",
    fields=(
        Field(
            "friendly_name",
            "string",
            "Its name, at most 256 characters. Twilio cannot rename a service: a change replaces it.",
            required=True,
            replaces=True,
            imported=True,
            always=True,
        ),
        Field("reachability_enabled", "boolean", "Whether the Reachability Indicator is on.", imported=True),
        Field(
            "default_conversation_creator_role_sid",
            "string",
            "Role (RL…) given to a conversation's creator.",
            imported=True,
        ),
        Field(
            "default_conversation_role_sid",
            "string",
            "Role (RL…) given to users added to a conversation.",
            imported=True,
        ),
        Field("default_chat_service_role_sid", "string", "Service-level role (RL…) given to users.", imported=True),
        Field(
            "force_destroy",
            "boolean",
            "Allow destroy to delete the service while it still holds conversations (default false).",
        ),
        Field("adopt", "string", f"An existing service SID (IS…) to {_ADOPT}."),
        _SID,
        _ACCOUNT,
        Field("date_created", "string", "When it was created (ISO 8601).", input=False),
        Field("date_updated", "string", "When it was last updated (ISO 8601).", input=False),
        _URL,
    ),
)

RESOURCES = (CONVERSATION, CONVERSATION_SERVICE)
