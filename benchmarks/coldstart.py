"""Benchmark 5: what the package adds to a provider process's start, and what it imports.

Each sample is a fresh interpreter that imports `pulumi.dynamic` (as `python -m pulumi.dynamic`
does), then unpickles a serialized `ConversationProvider` the way the SDK's server does on the
first RPC, which imports the package. Both steps are timed inside the child, so the interpreter's
own start is left out. The child also lists the modules it loaded: the emulator and the command line
must never be among them.
"""

from __future__ import annotations

import json
import subprocess
import sys

from pulumi.dynamic.dynamic import serialize_provider

from common import Context, Figure, median, reproduce
from pulumi_twilio_conversations import ConversationProvider

NAME = "coldstart"
TARGET_MS = 200
FORBIDDEN = (
    "pulumi_twilio_conversations.emulator",
    "pulumi_twilio_conversations.__main__",
    "pulumi_twilio_conversations.adopt",
    "werkzeug",
)
_CHILD = """
import base64, json, sys, time
started = time.perf_counter()
import pulumi.dynamic
sdk = time.perf_counter()
import dill
dill.loads(base64.b64decode(sys.argv[1]))
package = time.perf_counter()
print(json.dumps({"sdk": sdk - started, "package": package - sdk, "modules": sorted(sys.modules)}))
"""


def run(context: Context) -> list[Figure]:
    samples = 5 if context.quick else 11
    blob = serialize_provider(ConversationProvider())
    sdk, package, loaded = [], [], set()
    for _ in range(samples):
        child = subprocess.run(
            [sys.executable, "-c", _CHILD, blob], env=context.process_env(), capture_output=True, text=True, check=True
        )
        answer = json.loads(child.stdout)
        sdk.append(answer["sdk"] * 1000)
        package.append(answer["package"] * 1000)
        loaded.update(answer["modules"])
    forbidden = sorted(m for m in loaded if m.startswith(FORBIDDEN))
    heavy = ", ".join(f"{m} {'loaded' if m in loaded else 'not loaded'}" for m in ("pydantic", "requests"))
    command = reproduce(NAME)
    return [
        Figure(
            "provider start: package import after pulumi.dynamic",
            median(package),
            "ms",
            command,
            TARGET_MS,
            f"median of {samples} fresh processes; `import pulumi.dynamic` itself {median(sdk):.0f} ms; {heavy}",
        ),
        Figure(
            "provider start: emulator / CLI modules imported",
            len(forbidden),
            "modules",
            command,
            0,
            ", ".join(forbidden) or f"none of {', '.join(FORBIDDEN)}",
        ),
    ]
