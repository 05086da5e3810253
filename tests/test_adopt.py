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
from pulumi_twilio_conversations.adopt import declarations, list_conversations, render_python, render_yaml
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


def declared(program: str) -> dict[str, dict[str, Any]]:
    """Resource name → keyword inputs of each `Conversation(...)` in a generated program."""
    calls = [node for node in ast.walk(ast.parse(program)) if isinstance(node, ast.Call)]
    return {
        ast.literal_eval(call.args[0]): {
            kw.arg: ast.literal_eval(kw.value) for kw in call.keywords if kw.arg != "chat_service_sid"
        }
        for call in calls
    }


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
            "bindings_email_address": "help@example.com",
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


def test_every_generated_declaration_passes_the_providers_check(
    emulator: Emulator, client: TwilioClient, service: str
) -> None:
    """Regression: adopting a closed conversation with state="closed" failed check as a "closed create"."""
    closed = emulator.create_conversation(service, UniqueName="done")
    client.post(f"/v1/Services/{service}/Conversations/{closed['sid']}", {"State": "closed"})
    emulator.create_conversation(service, FriendlyName="open", Attributes='{"x": [1, 2]}')

    for item in declarations(list_conversations(client, service)):
        result = ConversationProvider().check({}, {"chat_service_sid": service, **item.inputs})
        assert result.failures == [], (item.name, [(f.property, f.reason) for f in result.failures])


def test_cli_writes_the_file_and_reports_progress(
    emulator: Emulator, provider_env: dict[str, str], service: str, tmp_path: Path
) -> None:
    """`adopt --output` writes the program, with a progress line per page once a listing spans pages."""
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
        f"wrote 101 conversations to {target}",
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
