"""Twilio's official Python SDK runs unchanged against the emulator (only its host is redirected)."""

from __future__ import annotations

import json

from twilio.rest import Client

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, Emulator

from emulator_support import raised, sdk_client

COLLECTION = "/v1/Services/{ChatServiceSid}/Conversations"


def test_sdk_manages_a_conversation_from_create_to_delete(client: Client, emulator: Emulator) -> None:
    """Service create, conversation create / fetch by unique name / update / paged list / delete all work."""
    service = client.conversations.v1.services.create(friendly_name="Support")
    assert service.sid.startswith("IS") and service.account_sid == DEFAULT_ACCOUNT_SID
    conversations = client.conversations.v1.services(service.sid).conversations
    created = conversations.create(
        friendly_name="Triage",
        unique_name="triage",
        attributes=json.dumps({"tier": 1}),
        state="active",
        timers_inactive="PT5M",
        timers_closed="P1D",
        x_twilio_webhook_enabled="false",
    )
    assert created.sid.startswith("CH") and created.state == "active"
    assert set(created.timers) == {"date_inactive", "date_closed"}
    [posted] = [r for r in emulator.counters.log if (r.method, r.route) == ("POST", COLLECTION)]
    assert posted.headers["X-Twilio-Webhook-Enabled"] == "false"

    fetched = conversations("triage").fetch()
    assert fetched.sid == created.sid and json.loads(fetched.attributes) == {"tier": 1}
    updated = conversations(created.sid).update(friendly_name="Triage desk", state="inactive")
    assert (updated.friendly_name, updated.state) == ("Triage desk", "inactive")

    for number in range(4):
        conversations.create(friendly_name=f"other-{number}")
    emulator.counters.reset()
    listed = conversations.list(page_size=2)
    assert [c.friendly_name for c in listed] == ["Triage desk", "other-0", "other-1", "other-2", "other-3"]
    assert emulator.counters.requests[("GET", COLLECTION)] == 3, "five conversations, two per page"

    assert conversations(created.sid).delete() is True
    assert [c["friendly_name"] for c in emulator.conversations(service.sid)] == [f"other-{n}" for n in range(4)]


def test_sdk_configuration_fetch_and_update(client: Client, emulator: Emulator) -> None:
    """The SDK reads and changes a service's configuration."""
    sid = emulator.create_service("Support")["sid"]
    configuration = client.conversations.v1.services(sid).configuration()
    assert configuration.fetch().reachability_enabled is False
    role = "RL" + "b" * 32
    updated = configuration.update(reachability_enabled=True, default_conversation_role_sid=role)
    assert updated.reachability_enabled is True and updated.default_conversation_role_sid == role


def test_sdk_errors_carry_twilio_status_and_code(client: Client, emulator: Emulator) -> None:
    """404, 409, 400 and 401 reach the SDK as TwilioRestException with Twilio's status and code."""
    sid = emulator.create_service("Support")["sid"]
    emulator.create_conversation(sid, UniqueName="taken")
    conversations = client.conversations.v1.services(sid).conversations

    missing = raised(conversations("nobody").fetch)
    assert (missing.status, missing.code) == (404, 20404)
    taken = raised(lambda: conversations.create(unique_name="taken"))
    assert (taken.status, taken.code) == (409, 50353)
    closed = raised(lambda: conversations.create(state="closed"))
    assert (closed.status, closed.code) == (400, 50384)
    wrong = raised(sdk_client(emulator, password="wrong").conversations.v1.services(sid).fetch)
    assert (wrong.status, wrong.code) == (401, 20003)
