"""What every benchmark shares: the figure it reports, the emulator, and Pulumi projects of N resources.

Each benchmark module has a `NAME` and a `run(context) -> list[Figure]`; `run.py` drives them. The
tests' helpers are imported, not copied: `tests/harness.py` (the SDK's provider server over gRPC) and
`tests/engine/workspace.py` (the real `pulumi` command on a file back-end).
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
REPO = BENCHMARKS.parent
for _helpers in (REPO / "tests", REPO / "tests" / "engine"):
    if str(_helpers) not in sys.path:
        sys.path.insert(0, str(_helpers))

from empty import LATENCY_VARIABLE  # noqa: E402
from pulumi_twilio_conversations.conversation import PROPERTY_NAMES  # noqa: E402
from pulumi_twilio_conversations.emulator import Emulator  # noqa: E402

from workspace import Workspace  # noqa: E402

CONVERSATION = "pulumi-python:dynamic/twilio:Conversation"
OURS, EMPTY, SAME_STATE = "conversation", "empty", "same-state"
KINDS = (OURS, EMPTY, SAME_STATE)
"""The conversations; the floor the targets are set against (an empty resource with one property);
and an empty resource that registers the same properties as a Conversation and holds the same state
(`empty.SameState`), which separates what the engine and the SDK cost for what a Conversation must
keep from what the provider itself costs."""

_PROGRAMS = {
    OURS: """
        from pulumi_twilio_conversations import Conversation

        for i in range({n}):
            Conversation(f"c{{i}}", chat_service_sid="{service}", friendly_name=f"Conversation {{i}}")
    """,
    EMPTY: """
        from empty import Empty

        for i in range({n}):
            Empty(f"c{{i}}", {{"friendly_name": f"Conversation {{i}}"}})
    """,
    SAME_STATE: """
        from empty import SameState

        for i in range({n}):
            name = f"c{{i}}-0123abcd"
            SameState(
                f"c{{i}}",
                {{
                    **dict.fromkeys({names}),
                    "chat_service_sid": "{service}",
                    "friendly_name": f"Conversation {{i}}",
                    "unique_name": name,
                    "auto_name": name,
                }},
            )
    """,
}


def reproduce(name: str) -> str:
    """The command that reproduces the figures of one benchmark."""
    return f".venv/bin/python benchmarks/run.py --only {name}"


@dataclass(frozen=True)
class Figure:
    """One measured number, its target (an upper bound, in the same unit) and how to measure it again."""

    name: str
    value: float
    unit: str
    command: str
    target: float | None = None
    detail: str = ""
    """The measurements behind a ratio, so a reader can check the arithmetic."""

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        return "ok" if self.value <= self.target else "MISSED"

    def shown(self) -> str:
        precision = {"x": 3, "ms": 1, "s": 2}.get(self.unit, 0)
        return f"{self.value:,.{precision}f} {self.unit}".replace("  ", " ")


def ratio(name: str, ours: float, floor: float, command: str, target: float | None, detail: str) -> Figure:
    return Figure(name, ours / floor, "x", command, target, detail)


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def percentile(samples: list[float], share: float) -> float:
    """The sample below which `share` of the samples fall (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def seconds(action: Callable[[], object]) -> float:
    """Wall time of one call, in seconds."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


@dataclass
class Context:
    """One benchmark run: the emulator, a scratch directory, and the stacks deployed so far."""

    emulator: Emulator
    root: Path
    quick: bool = False
    peak_demand: float = 0.0
    """The highest mean request rate (req/s) a `pulumi up` asked of the emulator so far."""
    _deployed: dict[tuple[str, int], Workspace] = field(default_factory=dict)
    _projects: int = 0

    def provider_env(self) -> dict[str, str]:
        """The TWILIO_* variables that point a provider process at the emulator."""
        return self.emulator.client_env()

    def process_env(self) -> dict[str, str]:
        """The whole environment for a provider process started outside the engine."""
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("TWILIO_")}
        return {**inherited, **self.provider_env(), "PYTHONPATH": python_path()}

    def service(self) -> str:
        """A new Conversation Service, so every stack's conversations start from none."""
        sid: str = self.emulator.create_service("Benchmark")["sid"]
        return sid

    def workspace(self, kind: str, n: int) -> Workspace:
        """A new project with one stack declaring `n` resources of `kind` (one of KINDS), not yet deployed."""
        self._projects += 1
        service = self.service() if kind != EMPTY else ""
        # SAME_STATE gets the names written in: the floor must not pay for importing this package.
        program = _PROGRAMS[kind].format(n=n, service=service, names=PROPERTY_NAMES)
        env = {**self.provider_env(), "PYTHONPATH": python_path()}
        return Workspace(self.root / f"{kind}-{n}-{self._projects}", program, env, project=f"bench-{kind}")

    def deployed(self, kind: str, n: int) -> Workspace:
        """A stack of `n` resources of `kind` after one `pulumi up`, shared by the benchmarks that only look."""
        key = (kind, n)
        if key not in self._deployed:
            workspace = self.workspace(kind, n)
            with self.latency(0.0):
                workspace.pulumi("up", "--yes", "--skip-preview")
            self._deployed[key] = workspace
        return self._deployed[key]

    @contextmanager
    def latency(self, delay: float) -> Iterator[dict[str, str]]:
        """Inject `delay` seconds into every emulator request; yields the env that makes the empty
        provider sleep as long in each create."""
        faults = self.emulator.faults
        self.emulator.faults = type(faults)(latency=delay)
        try:
            yield {LATENCY_VARIABLE: str(delay)}
        finally:
            self.emulator.faults = faults


def python_path() -> str:
    """PYTHONPATH that lets the program and the provider process import `empty`."""
    return os.pathsep.join(p for p in (str(BENCHMARKS), os.environ.get("PYTHONPATH", "")) if p)


@dataclass(frozen=True)
class Timing:
    """One `pulumi` command: its wall time and where the CPU went, in seconds."""

    wall: float
    cpu: float
    """The CLI, its plugins and the program (user + system). It holds up better than the wall time
    when other work shares the machine."""
    emulator_cpu: float
    """This process while it waited for the command: the emulator's threads, which share the cores."""


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def timed_pulumi(workspace: Workspace, *args: str, env: Mapping[str, str] | None = None) -> Timing:
    """Run one `pulumi <args>`, which must succeed (it raises with the output if not), and time it."""
    children, own = _cpu(resource.RUSAGE_CHILDREN), _cpu(resource.RUSAGE_SELF)
    wall = seconds(lambda: workspace.pulumi(*args, env=env))
    return Timing(wall, _cpu(resource.RUSAGE_CHILDREN) - children, _cpu(resource.RUSAGE_SELF) - own)


def compare(repetitions: int, measure: Callable[[str], Timing]) -> dict[str, list[Timing]]:
    """`measure(kind)` for every kind, `repetitions` times, the order rotating each time so that drift
    in the machine's load falls on every kind alike."""
    timings: dict[str, list[Timing]] = {kind: [] for kind in KINDS}
    for repetition in range(repetitions):
        start = repetition % len(KINDS)
        for kind in KINDS[start:] + KINDS[:start]:
            timings[kind].append(measure(kind))
    return timings


def engine_ratio(name: str, timings: dict[str, list[Timing]], command: str, target: float | None) -> Figure:
    """Conversations over the empty floor (medians of wall time), with the CPU split and the
    same-state floor in the detail."""
    wall = {kind: median([t.wall for t in timings[kind]]) for kind in KINDS}
    cpu = {kind: median([t.cpu for t in timings[kind]]) for kind in KINDS}
    emulator = median([t.emulator_cpu for t in timings[OURS]])
    detail = (
        f"{wall[OURS]:.2f} s / {wall[EMPTY]:.2f} s wall; CPU {cpu[OURS]:.2f} s + emulator {emulator:.2f} s / "
        f"{cpu[EMPTY]:.2f} s; same-state empty {wall[SAME_STATE]:.2f} s ({wall[OURS] / wall[SAME_STATE]:.2f}x); "
        f"median of {len(timings[OURS])}"
    )
    return ratio(name, wall[OURS], wall[EMPTY], command, target, detail)
