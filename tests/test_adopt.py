"""The adoption generator (`adopt.py`, `python -m pulumi_twilio_conversations adopt`) against the emulator."""

from __future__ import annotations

import ast
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_twilio_conversations import ConversationProvider
from pulumi_twilio_conversations.adopt import (
    CORES,
    declarations,
    list_conversations,
    render_python,
    render_yaml,
    wiring,
)
from pulumi_twilio_conversations.emulator import Emulator
from pulumi_twilio_conversations.settings import Settings
from pulumi_twilio_conversations.twilio import TwilioClient, client_for

COLLECTION = "/v1/Services/{ChatServiceSid}/Conversations"


@pytest.fixture
def client(provider_env: dict[str, str]) -> TwilioClient:
    return client_for(Settings.load(environ=provider_env))


def adopt_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulumi_twilio_conversations", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def declared(program: str, kind: str = "Conversation") -> dict[str, dict[str, Any]]:
    """Resource name → keyword inputs of each `<kind>(...)` in a generated program; a value that is not a literal
    (`SERVICE`, `support.sid`, `pulumi.ResourceOptions(...)`) as its source."""
    calls = [
        node
        for node in ast.walk(ast.parse(program))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == kind
    ]
    return {
        ast.literal_eval(call.args[0]): {
            kw.arg: _value(kw.value) for kw in call.keywords if kw.arg != "chat_service_sid"
        }
        for call in calls
    }


def _value(node: ast.expr) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)


def variables(program: str) -> dict[str, str]:
    """Variable → resource name of each `<variable> = Conversation("<name>", ...)` in a generated program."""
    return {
        node.targets[0].id: ast.literal_eval(node.value.args[0])
        for node in ast.parse(program).body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Call)
    }


def wired_service(emulator: Emulator, client: TwilioClient, service: str) -> dict[str, Any]:
    """A service with its settings changed, a role of its own, and a conversation with three webhooks."""
    base = f"/v1/Services/{service}"
    client.post(f"{base}/Configuration/Webhooks", {"PostWebhookUrl": "https://backend.invalid/events",
                                                    "Filters": ["onMessageAdded", "onConversationAdded"]})  # fmt: skip
    client.post(f"{base}/Configuration/Notifications", {"NewMessage.Enabled": "true", "LogEnabled": "false"})
    role = client.post(f"{base}/Roles", {"FriendlyName": "Supervisor", "Type": "conversation",
                                         "Permission": ["sendMessage", "addParticipant"]})  # fmt: skip
    support = emulator.create_conversation(service, UniqueName="support")
    hooks = f"{base}/Conversations/{support['sid']}/Webhooks"
    hook = client.post(hooks, {"Target": "webhook", "Configuration.Url": "https://backend.invalid/hook",
                               "Configuration.Method": "GET", "Configuration.Filters": ["onMessageAdded"]})  # fmt: skip
    trigger = client.post(hooks, {"Target": "trigger", "Configuration.Url": "https://backend.invalid/t",
                                  "Configuration.Triggers": ["help", "agent"]})  # fmt: skip
    studio = client.post(hooks, {"Target": "studio", "Configuration.FlowSid": "FW" + "2" * 32})
    return {"role": role, "support": support, "hook": hook, "trigger": trigger, "studio": studio}


def generated(client: TwilioClient, service: str, render: Any = render_python, **options: Any) -> str:
    found = declarations(list_conversations(client, service))
    return str(render(service, found, wiring(client, service, found, **options), **options))


def test_listing_follows_twilio_paging_to_the_last_page(emulator: Emulator, client: TwilioClient, service: str) -> None:
    """A service of 120 conversations is listed in full, in three pages of 50, with progress after each."""
    made = {emulator.create_conversation(service, FriendlyName=f"c{i}")["sid"] for i in range(120)}
    emulator.counters.reset()
    counts: list[int] = []

    found = list_conversations(client, service, page_size=50, progress=counts.append)

    assert {c["sid"] for c in found} == made and len(found) == 120
    assert emulator.counters.requests == {("GET", COLLECTION): 3}
    assert counts == [50, 100, 120]


