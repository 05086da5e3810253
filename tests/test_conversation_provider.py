"""ConversationProvider through the SDK's own dynamic-provider server, against the emulator."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
import requests
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime.proto import provider_pb2

from pulumi_twilio_conversations import ConversationProvider
from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

from harness import UNKNOWN, ProviderError, ProviderServer, writes

pytestmark = pytest.mark.sdk

COLLECTION = "/v1/Services/{ChatServiceSid}/Conversations"
INSTANCE = "/v1/Services/{ChatServiceSid}/Conversations/{Sid}"
NONE, SOME = provider_pb2.DiffResponse.DIFF_NONE, provider_pb2.DiffResponse.DIFF_SOME


@pytest.fixture
def provider(start_provider: Callable[..., ProviderServer]) -> ProviderServer:
    return start_provider()


def test_create_posts_exactly_the_declared_fields(emulator: Emulator, provider: ProviderServer, service: str) -> None:
    """A create sends one POST with the set fields in Twilio's form keys, and ints stay ints."""
    news = {
        "chat_service_sid": service,
        "friendly_name": "Support",
        "unique_name": "support",
        "attributes": {"team": "support", "tier": 1},
        "timers_inactive": "PT1H",
        "webhook_enabled": False,
    }
    _, sid, outs = provider.up(news)
    [request] = [r for r in emulator.counters.log if r.method == "POST"]
    assert request.route == COLLECTION
    assert request.form == {
        "FriendlyName": "Support",
        "UniqueName": "support",
        "Attributes": '{"team":"support","tier":1}',
        "Timers.Inactive": "PT1H",
        "State": "active",
    }
    assert request.headers.get("X-Twilio-Webhook-Enabled") == "false"
    assert re.fullmatch(r"CH[0-9a-f]{32}", sid)
    assert outs["sid"] == sid and outs["account_sid"].startswith("AC")
    assert json.loads(outs["attributes"]) == {"team": "support", "tier": 1}
    assert outs["timers_inactive"] == "PT1H" and "date_inactive" in outs["timers"]
    [remote] = emulator.conversations(service)  # state keeps Twilio's links, each relative to `url`
    assert outs["links"] == {name: link.removeprefix(outs["url"] + "/") for name, link in remote["links"].items()}
    assert outs["links"]["participants"] == "Participants"


def test_unchanged_program_diffs_to_nothing(provider: ProviderServer, service: str) -> None:
    """A second `pulumi up` of the same program is a no-op, whatever JSON formatting the attributes use."""
    inputs, sid, outs = provider.up(
        {"chat_service_sid": service, "friendly_name": "S", "attributes": {"a": 1, "b": [1, 2]}}
    )
    again, _ = provider.check(
        inputs, {"chat_service_sid": service, "friendly_name": "S", "attributes": '{ "b": [1.0, 2], "a": 1.0 }'}
    )
    assert provider.diff(sid, outs, again).changes == NONE


def test_friendly_name_change_is_one_update_of_that_field(
    emulator: Emulator, provider: ProviderServer, service: str
) -> None:
    """Changing friendly_name updates in place with one POST carrying only FriendlyName; outputs survive."""
    inputs, sid, outs = provider.up({"chat_service_sid": service, "friendly_name": "Old", "attributes": {"k": "v"}})
    news, _ = provider.check(inputs, {"chat_service_sid": service, "friendly_name": "New", "attributes": {"k": "v"}})
    diff = provider.diff(sid, outs, news)
    assert diff.changes == SOME and list(diff.replaces) == []
    emulator.counters.reset()
    updated = provider.update(sid, outs, news)
    assert writes(emulator) == [("POST", INSTANCE, {"FriendlyName": "New"})]
    assert updated["friendly_name"] == "New" and updated["sid"] == sid and updated["url"] == outs["url"]


