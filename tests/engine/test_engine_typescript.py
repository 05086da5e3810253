"""examples/typescript through the provider plugin: its SDK generated from the plugin's schema, the real CLI.

Needs the opt-in part of the toolchain (`BOOTSTRAP_TYPESCRIPT=1 make pulumi-cli`: the Node.js language host and
gensdk), Node.js with npm, and the npm registry for `@pulumi/pulumi`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib.metadata import version

from pulumi_twilio_conversations.emulator import Emulator
from pulumi_twilio_conversations.plugin.resources import RESOURCES
from pulumi_twilio_conversations.plugin.schema import build_schema

from workspace import REPO, MakeWorkspace, pulumi_dir

EXAMPLE = REPO / "examples" / "typescript"
CONVERSATION = "twilio-conversations:index:Conversation"


def test_a_typescript_program_creates_rests_updates_and_destroys(
    make_workspace: MakeWorkspace, emulator: Emulator
) -> None:
    """The same resources from TypeScript: up creates both, a second up is a no-op, an edit is one update."""
    tools = pulumi_dir()
    missing = [name for name in ("gensdk", "pulumi-language-nodejs") if not (tools / name).exists()]
    assert not missing and shutil.which("npm"), f"`make test` builds {missing} (.ci/bootstrap-pulumi) and needs npm"
    stack = make_workspace((EXAMPLE / "index.ts").read_text(), runtime="nodejs")
    for name in ("package.json", "tsconfig.json"):
        shutil.copyfile(EXAMPLE / name, stack.root / name)
    plugin_version = version("pulumi-twilio-conversations")
    schema = stack.root / "schema.json"
    schema.write_text(json.dumps(build_schema(RESOURCES, plugin_version)))
    subprocess.run([tools / "gensdk", "nodejs", schema, stack.root / "sdk"], check=True)
    package = stack.root / "sdk" / "package.json"  # the SDK asks the engine for the plugin of this version
    package.write_text(package.read_text().replace("${VERSION}", plugin_version))
    subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=stack.root, check=True, capture_output=True)

    created = stack.up()
    assert created.changes == {"create": 2}
    assert "warning:" not in created.output  # the project names the plugin's directory (examples/typescript)
    [service] = emulator.services()
    [conversation] = emulator.conversations(service["sid"])
    assert stack.outputs() == {"serviceSid": service["sid"], "conversationSid": conversation["sid"]}
    assert conversation["attributes"] == '{"team":"support","tier":1}'

    emulator.counters.reset()
    assert stack.up().changes == {"same": 2}
    assert emulator.counters.writes() == 0
    stack.config_set("conversationName", "Triage desk")
    assert stack.up().ops(CONVERSATION) == ["update"]
    assert emulator.conversations(service["sid"])[0]["friendly_name"] == "Triage desk"

    stack.destroy()
    assert emulator.services() == []