def test_state_filter_lists_only_that_state(emulator: Emulator, client: TwilioClient, service: str) -> None:
    """--state inactive declares the inactive conversations and none of the others."""
    emulator.create_conversation(service, FriendlyName="busy")
    quiet = emulator.create_conversation(service, FriendlyName="quiet", State="inactive")
    assert [c["sid"] for c in list_conversations(client, service, state="inactive")] == [quiet["sid"]]


def test_resource_names_are_readable_sanitized_and_unique(
    emulator: Emulator, client: TwilioClient, service: str
) -> None:
    """Names come from unique names (made safe), else the SID; a clash numbers only the inexact ones."""
    exact = emulator.create_conversation(service, UniqueName="team-a")
    spaced = emulator.create_conversation(service, UniqueName="team a")
    slashed = emulator.create_conversation(service, UniqueName="team/a")
    unnamed = emulator.create_conversation(service, FriendlyName="No unique name")
    emulator.create_conversation(service, UniqueName="team-a-1")

    names = {d.sid: d.name for d in declarations(list_conversations(client, service))}

    assert names[exact["sid"]] == "team-a"
    first, second = sorted((spaced["sid"], slashed["sid"]))
    assert (names[first], names[second]) == ("team-a-2", "team-a-3")  # team-a-1 is someone's unique name
    assert names[unnamed["sid"]] == unnamed["sid"]
    assert len(set(names.values())) == 5


def test_python_program_declares_each_conversation_with_its_current_fields(
    emulator: Emulator, client: TwilioClient, service: str
) -> None:
    """The program adopts by SID and repeats what Twilio holds, attributes as Python values; timers as a comment."""
    messaging = "MG" + "1" * 32
    support = emulator.create_conversation(
        service,
        FriendlyName='Support "desk"',
        UniqueName="support",
        Attributes=json.dumps({"tier": 1, "vip": True, "tags": ["a", "é"], "owner": None}),
        MessagingServiceSid=messaging,
        State="active",
        **{"Timers.Closed": "P1D", "Bindings.Email.Address": "help@example.com", "Bindings.Email.Name": "Help"},
    )
    bare = emulator.create_conversation(service)

    program = render_python(service, declarations(list_conversations(client, service)))

    assert f'SERVICE = "{service}"' in program
    assert declared(program) == {
        "support": {
            "adopt": support["sid"],
            "friendly_name": 'Support "desk"',
            "unique_name": "support",
            "attributes": {"tier": 1, "vip": True, "tags": ["a", "é"], "owner": None},
            "state": "active",
            "messaging_service_sid": messaging,
            "bindings_email_name": "Help",
        },
        bare["sid"]: {"adopt": bare["sid"], "state": "active"},
    }
    assert f"# Twilio's timers: closed at {support['timers']['date_closed']}" in program
    assert "timers_closed" not in program


def test_output_is_the_same_whatever_order_twilio_lists_in(
    emulator: Emulator, client: TwilioClient, service: str
) -> None:
    """Two runs on an unchanged service give identical bytes, so a diff of runs shows only real changes."""
    for i in range(10):
        emulator.create_conversation(service, UniqueName=f"room-{i}", Attributes='{"b": 1, "a": 2}')
    listed = list_conversations(client, service)
    shuffled = random.Random(7).sample(listed, len(listed))

    for render in (render_python, render_yaml):
        assert render(service, declarations(listed)) == render(service, declarations(shuffled))
    assert list(declared(render_python(service, declarations(listed)))) == sorted(f"room-{i}" for i in range(10))


