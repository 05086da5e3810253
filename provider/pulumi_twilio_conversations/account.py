"""The account's two singletons for Python programs: `AccountConfiguration` and `AccountWebhookConfiguration`.

What each does is its core's (`resources.account_settings`): create takes the setting over and records
what was there, destroy puts that back. Free of side effects at import (pickled by reference).
"""

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi.dynamic
from typing_extensions import TypedDict, Unpack

from .provider import TwilioProvider, declare
from .resources import account_settings


class AccountConfigurationProvider(TwilioProvider):
    """The dynamic provider of `AccountConfiguration`: the engine's calls, answered by `AccountConfigurationCore`."""

    core = account_settings.CONFIGURATION_SPEC.core


class AccountConfigurationArgs(TypedDict, total=False):
    """The inputs of an `AccountConfiguration` (each a `pulumi.Input`); see docs/reference.md."""

    default_chat_service_sid: pulumi.Input[str]
    """The Conversation Service (IS…) that conversations made without one (`/v1/Conversations`) go to."""
    default_messaging_service_sid: pulumi.Input[str]
    """The Messaging Service (MG…) such conversations use."""
    default_inactive_timer: pulumi.Input[str]
    """ISO 8601 duration, at least PT1M, after which such a conversation becomes inactive."""
    default_closed_timer: pulumi.Input[str]
    """ISO 8601 duration, at least PT10M, after which such a conversation is closed."""


class AccountConfiguration(pulumi.dynamic.Resource, module="twilio", name="AccountConfiguration"):
    """The account's Conversations defaults (`/v1/Configuration`).

    One per account: destroy puts back what was there before Pulumi took it over.

    Type token `pulumi-python:dynamic/twilio:AccountConfiguration`.
    """

    default_chat_service_sid: pulumi.Output[str]
    """The account's default Conversation Service (IS…)."""
    default_messaging_service_sid: pulumi.Output[str]
    """The account's default Messaging Service (MG…)."""
    default_inactive_timer: pulumi.Output[str]
    """The default inactive timer (ISO 8601 duration)."""
    default_closed_timer: pulumi.Output[str]
    """The default closed timer (ISO 8601 duration)."""
    account_sid: pulumi.Output[str]
    """The account (AC…); also the resource id."""
    url: pulumi.Output[str]
    """Its absolute API URL."""
    previous: pulumi.Output[Mapping[str, Any]]
    """What the account held before Pulumi took the setting over (by input name); destroy writes it back."""
    links: pulumi.Output[Mapping[str, str]]
    """The URLs of the default service's configuration and of the webhooks."""

    def __init__(
        self,
        resource_name: str,
        args: AccountConfigurationArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[AccountConfigurationArgs],
    ) -> None:
        props = declare(account_settings.CONFIGURATION_SPEC, resource_name, args, kwargs, opts)
        super().__init__(AccountConfigurationProvider(), resource_name, props, opts)


class AccountWebhookConfigurationProvider(TwilioProvider):
    """The dynamic provider of `AccountWebhookConfiguration`: the engine's calls, answered by `AccountWebhooksCore`."""

    core = account_settings.WEBHOOKS_SPEC.core


class AccountWebhookConfigurationArgs(TypedDict, total=False):
    """The inputs of an `AccountWebhookConfiguration` (each a `pulumi.Input`); see docs/reference.md."""

    method: pulumi.Input[str]
    """GET or POST."""
    filters: pulumi.Input[Sequence[str]]
    """The events sent (pre- and post-action names, e.g. onMessageAdded)."""
    pre_webhook_url: pulumi.Input[str]
    """Where pre-action events go (https, or http to loopback); its answer can block the action."""
    post_webhook_url: pulumi.Input[str]
    """Where post-action events go (https, or http to loopback)."""
    target: pulumi.Input[str]
    """webhook (to the URLs) or flex (to Flex)."""


class AccountWebhookConfiguration(pulumi.dynamic.Resource, module="twilio", name="AccountWebhookConfiguration"):
    """Where the account-level conversations send their events (`/v1/Configuration/Webhooks`).

    One per account: destroy puts back what was there before Pulumi took it over.

    Type token `pulumi-python:dynamic/twilio:AccountWebhookConfiguration`.
    """

    method: pulumi.Output[str]
    """GET or POST."""
    filters: pulumi.Output[Sequence[str]]
    """The events sent."""
    pre_webhook_url: pulumi.Output[str]
    """Where pre-action events go."""
    post_webhook_url: pulumi.Output[str]
    """Where post-action events go."""
    target: pulumi.Output[str]
    """webhook or flex."""
    account_sid: pulumi.Output[str]
    """The account (AC…); also the resource id."""
    url: pulumi.Output[str]
    """Its absolute API URL."""
    previous: pulumi.Output[Mapping[str, Any]]
    """What the account held before Pulumi took the setting over (by input name); destroy writes it back."""

    def __init__(
        self,
        resource_name: str,
        args: AccountWebhookConfigurationArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[AccountWebhookConfigurationArgs],
    ) -> None:
        props = declare(account_settings.WEBHOOKS_SPEC, resource_name, args, kwargs, opts)
        super().__init__(AccountWebhookConfigurationProvider(), resource_name, props, opts)
