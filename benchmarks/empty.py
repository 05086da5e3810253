"""The floor every ratio is measured against: a dynamic resource whose provider does nothing.

`create` returns at once, or after sleeping `BENCH_EMPTY_LATENCY` seconds (the stand-in for the
emulator's injected latency). It lives in an importable module, so dill pickles it by reference just
as it pickles `ConversationProvider`: both resources then pay the same engine and SDK costs, and
the difference left is the provider's own work. The program and the provider process find this
module through PYTHONPATH (see `common.bench_env`).
"""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

import pulumi
import pulumi.dynamic

LATENCY_VARIABLE = "BENCH_EMPTY_LATENCY"
TYPE_TOKEN = "pulumi-python:dynamic/bench:Empty"


class EmptyProvider(pulumi.dynamic.ResourceProvider):
    """Create, diff, update and read with no work beyond the optional sleep in `create`."""

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        latency = float(os.environ.get(LATENCY_VARIABLE) or 0)
        if latency:
            time.sleep(latency)
        return pulumi.dynamic.CreateResult(uuid.uuid4().hex, props)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> pulumi.dynamic.DiffResult:
        return pulumi.dynamic.DiffResult(changes=False)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.UpdateResult:
        return pulumi.dynamic.UpdateResult(news)


class Empty(pulumi.dynamic.Resource, module="bench", name="Empty"):
    """A resource of `EmptyProvider` with whatever properties it is given."""

    def __init__(self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(EmptyProvider(), name, props, opts)
