"""The account: `/v1/Configuration`, its webhooks, its default service and the account-level tree acting on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_emulator_schema import assert_answer
from twilio.rest import Client

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api, assert_like_an_example, error, raised

CONFIGURATION = "conversations.v1.configuration"
WEBHOOKS = "conversations.v1.configuration.configuration_webhook"
CONVERSATION = "conversations.v1.conversation"
ROLE = "conversations.v1.role"
PARTICIPANT = "conversations.v1.conversation.conversation_participant"
MESSAGE = "conversations.v1.conversation.conversation_message"


def test_an_account_nobody_asked_about_has_no_service(api: Api, emulator: Emulator) -> None:
    """The service tree alone does not make the default service: it comes with the first account-level request."""
    api.get("/v1/Services").raise_for_status()
    assert emulator.services() == []
    default = api.get("/v1/Configuration").json()["default_chat_service_sid"]
    assert [service["sid"] for service in emulator.services()] == [default]
    assert api.get("/v1/Configuration").json()["default_chat_service_sid"] == default, "made once"


def test_configuration_answers_match_the_spec_and_its_examples(api: Api) -> None:
    """GET and POST /v1/Configuration answer with the schema and the keys of Twilio's examples."""
    fetched = assert_answer(api.get("/v1/Configuration"), 200, CONFIGURATION)
    assert_like_an_example(fetched, "/v1/Configuration", "get")
    assert fetched["links"]["service"].endswith(f"/v1/Services/{fetched['default_chat_service_sid']}/Configuration")
    form = {
        "DefaultMessagingServiceSid": "MG" + "a" * 32,
        "DefaultInactiveTimer": "PT1M",
        "DefaultClosedTimer": "PT10M",
    }
    updated = assert_answer(api.post("/v1/Configuration", form), 200, CONFIGURATION)
    assert_like_an_example(updated, "/v1/Configuration", "post")
    assert (updated["default_messaging_service_sid"], updated["default_inactive_timer"]) == (
        form["DefaultMessagingServiceSid"],
        "PT1M",
    )
    assert api.get("/v1/Configuration").json() == updated


def test_the_default_service_can_be_another_one(api: Api, emulator: Emulator) -> None:
    """Naming another service as the default moves the account-level tree onto it; an unknown one is a 404."""
    other = emulator.create_service("Other")["sid"]
    assert api.post("/v1/Configuration", {"DefaultChatServiceSid": other}).json()["default_chat_service_sid"] == other
    created = api.post("/v1/Conversations", {"FriendlyName": "here"}).json()
    assert created["chat_service_sid"] == other
    assert error(api.post("/v1/Configuration", {"DefaultChatServiceSid": "IS" + "0" * 32})) == (404, 20404)


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"DefaultChatServiceSid": "not-a-sid"}, 20001),
        ({"DefaultMessagingServiceSid": "IS" + "a" * 32}, 20001),
        ({"DefaultInactiveTimer": "PT30S"}, 50375),
        ({"DefaultClosedTimer": "PT5M"}, 50376),
        ({"DefaultInactiveTimer": "five minutes"}, 50379),
    ],
    ids=["service-not-a-sid", "messaging-not-mg", "inactive-too-short", "closed-too-short", "not-a-duration"],
)
def test_a_configuration_breaking_a_rule_is_refused(api: Api, form: dict[str, str], code: int) -> None:
    """SIDs of their kind, and timers as a conversation's: an ISO 8601 duration of at least 1 / 10 minutes."""
    assert error(api.post("/v1/Configuration", form)) == (400, code)


