"""The wiring resources through the real `pulumi` command: up, a no-op up, updates in place, replaces,
refresh after outside changes, destroy (settings back to Twilio's defaults), `retain_on_delete`.

Each test walks one program through several steps (every `pulumi` command costs seconds); the program
is rewritten between steps rather than configured, which would cost a command per value.
"""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_twilio_conversations.emulator import Emulator

from harness import posts
from outside import OutsidePulumi
from workspace import MakeWorkspace, Workspace

TOKEN = "pulumi-python:dynamic/twilio:"
ROLE, ADDRESS, HOOK = TOKEN + "Role", TOKEN + "AddressConfiguration", TOKEN + "ConversationWebhook"
WEBHOOKS, NOTIFICATIONS = TOKEN + "ServiceWebhookConfiguration", TOKEN + "ServiceNotifications"

OBJECTS = """
    from pulumi_twilio_conversations import AddressConfiguration, ConversationWebhook, Role

    Role("agent", chat_service_sid={service!r}, friendly_name="agent", type={role_type!r},
         permissions={permissions!r})
    AddressConfiguration("line", type={address_type!r}, address="+15550001111", friendly_name={line_name!r},
                         auto_creation_enabled=True, auto_creation_type="default",
                         auto_creation_conversation_service_sid={service!r})
    ConversationWebhook("hook", chat_service_sid={service!r}, conversation_sid={conversation!r},
                        target={target!r}, configuration_url={hook_url!r}, configuration_triggers={triggers!r})
"""
FIRST = {"role_type": "conversation", "permissions": ["sendMessage", "leaveConversation"], "address_type": "sms",
         "line_name": "Support line", "target": "webhook", "hook_url": "https://backend.invalid/hook",
         "triggers": None}  # fmt: skip

SETTINGS = """
    import pulumi
    from pulumi_twilio_conversations import ServiceNotifications, ServiceWebhookConfiguration

    retain = pulumi.ResourceOptions(retain_on_delete={retain!r})
    ServiceWebhookConfiguration("events", chat_service_sid={service!r}, post_webhook_url={post_url!r},
                                filters=["onMessageAdded", "onConversationAdded"], method="POST", opts=retain)
    ServiceNotifications("push", chat_service_sid={service!r}, new_message_enabled=True,
                         new_message_template={template!r}, added_to_conversation_enabled=True, opts=retain)
"""
SETTING_PATHS = ("Webhooks", "Notifications")


def write(stack: Workspace, program: str, **values: Any) -> None:
    stack.write_program(program.format(**values))


def agents(outside: OutsidePulumi, roles: str) -> list[Any]:
    """The program's role among the service's (a service comes with Twilio's default roles)."""
    return [role for role in outside.call("GET", roles).json()["roles"] if role["friendly_name"] == "agent"]


def settings(outside: OutsidePulumi, service: str) -> list[Any]:
    """The service's webhook and notification settings as Twilio reports them."""
    return [outside.call("GET", f"/v1/Services/{service}/Configuration/{path}").json() for path in SETTING_PATHS]


@pytest.fixture
def conversation(emulator: Emulator, service: str) -> str:
    return str(emulator.create_conversation(service, FriendlyName="Triage")["sid"])


