"""The real `pulumi` command on a throwaway project: private home, file back-end, no network.

Used by the engine tests and the benchmarks. The CLI is found on PATH, else in the directory the
Makefile's `pulumi-cli` step wrote to `.build/pulumi-dir` (built once by `.ci/bootstrap-pulumi`).
The running interpreter's `bin/` goes first on PATH: the Python language host we can build offline
ignores `virtualenv` in Pulumi.yaml and runs whatever `python3` it finds. A YAML or Node.js project names that
`bin/` as the directory of the provider plugin (`plugins:` in Pulumi.yaml), as the examples do for the checkout's
venv, so the engine runs the plugin of the package under test and has nothing to warn about.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
PULUMI_DIR_FILE = REPO / ".build" / "pulumi-dir"
# Where each runtime's program lives in a project.
PROGRAM_FILES = {"python": "__main__.py", "nodejs": "index.ts", "yaml": "Pulumi.yaml"}
# The provider plugin's directory, for the projects that use it: the package under test's console scripts.
PLUGINS = {"providers": [{"name": "twilio-conversations", "path": str(Path(sys.executable).parent)}]}

# A background job of a non-interactive shell starts with SIGINT ignored, and its children inherit
# that: every `pulumi` command then takes ~5 s longer to finish (measured; it is not the dynamic
# provider's process). A handler set here is reset to the default in each child at exec.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def pulumi_dir() -> Path:
    """The directory holding `pulumi` and its Python plugins; a clear error when there is none."""
    on_path = shutil.which("pulumi")
    if on_path:
        return Path(on_path).parent
    if PULUMI_DIR_FILE.exists():
        built = Path(PULUMI_DIR_FILE.read_text().strip())
        if (built / "pulumi").exists():
            return built
    raise RuntimeError("no `pulumi` on PATH and none built yet: run `make pulumi-cli` (or `make test`)")


@dataclass(frozen=True)
class Run:
    """One finished `pulumi` command."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    steps: tuple[tuple[str, str], ...] = ()
    """(operation, type token) of each resource step the engine reported, in order, without the stack."""

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def changes(self) -> dict[str, int]:
        """How many steps of each operation: {"create": 1}, {"same": 3}, {"update": 1, "same": 2}, ..."""
        return dict(Counter(op for op, _ in self.steps))

    def ops(self, type_token: str) -> list[str]:
        """The operations on resources of one type, in order ("create", "update", "replace", ...)."""
        return [op for op, kind in self.steps if kind == type_token]


def _steps(stdout: str) -> tuple[tuple[str, str], ...]:
    """Steps from `--json` output: the preview's document ("steps"), then for a real run the engine's
    events; a run reports the steps it took, a preview the steps it plans."""
    decoder, position, documents = json.JSONDecoder(), 0, []
    while (position := stdout.find("{", position)) != -1:
        document, position = decoder.raw_decode(stdout, position)
        documents.append(document)
    taken = [d["resourcePreEvent"]["metadata"] for d in documents if "resourcePreEvent" in d]
    if taken:
        return tuple((m["op"], m["type"]) for m in taken)
    planned = [step for d in documents for step in d.get("steps", [])]
    return tuple((step["op"], step["urn"].split("::")[2]) for step in planned)


