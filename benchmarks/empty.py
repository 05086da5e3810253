"""The floors every ratio is measured against: dynamic resources whose providers do nothing.

`create` returns at once, or after sleeping `BENCH_EMPTY_LATENCY` seconds (the stand-in for the
emulator's injected latency). It lives in an importable module, so dill pickles it by reference just
as it pickles `ConversationProvider`: both resources then pay the same engine and SDK costs, and
the difference left is the provider's own work. The program and the provider process find this
module through PYTHONPATH (see `common.python_path`).

`SameState` is the second floor: its `create` returns at once what Twilio returns for a new
conversation, so it holds a Conversation's state (the same outputs, the plain `__provider`) without
an HTTP call or any of this package's code.
"""

from __future__ import annotations

import os
import time
import uuid
from datetime import datetime, timezone
from typing import Any

import pulumi
import pulumi.dynamic

LATENCY_VARIABLE = "BENCH_EMPTY_LATENCY"
TYPE_TOKEN = "pulumi-python:dynamic/bench:Empty"
SAME_STATE_TYPE_TOKEN = "pulumi-python:dynamic/bench:SameState"
_LINKS = {"participants": "Participants", "messages": "Messages", "webhooks": "Webhooks", "export": "Export"}


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


class SameStateProvider(EmptyProvider):
    """`EmptyProvider` whose `create` answers with a new conversation's fields, as the emulator would."""

    serialize_as_secret_always = False  # as for ConversationProvider

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        sid = "CH" + super().create(props).id
        base = os.environ.get("TWILIO_CONVERSATIONS_BASE_URL", "https://conversations.twilio.com")
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        twilio = {
            "sid": sid,
            "account_sid": "AC" + "0" * 32,
            "attributes": "{}",
            "state": "active",
            "date_created": now,
            "date_updated": now,
            "timers": {},
            "bindings": {},
            "url": f"{base}/v1/Services/{props['chat_service_sid']}/Conversations/{sid}",
            "links": _LINKS,
        }
        kept = {key: value for key, value in props.items() if key != "auto_name"}
        return pulumi.dynamic.CreateResult(sid, {**kept, **twilio})


class SameState(pulumi.dynamic.Resource, module="bench", name="SameState"):
    """A resource of `SameStateProvider`: give it the properties a Conversation registers."""

    def __init__(self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(SameStateProvider(), name, props, opts)
