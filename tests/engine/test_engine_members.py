"""Participant through the real `pulumi` command, by both doors: a Python program (the dynamic provider)
and a Pulumi YAML program (the provider plugin), against the emulator, which serves service participants.

User, Credential and the account settings join here once the emulator serves their routes.
"""

from __future__ import annotations

from typing import Any

from pulumi_twilio_conversations.emulator import Emulator

from outside import OutsidePulumi
from workspace import MakeWorkspace

PARTICIPANT = "pulumi-python:dynamic/twilio:Participant"
PROGRAM = """
    from pulumi_twilio_conversations import Participant

    where = dict(chat_service_sid={service!r}, conversation_sid={conversation!r})
    Participant("bot", identity="support-bot", attributes={attributes!r}, **where)
    Participant("customer", messaging_binding_address="+15558675310", messaging_binding_proxy_address={proxy!r},
                **where)
"""
YAML = """
    name: project
    runtime: yaml
    resources:
      support:
        type: twilio-conversations:index:ConversationService
        properties:
          friendlyName: Support
      lobby:
        type: twilio-conversations:index:Conversation
        properties:
          chatServiceSid: ${{support.sid}}
          uniqueName: lobby
      bot:
        type: twilio-conversations:index:Participant
        properties:
          chatServiceSid: ${{support.sid}}
          conversationSid: ${{lobby.sid}}
          identity: support-bot
          attributes:
            kind: {kind}
    outputs:
      service: ${{support.sid}}
      conversation: ${{lobby.sid}}
"""


def members(outside: OutsidePulumi, service: str, conversation: str) -> list[Any]:
    path = f"/v1/Services/{service}/Conversations/{conversation}/Participants"
    return sorted(outside.call("GET", path).json()["participants"], key=lambda p: str(p["identity"]))


def test_participants_from_a_python_program_through_their_lifecycle(
    make_workspace: MakeWorkspace, emulator: Emulator, outside: OutsidePulumi, service: str
) -> None:
    """Create, rest (a second up writes nothing), update attributes in place, replace on a new proxy (deleting
    first), destroy."""
    conversation = str(emulator.create_conversation(service, FriendlyName="Lobby")["sid"])
    where = {"service": service, "conversation": conversation}
    stack = make_workspace("")
    stack.write_program(PROGRAM.format(**where, attributes={"kind": "bot"}, proxy="+15017122661"))
    assert stack.up().changes == {"create": 2}
    customer, bot = members(outside, service, conversation)
    assert bot["identity"] == "support-bot" and bot["attributes"] == '{"kind":"bot"}'
    assert customer["messaging_binding"]["proxy_address"] == "+15017122661"

    emulator.counters.reset()
    assert stack.up().changes == {"same": 2}
    assert emulator.counters.writes() == 0

    stack.write_program(PROGRAM.format(**where, attributes={"kind": "bot", "tier": 2}, proxy="+15017120000"))
    emulator.counters.reset()
    run = stack.up()
    assert run.ops(PARTICIPANT).count("update") == 1
    assert run.ops(PARTICIPANT).index("delete-replaced") < run.ops(PARTICIPANT).index("create-replacement")
    customer, bot = members(outside, service, conversation)
    assert bot["attributes"] == '{"kind":"bot","tier":2}' and customer["messaging_binding"]["proxy_address"] == (
        "+15017120000"
    )

    assert stack.destroy().changes == {"delete": 2}
    assert members(outside, service, conversation) == []


def test_a_participant_from_a_yaml_program_through_the_plugin(
    make_workspace: MakeWorkspace, emulator: Emulator, outside: OutsidePulumi
) -> None:
    """The plugin's Participant: created in a conversation of the same program, a no-op second up, an update of
    its attributes only, destroyed with the rest."""
    stack = make_workspace(YAML.format(kind="bot"), runtime="yaml", project="project")
    assert stack.up().changes == {"create": 3}
    service, conversation = stack.outputs()["service"], stack.outputs()["conversation"]
    [bot] = members(outside, service, conversation)
    assert bot["identity"] == "support-bot"

    emulator.counters.reset()
    assert stack.up().changes == {"same": 3}
    assert emulator.counters.writes() == 0

    stack.write_program(YAML.format(kind="agent"))
    emulator.counters.reset()
    assert stack.up().changes == {"update": 1, "same": 2}
    assert [r.form for r in emulator.counters.log if r.method == "POST"] == [{"Attributes": '{"kind":"agent"}'}]
    assert stack.destroy().changes == {"delete": 3}
