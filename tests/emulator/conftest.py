"""Fixtures for the emulator's own tests: one emulator per session, emptied before each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_twilio_conversations.emulator import Emulator, Faults

from emulator_support import Api


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[Emulator]:
    """The session's emulator on 127.0.0.1:<free port>, stopped and joined at the end."""
    server = Emulator().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def emulator(emulator_server: Emulator) -> Emulator:
    """The session's emulator with no services, no counts and no faults."""
    emulator_server.reset()
    emulator_server.faults = Faults()
    return emulator_server


@pytest.fixture
def api(emulator: Emulator) -> Iterator[Api]:
    client = Api(emulator)
    try:
        yield client
    finally:
        client.session.close()


@pytest.fixture
def service(emulator: Emulator) -> str:
    """The SID of a fresh Conversation Service."""
    return str(emulator.create_service("Support")["sid"])


@pytest.fixture
def conversations_path(service: str) -> str:
    return f"/v1/Services/{service}/Conversations"
