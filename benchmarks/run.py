"""Run the benchmarks against a local emulator and print one table of figures (`make bench`).

    .venv/bin/python benchmarks/run.py                 # all of them, about 11 minutes on 2 cores
    .venv/bin/python benchmarks/run.py --quick         # N = 10 and 100 only, no injected latency, ~3 minutes
    .venv/bin/python benchmarks/run.py --only noop     # one benchmark (see --help for the names)

Figures are ratios against a floor measured in the same run, so they travel between machines
better than seconds do; they are figures, not tests, and the exit status does not depend on them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import coldstart
import emulator_load
import noop
import overhead
import plugin
import scaling
import state
from common import Context, Figure
from pulumi_twilio_conversations.emulator import Emulator

BENCHMARKS = {module.NAME: module.run for module in (overhead, scaling, noop, state, coldstart, emulator_load, plugin)}


def table(figures: Sequence[Figure]) -> str:
    """The figures as a Markdown table (it reads as plain text too)."""
    rows = [("figure", "value", "target", "", "measured as", "reproduce with")]
    for figure in figures:
        target = f"≤ {figure.target:g} {figure.unit}".replace("  ", " ") if figure.target is not None else ""
        rows.append((figure.name, figure.shown(), target, figure.verdict, figure.detail, f"`{figure.command}`"))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |" for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append", help="run only this one (repeatable)")
    parser.add_argument("--quick", action="store_true", help="fewer sizes, rounds and repetitions")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    chosen = args.only or list(BENCHMARKS)
    figures: list[Figure] = []
    with Emulator() as emulator, tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        context = Context(emulator, Path(scratch), quick=args.quick)
        for name in chosen:
            started = time.monotonic()
            print(f"==> {name}", file=sys.stderr, flush=True)
            figures.extend(BENCHMARKS[name](context))
            print(f"    {name} took {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    output = table(figures)
    print(output)
    if args.markdown:
        args.markdown.write_text(output + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
