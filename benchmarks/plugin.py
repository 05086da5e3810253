"""Benchmark 7: the provider plugin against the dynamic provider, the same 100 conversations, one run.

The dynamic provider is driven by a Python program (its only front door); the plugin by a Pulumi YAML
program that declares the same conversations (`twilio-conversations:index:Conversation`). So each
figure includes its language host as well: what a team on either door waits for. Timed: `pulumi up`
of 100 on a fresh stack, and a no-op `pulumi preview` of the same 100, alternating the two doors;
and the state bytes per conversation each door keeps.
"""

from __future__ import annotations

from typing import Any

from common import CONVERSATION, Context, Figure, median, reproduce, seconds
from state import size

from workspace import Workspace

NAME = "plugin"
N = 100
PLUGIN_CONVERSATION = "twilio-conversations:index:Conversation"
PYTHON = """
    from pulumi_twilio_conversations import Conversation

    for i in range({n}):
        Conversation(f"c{{i}}", chat_service_sid="{service}", friendly_name=f"Conversation {{i}}")
"""


def _yaml(n: int, service: str) -> str:
    resources = "".join(
        f"  c{i}:\n    type: {PLUGIN_CONVERSATION}\n    properties:\n"
        f"      chatServiceSid: {service}\n      friendlyName: Conversation {i}\n"
        for i in range(n)
    )
    return f"name: bench-plugin\nruntime: yaml\nresources:\n{resources}"


def _stacks(context: Context, round_: int) -> dict[str, Workspace]:
    env = context.provider_env()
    root = context.root / f"plugin-{round_}"
    return {
        "dynamic": Workspace(root / "dynamic", PYTHON.format(n=N, service=context.service()), env, "bench-dynamic"),
        "plugin": Workspace(root / "plugin", _yaml(N, context.service()), env, "bench-plugin", runtime="yaml"),
    }


def _state_per_conversation(workspace: Workspace, type_token: str) -> float:
    entries: list[dict[str, Any]] = [
        r for r in workspace.export()["deployment"]["resources"] if r["type"] == type_token
    ]
    return sum(size(entry) for entry in entries) / len(entries)


def run(context: Context) -> list[Figure]:
    rounds = 2 if context.quick else 3
    up: dict[str, list[float]] = {"dynamic": [], "plugin": []}
    noop: dict[str, list[float]] = {"dynamic": [], "plugin": []}
    for round_ in range(rounds):
        stacks = _stacks(context, round_)
        order = list(stacks) if round_ % 2 == 0 else list(reversed(stacks))
        for door in order:
            up[door].append(seconds(lambda stack=stacks[door]: stack.pulumi("up", "--yes", "--skip-preview")))
        for door in order:
            noop[door].append(seconds(lambda stack=stacks[door]: stack.pulumi("preview")))
    state = {
        "dynamic": _state_per_conversation(stacks["dynamic"], CONVERSATION),
        "plugin": _state_per_conversation(stacks["plugin"], PLUGIN_CONVERSATION),
    }
    command = reproduce(NAME)
    figures = []
    for what, timings in ((f"up of {N}", up), (f"no-op preview of {N}", noop)):
        plugin, dynamic = median(timings["plugin"]), median(timings["dynamic"])
        detail = f"YAML program via the plugin {plugin:.2f} s / Python program via the dynamic provider {dynamic:.2f} s"
        figures.append(
            Figure(f"plugin / dynamic: {what}", plugin / dynamic, "x", command, None, f"{detail}; median of {rounds}")
        )
    figures.append(
        Figure(
            "state per conversation, plugin",
            state["plugin"],
            "B",
            command,
            detail=f"dynamic provider {state['dynamic']:.0f} B (its inputs and outputs hold `__provider` twice)",
        )
    )
    return figures
