"""Participant conversations (every conversation one participant is in) and conversations made with participants."""

from __future__ import annotations

import json

import pytest
from twilio.base.exceptions import TwilioException
from twilio.rest import Client

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api, error

PHONE = "+15558675310"
TWILIO_NUMBER = "+15017122661"
SMS = {"messaging_binding": {"address": PHONE, "proxy_address": TWILIO_NUMBER}}


def test_a_participant_lists_the_conversations_it_is_in(api: Api, emulator: Emulator, service: str) -> None:
    """By identity or by address, every conversation the participant is in, as a participant and conversation."""
    first = emulator.create_conversation(service, FriendlyName="first", UniqueName="first")["sid"]
    second = emulator.create_conversation(service, FriendlyName="second")["sid"]
    emulator.create_conversation(service, FriendlyName="elsewhere")
    for conversation in (first, second):
        participants = f"/v1/Services/{service}/Conversations/{conversation}/Participants"
        api.post(participants, {"Identity": "alice"}).raise_for_status()
    api.post(
        f"/v1/Services/{service}/Conversations/{second}/Participants",
        {"MessagingBinding.Address": PHONE, "MessagingBinding.ProxyAddress": TWILIO_NUMBER},
    ).raise_for_status()
    path = f"/v1/Services/{service}/ParticipantConversations"
    alice = api.get(path, params={"Identity": "alice"}).json()
    listed = [
        (c["conversation_sid"], c["conversation_friendly_name"], c["participant_identity"])
        for c in alice["conversations"]
    ]
    assert listed == [(first, "first", "alice"), (second, "second", "alice")]
    assert alice["conversations"][0]["conversation_unique_name"] == "first"
    assert alice["meta"]["url"].endswith("/ParticipantConversations?Identity=alice&PageSize=50&Page=0")
    [phone] = api.get(path, params={"Address": PHONE}).json()["conversations"]
    assert phone["conversation_sid"] == second and phone["participant_identity"] is None
    assert phone["participant_messaging_binding"] == {
        "address": PHONE,
        "proxy_address": TWILIO_NUMBER,
        "type": "sms",
        "level": None,
        "name": None,
        "projected_address": None,
    }
    assert phone["links"]["participant"].endswith(f"/Conversations/{second}/Participants/{phone['participant_sid']}")
    assert api.get(path, params={"Identity": "nobody"}).json()["conversations"] == []
    assert error(api.get(path)) == (400, 20001)


def test_a_conversation_is_created_with_its_participants(api: Api, service: str) -> None:
    """One call creates the conversation and each participant given as JSON, a chat identity or an SMS binding."""
    form = {
        "FriendlyName": "Support",
        "State": "active",
        "Participant": [json.dumps({"identity": "agent", "attributes": {"tier": 1}}), json.dumps(SMS)],
    }
    created = api.post(f"/v1/Services/{service}/ConversationWithParticipants", form)
    assert created.status_code == 201, created.text
    conversation = created.json()
    assert conversation["friendly_name"] == "Support" and conversation["sid"].startswith("CH")
    assert api.get(conversation["url"]).json() == conversation
    members = api.get(conversation["links"]["participants"]).json()["participants"]
    assert (members[0]["identity"], members[0]["attributes"]) == ("agent", '{"tier": 1}')
    assert members[1]["messaging_binding"] == {"type": "sms", "address": PHONE, "proxy_address": TWILIO_NUMBER}


def test_a_refused_participant_creates_nothing(api: Api, emulator: Emulator, service: str) -> None:
    """A participant that is not JSON, has an unknown field, repeats an identity, or eleven: refused, nothing made."""
    path = f"/v1/Services/{service}/ConversationWithParticipants"
    agent = json.dumps({"identity": "agent"})
    assert error(api.post(path, {"Participant": ["agent"]})) == (400, 20001)
    assert error(api.post(path, {"Participant": [json.dumps({"identiy": "agent"})]})) == (400, 20001)
    assert error(api.post(path, {"Participant": [json.dumps({"messaging_binding": {"address": PHONE}})]})) == (
        400,
        20001,
    )
    many = [json.dumps({"identity": f"user-{n}"}) for n in range(11)]
    assert error(api.post(path, {"Participant": many})) == (400, 20001)
    assert error(api.post(path, {"UniqueName": "once", "Participant": [agent, agent]})) == (409, 20001)
    assert emulator.conversations(service) == []
    assert api.post(path, {"UniqueName": "once", "Participant": [agent]}).status_code == 201, "the name was freed"


def test_sdk_creates_with_participants_and_lists_participant_conversations(client: Client, service: str) -> None:
    """Twilio's SDK creates a conversation with participants and finds it from a participant's identity."""
    v1 = client.conversations.v1.services(service)
    created = v1.conversation_with_participants.create(
        friendly_name="Triage", participant=[json.dumps({"identity": "alice"}), json.dumps(SMS)]
    )
    [found] = v1.participant_conversations.list(identity="alice")
    assert (found.conversation_sid, found.conversation_friendly_name) == (created.sid, "Triage")
    [by_phone] = v1.participant_conversations.list(address=PHONE)
    assert by_phone.participant_messaging_binding["proxy_address"] == TWILIO_NUMBER
    with pytest.raises(TwilioException, match="Missing required parameter Identity or Address"):
        v1.participant_conversations.list()
