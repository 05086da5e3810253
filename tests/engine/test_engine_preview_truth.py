"""What `pulumi preview --diff` lists is what the following `pulumi up` writes, edit after edit.

One program declares a ConversationService and a Conversation from stack config; a sequence of edits
adds, changes and removes each input, reformats the attributes' JSON, renames, and moves the
conversation to another service. For each edit the properties the preview lists as changed (its old
inputs against its new ones, as the CLI renders them) must be exactly the fields the update then
sends to Twilio (the emulator's request log), and a second preview must be empty. The same holds, through
a second program that declares any resources from one config object, for the members and the account's side.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from pulumi_twilio_conversations.emulator import Emulator
from pulumi_twilio_conversations.inputs import FORM_KEYS, SERVICE_CONFIG_FORM_KEYS
from pulumi_twilio_conversations.resources import account_settings, credential, participant, user
from pulumi_twilio_conversations.resources.table import TableCore

from outside import OutsidePulumi
from workspace import MakeWorkspace, Run, Workspace

CONVERSATION = "pulumi-python:dynamic/twilio:Conversation"
SERVICE = "pulumi-python:dynamic/twilio:ConversationService"
PROGRAM = """
    import pulumi
    from pulumi_twilio_conversations import Conversation, ConversationService

    config = pulumi.Config()
    ConversationService("desk", **config.require_object("service"))
    Conversation("support", **config.require_object("conversation"))
"""
ROLE = "RL" + "1" * 32
INPUT_OF_FORM_KEY = {key: name for name, key in {**FORM_KEYS, **SERVICE_CONFIG_FORM_KEYS}.items()}


def changed_properties(preview: Run) -> dict[str, set[str]]:
    """Per resource type, the input names the preview shows as added, changed or removed."""
    document = json.loads(preview.stdout)
    changed: dict[str, set[str]] = {}
    for step in document.get("steps", []):
        if step["op"] in ("same", "read") or "oldState" not in step or "newState" not in step:
            continue
        old, new = step["oldState"].get("inputs") or {}, step["newState"].get("inputs") or {}
        names = {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)} - {"__provider"}
        changed.setdefault(step["urn"].split("::")[2], set()).update(names)
    return changed


def written_fields(emulator: Emulator) -> dict[str, set[str]]:
    """Per resource type, the inputs whose fields the update's POSTs to existing resources carried."""
    written: dict[str, set[str]] = {}
    for request in emulator.counters.log:
        if request.method != "POST":
            continue
        if request.route.endswith("/Conversations/{Sid}"):
            kind = CONVERSATION
        elif request.route.endswith("/Configuration"):
            kind = SERVICE
        else:
            continue  # a create: the edits below change resources that exist
        written.setdefault(kind, set()).update(INPUT_OF_FORM_KEY[key] for key in request.form)
    return written


# The members and the account's side: the route of each one's update, its type token, its table of inputs.
DECLARED = """
    import pulumi
    import pulumi_twilio_conversations as twilio

    for name, (kind, props) in pulumi.Config().require_object("declared").items():
        getattr(twilio, kind)(name, **props)
"""
TOKEN = "pulumi-python:dynamic/twilio:"
PARTICIPANT, USER, CREDENTIAL = TOKEN + "Participant", TOKEN + "User", TOKEN + "Credential"
CONFIGURATION, WEBHOOKS = TOKEN + "AccountConfiguration", TOKEN + "AccountWebhookConfiguration"
UPDATES: dict[str, tuple[str, TableCore]] = {
    "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Participants/{Sid}": (
        PARTICIPANT,
        participant.SPEC.core,
    ),
    "/v1/Services/{ChatServiceSid}/Users/{Sid}": (USER, user.SPEC.core),
    "/v1/Credentials/{Sid}": (CREDENTIAL, credential.SPEC.core),
    "/v1/Configuration": (CONFIGURATION, account_settings.CONFIGURATION_SPEC.core),
    "/v1/Configuration/Webhooks": (WEBHOOKS, account_settings.WEBHOOKS_SPEC.core),
}


