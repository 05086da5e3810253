"""Benchmark 4: bytes of state per conversation in `pulumi stack export`, and what they are made of.

Sizes are of compact JSON (the engine rewrites the whole checkpoint after every step, so each byte
here is paid N times per `pulumi up`). A resource's entry splits into the outputs (Twilio's answer
plus the declared inputs Twilio does not report), the inputs, the serialized provider (`__provider`,
stored in both inputs and outputs) and the engine's own fields (URN, type, id, provider reference,
stack trace, ...). The same-state floor's size shows that it holds what a conversation holds.
"""

from __future__ import annotations

import json
from typing import Any

from common import CONVERSATION, EMPTY, OURS, SAME_STATE, Context, Figure, reproduce
from empty import SAME_STATE_TYPE_TOKEN, TYPE_TOKEN

NAME = "state"
N = 100
PROVIDER_KEY = "__provider"
PROVIDER_TARGET = 200


def size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode())


def _without_provider(bag: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in bag.items() if key != PROVIDER_KEY}


def _per_resource(context: Context, kind: str, type_token: str) -> dict[str, float]:
    resources = [r for r in context.deployed(kind, N).export()["deployment"]["resources"] if r["type"] == type_token]
    parts = {"total": 0.0, "outputs": 0.0, "inputs": 0.0, "provider": 0.0}
    for entry in resources:
        inputs, outputs = entry.get("inputs", {}), entry.get("outputs", {})
        parts["total"] += size(entry)
        parts["outputs"] += size(_without_provider(outputs))
        parts["inputs"] += size(_without_provider(inputs))
        parts["provider"] += sum(size(bag[PROVIDER_KEY]) for bag in (inputs, outputs) if PROVIDER_KEY in bag)
    return {part: total / len(resources) for part, total in parts.items()}


def run(context: Context) -> list[Figure]:
    ours = _per_resource(context, OURS, CONVERSATION)
    empty = _per_resource(context, EMPTY, TYPE_TOKEN)
    same_state = _per_resource(context, SAME_STATE, SAME_STATE_TYPE_TOKEN)
    engine = ours["total"] - ours["outputs"] - ours["inputs"] - ours["provider"]
    command = reproduce(NAME)
    return [
        Figure(
            "state per conversation",
            ours["total"],
            "B",
            command,
            detail=f"outputs {ours['outputs']:.0f} + inputs {ours['inputs']:.0f} + __provider "
            f"{ours['provider']:.0f} + engine's fields {engine:.0f} B; empty resource {empty['total']:.0f} B, "
            f"same-state empty {same_state['total']:.0f} B",
        ),
        Figure(
            "__provider per conversation (one copy)",
            ours["provider"] / 2,
            "B",
            command,
            PROVIDER_TARGET,
            f"stored twice (inputs and outputs), plain; empty provider's (secret) {empty['provider'] / 2:.0f} B",
        ),
    ]