def test_yaml_is_the_data_file_of_the_data_driven_example(
    emulator: Emulator, client: TwilioClient, service: str
) -> None:
    """YAML output loads as {service, conversations: {name: inputs}} with attributes as YAML values."""
    room = emulator.create_conversation(service, UniqueName="room: 1", Attributes='{"floor": 2, "note": "#1"}')

    data = yaml.safe_load(render_yaml(service, declarations(list_conversations(client, service))))

    assert data == {
        "service": service,
        "conversations": {
            "room-1": {
                "adopt": room["sid"],
                "unique_name": "room: 1",
                "attributes": {"floor": 2, "note": "#1"},
                "state": "active",
            }
        },
    }


def test_python_program_declares_the_settings_roles_and_webhooks_as_twilio_holds_them(
    emulator: Emulator, client: TwilioClient, service: str
) -> None:
    """Settings with only their non-default fields, every role adopted (default roles kept on destroy), and each
    webhook adopted under its conversation, referring to it by variable."""
    made = wired_service(emulator, client, service)
    configuration = client.get(f"/v1/Services/{service}/Configuration")
    roles = {r["friendly_name"]: r["sid"] for r in client.get(f"/v1/Services/{service}/Roles")["roles"]}

    program = generated(client, service)

    assert declared(program, "ServiceWebhookConfiguration") == {
        "webhooks": {"post_webhook_url": "https://backend.invalid/events",
                     "filters": ["onConversationAdded", "onMessageAdded"]},
    }  # fmt: skip
    assert declared(program, "ServiceNotifications") == {"notifications": {"new_message_enabled": True}}
    role_decls = declared(program, "Role")
    supervisor = {"adopt": made["role"]["sid"], "friendly_name": "Supervisor", "type": "conversation",
                  "permissions": ["addParticipant", "sendMessage"]}  # fmt: skip
    assert role_decls["Supervisor"] == supervisor
    retained = "pulumi.ResourceOptions(retain_on_delete=True)"
    defaults = {configuration[f] for f in ("default_chat_service_role_sid", "default_conversation_role_sid",
                                           "default_conversation_creator_role_sid")}  # fmt: skip
    assert {d["adopt"] for d in role_decls.values() if d.get("opts") == retained} == defaults
    assert {d["adopt"] for d in role_decls.values()} == set(roles.values())
    assert variables(program) == {"support": "support"}
    conversation = {"conversation_sid": "support.sid"}
    assert declared(program, "ConversationWebhook") == {
        f"support-{made['hook']['sid']}": {**conversation, "adopt": made["hook"]["sid"], "target": "webhook",
                                           "configuration_url": "https://backend.invalid/hook",
                                           "configuration_method": "get", "configuration_filters": ["onMessageAdded"]},
        f"support-{made['trigger']['sid']}": {**conversation, "adopt": made["trigger"]["sid"], "target": "trigger",
                                              "configuration_url": "https://backend.invalid/t",
                                              "configuration_method": "post",
                                              "configuration_triggers": ["agent", "help"]},
        f"support-{made['studio']['sid']}": {**conversation, "adopt": made["studio"]["sid"], "target": "studio",
                                             "configuration_flow_sid": "FW" + "2" * 32},
    }  # fmt: skip
    assert "AddressConfiguration(" not in program
    compile(program, "__main__.py", "exec")


def test_a_service_as_twilio_made_it_declares_no_setting_and_its_three_default_roles(
    client: TwilioClient, service: str
) -> None:
    """A new service's settings are all Twilio's defaults, so neither is declared; its default roles are."""
    program = generated(client, service)

    assert "ServiceWebhookConfiguration(" not in program and "ServiceNotifications(" not in program
    assert sorted(declared(program, "Role")) == ["Conversation-Admin", "Conversation-User", "Service-User"]
    assert declared(program) == {}