def test_roles_address_configurations_and_conversation_webhooks_through_their_lifecycle(
    make_workspace: MakeWorkspace, emulator: Emulator, outside: OutsidePulumi, service: str, conversation: str
) -> None:
    """Create, rest, update in place (only the changed keys), replace (deleting first where names collide),
    refresh after outside edits and deletes, put back, destroy."""
    where = {"service": service, "conversation": conversation}
    roles, hooks = f"/v1/Services/{service}/Roles", f"/v1/Services/{service}/Conversations/{conversation}/Webhooks"
    stack = make_workspace("")
    write(stack, OBJECTS, **where, **FIRST)
    assert stack.up().changes == {"create": 3}
    [role] = agents(outside, roles)
    [line] = outside.call("GET", "/v1/Configuration/Addresses").json()["address_configurations"]
    [hook] = outside.call("GET", hooks).json()["webhooks"]
    assert sorted(role["permissions"]) == ["leaveConversation", "sendMessage"] and role["type"] == "conversation"
    assert line["auto_creation"]["conversation_service_sid"] == service and line["friendly_name"] == "Support line"
    assert hook["configuration"]["url"] == "https://backend.invalid/hook"

    emulator.counters.reset()
    assert stack.up().changes == {"same": 3}
    assert emulator.counters.writes() == 0

    changed = {**FIRST, "permissions": ["sendMessage", "leaveConversation", "editOwnMessage"],
               "line_name": "Help line", "hook_url": "https://backend.invalid/other"}  # fmt: skip
    write(stack, OBJECTS, **where, **changed)
    emulator.counters.reset()
    assert stack.up().changes == {"update": 3}
    assert posts(emulator) == {
        "/v1/Services/{ChatServiceSid}/Roles/{Sid}": {"Permission"},
        "/v1/Configuration/Addresses/{Sid}": {"FriendlyName"},
        "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks/{Sid}": {"Configuration.Url"},
    }
    assert [r["sid"] for r in agents(outside, roles)] == [role["sid"]]

    replaced = {**changed, "role_type": "service", "permissions": ["joinConversation"], "address_type": "whatsapp",
                "target": "trigger", "triggers": ["help"]}  # fmt: skip
    write(stack, OBJECTS, **where, **replaced)
    run = stack.up()
    for token in (ROLE, ADDRESS):  # same name, same address: the old one goes first
        assert run.ops(token).index("delete-replaced") < run.ops(token).index("create-replacement")
    assert "create-replacement" in run.ops(HOOK)
    [role] = agents(outside, roles)
    [line] = outside.call("GET", "/v1/Configuration/Addresses").json()["address_configurations"]
    [hook] = outside.call("GET", hooks).json()["webhooks"]
    assert (role["type"], line["type"], hook["target"]) == ("service", "whatsapp", "trigger")

    outside.call("POST", f"{roles}/{role['sid']}", Permission="leaveConversation")
    outside.call("DELETE", f"/v1/Configuration/Addresses/{line['sid']}")
    outside.call("POST", f"{hooks}/{hook['sid']}", **{"Configuration.Url": "https://elsewhere.invalid/"})
    stack.refresh()
    assert stack.resources(ADDRESS) == []
    assert [r["outputs"]["permissions"] for r in stack.resources(ROLE)] == [["leaveConversation"]]
    assert [r["outputs"]["configuration"]["url"] for r in stack.resources(HOOK)] == ["https://elsewhere.invalid/"]
    emulator.counters.reset()
    run = stack.up()
    assert (run.ops(ROLE), run.ops(ADDRESS), run.ops(HOOK)) == (["update"], ["create"], ["update"])
    assert posts(emulator)["/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks/{Sid}"] == {
        "Configuration.Url"  # the keywords Twilio holds already are not sent again
    }
    assert [r["permissions"] for r in agents(outside, roles)] == [["joinConversation"]]
    assert outside.call("GET", hooks).json()["webhooks"][0]["configuration"]["url"] == "https://backend.invalid/other"

    assert stack.destroy().changes == {"delete": 3}
    assert agents(outside, roles) == []
    assert outside.call("GET", "/v1/Configuration/Addresses").json()["address_configurations"] == []
    assert outside.call("GET", hooks).json()["webhooks"] == []


