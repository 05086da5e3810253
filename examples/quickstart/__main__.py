"""Quickstart: a Conversation Service and one conversation in it.

Run from the repository root (its Pulumi.yaml points here):

    pulumi stack init dev
    pulumi config set twilio:accountSid AC0123456789abcdef0123456789abcdef
    pulumi config set --secret twilio:authToken
    pulumi preview --diff
    pulumi up

`make demo` runs the same commands against the local emulator.
"""

import pulumi

from pulumi_twilio_conversations import Conversation, ConversationService

config = pulumi.Config()

support = ConversationService(
    "support",
    friendly_name=config.get("serviceName") or "Support",
    reachability_enabled=True,
)

triage = Conversation(
    "triage",
    chat_service_sid=support.sid,
    friendly_name=config.get("conversationName") or "Triage",
    unique_name="triage",
    attributes={"team": "support", "tier": 1},
    timers_inactive="PT1H",
    timers_closed="P7D",
)

pulumi.export("service_sid", support.sid)
pulumi.export("conversation_sid", triage.sid)
pulumi.export("conversation_state", triage.state)
