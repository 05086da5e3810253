"""The ConversationService resource, its typed args, and its dynamic provider (a door to `resources.service`).

Annotations are evaluated, as in conversation.py (why: its docstring).
"""

import pulumi
import pulumi.dynamic
from typing_extensions import Required, TypedDict, Unpack

from .inputs import SERVICE_INPUT_NAMES
from .provider import TwilioProvider, resource_props
from .resources.service import CONFIG_FIELDS, SERVICE_FIELDS, ServiceCore


class ConversationServiceProvider(TwilioProvider):
    """The dynamic provider of `ConversationService`: the engine's calls, answered by `ServiceCore`."""

    core = ServiceCore()


class ConversationServiceArgs(TypedDict, total=False):
    """The inputs of a `ConversationService` (each a `pulumi.Input`)."""

    friendly_name: Required[pulumi.Input[str]]
    """Its name, at most 256 characters. Twilio cannot rename a service: a change replaces it."""
    reachability_enabled: pulumi.Input[bool]
    """Whether the Reachability Indicator is on (configuration; updated in place)."""
    default_conversation_creator_role_sid: pulumi.Input[str]
    """Role (RL…) given to a conversation's creator (configuration; updated in place)."""
    default_conversation_role_sid: pulumi.Input[str]
    """Role (RL…) given to users added to a conversation (configuration; updated in place)."""
    default_chat_service_role_sid: pulumi.Input[str]
    """Service-level role (RL…) given to users (configuration; updated in place)."""
    force_destroy: pulumi.Input[bool]
    """Allow `pulumi destroy` to delete the service while it still holds conversations (default False)."""
    adopt: pulumi.Input[str]
    """An existing service SID (IS…) to take over on create instead of creating one."""


class ConversationService(pulumi.dynamic.Resource, module="twilio", name="ConversationService"):
    """A Twilio Conversation Service (`pulumi-python:dynamic/twilio:ConversationService`).

    Consider `pulumi.ResourceOptions(protect=True)` for a service that carries real traffic: a rename
    replaces it, and replacing a service deletes its conversations.
    """

    sid: pulumi.Output[str]
    """The service SID (IS…); also the resource id."""
    account_sid: pulumi.Output[str]
    """The account (AC…) that owns it."""
    friendly_name: pulumi.Output[str]
    """Its name."""
    date_created: pulumi.Output[str]
    """When it was created (ISO 8601)."""
    date_updated: pulumi.Output[str]
    """When it was last updated (ISO 8601)."""
    url: pulumi.Output[str]
    """Its absolute API URL."""
    reachability_enabled: pulumi.Output[bool]
    """Whether the Reachability Indicator is on, as Twilio reports it."""
    default_conversation_creator_role_sid: pulumi.Output[str]
    """Role given to a conversation's creator, as Twilio reports it."""
    default_conversation_role_sid: pulumi.Output[str]
    """Role given to users added to a conversation, as Twilio reports it."""
    default_chat_service_role_sid: pulumi.Output[str]
    """Service-level role given to users, as Twilio reports it."""
    force_destroy: pulumi.Output[bool]
    """Whether destroy may delete it while it holds conversations."""
    adopt: pulumi.Output[str]
    """The adopted service, when this resource took one over."""

    def __init__(
        self,
        resource_name: str,
        args: ConversationServiceArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[ConversationServiceArgs],
    ) -> None:
        """Declare a service: `ConversationService("support", friendly_name="Support")`."""
        props = resource_props(
            "ConversationService",
            resource_name,
            args,
            kwargs,
            opts,
            "friendly_name",
            (*SERVICE_INPUT_NAMES, *SERVICE_FIELDS, *CONFIG_FIELDS),
        )
        super().__init__(ConversationServiceProvider(), resource_name, props, opts)