def test_webhook_settings_answer_as_twilio_and_keep_what_was_set(api: Api) -> None:
    """A never-configured account answers Twilio's defaults; an update keeps what it did not name; "" clears."""
    fresh = assert_answer(api.get("/v1/Configuration/Webhooks"), 200, WEBHOOKS)
    assert_like_an_example(fresh, "/v1/Configuration/Webhooks", "get")
    assert (fresh["method"], fresh["target"], fresh["filters"], fresh["post_webhook_url"]) == (
        "POST",
        "webhook",
        [],
        None,
    )
    form = {"PreWebhookUrl": "https://example.com/pre", "PostWebhookUrl": "https://example.com/post", "Method": "GET"}
    set_ = assert_answer(api.post("/v1/Configuration/Webhooks", {**form, "Filters": ["onMessageAdd"]}), 200, WEBHOOKS)
    assert_like_an_example(set_, "/v1/Configuration/Webhooks", "post")
    cleared = api.post("/v1/Configuration/Webhooks", {"PostWebhookUrl": "", "Target": "flex"}).json()
    assert (cleared["pre_webhook_url"], cleared["post_webhook_url"]) == ("https://example.com/pre", None)
    assert (cleared["method"], cleared["filters"], cleared["target"]) == ("GET", ["onMessageAdd"], "flex")
    assert api.get("/v1/Configuration/Webhooks").json() == cleared


@pytest.mark.parametrize(
    "form",
    [{"Method": "PUT"}, {"Target": "studio"}, {"PreWebhookUrl": "not a url"}],
    ids=["method", "target", "url"],
)
def test_webhook_settings_breaking_a_rule_are_refused(api: Api, form: dict[str, str]) -> None:
    """Method GET or POST, Target webhook or flex, URLs absolute http(s): else 400 / 20001."""
    assert error(api.post("/v1/Configuration/Webhooks", form)) == (400, 20001)


def test_sdk_reads_and_updates_the_account_configuration(client: Client) -> None:
    """Twilio's SDK fetches and updates the configuration and its webhooks."""
    configuration = client.conversations.v1.configuration
    fetched = configuration().fetch()
    assert fetched.default_chat_service_sid is not None and fetched.default_chat_service_sid.startswith("IS")
    assert configuration().update(default_closed_timer="PT1H").default_closed_timer == "PT1H"
    hooks = configuration.webhooks().update(method="GET", filters=["onConversationAdded"], target="webhook")
    assert (hooks.method, hooks.filters) == ("GET", ["onConversationAdded"])
    assert configuration.webhooks().fetch().filters == ["onConversationAdded"]


def test_account_level_answers_carry_the_account_level_urls(api: Api) -> None:
    """A conversation and a role made at `/v1/…` answer as Twilio's examples: the schema, the keys, `/v1/…` URLs."""
    created = assert_answer(api.post("/v1/Conversations", {"FriendlyName": "front desk"}), 201, CONVERSATION)
    assert_like_an_example(created, "/v1/Conversations", "post", "201")
    assert created["url"] == api.url(f"/v1/Conversations/{created['sid']}")
    assert created["links"]["messages"] == created["url"] + "/Messages"
    assert api.get(created["url"]).json() == created
    service = created["chat_service_sid"]
    in_service = api.get(f"/v1/Services/{service}/Conversations/{created['sid']}").json()
    assert in_service["url"] == api.url(f"/v1/Services/{service}/Conversations/{created['sid']}")
    form = {"FriendlyName": "Mod", "Type": "conversation", "Permission": ["sendMessage"]}
    role = assert_answer(api.post("/v1/Roles", form), 201, ROLE)
    assert_like_an_example(role, "/v1/Roles", "post", "201")
    assert role["url"] == api.url(f"/v1/Roles/{role['sid']}")
    listed = api.get("/v1/Conversations").json()
    assert listed["meta"]["url"].startswith(api.url("/v1/Conversations?"))


def test_sdk_uses_the_account_level_tree(client: Client) -> None:
    """Twilio's SDK creates a conversation at the account level and finds it by unique name, then in its service."""
    conversations = client.conversations.v1.conversations
    created = conversations.create(friendly_name="front desk", unique_name="desk")
    assert conversations("desk").fetch().sid == created.sid
    service = client.conversations.v1.configuration().fetch().default_chat_service_sid
    assert client.conversations.v1.services(service).conversations(created.sid).fetch().friendly_name == "front desk"
    conversations(created.sid).delete()
    assert raised(lambda: conversations(created.sid).fetch()).code == 20404