def test_new_service_replaces_and_deletes_first_when_the_unique_name_stays(
    provider: ProviderServer, service: str
) -> None:
    """Moving a conversation to another service replaces it, deleting first so the unique name is free."""
    inputs, sid, outs = provider.up({"chat_service_sid": service, "unique_name": "keep"})
    news, _ = provider.check(inputs, {"chat_service_sid": "IS" + "f" * 32, "unique_name": "keep"})
    diff = provider.diff(sid, outs, news)
    assert list(diff.replaces) == ["chat_service_sid"] and diff.deleteBeforeReplace


def test_unknown_service_in_preview_may_replace(provider: ProviderServer, service: str) -> None:
    """A service SID not known yet in preview (a new service) is reported as a replacement, never a crash."""
    inputs, sid, outs = provider.up({"chat_service_sid": service, "friendly_name": "x"})
    news, failures = provider.check(inputs, {"chat_service_sid": UNKNOWN, "friendly_name": "x"})
    assert failures == []
    diff = provider.diff(sid, outs, news)
    assert diff.changes == SOME and list(diff.replaces) == ["chat_service_sid"]


def test_closed_conversation_is_replaced_not_updated(
    emulator: Emulator, provider: ProviderServer, service: str
) -> None:
    """Twilio allows no update of a closed conversation, so a change to one is a replacement."""
    inputs, sid, outs = provider.up({"chat_service_sid": service, "friendly_name": "a", "state": "active"})
    news, _ = provider.check(inputs, {"chat_service_sid": service, "friendly_name": "a", "state": "closed"})
    outs = provider.update(sid, outs, news)
    assert outs["state"] == "closed"
    news, _ = provider.check(news, {"chat_service_sid": service, "friendly_name": "b", "state": "closed"})
    diff = provider.diff(sid, outs, news)
    assert list(diff.replaces) == ["friendly_name"]


def test_auto_unique_name_is_used_once_and_kept(provider: ProviderServer, service: str) -> None:
    """Without a unique_name a new conversation takes the program's stable auto-name and keeps it afterwards."""
    first, failures = provider.check(None, {"chat_service_sid": service, "auto_name": "support-0a1b2c3d"})
    assert failures == [] and first["unique_name"] == "support-0a1b2c3d"
    again, _ = provider.check(first, {"chat_service_sid": service, "auto_name": "support-99999999"})
    assert again["unique_name"] == "support-0a1b2c3d" and "auto_name" not in again


def test_a_create_cut_short_is_adopted_by_its_auto_name(
    emulator: Emulator, provider: ProviderServer, service: str
) -> None:
    """After a crash mid-create, creating again finds the conversation by its auto-name: no duplicate."""
    inputs, _ = provider.check(
        None, {"chat_service_sid": service, "friendly_name": "x", "auto_name": "triage-12345678"}
    )
    earlier = emulator.create_conversation(service, FriendlyName="x", UniqueName="triage-12345678")
    sid, _ = provider.create(inputs)
    assert sid == earlier["sid"] and len(emulator.conversations(service)) == 1


def test_a_unique_name_taken_by_someone_else_is_one_clear_error(
    provider: ProviderServer, service: str, emulator: Emulator
) -> None:
    """A declared unique_name that another conversation holds fails with Twilio's code and what to do."""
    emulator.create_conversation(service, UniqueName="taken")
    inputs, _ = provider.check(None, {"chat_service_sid": service, "unique_name": "taken"})
    with pytest.raises(ProviderError, match=r"Twilio error 50353.*adopt='taken'"):
        provider.create(inputs)


def test_read_shows_drift_and_drops_a_deleted_conversation(
    emulator: Emulator, provider: ProviderServer, service: str
) -> None:
    """Refresh reports what Twilio holds now, and a conversation deleted outside Pulumi leaves state."""
    inputs, sid, outs = provider.up({"chat_service_sid": service, "friendly_name": "mine"})
    requests.post(
        f"{emulator.base_url}/v1/Services/{service}/Conversations/{sid}",
        data={"FriendlyName": "theirs"},
        auth=(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN),
        timeout=5,
    ).raise_for_status()
    id_, refreshed, refreshed_inputs = provider.read(sid, outs)
    assert id_ == sid and refreshed["friendly_name"] == "theirs" and refreshed_inputs["friendly_name"] == "theirs"
    assert provider.diff(sid, refreshed, inputs).changes == SOME
    requests.delete(
        f"{emulator.base_url}/v1/Services/{service}/Conversations/{sid}",
        auth=(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN),
        timeout=5,
    ).raise_for_status()
    id_, gone, _ = provider.read(sid, refreshed)
    assert id_ == "" and gone == {}


