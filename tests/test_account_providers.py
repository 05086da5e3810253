"""Credential, the account's two settings, User, Participant and a Conversation without a service through the SDK's own
dynamic-provider server, against the emulator: what each create sends, a rest, an update of what changed, a
replace, a lost create found again, takeover and restore, import and adopt.

What the emulator cannot produce stays on the scripted transport in test_config_resources.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from pulumi.runtime.proto import provider_pb2

from pulumi_twilio_conversations import (
    AccountConfigurationProvider,
    AccountWebhookConfigurationProvider,
    ConversationProvider,
    CredentialProvider,
    ParticipantProvider,
    UserProvider,
)
from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

from harness import ProviderError, ProviderServer, create_answers_lost, writes

pytestmark = pytest.mark.sdk

NONE, SOME = provider_pb2.DiffResponse.DIFF_NONE, provider_pb2.DiffResponse.DIFF_SOME
CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIFnTCCBIWgAwIBAgIIAjy9H849+E8w-never-shown\n-----END CERTIFICATE-----"
PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpQIBAAKCAQEAuyf-never-shown\n-----END RSA PRIVATE KEY-----"
SERVER_KEY = "AAAA-server-key-never-shown"
CREDENTIALS, CREDENTIAL = "/v1/Credentials", "/v1/Credentials/{Sid}"
Start = Callable[..., ProviderServer]


def start(start_provider: Start, provider: object) -> ProviderServer:
    kind = type(provider).__name__.removesuffix("Provider")
    return start_provider(provider, f"pulumi-python:dynamic/twilio:{kind}")


def call(emulator: Emulator, method: str, path: str, **form: Any) -> Any:
    """What Twilio answers at `path`, asked outside the provider."""
    auth = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
    response = requests.request(method, emulator.base_url + path, data=form or None, auth=auth, timeout=10)
    response.raise_for_status()
    return response.json()


def credentials(emulator: Emulator) -> list[Any]:
    return list(call(emulator, "GET", CREDENTIALS)["credentials"])


def test_a_credential_sends_its_key_keeps_it_rests_updates_a_new_key_and_replaces_on_a_new_type(
    start_provider: Start, emulator: Emulator
) -> None:
    """Create posts the key material, which state keeps (Twilio never returns it); the same program diffs to
    nothing (sandbox included, whatever Twilio's spelling); a rotated certificate is one update sending it; a new
    type replaces, carrying none of the old type's inputs; delete removes it."""
    server = start(start_provider, CredentialProvider())
    declared = {"type": "apn", "friendly_name": "ios", "certificate": CERTIFICATE, "private_key": PRIVATE_KEY,
                "sandbox": False}  # fmt: skip
    inputs, sid, outs = server.up(declared)
    assert writes(emulator) == [("POST", CREDENTIALS, {"Type": "apn", "FriendlyName": "ios", "Certificate": CERTIFICATE,
                                                       "PrivateKey": PRIVATE_KEY, "Sandbox": "false"})]  # fmt: skip
    assert sid.startswith("CR") and outs["certificate"] == CERTIFICATE and outs["sandbox"] is False
    [remote] = credentials(emulator)
    assert remote["sid"] == sid and "never-shown" not in str(remote)
    same, _ = server.check(inputs, dict(declared))
    assert server.diff(sid, outs, same).changes == NONE

    rotated, _ = server.check(inputs, {**declared, "certificate": CERTIFICATE + "2"})
    diff = server.diff(sid, outs, rotated)
    assert diff.changes == SOME and list(diff.replaces) == []
    emulator.counters.reset()
    outs = server.update(sid, outs, rotated)
    assert writes(emulator) == [("POST", CREDENTIAL, {"Certificate": CERTIFICATE + "2"})]
    assert outs["certificate"] == CERTIFICATE + "2"

    fcm, failures = server.check(rotated, {"type": "fcm", "friendly_name": "ios", "secret": SERVER_KEY})
    assert failures == [] and "certificate" not in fcm  # a new credential: the apn key is not carried to it
    assert list(server.diff(sid, outs, fcm).replaces) == ["type"]
    server.delete(sid, outs)
    assert credentials(emulator) == []


def test_a_lost_credential_create_is_found_by_type_and_name_and_without_a_name_is_not_posted_again(
    start_provider: Start, emulator: Emulator
) -> None:
    """Answers lost: a named credential is found by its type and name (one POST to the collection, the key sent
    again to it); an unnamed one is not posted again and the error says so without the key."""
    server = start(start_provider, CredentialProvider())
    call(emulator, "POST", CREDENTIALS, Type="fcm", FriendlyName="ios", Secret="other")
    named, _ = server.check(None, {"type": "fcm", "friendly_name": "android", "secret": SERVER_KEY})
    unnamed, _ = server.check(None, {"type": "fcm", "secret": SERVER_KEY})
    emulator.counters.reset()
    with create_answers_lost(emulator, CREDENTIALS):
        sid, _ = server.create(named)
    with create_answers_lost(emulator, CREDENTIALS), pytest.raises(ProviderError) as raised:
        server.create(unnamed)
    assert [request for request in writes(emulator) if request[1] == CREDENTIALS] == [
        ("POST", CREDENTIALS, {"Type": "fcm", "FriendlyName": "android", "Secret": SERVER_KEY}),
        ("POST", CREDENTIALS, {"Type": "fcm", "Secret": SERVER_KEY}),
    ]
    assert sid in [c["sid"] for c in credentials(emulator) if c["friendly_name"] == "android"]
    assert len(credentials(emulator)) == 3  # the other, the named one once, the unnamed one Twilio did make
    assert "does not post again" in str(raised.value) and SERVER_KEY not in str(raised.value)


def test_account_configuration_is_taken_over_and_delete_puts_back_what_was_there(
    start_provider: Start, emulator: Emulator
) -> None:
    """Create writes only what differs (PT600S is Twilio's PT10M) and records what it found; the same program
    diffs to nothing; delete writes the previous values back; an import records what it finds."""
    call(emulator, "POST", "/v1/Configuration", DefaultInactiveTimer="PT1M", DefaultClosedTimer="PT10M")
    before = call(emulator, "GET", "/v1/Configuration")
    server = start(start_provider, AccountConfigurationProvider())
    declared = {"default_inactive_timer": "PT2H", "default_closed_timer": "PT600S"}
    emulator.counters.reset()
    inputs, id_, outs = server.up(declared)
    assert id_ == DEFAULT_ACCOUNT_SID
    assert writes(emulator) == [("POST", "/v1/Configuration", {"DefaultInactiveTimer": "PT2H"})]
    assert outs["previous"]["default_inactive_timer"] == "PT1M"
    assert outs["previous"]["default_chat_service_sid"] == before["default_chat_service_sid"]
    same, _ = server.check(inputs, dict(declared))
    assert server.diff(id_, outs, same).changes == NONE
    emulator.counters.reset()
    server.delete(id_, outs)
    assert writes(emulator) == [("POST", "/v1/Configuration", {"DefaultInactiveTimer": "PT1M"})]
    assert call(emulator, "GET", "/v1/Configuration") == before
    _, imported, inputs = server.read(DEFAULT_ACCOUNT_SID)  # `pulumi import`: what it finds, recorded as previous
    assert inputs["default_closed_timer"] == "PT10M" and imported["previous"] == inputs


def test_account_webhooks_are_taken_over_updated_and_put_back_and_an_import_records_them(
    start_provider: Start, emulator: Emulator
) -> None:
    """The account's webhooks, taken over and changed, go back to what was there on delete; a read of the
    account SID (`pulumi import`) declares what it found, and records it as what destroy would put back."""
    found = {"PreWebhookUrl": "https://before.invalid/pre", "PostWebhookUrl": "https://before.invalid/post",
             "Method": "GET", "Filters": ["onMessageAdded", "onConversationUpdated"]}  # fmt: skip
    call(emulator, "POST", "/v1/Configuration/Webhooks", **found)
    before = call(emulator, "GET", "/v1/Configuration/Webhooks")
    server = start(start_provider, AccountWebhookConfigurationProvider())
    _, imported, inputs = server.read(DEFAULT_ACCOUNT_SID)
    assert inputs["method"] == "GET" and sorted(inputs["filters"]) == ["onConversationUpdated", "onMessageAdded"]
    assert imported["previous"] == inputs
    declared = {"post_webhook_url": "https://backend.invalid/events", "filters": ["onMessageAdded"], "method": "POST"}
    checked, _, outs = server.up(declared)
    flex, _ = server.check(checked, {**declared, "target": "flex"})
    emulator.counters.reset()
    updated = server.update(DEFAULT_ACCOUNT_SID, outs, flex)
    assert writes(emulator) == [("POST", "/v1/Configuration/Webhooks", {"Target": "flex"})]
    assert updated["previous"] == outs["previous"]
    server.delete(DEFAULT_ACCOUNT_SID, updated)
    assert call(emulator, "GET", "/v1/Configuration/Webhooks") == before


def test_a_lost_user_create_is_found_by_identity_and_a_user_is_imported_by_its_lookup_id(
    start_provider: Start, emulator: Emulator, service: str
) -> None:
    """After the POST's answer is lost, the user is fetched by its (URL-encoded) identity: one user; a read of
    IS…/US… declares the fields Twilio reports."""
    server = start(start_provider, UserProvider())
    declared = {"chat_service_sid": service, "identity": "bot@example.com", "friendly_name": "Bot",
                "attributes": {"kind": "bot"}}  # fmt: skip
    inputs, _ = server.check(None, declared)
    with create_answers_lost(emulator, "/v1/Services/{ChatServiceSid}/Users"):
        sid, outs = server.create(inputs)
    [remote] = call(emulator, "GET", f"/v1/Services/{service}/Users")["users"]
    assert remote["sid"] == sid == outs["sid"] and outs["friendly_name"] == "Bot"
    _, _, found = server.read(f"{service}/{sid}")
    assert found == {"chat_service_sid": service, "identity": "bot@example.com", "friendly_name": "Bot",
                     "attributes": '{"kind":"bot"}', "role_sid": remote["role_sid"]}  # fmt: skip


def test_adopting_a_credential_sends_the_declared_key_once_and_a_user_of_another_identity_is_refused(
    start_provider: Start, emulator: Emulator, service: str
) -> None:
    """adopt=CR…: fetched, then one update with what Twilio cannot show (the key), and an import of it declares
    what its type takes; adopt=US… of another identity fails naming identity, and nothing is written."""
    made = call(emulator, "POST", CREDENTIALS, Type="fcm", FriendlyName="android", Secret="old")
    server = start(start_provider, CredentialProvider())
    emulator.counters.reset()
    _, sid, outs = server.up({"type": "fcm", "friendly_name": "android", "secret": SERVER_KEY, "adopt": made["sid"]})
    assert sid == made["sid"] and outs["adopt"] == made["sid"]
    assert writes(emulator) == [("POST", CREDENTIAL, {"Secret": SERVER_KEY})]
    _, _, imported = server.read(sid)  # `pulumi import`: what an fcm credential declares (no sandbox, no key)
    assert imported == {"type": "fcm", "friendly_name": "android"}

    user = call(emulator, "POST", f"/v1/Services/{service}/Users", Identity="admin")
    users = start(start_provider, UserProvider())
    inputs, _ = users.check(None, {"chat_service_sid": service, "identity": "someone", "adopt": user["sid"]})
    emulator.counters.reset()
    with pytest.raises(ProviderError, match="differs in identity"):
        users.create(inputs)
    assert emulator.counters.writes() == 0


def test_a_conversation_without_a_service_is_made_in_the_default_service_and_read_by_its_sid(
    start_provider: Start, emulator: Emulator, service: str
) -> None:
    """No chat_service_sid: POST /v1/Conversations lands in the account's default service; the same program
    diffs to nothing (the service Twilio reports is not a change); CH… alone reads it."""
    call(emulator, "POST", "/v1/Configuration", DefaultChatServiceSid=service)
    server = start(start_provider, ConversationProvider())
    declared = {"friendly_name": "Lobby", "unique_name": "lobby"}
    emulator.counters.reset()
    inputs, sid, outs = server.up(declared)
    assert writes(emulator) == [("POST", "/v1/Conversations", {"FriendlyName": "Lobby", "UniqueName": "lobby"})]
    assert outs["chat_service_sid"] == service and [c["sid"] for c in emulator.conversations(service)] == [sid]
    same, _ = server.check(inputs, dict(declared))
    assert server.diff(sid, outs, same).changes == NONE
    found_id, _, found = server.read(sid)
    assert found_id == sid and found["chat_service_sid"] == service


def test_a_lost_participant_create_is_found_by_identity_in_the_conversations_list(
    start_provider: Start, emulator: Emulator, service: str
) -> None:
    """After a lost answer, the chat participant is found in the list by its identity (an SMS one beside it):
    no second participant."""
    conversation = emulator.create_conversation(service)["sid"]
    collection = f"/v1/Services/{service}/Conversations/{conversation}/Participants"
    call(emulator, "POST", collection, **{"MessagingBinding.Address": "+15558675310",
                                          "MessagingBinding.ProxyAddress": "+15017122661"})  # fmt: skip
    server = start(start_provider, ParticipantProvider())
    inputs, _ = server.check(None, {"chat_service_sid": service, "conversation_sid": conversation,
                                    "identity": "support-bot"})  # fmt: skip
    with create_answers_lost(emulator, "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Participants"):
        sid, _ = server.create(inputs)
    listed = call(emulator, "GET", collection)["participants"]
    assert [p["sid"] for p in listed if p["identity"] == "support-bot"] == [sid] and len(listed) == 2


def test_a_timer_the_account_never_had_is_said_to_stay_after_delete(start_provider: Start, emulator: Emulator) -> None:
    """An account without a closed timer: taking it over says destroy cannot unset it, and delete leaves it."""
    assert call(emulator, "GET", "/v1/Configuration")["default_closed_timer"] is None
    server = start(start_provider, AccountConfigurationProvider())
    _, id_, outs = server.up({"default_closed_timer": "P7D"})
    assert server.said("AccountConfiguration: the account had no default_closed_timer, and Twilio cannot unset it: "
                       "destroy leaves 'P7D'")  # fmt: skip
    server.delete(id_, outs)
    assert call(emulator, "GET", "/v1/Configuration")["default_closed_timer"] == "P7D"
