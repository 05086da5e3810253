"""A Conversation through the real `pulumi` command: up, preview, replace, refresh, lookups, secrets, destroy."""

from __future__ import annotations

import re

import pytest

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, Emulator

from outside import OutsidePulumi
from workspace import MakeWorkspace, Workspace

CONVERSATION = "pulumi-python:dynamic/twilio:Conversation"
PROGRAM = """
    import pulumi
    from pulumi_twilio_conversations import Conversation

    config = pulumi.Config()
    support = Conversation(
        "support",
        chat_service_sid=config.require("service"),
        friendly_name=config.get("friendlyName") or "Support",
        unique_name=config.get("uniqueName"),
        timers_inactive=config.get("timersInactive"),
    )
    pulumi.export("sid", support.sid)
    pulumi.export("friendly_name", support.friendly_name)
    pulumi.export("links", support.links)
"""


@pytest.fixture
def stack(make_workspace: MakeWorkspace, service: str) -> Workspace:
    workspace = make_workspace(PROGRAM)
    workspace.config_set("service", service)
    return workspace


@pytest.mark.sdk
def test_up_creates_and_a_second_up_sends_no_write(stack: Workspace, emulator: Emulator, service: str) -> None:
    first = stack.up()
    assert first.ops(CONVERSATION) == ["create"]
    [remote] = emulator.conversations(service)
    assert stack.outputs() == {"sid": remote["sid"], "friendly_name": "Support", "links": remote["links"]}

    emulator.counters.reset()
    second = stack.up()
    assert second.changes == {"same": 1}
    assert emulator.counters.writes() == 0


def test_a_changed_friendly_name_previews_and_applies_as_one_update(
    stack: Workspace, emulator: Emulator, service: str
) -> None:
    stack.up()
    sid = stack.outputs()["sid"]
    stack.config_set("friendlyName", "Support desk")
    emulator.counters.reset()

    preview = stack.pulumi("preview", "--diff")
    assert "~ 1 to update" in preview.output and "replace" not in preview.output
    assert re.search(r'~ friendly_name +: "Support" => "Support desk"', preview.output)
    assert stack.preview().ops(CONVERSATION) == ["update"]
    assert emulator.counters.writes() == 0

    assert stack.up().ops(CONVERSATION) == ["update"]
    [remote] = emulator.conversations(service)
    assert (remote["sid"], remote["friendly_name"]) == (sid, "Support desk")
    assert [(r.method, r.form) for r in emulator.counters.log if r.method == "POST"] == [
        ("POST", {"FriendlyName": "Support desk"})
    ]


def test_a_new_service_replaces_deleting_first_when_the_unique_name_stays(
    stack: Workspace, emulator: Emulator, service: str
) -> None:
    stack.config_set("uniqueName", "support")
    stack.up()
    old_sid = stack.outputs()["sid"]
    other = emulator.create_service("Sales")["sid"]
    stack.config_set("service", other)

    ops = stack.up().ops(CONVERSATION)
    assert ops.index("delete-replaced") < ops.index("create-replacement")
    assert emulator.conversations(service) == []
    [moved] = emulator.conversations(other)
    assert moved["unique_name"] == "support" and moved["sid"] != old_sid
    assert stack.outputs()["sid"] == moved["sid"]


@pytest.mark.sdk
def test_refresh_drops_a_conversation_deleted_outside_and_up_recreates_it(
    stack: Workspace, emulator: Emulator, outside: OutsidePulumi, service: str
) -> None:
    stack.up()
    outside.call("DELETE", f"/v1/Services/{service}/Conversations/{stack.outputs()['sid']}")

    assert "- 1 deleted" in stack.pulumi("refresh", "--yes").output
    assert stack.resources(CONVERSATION) == []
    assert stack.up().ops(CONVERSATION) == ["create"]
    [recreated] = emulator.conversations(service)
    assert recreated["friendly_name"] == "Support"


def test_refresh_shows_drift_and_up_puts_back_what_the_program_declares(
    stack: Workspace, emulator: Emulator, outside: OutsidePulumi, service: str
) -> None:
    stack.up()
    sid = stack.outputs()["sid"]
    outside.call("POST", f"/v1/Services/{service}/Conversations/{sid}", FriendlyName="Renamed by hand")

    assert "~ 1 updated" in stack.pulumi("refresh", "--yes").output
    [state] = stack.resources(CONVERSATION)
    assert state["outputs"]["friendly_name"] == "Renamed by hand"
    assert stack.up().ops(CONVERSATION) == ["update"]
    [remote] = emulator.conversations(service)
    assert (remote["sid"], remote["friendly_name"]) == (sid, "Support")


