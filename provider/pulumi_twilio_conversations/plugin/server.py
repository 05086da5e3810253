"""`pulumi-resource-twilio-conversations`: the provider served over gRPC, as the engine starts plugins.

The engine runs the executable it finds on PATH with its own address as the argument and reads the port from
the first line of stdout. This is `pulumi.provider.experimental.server.main` with two additions:
- an error this package raises for the user (a `TwilioError` or a `ValueError` naming a rule) reaches the engine
  as its message alone. The SDK's servicer appends the Python stack to every error (3.272), earlier ones report
  "Unexpected <class …>: …"; a stack stays on anything else, since that is a bug to report;
- what the cores print (`provider.say`: adoption, a replacement's reason) becomes an info message on the
  resource: the engine hides a plugin's own output (only the dynamic providers' is shown).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import re
import sys
from collections.abc import Awaitable, Callable
from importlib.metadata import version
from typing import Any

import grpc
import grpc.aio
from pulumi.provider.experimental.provider import Provider
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc, provider_pb2_grpc

from ..errors import TwilioError
from .provider import WORKING_ON, TwilioConversationsProvider
from .resources import PACKAGE, RESOURCES

# Messages (settings, hints) name the dynamic provider's config namespace; the plugin's users set this one.
_DYNAMIC_CONFIG_KEY = re.compile(r"\btwilio:(?=[a-zA-Z])")


def user_message(error: BaseException) -> str | None:
    """The one line to show for an error the user can act on, or None for a bug (which keeps its stack).

    The SDK wraps the provider's exception in a new one raised while handling it, so the chain is searched."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, TwilioError):
            return _DYNAMIC_CONFIG_KEY.sub(f"{PACKAGE}:", str(seen))
        if isinstance(seen, ValueError):
            return str(seen)
        seen = seen.__cause__ or seen.__context__
    return None


class OneLineErrors(grpc.aio.ServerInterceptor):  # type: ignore[misc]
    """Ends a unary call that failed with a user's error with that error's message as the status details."""

    async def intercept_service(self, continuation: Callable[[Any], Awaitable[Any]], handler_call_details: Any) -> Any:
        handler = await continuation(handler_call_details)
        if handler is None or handler.unary_unary is None:
            return handler
        inner = handler.unary_unary

        async def call(request: Any, context: grpc.aio.ServicerContext) -> Any:
            try:
                return await inner(request, context)
            except Exception as error:
                message = user_message(error)
                if message is None:
                    raise
                await context.abort(grpc.StatusCode.UNKNOWN, message)

        return grpc.unary_unary_rpc_method_handler(
            call, request_deserializer=handler.request_deserializer, response_serializer=handler.response_serializer
        )


class EngineLog(io.TextIOBase):
    """A stdout whose every line is an info message of the engine, on the resource being worked on."""

    def __init__(self, engine_address: str) -> None:
        self._engine = engine_pb2_grpc.EngineStub(grpc.insecure_channel(engine_address))

    def write(self, text: str) -> int:
        for line in text.splitlines():
            if line.strip():
                request = engine_pb2.LogRequest(severity=engine_pb2.INFO, message=line, urn=WORKING_ON.get())
                try:
                    self._engine.Log(request)
                except grpc.RpcError:  # no engine to tell (a host that only asks for the schema): keep the line
                    sys.stderr.write(f"{line}\n")
        return len(text)


def serve(provider: Provider, plugin_version: str, argv: list[str]) -> None:
    """Serve `provider` on 127.0.0.1:<free port>, print the port, and block until the engine stops it."""
    parser = argparse.ArgumentParser(prog="pulumi-resource-twilio-conversations", description=__doc__)
    parser.add_argument("engine", help="the Pulumi engine's address (the engine passes it)")
    engine = parser.parse_known_args(argv)[0].engine

    async def run() -> None:
        server = grpc.aio.server(interceptors=[OneLineErrors()])
        servicer = ProviderServicer(argv, plugin_version, provider, engine_address=engine)
        provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
        port = server.add_insecure_port("127.0.0.1:0")
        await server.start()
        sys.stdout.write(f"{port}\n")
        sys.stdout.flush()
        sys.stdout = EngineLog(engine)
        await server.wait_for_termination()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


def main() -> None:
    plugin_version = version("pulumi-twilio-conversations")
    serve(TwilioConversationsProvider(RESOURCES, plugin_version), plugin_version, sys.argv[1:])
