"""The Python front door: a `pulumi.dynamic.ResourceProvider` that hands each engine call to a core.

Nothing is stored on a provider object in the program process: dill pickles these classes by
reference (they live in an importable module), so the serialized provider stays under 100 bytes
and holds no credential. In the provider process `configure` keeps the stack config's lookup
function, and the client is built from it on first use. What a resource does is its core's
(`resources/`); this module only translates.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import pulumi
import pulumi.dynamic

from .errors import TwilioError
from .inputs import attributes_text
from .resources.base import ResourceCore, ResourceSpec
from .settings import Settings

if TYPE_CHECKING:  # imported on first use: the program and `pulumi preview` never need requests
    from .twilio import TwilioClient

_Method = TypeVar("_Method", bound=Callable[..., Any])


def surfaced(method: _Method) -> _Method:
    """Raise this package's errors from the provider method itself, without the frames below it.

    The SDK's server shows the user `traceback.format_exc()` of whatever escapes; an error raised
    here carries the server's two frames and this one, so its message stays the last line and is
    not buried under the client's and the retry loop's frames, nor under a chained cause.
    """

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except TwilioError as exc:
            raise exc.with_traceback(None) from None

    return wrapper  # type: ignore[return-value]


class TwilioProvider(pulumi.dynamic.ResourceProvider):
    """Base of this package's dynamic providers: settings from `configure`, one shared client per process."""

    core: ClassVar[ResourceCore]
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

    @surfaced
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.CheckResult:
        checked = self.core.check(olds, news)
        failures = [pulumi.dynamic.CheckFailure(name, reason) for name, reason in checked.failures]
        return pulumi.dynamic.CheckResult(checked.inputs, failures)

    @surfaced
    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.DiffResult:
        diffed = self.core.diff(id_, olds, news)
        return pulumi.dynamic.DiffResult(
            changes=diffed.changes, replaces=diffed.replaces, delete_before_replace=diffed.delete_before_replace
        )

    @surfaced
    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        created = self.core.create(self.client, props)
        return pulumi.dynamic.CreateResult(created.id, created.outputs)

    @surfaced
    def read(self, id_: str, props: dict[str, Any]) -> pulumi.dynamic.ReadResult:
        found = self.core.read(self.client, id_, props)
        return pulumi.dynamic.ReadResult(found.id, found.outputs, found.inputs)

    @surfaced
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.UpdateResult:
        return pulumi.dynamic.UpdateResult(self.core.update(self.client, id_, olds, news))

    @surfaced
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.core.delete(self.client, id_, props)


def resource_props(
    kind: str,
    resource_name: str,
    args: Mapping[str, Any] | None,
    kwargs: Mapping[str, Any],
    opts: pulumi.ResourceOptions | None,
    required: str | None,
    names: Iterable[str],
) -> dict[str, Any]:
    """The property bag a resource registers: inputs from `args` and keywords (keywords win), and every
    other name in `names` as None, which makes it an output attribute of the resource."""
    props = {**(args if args is not None else {}), **kwargs}
    if required is not None and props.get(required) is None and not (opts and opts.id):
        raise TypeError(f"{kind} {resource_name!r}: {required} is required")
    return {**dict.fromkeys(names), **props}


def declare(
    spec: ResourceSpec,
    resource_name: str,
    args: Mapping[str, Any] | None,
    kwargs: Mapping[str, Any],
    opts: pulumi.ResourceOptions | None,
) -> dict[str, Any]:
    """The property bag of a resource declared by its table: its inputs, its outputs as None, and what the
    core adds. A JSON input given as an object goes as JSON text (the type of the output Twilio returns),
    and a secret input (key material) is made a Pulumi secret, whatever the program passed."""
    required = next((f.name for f in spec.inputs if f.required), None)
    props = resource_props(spec.name, resource_name, args, kwargs, opts, required, (f.name for f in spec.fields))
    for f in spec.inputs:
        if props.get(f.name) is None:
            continue
        if f.input_type == "json" and f.type == "string":
            props[f.name] = pulumi.Output.from_input(props[f.name]).apply(_json_text)
        if f.secret:
            props[f.name] = pulumi.Output.secret(props[f.name])
    if spec.defaults is None:
        return props
    return spec.defaults(pulumi.get_project(), pulumi.get_stack(), resource_name, props)


def secret_outputs(spec: ResourceSpec, opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    """`opts` with the spec's secret fields as additional secret outputs (so state keeps them encrypted)."""
    secrets = [f.name for f in spec.fields if f.secret]
    return pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(additional_secret_outputs=secrets))


def _json_text(value: Any) -> Any:
    return attributes_text(value) if isinstance(value, dict | str) else value
