"""The two settings every Conversation Service has: its webhooks and its push notifications.

`…/Configuration/Webhooks` and `…/Configuration/Notifications` exist with the service; a resource
takes the setting over (create writes what is declared), and delete puts back Twilio's defaults, so
`pulumi destroy` leaves the service as a new one. Each default, and where it comes from:
- webhooks: no pre- or post-action URL and no filters (the spec's example of a service never
  configured), method POST (Twilio's documented default for Conversations webhooks). That example
  reports the method, like the filters, as `null`: read as the default, so a service never configured
  diffs, refreshes, adopts and destroys as one set to the defaults, and nothing is written for it;
- notifications: every `*.enabled` and `log_enabled` false ("The default is false" in the spec's
  field descriptions), no template and no sound.
An empty URL, template or list is how a value is cleared; the emulator does the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import ACCOUNT_FIELD, URL_FIELD, Field, ResourceSpec
from .table import ServiceSettingCore, Wire, named, removal_rules

_SERVICE = Wire("chat_service_sid", None, "string", "The Conversation Service (IS…) whose setting this is; also "
                "the id.", required=True, replaces=True)  # fmt: skip
_METHOD = Wire("method", "Method", "method", "GET or POST.", default="POST")
WEBHOOK_WIRES = (
    _SERVICE,
    Wire("pre_webhook_url", "PreWebhookUrl", "string", "Where pre-action events go (https, or http to loopback); "
         "its answer can block the action.", default=""),
    Wire("post_webhook_url", "PostWebhookUrl", "string", "Where post-action events go (https, or http to loopback).",
         default=""),
    Wire("filters", "Filters", "list", "The events sent (pre- and post-action names, e.g. onMessageAdded).",
         default=[]),
    _METHOD,
)  # fmt: skip


def _notification(event: str, words: str, *, sound: bool = True) -> tuple[Wire, ...]:
    path, parts = event, [part.lower() for part in _split(event)]
    name, reported = "_".join(parts), ".".join(parts)  # new_message_with_media, new_message.with_media
    wires = [
        Wire(f"{name}_enabled", f"{path}.Enabled", "boolean", f"Whether a push notification is sent {words}.",
             reported=f"{reported}.enabled", default=False),
        Wire(f"{name}_template", f"{path}.Template", "string", f"The text of the notification {words}.",
             reported=f"{reported}.template", default=""),
    ]  # fmt: skip
    if sound:
        wires.append(
            Wire(
                f"{name}_sound",
                f"{path}.Sound",
                "string",
                f"The sound of the notification {words}.",
                reported=f"{reported}.sound",
                default="",
            )
        )
    return tuple(wires)


def _split(path: str) -> list[str]:
    """`NewMessage.WithMedia` → new_message.with_media, as Twilio nests the answer."""
    import re

    return [re.sub(r"(?<!^)([A-Z])", r"_\1", part) for part in path.split(".")]


NOTIFICATION_WIRES = (
    _SERVICE,
    Wire("log_enabled", "LogEnabled", "boolean", "Whether notification logging is on.", default=False),
    *_notification("NewMessage", "for a new message"),
    Wire("new_message_badge_count_enabled", "NewMessage.BadgeCountEnabled", "boolean",
         "Whether a new message raises the app's badge count.", reported="new_message.badge_count_enabled",
         default=False),
    *_notification("NewMessage.WithMedia", "for a new message with media", sound=False),
    *_notification("AddedToConversation", "when a user is added to a conversation"),
    *_notification("RemovedFromConversation", "when a user is removed from a conversation"),
)  # fmt: skip


class ServiceWebhooksCore(ServiceSettingCore):
    """A service's webhook setting (`/v1/Services/{ChatServiceSid}/Configuration/Webhooks`)."""

    kind = "ServiceWebhookConfiguration"
    wires = WEBHOOK_WIRES
    rules = removal_rules(WEBHOOK_WIRES)
    model = "ServiceWebhookInputs"
    setting = "Webhooks"

    def view(self, outputs: Mapping[str, Any]) -> dict[str, Any]:
        seen = super().view(outputs)
        if seen.get("method") is None:  # Twilio's `null` for a service never configured: its default
            seen["method"] = _METHOD.default
        return seen


class ServiceNotificationsCore(ServiceSettingCore):
    """A service's push notification setting (`/v1/Services/{ChatServiceSid}/Configuration/Notifications`)."""

    kind = "ServiceNotifications"
    wires = NOTIFICATION_WIRES
    rules = removal_rules(NOTIFICATION_WIRES)
    model = "ServiceNotificationsInputs"
    setting = "Notifications"


def _spec(
    name: str, description: str, core: ServiceSettingCore, wires: tuple[Wire, ...], *extra: Field
) -> ResourceSpec:
    return ResourceSpec(
        name=name,
        description=f"{description} One per service: destroy puts Twilio's defaults back.",
        core=core,
        import_id="IS… (the service SID)",
        defaults=named,
        fields=(*(wire.field for wire in wires), ACCOUNT_FIELD, URL_FIELD, *extra),
    )


WEBHOOKS_SPEC = _spec(
    "ServiceWebhookConfiguration",
    "Where a Conversation Service sends its events (`…/Configuration/Webhooks`).",
    ServiceWebhooksCore(),
    WEBHOOK_WIRES,
)
NOTIFICATIONS_SPEC = _spec(
    "ServiceNotifications",
    "A Conversation Service's push notifications (`…/Configuration/Notifications`).",
    ServiceNotificationsCore(),
    NOTIFICATION_WIRES,
    Field("new_message", "json", "The new-message settings, as Twilio reports them.", input=False),
    Field("added_to_conversation", "json", "The added-to-conversation settings, as Twilio reports them.", input=False),
    Field(
        "removed_from_conversation",
        "json",
        "The removed-from-conversation settings, as Twilio reports them.",
        input=False,
    ),
)
