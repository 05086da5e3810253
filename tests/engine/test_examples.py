"""The example programs under examples/, run with the real `pulumi` command against the emulator."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from twilio.request_validator import RequestValidator

from pulumi_twilio_conversations.emulator import DEFAULT_AUTH_TOKEN, Emulator

from outside import OutsidePulumi
from workspace import REPO, MakeWorkspace

EXAMPLES = REPO / "examples"


def test_the_root_project_is_the_quickstart() -> None:
    project = yaml.safe_load((REPO / "Pulumi.yaml").read_text())
    assert project["runtime"]["name"] == "python" and project["runtime"]["options"]["virtualenv"] == ".venv"
    assert (REPO / project["main"] / "__main__.py").exists()


@pytest.mark.sdk
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


def test_the_full_service_example_wires_a_service_then_rests_and_destroys_cleanly(
    make_workspace: MakeWorkspace, emulator: Emulator
) -> None:
    """examples/full-service: previewed (nothing sent), applied as declared, a second up writes nothing, destroyed."""
    stack = make_workspace((EXAMPLES / "full-service" / "__main__.py").read_text())
    stack.config_set("backendUrl", "https://backend.invalid/")
    assert stack.preview().changes == {"create": 8}
    assert emulator.counters.requests == {}

    stack.up()
    outputs = stack.outputs()
    [service] = emulator.services()
    sid = service["sid"]
    assert outputs["service_sid"] == sid

    def get(path: str) -> Any:
        return OutsidePulumi(emulator).call("GET", path).json()

    roles = {r["friendly_name"]: r for r in get(f"/v1/Services/{sid}/Roles")["roles"]}
    assert (roles["agent"]["type"], roles["supervisor"]["type"]) == ("conversation", "service")
    assert outputs["role_sids"] == {"agent": roles["agent"]["sid"], "supervisor": roles["supervisor"]["sid"]}
    webhooks = get(f"/v1/Services/{sid}/Configuration/Webhooks")
    assert (webhooks["post_webhook_url"], webhooks["method"]) == ("https://backend.invalid/events", "POST")
    assert get(f"/v1/Services/{sid}/Configuration/Notifications")["new_message"]["template"] == (
        "${PARTICIPANT}: ${MESSAGE}"
    )
    [sms] = get("/v1/Configuration/Addresses")["address_configurations"]
    assert (sms["sid"], sms["type"], sms["address"]) == (
        outputs["sms_address_configuration_sid"],
        "sms",
        "+15550100000",
    )
    assert sms["auto_creation"]["enabled"] is True and sms["auto_creation"]["conversation_service_sid"] == sid
    [conversation] = emulator.conversations(sid)
    assert (conversation["sid"], conversation["unique_name"]) == (outputs["escalations_sid"], "escalations")
    [hook] = get(f"/v1/Services/{sid}/Conversations/{conversation['sid']}/Webhooks")["webhooks"]
    assert hook["target"] == "trigger" and hook["configuration"]["url"] == "https://backend.invalid/escalations"
    assert sorted(hook["configuration"]["filters"]) == ["refund", "urgent"]  # Twilio reports keywords so

    emulator.counters.reset()
    assert stack.up().changes == {"same": 8}
    assert emulator.counters.writes() == 0
    stack.destroy()
    assert emulator.services() == [] and get("/v1/Configuration/Addresses")["address_configurations"] == []


def test_the_full_service_backend_receives_a_signed_event_for_an_inbound_sms(
    make_workspace: MakeWorkspace, emulator: Emulator
) -> None:
    """An SMS to the declared number opens a conversation in the service; the backend gets onMessageAdded, signed."""
    with emulator.receiver() as backend:
        stack = make_workspace((EXAMPLES / "full-service" / "__main__.py").read_text())
        stack.config_set("backendUrl", backend.url)
        stack.up()
        service = stack.outputs()["service_sid"]

        landed = emulator.inbound(type="sms", from_="+15550001111", to="+15550100000", body="my order is late")
        assert landed in [c["sid"] for c in emulator.conversations(service)]
        events = {call.form["EventType"]: call for call in backend.wait(3)}
        assert set(events) == {"onConversationAdded", "onParticipantAdded", "onMessageAdded"}
        added = events["onMessageAdded"]
        assert added.url == f"{backend.url.rstrip('/')}/events" and added.signature_valid
        assert (added.form["ConversationSid"], added.form["Author"], added.form["Body"]) == (
            landed,
            "+15550001111",
            "my order is late",
        )
        validator = RequestValidator(DEFAULT_AUTH_TOKEN)
        assert validator.validate(added.url, added.form, added.headers["X-Twilio-Signature"])
        assert not validator.validate(
            added.url, {**added.form, "Body": "tampered"}, added.headers["X-Twilio-Signature"]
        )

        again = emulator.inbound(type="sms", from_="+15550001111", to="+15550100000", body="hello?")
        assert again == landed  # the same sender's next message goes to the same open conversation
        refused = stack.destroy(check=False)  # the conversation the SMS opened is not the stack's to delete
        assert refused.returncode != 0 and "still holds 1 conversation(s)" in refused.output
