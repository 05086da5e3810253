"""Participants and messages of a service-scoped conversation, driven by Twilio's official SDK."""

from __future__ import annotations

from pathlib import Path

import pytest
from twilio.rest import Client

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api, raised

MESSAGES = "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages"


@pytest.fixture
def conversation(emulator: Emulator, service: str) -> str:
    return str(emulator.create_conversation(service, UniqueName="desk")["sid"])


def test_sdk_manages_participants_from_create_to_delete(client: Client, service: str, conversation: str) -> None:
    """Chat and SMS participants are created, fetched, updated, listed and deleted; SMS ones carry their binding."""
    participants = client.conversations.v1.services(service).conversations(conversation).participants
    agent = participants.create(identity="agent-7", attributes='{"team": "support"}')
    assert agent.sid.startswith("MB") and agent.identity == "agent-7" and agent.messaging_binding is None
    assert agent.role_sid.startswith("RL"), "the service's default conversation role"
    phone = participants.create(
        messaging_binding_address="+15550001111", messaging_binding_proxy_address="+15559990000"
    )
    assert phone.messaging_binding == {"type": "sms", "address": "+15550001111", "proxy_address": "+15559990000"}
    assert participants(phone.sid).fetch().messaging_binding == phone.messaging_binding
    assert participants("agent-7").fetch().sid == agent.sid, "found by identity too, as Twilio does"

    updated = participants(agent.sid).update(attributes='{"team": "billing"}', last_read_message_index=3)
    assert (updated.attributes, updated.last_read_message_index) == ('{"team": "billing"}', 3)
    assert [p.sid for p in participants.list(page_size=1)] == [agent.sid, phone.sid]
    assert participants(agent.sid).delete() is True
    gone = raised(participants(agent.sid).fetch)
    assert (gone.status, gone.code) == (404, 20404)


def test_participants_follow_twilio_rules(client: Client, emulator: Emulator, service: str, conversation: str) -> None:
    """No identity nor address is 400; a taken identity 409; a number pair bound in an open conversation 50416."""
    participants = client.conversations.v1.services(service).conversations(conversation).participants
    nothing = raised(lambda: participants.create(attributes="{}"))
    assert (nothing.status, nothing.code) == (400, 20001)
    no_proxy = raised(lambda: participants.create(messaging_binding_address="+15550001111"))
    assert (no_proxy.status, no_proxy.code) == (400, 20001)
    participants.create(identity="agent-7")
    twice = raised(lambda: participants.create(identity="agent-7"))
    assert twice.status == 409

    pair = {"messaging_binding_address": "+15550001111", "messaging_binding_proxy_address": "+15559990000"}
    participants.create(**pair)
    other = emulator.create_conversation(service)["sid"]
    elsewhere = client.conversations.v1.services(service).conversations(other).participants
    bound = raised(lambda: elsewhere.create(**pair))
    assert (bound.status, bound.code) == (409, 50416) and conversation in bound.msg
    client.conversations.v1.services(service).conversations(conversation).update(state="closed")
    assert elsewhere.create(**pair).messaging_binding["address"] == "+15550001111", "a closed one binds nothing"


def test_sdk_manages_messages_with_indexes_order_and_paging(
    client: Client, emulator: Emulator, service: str, conversation: str
) -> None:
    """Messages count up from index 0, name their author's participant, page in either order and update and delete."""
    scoped = client.conversations.v1.services(service).conversations(conversation)
    agent = scoped.participants.create(identity="agent-7")
    first = scoped.messages.create(author="agent-7", body="Hello", attributes='{"importance": "high"}')
    assert (first.index, first.author, first.participant_sid) == (0, "agent-7", agent.sid)
    system = scoped.messages.create(body="Ticket opened")
    assert (system.index, system.author, system.participant_sid) == (1, "system", None)
    for number in range(3):
        scoped.messages.create(body=f"m{number}")

    emulator.counters.reset()
    assert [m.index for m in scoped.messages.list(page_size=2)] == [0, 1, 2, 3, 4]
    assert emulator.counters.requests[("GET", MESSAGES)] == 3, "five messages, two per page"
    assert [m.index for m in scoped.messages.list(order="desc", page_size=2)] == [4, 3, 2, 1, 0]

    edited = scoped.messages(first.sid).update(body="Hello again")
    assert (edited.body, edited.index) == ("Hello again", 0)
    assert scoped.messages(system.sid).delete() is True
    assert scoped.messages.create(body="after").index == 5, "an index is never reused"


def test_messages_follow_twilio_rules(client: Client, service: str, conversation: str) -> None:
    """A message needs a body, media or content; a body holds at most 1,600 characters; attributes must be JSON."""
    messages = client.conversations.v1.services(service).conversations(conversation).messages
    for call in (
        lambda: messages.create(author="x"),
        lambda: messages.create(body="x" * 1601),
        lambda: messages.create(body="x", attributes="{not json"),
        lambda: messages.create(body="x", media_sid="nope"),
    ):
        refused = raised(call)
        assert refused.status == 400 and refused.code in (20001, 50304), refused.msg
    assert messages.create(body="x" * 1600).body == "x" * 1600
    missing = raised(messages("IM" + "0" * 32).fetch)
    assert (missing.status, missing.code) == (404, 20404)


def test_participants_and_messages_survive_a_restart(tmp_path: Path) -> None:
    """With a state file, participants, messages and the next message index come back after a restart."""
    state = tmp_path / "state.json"
    with Emulator(state_file=state) as first:
        service = first.create_service("Support")["sid"]
        path = f"/v1/Services/{service}/Conversations/{first.create_conversation(service)['sid']}"
        api = Api(first)
        member = api.post(f"{path}/Participants", {"Identity": "agent-7"}).json()
        api.post(f"{path}/Messages", {"Body": "one", "Author": "agent-7"}).raise_for_status()
    with Emulator(state_file=state) as second:
        api = Api(second)
        [kept] = api.get(f"{path}/Participants").json()["participants"]
        [message] = api.get(f"{path}/Messages").json()["messages"]
        assert (kept["sid"], message["body"], message["participant_sid"]) == (member["sid"], "one", member["sid"])
        assert api.post(f"{path}/Messages", {"Body": "two"}).json()["index"] == 1
