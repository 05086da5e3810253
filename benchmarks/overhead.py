"""Benchmark 1: the provider's cost per operation, through the SDK's dynamic server over gRPC.

For create, update and read, three calls are timed in turn, many times: the Conversation provider
through its server (what the engine pays), the same HTTP request sent with a bare keep-alive
`requests.Session`, and the same RPC to the empty provider's server. The floor is the sum of the
last two: the network work that cannot be avoided plus the SDK's own round trip. The ratio is the
median of the first over the sum of the medians of the others.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from common import CONVERSATION, Context, Figure, median, ratio, reproduce, seconds
from empty import TYPE_TOKEN, EmptyProvider
from pulumi_twilio_conversations import ConversationProvider
from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN

from harness import ProviderServer

NAME = "overhead"
TARGET = 1.10


def run(context: Context) -> list[Figure]:
    rounds = 100 if context.quick else 300
    service = context.service()
    collection = f"{context.emulator.base_url}/v1/Services/{service}/Conversations"
    env = context.process_env()
    ours = ProviderServer(ConversationProvider(), CONVERSATION, env)
    empty = ProviderServer(EmptyProvider(), TYPE_TOKEN, env)
    raw = requests.Session()
    raw.auth = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
    try:
        ours.configure({})
        empty.configure({})
        declared = {"chat_service_sid": service, "friendly_name": "Overhead"}
        sid, outputs = ours.create(declared)  # also warms both processes: imports and unpickling
        empty.create(declared)
        raw.get(f"{collection}/{sid}").raise_for_status()
        counter = iter(range(10**9))

        def renamed() -> dict[str, Any]:
            """The declared inputs with a new name, so every update sends one POST."""
            return {**declared, "friendly_name": f"Overhead {next(counter)}"}

        operations: dict[str, tuple[Callable[[], object], Callable[[], object], Callable[[], object]]] = {
            "create": (
                lambda: ours.create(declared),
                lambda: raw.post(collection, data={"FriendlyName": "Overhead"}).raise_for_status(),
                lambda: empty.create(declared),
            ),
            "update": (
                lambda: ours.update(sid, outputs, renamed()),
                lambda: raw.post(
                    f"{collection}/{sid}", data={"FriendlyName": f"Overhead {next(counter)}"}
                ).raise_for_status(),
                lambda: empty.update(sid, outputs, renamed()),
            ),
            "read": (
                lambda: ours.read(sid, outputs),
                lambda: raw.get(f"{collection}/{sid}").raise_for_status(),
                lambda: empty.read(sid, outputs),
            ),
        }
        figures = []
        for operation, calls in operations.items():
            samples: tuple[list[float], list[float], list[float]] = ([], [], [])
            for _ in range(rounds):
                for call, timings in zip(calls, samples, strict=True):
                    timings.append(seconds(call))
            provider, http, rpc = (median(timings) * 1000 for timings in samples)
            figures.append(
                ratio(
                    f"{operation}: provider / (HTTP + empty RPC)",
                    provider,
                    http + rpc,
                    reproduce(NAME),
                    TARGET,
                    f"{provider:.2f} ms / ({http:.2f} + {rpc:.2f}) ms, median of {rounds}",
                )
            )
        return figures
    finally:
        raw.close()
        ours.close()
        empty.close()
