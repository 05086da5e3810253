"""Fixtures for tests that run the real `pulumi` command against the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_twilio_conversations.emulator import Emulator

from outside import OutsidePulumi
from workspace import MakeWorkspace, Workspace


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/engine/" in item.nodeid:
            item.add_marker(pytest.mark.engine)


@pytest.fixture
def make_workspace(tmp_path: Path, emulator: Emulator, provider_env: dict[str, str]) -> MakeWorkspace:
    """Build a project with the given program, its stack pointed at the emulator through TWILIO_* variables."""

    def make(program: str, env: dict[str, str] | None = None, name: str = "project", **options: str) -> Workspace:
        twilio = {k: v for k, v in provider_env.items() if k.startswith("TWILIO_")}
        return Workspace(tmp_path / name, program, twilio if env is None else env, **options)

    return make


@pytest.fixture
def outside(emulator: Emulator) -> OutsidePulumi:
    return OutsidePulumi(emulator)