def updated_inputs(emulator: Emulator) -> dict[str, set[str]]:
    """Per resource type (of `UPDATES`), the inputs whose form keys the POSTs to existing resources carried."""
    written: dict[str, set[str]] = {}
    for request in emulator.counters.log:
        if request.method == "POST" and request.route in UPDATES:
            kind, core = UPDATES[request.route]
            names = {wire.form_key: wire.name for wire in core.wires}
            written.setdefault(kind, set()).update(names[key] for key in request.form)
    return written


def listed_inputs(preview: Run) -> dict[str, set[str]]:
    """`changed_properties`, and the key material the provider says changes: a Python program's preview shows a
    secret as `[secret]` before and after, so the provider names it in an info line (the value never)."""
    listed = changed_properties(preview)
    for diagnostic in json.loads(preview.stdout).get("diagnostics", []):
        said = re.fullmatch(
            r"Credential CR\w+: ([\w, ]+) changes \(a secret, not shown\).*", diagnostic["message"].strip()
        )
        if said:
            listed.setdefault(CREDENTIAL, set()).update(said[1].split(", "))
    return listed


Declared = dict[str, tuple[str, dict[str, Any]]]
Edit = tuple[str, Declared, dict[str, set[str]]]


def walk(stack: Workspace, emulator: Emulator, first: Declared, edits: list[Edit]) -> None:
    """Up `first`, then each edit: the preview lists exactly the expected inputs, the up writes exactly those
    (to resources that exist), and a second preview is empty."""
    stack.config_set("declared", json.dumps(first))
    stack.up()
    for what, declared, expected in edits:
        stack.config_set("declared", json.dumps(declared))
        listed = listed_inputs(stack.preview())
        emulator.counters.reset()
        stack.up()
        assert listed == expected, what
        assert updated_inputs(emulator) == listed, what
        again = stack.preview()
        assert set(again.changes) <= {"same"}, (what, again.steps)


@pytest.fixture
def stack(make_workspace: MakeWorkspace) -> Workspace:
    return make_workspace(PROGRAM)


def apply(stack: Workspace, service: dict[str, Any], conversation: dict[str, Any]) -> None:
    stack.config_set("service", json.dumps(service))
    stack.config_set("conversation", json.dumps(conversation))


def test_every_edit_previews_exactly_what_up_writes(stack: Workspace, emulator: Emulator) -> None:
    """Add, change, remove, reformat, rename: the preview's changed properties are the fields up sends."""
    home = emulator.create_service("Home")["sid"]
    base = {"chat_service_sid": home}
    desk = {"friendly_name": "Desk"}
    apply(stack, desk, {**base, "friendly_name": "Support"})
    stack.up()
    edits: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, set[str]]]] = [
        (
            "add every kind of input",
            {**desk, "reachability_enabled": True, "default_conversation_role_sid": ROLE},
            {
                **base,
                "friendly_name": "Support",
                "attributes": {"team": "a", "tier": 1},
                "state": "active",
                "timers_inactive": "PT1H",
                "messaging_service_sid": "MG" + "2" * 32,
                "bindings_email_address": "support@example.com",
            },
            {
                SERVICE: {"reachability_enabled", "default_conversation_role_sid"},
                CONVERSATION: {
                    "attributes",
                    "state",
                    "timers_inactive",
                    "messaging_service_sid",
                    "bindings_email_address",
                },
            },
        ),
        (
            "change some",
            {**desk, "reachability_enabled": True, "default_conversation_role_sid": ROLE},
            {
                **base,
                "friendly_name": "Support 2",
                "attributes": {"team": "b", "tier": 1},
                "state": "active",
                "timers_inactive": "PT2H",
                "messaging_service_sid": "MG" + "2" * 32,
                "bindings_email_address": "support@example.com",
            },
            {CONVERSATION: {"friendly_name", "attributes", "timers_inactive"}},
        ),
        (
            "the same attributes as reformatted JSON text",
            {**desk, "reachability_enabled": True, "default_conversation_role_sid": ROLE},
            {
                **base,
                "friendly_name": "Support 2",
                "attributes": '{ "tier" : 1.0,\n  "team": "b" }',
                "state": "active",
                "timers_inactive": "PT2H",
                "messaging_service_sid": "MG" + "2" * 32,
                "bindings_email_address": "support@example.com",
            },
            {},
        ),
        (
            "remove everything but a rename: only what Twilio can reset is written",
            desk,
            {**base, "friendly_name": "Support 3"},
            {SERVICE: {"reachability_enabled"}, CONVERSATION: {"friendly_name", "attributes"}},
        ),
        ("rename again, nothing else", desk, {**base, "friendly_name": "Support 4", "unique_name": "support"}, None),
    ]
    for what, service, conversation, expected in edits:
        apply(stack, service, conversation)
        listed = changed_properties(stack.preview())
        emulator.counters.reset()
        stack.up()
        written = written_fields(emulator)
        if expected is not None:
            assert listed == expected, what
        assert listed == written, what
        again = stack.preview()
        assert set(again.changes) <= {"same"}, (what, again.steps)

    [remote] = emulator.conversations(home)
    assert remote["attributes"] == "{}" and remote["friendly_name"] == "Support 4"
    assert remote["state"] == "active" and remote["unique_name"] == "support"


