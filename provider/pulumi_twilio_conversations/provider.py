"""What both dynamic providers share: configuration, the client, check failures, progress lines.

Nothing is stored on a provider object in the program process: dill pickles these classes by
reference (they live in an importable module), so the serialized provider stays under 100 bytes
and holds no credential. In the provider process `configure` keeps the stack config's lookup
function, and the client is built from it on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi.dynamic
from pulumi.output import Unknown

from .settings import Settings

if TYPE_CHECKING:  # imported on first use: the program and `pulumi preview` never need requests
    from pydantic import BaseModel

    from .twilio import TwilioClient

# Where the SDK's server keeps the pickled provider in every property bag; not an input of ours.
PROVIDER_KEY = "__provider"


def is_unknown(value: Any) -> bool:
    """True for a value that preview cannot know yet (an output of a resource not yet created)."""
    return isinstance(value, Unknown)


class TwilioProvider(pulumi.dynamic.ResourceProvider):
    """Base of this package's providers: settings from `configure`, one shared client per process."""

    _config_get: Callable[[str], str | None] | None = None
    # The pickled provider holds no value at all (a class reference), so it need not be a secret:
    # plain, it is ~115 bytes a copy in state instead of ~285 of ciphertext, and nothing to decrypt.
    # The SDK still makes it secret if a program ever captures a secret Output in it.
    serialize_as_secret_always = False

    def configure(self, req: pulumi.dynamic.ConfigureRequest) -> None:
        # Settings are read lazily, so `pulumi preview` (check and diff only) needs no credentials.
        self._config_get = req.config.get

    @property
    def client(self) -> TwilioClient:
        from .twilio import client_for  # deferred: importing requests costs ~55 ms per process

        return client_for(Settings.load(self._config_get))

    @staticmethod
    def inputs_model() -> type[BaseModel]:
        """The pydantic model of the resource's input rules (imported here, so only `check` loads pydantic)."""
        raise NotImplementedError

    def failures(self, news: Mapping[str, Any], olds: Mapping[str, Any]) -> list[pulumi.dynamic.CheckFailure]:
        """One CheckFailure per input that breaks a rule; inputs unknown in preview are not judged.

        Every rule judges one input alone, and `olds` are inputs this check accepted before: when each
        input is unchanged from them, there is nothing new to judge, and a no-op `pulumi preview` or
        `pulumi up` never loads pydantic (~75 ms per provider process).
        """
        if olds and news.items() <= olds.items():
            return []
        from .validation import validation_failures

        unknown = [name for name, value in news.items() if is_unknown(value)]
        failed = validation_failures(self.inputs_model(), news, unknown)
        return [pulumi.dynamic.CheckFailure(name, reason) for name, reason in failed]


def resource_props(
    kind: str,
    resource_name: str,
    args: Mapping[str, Any] | None,
    kwargs: Mapping[str, Any],
    opts: pulumi.ResourceOptions | None,
    required: str,
    names: Iterable[str],
) -> dict[str, Any]:
    """The property bag a resource registers: inputs from `args` and keywords (keywords win), and every
    other name in `names` as None, which makes it an output attribute of the resource."""
    props = {**(args if args is not None else {}), **kwargs}
    if props.get(required) is None and not (opts and opts.id):
        raise TypeError(f"{kind} {resource_name!r}: {required} is required")
    return {**dict.fromkeys(names), **props}


def say(message: str) -> None:
    """A line the Pulumi CLI shows as an info diagnostic (the provider's stdout is forwarded)."""
    print(message, flush=True)


def changed_inputs(
    names: Iterable[str], declared: Mapping[str, Any], current: Mapping[str, Any], same: Callable[[str, Any, Any], bool]
) -> list[str]:
    """The declared inputs whose value differs from `current`; an unknown value counts as changed."""
    return [
        name
        for name in names
        if declared.get(name) is not None
        and (is_unknown(declared[name]) or not same(name, declared[name], current.get(name)))
    ]
