"""Drive the Pulumi SDK's own dynamic-provider server over gRPC, the way the engine does.

The server (`python -u -m pulumi.dynamic`) runs in a subprocess with the environment the test
gives it; each call serialises the property bags with the SDK's `rpc` module and puts the pickled
provider under `__provider`, exactly as the engine forwards what the program registered.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import grpc
from google.protobuf import struct_pb2
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.output import Unknown
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from pulumi_twilio_conversations.emulator import Emulator, Faults
from pulumi_twilio_conversations.emulator.counters import RecordedRequest

UNKNOWN = rpc.UNKNOWN  # put this in a property bag for a value preview does not know


class ProviderError(Exception):
    """A provider method raised; the text is what the engine would show (the server's traceback)."""


def _struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    # A private loop: asyncio.run would leave the thread without a current loop, which Pulumi's mocks need.
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(rpc.serialize_properties(dict(props), {}))
    finally:
        loop.close()


def _props(struct: struct_pb2.Struct) -> dict[str, Any]:
    """The bag as the provider returned it; a value it left unknown comes back as the UNKNOWN sentinel."""
    props = rpc.deserialize_properties(struct, keep_unknowns=True)
    return {k: UNKNOWN if isinstance(v, Unknown) else v for k, v in props.items() if k != "__provider"}


class ProviderServer:
    """One provider process, as the engine starts it for one `pulumi` command."""

    def __init__(self, provider: ResourceProvider, type_token: str, env: Mapping[str, str]) -> None:
        self.blob = serialize_provider(provider)
        self.urn = f"urn:pulumi:test::test::{type_token}::res"
        self.output: list[str] = []
        self._printed = threading.Condition()
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.dynamic"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=dict(env),
            text=True,
        )
        assert self.process.stdout is not None
        port = self.process.stdout.readline().strip()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._printed:
                self.output.append(line.rstrip("\n"))
                self._printed.notify_all()

    def said(self, text: str, timeout: float = 5.0) -> bool:
        """Whether the provider printed a line holding `text`, waiting for the thread that reads its stdout."""
        with self._printed:
            return self._printed.wait_for(lambda: any(text in line for line in self.output), timeout)

    def close(self) -> None:
        self.channel.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        self._reader.join(timeout=10)

    def _with_provider(self, props: Mapping[str, Any] | None) -> struct_pb2.Struct:
        return _struct({**(props or {}), "__provider": self.blob})

    def _call(self, method: str, request: Any) -> Any:
        try:
            return getattr(self.stub, method)(request)
        except grpc.RpcError as exc:
            raise ProviderError(exc.details()) from None

    def configure(self, config: Mapping[str, str]) -> None:
        self._call("Configure", provider_pb2.ConfigureRequest(args=_struct(config), acceptSecrets=True))

    def check(
        self, olds: Mapping[str, Any] | None, news: Mapping[str, Any]
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        olds_struct = self._with_provider(olds) if olds else _struct({})
        response = self._call(
            "Check", provider_pb2.CheckRequest(urn=self.urn, olds=olds_struct, news=self._with_provider(news))
        )
        failures = [(f.property, f.reason) for f in response.failures]
        return _props(response.inputs), failures

    def diff(self, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> provider_pb2.DiffResponse:
        request = provider_pb2.DiffRequest(
            id=id_, urn=self.urn, olds=self._with_provider(olds), news=self._with_provider(news)
        )
        return self._call("Diff", request)

    def up(
        self, news: Mapping[str, Any], olds_inputs: Mapping[str, Any] | None = None
    ) -> tuple[dict[str, Any], str, dict[str, Any]]:
        """check + create, as the engine does for a new resource: (checked inputs, id, outputs)."""
        inputs, failures = self.check(olds_inputs, news)
        assert failures == [], failures
        return (inputs, *self.create(inputs))

    def create(self, props: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        response = self._call("Create", provider_pb2.CreateRequest(urn=self.urn, properties=self._with_provider(props)))
        return response.id, _props(response.properties)

    def update(self, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
        request = provider_pb2.UpdateRequest(
            id=id_, urn=self.urn, olds=self._with_provider(olds), news=self._with_provider(news)
        )
        return _props(self._call("Update", request).properties)

    def read(
        self, id_: str, props: Mapping[str, Any] | None = None, inputs: Mapping[str, Any] | None = None
    ) -> tuple[str, dict[str, Any], dict[str, Any]]:
        request = provider_pb2.ReadRequest(
            id=id_,
            urn=self.urn,
            properties=self._with_provider(props),  # none for an import: only the id is known
            inputs=self._with_provider(inputs) if inputs else _struct({}),
        )
        response = self._call("Read", request)
        return response.id, _props(response.properties), _props(response.inputs)

    def delete(self, id_: str, props: Mapping[str, Any]) -> None:
        self._call("Delete", provider_pb2.DeleteRequest(id=id_, urn=self.urn, properties=self._with_provider(props)))


def writes(emulator: Emulator) -> list[tuple[str, str, dict[str, str]]]:
    """The POSTs and DELETEs that reached the emulator: (method, route, form), in order."""
    return [(r.method, r.route, r.form) for r in emulator.counters.log if r.method in ("POST", "DELETE")]


def posts(emulator: Emulator) -> dict[str, set[str]]:
    """Route → the form keys posted to it (every POST since the last reset)."""
    sent: dict[str, set[str]] = {}
    for request in emulator.counters.log:
        if request.method == "POST":
            sent.setdefault(request.route, set()).update(request.form)
    return sent


@contextlib.contextmanager
def create_answers_lost(emulator: Emulator, *collections: str) -> Iterator[None]:
    """Every write's answer is lost until a POST to each of `collections` (routes, `/v1/Credentials`) has been:
    then Twilio answers again. A write that follows a lost create (a credential's key sent again) may be lost
    too until then, and is retried, as an update is; so each create's answer is lost whatever the order."""
    counters, waiting = emulator.counters, set(collections)

    def record(request: RecordedRequest, fault: str | None = None) -> None:
        type(counters).record(counters, request, fault)
        if fault == "lost_response" and request.method == "POST":
            waiting.discard(request.route)
            if not waiting:
                emulator.faults = Faults()

    counters.record = record  # type: ignore[method-assign]
    emulator.faults = Faults(lost_response=1.0)
    try:
        yield
    finally:
        del counters.record
        emulator.faults = Faults()
