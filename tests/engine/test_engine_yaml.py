"""examples/yaml (a Pulumi YAML program) through the provider plugin and the real `pulumi` command.

Needs `pulumi-language-yaml` (built by .ci/bootstrap-pulumi) and finds `pulumi-resource-twilio-conversations`
on PATH, in the running interpreter's `bin/`, as a user's venv would.
"""

from __future__ import annotations

import json
import re
import shutil
from importlib.metadata import version
from typing import Any

import pytest
import yaml

from pulumi_twilio_conversations.emulator import Emulator
from pulumi_twilio_conversations.plugin.resources import RESOURCES
from pulumi_twilio_conversations.plugin.schema import build_schema

from outside import OutsidePulumi
from workspace import REPO, MakeWorkspace, Run, Workspace

EXAMPLE = (REPO / "examples" / "yaml" / "Pulumi.yaml").read_text()
SERVICE = "twilio-conversations:index:ConversationService"
CONVERSATION = "twilio-conversations:index:Conversation"


@pytest.fixture
def stack(make_workspace: MakeWorkspace) -> Workspace:
    return make_workspace(EXAMPLE, runtime="yaml", project=yaml.safe_load(EXAMPLE)["name"])


def summary(preview: Run) -> dict[str, int]:
    """A preview's count of resources per operation, the stack included (its steps list omits unchanged ones)."""
    counts: dict[str, int] = json.loads(preview.stdout)["changeSummary"]
    return counts


def writes(emulator: Emulator) -> list[tuple[str, str, dict[str, Any]]]:
    return [(r.method, r.path, r.form) for r in emulator.counters.log if r.method in ("POST", "DELETE")]


@pytest.mark.sdk
def test_preview_sends_nothing_and_up_creates_the_service_and_its_conversation(
    stack: Workspace, emulator: Emulator
) -> None:
    preview = stack.preview()
    assert preview.ops(SERVICE) == ["create"] and preview.ops(CONVERSATION) == ["create"]
    assert emulator.counters.requests == {}

    assert stack.up().changes == {"create": 2}
    [service] = emulator.services()
    [conversation] = emulator.conversations(service["sid"])
    assert stack.outputs() == {"service": service["sid"], "conversation": conversation["sid"]}
    assert (conversation["friendly_name"], conversation["unique_name"]) == ("Triage", "triage")
    assert conversation["attributes"] == '{"team":"support","tier":1}'
    [state] = stack.resources(CONVERSATION)
    assert state["id"] == conversation["sid"] and state["outputs"]["chatServiceSid"] == service["sid"]


@pytest.mark.sdk
def test_a_second_up_is_a_no_op_and_an_edit_is_one_update_of_that_field(stack: Workspace, emulator: Emulator) -> None:
    stack.up()
    outputs = stack.outputs()
    emulator.counters.reset()
    assert summary(stack.preview()) == {"same": 3}
    assert stack.up().changes == {"same": 2}
    assert emulator.counters.writes() == 0

    stack.config_set("conversationName", "Triage desk")
    assert re.search(r'~ friendlyName *: "Triage" => "Triage desk"', stack.pulumi("preview", "--diff").output)
    emulator.counters.reset()
    assert stack.up().changes == {"update": 1, "same": 1}
    path = f"/v1/Services/{outputs['service']}/Conversations/{outputs['conversation']}"
    assert writes(emulator) == [("POST", path, {"FriendlyName": "Triage desk"})]


def test_a_rename_previews_as_a_replace_and_the_reason_is_shown_on_the_service(stack: Workspace) -> None:
    """What the provider says (a plugin's own output is hidden by the engine) reaches the user on the resource."""
    stack.up()
    stack.config_set("serviceName", "Support desk")
    preview = stack.pulumi("preview")
    assert "+-2 to replace" in preview.output
    assert re.search(
        r"ConversationService \(support\):\n +ConversationService IS\w+: Twilio cannot rename", preview.output
    )


