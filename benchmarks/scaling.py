"""Benchmark 2: `pulumi up --skip-preview` of N conversations against N empty resources.

Every cell of N, injected latency and checkpoints creates a fresh stack of each kind and times one
`pulumi up --skip-preview`, the kinds taking turns (see `common.compare`); the figure is the ratio
of the medians. Latency goes into every emulator request for the conversations (one POST each) and
into every `create` of the empty providers as a sleep. `PULUMI_SKIP_CHECKPOINTS=true` removes the
engine's state write after each step, which grows with N and the bytes of state per resource.
"""

from __future__ import annotations

from functools import partial

from common import Context, Figure, Timing, compare, engine_ratio, reproduce, timed_pulumi

NAME = "scaling"
TARGETS = {100: 1.10, 300: 1.25}


def run(context: Context) -> list[Figure]:
    sizes = (10, 100) if context.quick else (10, 100, 300)
    latencies = (0.0,) if context.quick else (0.0, 0.05)
    repetitions = 2 if context.quick else 3
    figures = []
    for n in sizes:
        for latency in latencies:
            for skip_checkpoints in (False, True):
                label = f"up N={n}, {latency * 1000:g} ms" + (", no checkpoints" if skip_checkpoints else "")
                timings = compare(
                    repetitions, partial(_up, context, n=n, latency=latency, skip_checkpoints=skip_checkpoints)
                )
                figures.append(engine_ratio(label, timings, reproduce(NAME), TARGETS.get(n)))
    return figures


def _up(context: Context, kind: str, n: int, latency: float, skip_checkpoints: bool) -> Timing:
    workspace = context.workspace(kind, n)
    context.emulator.counters.reset()
    with context.latency(latency) as env:
        if skip_checkpoints:
            env["PULUMI_SKIP_CHECKPOINTS"] = "true"
        timing = timed_pulumi(workspace, "up", "--yes", "--skip-preview", env=env)
    requests = sum(context.emulator.counters.requests.values())
    context.peak_demand = max(context.peak_demand, requests / timing.wall)
    return timing
