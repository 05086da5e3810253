"""The User resource (a chat user of a Conversation Service), its typed args, its dynamic provider.

What it does is `resources.user`'s. Free of side effects at import (the provider is pickled by reference).
"""

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi.dynamic
from typing_extensions import Required, TypedDict, Unpack

from .provider import TwilioProvider, declare
from .resources import user


class UserProvider(TwilioProvider):
    """The dynamic provider of `User`: the engine's calls, answered by `UserCore`."""

    core = user.SPEC.core


class UserArgs(TypedDict, total=False):
    """The inputs of a `User` (each a `pulumi.Input`); see docs/reference.md."""

    chat_service_sid: Required[pulumi.Input[str]]
    """The Conversation Service (IS…) of the user; a change replaces it."""
    identity: Required[pulumi.Input[str]]
    """The identity the user signs in with, unique in the service; a change replaces the user."""
    friendly_name: pulumi.Input[str]
    """A name to show."""
    attributes: pulumi.Input[Mapping[str, Any] | str]
    """Metadata as a dict or a JSON string, at most 16 KB; compared as JSON."""
    role_sid: pulumi.Input[str]
    """The service-level role (RL…) of the user (a Role's sid)."""
    adopt: pulumi.Input[str]
    """An existing user SID (US…) to take over on create instead of creating one; ignored afterwards."""


class User(pulumi.dynamic.Resource, module="twilio", name="User"):
    """A chat user of a Conversation Service (`/v1/Services/{ChatServiceSid}/Users`).

    Type token `pulumi-python:dynamic/twilio:User`.
    """

    chat_service_sid: pulumi.Output[str]
    """The Conversation Service (IS…) of the user."""
    identity: pulumi.Output[str]
    """Its identity."""
    friendly_name: pulumi.Output[str]
    """Its name, as Twilio reports it."""
    attributes: pulumi.Output[str]
    """Its attributes as the JSON string Twilio returns ("{}" when unset)."""
    role_sid: pulumi.Output[str]
    """Its service-level role (RL…)."""
    adopt: pulumi.Output[str]
    """The adopted user, when this resource took one over."""
    sid: pulumi.Output[str]
    """The user SID (US…); also the resource id."""
    account_sid: pulumi.Output[str]
    """The account (AC…) that owns it."""
    url: pulumi.Output[str]
    """Its absolute API URL."""
    is_online: pulumi.Output[bool]
    """Whether the user is connected (with the Reachability Indicator on)."""
    is_notifiable: pulumi.Output[bool]
    """Whether the user has a push registration."""
    links: pulumi.Output[Mapping[str, str]]
    """The URL of the user's conversations."""
    date_created: pulumi.Output[str]
    """When it was created (ISO 8601)."""
    date_updated: pulumi.Output[str]
    """When it was last updated (ISO 8601)."""

    def __init__(
        self,
        resource_name: str,
        args: UserArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[UserArgs],
    ) -> None:
        props = declare(user.SPEC, resource_name, args, kwargs, opts)
        super().__init__(UserProvider(), resource_name, props, opts)
