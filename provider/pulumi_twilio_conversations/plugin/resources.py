"""The resources the plugin serves (each core's table, `resources/*.SPEC`) and the plugin's configuration.

Nothing here speaks the plugin protocol: `schema.py` turns these tables into the Pulumi package schema,
`provider.py` uses them to translate requests.

Names are the core's snake_case names (`chat_service_sid`); the schema and the engine see their
camelCase form (`chatServiceSid`), which `camel` and `snake` convert in both directions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..resources import (
    account_settings,
    address_configuration,
    conversation,
    conversation_webhook,
    credential,
    participant,
    role,
    service,
    service_settings,
    user,
)
from ..resources.base import PACKAGE, Field, ResourceSpec

__all__ = ["CONFIG", "PACKAGE", "RESOURCES", "ConfigKey", "Field", "ResourceSpec", "camel", "snake"]


def camel(name: str) -> str:
    """`chat_service_sid` → `chatServiceSid`."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def snake(name: str) -> str:
    """`chatServiceSid` → `chat_service_sid` (the inverse of `camel` for the names used here)."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


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


RESOURCES = (
    conversation.SPEC,
    service.SPEC,
    service_settings.WEBHOOKS_SPEC,
    service_settings.NOTIFICATIONS_SPEC,
    role.SPEC,
    address_configuration.SPEC,
    conversation_webhook.SPEC,
    credential.SPEC,
    account_settings.CONFIGURATION_SPEC,
    account_settings.WEBHOOKS_SPEC,
    user.SPEC,
    participant.SPEC,
)
