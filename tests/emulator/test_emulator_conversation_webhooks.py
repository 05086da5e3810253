"""Webhooks scoped to one conversation: a URL, keyword triggers or a Studio flow, at most five each."""

from __future__ import annotations

from pathlib import Path

import pytest
from twilio.rest import Client

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api, error, raised

FLOW = "FW" + "b" * 32


@pytest.fixture
def conversation(emulator: Emulator, service: str) -> str:
    """The SID of a conversation (unique name `triage`) in the test's service."""
    return str(emulator.create_conversation(service, UniqueName="triage")["sid"])


def test_sdk_manages_a_webhook_from_create_to_delete(client: Client, service: str, conversation: str) -> None:
    """Create with URL, method, repeated filters and ReplayAfter; fetch, update, delete; then it is gone."""
    webhooks = client.conversations.v1.services(service).conversations(conversation).webhooks
    created = webhooks.create(
        target="webhook",
        configuration_url="https://hooks.example.com/bot",
        configuration_method="get",
        configuration_filters=["onMessageAdded", "onConversationUpdated"],
        configuration_replay_after=0,
    )
    assert created.sid.startswith("WH") and created.target == "webhook"
    assert (created.conversation_sid, created.chat_service_sid) == (conversation, service)
    assert created.configuration == {
        "url": "https://hooks.example.com/bot",
        "method": "get",
        "filters": ["onMessageAdded", "onConversationUpdated"],
    }
    assert webhooks(created.sid).fetch().configuration == created.configuration

    updated = webhooks(created.sid).update(configuration_method="POST", configuration_filters=["onMessageRemoved"])
    assert updated.configuration == {
        "url": "https://hooks.example.com/bot",
        "method": "post",
        "filters": ["onMessageRemoved"],
    }
    assert webhooks(created.sid).delete() is True
    gone = raised(webhooks(created.sid).fetch)
    assert (gone.status, gone.code) == (404, 20404)


@pytest.mark.usefixtures("conversation")
def test_each_target_keeps_what_it_uses(client: Client, service: str) -> None:
    """A trigger answers its keywords (as `filters`, as Twilio does), a Studio one its flow; method defaults to POST."""
    webhooks = client.conversations.v1.services(service).conversations("triage").webhooks
    trigger = webhooks.create(
        target="trigger", configuration_url="https://hooks.example.com/kw", configuration_triggers=["help", "agent"]
    )
    assert trigger.configuration == {
        "url": "https://hooks.example.com/kw",
        "method": "post",
        "filters": ["help", "agent"],
    }
    studio = webhooks.create(target="studio", configuration_flow_sid=FLOW)
    assert studio.configuration == {"flow_sid": FLOW}
    assert [hook.target for hook in webhooks.list()] == ["trigger", "studio"]


@pytest.mark.parametrize(
    ("form", "named"),
    [
        ({}, "Target"),
        ({"Target": "email"}, "Target"),
        ({"Target": "webhook"}, "Configuration.Url"),
        ({"Target": "trigger", "Configuration.Url": "https://x.example"}, "Configuration.Triggers"),
        ({"Target": "studio"}, "Configuration.FlowSid"),
        ({"Target": "studio", "Configuration.FlowSid": "FW1"}, "Configuration.FlowSid"),
        ({"Target": "webhook", "Configuration.Url": "https://x.example", "Configuration.Method": "PUT"}, "Method"),
        (
            {"Target": "webhook", "Configuration.Url": "https://x.example", "Configuration.ReplayAfter": "x"},
            "ReplayAfter",
        ),
        (
            {"Target": "webhook", "Configuration.Url": "https://x.example", "Configuration.ReplayAfter": "2147483648"},
            "ReplayAfter",
        ),
    ],
    ids=[
        "no-target",
        "bad-target",
        "webhook-no-url",
        "trigger-no-keywords",
        "studio-no-flow",
        "bad-flow",
        "bad-method",
        "bad-replay",
        "replay-over-32-bits",
    ],
)
def test_a_webhook_missing_what_its_target_needs_is_refused(
    api: Api, service: str, conversation: str, form: dict[str, str], named: str
) -> None:
    """Target is required; `webhook` needs a URL, `trigger` a URL and keywords, `studio` a flow SID."""
    path = f"/v1/Services/{service}/Conversations/{conversation}/Webhooks"
    refused = api.post(path, form)
    assert error(refused) == (400, 20001) and named in refused.json()["message"]
    assert api.get(path).json()["webhooks"] == []