@pytest.mark.sdk
def test_pulumi_import_declares_what_twilio_reports_so_the_next_preview_is_empty(
    stack: Workspace, emulator: Emulator, outside: OutsidePulumi
) -> None:
    stack.up()
    service = stack.outputs()["service"]
    made = outside.call(
        "POST",
        f"/v1/Services/{service}/Conversations",
        FriendlyName="By hand",
        UniqueName="by-hand",
        Attributes='{"a": 1}',
    ).json()
    generated = stack.root / "imported.yaml"
    stack.pulumi("import", CONVERSATION, "byhand", f"{service}/{made['sid']}", "--yes", "--out", str(generated))

    [imported] = [r for r in stack.resources(CONVERSATION) if r["urn"].endswith("::byhand")]
    assert imported["id"] == made["sid"]
    declared = yaml.safe_load(generated.read_text())["resources"]["byhand"]
    assert declared["properties"] == {
        "chatServiceSid": service,
        "friendlyName": "By hand",
        "uniqueName": "by-hand",
        "attributes": '{"a": 1}',
        "state": "active",
    }
    program = yaml.safe_load(EXAMPLE)
    program["resources"]["byhand"] = declared
    stack.write_program(yaml.safe_dump(program, sort_keys=False))
    emulator.counters.reset()
    assert summary(stack.preview()) == {"same": 4}
    assert emulator.counters.writes() == 0


def test_errors_reach_the_user_as_one_line_without_a_python_traceback(stack: Workspace) -> None:
    stack.up()
    stack.config_set("conversationName", "x" * 257)
    refused = stack.preview(check=False)
    assert refused.returncode != 0 and re.search(r"friendlyName.*256", refused.output)

    stack.config_set("conversationName", "Triage desk")
    failed = stack.pulumi("up", "--yes", check=False, env={"TWILIO_AUTH_TOKEN": "wrong"})
    assert failed.returncode != 0
    [line] = [line for line in failed.output.splitlines() if line.strip().startswith("error: POST")]
    assert "HTTP 401 (Twilio error 20003): Authenticate" in line
    assert "twilio-conversations:authToken" in line and "twilio:authToken" not in line
    assert "Traceback" not in failed.output and 'File "' not in failed.output


def test_destroy_deletes_the_conversation_then_the_service(stack: Workspace, emulator: Emulator) -> None:
    stack.up()
    emulator.counters.reset()
    assert stack.destroy().changes == {"delete": 2}
    assert [(method, path.count("/")) for method, path, _ in writes(emulator)] == [("DELETE", 5), ("DELETE", 3)]
    assert emulator.services() == []


def test_pulumi_package_get_schema_prints_the_schema_sdks_are_generated_from(stack: Workspace) -> None:
    """`pulumi package get-schema <the plugin on PATH>` prints the plugin's schema (by path: a bare name is looked
    up in the Pulumi registry)."""
    plugin = shutil.which("pulumi-resource-twilio-conversations", path=stack.env["PATH"])
    assert plugin is not None
    printed = json.loads(stack.pulumi("package", "get-schema", plugin).stdout)
    assert printed == build_schema(RESOURCES, version("pulumi-twilio-conversations"))


def test_refresh_drops_a_conversation_deleted_outside_and_a_lookup_by_id_reads_one(
    stack: Workspace, emulator: Emulator, outside: OutsidePulumi
) -> None:
    """As with the dynamic provider: refresh forgets what was deleted outside, up recreates it; `get` only reads."""
    stack.up()
    service, sid = stack.outputs()["service"], stack.outputs()["conversation"]
    outside.call("DELETE", f"/v1/Services/{service}/Conversations/{sid}")
    stack.refresh()
    assert [r["id"] for r in stack.resources(CONVERSATION)] == []
    stack.up()
    [recreated] = emulator.conversations(service)
    assert recreated["sid"] != sid and recreated["unique_name"] == "triage"

    program = yaml.safe_load(EXAMPLE)
    program["resources"]["found"] = {"type": CONVERSATION, "get": {"id": f"{service}/{recreated['sid']}"}}
    program["outputs"]["found"] = "${found.friendlyName}"
    stack.write_program(yaml.safe_dump(program, sort_keys=False))
    emulator.counters.reset()
    assert sorted(stack.up().ops(CONVERSATION)) == ["read", "same"]  # the lookup, and the managed one at rest
    assert stack.outputs()["found"] == recreated["friendly_name"] and emulator.counters.writes() == 0
