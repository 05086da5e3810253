"""Faults through the real engine: retries and lost answers, and an `up` killed half-way."""

from __future__ import annotations

import time

import pytest

from pulumi_twilio_conversations.emulator import Emulator, Faults

from workspace import MakeWorkspace, Workspace

CONVERSATION = "pulumi-python:dynamic/twilio:Conversation"
PROGRAM = """
    import pulumi
    from pulumi_twilio_conversations import Conversation

    config = pulumi.Config()
    for number in range(config.require_int("count")):
        Conversation(f"room-{number}", chat_service_sid=config.require("service"), friendly_name=f"Room {number}")
"""


def _rooms(make_workspace: MakeWorkspace, service: str, count: int) -> Workspace:
    """A stack declaring `count` auto-named conversations in `service`."""
    stack = make_workspace(PROGRAM)
    stack.config_set("service", service)
    stack.config_set("count", str(count))
    return stack


def _converged(emulator: Emulator, service: str, state: list[dict[str, object]], count: int) -> None:
    """The emulator holds exactly the conversations in state: none missing, none duplicated, no orphan."""
    remote = emulator.conversations(service)
    assert len(remote) == len(state) == count
    assert {c["sid"] for c in remote} == {r["id"] for r in state}
    assert len({c["unique_name"] for c in remote}) == count


@pytest.mark.heavy
def test_a_hundred_creates_under_faults_converge_and_a_second_up_is_a_no_op(
    make_workspace: MakeWorkspace, emulator: Emulator, service: str
) -> None:
    stack = _rooms(make_workspace, service, 100)
    emulator.faults = Faults(seed=7, rate_limit=0.15, retry_after=0, server_error=0.15, lost_response=0.10)

    assert stack.up("--skip-preview").changes == {"create": 100}
    assert emulator.counters.faults["lost_response"] > 0 and emulator.counters.faults["rate_limit"] > 0
    _converged(emulator, service, stack.resources(CONVERSATION), 100)

    emulator.counters.reset()
    assert stack.up().changes == {"same": 100}
    assert emulator.counters.writes() == 0


def test_an_up_killed_half_way_converges_after_the_engines_recovery(
    make_workspace: MakeWorkspace, emulator: Emulator, service: str
) -> None:
    stack = _rooms(make_workspace, service, 24)
    emulator.faults = Faults(latency=0.25)  # slow enough to be killed with creates under way

    up = stack.start("up", "--yes", "--skip-preview")
    deadline = time.monotonic() + 120
    while len(emulator.conversations(service)) < 6 and up.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert up.poll() is None, "the up finished before it could be killed"
    stack.kill(up)  # the engine, the language host and the provider, at once
    emulator.faults = Faults()
    created_before = len(emulator.conversations(service))
    assert 6 <= created_before < 24

    # The engine's own recovery, as docs/reliability.md states it.
    cancel = stack.pulumi("cancel", "--yes", check=False)  # the lock the killed engine left on the stack
    if cancel.returncode != 0:
        assert "failed to load checkpoint" in cancel.output, cancel.output
        stack.restore_checkpoint_backup()  # the kill cut the back-end's checkpoint write short
        stack.pulumi("cancel", "--yes")
    stack.refresh("--clear-pending-creates")
    stack.up()
    _converged(emulator, service, stack.resources(CONVERSATION), 24)
    emulator.counters.reset()
    assert stack.up().changes == {"same": 24}
