"""Benchmark 3: `pulumi preview` and `pulumi up` of 100 resources when nothing changed.

Each kind is deployed once, then each command is timed on every kind in turn. The emulator counts
every request that reaches it: a no-op must send none (check and diff work from state alone).
"""

from __future__ import annotations

from common import KINDS, Context, Figure, compare, engine_ratio, reproduce, timed_pulumi

NAME = "noop"
N = 100
TARGET = 1.05
COMMANDS = {"preview": ("preview",), "up": ("up", "--yes")}


def run(context: Context) -> list[Figure]:
    repetitions = 3 if context.quick else 5
    stacks = {kind: context.deployed(kind, N) for kind in KINDS}
    context.emulator.counters.reset()
    figures = []
    for command, args in COMMANDS.items():
        timings = compare(repetitions, lambda kind, args=args: timed_pulumi(stacks[kind], *args))
        figures.append(engine_ratio(f"no-op {command} of {N}", timings, reproduce(NAME), TARGET))
    requests = sum(context.emulator.counters.requests.values())
    detail = f"{repetitions} x (preview + up) of {N} conversations"
    figures.insert(0, Figure(f"no-op of {N}: HTTP requests", requests, "req", reproduce(NAME), 0, detail))
    return figures
