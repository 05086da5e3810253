"""The wiring around conversations, for Python programs: each resource, its typed args, its dynamic provider.

`ServiceWebhookConfiguration` and `ServiceNotifications` (a service's settings), `Role`,
`AddressConfiguration` and `ConversationWebhook`. What each does is its core's (`resources/`); these
classes only declare. This module must stay free of side effects at import: the provider process
imports it to unpickle the providers (pickled by reference).

Annotations are evaluated, as in conversation.py (why: its docstring).
"""

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi.dynamic
from typing_extensions import Required, TypedDict, Unpack

from .provider import TwilioProvider, declare
from .resources import address_configuration, conversation_webhook, role, service_settings


class ServiceWebhookConfigurationProvider(TwilioProvider):
    """The dynamic provider of `ServiceWebhookConfiguration`: the engine's calls, answered by `ServiceWebhooksCore`."""

    core = service_settings.WEBHOOKS_SPEC.core


class ServiceWebhookConfigurationArgs(TypedDict, total=False):
    """The inputs of a `ServiceWebhookConfiguration` (each a `pulumi.Input`); see docs/reference.md."""

    chat_service_sid: Required[pulumi.Input[str]]
    """The Conversation Service (IS…) whose setting this is; also the id."""
    pre_webhook_url: pulumi.Input[str]
    """Where pre-action events go (https, or http to loopback); its answer can block the action."""
    post_webhook_url: pulumi.Input[str]
    """Where post-action events go (https, or http to loopback)."""
    filters: pulumi.Input[Sequence[str]]
    """The events sent (pre- and post-action names, e.g. onMessageAdded)."""
    method: pulumi.Input[str]
    """GET or POST."""


class ServiceWebhookConfiguration(pulumi.dynamic.Resource, module="twilio", name="ServiceWebhookConfiguration"):
    """Where a Conversation Service sends its events (`…/Configuration/Webhooks`).

    One per service: destroy puts Twilio's defaults back.

    Type token `pulumi-python:dynamic/twilio:ServiceWebhookConfiguration`.
    """

    chat_service_sid: pulumi.Output[str]
    """The Conversation Service (IS…) whose setting this is; also the id."""
    pre_webhook_url: pulumi.Output[str]
    """Where pre-action events go (https, or http to loopback); its answer can block the action."""
    post_webhook_url: pulumi.Output[str]
    """Where post-action events go (https, or http to loopback)."""
    filters: pulumi.Output[Sequence[str]]
    """The events sent (pre- and post-action names, e.g. onMessageAdded)."""
    method: pulumi.Output[str]
    """GET or POST."""
    account_sid: pulumi.Output[str]
    """The account (AC…) that owns it."""
    url: pulumi.Output[str]
    """Its absolute API URL."""

    def __init__(
        self,
        resource_name: str,
        args: ServiceWebhookConfigurationArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[ServiceWebhookConfigurationArgs],
    ) -> None:
        props = declare(service_settings.WEBHOOKS_SPEC, resource_name, args, kwargs, opts)
        super().__init__(ServiceWebhookConfigurationProvider(), resource_name, props, opts)


class ServiceNotificationsProvider(TwilioProvider):
    """The dynamic provider of `ServiceNotifications`: the engine's calls, answered by `ServiceNotificationsCore`."""

    core = service_settings.NOTIFICATIONS_SPEC.core


class ServiceNotificationsArgs(TypedDict, total=False):
    """The inputs of a `ServiceNotifications` (each a `pulumi.Input`); see docs/reference.md."""

    chat_service_sid: Required[pulumi.Input[str]]
    """The Conversation Service (IS…) whose setting this is; also the id."""
    log_enabled: pulumi.Input[bool]
    """Whether notification logging is on."""
    new_message_enabled: pulumi.Input[bool]
    """Whether a push notification is sent for a new message."""
    new_message_template: pulumi.Input[str]
    """The text of the notification for a new message."""
    new_message_sound: pulumi.Input[str]
    """The sound of the notification for a new message."""
    new_message_badge_count_enabled: pulumi.Input[bool]
    """Whether a new message raises the app's badge count."""
    new_message_with_media_enabled: pulumi.Input[bool]
    """Whether a push notification is sent for a new message with media."""
    new_message_with_media_template: pulumi.Input[str]
    """The text of the notification for a new message with media."""
    added_to_conversation_enabled: pulumi.Input[bool]
    """Whether a push notification is sent when a user is added to a conversation."""
    added_to_conversation_template: pulumi.Input[str]
    """The text of the notification when a user is added to a conversation."""
    added_to_conversation_sound: pulumi.Input[str]
    """The sound of the notification when a user is added to a conversation."""
    removed_from_conversation_enabled: pulumi.Input[bool]
    """Whether a push notification is sent when a user is removed from a conversation."""
    removed_from_conversation_template: pulumi.Input[str]
    """The text of the notification when a user is removed from a conversation."""
    removed_from_conversation_sound: pulumi.Input[str]
    """The sound of the notification when a user is removed from a conversation."""


