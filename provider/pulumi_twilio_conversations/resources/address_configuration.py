"""The AddressConfiguration core: `/v1/Configuration/Addresses`, account-wide (IG…).

An address configuration says what Twilio does with a message to one of the account's addresses
(e.g. open a conversation in a service). Its `type` and `address` cannot change (a change replaces
it), and an address has one configuration: a replacement of the same address deletes first. After a
create whose answer was lost, it is found again by its address (the instance path takes one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..errors import NotFoundError
from .base import ACCOUNT_FIELD, ADOPT_WORDS, DATE_FIELDS, SID_FIELD, URL_FIELD, Field, ResourceSpec
from .table import ObjectCore, Wire, removal_rules

if TYPE_CHECKING:
    from ..twilio import Json, TwilioClient

_AUTO = "auto_creation."
WIRES = (
    Wire("type", "Type", "string", "sms, whatsapp, messenger, gbm, email, rcs, apple or chat.", required=True,
         replaces=True),
    Wire("address", "Address", "string", "The address (e.g. an E.164 number) the configuration is for.",
         required=True, replaces=True),
    Wire("friendly_name", "FriendlyName", "string", "A name for it, at most 256 characters."),
    Wire("auto_creation_enabled", "AutoCreation.Enabled", "boolean",
         "Whether a message to the address opens a conversation.", reported=_AUTO + "enabled"),
    Wire("auto_creation_type", "AutoCreation.Type", "string", "webhook, studio or default: what the new "
         "conversation is wired to.", reported=_AUTO + "type"),
    Wire("auto_creation_conversation_service_sid", "AutoCreation.ConversationServiceSid", "string",
         "The Conversation Service (IS…) the conversation is opened in (Twilio's default service if unset).",
         reported=_AUTO + "conversation_service_sid"),
    Wire("auto_creation_webhook_url", "AutoCreation.WebhookUrl", "string",
         "For type webhook: where the conversation's events go (https, or http to loopback).",
         reported=_AUTO + "webhook_url"),
    Wire("auto_creation_webhook_method", "AutoCreation.WebhookMethod", "method", "For type webhook: GET or POST.",
         reported=_AUTO + "webhook_method"),
    Wire("auto_creation_webhook_filters", "AutoCreation.WebhookFilters", "list",
         "For type webhook: the post-action events sent.", reported=_AUTO + "webhook_filters"),
    Wire("auto_creation_studio_flow_sid", "AutoCreation.StudioFlowSid", "string",
         "For type studio: the Studio flow (FW…).", reported=_AUTO + "studio_flow_sid"),
    Wire("auto_creation_studio_retry_count", "AutoCreation.StudioRetryCount", "integer",
         "For type studio: how many times the flow's webhook is retried.", reported=_AUTO + "studio_retry_count"),
    Wire("address_country", "AddressCountry", "string", "The address's ISO country code; a change replaces it.",
         replaces=True),
)  # fmt: skip


class AddressConfigurationCore(ObjectCore):
    """Address configurations of the account: created, read, updated, deleted."""

    kind = "AddressConfiguration"
    wires = WIRES
    model = "AddressConfigurationInputs"
    rules = removal_rules(WIRES, create_only=frozenset({"adopt"}))

    def collection(self, props: Mapping[str, Any]) -> str:
        return "/v1/Configuration/Addresses"

    def path(self, props: Mapping[str, Any], id_: str) -> str:
        return f"/v1/Configuration/Addresses/{quote(id_, safe='')}"

    def find(self, client: TwilioClient, props: Mapping[str, Any]) -> Json | None:
        try:
            return client.get(self.path(props, props["address"]))
        except NotFoundError:
            return None

    def collides(self, current: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
        return bool(current.get("address") == news.get("address"))

    def cross_rules(self, news: Mapping[str, Any]) -> list[tuple[str, str]]:
        kind = news.get("auto_creation_type")
        if kind == "webhook" and not news.get("auto_creation_webhook_url"):
            return [("auto_creation_webhook_url", "is required when auto_creation_type is 'webhook'")]
        if kind == "studio" and not news.get("auto_creation_studio_flow_sid"):
            return [("auto_creation_studio_flow_sid", "is required when auto_creation_type is 'studio'")]
        return []


SPEC = ResourceSpec(
    name="AddressConfiguration",
    description="What Twilio does with a message to one of the account's addresses (`/v1/Configuration/Addresses`).",
    core=AddressConfigurationCore(),
    import_id="IG… (the address configuration SID)",
    fields=(
        *(wire.field for wire in WIRES),
        Field("adopt", "string", f"An address configuration SID (IG…) to {ADOPT_WORDS}."),
        SID_FIELD,
        ACCOUNT_FIELD,
        URL_FIELD,
        Field("auto_creation", "json", "Its auto-creation settings, as Twilio reports them.", input=False),
        *DATE_FIELDS,
    ),
)
