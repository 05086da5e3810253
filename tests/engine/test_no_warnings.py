"""What a newcomer reads: the demo, and programs through both doors, print no warning but the program's own.

The engine used to warn `using pulumi-resource-twilio-conversations from $PATH` twice per command: for a Python
program on an editable install, because the language host found no pulumi-plugin.json where it looks
(provider/build_backend.py), and for a YAML or Node.js program, because the plugin came from PATH instead of
the project's `plugins:` entry.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

import yaml

from workspace import REPO, MakeWorkspace, Run, pulumi_dir

OWN = "the program's own warning"
PLUGIN = "pulumi-resource-twilio-conversations"


def foreign_warnings(*runs: Run) -> list[str]:
    """Every line of the runs' output that is a warning the program did not issue itself."""
    lines = (line for run in runs for line in run.output.splitlines())
    return [line for line in lines if "warning:" in line.lower() and OWN not in line]


def runtime(project_file: Path) -> str:
    """A Pulumi.yaml's runtime name (`runtime: yaml`, or `runtime: {name: python, options: …}`)."""
    declared = yaml.safe_load(project_file.read_text())["runtime"]
    return str(declared["name"] if isinstance(declared, dict) else declared)


def test_the_demo_prints_no_warning(tmp_path: Path) -> None:
    """`make demo` (examples/quickstart/demo.sh in a copy of the project) runs through without one warning."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "examples" / "quickstart", project / "examples" / "quickstart")
    shutil.copy(REPO / "Pulumi.yaml", project)
    tools = f"{pulumi_dir()}{os.pathsep}{Path(sys.executable).parent}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "PULUMI_"))}
    demo = subprocess.run(
        ["bash", str(project / "examples" / "quickstart" / "demo.sh")],
        env={**env, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    run = Run(tuple(demo.args), demo.returncode, demo.stdout, demo.stderr)
    assert demo.returncode == 0, run.output
    assert "==> done: conversation CH" in demo.stdout
    assert foreign_warnings(run) == []


def test_a_python_program_on_an_editable_install_warns_only_of_its_own(
    make_workspace: MakeWorkspace, service: str
) -> None:
    """On the checkout's editable install, preview, up, a no-op up and destroy show the program's warning only."""
    direct_url = json.loads(distribution("pulumi-twilio-conversations").read_text("direct_url.json") or "{}")
    assert direct_url.get("dir_info", {}).get("editable"), "the suite runs on an editable install (make install)"
    stack = make_workspace(f"""
        import pulumi
        from pulumi_twilio_conversations import Conversation

        pulumi.log.warn("{OWN}")
        Conversation("support", chat_service_sid="{service}", friendly_name="Support")
    """)
    runs = [stack.pulumi("preview"), stack.pulumi("up", "--yes"), stack.pulumi("up", "--yes"), stack.destroy()]
    assert any(OWN in run.output for run in runs[:3]), "a warning the program issues is shown (the check can see one)"
    assert foreign_warnings(*runs) == []


def test_a_yaml_program_prints_no_warning_even_before_an_error(make_workspace: MakeWorkspace) -> None:
    """Through the plugin, preview and up warn of nothing, and a refused input's error is the first thing said."""
    example = (REPO / "examples" / "yaml" / "Pulumi.yaml").read_text()
    stack = make_workspace(example, runtime="yaml", project=yaml.safe_load(example)["name"])
    runs = [stack.pulumi("preview"), stack.pulumi("up", "--yes")]
    program = yaml.safe_load(example)
    program["resources"]["triage"]["properties"]["timersInactive"] = "PT10S"
    stack.write_program(yaml.safe_dump(program, sort_keys=False))
    refused = stack.pulumi("preview", check=False)
    assert refused.returncode != 0 and "timersInactive" in refused.output
    assert foreign_warnings(*runs, refused) == []


def test_the_examples_name_the_directory_the_plugin_is_installed_in() -> None:
    """Every example that runs through the plugin (YAML, TypeScript) points `plugins:` at the checkout's venv,
    where `make` puts the plugin."""
    through_the_plugin = [
        path.parent for path in (REPO / "examples").glob("*/Pulumi.yaml") if runtime(path) in ("yaml", "nodejs")
    ]
    assert {p.name for p in through_the_plugin} >= {"yaml", "typescript", "members"}
    for project in through_the_plugin:
        [entry] = yaml.safe_load((project / "Pulumi.yaml").read_text())["plugins"]["providers"]
        assert entry["name"] == "twilio-conversations"
        assert (project / entry["path"]).resolve() == (REPO / ".venv" / "bin").resolve()
        assert (REPO / ".venv" / "bin" / PLUGIN).exists()