def test_moving_to_another_service_previews_a_replacement(stack: Workspace, emulator: Emulator) -> None:
    """A new chat_service_sid is listed with nothing else, and up replaces the conversation."""
    home, other = emulator.create_service("Home")["sid"], emulator.create_service("Other")["sid"]
    apply(stack, {"friendly_name": "Desk"}, {"chat_service_sid": home, "friendly_name": "Support"})
    stack.up()
    apply(stack, {"friendly_name": "Desk"}, {"chat_service_sid": other, "friendly_name": "Support"})
    preview = stack.preview()
    assert changed_properties(preview) == {CONVERSATION: {"chat_service_sid"}}
    assert "replace" in preview.ops(CONVERSATION)
    stack.up()
    assert emulator.conversations(home) == [] and len(emulator.conversations(other)) == 1
    assert set(stack.preview().changes) <= {"same"}


def test_a_removed_field_twilio_keeps_is_carried_and_said(stack: Workspace, emulator: Emulator) -> None:
    """Dropping timers and state while renaming shows only the rename, and an info line says Twilio keeps them."""
    home = emulator.create_service("Home")["sid"]
    declared = {"chat_service_sid": home, "friendly_name": "Support", "state": "active", "timers_inactive": "PT1H"}
    apply(stack, {"friendly_name": "Desk"}, declared)
    stack.up()
    apply(stack, {"friendly_name": "Desk"}, {"chat_service_sid": home, "friendly_name": "Renamed"})
    preview = stack.pulumi("preview", "--diff")
    assert "- timers_inactive" not in preview.output and "- state" not in preview.output
    assert "timers_inactive is no longer declared; Twilio keeps 'PT1H'" in preview.output
    assert "state is no longer declared; Twilio keeps 'active'" in preview.output


def test_refresh_puts_only_declared_inputs_in_state(stack: Workspace, emulator: Emulator) -> None:
    """After a refresh, the next change lists what changed, not Twilio's reported fields as removed."""
    home = emulator.create_service("Home")["sid"]
    apply(stack, {"friendly_name": "Desk"}, {"chat_service_sid": home, "friendly_name": "Support"})
    stack.up()
    stack.refresh()
    [state] = stack.resources(CONVERSATION)
    assert set(state["inputs"]) - {"__provider"} == {"chat_service_sid", "friendly_name", "unique_name"}
    apply(stack, {"friendly_name": "Desk"}, {"chat_service_sid": home, "friendly_name": "Renamed"})
    assert changed_properties(stack.preview()) == {CONVERSATION: {"friendly_name"}}