@pytest.mark.sdk
def test_a_lookup_by_id_reads_without_managing(make_workspace: MakeWorkspace, emulator: Emulator, service: str) -> None:
    existing = emulator.create_conversation(service, FriendlyName="Made by hand")
    workspace = make_workspace(
        """
        import pulumi
        from pulumi_twilio_conversations import Conversation

        config = pulumi.Config()
        found = Conversation("found", opts=pulumi.ResourceOptions(id=config.require("id")))
        pulumi.export("friendly_name", found.friendly_name)
        pulumi.export("sid", found.sid)
        """
    )
    workspace.config_set("id", f"{service}/{existing['sid']}")
    emulator.counters.reset()

    assert workspace.up().ops(CONVERSATION) == ["read"]
    assert workspace.outputs() == {"friendly_name": "Made by hand", "sid": existing["sid"]}
    workspace.destroy()
    assert emulator.counters.writes() == 0
    assert [c["sid"] for c in emulator.conversations(service)] == [existing["sid"]]


def test_credentials_from_secret_config_work_and_never_show(make_workspace: MakeWorkspace) -> None:
    token = "s3cr3t-token-that-must-never-show-0123456789"
    with Emulator(auth_token=token) as twilio:
        service = twilio.create_service("Support")["sid"]
        workspace = make_workspace(PROGRAM, env={})  # no TWILIO_* variables at all
        workspace.config_set("service", service)
        workspace.config_set("twilio:accountSid", DEFAULT_ACCOUNT_SID)
        workspace.config_set("twilio:authToken", token, secret=True)
        workspace.config_set("twilio:conversationsBaseUrl", twilio.base_url)

        runs = [workspace.pulumi("preview", "--diff"), workspace.pulumi("up", "--yes"), workspace.refresh()]
        assert len(twilio.conversations(service)) == 1
    runs += [workspace.pulumi("stack", "export"), workspace.pulumi("config")]
    produced = "".join(run.output for run in runs) + (workspace.root / "Pulumi.dev.yaml").read_text()
    produced += "".join(p.read_text(errors="replace") for p in (workspace.root / "state").rglob("*") if p.is_file())
    assert token not in produced


def test_destroy_deletes_everything(stack: Workspace, emulator: Emulator, service: str) -> None:
    stack.config_set("uniqueName", "support")
    stack.up()
    assert stack.destroy().ops(CONVERSATION) == ["delete"]
    assert emulator.conversations(service) == []
    assert stack.resources(CONVERSATION) == []


def test_a_validation_error_fails_preview_naming_the_input(stack: Workspace, emulator: Emulator) -> None:
    stack.config_set("timersInactive", "an hour")
    emulator.counters.reset()
    preview = stack.pulumi("preview", "--diff", check=False)
    assert preview.returncode != 0
    assert "timers_inactive" in preview.output and "ISO 8601 duration" in preview.output
    assert emulator.counters.requests == {}


def test_a_preview_needs_no_twilio_credentials(make_workspace: MakeWorkspace, emulator: Emulator, service: str) -> None:
    """A pull-request preview runs without any Twilio secret (check and diff are pure)."""
    workspace = make_workspace(PROGRAM, env={})
    workspace.config_set("service", service)
    assert workspace.preview().ops(CONVERSATION) == ["create"]
    assert emulator.counters.requests == {}


@pytest.mark.sdk
def test_secret_attributes_stay_secret_in_state(make_workspace: MakeWorkspace, service: str) -> None:
    """Twilio marks attributes as PII: declared with Output.secret, they are ciphertext in state, refresh too."""
    workspace = make_workspace(
        """
        import pulumi
        from pulumi_twilio_conversations import Conversation

        Conversation(
            "private",
            chat_service_sid=pulumi.Config().require("service"),
            attributes=pulumi.Output.secret({"ssn": "078-05-1120"}),
        )
        """
    )
    workspace.config_set("service", service)
    workspace.up()
    [state] = workspace.resources(CONVERSATION)
    assert state["inputs"]["attributes"].get("ciphertext") and state["outputs"]["attributes"].get("ciphertext")
    refreshed = workspace.refresh()
    exported = workspace.pulumi("stack", "export").stdout
    assert "078-05-1120" not in exported + refreshed.output
    assert workspace.up().changes == {"same": 1}
