"""ConversationServiceProvider through the SDK's own dynamic-provider server, against the emulator."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pulumi.runtime.proto import provider_pb2

from pulumi_twilio_conversations import ConversationServiceProvider
from pulumi_twilio_conversations.emulator import Emulator

from harness import ProviderError, ProviderServer, writes

pytestmark = pytest.mark.sdk

SERVICES = "/v1/Services"
CONFIGURATION = "/v1/Services/{ChatServiceSid}/Configuration"
NONE, SOME = provider_pb2.DiffResponse.DIFF_NONE, provider_pb2.DiffResponse.DIFF_SOME
ROLE = "RL" + "a" * 32


@pytest.fixture
def provider(start_provider: Callable[..., ProviderServer]) -> ProviderServer:
    return start_provider(ConversationServiceProvider(), "pulumi-python:dynamic/twilio:ConversationService")


def test_create_posts_the_name_then_only_the_declared_configuration(
    provider: ProviderServer, emulator: Emulator
) -> None:
    _, sid, outs = provider.up({"friendly_name": "Support", "reachability_enabled": True})
    assert writes(emulator) == [
        ("POST", SERVICES, {"FriendlyName": "Support"}),
        ("POST", CONFIGURATION, {"ReachabilityEnabled": "true"}),
    ]
    assert [s["sid"] for s in emulator.services()] == [sid]
    assert outs["reachability_enabled"] is True and outs["default_conversation_role_sid"].startswith("RL")


def test_an_unchanged_service_diffs_to_nothing_and_configuration_updates_in_place(
    provider: ProviderServer, emulator: Emulator
) -> None:
    inputs, sid, outs = provider.up({"friendly_name": "Support"})
    assert provider.diff(sid, outs, inputs).changes == NONE

    news, _ = provider.check(inputs, {"friendly_name": "Support", "default_conversation_role_sid": ROLE})
    diff = provider.diff(sid, outs, news)
    assert diff.changes == SOME and list(diff.replaces) == []
    emulator.counters.reset()
    updated = provider.update(sid, outs, news)
    assert writes(emulator) == [("POST", CONFIGURATION, {"DefaultConversationRoleSid": ROLE})]
    assert updated["default_conversation_role_sid"] == ROLE and updated["sid"] == sid


def test_a_rename_replaces_the_service(provider: ProviderServer) -> None:
    inputs, sid, outs = provider.up({"friendly_name": "Support"})
    news, _ = provider.check(inputs, {"friendly_name": "Support desk"})
    assert list(provider.diff(sid, outs, news).replaces) == ["friendly_name"]
    assert provider.said("Twilio cannot rename a service")


def test_delete_refuses_a_service_that_holds_conversations_unless_forced(
    provider: ProviderServer, emulator: Emulator
) -> None:
    _, sid, outs = provider.up({"friendly_name": "Support"})
    emulator.create_conversation(sid, FriendlyName="Made by hand")

    with pytest.raises(ProviderError, match=r"still holds 1 conversation\(s\).*force_destroy=True"):
        provider.delete(sid, outs)
    assert len(emulator.conversations(sid)) == 1 and len(emulator.services()) == 1

    provider.delete(sid, {**outs, "force_destroy": True})
    assert emulator.services() == []
    provider.delete(sid, outs)  # already gone: done


def test_adopt_takes_an_existing_service_over_without_creating(provider: ProviderServer, emulator: Emulator) -> None:
    existing = emulator.create_service("Support")["sid"]
    _, sid, _ = provider.up({"friendly_name": "Support", "adopt": existing})
    assert sid == existing and [r for r in writes(emulator) if r[1] == SERVICES] == []


def test_adopt_under_another_name_fails_and_creates_nothing(provider: ProviderServer, emulator: Emulator) -> None:
    existing = emulator.create_service("Support")["sid"]
    inputs, _ = provider.check(None, {"friendly_name": "Sales", "adopt": existing})
    with pytest.raises(ProviderError, match="cannot rename a service; declare friendly_name='Support'"):
        provider.create(inputs)
    assert [s["sid"] for s in emulator.services()] == [existing]


def test_read_of_a_deleted_service_drops_it(provider: ProviderServer, emulator: Emulator) -> None:
    _, sid, outs = provider.up({"friendly_name": "Support"})
    provider.delete(sid, outs)
    assert provider.read(sid, outs)[0] == ""
