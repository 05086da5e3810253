"""The Conversation resource, its typed args, and its dynamic provider (a door to `resources.conversation`).

This module must stay free of side effects at import: the provider process imports it to
unpickle `ConversationProvider` (pickled by reference, so that name must keep importing from here).

Annotations here are evaluated, not strings (no `from __future__ import annotations`): the SDK
resolves a resource class's type hints again for every resource it registers, 0.13 ms a
Conversation when they are evaluated against 0.57 ms when every one is a string to compile.
"""

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi.dynamic
from typing_extensions import TypedDict, Unpack

from .inputs import attributes_text
from .provider import TwilioProvider, resource_props
from .resources.conversation import PROPERTY_NAMES, ConversationCore, absolute_links, program_inputs


class ConversationProvider(TwilioProvider):
    """The dynamic provider of `Conversation`: the engine's calls, answered by `ConversationCore`."""

    core = ConversationCore()


class ConversationArgs(TypedDict, total=False):
    """The inputs of a `Conversation` (each a `pulumi.Input`); see docs/reference.md for every rule."""

    chat_service_sid: pulumi.Input[str]
    """The Conversation Service (IS…) the conversation belongs to; left out, the account's default service
    (Twilio's `/v1/Conversations`). A change replaces the conversation."""
    friendly_name: pulumi.Input[str]
    """A human-readable name, at most 256 characters (FriendlyName)."""
    unique_name: pulumi.Input[str]
    """An application-defined name, unique in the service (UniqueName).

    Defaults to `<resource name>-<8 hex>`, stable for the project, stack and resource name."""
    attributes: pulumi.Input[Mapping[str, Any] | str]
    """Metadata as a dict or a JSON string, at most 16 KB (Attributes); compared as JSON."""
    state: pulumi.Input[str]
    """inactive, active or closed (State); a new conversation cannot start closed."""
    timers_inactive: pulumi.Input[str]
    """ISO 8601 duration, at least PT1M, after which Twilio makes it inactive (Timers.Inactive)."""
    timers_closed: pulumi.Input[str]
    """ISO 8601 duration, at least PT10M, after which Twilio closes it (Timers.Closed)."""
    date_created: pulumi.Input[str]
    """ISO 8601 timestamp to record as its creation date (DateCreated)."""
    date_updated: pulumi.Input[str]
    """ISO 8601 timestamp to record as its update date (DateUpdated)."""
    messaging_service_sid: pulumi.Input[str]
    """The Messaging Service (MG…) it uses (MessagingServiceSid)."""
    bindings_email_address: pulumi.Input[str]
    """Default address for outbound email (Bindings.Email.Address)."""
    bindings_email_name: pulumi.Input[str]
    """Default sender name for outbound email (Bindings.Email.Name)."""
    webhook_enabled: pulumi.Input[bool]
    """Sent as X-Twilio-Webhook-Enabled on create, update and delete; not a stored field."""
    adopt: pulumi.Input[str]
    """A conversation SID (CH…) or unique name to take over on create instead of creating one."""


class Conversation(pulumi.dynamic.Resource, module="twilio", name="Conversation"):
    """A Twilio conversation in a Conversation Service (`pulumi-python:dynamic/twilio:Conversation`)."""

    sid: pulumi.Output[str]
    """The conversation SID (CH…); also the resource id."""
    account_sid: pulumi.Output[str]
    """The account (AC…) that owns it."""
    chat_service_sid: pulumi.Output[str]
    """The Conversation Service (IS…) it belongs to."""
    messaging_service_sid: pulumi.Output[str]
    """The Messaging Service (MG…) it uses."""
    friendly_name: pulumi.Output[str]
    """Its human-readable name, as Twilio reports it."""
    unique_name: pulumi.Output[str]
    """Its unique name in the service."""
    attributes: pulumi.Output[str]
    """Its attributes as the JSON string Twilio returns ("{}" when unset)."""
    state: pulumi.Output[str]
    """initializing, inactive, active or closed, as Twilio last reported it."""
    date_created: pulumi.Output[str]
    """When it was created (ISO 8601)."""
    date_updated: pulumi.Output[str]
    """When it was last updated (ISO 8601)."""
    timers: pulumi.Output[Mapping[str, str]]
    """When it will become inactive or closed: {date_inactive, date_closed}, or {}."""
    bindings: pulumi.Output[Mapping[str, Any]]
    """Its bindings (e.g. the default email address and name), as Twilio reports them."""
    url: pulumi.Output[str]
    """Its absolute API URL."""
    timers_inactive: pulumi.Output[str]
    """The declared Timers.Inactive duration."""
    timers_closed: pulumi.Output[str]
    """The declared Timers.Closed duration."""
    bindings_email_address: pulumi.Output[str]
    """The declared default email address."""
    bindings_email_name: pulumi.Output[str]
    """The declared default email name."""
    webhook_enabled: pulumi.Output[bool]
    """The declared X-Twilio-Webhook-Enabled value."""
    adopt: pulumi.Output[str]
    """The adopted conversation, when this resource took one over."""

    def __init__(
        self,
        resource_name: str,
        args: ConversationArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[ConversationArgs],
    ) -> None:
        """Declare a conversation: `Conversation("support", chat_service_sid=..., friendly_name=...)`.

        Inputs come as keyword arguments or as a `ConversationArgs` (keywords win).
        """
        props = resource_props("Conversation", resource_name, args, kwargs, opts, None, PROPERTY_NAMES)
        if props.get("attributes") is not None:
            # As JSON text from the start, the input has the type of the output Twilio returns.
            props["attributes"] = pulumi.Output.from_input(props["attributes"]).apply(attributes_text)
        props = program_inputs(pulumi.get_project(), pulumi.get_stack(), resource_name, props)
        super().__init__(ConversationProvider(), resource_name, props, opts)

    @property
    def links(self) -> pulumi.Output[Mapping[str, str]]:
        """URLs of its participants, messages and webhooks, as Twilio returns them.

        State keeps them relative to `url` (see `_outputs`); the SDK puts the stored form in `__dict__`.
        """
        stored: pulumi.Output[Mapping[str, str]] = self.__dict__["links"]
        return pulumi.Output.all(self.url, stored).apply(lambda pair: pair[1] and absolute_links(pair[0], pair[1]))
