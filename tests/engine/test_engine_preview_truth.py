"""What `pulumi preview --diff` lists is what the following `pulumi up` writes, edit after edit.

One program declares a ConversationService and a Conversation from stack config; a sequence of edits
adds, changes and removes each input, reformats the attributes' JSON, renames, and moves the
conversation to another service. For each edit the properties the preview lists as changed (its old
inputs against its new ones, as the CLI renders them) must be exactly the fields the update then
sends to Twilio (the emulator's request log), and a second preview must be empty.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from pulumi_twilio_conversations.emulator import Emulator
from pulumi_twilio_conversations.inputs import FORM_KEYS, SERVICE_CONFIG_FORM_KEYS

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
