"""The Participant resource (a fixed member of a conversation), its typed args, its dynamic provider.

What it does is `resources.participant`'s. Free of side effects at import (the provider is pickled by reference).
"""

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi.dynamic
from typing_extensions import Required, TypedDict, Unpack

from .provider import TwilioProvider, declare
from .resources import participant


class ParticipantProvider(TwilioProvider):
    """The dynamic provider of `Participant`: the engine's calls, answered by `ParticipantCore`."""

    core = participant.SPEC.core


class ParticipantArgs(TypedDict, total=False):
    """The inputs of a `Participant` (each a `pulumi.Input`); see docs/reference.md."""

    chat_service_sid: Required[pulumi.Input[str]]
    """The Conversation Service (IS…) of the conversation; a change replaces it."""
    conversation_sid: Required[pulumi.Input[str]]
    """The conversation (CH…) the participant is in; a change replaces it."""
    identity: pulumi.Input[str]
    """A chat participant's identity (a User's); a change replaces it."""
    messaging_binding_address: pulumi.Input[str]
    """An SMS or WhatsApp participant's address; a change replaces it."""
    messaging_binding_proxy_address: pulumi.Input[str]
    """The Twilio number that participant talks to; a change replaces it."""
    messaging_binding_projected_address: pulumi.Input[str]
    """For a chat participant of a Group MMS: the Twilio number shown for it; a change replaces it."""
    attributes: pulumi.Input[Mapping[str, Any] | str]
    """Metadata as a dict or a JSON string, at most 16 KB; compared as JSON."""
    role_sid: pulumi.Input[str]
    """The conversation-level role (RL…) of the participant (a Role's sid)."""
    adopt: pulumi.Input[str]
    """An existing participant SID (MB…) to take over on create instead of creating one; ignored afterwards."""


class Participant(pulumi.dynamic.Resource, module="twilio", name="Participant"):
    """A fixed participant of a conversation (`…/Conversations/{ConversationSid}/Participants`).

    Type token `pulumi-python:dynamic/twilio:Participant`.
    """

    chat_service_sid: pulumi.Output[str]
    """The Conversation Service (IS…) of the conversation."""
    conversation_sid: pulumi.Output[str]
    """The conversation (CH…) the participant is in."""
    identity: pulumi.Output[str]
    """Its identity (chat participants)."""
    messaging_binding_address: pulumi.Output[str]
    """Its address (SMS and WhatsApp participants)."""
    messaging_binding_proxy_address: pulumi.Output[str]
    """The Twilio number it talks to."""
    messaging_binding_projected_address: pulumi.Output[str]
    """Its projected address in a Group MMS."""
    attributes: pulumi.Output[str]
    """Its attributes as the JSON string Twilio returns ("{}" when unset)."""
    role_sid: pulumi.Output[str]
    """Its conversation-level role (RL…)."""
    adopt: pulumi.Output[str]
    """The adopted participant, when this resource took one over."""
    sid: pulumi.Output[str]
    """The participant SID (MB…); also the resource id."""
    account_sid: pulumi.Output[str]
    """The account (AC…) that owns it."""
    url: pulumi.Output[str]
    """Its absolute API URL."""
    messaging_binding: pulumi.Output[Mapping[str, Any]]
    """Its messaging binding, as Twilio reports it (null for chat)."""
    last_read_message_index: pulumi.Output[float]
    """The index of the last message it read."""
    last_read_timestamp: pulumi.Output[str]
    """When it last read a message."""
    date_created: pulumi.Output[str]
    """When it was created (ISO 8601)."""
    date_updated: pulumi.Output[str]
    """When it was last updated (ISO 8601)."""

    def __init__(
        self,
        resource_name: str,
        args: ParticipantArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[ParticipantArgs],
    ) -> None:
        props = declare(participant.SPEC, resource_name, args, kwargs, opts)
        super().__init__(ParticipantProvider(), resource_name, props, opts)