def test_every_participant_edit_previews_exactly_what_up_writes(
    make_workspace: MakeWorkspace, emulator: Emulator, outside: OutsidePulumi, service: str
) -> None:
    """A chat and an SMS participant: attributes and role added, reformatted, removed; the preview's
    changed properties are the fields up sends (a removed role is kept by Twilio, so neither lists it)."""
    conversation = str(emulator.create_conversation(service, FriendlyName="Lobby")["sid"])
    roles = outside.call("GET", f"/v1/Services/{service}/Roles").json()["roles"]
    role = next(r["sid"] for r in roles if r["type"] == "conversation")
    where = {"chat_service_sid": service, "conversation_sid": conversation}
    sms = {**where, "messaging_binding_address": "+15558675310", "messaging_binding_proxy_address": "+15017122661"}

    def members(bot: dict[str, Any], customer: dict[str, Any]) -> Declared:
        return {"bot": ("Participant", {**where, "identity": "bot", **bot}),
                "customer": ("Participant", {**sms, **customer})}  # fmt: skip

    bot = {"attributes": {"kind": "bot"}, "role_sid": role}
    vip = {"attributes": {"vip": True}}
    walk(make_workspace(DECLARED), emulator, members({}, {}), [
        ("add attributes and a role", members(bot, vip), {PARTICIPANT: {"attributes", "role_sid"}}),
        ("the same attributes as reformatted JSON text",
         members({**bot, "attributes": '{ "kind" :  "bot" }'}, {"attributes": '{"vip":true}'}), {}),
        ("remove both: the attributes go back to {}, the role stays", members({}, {}), {PARTICIPANT: {"attributes"}}),
    ])  # fmt: skip
    remote = outside.call("GET", f"/v1/Services/{service}/Conversations/{conversation}/Participants/bot").json()
    assert remote["attributes"] == "{}" and remote["role_sid"] == role


def test_every_account_side_edit_previews_exactly_what_up_writes(
    make_workspace: MakeWorkspace, emulator: Emulator, outside: OutsidePulumi, service: str
) -> None:
    """A user, a credential and the account's two settings: fields added and changed, a key rotated, values
    respelled (JSON, durations, a list's order), fields removed; the preview's changed properties are the
    fields up sends (a removed name or timer is kept by Twilio, so neither lists it)."""

    def declared(
        bot: dict[str, Any], android: dict[str, Any], defaults: dict[str, Any], events: dict[str, Any]
    ) -> Declared:
        return {
            "bot": ("User", {"chat_service_sid": service, "identity": "bot", **bot}),
            "android": ("Credential", {"type": "fcm", "friendly_name": "android", "secret": "key-1", **android}),
            "defaults": ("AccountConfiguration", {"default_closed_timer": "P7D", **defaults}),
            "events": ("AccountWebhookConfiguration", {"method": "POST", **events}),
        }

    bot = {"friendly_name": "Bot", "attributes": {"kind": "bot"}}
    events = {"post_webhook_url": "https://backend.invalid/events", "filters": ["onMessageAdded", "onUserAdded"]}
    respelled = (
        {**bot, "attributes": '{ "kind" : "bot" }'},
        {"friendly_name": "android app", "secret": "key-2"},
        {"default_closed_timer": "PT168H", "default_inactive_timer": "PT60M"},
        {**events, "filters": ["onUserAdded", "onMessageAdded"]},
    )
    added = declared(bot, {"friendly_name": "android app"}, {"default_inactive_timer": "PT1H"}, events)
    walk(make_workspace(DECLARED), emulator, declared({}, {}, {}, {}), [
        ("add and change", added, {USER: {"friendly_name", "attributes"}, CREDENTIAL: {"friendly_name"},
                                   CONFIGURATION: {"default_inactive_timer"}, WEBHOOKS: set(events)}),
        ("rotate the key; the rest respelled", declared(*respelled), {CREDENTIAL: {"secret"}}),
        ("remove: what Twilio can reset is written, the rest kept", declared({}, {"secret": "key-2"}, {}, {}),
         {USER: {"attributes"}, CREDENTIAL: {"friendly_name"}, WEBHOOKS: set(events)}),
    ])  # fmt: skip
    configuration = outside.call("GET", "/v1/Configuration").json()
    assert (configuration["default_closed_timer"], configuration["default_inactive_timer"]) == ("P7D", "PT1H")
