"""Issue 25's configuration resources through the SDK's own dynamic-provider server, against the real emulator.

tests/test_config_resources.py checks them against a fake transport; these check the same contract
(notes: the form keys, the answers, the lookups) end to end against the emulator's families.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from pulumi_twilio_conversations import (
    AccountConfigurationProvider,
    AccountWebhookConfigurationProvider,
    ConversationProvider,
    CredentialProvider,
    UserProvider,
)
from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

from harness import ProviderServer, writes

pytestmark = pytest.mark.sdk

Start = Callable[..., ProviderServer]


def get(emulator: Emulator, path: str) -> Any:
    """What Twilio holds at `path`, asked outside the provider."""
    return requests.get(emulator.base_url + path, auth=(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN), timeout=10).json()


def test_a_credential_is_created_updated_and_deleted_with_its_key_material_unread(
    start_provider: Start, emulator: Emulator
) -> None:
    """The key material is sent, never read back; a new friendly name updates in place; delete leaves none."""
    credentials = start_provider(CredentialProvider(), "pulumi-python:dynamic/twilio:Credential")
    declared = {"type": "fcm", "friendly_name": "android", "secret": "server-key"}
    inputs, sid, outs = credentials.up(declared)
    assert sid.startswith("CR") and outs["friendly_name"] == "android"
    assert [form for method, route, form in writes(emulator) if route == "/v1/Credentials"] == [
        {"Type": "fcm", "FriendlyName": "android", "Secret": "server-key"}
    ]
    assert "server-key" not in str(get(emulator, f"/v1/Credentials/{sid}"))
    renamed, _ = credentials.check(inputs, {**declared, "friendly_name": "android (prod)"})
    credentials.update(sid, outs, renamed)
    assert get(emulator, f"/v1/Credentials/{sid}")["friendly_name"] == "android (prod)"
    credentials.delete(sid, outs)
    assert get(emulator, "/v1/Credentials")["credentials"] == []


def test_a_user_is_created_read_by_id_and_deleted(start_provider: Start, emulator: Emulator, service: str) -> None:
    """Create posts the identity; the user has the service's default chat role; read and delete find it."""
    users = start_provider(UserProvider(), "pulumi-python:dynamic/twilio:User")
    _, id_, outs = users.up({"chat_service_sid": service, "identity": "ann", "friendly_name": "Ann"})
    user = get(emulator, f"/v1/Services/{service}/Users/ann")
    assert user["sid"] in id_ and outs["attributes"] in ("{}", {})
    assert user["role_sid"] == get(emulator, f"/v1/Services/{service}/Configuration")["default_chat_service_role_sid"]
    found_id, found, _ = users.read(id_, outs)
    assert found_id == id_ and found["identity"] == "ann"
    users.delete(id_, outs)
    assert get(emulator, f"/v1/Services/{service}/Users")["users"] == []


def test_the_account_configuration_is_taken_over_and_given_back(
    start_provider: Start, emulator: Emulator, service: str
) -> None:
    """Create records the default service the account had and names the declared one; delete names the old again.

    (A timer the account never had cannot be given back: Twilio has no way to unset one, the provider says.)"""
    before = get(emulator, "/v1/Configuration")
    configuration = start_provider(AccountConfigurationProvider(), "pulumi-python:dynamic/twilio:AccountConfiguration")
    _, id_, outs = configuration.up({"default_chat_service_sid": service, "default_closed_timer": "PT1H"})
    assert id_ == DEFAULT_ACCOUNT_SID and outs["previous"] == {
        "default_chat_service_sid": before["default_chat_service_sid"]
    }
    now = get(emulator, "/v1/Configuration")
    assert (now["default_chat_service_sid"], now["default_closed_timer"]) == (service, "PT1H")
    assert get(emulator, "/v1/Conversations")["meta"]["url"].startswith(emulator.base_url + "/v1/Conversations")
    configuration.delete(id_, outs)
    assert get(emulator, "/v1/Configuration")["default_chat_service_sid"] == before["default_chat_service_sid"]


def test_a_conversation_without_a_service_lands_in_the_default_one(start_provider: Start, emulator: Emulator) -> None:
    """No chat_service_sid: created at `/v1/Conversations`, in the service `/v1/Configuration` names; it reads back
    and deletes through that service's tree."""
    conversations = start_provider(ConversationProvider(), "pulumi-python:dynamic/twilio:Conversation")
    _, id_, outs = conversations.up({"friendly_name": "Lobby", "unique_name": "lobby"})
    default = get(emulator, "/v1/Configuration")["default_chat_service_sid"]
    assert outs["chat_service_sid"] == default and id_.endswith(outs["sid"])
    assert [route for method, route, _ in writes(emulator)] == ["/v1/Conversations"]
    found_id, found, _ = conversations.read(id_, outs)
    assert found_id == id_ and found["unique_name"] == "lobby"
    conversations.delete(id_, outs)
    assert get(emulator, f"/v1/Services/{default}/Conversations")["conversations"] == []


def test_the_account_webhooks_are_taken_over_and_given_back(start_provider: Start, emulator: Emulator) -> None:
    """The declared URL, filters and target are written; delete puts back the defaults a new account has."""
    before = get(emulator, "/v1/Configuration/Webhooks")
    hooks = start_provider(
        AccountWebhookConfigurationProvider(), "pulumi-python:dynamic/twilio:AccountWebhookConfiguration"
    )
    declared = {"post_webhook_url": "https://backend.invalid/events", "filters": ["onMessageAdded"], "target": "flex"}
    _, id_, outs = hooks.up(declared)
    now = get(emulator, "/v1/Configuration/Webhooks")
    assert (now["post_webhook_url"], now["filters"], now["target"]) == (
        "https://backend.invalid/events",
        ["onMessageAdded"],
        "flex",
    )
    hooks.delete(id_, outs)
    assert get(emulator, "/v1/Configuration/Webhooks") == before