def test_each_webhook_refers_to_its_own_conversation_whatever_their_names(
    emulator: Emulator, client: TwilioClient, service: str
) -> None:
    """Unique names that make the same or no valid Python variable (`team-a`, `team_a`, `class`, `9`) still give
    each conversation its own variable, and its webhook refers to that one."""
    owners = {}
    for unique_name in ("team-a", "team_a", "class", "9"):
        sid = emulator.create_conversation(service, UniqueName=unique_name)["sid"]
        hook = client.post(f"/v1/Services/{service}/Conversations/{sid}/Webhooks",
                           {"Target": "webhook", "Configuration.Url": "https://backend.invalid/h"})  # fmt: skip
        owners[hook["sid"]] = unique_name

    program = generated(client, service)

    named = variables(program)
    assert sorted(named.values()) == sorted(owners.values())
    for hook in declared(program, "ConversationWebhook").values():
        assert named[hook["conversation_sid"].removesuffix(".sid")] == owners[hook["adopt"]]
    compile(program, "__main__.py", "exec")


def test_address_configurations_come_with_addresses_and_only_those_opening_conversations_here(
    client: TwilioClient, service: str
) -> None:
    """--addresses adds the address configurations whose auto-creation targets this service, and no others."""
    other = client.post("/v1/Services", {"FriendlyName": "Other"})["sid"]
    ours = client.post("/v1/Configuration/Addresses", {
        "Type": "sms", "Address": "+15005550006", "FriendlyName": "Support line", "AutoCreation.Enabled": "true",
        "AutoCreation.Type": "webhook", "AutoCreation.ConversationServiceSid": service,
        "AutoCreation.WebhookUrl": "https://backend.invalid/new", "AutoCreation.WebhookFilters": ["onMessageAdded"],
    })  # fmt: skip
    for address, target in (("+15005550007", other), ("+15005550008", None)):
        auto = {"AutoCreation.Enabled": "true", "AutoCreation.ConversationServiceSid": target} if target else {}
        client.post("/v1/Configuration/Addresses", {"Type": "sms", "Address": address, **auto})

    assert "AddressConfiguration(" not in generated(client, service)
    program = generated(client, service, addresses=True)

    assert f"--service {service} --addresses --format python" in program
    assert declared(program, "AddressConfiguration") == {
        "sms-15005550006": {
            "adopt": ours["sid"], "type": "sms", "address": "+15005550006", "friendly_name": "Support line",
            "auto_creation_enabled": True, "auto_creation_type": "webhook",
            "auto_creation_conversation_service_sid": "SERVICE",
            "auto_creation_webhook_url": "https://backend.invalid/new", "auto_creation_webhook_method": "POST",
            "auto_creation_webhook_filters": ["onMessageAdded"],
        }
    }  # fmt: skip


def test_yaml_holds_the_wiring_in_sections_with_each_webhooks_conversation_sid(
    emulator: Emulator, client: TwilioClient, service: str
) -> None:
    """YAML output has a section per kind; a webhook names its conversation by SID, a default role is retained."""
    made = wired_service(emulator, client, service)

    data = yaml.safe_load(generated(client, service, render_yaml))

    assert list(data) == ["service", "conversations", "service_webhook_configuration", "service_notifications",
                          "roles", "conversation_webhooks"]  # fmt: skip
    assert data["service_notifications"] == {"new_message_enabled": True}
    assert "retain_on_delete" not in data["roles"]["Supervisor"]
    assert [name for name, role in data["roles"].items() if role.get("retain_on_delete")] == [
        "Conversation-Admin", "Conversation-User", "Service-User"
    ]  # fmt: skip
    hook = data["conversation_webhooks"][f"support-{made['trigger']['sid']}"]
    assert hook["conversation_sid"] == made["support"]["sid"]
    assert hook["configuration_triggers"] == ["agent", "help"]


