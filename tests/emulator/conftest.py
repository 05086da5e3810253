"""Fixtures for the emulator's own tests (the emulator itself comes from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from twilio.rest import Client

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api, sdk_client


@pytest.fixture
def api(emulator: Emulator) -> Iterator[Api]:
    client = Api(emulator)
    try:
        yield client
    finally:
        client.session.close()


@pytest.fixture
def conversations_path(service: str) -> str:
    return f"/v1/Services/{service}/Conversations"


@pytest.fixture
def client(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Client:
    """Twilio's official SDK client, talking to the emulator."""
    for name in ("TWILIO_REGION", "TWILIO_EDGE"):
        monkeypatch.delenv(name, raising=False)  # the SDK would pick another host from these
    return sdk_client(emulator)