class ServiceNotifications(pulumi.dynamic.Resource, module="twilio", name="ServiceNotifications"):
    """A Conversation Service's push notifications (`…/Configuration/Notifications`).

    One per service: destroy puts Twilio's defaults back.

    Type token `pulumi-python:dynamic/twilio:ServiceNotifications`.
    """

    chat_service_sid: pulumi.Output[str]
    """The Conversation Service (IS…) whose setting this is; also the id."""
    log_enabled: pulumi.Output[bool]
    """Whether notification logging is on."""
    new_message_enabled: pulumi.Output[bool]
    """Whether a push notification is sent for a new message."""
    new_message_template: pulumi.Output[str]
    """The text of the notification for a new message."""
    new_message_sound: pulumi.Output[str]
    """The sound of the notification for a new message."""
    new_message_badge_count_enabled: pulumi.Output[bool]
    """Whether a new message raises the app's badge count."""
    new_message_with_media_enabled: pulumi.Output[bool]
    """Whether a push notification is sent for a new message with media."""
    new_message_with_media_template: pulumi.Output[str]
    """The text of the notification for a new message with media."""
    added_to_conversation_enabled: pulumi.Output[bool]
    """Whether a push notification is sent when a user is added to a conversation."""
    added_to_conversation_template: pulumi.Output[str]
    """The text of the notification when a user is added to a conversation."""
    added_to_conversation_sound: pulumi.Output[str]
    """The sound of the notification when a user is added to a conversation."""
    removed_from_conversation_enabled: pulumi.Output[bool]
    """Whether a push notification is sent when a user is removed from a conversation."""
    removed_from_conversation_template: pulumi.Output[str]
    """The text of the notification when a user is removed from a conversation."""
    removed_from_conversation_sound: pulumi.Output[str]
    """The sound of the notification when a user is removed from a conversation."""
    account_sid: pulumi.Output[str]
    """The account (AC…) that owns it."""
    url: pulumi.Output[str]
    """Its absolute API URL."""
    new_message: pulumi.Output[Mapping[str, Any]]
    """The new-message settings, as Twilio reports them."""
    added_to_conversation: pulumi.Output[Mapping[str, Any]]
    """The added-to-conversation settings, as Twilio reports them."""
    removed_from_conversation: pulumi.Output[Mapping[str, Any]]
    """The removed-from-conversation settings, as Twilio reports them."""

    def __init__(
        self,
        resource_name: str,
        args: ServiceNotificationsArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[ServiceNotificationsArgs],
    ) -> None:
        props = declare(service_settings.NOTIFICATIONS_SPEC, resource_name, args, kwargs, opts)
        super().__init__(ServiceNotificationsProvider(), resource_name, props, opts)


class RoleProvider(TwilioProvider):
    """The dynamic provider of `Role`: the engine's calls, answered by `RoleCore`."""

    core = role.SPEC.core


class RoleArgs(TypedDict, total=False):
    """The inputs of a `Role` (each a `pulumi.Input`); see docs/reference.md."""

    chat_service_sid: Required[pulumi.Input[str]]
    """The Conversation Service (IS…) of the role."""
    friendly_name: Required[pulumi.Input[str]]
    """Its name, unique in the service, at most 64 characters."""
    type: Required[pulumi.Input[str]]
    """conversation (a participant's role) or service (a user's role)."""
    permissions: Required[pulumi.Input[Sequence[str]]]
    """What it allows (Twilio's permission names); updated in place."""
    adopt: pulumi.Input[str]
    """An existing role SID (RL…) to take over on create instead of creating one; ignored afterwards."""


