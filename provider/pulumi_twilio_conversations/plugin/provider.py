"""The plugin's `Provider`: engine requests in, calls to each resource's core, engine responses out.

What it translates, and nothing more:
- names: the engine's camelCase ⇄ the core's snake_case (top-level keys; nested maps stay as Twilio sends them);
- values: `PropertyValue` ⇄ plain Python; an unknown value (the engine's UNKNOWN sentinel string: SDK 3.272
  neither sends nor marshals `Computed`) ⇄ `pulumi.output.Unknown`, which the core already skips;
- preview: a create or update with `preview` set returns what is known without calling the core, so a preview
  never talks to Twilio;
- import: a read with neither state nor inputs (`pulumi import`, a lookup by id) declares the `imported` fields
  Twilio reported, and takes the SID as the id.

Secrets: `configure` answers acceptSecrets=False, so the engine strips secrets before each call and marks an
output secret when the input of the same name was (`annotateSecrets` in the engine's provider_plugin.go).
"""

from __future__ import annotations

import asyncio
import contextvars
import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from pulumi.output import UNKNOWN as UNKNOWN_VALUE
from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.provider.experimental.provider import (
    CheckFailure,
    CheckRequest,
    CheckResponse,
    ConfigureRequest,
    ConfigureResponse,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    PropertyDiff,
    PropertyDiffKind,
    Provider,
    ReadRequest,
    ReadResponse,
    UpdateRequest,
    UpdateResponse,
)
from pulumi.runtime.rpc import UNKNOWN as UNKNOWN_ON_THE_WIRE

from ..resources.base import ResourceSpec, is_unknown
from ..settings import Settings
from .resources import CONFIG, camel, snake
from .schema import build_schema

if TYPE_CHECKING:
    from ..twilio import TwilioClient

T = TypeVar("T")
WORKING_ON: contextvars.ContextVar[str] = contextvars.ContextVar("WORKING_ON", default="")
"""The URN of the resource whose request is being served (copied into the thread that runs the core)."""
# The namespace `settings.Settings.load` reads; the plugin's own config keys are mapped onto it.
_SETTINGS_NAMESPACE = "twilio"


def plain(value: PropertyValue) -> Any:
    """A property value as the core takes it: secrets unwrapped, unknowns as `pulumi.output.UNKNOWN`."""
    inner = value.value
    if isinstance(inner, Computed) or inner == UNKNOWN_ON_THE_WIRE:
        return UNKNOWN_VALUE
    if isinstance(inner, Mapping):
        return {key: plain(item) for key, item in inner.items()}
    if isinstance(inner, tuple):
        return [plain(item) for item in inner]
    return inner


