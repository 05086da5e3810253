"""One family table, two prefixes: the service tree mounted again at the account level, on the default service."""

from __future__ import annotations

import base64

from werkzeug.test import Client

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Counters
from pulumi_twilio_conversations.emulator.app import Credentials, EmulatorApp
from pulumi_twilio_conversations.emulator.faults import FaultInjector
from pulumi_twilio_conversations.emulator.routing import SERVICE, Scope
from pulumi_twilio_conversations.emulator.store import Store

AUTH = {"Authorization": "Basic " + base64.b64encode(f"{DEFAULT_ACCOUNT_SID}:{DEFAULT_AUTH_TOKEN}".encode()).decode()}


def _app(store: Store, *scopes: Scope) -> EmulatorApp:
    credentials = Credentials(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
    return EmulatorApp(store.state, credentials, FaultInjector(None), Counters(), service_scopes=(SERVICE, *scopes))


def test_the_service_tree_serves_the_account_level_prefix_from_the_same_handlers() -> None:
    """Under `/v1` with the default service resolved, `/v1/Conversations/…` acts on that service's records."""
    store = Store()
    default = store.create_service({"FriendlyName": "Default"}).sid
    client = Client(_app(store, Scope("/v1", lambda args, state: default, full=False)))
    created = client.post("/v1/Conversations", data={"FriendlyName": "front desk"}, headers=AUTH).json
    assert created is not None and created["chat_service_sid"] == default
    assert client.get(f"/v1/Services/{default}/Conversations/{created['sid']}", headers=AUTH).json == created
    sent = client.post(f"/v1/Conversations/{created['sid']}/Messages", data={"Body": "hi"}, headers=AUTH)
    assert sent.status_code == 201
    assert [message.body for message in store.messages(default, created["sid"])] == ["hi"]


def test_the_account_level_mount_leaves_out_what_is_the_accounts_own() -> None:
    """`/v1/Configuration` is the account's, so the service's configuration is not mounted there; by default no
    account-level service route is served at all."""
    store = Store()
    twice = set(_app(store, Scope("/v1", lambda args, state: None, full=False)).routes)
    assert {("GET", "/v1/Conversations/{Sid}"), ("POST", "/v1/Roles")} <= twice
    # `/v1/Configuration` and its `Webhooks` are served, as the account's (issue 25), not as the service's
    assert ("GET", "/v1/Configuration/Notifications") not in twice
    answer = Client(_app(store, Scope("/v1", lambda args, state: None, full=False))).get(
        "/v1/Configuration", headers=AUTH
    )
    assert (
        answer.json is not None and "default_chat_service_sid" in answer.json and "chat_service_sid" not in answer.json
    )
    once = _app(store).routes
    assert not [path for _, path in once if path.startswith(("/v1/Conversations", "/v1/Roles"))]