class Role(pulumi.dynamic.Resource, module="twilio", name="Role"):
    """A role of a Conversation Service: a named set of permissions (`/v1/Services/{ChatServiceSid}/Roles`).

    Type token `pulumi-python:dynamic/twilio:Role`.
    """

    chat_service_sid: pulumi.Output[str]
    """The Conversation Service (IS…) of the role."""
    friendly_name: pulumi.Output[str]
    """Its name, unique in the service, at most 64 characters."""
    type: pulumi.Output[str]
    """conversation (a participant's role) or service (a user's role)."""
    permissions: pulumi.Output[Sequence[str]]
    """What it allows (Twilio's permission names); updated in place."""
    adopt: pulumi.Output[str]
    """An existing role SID (RL…) to take over on create instead of creating one; ignored afterwards."""
    sid: pulumi.Output[str]
    """The SID; also the resource id."""
    account_sid: pulumi.Output[str]
    """The account (AC…) that owns it."""
    url: pulumi.Output[str]
    """Its absolute API URL."""
    date_created: pulumi.Output[str]
    """When it was created (ISO 8601)."""
    date_updated: pulumi.Output[str]
    """When it was last updated (ISO 8601)."""

    def __init__(
        self,
        resource_name: str,
        args: RoleArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[RoleArgs],
    ) -> None:
        props = declare(role.SPEC, resource_name, args, kwargs, opts)
        super().__init__(RoleProvider(), resource_name, props, opts)


class AddressConfigurationProvider(TwilioProvider):
    """The dynamic provider of `AddressConfiguration`: the engine's calls, answered by `AddressConfigurationCore`."""

    core = address_configuration.SPEC.core


class AddressConfigurationArgs(TypedDict, total=False):
    """The inputs of a `AddressConfiguration` (each a `pulumi.Input`); see docs/reference.md."""

    type: Required[pulumi.Input[str]]
    """sms, whatsapp, messenger, gbm, email, rcs, apple or chat."""
    address: Required[pulumi.Input[str]]
    """The address (e.g. an E.164 number) the configuration is for."""
    friendly_name: pulumi.Input[str]
    """A name for it, at most 256 characters."""
    auto_creation_enabled: pulumi.Input[bool]
    """Whether a message to the address opens a conversation."""
    auto_creation_type: pulumi.Input[str]
    """webhook, studio or default: what the new conversation is wired to."""
    auto_creation_conversation_service_sid: pulumi.Input[str]
    """The Conversation Service (IS…) the conversation is opened in (Twilio's default service if unset)."""
    auto_creation_webhook_url: pulumi.Input[str]
    """For type webhook: where the conversation's events go (https, or http to loopback)."""
    auto_creation_webhook_method: pulumi.Input[str]
    """For type webhook: GET or POST."""
    auto_creation_webhook_filters: pulumi.Input[Sequence[str]]
    """For type webhook: the post-action events sent."""
    auto_creation_studio_flow_sid: pulumi.Input[str]
    """For type studio: the Studio flow (FW…)."""
    auto_creation_studio_retry_count: pulumi.Input[float]
    """For type studio: how many times the flow's webhook is retried."""
    address_country: pulumi.Input[str]
    """The address's ISO country code; a change replaces it."""
    adopt: pulumi.Input[str]
    """An address configuration SID (IG…) to take over on create instead of creating one; ignored afterwards."""


class AddressConfiguration(pulumi.dynamic.Resource, module="twilio", name="AddressConfiguration"):
    """What Twilio does with a message to one of the account's addresses (`/v1/Configuration/Addresses`).

    Type token `pulumi-python:dynamic/twilio:AddressConfiguration`.
    """

    type: pulumi.Output[str]
    """sms, whatsapp, messenger, gbm, email, rcs, apple or chat."""
    address: pulumi.Output[str]
    """The address (e.g. an E.164 number) the configuration is for."""
    friendly_name: pulumi.Output[str]
    """A name for it, at most 256 characters."""
    auto_creation_enabled: pulumi.Output[bool]
    """Whether a message to the address opens a conversation."""
    auto_creation_type: pulumi.Output[str]
    """webhook, studio or default: what the new conversation is wired to."""
    auto_creation_conversation_service_sid: pulumi.Output[str]
    """The Conversation Service (IS…) the conversation is opened in (Twilio's default service if unset)."""
    auto_creation_webhook_url: pulumi.Output[str]
    """For type webhook: where the conversation's events go (https, or http to loopback)."""
    auto_creation_webhook_method: pulumi.Output[str]
    """For type webhook: GET or POST."""
    auto_creation_webhook_filters: pulumi.Output[Sequence[str]]
    """For type webhook: the post-action events sent."""
    auto_creation_studio_flow_sid: pulumi.Output[str]
    """For type studio: the Studio flow (FW…)."""
    auto_creation_studio_retry_count: pulumi.Output[float]
    """For type studio: how many times the flow's webhook is retried."""
    address_country: pulumi.Output[str]
    """The address's ISO country code; a change replaces it."""
    adopt: pulumi.Output[str]
    """An address configuration SID (IG…) to take over on create instead of creating one; ignored afterwards."""
    sid: pulumi.Output[str]
    """The SID; also the resource id."""
    account_sid: pulumi.Output[str]
    """The account (AC…) that owns it."""
    url: pulumi.Output[str]
    """Its absolute API URL."""
    auto_creation: pulumi.Output[Mapping[str, Any]]
    """Its auto-creation settings, as Twilio reports them."""
    date_created: pulumi.Output[str]
    """When it was created (ISO 8601)."""
    date_updated: pulumi.Output[str]
    """When it was last updated (ISO 8601)."""

    def __init__(
        self,
        resource_name: str,
        args: AddressConfigurationArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[AddressConfigurationArgs],
    ) -> None:
        props = declare(address_configuration.SPEC, resource_name, args, kwargs, opts)
        super().__init__(AddressConfigurationProvider(), resource_name, props, opts)


