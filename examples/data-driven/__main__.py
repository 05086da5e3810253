"""Conversations declared by data: one `Conversation` per entry of conversations.yaml.

The file is what `pulumi-twilio-conversations adopt --service IS… --format yaml` writes (see README.md):

    service: IS…
    conversations:
      support:                  # the Pulumi resource name
        adopt: CH…              # any input of Conversation, as YAML values
        friendly_name: Support
        attributes: {team: support, tier: 1}

Entries without `adopt` are created. Unless `retainOnDelete` is set to false, removing an entry or running
`pulumi destroy` leaves the conversation in Twilio.
"""

from pathlib import Path

import pulumi
import yaml

from pulumi_twilio_conversations import Conversation

DATA = Path(__file__).with_name("conversations.yaml")

if not DATA.exists():
    raise pulumi.RunError(
        f"{DATA} is missing: write it with "
        "`pulumi-twilio-conversations adopt --service IS… --format yaml --output conversations.yaml`"
    )
data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
retain = pulumi.Config().get_bool("retainOnDelete")
options = pulumi.ResourceOptions(retain_on_delete=True if retain is None else retain)

conversations = {
    name: Conversation(name, chat_service_sid=data["service"], opts=options, **inputs)
    for name, inputs in (data.get("conversations") or {}).items()
}
pulumi.export("sids", {name: conversation.sid for name, conversation in conversations.items()})
