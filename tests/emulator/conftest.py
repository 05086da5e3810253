"""Fixtures for the emulator's own tests (the emulator itself comes from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api


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
