"""The Credential resource (a push credential of the account), its typed args, its dynamic provider.

What it does is `resources.credential`'s. The key material (certificate, private_key, api_key,
secret) is made a Pulumi secret whatever the program passes, and is an additional secret output, so
state keeps it encrypted. Free of side effects at import (the provider is pickled by reference).
"""

import pulumi
import pulumi.dynamic
from typing_extensions import Required, TypedDict, Unpack

from .provider import TwilioProvider, declare, secret_outputs
from .resources import credential


class CredentialProvider(TwilioProvider):
    """The dynamic provider of `Credential`: the engine's calls, answered by `CredentialCore`."""

    core = credential.SPEC.core


class CredentialArgs(TypedDict, total=False):
    """The inputs of a `Credential` (each a `pulumi.Input`); see docs/reference.md."""

    type: Required[pulumi.Input[str]]
    """apn (Apple), fcm (Firebase Cloud Messaging) or gcm (Google Cloud Messaging); a change replaces it."""
    friendly_name: pulumi.Input[str]
    """A name for it, at most 64 characters; how a lost create is found again."""
    certificate: pulumi.Input[str]
    """For apn: the certificate (PEM). Write-only: kept as a secret, a change outside Pulumi cannot be seen."""
    private_key: pulumi.Input[str]
    """For apn: the private key (PEM). Write-only: kept as a secret, a change outside Pulumi cannot be seen."""
    sandbox: pulumi.Input[bool]
    """For apn: whether notifications go to the sandbox APNs."""
    api_key: pulumi.Input[str]
    """For gcm: the project's API key. Write-only: kept as a secret, a change outside Pulumi cannot be seen."""
    secret: pulumi.Input[str]
    """For fcm: the project's server key. Write-only: kept as a secret, a change outside Pulumi cannot be seen."""
    adopt: pulumi.Input[str]
    """An existing credential SID (CR…) to take over on create instead of creating one; ignored afterwards."""


class Credential(pulumi.dynamic.Resource, module="twilio", name="Credential"):
    """A push credential of the account (`/v1/Credentials`).

    Type token `pulumi-python:dynamic/twilio:Credential`.
    """

    type: pulumi.Output[str]
    """apn, fcm or gcm."""
    friendly_name: pulumi.Output[str]
    """Its name, as Twilio reports it."""
    certificate: pulumi.Output[str]
    """The declared certificate (a secret)."""
    private_key: pulumi.Output[str]
    """The declared private key (a secret)."""
    sandbox: pulumi.Output[bool]
    """Whether notifications go to the sandbox APNs."""
    api_key: pulumi.Output[str]
    """The declared API key (a secret)."""
    secret: pulumi.Output[str]
    """The declared server key (a secret)."""
    adopt: pulumi.Output[str]
    """The adopted credential, when this resource took one over."""
    sid: pulumi.Output[str]
    """The credential SID (CR…); also the resource id."""
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
        args: CredentialArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[CredentialArgs],
    ) -> None:
        props = declare(credential.SPEC, resource_name, args, kwargs, opts)
        super().__init__(CredentialProvider(), resource_name, props, secret_outputs(credential.SPEC, opts))
