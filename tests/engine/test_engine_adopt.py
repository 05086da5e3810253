"""Adopting existing conversations through the real `pulumi` command: `adopt`, and the generated program."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import yaml

from pulumi_twilio_conversations.emulator import Emulator

from outside import OutsidePulumi
from workspace import REPO, MakeWorkspace, Run

CONVERSATION = "pulumi-python:dynamic/twilio:Conversation"
COLLECTION = "/v1/Services/{ChatServiceSid}/Conversations"
INSTANCE = "/v1/Services/{ChatServiceSid}/Conversations/{Sid}"
EXAMPLES = REPO / "examples"
WIRING = ("ServiceWebhookConfiguration", "ServiceNotifications", "Role", "ConversationWebhook", "AddressConfiguration")


def token(kind: str) -> str:
    return f"pulumi-python:dynamic/twilio:{kind}"


def wire(outside: OutsidePulumi, emulator: Emulator, service: str) -> dict[str, Any]:
    """Wiring made outside Pulumi: both settings changed, a role of the service's own, a conversation with a
    webhook, a trigger and a Studio webhook (and one without any), an SMS number opening conversations in the
    service and one that does not."""

    def post(path: str, form: dict[str, Any]) -> Any:
        return outside.session.post(outside.base_url + path, data=form, timeout=10).json()

    base = f"/v1/Services/{service}"
    post(f"{base}/Configuration/Webhooks", {"PreWebhookUrl": "https://backend.invalid/pre", "Method": "GET",
                                            "Filters": ["onMessageAdd", "onMessageAdded"]})  # fmt: skip
    welcome = {"AddedToConversation.Enabled": "true", "AddedToConversation.Template": "Welcome to ${CONVERSATION}"}
    post(f"{base}/Configuration/Notifications", welcome)
    role = post(f"{base}/Roles", {"FriendlyName": "Supervisor", "Type": "conversation",
                                  "Permission": ["sendMessage", "addParticipant"]})  # fmt: skip
    support = emulator.create_conversation(service, UniqueName="support")
    emulator.create_conversation(service, FriendlyName="quiet")
    hooks = f"{base}/Conversations/{support['sid']}/Webhooks"
    post(hooks, {"Target": "webhook", "Configuration.Url": "https://backend.invalid/hook",
                 "Configuration.Filters": ["onMessageAdded"]})  # fmt: skip
    post(hooks, {"Target": "trigger", "Configuration.Url": "https://backend.invalid/t",
                 "Configuration.Triggers": ["help"]})  # fmt: skip
    post(hooks, {"Target": "studio", "Configuration.FlowSid": "FW" + "1" * 32})
    post("/v1/Configuration/Addresses", {"Type": "sms", "Address": "+15005550006", "AutoCreation.Enabled": "true",
                                         "AutoCreation.ConversationServiceSid": service})  # fmt: skip
    post("/v1/Configuration/Addresses", {"Type": "sms", "Address": "+15005550007"})
    return {"role": role, "support": support}


def settings(outside: OutsidePulumi, service: str) -> list[Any]:
    """The service's webhook and notification settings as Twilio reports them."""
    paths = (f"/v1/Services/{service}/Configuration/{name}" for name in ("Webhooks", "Notifications"))
    return [outside.call("GET", path).json() for path in paths]


def role_sids(outside: OutsidePulumi, service: str) -> set[str]:
    return {role["sid"] for role in outside.call("GET", f"/v1/Services/{service}/Roles").json()["roles"]}


def posts(emulator: Emulator, route: str) -> list[dict[str, str]]:
    return [r.form for r in emulator.counters.log if r.method == "POST" and r.route == route]