def test_lookup_by_composite_id_reads_without_inputs(
    emulator: Emulator, provider: ProviderServer, service: str
) -> None:
    """`ResourceOptions(id="IS…/CH…")` reads an existing conversation with nothing but its id."""
    existing = emulator.create_conversation(service, FriendlyName="legacy", UniqueName="legacy")
    # What a v3 engine sends for it: the program's inputs, as both state and inputs (ReadStep in
    # pkg/resource/deploy/step.go); only SDKs from 3.268 also cope with the state left empty.
    declared = {"auto_name": "legacy"}
    id_, outs, _ = provider.read(f"{service}/{existing['sid']}", declared, declared)
    assert id_ == f"{service}/{existing['sid']}" and outs["friendly_name"] == "legacy"


def test_delete_of_a_missing_conversation_succeeds(emulator: Emulator, provider: ProviderServer, service: str) -> None:
    """Destroying something already deleted outside Pulumi is not an error."""
    _, sid, outs = provider.up({"chat_service_sid": service, "webhook_enabled": True})
    provider.delete(sid, outs)
    provider.delete(sid, outs)
    assert emulator.conversations(service) == []
    deletes = [r for r in emulator.counters.log if r.method == "DELETE"]
    assert [r.headers.get("X-Twilio-Webhook-Enabled") for r in deletes] == ["true", "true"]


@pytest.mark.parametrize("by", ["sid", "unique_name"])
def test_adopt_takes_over_without_creating(emulator: Emulator, provider: ProviderServer, service: str, by: str) -> None:
    """`adopt` by SID or unique name sends no create and one update of only the fields that differ."""
    existing = emulator.create_conversation(service, FriendlyName="legacy", UniqueName="legacy-chat")
    emulator.counters.reset()
    adopt = existing["sid"] if by == "sid" else "legacy-chat"
    _, sid, outs = provider.up({"chat_service_sid": service, "adopt": adopt, "friendly_name": "Renamed"})
    assert sid == existing["sid"] and outs["friendly_name"] == "Renamed"
    assert writes(emulator) == [("POST", INSTANCE, {"FriendlyName": "Renamed"})]


def test_adopt_of_nothing_fails_naming_adopt(emulator: Emulator, provider: ProviderServer, service: str) -> None:
    """Adopting a conversation that does not exist fails with `adopt` named, and creates nothing."""
    with pytest.raises(ProviderError, match=r"adopt: there is no conversation 'ghost'"):
        provider.up({"chat_service_sid": service, "adopt": "ghost"})
    assert emulator.conversations(service) == [] and emulator.counters.writes() == 0


def test_serialized_provider_is_small_and_holds_no_secret() -> None:
    """The provider pickled into state is a reference to the class: under 200 bytes, no credential."""
    blob = serialize_provider(ConversationProvider())
    assert len(blob) <= 200


def test_wrong_token_is_one_clear_line_without_retries(emulator: Emulator, start_provider, service: str) -> None:
    """Wrong credentials fail at once with Twilio's 20003, the token nowhere in the message."""
    provider = start_provider(TWILIO_AUTH_TOKEN="wrong-token-s3cr3t")
    inputs, _ = provider.check(None, {"chat_service_sid": service, "friendly_name": "x"})
    with pytest.raises(ProviderError) as error:
        provider.create(inputs)
    assert "Twilio error 20003" in str(error.value) and "wrong-token-s3cr3t" not in str(error.value)
    assert emulator.counters.requests[("POST", COLLECTION)] == 1
