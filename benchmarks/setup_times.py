"""How long a newcomer waits: `make demo`, `make check` and `make test` in a fresh clone, first and again.

    .venv/bin/python benchmarks/setup_times.py                  # demo, check, test; the tool caches as they are
    .venv/bin/python benchmarks/setup_times.py --cold demo      # a fresh machine: empty Go, pip, npm and tool caches
    .venv/bin/python benchmarks/setup_times.py --cold --once test   # a new machine's first `make test` only

Each target runs twice in a clone of the committed HEAD: the first run is what a new checkout costs (with
`--cold`, what a new machine costs: the Pulumi toolchain is built from source), the second what every later run
costs (warm). A `pulumi` on PATH is hidden from the clone, so the toolchain is the one `make` builds or finds in
its cache. Figures go to docs/performance.md ("Set-up and test times"); they are figures, not tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The targets of docs/performance.md, in minutes: (first run with --cold, every run after the first).
TARGETS = {"demo": (8.0, 0.5), "check": (None, 2.0), "test": (28.0, 15.0)}


@dataclass(frozen=True)
class Timing:
    target: str
    run: str  # "cold", "first" or "warm"
    seconds: float
    returncode: int
    bound: float | None  # minutes

    def row(self) -> str:
        verdict = "" if self.bound is None else ("met" if self.seconds <= self.bound * 60 else "MISSED")
        bound = "" if self.bound is None else f"≤ {self.bound:g} min"
        status = "ok" if self.returncode == 0 else f"exit {self.returncode}"
        took = f"{self.seconds / 60:.1f} min ({self.seconds:.0f} s)"
        return f"| make {self.target} | {self.run} | {took} | {bound} | {verdict} | {status} |"


def environment(scratch: Path, cold: bool) -> dict[str, str]:
    """The caller's environment without a `pulumi` on PATH or TWILIO_* settings; with `cold`, empty caches."""
    path = [entry for entry in os.environ.get("PATH", "").split(os.pathsep) if not (Path(entry) / "pulumi").exists()]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "PULUMI_", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join(path)
    if cold:
        caches = scratch / "caches"
        env |= {
            "XDG_CACHE_HOME": str(caches / "xdg"),  # the Pulumi toolchain (.ci/bootstrap-pulumi) and pip
            "GOCACHE": str(caches / "go-build"),
            "GOMODCACHE": str(caches / "go-mod"),
            "GOPATH": str(caches / "go"),
            "PIP_CACHE_DIR": str(caches / "pip"),
            "npm_config_cache": str(caches / "npm"),
        }
    return env


def timed(target: str, run: str, clone: Path, env: Mapping[str, str], bound: float | None, log: Path) -> Timing:
    """`make <target>` in the clone, its output to `log`."""
    print(f"==> make {target} ({run}), output in {log}", file=sys.stderr, flush=True)
    started = time.monotonic()
    with log.open("w") as output:
        completed = subprocess.run(["make", target], cwd=clone, env=env, stdout=output, stderr=subprocess.STDOUT)
    return Timing(target, run, time.monotonic() - started, completed.returncode, bound)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", choices=sorted(TARGETS), default=["demo", "check", "test"])
    parser.add_argument("--cold", action="store_true", help="empty tool, Go, pip and npm caches: a new machine")
    parser.add_argument("--once", action="store_true", help="only the first run of each target (no warm run)")
    parser.add_argument("--keep", action="store_true", help="keep the clone and the logs (their path is printed)")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="setup-times-"))
    try:
        clone = scratch / "clone"
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        env = environment(scratch, args.cold)
        timings = []
        for target in args.targets:
            cold_bound, warm_bound = TARGETS[target]
            first = "cold" if args.cold else "first"
            timings.append(
                timed(target, first, clone, env, cold_bound if args.cold else None, scratch / f"{target}-1.log")
            )
            if not args.once:
                timings.append(timed(target, "warm", clone, env, warm_bound, scratch / f"{target}-2.log"))
        head = subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], cwd=clone, text=True).strip()
        print(f"{os.cpu_count()} cores; a clone of {head}{' with empty caches' if args.cold else ''}")
        print("| command | run | wall time | target | | status |")
        print("|---|---|---|---|---|---|")
        for timing in timings:
            print(timing.row())
        return 0 if all(timing.returncode == 0 for timing in timings) else 1
    finally:
        if args.keep:
            print(f"kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
