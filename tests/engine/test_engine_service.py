"""A ConversationService with a conversation in it, through the real `pulumi` command."""

from __future__ import annotations

import re

import pytest

from pulumi_twilio_conversations.emulator import Emulator

from outside import OutsidePulumi
from workspace import MakeWorkspace, Workspace

SERVICE = "pulumi-python:dynamic/twilio:ConversationService"
CONVERSATION = "pulumi-python:dynamic/twilio:Conversation"
PROGRAM = """
    import pulumi
    from pulumi_twilio_conversations import Conversation, ConversationService

    config = pulumi.Config()
    service = ConversationService(
        "support",
        friendly_name=config.get("serviceName") or "Support",
        reachability_enabled=config.get_bool("reachability"),
        force_destroy=config.get_bool("forceDestroy"),
    )
    triage = Conversation("triage", chat_service_sid=service.sid, friendly_name="Triage", unique_name="triage")
    pulumi.export("service", service.sid)
    pulumi.export("conversation", triage.sid)
"""


@pytest.fixture
def stack(make_workspace: MakeWorkspace) -> Workspace:
    return make_workspace(PROGRAM)


def test_the_pair_is_created_in_one_up_and_a_second_up_is_a_no_op(stack: Workspace, emulator: Emulator) -> None:
    assert stack.up().changes == {"create": 2}
    outputs = stack.outputs()
    [service] = emulator.services()
    [conversation] = emulator.conversations(service["sid"])
    assert outputs == {"service": service["sid"], "conversation": conversation["sid"]}

    emulator.counters.reset()
    assert stack.up().changes == {"same": 2}
    assert emulator.counters.writes() == 0


def test_a_configuration_change_is_one_update_in_place(stack: Workspace, emulator: Emulator) -> None:
    stack.up()
    service = stack.outputs()["service"]
    stack.config_set("reachability", "true")
    emulator.counters.reset()

    assert stack.up().changes == {"update": 1, "same": 1}
    writes = [(r.method, r.path, r.form) for r in emulator.counters.log if r.method in ("POST", "DELETE")]
    assert writes == [("POST", f"/v1/Services/{service}/Configuration", {"ReachabilityEnabled": "true"})]
    [state] = stack.resources(SERVICE)
    assert state["outputs"]["reachability_enabled"] is True


def test_a_rename_previews_as_a_replace_and_applies_cleanly(stack: Workspace, emulator: Emulator) -> None:
    stack.up()
    old = stack.outputs()
    stack.config_set("serviceName", "Support desk")

    preview = stack.pulumi("preview", "--diff")
    assert "Twilio cannot rename a service" in preview.output
    assert "+-2 to replace" in preview.output
    assert re.search(r'~ friendly_name +: "Support" => "Support desk"', preview.output)
    planned = stack.preview()
    assert planned.ops(SERVICE) == ["replace"] and planned.ops(CONVERSATION) == ["replace"]

    stack.up()
    new = stack.outputs()
    [service] = emulator.services()
    assert service["sid"] == new["service"] != old["service"] and service["friendly_name"] == "Support desk"
    [conversation] = emulator.conversations(service["sid"])
    assert conversation["sid"] == new["conversation"] and conversation["unique_name"] == "triage"


def test_destroy_keeps_a_service_holding_a_foreign_conversation_until_force_destroy(
    stack: Workspace, emulator: Emulator, outside: OutsidePulumi
) -> None:
    stack.up()
    service = stack.outputs()["service"]
    outside.call("POST", f"/v1/Services/{service}/Conversations", FriendlyName="Made by hand")

    refused = stack.destroy(check=False)
    assert refused.returncode != 0
    assert "still holds 1 conversation(s)" in refused.output and "force_destroy=True" in refused.output
    assert [c["friendly_name"] for c in emulator.conversations(service)] == ["Made by hand"]
    assert len(stack.resources(SERVICE)) == 1 and stack.resources(CONVERSATION) == []

    stack.config_set("forceDestroy", "true")
    stack.up()
    stack.destroy()
    assert emulator.services() == []