def test_account_settings_are_kept_in_the_state_file(tmp_path: Path) -> None:
    """The configuration, the webhook settings and the default service come back after a restart; a state file
    from before them still loads."""
    state = tmp_path / "state.json"
    with Emulator(state_file=state) as first:
        api = Api(first)
        api.post("/v1/Configuration", {"DefaultInactiveTimer": "PT5M"})
        api.post("/v1/Configuration/Webhooks", {"Filters": ["onMessageAdded"]})
        before = [
            api.get(path).text.replace(first.base_url, "")
            for path in ("/v1/Configuration", "/v1/Configuration/Webhooks")
        ]
    with Emulator(state_file=state) as second:
        api = Api(second)
        after = [
            api.get(path).text.replace(second.base_url, "")
            for path in ("/v1/Configuration", "/v1/Configuration/Webhooks")
        ]
    assert after == before
    data = json.loads(state.read_text(encoding="utf-8"))
    del data["account"], data["credentials"]
    state.write_text(json.dumps(data), encoding="utf-8")
    with Emulator(state_file=state) as third:
        assert Api(third).get("/v1/Configuration").json()["default_inactive_timer"] is None


def test_what_is_below_an_account_level_conversation_names_no_service(api: Api) -> None:
    """Participants and messages at `/v1/Conversations/CH…/…` answer the account-level schemas and examples, which
    have no `chat_service_sid`; the same records in the service tree keep it."""
    conversation = api.post("/v1/Conversations", {"FriendlyName": "desk"}).json()
    route = "/v1/Conversations/{ConversationSid}/Participants"
    member = assert_answer(api.post(f"{conversation['url']}/Participants", {"Identity": "ann"}), 201, PARTICIPANT)
    assert_like_an_example(member, route, "post", "201")
    message = assert_answer(api.post(f"{conversation['url']}/Messages", {"Author": "ann", "Body": "hi"}), 201, MESSAGE)
    assert "chat_service_sid" not in message and message["url"].startswith(conversation["url"] + "/Messages/")
    listed = api.get(f"{conversation['url']}/Participants").json()["participants"]
    assert listed == [member]
    service = conversation["chat_service_sid"]
    in_service = api.get(f"/v1/Services/{service}/Conversations/{conversation['sid']}/Participants/{member['sid']}")
    assert in_service.json()["chat_service_sid"] == service


def test_the_account_webhooks_hear_the_default_services_events(api: Api, emulator: Emulator) -> None:
    """With target `webhook`, the events the account's filters name, of the default service's conversations, go to
    its post-action URL; another service's do not, nor anything once the target is `flex`."""
    with emulator.receiver() as backend:
        api.post("/v1/Configuration/Webhooks", {"PostWebhookUrl": backend.url, "Filters": ["onConversationAdded"]})
        enabled = {"X-Twilio-Webhook-Enabled": "true"}
        created = api.post("/v1/Conversations", {"FriendlyName": "lobby"}, headers=enabled).json()
        [told] = backend.wait(1)
        assert (told.form["ConversationSid"], told.form["ChatServiceSid"]) == (
            created["sid"],
            created["chat_service_sid"],
        )
        other = emulator.create_service("Other")["sid"]
        api.post(f"/v1/Services/{other}/Conversations", {"FriendlyName": "elsewhere"}, headers=enabled)
        api.post("/v1/Configuration/Webhooks", {"Target": "flex"})
        api.post("/v1/Conversations", {"FriendlyName": "to flex"}, headers=enabled)
        emulator.wait_for_deliveries()
    assert [d.form["ConversationSid"] for d in emulator.deliveries] == [created["sid"]]


def test_naming_a_default_first_makes_no_other_service(api: Api, emulator: Emulator, service: str) -> None:
    """A POST /v1/Configuration that names the default service, as the first account-level request, makes none."""
    assert (
        api.post("/v1/Configuration", {"DefaultChatServiceSid": service}).json()["default_chat_service_sid"] == service
    )
    assert [found["sid"] for found in emulator.services()] == [service]