class ConversationWebhookProvider(TwilioProvider):
    """The dynamic provider of `ConversationWebhook`: the engine's calls, answered by `ConversationWebhookCore`."""

    core = conversation_webhook.SPEC.core


class ConversationWebhookArgs(TypedDict, total=False):
    """The inputs of a `ConversationWebhook` (each a `pulumi.Input`); see docs/reference.md."""

    chat_service_sid: Required[pulumi.Input[str]]
    """The Conversation Service (IS…) of the conversation."""
    conversation_sid: Required[pulumi.Input[str]]
    """The conversation (CH…) the webhook belongs to."""
    target: Required[pulumi.Input[str]]
    """webhook, trigger or studio."""
    configuration_url: pulumi.Input[str]
    """For webhook and trigger: where events go (https, or http to loopback)."""
    configuration_method: pulumi.Input[str]
    """For webhook and trigger: GET or POST."""
    configuration_filters: pulumi.Input[Sequence[str]]
    """For webhook: the post-action events sent."""
    configuration_triggers: pulumi.Input[Sequence[str]]
    """For trigger: the keywords that fire it."""
    configuration_flow_sid: pulumi.Input[str]
    """For studio: the Studio flow (FW…)."""
    configuration_replay_after: pulumi.Input[float]
    """For studio: replay the messages after this index to the flow; set on create only."""
    adopt: pulumi.Input[str]
    """An existing webhook SID (WH…) to take over on create instead of creating one; ignored afterwards."""


class ConversationWebhook(pulumi.dynamic.Resource, module="twilio", name="ConversationWebhook"):
    """A conversation's own webhook (`…/Conversations/{ConversationSid}/Webhooks`).

    Type token `pulumi-python:dynamic/twilio:ConversationWebhook`.
    """

    chat_service_sid: pulumi.Output[str]
    """The Conversation Service (IS…) of the conversation."""
    conversation_sid: pulumi.Output[str]
    """The conversation (CH…) the webhook belongs to."""
    target: pulumi.Output[str]
    """webhook, trigger or studio."""
    configuration_url: pulumi.Output[str]
    """For webhook and trigger: where events go (https, or http to loopback)."""
    configuration_method: pulumi.Output[str]
    """For webhook and trigger: GET or POST."""
    configuration_filters: pulumi.Output[Sequence[str]]
    """For webhook: the post-action events sent."""
    configuration_triggers: pulumi.Output[Sequence[str]]
    """For trigger: the keywords that fire it."""
    configuration_flow_sid: pulumi.Output[str]
    """For studio: the Studio flow (FW…)."""
    configuration_replay_after: pulumi.Output[float]
    """For studio: replay the messages after this index to the flow; set on create only."""
    adopt: pulumi.Output[str]
    """An existing webhook SID (WH…) to take over on create instead of creating one; ignored afterwards."""
    sid: pulumi.Output[str]
    """The SID; also the resource id."""
    account_sid: pulumi.Output[str]
    """The account (AC…) that owns it."""
    url: pulumi.Output[str]
    """Its absolute API URL."""
    configuration: pulumi.Output[Mapping[str, Any]]
    """Its configuration, as Twilio reports it."""
    date_created: pulumi.Output[str]
    """When it was created (ISO 8601)."""
    date_updated: pulumi.Output[str]
    """When it was last updated (ISO 8601)."""

    def __init__(
        self,
        resource_name: str,
        args: ConversationWebhookArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[ConversationWebhookArgs],
    ) -> None:
        props = declare(conversation_webhook.SPEC, resource_name, args, kwargs, opts)
        super().__init__(ConversationWebhookProvider(), resource_name, props, opts)