def wire(value: Any) -> PropertyValue:
    """A plain value as the engine takes it (ints become floats, as on the dynamic provider's wire)."""
    if is_unknown(value):
        return PropertyValue(UNKNOWN_ON_THE_WIRE)
    if isinstance(value, Mapping):
        return PropertyValue({str(key): wire(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return PropertyValue([wire(item) for item in value])
    if isinstance(value, int) and not isinstance(value, bool):
        return PropertyValue(float(value))
    return PropertyValue(value)


def to_core(properties: Mapping[str, PropertyValue]) -> dict[str, Any]:
    """Engine properties → the core's snake_case dict; nulls are left out, as the dynamic wire drops them."""
    return {snake(key): plain(value) for key, value in properties.items() if value.value is not None}


def to_engine(values: Mapping[str, Any]) -> dict[str, PropertyValue]:
    return {camel(key): wire(value) for key, value in values.items() if value is not None}


class TwilioConversationsProvider(Provider):
    """The `twilio-conversations` provider: one core per resource type, driven through the engine's requests."""

    def __init__(self, resources: Sequence[ResourceSpec], version: str) -> None:
        self._resources = {resource.token: resource for resource in resources}
        self._config: dict[str, str] = {}
        self._schema = json.dumps(build_schema(resources, version), indent=2)

    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        return GetSchemaResponse(self._schema)

    async def check_config(self, request: CheckRequest) -> CheckResponse:
        """The config as given, with the secret keys marked secret even when set in plain text."""
        secret = {key.key for key in CONFIG if key.secret}
        inputs = {key: value.with_secret(True) if key in secret else value for key, value in request.new_inputs.items()}
        return CheckResponse(inputs=inputs)

    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        """Hand `twilio-conversations:<key>` to each core as `twilio:<key>`; credentials are read on first use."""
        known = {key.key for key in CONFIG}
        raw = {
            f"{_SETTINGS_NAMESPACE}:{key}": _config_text(plain(value))
            for key, value in request.args.items()
            if key in known and value.value is not None
        }
        self._config = raw
        return ConfigureResponse(accept_secrets=False, supports_preview=True)

    async def check(self, request: CheckRequest) -> CheckResponse:
        resource = self._resource(request.type)
        news = to_core(request.new_inputs)
        if resource.defaults is not None:
            stack, project = request.urn.split(":", 2)[2].split("::")[:2]
            news = resource.defaults(project, stack, request.urn.rsplit("::", 1)[1], news)
        result = await _call(request.urn, resource.core.check, to_core(request.old_inputs), news)
        failures = [CheckFailure(camel(name), reason) for name, reason in result.failures]
        return CheckResponse(inputs=to_engine(result.inputs), failures=failures)

    async def diff(self, request: DiffRequest) -> DiffResponse:
        resource = self._resource(request.type)
        olds, news = to_core(request.old_state), to_core(request.new_inputs)
        result = await _call(request.urn, resource.core.diff, request.resource_id, olds, news)
        replaces = result.replaces
        # The SDK always reports a detailed diff, so the engine shows only the properties named here:
        # exactly the ones the core's update writes (or that replace).
        detailed = {
            camel(name): PropertyDiff(
                PropertyDiffKind.UPDATE_REPLACE if name in replaces else PropertyDiffKind.UPDATE, input_diff=True
            )
            for name in dict.fromkeys([*result.changed, *replaces])
        }
        return DiffResponse(
            changes=result.changes,
            replaces=[camel(name) for name in replaces],
            delete_before_replace=result.delete_before_replace,
            diffs=list(detailed),
            detailed_diff=detailed,
        )

    async def create(self, request: CreateRequest) -> CreateResponse:
        resource = self._resource(request.type)
        props = to_core(request.properties)
        if request.preview:
            return CreateResponse(properties=to_engine(_known_after_create(resource, props)))
        result = await _call(request.urn, resource.core.create, self._client(), props)
        return CreateResponse(resource_id=result.id, properties=to_engine(result.outputs))

    async def read(self, request: ReadRequest) -> ReadResponse:
        resource = self._resource(request.type)
        props = to_core(request.properties)
        result = await _call(request.urn, resource.core.read, self._client(), request.resource_id, props)
        if not result.id:
            return ReadResponse()  # gone: refresh drops it; an import fails with "does not exist"
        # An import's id is the lookup form (`IS…/CH…`); the resource's id is its SID.
        return ReadResponse(
            result.outputs.get("sid", result.id), to_engine(result.outputs), to_engine(result.inputs or {})
        )

    async def update(self, request: UpdateRequest) -> UpdateResponse:
        resource = self._resource(request.type)
        olds, news = to_core(request.olds), to_core(request.news)
        if request.preview:
            return UpdateResponse(to_engine({**olds, **news}))
        outs = await _call(request.urn, resource.core.update, self._client(), request.resource_id, olds, news)
        return UpdateResponse(to_engine(outs))

    async def delete(self, request: DeleteRequest) -> None:
        resource = self._resource(request.type)
        client = self._client()
        await _call(request.urn, resource.core.delete, client, request.resource_id, to_core(request.properties))

    def _resource(self, token: str) -> ResourceSpec:
        if token not in self._resources:
            raise ValueError(f"unknown resource type {token!r}: this provider has {', '.join(self._resources)}")
        return self._resources[token]

    def _client(self) -> TwilioClient:
        """The process's client for the configured settings, built on first use (so a preview needs none)."""
        from ..twilio import client_for  # deferred: a preview never loads requests

        return client_for(Settings.load(self._config.get))


async def _call(urn: str, function: Callable[..., T], *args: Any) -> T:
    """Run a (blocking, thread-safe) core call off the event loop, so the engine's parallel steps overlap;
    what it prints is shown on the resource `urn` (see `server.EngineLog`)."""
    WORKING_ON.set(urn)  # in this request's own context: each gRPC call runs as a task of its own
    return await asyncio.to_thread(function, *args)


def _config_text(value: Any) -> str:
    """Config as the dynamic provider sees it: text (a number from an explicit provider becomes `"20"`)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else json.dumps(value)


def _known_after_create(resource: ResourceSpec, props: Mapping[str, Any]) -> dict[str, Any]:
    """A preview's outputs: the declared inputs, and every field only Twilio sets as unknown."""
    return {f.name: props.get(f.name, UNKNOWN_VALUE) for f in resource.outputs}
