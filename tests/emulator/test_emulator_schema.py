"""Every answer the emulator gives matches Twilio's OpenAPI description, property for property."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api, component, properties, response_schema, validator

SERVICE = "conversations.v1.service"
CONFIGURATION = "conversations.v1.service.service_configuration"
CONVERSATION = "conversations.v1.service.service_conversation"
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
            assert body[key].startswith("http://127.0.0.1:"), (key, body[key])
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
