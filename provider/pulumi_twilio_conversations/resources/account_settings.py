"""The two settings the account has once: its Conversations configuration and its account-level webhooks.

`/v1/Configuration` (the default service, Messaging Service and timers of conversations made at the
account level) and `/v1/Configuration/Webhooks` (where the account-level conversations' events go)
exist with the account. A resource takes one over: create records what was there (the `previous`
output) and writes what is declared; delete writes `previous` back, so `pulumi destroy` leaves the
account as Pulumi found it. With `retain_on_delete` the engine never calls delete: the declared
values stay. Its id is the account SID.

Removing an input: the configuration's four fields cannot be unset (every account has a default
service), so `check` carries them forward; the webhook fields go back to Twilio's defaults, as a
service's do (no URLs, no filters, method POST, target webhook).
"""

from __future__ import annotations

from .base import ACCOUNT_FIELD, URL_FIELD, Field, ResourceSpec
from .service_settings import WEBHOOK_WIRES
from .table import PREVIOUS_KEY, AccountSettingCore, Wire, named, removal_rules

CONFIGURATION_WIRES = (
    Wire("default_chat_service_sid", "DefaultChatServiceSid", "string",
         "The Conversation Service (IS…) that conversations made without one (`/v1/Conversations`) go to."),
    Wire("default_messaging_service_sid", "DefaultMessagingServiceSid", "string",
         "The Messaging Service (MG…) such conversations use."),
    Wire("default_inactive_timer", "DefaultInactiveTimer", "duration",
         "ISO 8601 duration, at least PT1M, after which such a conversation becomes inactive."),
    Wire("default_closed_timer", "DefaultClosedTimer", "duration",
         "ISO 8601 duration, at least PT10M, after which such a conversation is closed."),
)  # fmt: skip
# The service webhook setting's four fields (same form keys, same defaults) and the target.
WEBHOOK_FIELDS = (
    *(wire for wire in WEBHOOK_WIRES if wire.form_key is not None),
    Wire("target", "Target", "string", "webhook (to the URLs) or flex (to Flex).", default="webhook"),
)


class AccountConfigurationCore(AccountSettingCore):
    """The account's Conversations configuration (`/v1/Configuration`)."""

    kind = "AccountConfiguration"
    wires = CONFIGURATION_WIRES
    rules = removal_rules(CONFIGURATION_WIRES)
    model = "AccountConfigurationInputs"
    setting_path = "/v1/Configuration"


class AccountWebhooksCore(AccountSettingCore):
    """The account-level conversations' webhooks (`/v1/Configuration/Webhooks`)."""

    kind = "AccountWebhookConfiguration"
    wires = WEBHOOK_FIELDS
    rules = removal_rules(WEBHOOK_FIELDS)
    model = "AccountWebhookInputs"
    setting_path = "/v1/Configuration/Webhooks"


_PREVIOUS = Field(
    PREVIOUS_KEY,
    "json",
    "What the account held before Pulumi took the setting over (by input name); destroy writes it back.",
    input=False,
)


def _spec(name: str, description: str, core: AccountSettingCore, *extra: Field) -> ResourceSpec:
    return ResourceSpec(
        name=name,
        description=f"{description} One per account: destroy puts back what was there before Pulumi took it over.",
        core=core,
        import_id="AC… (the account SID)",
        defaults=named,
        fields=(*(wire.field for wire in core.wires), ACCOUNT_FIELD, URL_FIELD, _PREVIOUS, *extra),
    )


CONFIGURATION_SPEC = _spec(
    "AccountConfiguration",
    "The account's Conversations defaults (`/v1/Configuration`).",
    AccountConfigurationCore(),
    Field("links", "string-map", "The URLs of the default service's configuration and of the webhooks.", input=False),
)
WEBHOOKS_SPEC = _spec(
    "AccountWebhookConfiguration",
    "Where the account-level conversations send their events (`/v1/Configuration/Webhooks`).",
    AccountWebhooksCore(),
)