def _without_stack(steps: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple(step for step in steps if step[1] != "pulumi:pulumi:Stack")


class PulumiCommandError(AssertionError):
    """A `pulumi` command that was expected to succeed failed; the message holds what it printed."""


class Workspace:
    """A Pulumi project in `root` with one stack, driven by the plain CLI as a user would.

    A Python or Node.js project gets a Pulumi.yaml and its program as `__main__.py` or `index.ts` (a Node.js
    project's package.json and modules are the caller's); a YAML project (`runtime="yaml"`) is its Pulumi.yaml,
    the program, whose `name` must be `project`."""

    def __init__(
        self,
        root: Path,
        program: str,
        env: Mapping[str, str],
        project: str = "engine-test",
        stack: str = "dev",
        runtime: str = "python",
    ) -> None:
        self.root = root
        self.project = project
        self.stack = stack
        self.runtime = runtime
        (root / "state").mkdir(parents=True, exist_ok=True)
        if runtime != "yaml":
            plugins = {"plugins": PLUGINS} if runtime == "nodejs" else {}
            (root / "Pulumi.yaml").write_text(yaml.safe_dump({"name": project, "runtime": runtime, **plugins}))
        self.write_program(program)
        tools = f"{pulumi_dir()}{os.pathsep}{Path(sys.executable).parent}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "PULUMI_"))},
            "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}",
            "PULUMI_HOME": str(root / "home"),
            "PULUMI_BACKEND_URL": f"file://{root / 'state'}",
            "PULUMI_CONFIG_PASSPHRASE": "",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            **env,
        }
        self.pulumi("stack", "init", stack)

    def write_program(self, source: str) -> None:
        """Replace the project's program (dedented): `__main__.py`, `index.ts`, or for YAML the whole Pulumi.yaml
        (its `plugins:` then name the package under test's)."""
        text = textwrap.dedent(source)
        if self.runtime == "yaml":
            text = yaml.safe_dump({**yaml.safe_load(text), "plugins": PLUGINS}, sort_keys=False)
        (self.root / PROGRAM_FILES[self.runtime]).write_text(text)

    def pulumi(self, *args: str, check: bool = True, env: Mapping[str, str] | None = None) -> Run:
        """Run `pulumi <args>` non-interactively in the project; raise with its output if it fails and `check`."""
        command = ("pulumi", *args, "--non-interactive")
        completed = subprocess.run(
            command,
            cwd=self.root,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        steps = _without_stack(_steps(completed.stdout)) if "--json" in args else ()
        run = Run(command, completed.returncode, completed.stdout, completed.stderr, steps)
        if check and run.returncode != 0:
            raise PulumiCommandError(f"{' '.join(command)} exited {run.returncode}:\n{run.output}")
        return run

    def start(self, *args: str) -> subprocess.Popen[str]:
        """Start `pulumi <args>` in its own process group (so a test can kill the engine and its plugins)."""
        return subprocess.Popen(
            ("pulumi", *args, "--non-interactive"),
            cwd=self.root,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    @staticmethod
    def kill(process: subprocess.Popen[str]) -> None:
        """SIGKILL a command started by `start` and every process under it, at once, as a crash would.

        The engine starts its plugins (the provider among them) in process groups of their own, so
        the tree is read from /proc before anything is killed."""
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])  # the field after the state
            except OSError:
                continue  # gone meanwhile
            children.setdefault(parent, []).append(int(stat.parent.name))
        tree, queue = [], [process.pid]
        while queue:
            pid = queue.pop()
            tree.append(pid)
            queue.extend(children.get(pid, []))
        for pid in tree:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait()

    def operation(self, verb: str, *args: str, check: bool = True) -> Run:
        """`pulumi <verb> --json`, so the run reports what each step did (plain `pulumi()` for the text)."""
        confirm = () if verb == "preview" else ("--yes",)
        return self.pulumi(verb, *confirm, *args, "--json", check=check)

    def up(self, *args: str, check: bool = True) -> Run:
        return self.operation("up", *args, check=check)

    def preview(self, *args: str, check: bool = True) -> Run:
        return self.operation("preview", *args, check=check)

    def refresh(self, *args: str, check: bool = True) -> Run:
        return self.operation("refresh", *args, check=check)

    def destroy(self, *args: str, check: bool = True) -> Run:
        return self.operation("destroy", *args, check=check)

    def config_set(self, key: str, value: str, secret: bool = False) -> None:
        self.pulumi("config", "set", key, value, *(("--secret",) if secret else ()))

    def outputs(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.pulumi("stack", "output", "--json").stdout)
        return result

    def export(self) -> dict[str, Any]:
        """The stack's checkpoint as `pulumi stack export` prints it (secrets stay encrypted)."""
        result: dict[str, Any] = json.loads(self.pulumi("stack", "export").stdout)
        return result

    def restore_checkpoint_backup(self) -> None:
        """Put back the checkpoint the file back-end saved before its last write (`<stack>.json.bak`), as
        docs/reliability.md tells a user to when a kill cut that write short."""
        stacks = self.root / "state" / ".pulumi" / "stacks" / self.project
        for suffix in ("", ".attrs"):
            backup = stacks / f"{self.stack}.json.bak{suffix}"
            if backup.exists():
                shutil.copyfile(backup, stacks / f"{self.stack}.json{suffix}")

    def resources(self, type_token: str) -> list[dict[str, Any]]:
        """The resources of one type in the exported state, in state order."""
        return [r for r in self.export()["deployment"].get("resources", []) if r["type"] == type_token]


MakeWorkspace = Callable[..., Workspace]
"""The `make_workspace` fixture: `make_workspace(program, env=None, name="project", **Workspace options)`."""