def test_a_sixth_webhook_is_refused(client: Client, service: str, conversation: str) -> None:
    """A conversation takes five webhooks; the sixth is a 400 and is not added."""
    webhooks = client.conversations.v1.services(service).conversations(conversation).webhooks
    for number in range(5):
        webhooks.create(target="webhook", configuration_url=f"https://hooks.example.com/{number}")
    refused = raised(lambda: webhooks.create(target="webhook", configuration_url="https://hooks.example.com/6"))
    assert (refused.status, refused.code) == (400, 20001)
    assert len(webhooks.list()) == 5


def test_webhooks_are_listed_across_pages(client: Client, emulator: Emulator, service: str, conversation: str) -> None:
    """Pages of 2 walk every webhook in creation order."""
    webhooks = client.conversations.v1.services(service).conversations(conversation).webhooks
    for number in range(5):
        webhooks.create(target="webhook", configuration_url=f"https://hooks.example.com/{number}")
    emulator.counters.reset()
    urls = [hook.configuration["url"] for hook in webhooks.list(page_size=2)]
    assert urls == [f"https://hooks.example.com/{number}" for number in range(5)]
    assert (
        emulator.counters.requests[("GET", "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks")]
        == 3
    )


def test_an_update_cannot_take_away_what_the_target_needs(client: Client, service: str, conversation: str) -> None:
    """Clearing a webhook's URL is refused, and the webhook keeps it."""
    webhooks = client.conversations.v1.services(service).conversations(conversation).webhooks
    created = webhooks.create(target="webhook", configuration_url="https://hooks.example.com/bot")
    refused = raised(lambda: webhooks(created.sid).update(configuration_url=""))
    assert (refused.status, refused.code) == (400, 20001)
    assert webhooks(created.sid).fetch().configuration["url"] == "https://hooks.example.com/bot"


def test_webhooks_go_with_their_conversation(
    client: Client, api: Api, emulator: Emulator, service: str, conversation: str
) -> None:
    """Deleting the conversation deletes its webhooks: a new conversation of the same unique name has none."""
    conversations = client.conversations.v1.services(service).conversations
    conversations(conversation).webhooks.create(target="studio", configuration_flow_sid=FLOW)
    conversations(conversation).delete()
    emulator.create_conversation(service, UniqueName="triage")
    assert conversations("triage").webhooks.list() == []
    assert error(api.get(f"/v1/Services/{service}/Conversations/{conversation}/Webhooks")) == (404, 20404)


def test_webhooks_are_kept_in_the_state_file(tmp_path: Path) -> None:
    """A conversation's webhooks come back unchanged after a restart on the same state file."""
    state = tmp_path / "state.json"
    with Emulator(state_file=state) as first:
        sid = first.create_service("Support")["sid"]
        conversation = first.create_conversation(sid, UniqueName="triage")["sid"]
        path = f"/v1/Services/{sid}/Conversations/{conversation}/Webhooks"
        form = {"Target": "trigger", "Configuration.Url": "https://x.example", "Configuration.Triggers": ["a", "b"]}
        created = Api(first).post(path, form).json()
    with Emulator(state_file=state) as second:
        fetched = Api(second).get(f"{path}/{created['sid']}").json()
    assert {**fetched, "url": None} == {**created, "url": None}
    assert fetched["configuration"]["filters"] == ["a", "b"]


def test_an_empty_filters_clears_them(api: Api, service: str, conversation: str) -> None:
    """Configuration.Filters sent empty leaves the webhook with no filters."""
    path = f"/v1/Services/{service}/Conversations/{conversation}/Webhooks"
    form = {"Target": "webhook", "Configuration.Url": "https://x.example", "Configuration.Filters": ["onMessageAdded"]}
    created = api.post(path, form).json()
    updated = api.post(f"{path}/{created['sid']}", {"Configuration.Filters": ""}).json()
    assert updated["configuration"]["filters"] == []
