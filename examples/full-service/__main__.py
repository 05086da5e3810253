"""A whole Conversations setup in one program: the service and every piece of wiring around it.

- a Conversation Service and two roles in it (a participant's and a user's);
- the service's webhook: its post-action events to the backend, whose URL is stack config;
- its push notification templates;
- an SMS number whose inbound messages open a conversation in the service;
- a conversation with its own webhook (keyword triggers to the backend).

    pulumi config set backendUrl https://backend.example.com
    pulumi up
"""

import pulumi

from pulumi_twilio_conversations import (
    AddressConfiguration,
    Conversation,
    ConversationService,
    ConversationWebhook,
    Role,
    ServiceNotifications,
    ServiceWebhookConfiguration,
)

config = pulumi.Config()
backend = config.require("backendUrl").rstrip("/")

support = ConversationService("support", friendly_name="Support")

agent = Role(
    "agent",
    chat_service_sid=support.sid,
    friendly_name="agent",
    type="conversation",
    permissions=["sendMessage", "sendMediaMessage", "leaveConversation", "editOwnMessage", "deleteOwnMessage"],
)
supervisor = Role(
    "supervisor",
    chat_service_sid=support.sid,
    friendly_name="supervisor",
    type="service",
    permissions=["createConversation", "joinConversation", "editAnyUserInfo", "deleteConversation"],
)

ServiceWebhookConfiguration(
    "events",
    chat_service_sid=support.sid,
    post_webhook_url=f"{backend}/events",
    filters=["onConversationAdded", "onMessageAdded", "onParticipantAdded"],
    method="POST",
)

ServiceNotifications(
    "push",
    chat_service_sid=support.sid,
    new_message_enabled=True,
    new_message_template="${PARTICIPANT}: ${MESSAGE}",
    new_message_badge_count_enabled=True,
    added_to_conversation_enabled=True,
    added_to_conversation_template="You joined ${CONVERSATION}",
)

sms = AddressConfiguration(
    "sms",
    type="sms",
    address=config.get("smsNumber") or "+15550100000",
    friendly_name="Support SMS",
    auto_creation_enabled=True,
    auto_creation_type="default",
    auto_creation_conversation_service_sid=support.sid,
)

escalations = Conversation(
    "escalations",
    chat_service_sid=support.sid,
    friendly_name="Escalations",
    unique_name="escalations",
)
ConversationWebhook(
    "escalations-keywords",
    chat_service_sid=support.sid,
    conversation_sid=escalations.sid,
    target="trigger",
    configuration_url=f"{backend}/escalations",
    configuration_method="POST",
    configuration_triggers=["urgent", "refund"],
)

pulumi.export("service_sid", support.sid)
pulumi.export("role_sids", {"agent": agent.sid, "supervisor": supervisor.sid})
pulumi.export("sms_address_configuration_sid", sms.sid)
pulumi.export("escalations_sid", escalations.sid)
