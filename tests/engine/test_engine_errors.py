"""What a user reads when a provider call fails, through the real `pulumi` command: the message, short.

The SDK's server shows the traceback of whatever escapes a provider method. Raised from the method
itself (`provider.surfaced`), it holds the server's two frames and ours, and the message is its last
line; before that change the same five errors came after 12 to 18 lines of the client's and retry loop's
frames (measured: wrong token 18, region without edge 17, closed 12, adopt 12, give-up 18; now 9 each).
SDKs before ~3.260 send only the message (no traceback at all): one line.
"""

from __future__ import annotations

import re

import pytest

from pulumi_twilio_conversations.emulator import Emulator, Faults

from outside import OutsidePulumi
from workspace import MakeWorkspace, Run

PROGRAM = """
    import pulumi
    from pulumi_twilio_conversations import Conversation

    config = pulumi.Config()
    Conversation(
        "support",
        chat_service_sid=config.require("service"),
        friendly_name=config.get("friendlyName") or "Support",
        adopt=config.get("adopt"),
    )
"""
CONVERSATION = "pulumi-python:dynamic/twilio:Conversation"
# Python 3.11+ marks the failing expression under each frame's line; 3 frames, 3 lines each at most.
MOST_LINES_BEFORE_THE_MESSAGE = 1 + 3 * 3


def error_block(run: Run) -> list[str]:
    """The lines of the conversation's error in the Diagnostics section: from its `error:` line (a traceback's
    first line, or on SDKs before ~3.260, whose server sends only the message, the message itself) to the end."""
    lines = run.output[run.output.index("Diagnostics:") :].splitlines()
    header = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{CONVERSATION} ("))
    start = next(i for i in range(header + 1, len(lines)) if lines[i].strip().startswith("error:"))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("      ")), start)
    return [line.strip() for line in lines[start : end + 1] if line.strip()]  # a traceback ends in its message


def assert_short(run: Run, message: str) -> None:
    assert run.returncode != 0
    block = error_block(run)
    assert re.search(message, block[-1]), block
    assert len(block) - 1 <= MOST_LINES_BEFORE_THE_MESSAGE, "\n".join(block)
    assert "During handling of the above exception" not in run.output
    assert not any("twilio.py" in line or "requests" in line for line in block), "no client frames"


@pytest.fixture
def env(emulator: Emulator) -> dict[str, str]:
    return {k: v for k, v in emulator.client_env().items() if k.startswith("TWILIO_")}


def test_a_wrong_token_is_the_last_line(make_workspace: MakeWorkspace, env: dict[str, str], service: str) -> None:
    """A rejected token shows Twilio's 401 and what to check, after three frames at most."""
    workspace = make_workspace(PROGRAM, env={**env, "TWILIO_AUTH_TOKEN": "not-the-token"})
    workspace.config_set("service", service)
    assert_short(workspace.pulumi("up", "--yes", check=False), r"HTTP 401 \(Twilio error 20003\).*twilio:authToken")


def test_a_region_without_an_edge_is_the_last_line(
    make_workspace: MakeWorkspace, env: dict[str, str], service: str
) -> None:
    """A region without an edge is one line naming both settings."""
    settings = {k: v for k, v in env.items() if k != "TWILIO_CONVERSATIONS_BASE_URL"}
    workspace = make_workspace(PROGRAM, env={**settings, "TWILIO_REGION": "ie1"})
    workspace.config_set("service", service)
    assert_short(workspace.pulumi("up", "--yes", check=False), r"twilio:region 'ie1' needs twilio:edge too")


def test_a_conversation_closed_outside_is_the_last_line(
    make_workspace: MakeWorkspace, outside: OutsidePulumi, service: str
) -> None:
    """An update of a conversation Twilio closed since the last refresh says to refresh, in one line."""
    workspace = make_workspace(PROGRAM)
    workspace.config_set("service", service)
    workspace.up()
    [state] = workspace.resources("pulumi-python:dynamic/twilio:Conversation")
    outside.call("POST", f"/v1/Services/{service}/Conversations/{state['id']}", State="closed")
    workspace.config_set("friendlyName", "Renamed")
    assert_short(workspace.pulumi("up", "--yes", check=False), r"Twilio error 50377.*pulumi up --refresh")


def test_an_adopt_that_finds_nothing_is_the_last_line(make_workspace: MakeWorkspace, service: str) -> None:
    """An adopt of a conversation that is not there names adopt and says nothing was created."""
    workspace = make_workspace(PROGRAM)
    workspace.config_set("service", service)
    workspace.config_set("adopt", "CH" + "0" * 32)
    assert_short(workspace.pulumi("up", "--yes", check=False), r"adopt.*nothing was created")


def test_giving_up_after_retries_is_the_last_line(
    make_workspace: MakeWorkspace, emulator: Emulator, env: dict[str, str], service: str
) -> None:
    """When Twilio keeps answering 503, the error says how long was tried and which setting sets it."""
    workspace = make_workspace(PROGRAM, env={**env, "TWILIO_MAX_RETRY_SECONDS": "1"})
    workspace.config_set("service", service)
    workspace.up()
    workspace.config_set("friendlyName", "Renamed")
    emulator.faults = Faults(rate_limit=1.0, retry_after=0)
    assert_short(workspace.pulumi("up", "--yes", check=False), r"Gave up after \d+ attempts.*twilio:maxRetrySeconds")
