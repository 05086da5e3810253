"""A Conversation Service's parts declared by data: one resource per entry of conversations.yaml.

The file is what `pulumi-twilio-conversations adopt --service IS… --format yaml` writes (see README.md):

    service: IS…
    conversations:
      support:                  # the Pulumi resource name
        adopt: CH…              # any input of Conversation, as YAML values
        friendly_name: Support
        attributes: {team: support, tier: 1}
    service_webhook_configuration: {post_webhook_url: https://…, filters: [onMessageAdded]}
    service_notifications: {new_message_enabled: true}
    roles: {Supervisor: {adopt: RL…, friendly_name: Supervisor, type: conversation, permissions: [sendMessage]}}
    conversation_webhooks: {support-WH…: {conversation_sid: CH…, adopt: WH…, target: webhook, …}}
    # (a webhook's conversation_sid may name an entry of `conversations` instead: one created here too)
    address_configurations: {sms-1555…: {adopt: IG…, type: sms, address: "+1555…", …}}

Every section but `service` is optional. Entries without `adopt` are created. Unless `retainOnDelete` is
set to false, removing an entry or running `pulumi destroy` leaves the resource in Twilio (and a setting as
it is); an entry's own `retain_on_delete` overrides it.
"""

from pathlib import Path
from typing import Any

import pulumi
import yaml

from pulumi_twilio_conversations import (
    AddressConfiguration,
    Conversation,
    ConversationWebhook,
    Role,
    ServiceNotifications,
    ServiceWebhookConfiguration,
)

DATA = Path(__file__).with_name("conversations.yaml")
# Section → the class of its entries; the settings are one mapping each, named as the generator names them.
OBJECTS = {"conversations": Conversation, "roles": Role, "conversation_webhooks": ConversationWebhook}
SETTINGS = {
    "service_webhook_configuration": ("webhooks", ServiceWebhookConfiguration),
    "service_notifications": ("notifications", ServiceNotifications),
}

if not DATA.exists():
    raise pulumi.RunError(
        f"{DATA} is missing: write it with "
        "`pulumi-twilio-conversations adopt --service IS… --format yaml --output conversations.yaml`"
    )
data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
retain = pulumi.Config().get_bool("retainOnDelete")


def options(inputs: dict[str, Any]) -> pulumi.ResourceOptions:
    """The entry's `retain_on_delete` (taken out of its inputs), else the stack's, else true."""
    keep = inputs.pop("retain_on_delete", retain)
    return pulumi.ResourceOptions(retain_on_delete=True if keep is None else keep)


declared: dict[str, dict[str, Any]] = {}
for section, kind in OBJECTS.items():
    declared[section] = {}
    for name, inputs in (data.get(section) or {}).items():
        parent = declared["conversations"].get(inputs.get("conversation_sid", ""))
        if parent is not None:  # a webhook naming its conversation by entry: one that is created here too
            inputs["conversation_sid"] = parent.sid
        declared[section][name] = kind(name, chat_service_sid=data["service"], opts=options(inputs), **inputs)
for section, (name, setting) in SETTINGS.items():
    if data.get(section):
        setting(name, chat_service_sid=data["service"], opts=options(data[section]), **data[section])
for name, inputs in (data.get("address_configurations") or {}).items():  # account-wide: no service SID
    AddressConfiguration(name, opts=options(inputs), **inputs)
pulumi.export("sids", {name: conversation.sid for name, conversation in declared["conversations"].items()})
