"""For random edits of a program, what a preview lists is exactly what the update writes (gRPC level).

Each example declares one input set, creates the resource, then declares another: `check` and `diff`
give what the CLI would show (old inputs against checked new ones), `update` what Twilio receives.
Both resources, through the SDK's own dynamic-provider server, against the emulator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi.runtime.proto import provider_pb2

from pulumi_twilio_conversations import ConversationServiceProvider
from pulumi_twilio_conversations.emulator import Emulator
from pulumi_twilio_conversations.inputs import FORM_KEYS, SERVICE_CONFIG_FORM_KEYS

from budget import examples
from harness import ProviderServer

pytestmark = pytest.mark.sdk

NONE, SOME = provider_pb2.DiffResponse.DIFF_NONE, provider_pb2.DiffResponse.DIFF_SOME
CONVERSATION_VALUES: dict[str, list[Any]] = {
    "friendly_name": ["Support", "Sales"],
    "unique_name": ["desk-one", "desk-two"],
    "attributes": [{"team": "a", "tier": 1}, '{ "tier": 1.0, "team": "a" }', {"team": "b"}, "{}"],
    "state": ["active", "inactive"],
    "timers_inactive": ["PT1H", "PT2H"],
    "timers_closed": ["P1D"],
    "messaging_service_sid": ["MG" + "1" * 32, "MG" + "2" * 32],
    "bindings_email_address": ["desk@example.com"],
    "bindings_email_name": ["Desk", "Help desk"],
    "date_created": ["2020-01-01T00:00:00Z"],
}
SERVICE_VALUES: dict[str, list[Any]] = {
    "reachability_enabled": [True, False],
    "default_conversation_role_sid": ["RL" + "1" * 32, "RL" + "2" * 32],
    "default_conversation_creator_role_sid": ["RL" + "3" * 32],
    "default_chat_service_role_sid": ["RL" + "4" * 32, "RL" + "5" * 32],
}
EXAMPLES = settings(
    max_examples=examples(30),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def input_sets(values: dict[str, list[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the inputs, each with one of its values."""
    return st.fixed_dictionaries({}, optional={name: st.sampled_from(choices) for name, choices in values.items()})


def listed(old_inputs: dict[str, Any], new_inputs: dict[str, Any]) -> set[str]:
    """What the CLI shows for an update: the inputs whose value differs, added and removed ones included."""
    return {name for name in old_inputs.keys() | new_inputs.keys() if old_inputs.get(name) != new_inputs.get(name)}


def written(emulator: Emulator, table: dict[str, str]) -> set[str]:
    names = {key: name for name, key in table.items()}
    return {names[key] for request in emulator.counters.log if request.method == "POST" for key in request.form}


@pytest.fixture
def conversations(start_provider: Callable[..., ProviderServer]) -> ProviderServer:
    return start_provider()


@pytest.fixture
def services(start_provider: Callable[..., ProviderServer]) -> ProviderServer:
    return start_provider(ConversationServiceProvider(), "pulumi-python:dynamic/twilio:ConversationService")


@pytest.fixture
def fresh(emulator_server: Emulator) -> Iterator[Emulator]:
    emulator_server.reset()
    yield emulator_server


def assert_edit_is_truthful(
    provider: ProviderServer,
    emulator: Emulator,
    table: dict[str, str],
    first: dict[str, Any],
    second: dict[str, Any],
) -> None:
    inputs, id_, outs = provider.up(first)
    news, failures = provider.check(inputs, second)
    assert failures == []
    diff = provider.diff(id_, outs, news)
    assert list(diff.replaces) == []
    emulator.counters.reset()
    if diff.changes == SOME:
        outs = provider.update(id_, outs, news)
        assert written(emulator, table) == listed(inputs, news)
    else:
        assert diff.changes == NONE
    again, _ = provider.check(news, second)
    assert provider.diff(id_, outs, again).changes == NONE, "a second preview is empty"


@EXAMPLES
@given(first=input_sets(CONVERSATION_VALUES), second=input_sets(CONVERSATION_VALUES))
def test_a_conversation_edit_writes_what_its_preview_lists(
    conversations: ProviderServer, fresh: Emulator, first: dict[str, Any], second: dict[str, Any]
) -> None:
    """Any edit of a conversation's inputs: the update sends exactly the fields the preview lists."""
    service = str(fresh.create_service("Support")["sid"])
    assert_edit_is_truthful(
        conversations, fresh, FORM_KEYS, {"chat_service_sid": service, **first}, {"chat_service_sid": service, **second}
    )


@EXAMPLES
@given(first=input_sets(SERVICE_VALUES), second=input_sets(SERVICE_VALUES))
def test_a_service_edit_writes_what_its_preview_lists(
    services: ProviderServer, fresh: Emulator, first: dict[str, Any], second: dict[str, Any]
) -> None:
    """Any edit of a service's configuration inputs: the update sends exactly the fields the preview lists."""
    assert_edit_is_truthful(
        services,
        fresh,
        SERVICE_CONFIG_FORM_KEYS,
        {"friendly_name": "Desk", **first},
        {"friendly_name": "Desk", **second},
    )


def test_a_state_written_by_an_earlier_version_heals_without_a_write(
    conversations: ProviderServer, emulator: Emulator, service: str
) -> None:
    """Inputs that an older refresh filled with Twilio's fields (and the old auto_name) lose them on the next up."""
    program = {"chat_service_sid": service, "friendly_name": "Support", "auto_name": "support-0a1b2c3d"}
    inputs, id_, outs = conversations.up(program)
    legacy = {
        **inputs,
        "auto_name": "support-0a1b2c3d",
        **{name: outs[name] for name in ("attributes", "state", "date_created", "date_updated")},
    }
    legacy_outs = {name: value for name, value in outs.items() if name != "declared_inputs"}
    emulator.counters.reset()
    news, failures = conversations.check(legacy, program)
    assert failures == []
    assert set(news) == {"chat_service_sid", "friendly_name", "unique_name"}
    assert conversations.diff(id_, legacy_outs, news).changes == NONE
    assert emulator.counters.log == []


def test_refresh_returns_only_the_declared_inputs(conversations: ProviderServer, service: str) -> None:
    """A refresh reports Twilio's values for what the program declares, and nothing Twilio merely reports."""
    _, id_, outs = conversations.up({"chat_service_sid": service, "friendly_name": "Support", "timers_closed": "P1D"})
    _, refreshed, read_inputs = conversations.read(id_, outs)
    assert set(read_inputs) == {"chat_service_sid", "friendly_name", "timers_closed"}
    assert refreshed["state"] == "active" and "state" not in read_inputs


def test_a_removed_field_twilio_keeps_is_said_in_an_info_line(conversations: ProviderServer, service: str) -> None:
    """Dropping friendly_name while changing attributes carries it forward and says Twilio keeps it."""
    inputs, _, _ = conversations.up({"chat_service_sid": service, "friendly_name": "Support"})
    news, _ = conversations.check(inputs, {"chat_service_sid": service, "attributes": {"a": 1}})
    assert news["friendly_name"] == "Support"
    assert conversations.said("friendly_name is no longer declared; Twilio keeps 'Support'")
