"""Fixtures for tests that run the real `pulumi` command against the emulator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

from workspace import Workspace

MakeWorkspace = Callable[..., Workspace]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/engine/" in item.nodeid:
            item.add_marker(pytest.mark.engine)


@pytest.fixture
def make_workspace(tmp_path: Path, emulator: Emulator, provider_env: dict[str, str]) -> MakeWorkspace:
    """Build a project with the given program, its stack pointed at the emulator through TWILIO_* variables."""

    def make(program: str, env: dict[str, str] | None = None, name: str = "project") -> Workspace:
        twilio = {k: v for k, v in provider_env.items() if k.startswith("TWILIO_")}
        return Workspace(tmp_path / name, program, twilio if env is None else env)

    return make


class OutsidePulumi:
    """Changes made to Twilio by someone else (the console, another script): plain HTTP to the emulator."""

    def __init__(self, emulator: Emulator) -> None:
        self.base_url = emulator.base_url
        self.session = requests.Session()
        self.session.auth = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)

    def call(self, method: str, path: str, **form: str) -> requests.Response:
        response = self.session.request(method, self.base_url + path, data=form or None, timeout=10)
        response.raise_for_status()
        return response


@pytest.fixture
def outside(emulator: Emulator) -> OutsidePulumi:
    return OutsidePulumi(emulator)
