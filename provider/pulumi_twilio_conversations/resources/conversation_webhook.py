"""The ConversationWebhook core: `/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks` (WH…).

A conversation's own webhook: its events to a URL (`webhook`), its messages matching keywords to a
URL (`trigger`), or the conversation to a Studio flow (`studio`). The target, the parent service
and conversation, and `replay_after` cannot change (they replace it). Twilio allows five per
conversation. After a create whose answer was lost, the webhook is found again in the conversation's
list by its target and its URL or flow.

Two inputs are not where the table's `reported` says: Twilio reports a trigger's keywords as
`configuration.filters` (the spec's `readFull` example), and never reports `replay_after`, which is
therefore kept in state as declared.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..ids import parse_scoped_id
from .base import ACCOUNT_FIELD, ADOPT_WORDS, DATE_FIELDS, SID_FIELD, URL_FIELD, Field, ResourceSpec
from .table import ObjectCore, Wire, dig, removal_rules

if TYPE_CHECKING:
    from ..twilio import Json, TwilioClient

_CONFIG = "configuration."
WIRES = (
    Wire("chat_service_sid", None, "string", "The Conversation Service (IS…) of the conversation.", required=True,
         replaces=True),
    Wire("conversation_sid", None, "string", "The conversation (CH…) the webhook belongs to.", required=True,
         replaces=True),
    Wire("target", "Target", "string", "webhook, trigger or studio.", required=True, replaces=True),
    Wire("configuration_url", "Configuration.Url", "string",
         "For webhook and trigger: where events go (https, or http to loopback).", reported=_CONFIG + "url"),
    Wire("configuration_method", "Configuration.Method", "method", "For webhook and trigger: GET or POST.",
         reported=_CONFIG + "method"),
    Wire("configuration_filters", "Configuration.Filters", "list", "For webhook: the post-action events sent.",
         reported=_CONFIG + "filters"),
    Wire("configuration_triggers", "Configuration.Triggers", "list", "For trigger: the keywords that fire it.",
         reported=_CONFIG + "triggers"),
    Wire("configuration_flow_sid", "Configuration.FlowSid", "string", "For studio: the Studio flow (FW…).",
         reported=_CONFIG + "flow_sid"),
    Wire("configuration_replay_after", "Configuration.ReplayAfter", "integer",
         "For studio: replay the messages after this index to the flow; set on create only.",
         reported=_CONFIG + "replay_after", replaces=True),
)  # fmt: skip
_NEEDS = {"webhook": "configuration_url", "trigger": "configuration_url", "studio": "configuration_flow_sid"}


class ConversationWebhookCore(ObjectCore):
    """A conversation's webhooks: created, read, updated, deleted."""

    kind = "ConversationWebhook"
    wires = WIRES
    model = "ConversationWebhookInputs"
    kept = ("adopt", "configuration_replay_after")  # Twilio never reports replay_after: state keeps it as declared
    rules = removal_rules(WIRES, create_only=frozenset({"adopt"}))

    def collection(self, props: Mapping[str, Any]) -> str:
        return f"/v1/Services/{props['chat_service_sid']}/Conversations/{props['conversation_sid']}/Webhooks"

    def path(self, props: Mapping[str, Any], id_: str) -> str:
        service, conversation, sid = parse_scoped_id(
            id_, ("IS", "CH", "WH"), props.get("chat_service_sid"), props.get("conversation_sid")
        )
        return f"/v1/Services/{service}/Conversations/{conversation}/Webhooks/{sid}"

    def find(self, client: TwilioClient, props: Mapping[str, Any]) -> Json | None:
        key = _NEEDS[props["target"]]
        wire = self.by_name()[key]
        for page in client.pages(self.collection(props), "webhooks", {"PageSize": "100"}):
            for webhook in page:
                if webhook.get("target") == props["target"] and dig(webhook, wire.reported or key) == props.get(key):
                    return webhook
        return None

    def view(self, outputs: Mapping[str, Any]) -> dict[str, Any]:
        seen = super().view(outputs)
        if seen.get("target") == "trigger":  # Twilio reports its keywords as `filters` (the spec's examples)
            seen["configuration_triggers"], seen["configuration_filters"] = seen["configuration_filters"], None
        if seen.get("configuration_replay_after") is None:
            seen["configuration_replay_after"] = outputs.get("configuration_replay_after")
        return seen

    def cross_rules(self, news: Mapping[str, Any]) -> list[tuple[str, str]]:
        needed = _NEEDS.get(news.get("target", ""))
        if needed and not news.get(needed):
            return [(needed, f"is required when target is {news['target']!r}")]
        if news.get("target") == "trigger" and not news.get("configuration_triggers"):
            return [("configuration_triggers", "is required when target is 'trigger'")]
        return []


SPEC = ResourceSpec(
    name="ConversationWebhook",
    description="A conversation's own webhook (`…/Conversations/{ConversationSid}/Webhooks`).",
    core=ConversationWebhookCore(),
    import_id="IS…/CH…/WH… (the service, conversation and webhook SIDs, joined by slashes)",
    fields=(
        *(wire.field for wire in WIRES),
        Field("adopt", "string", f"An existing webhook SID (WH…) to {ADOPT_WORDS}."),
        SID_FIELD,
        ACCOUNT_FIELD,
        URL_FIELD,
        Field("configuration", "json", "Its configuration, as Twilio reports it.", input=False),
        *DATE_FIELDS,
    ),
)