def generate(env: dict[str, str], service: str, *args: str) -> str:
    """What `python -m pulumi_twilio_conversations adopt --service <service> <args>` prints."""
    command = [sys.executable, "-m", "pulumi_twilio_conversations", "adopt", "--service", service, *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout


def resource_changes(run: Run) -> dict[str, int]:
    """The engine's summary of a `--json` run, counting the stack ({"same": 3}, {"same": 2, "update": 1})."""
    [summary] = [json.loads(line)["summaryEvent"] for line in run.stdout.splitlines() if '"summaryEvent"' in line]
    changes: dict[str, int] = summary["resourceChanges"]
    return changes


def test_adopted_by_sid_and_unique_name_then_managed_and_destroyed_unless_retained(
    make_workspace: MakeWorkspace, emulator: Emulator, service: str
) -> None:
    """examples/adopt-existing: adoption creates nothing and sends one update for the one field that differs;
    a second up and a refresh change nothing; destroy deletes the adopted conversation, not the retained one."""
    legacy = emulator.create_conversation(service, FriendlyName="Legacy", UniqueName="legacy")
    sales = emulator.create_conversation(service, UniqueName="sales", Attributes='{"team": "sales"}')
    stack = make_workspace((EXAMPLES / "adopt-existing" / "__main__.py").read_text())
    for key, value in (("service", service), ("legacySid", legacy["sid"]), ("salesUniqueName", "sales")):
        stack.config_set(key, value)
    emulator.counters.reset()

    first = stack.up()
    assert first.ops(CONVERSATION) == ["create", "create"]
    assert "will adopt the existing conversation 'sales'" in first.output
    assert posts(emulator, COLLECTION) == []
    assert posts(emulator, INSTANCE) == [{"FriendlyName": "Legacy support"}]
    assert stack.outputs() == {"legacy_sid": legacy["sid"], "sales_sid": sales["sid"]}

    emulator.counters.reset()
    assert stack.up().changes == {"same": 2}
    assert resource_changes(stack.refresh()) == {"same": 3}  # the stack too; drift would be "update"
    assert emulator.counters.writes() == 0

    assert stack.destroy().ops(CONVERSATION) == ["delete", "delete"]
    assert [c["sid"] for c in emulator.conversations(service)] == [legacy["sid"]]
    assert stack.resources(CONVERSATION) == []


def test_adopting_what_does_not_exist_fails_naming_adopt_and_creates_nothing(
    make_workspace: MakeWorkspace, emulator: Emulator, service: str
) -> None:
    """A wrong SID or unique name in `adopt` fails `up` with a message naming `adopt`; Twilio gets no write."""
    stack = make_workspace(
        f"""
        from pulumi_twilio_conversations import Conversation

        Conversation("gone", chat_service_sid="{service}", adopt="CH{"0" * 32}", friendly_name="Gone")
        """
    )
    emulator.counters.reset()

    run = stack.up(check=False)

    assert run.returncode != 0
    assert f"adopt: there is no conversation 'CH{'0' * 32}' in {service}; nothing was created" in run.output
    assert emulator.counters.writes() == 0
    assert emulator.conversations(service) == []
    assert stack.resources(CONVERSATION) == []


def test_generated_program_adopts_a_whole_service_then_changes_nothing(
    make_workspace: MakeWorkspace,
    emulator: Emulator,
    outside: OutsidePulumi,
    provider_env: dict[str, str],
    service: str,
) -> None:
    """The generator's program for 120 conversations (named or not, with attributes, bindings, one closed) adopts
    all 120 without a single write, the next up is a no-op, and generating twice gives the same file."""
    for i in range(120):
        fields = {"UniqueName": f"room {i}", "Attributes": f'{{"floor": {i % 7}, "tags": ["x"]}}'} if i % 3 else {}
        if i % 10 == 0:
            fields["Bindings.Email.Address"] = f"room{i}@example.com"
        sid = emulator.create_conversation(service, FriendlyName=f"Room {i}", **fields)["sid"]
    outside.call("POST", f"/v1/Services/{service}/Conversations/{sid}", State="closed")
    first_program, second_program = (generate(provider_env, service) for _ in range(2))
    assert first_program == second_program
    stack = make_workspace(first_program)
    emulator.counters.reset()

    first = stack.up()
    assert first.ops(CONVERSATION) == ["create"] * 120
    assert emulator.counters.writes() == 0
    assert len(emulator.conversations(service)) == 120

    assert stack.up().changes == {"same": 123}  # and the service's three default roles
    assert emulator.counters.writes() == 0


def test_generated_program_adopts_a_wired_service_then_destroys_all_but_the_default_roles(
    make_workspace: MakeWorkspace,
    emulator: Emulator,
    outside: OutsidePulumi,
    provider_env: dict[str, str],
    service: str,
) -> None:
    """The generator's program for a service with both settings, roles, conversation webhooks of each target and
    an address configuration (--addresses) adopts each one without a write; the next up is a no-op; destroy
    deletes what it adopted but the three default roles, and puts the settings back to a new service's."""
    made = wire(outside, emulator, service)
    untouched = settings(outside, emulator.create_service("Untouched")["sid"])
    default_roles = role_sids(outside, service) - {made["role"]["sid"]}
    program = generate(provider_env, service, "--addresses")
    assert generate(provider_env, service, "--addresses") == program
    stack = make_workspace(program)
    emulator.counters.reset()

    first = stack.up()
    expected = {"Conversation": 2, "ServiceWebhookConfiguration": 1, "ServiceNotifications": 1, "Role": 4,
                "ConversationWebhook": 3, "AddressConfiguration": 1}  # fmt: skip
    assert {kind: first.ops(token(kind)) for kind in expected} == {kind: ["create"] * n for kind, n in expected.items()}
    assert emulator.counters.writes() == 0  # no POST to a collection, and no update: each was adopted as it is

    assert stack.up().changes == {"same": sum(expected.values())}
    assert emulator.counters.writes() == 0

    stack.destroy()
    assert role_sids(outside, service) == default_roles
    assert settings(outside, service) == [
        {**setting, "chat_service_sid": service, "url": setting["url"].replace(setting["chat_service_sid"], service)}
        for setting in untouched
    ]
    assert emulator.conversations(service) == []
    assert [
        a["address"] for a in outside.call("GET", "/v1/Configuration/Addresses").json()["address_configurations"]
    ] == ["+15005550007"]


def test_data_driven_example_adopts_the_generated_yaml_and_retains_on_destroy(
    make_workspace: MakeWorkspace,
    emulator: Emulator,
    outside: OutsidePulumi,
    provider_env: dict[str, str],
    service: str,
) -> None:
    """examples/data-driven with the generator's YAML (settings, roles and webhooks too) adopts every resource
    without a write, a second up changes nothing, a new webhook may name a new conversation by its entry, and
    destroy leaves them all in Twilio (retainOnDelete defaults to true)."""
    made = [emulator.create_conversation(service, UniqueName=f"desk {i}", Attributes='{"n": 1}') for i in range(3)]
    wire(outside, emulator, service)
    before = settings(outside, service)
    stack = make_workspace((EXAMPLES / "data-driven" / "__main__.py").read_text())
    (stack.root / "conversations.yaml").write_text(generate(provider_env, service, "--format", "yaml", "--addresses"))
    emulator.counters.reset()

    first = stack.up()
    assert first.ops(CONVERSATION) == ["create"] * 5
    assert {kind: len(first.ops(token(kind))) for kind in WIRING} == {
        "ServiceWebhookConfiguration": 1, "ServiceNotifications": 1, "Role": 4, "ConversationWebhook": 3,
        "AddressConfiguration": 1,
    }  # fmt: skip
    assert stack.outputs()["sids"]["desk-0"] == made[0]["sid"]
    assert stack.up().changes == {"same": 15}
    assert emulator.counters.writes() == 0

    data = yaml.safe_load((stack.root / "conversations.yaml").read_text())
    data["conversations"]["lobby"] = {"unique_name": "lobby"}
    data["conversation_webhooks"]["lobby-hook"] = {"conversation_sid": "lobby", "target": "webhook",
                                                   "configuration_url": "https://backend.invalid/lobby"}  # fmt: skip
    (stack.root / "conversations.yaml").write_text(yaml.safe_dump(data))
    assert stack.up().changes == {"same": 15, "create": 2}
    lobby = stack.outputs()["sids"]["lobby"]
    hooks = outside.call("GET", f"/v1/Services/{service}/Conversations/{lobby}/Webhooks").json()["webhooks"]
    assert [hook["configuration"]["url"] for hook in hooks] == ["https://backend.invalid/lobby"]

    emulator.counters.reset()
    assert stack.destroy().ops(CONVERSATION) == ["delete"] * 6
    assert emulator.counters.writes() == 0
    assert len(emulator.conversations(service)) == 6
    assert settings(outside, service) == before
