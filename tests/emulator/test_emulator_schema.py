"""Every answer the emulator gives matches Twilio's OpenAPI description, property for property."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api, component, examples, properties, response_schema, shape, validator

SERVICE = "conversations.v1.service"
CONFIGURATION = "conversations.v1.service.service_configuration"
CONVERSATION = "conversations.v1.service.service_conversation"
SERVICE_WEBHOOKS = "conversations.v1.service.service_configuration.service_webhook_configuration"
NOTIFICATIONS = "conversations.v1.service.service_configuration.service_notification"
ROLE = "conversations.v1.service.service_role"
ADDRESS = "conversations.v1.configuration_address"
WEBHOOK = "conversations.v1.service.service_conversation.service_conversation_scoped_webhook"
TIMESTAMP = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"


def assert_resource(body: dict[str, Any], name: str) -> None:
    validator(component(name)).validate(body)
    schema = properties(name)
    assert set(body) == set(schema), "every property of the schema, and no other"
    # jsonschema checks `format` only with optional packages: check the two formats used here directly
    for key, prop in schema.items():
        if body[key] is not None and prop.get("format") == "date-time":
            assert re.match(TIMESTAMP, body[key]), (key, body[key])
        if body[key] is not None and prop.get("format") == "uri":
            own = key == "url"  # the emulator's own address; webhook URLs are what the client set
            assert body[key].startswith("http://127.0.0.1:" if own else "https://"), (key, body[key])
    for moment in (body.get("timers") or {}).values():
        assert re.match(TIMESTAMP, moment), moment


def assert_answer(response: requests.Response, status: int, name: str) -> dict[str, Any]:
    """The response has `status` and a body of the spec's schema `name`; the body is returned."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert_resource(body, name)
    return body


def assert_page(body: dict[str, Any], path: str, key: str, name: str) -> None:
    validator(response_schema(path, "get")).validate(body)
    assert set(body) == {key, "meta"}
    assert set(body["meta"]) == {
        "page",
        "page_size",
        "first_page_url",
        "previous_page_url",
        "url",
        "next_page_url",
        "key",
    }
    assert body["meta"]["key"] == key
    for item in body[key]:
        assert_resource(item, name)


def test_service_answers_match_the_spec(api: Api) -> None:
    """Creating, fetching and listing services answers with the spec's service schema and list envelope."""
    created = assert_answer(api.post("/v1/Services", {"FriendlyName": "Support"}), 201, SERVICE)
    assert created["date_created"] == created["date_updated"]
    assert assert_answer(api.get(f"/v1/Services/{created['sid']}"), 200, SERVICE) == created
    listed = api.get("/v1/Services")
    assert_page(listed.json(), "/v1/Services", "services", SERVICE)


def test_configuration_answers_match_the_spec(api: Api, service: str) -> None:
    """Fetching and updating a service's configuration answers with the spec's configuration schema."""
    path = f"/v1/Services/{service}/Configuration"
    assert_answer(api.get(path), 200, CONFIGURATION)
    assert_answer(api.post(path, {"ReachabilityEnabled": "true"}), 200, CONFIGURATION)


@pytest.mark.parametrize(
    "form",
    [
        {},
        {
            "FriendlyName": "Support",
            "UniqueName": "support",
            "Attributes": '{"team": "support"}',
            "MessagingServiceSid": "MG" + "a" * 32,
            "State": "inactive",
            "Timers.Inactive": "PT5M",
            "Timers.Closed": "P1D",
            "Bindings.Email.Address": "support@example.com",
            "Bindings.Email.Name": "Support",
            "DateCreated": "2015-12-16T22:18:37Z",
            "DateUpdated": "2015-12-16T22:18:38Z",
        },
    ],
    ids=["bare", "every-field"],
)
def test_conversation_answers_match_the_spec(api: Api, conversations_path: str, form: dict[str, str]) -> None:
    """Create, fetch, update and list answer with the spec's conversation schema, bare or with every field set."""
    created = assert_answer(api.post(conversations_path, form), 201, CONVERSATION)
    instance = f"{conversations_path}/{created['sid']}"
    assert_answer(api.get(instance), 200, CONVERSATION)
    assert_answer(api.post(instance, {"FriendlyName": "renamed"}), 200, CONVERSATION)
    listed = api.get(conversations_path)
    assert_page(listed.json(), "/v1/Services/{ChatServiceSid}/Conversations", "conversations", CONVERSATION)