def test_every_generated_declaration_passes_the_providers_check(
    emulator: Emulator, client: TwilioClient, service: str
) -> None:
    """Regression: adopting a closed conversation with state="closed" failed check as a "closed create".
    Also every role, setting, webhook and address configuration the generator declares."""
    closed = emulator.create_conversation(service, UniqueName="done")
    client.post(f"/v1/Services/{service}/Conversations/{closed['sid']}", {"State": "closed"})
    emulator.create_conversation(service, FriendlyName="open", Attributes='{"x": [1, 2]}')
    wired_service(emulator, client, service)
    client.post("/v1/Configuration/Addresses", {"Type": "whatsapp", "Address": "whatsapp:+15005550006",
                                                "AutoCreation.Enabled": "true", "AutoCreation.Type": "studio",
                                                "AutoCreation.ConversationServiceSid": service,
                                                "AutoCreation.StudioFlowSid": "FW" + "3" * 32,
                                                "AutoCreation.StudioRetryCount": "2"})  # fmt: skip

    found = declarations(list_conversations(client, service))
    for item in found:
        result = ConversationProvider().check({}, {"chat_service_sid": service, **item.inputs})
        assert result.failures == [], (item.name, [(f.property, f.reason) for f in result.failures])
    wired = wiring(client, service, found, addresses=True)
    assert {w.kind for w in wired} == set(CORES)
    for resource in wired:
        scope = {"chat_service_sid": service} if "chat_service_sid" in CORES[resource.kind].by_name() else {}
        checked = CORES[resource.kind].check({}, {**scope, **resource.inputs})
        assert checked.failures == [], (resource.name, checked.failures)


def test_cli_writes_the_file_and_reports_progress(
    emulator: Emulator, provider_env: dict[str, str], service: str, tmp_path: Path
) -> None:
    """`adopt --output` writes the program, with a progress line per page once a listing spans pages (and per 100
    conversations whose webhooks were listed); the three other resources are the service's default roles."""
    for i in range(101):
        emulator.create_conversation(service, UniqueName=f"u{i:03}")
    target = tmp_path / "__main__.py"

    done = adopt_cli(provider_env, "adopt", "--service", service, "--output", str(target))

    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert len(declared(target.read_text())) == 101
    assert done.stderr.splitlines() == [
        f"listed 100 conversations of {service}…",
        f"listed 101 conversations of {service}…",
        f"listed the webhooks of 100 conversations of {service}…",
        f"wrote 101 conversations and 3 other resources to {target}",
    ]


@pytest.mark.parametrize(
    ("args", "env_change", "code", "expected"),
    [
        (("--service", "IS123"), {}, 2, "must be a Conversation Service SID"),
        (("--state", "initializing"), {}, 2, "invalid choice: 'initializing'"),
        ((), {"TWILIO_AUTH_TOKEN": ""}, 1, "no Twilio credentials"),
        ((), {"TWILIO_AUTH_TOKEN": "wrong-token-0123456789"}, 1, "HTTP 401 (Twilio error 20003)"),
        (("--service", "IS" + "0" * 32), {}, 1, "HTTP 404"),
    ],
    ids=["bad-sid", "bad-state", "no-credentials", "wrong-token", "no-such-service"],
)
def test_cli_errors_are_one_line_without_traceback_or_secret(
    provider_env: dict[str, str],
    service: str,
    args: tuple[str, ...],
    env_change: dict[str, str],
    code: int,
    expected: str,
) -> None:
    """A wrong command, missing credentials or a Twilio error: one line on stderr, exit 2 or 1, nothing leaked."""
    argv = ("adopt", "--service", service, *args)
    done = adopt_cli({**provider_env, **env_change}, *argv)

    assert done.returncode == code
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert expected in line
    for secret in (provider_env["TWILIO_AUTH_TOKEN"], env_change.get("TWILIO_AUTH_TOKEN") or "\0"):
        assert secret not in done.stderr


def test_cli_version(provider_env: dict[str, str]) -> None:
    """--version names the command and the installed version."""
    done = adopt_cli(provider_env, "--version")
    assert done.returncode == 0
    assert done.stdout.startswith("pulumi-twilio-conversations ")