def test_service_settings_are_taken_over_updated_moved_and_put_back_to_defaults(
    make_workspace: MakeWorkspace, emulator: Emulator, outside: OutsidePulumi, service: str
) -> None:
    """A service's webhook and notification settings: taken over, rest, update only what changed, refresh an
    outside edit, move to another service (the first one gets its defaults back), destroy restores defaults."""
    other = str(emulator.create_service("Sales")["sid"])
    defaults = settings(outside, service)
    assert settings(outside, other) == settings_of(defaults, service, other)  # both untouched
    first = {"post_url": "https://backend.invalid/events", "template": "${PARTICIPANT}: ${MESSAGE}", "retain": False}
    stack = make_workspace("")
    write(stack, SETTINGS, service=service, **first)
    assert stack.up().changes == {"create": 2}
    webhooks, notifications = settings(outside, service)
    assert webhooks["post_webhook_url"] == "https://backend.invalid/events" and webhooks["method"] == "POST"
    assert sorted(webhooks["filters"]) == ["onConversationAdded", "onMessageAdded"]
    assert notifications["new_message"]["template"] == "${PARTICIPANT}: ${MESSAGE}"
    assert notifications["added_to_conversation"]["enabled"] is True

    emulator.counters.reset()
    assert stack.up().changes == {"same": 2}
    assert emulator.counters.writes() == 0

    changed = {**first, "post_url": "https://backend.invalid/v2", "template": "${MESSAGE}"}
    write(stack, SETTINGS, service=service, **changed)
    emulator.counters.reset()
    assert stack.up().changes == {"update": 2}
    assert posts(emulator) == {
        "/v1/Services/{ChatServiceSid}/Configuration/Webhooks": {"PostWebhookUrl"},
        "/v1/Services/{ChatServiceSid}/Configuration/Notifications": {"NewMessage.Template"},
    }

    outside.call("POST", f"/v1/Services/{service}/Configuration/Webhooks", Method="GET")
    stack.refresh()
    assert [r["outputs"]["method"] for r in stack.resources(WEBHOOKS)] == ["GET"]
    assert stack.up().ops(WEBHOOKS) == ["update"]
    assert settings(outside, service)[0]["method"] == "POST"

    write(stack, SETTINGS, service=other, **changed)
    run = stack.up()
    assert {token: run.ops(token) for token in (WEBHOOKS, NOTIFICATIONS)} == {
        token: ["create-replacement", "replace", "delete-replaced"] for token in (WEBHOOKS, NOTIFICATIONS)
    }
    assert settings(outside, service) == defaults
    assert settings(outside, other)[0]["post_webhook_url"] == "https://backend.invalid/v2"

    assert stack.destroy().changes == {"delete": 2}
    assert settings(outside, other) == settings_of(defaults, service, other)


def settings_of(defaults: list[Any], service: str, other: str) -> list[Any]:
    """`defaults` (one service's untouched settings) as another service reports them: only its SID differs."""
    return [
        {**setting, "chat_service_sid": other, "url": setting["url"].replace(service, other)} for setting in defaults
    ]


def test_retain_on_delete_keeps_a_setting_as_the_program_left_it(
    make_workspace: MakeWorkspace, outside: OutsidePulumi, service: str
) -> None:
    """With `retain_on_delete`, destroy forgets the settings but leaves them on the service as configured."""
    stack = make_workspace("")
    write(stack, SETTINGS, service=service, post_url="https://backend.invalid/events", template="kept", retain=True)
    stack.up()
    configured = settings(outside, service)
    assert stack.destroy().changes == {"delete": 2}
    assert stack.resources(WEBHOOKS) == [] and settings(outside, service) == configured
    assert configured[0]["post_webhook_url"] == "https://backend.invalid/events"


def test_one_service_webhook_setting_declared_twice_fails_preview_naming_both(
    make_workspace: MakeWorkspace, emulator: Emulator, service: str
) -> None:
    """Two ServiceWebhookConfigurations of one service: preview fails, naming both resources; nothing is sent."""
    stack = make_workspace(f"""
        from pulumi_twilio_conversations import ServiceWebhookConfiguration

        ServiceWebhookConfiguration("events", chat_service_sid={service!r}, method="POST")
        ServiceWebhookConfiguration("more-events", chat_service_sid={service!r}, method="GET")
    """)
    emulator.counters.reset()
    run = stack.preview(check=False)
    assert run.returncode != 0
    assert "'events'" in run.output and "'more-events'" in run.output and "declare it once" in run.output
    assert emulator.counters.writes() == 0
