"""The example programs under examples/, run with the real `pulumi` command against the emulator."""

from __future__ import annotations

import re

import yaml

from pulumi_twilio_conversations.emulator import Emulator

from workspace import REPO, MakeWorkspace

EXAMPLES = REPO / "examples"


def test_the_root_project_is_the_quickstart() -> None:
    project = yaml.safe_load((REPO / "Pulumi.yaml").read_text())
    assert project["runtime"]["name"] == "python" and project["runtime"]["options"]["virtualenv"] == ".venv"
    assert (REPO / project["main"] / "__main__.py").exists()


def test_the_quickstart_creates_its_service_and_conversation_then_rests(
    make_workspace: MakeWorkspace, emulator: Emulator
) -> None:
    stack = make_workspace((EXAMPLES / "quickstart" / "__main__.py").read_text())
    assert stack.preview().changes == {"create": 2}
    assert emulator.counters.requests == {}  # a preview sends nothing

    stack.up()
    outputs = stack.outputs()
    [service] = emulator.services()
    [conversation] = emulator.conversations(service["sid"])
    assert outputs == {
        "service_sid": service["sid"],
        "conversation_sid": conversation["sid"],
        "conversation_state": "active",
    }
    assert (conversation["unique_name"], conversation["attributes"]) == ("triage", '{"team":"support","tier":1}')
    assert re.fullmatch(r"IS[0-9a-f]{32}", service["sid"]) and service["friendly_name"] == "Support"

    emulator.counters.reset()
    assert stack.up().changes == {"same": 2}
    assert emulator.counters.writes() == 0
    stack.destroy()
    assert emulator.services() == []
