"""Fixtures shared by the whole suite: the emulator on loopback and the provider server."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from hypothesis import settings

from pulumi_twilio_conversations import ConversationProvider
from pulumi_twilio_conversations.emulator import Emulator, Faults

from harness import ProviderServer

CONVERSATION = "pulumi-python:dynamic/twilio:Conversation"

# `make check` (HYPOTHESIS_PROFILE=check): the same properties on fewer examples; counts a test sets
# itself are capped through budget.examples.
settings.register_profile("check", max_examples=10)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[Emulator]:
    """One emulator for the session on 127.0.0.1:<free port>, stopped and joined at the end."""
    server = Emulator().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def emulator(emulator_server: Emulator) -> Emulator:
    """The session's emulator, emptied (state, counters, faults) for this test."""
    emulator_server.reset()
    emulator_server.faults = Faults()
    return emulator_server


@pytest.fixture
def service(emulator: Emulator) -> str:
    """The SID of a fresh Conversation Service in the emulator."""
    return str(emulator.create_service("Support")["sid"])


@pytest.fixture
def provider_env(emulator_server: Emulator) -> dict[str, str]:
    """An environment pointing a provider process at the emulator, with no other TWILIO_* set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWILIO_")}
    return {**env, **emulator_server.client_env(), "TWILIO_MAX_RETRY_SECONDS": "20"}


@pytest.fixture
def start_provider(provider_env: dict[str, str]) -> Iterator[Callable[..., ProviderServer]]:
    """Start the SDK's dynamic provider server (as the engine would) for a provider class."""
    servers: list[ProviderServer] = []

    def start(provider: object | None = None, type_token: str = CONVERSATION, **env: str) -> ProviderServer:
        server = ProviderServer(provider or ConversationProvider(), type_token, {**provider_env, **env})
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.close()