def test_a_page_in_the_middle_matches_the_list_schema(api: Api, emulator: Emulator, service: str) -> None:
    """A middle page carries previous and next links, and still matches the list envelope."""
    for number in range(5):
        emulator.create_conversation(service, FriendlyName=f"c{number}")
    first = api.get(f"/v1/Services/{service}/Conversations", params={"PageSize": 2}).json()
    middle = api.get(first["meta"]["next_page_url"]).json()
    assert middle["meta"]["previous_page_url"] and middle["meta"]["next_page_url"]
    assert_page(middle, "/v1/Services/{ChatServiceSid}/Conversations", "conversations", CONVERSATION)


def address_examples() -> list[dict[str, Any]]:
    """Every address configuration the spec shows, from its create, fetch, update and list examples."""
    single = [
        *examples("/v1/Configuration/Addresses", "post", "201"),
        *examples("/v1/Configuration/Addresses/{Sid}", "get"),
        *examples("/v1/Configuration/Addresses/{Sid}", "post"),
    ]
    listed = [
        item for page in examples("/v1/Configuration/Addresses", "get") for item in page["address_configurations"]
    ]
    return single + listed


def test_service_settings_answers_match_the_spec(api: Api, service: str) -> None:
    """Webhook and notification settings answer with their schemas, as defaults and once set."""
    webhooks = f"/v1/Services/{service}/Configuration/Webhooks"
    assert_answer(api.get(webhooks), 200, SERVICE_WEBHOOKS)
    form = {"PreWebhookUrl": "https://hooks.example.com/pre", "Filters": ["onMessageAdded"], "Method": "GET"}
    assert_answer(api.post(webhooks, form), 200, SERVICE_WEBHOOKS)
    notifications = f"/v1/Services/{service}/Configuration/Notifications"
    fetched = assert_answer(api.get(notifications), 200, NOTIFICATIONS)
    [example] = examples("/v1/Services/{ChatServiceSid}/Configuration/Notifications", "get")
    assert shape(fetched) == shape(example), "the nested settings have the keys of Twilio's example"
    assert_answer(api.post(notifications, {"NewMessage.Enabled": "true", "LogEnabled": "true"}), 200, NOTIFICATIONS)


def test_role_answers_match_the_spec(api: Api, service: str) -> None:
    """Create, fetch, update and list answer with the spec's role schema and list envelope, defaults included."""
    roles = f"/v1/Services/{service}/Roles"
    created = assert_answer(
        api.post(roles, {"FriendlyName": "Moderator", "Type": "conversation", "Permission": ["sendMessage"]}), 201, ROLE
    )
    assert_answer(api.get(f"{roles}/{created['sid']}"), 200, ROLE)
    assert_answer(api.post(f"{roles}/{created['sid']}", {"Permission": ["editAnyMessage"]}), 200, ROLE)
    assert_page(api.get(roles).json(), "/v1/Services/{ChatServiceSid}/Roles", "roles", ROLE)


@pytest.mark.parametrize(
    "auto_creation",
    [
        {},
        {"AutoCreation.Enabled": "true", "AutoCreation.Type": "default"},
        {
            "AutoCreation.Enabled": "true",
            "AutoCreation.Type": "webhook",
            "AutoCreation.WebhookUrl": "https://hooks.example.com/in",
            "AutoCreation.WebhookMethod": "POST",
            "AutoCreation.WebhookFilters": ["onMessageAdded", "onParticipantAdded"],
        },
        {
            "AutoCreation.Type": "studio",
            "AutoCreation.StudioFlowSid": "FW" + "c" * 32,
            "AutoCreation.StudioRetryCount": "2",
        },
    ],
    ids=["bare", "default", "webhook", "studio"],
)
def test_address_answers_match_the_spec(api: Api, service: str, auto_creation: dict[str, Any]) -> None:
    """Create, fetch, update, list answer with the address configuration schema, for each auto-creation type."""
    form = {"Type": "sms", "Address": "+15005550006", "FriendlyName": "Desk", "AddressCountry": "US", **auto_creation}
    if form.get("AutoCreation.Type") in ("webhook", "studio"):
        form["AutoCreation.ConversationServiceSid"] = service
    created = assert_answer(api.post("/v1/Configuration/Addresses", form), 201, ADDRESS)
    same_type = [
        e["auto_creation"]
        for e in address_examples()
        if e["auto_creation"]["type"] == form.get("AutoCreation.Type", "default")
    ]
    assert shape(created["auto_creation"]) in [shape(example) for example in same_type], "as Twilio's examples"
    instance = f"/v1/Configuration/Addresses/{created['sid']}"
    assert_answer(api.get(instance), 200, ADDRESS)
    assert_answer(api.post(instance, {"FriendlyName": "Renamed"}), 200, ADDRESS)
    listed = api.get("/v1/Configuration/Addresses").json()
    assert_page(listed, "/v1/Configuration/Addresses", "address_configurations", ADDRESS)


@pytest.mark.parametrize(
    "form",
    [
        {"Target": "webhook", "Configuration.Url": "https://hooks.example.com/bot", "Configuration.Filters": ["a"]},
        {"Target": "trigger", "Configuration.Url": "https://hooks.example.com/kw", "Configuration.Triggers": ["help"]},
        {"Target": "studio", "Configuration.FlowSid": "FW" + "d" * 32, "Configuration.ReplayAfter": "3"},
    ],
    ids=["webhook", "trigger", "studio"],
)
def test_conversation_webhook_answers_match_the_spec(
    api: Api, emulator: Emulator, service: str, form: dict[str, Any]
) -> None:
    """Create, fetch, update and list answer with the spec's conversation-scoped webhook schema, for each target."""
    conversation = emulator.create_conversation(service)["sid"]
    webhooks = f"/v1/Services/{service}/Conversations/{conversation}/Webhooks"
    created = assert_answer(api.post(webhooks, form), 201, WEBHOOK)
    route = "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks"
    [example] = [e for e in examples(route, "get")[0]["webhooks"] if e["target"] == form["Target"]]
    assert shape(created["configuration"]) == shape(example["configuration"]), "configured as Twilio's example"
    assert_answer(api.get(f"{webhooks}/{created['sid']}"), 200, WEBHOOK)
    assert_answer(api.post(f"{webhooks}/{created['sid']}", {"Configuration.Method": "GET"}), 200, WEBHOOK)
    assert_page(api.get(webhooks).json(), route, "webhooks", WEBHOOK)


PARTICIPANT = "conversations.v1.service.service_conversation.service_conversation_participant"
MESSAGE = "conversations.v1.service.service_conversation.service_conversation_message"


@pytest.mark.parametrize(
    "form",
    [
        {"Identity": "agent-7", "Attributes": '{"role": "agent"}', "DateCreated": "2015-12-16T22:18:37Z"},
        {"MessagingBinding.Address": "+15558675310", "MessagingBinding.ProxyAddress": "+15017122661"},
        {"Identity": "group", "MessagingBinding.ProjectedAddress": "+15017122661"},
    ],
    ids=["chat", "sms", "group-mms"],
)
def test_participant_answers_match_the_spec(api: Api, emulator: Emulator, service: str, form: dict[str, str]) -> None:
    """Create, fetch, update and list answer with the spec's participant schema, binding shaped as Twilio's examples."""
    conversation = emulator.create_conversation(service)["sid"]
    route = "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Participants"
    participants = route.format(ChatServiceSid=service, ConversationSid=conversation)
    created = assert_answer(api.post(participants, form), 201, PARTICIPANT)
    shown = [example["messaging_binding"] for example in examples(route, "post", "201")]
    assert shape(created["messaging_binding"]) in [shape(binding) for binding in shown], "bound as an example is"
    assert_answer(api.get(f"{participants}/{created['sid']}"), 200, PARTICIPANT)
    update = {"Attributes": "{}", "LastReadMessageIndex": "0", "LastReadTimestamp": "2015-12-16T22:18:37Z"}
    assert_answer(api.post(f"{participants}/{created['sid']}", update), 200, PARTICIPANT)
    assert_page(api.get(participants).json(), route, "participants", PARTICIPANT)


def test_message_answers_match_the_spec(api: Api, emulator: Emulator, service: str) -> None:
    """Create, fetch, update and list (either order, a middle page) answer with the spec's message schema."""
    conversation = emulator.create_conversation(service)["sid"]
    route = "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages"
    messages = route.format(ChatServiceSid=service, ConversationSid=conversation)
    form = {"Author": "agent-7", "Body": "Hello", "Attributes": '{"importance": "high"}', "Subject": "Hi"}
    created = assert_answer(api.post(messages, form), 201, MESSAGE)
    [example] = examples(route, "post", "201")[:1]
    assert set(created["links"]) == set(example["links"]), "the links of Twilio's example"
    assert_answer(api.post(messages, {"MediaSid": "ME" + "a" * 32}), 201, MESSAGE)
    assert_answer(api.post(messages, {"ContentSid": "HX" + "b" * 32, "ContentVariables": "{}"}), 201, MESSAGE)
    assert_answer(api.get(f"{messages}/{created['sid']}"), 200, MESSAGE)
    assert_answer(api.post(f"{messages}/{created['sid']}", {"Body": "Hello again"}), 200, MESSAGE)
    first = api.get(messages, params={"PageSize": 1, "Order": "desc"}).json()
    assert_page(first, route, "messages", MESSAGE)
    middle = api.get(first["meta"]["next_page_url"]).json()
    assert middle["meta"]["previous_page_url"] and middle["meta"]["next_page_url"]
    assert_page(middle, route, "messages", MESSAGE)
