"""The wiring resources through the SDK's own dynamic-provider server, against the emulator.

Each resource: create sends the declared fields in Twilio's form keys (lists as repeated keys), an
unchanged program diffs to nothing (whatever the list order), a change updates in place or replaces
as its table says, a rule is checked before any request, and delete leaves Twilio as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from pulumi.runtime.proto import provider_pb2

from pulumi_twilio_conversations import (
    AddressConfigurationProvider,
    ConversationWebhookProvider,
    ParticipantProvider,
    RoleProvider,
    ServiceNotificationsProvider,
    ServiceWebhookConfigurationProvider,
)
from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator, Faults

from harness import ProviderServer, writes

pytestmark = pytest.mark.sdk

NONE, SOME = provider_pb2.DiffResponse.DIFF_NONE, provider_pb2.DiffResponse.DIFF_SOME
Start = Callable[..., ProviderServer]


def start(start_provider: Start, provider: object, name: str) -> ProviderServer:
    return start_provider(provider, f"pulumi-python:dynamic/twilio:{name}")


def get(emulator: Emulator, path: str) -> Any:
    """What Twilio holds at `path`, asked outside the provider."""
    return requests.get(emulator.base_url + path, auth=(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN), timeout=10).json()


def posted(emulator: Emulator) -> list[dict[str, Any]]:
    """The form of each POST, with repeated keys as lists (the log keeps the last value of each key)."""
    return [r.form for r in emulator.counters.log if r.method == "POST"]


def test_a_role_is_created_updated_in_place_and_replaced_on_a_new_type(
    start_provider: Start, emulator: Emulator, service: str
) -> None:
    """Permissions update in place (any order is the same set); a new type replaces, deleting first by name."""
    roles = start(start_provider, RoleProvider(), "Role")
    declared = {"chat_service_sid": service, "friendly_name": "agent", "type": "conversation",
                "permissions": ["sendMessage", "leaveConversation"]}  # fmt: skip
    inputs, sid, outs = roles.up(declared)
    assert sid.startswith("RL") and sorted(outs["permissions"]) == ["leaveConversation", "sendMessage"]
    same, _ = roles.check(inputs, {**declared, "permissions": ["leaveConversation", "sendMessage"]})
    assert roles.diff(sid, outs, same).changes == NONE
    more, _ = roles.check(inputs, {**declared, "permissions": ["sendMessage", "leaveConversation", "editOwnMessage"]})
    assert roles.diff(sid, outs, more).changes == SOME
    emulator.counters.reset()
    outs = roles.update(sid, outs, more)
    assert sorted(outs["permissions"]) == ["editOwnMessage", "leaveConversation", "sendMessage"]
    assert [r.route for r in emulator.counters.log if r.method == "POST"] == [
        "/v1/Services/{ChatServiceSid}/Roles/{Sid}"
    ]
    retyped, _ = roles.check(more, {**declared, "type": "service", "permissions": ["joinConversation"]})
    diff = roles.diff(sid, outs, retyped)
    assert list(diff.replaces) == ["type"] and diff.deleteBeforeReplace
    roles.delete(sid, outs)
    roles.delete(sid, outs)  # already gone: still done
    _, gone, _ = roles.read(f"{service}/{sid}", outs)
    assert gone == {}


def test_role_rules_fail_before_any_request(start_provider: Start, emulator: Emulator, service: str) -> None:
    """An unknown permission and a too long name name their input; nothing reaches Twilio."""
    roles = start(start_provider, RoleProvider(), "Role")
    emulator.counters.reset()
    _, failures = roles.check(
        None, {"chat_service_sid": service, "friendly_name": "x" * 65, "type": "conversation", "permissions": ["fly"]}
    )
    assert dict(failures).keys() == {"friendly_name", "permissions"}
    assert "'fly' is not a permission of Twilio's" in dict(failures)["permissions"]
    assert emulator.counters.log == []


def test_an_address_configuration_needs_what_its_auto_creation_type_needs(
    start_provider: Start, emulator: Emulator, service: str
) -> None:
    """A webhook auto-creation needs its URL, and plain http is refused unless to loopback."""
    addresses = start(start_provider, AddressConfigurationProvider(), "AddressConfiguration")
    base = {"type": "sms", "address": "+15559990000", "auto_creation_enabled": True,
            "auto_creation_conversation_service_sid": service, "auto_creation_type": "webhook"}  # fmt: skip
    _, failures = addresses.check(None, base)
    assert [name for name, _ in failures] == ["auto_creation_webhook_url"]
    _, failures = addresses.check(None, {**base, "auto_creation_webhook_url": "http://backend.invalid/hook"})
    assert "plain http is accepted only for loopback" in dict(failures)["auto_creation_webhook_url"]
    assert emulator.counters.log == []


def test_an_address_configuration_round_trip(start_provider: Start, emulator: Emulator, service: str) -> None:
    """Created with repeated filter keys, unchanged in any order, updated in place, replaced first-deleting."""
    addresses = start(start_provider, AddressConfigurationProvider(), "AddressConfiguration")
    declared = {"type": "sms", "address": "+15559990000", "friendly_name": "Support line",
                "auto_creation_enabled": True, "auto_creation_type": "webhook",
                "auto_creation_conversation_service_sid": service,
                "auto_creation_webhook_url": "https://backend.invalid/hook",
                "auto_creation_webhook_filters": ["onMessageAdded", "onConversationAdded"]}  # fmt: skip
    inputs, sid, outs = addresses.up(declared)
    assert sid.startswith("IG") and outs["auto_creation"]["webhook_filters"] == [
        "onMessageAdded",
        "onConversationAdded",
    ]
    reordered = {**declared, "auto_creation_webhook_filters": ["onConversationAdded", "onMessageAdded"]}
    news, _ = addresses.check(inputs, reordered)
    assert addresses.diff(sid, outs, news).changes == NONE
    renamed, _ = addresses.check(inputs, {**declared, "friendly_name": "Help line"})
    emulator.counters.reset()
    outs = addresses.update(sid, outs, renamed)
    assert posted(emulator) == [{"FriendlyName": "Help line"}] and outs["friendly_name"] == "Help line"
    moved, _ = addresses.check(renamed, {**declared, "type": "whatsapp"})
    diff = addresses.diff(sid, outs, moved)
    assert list(diff.replaces) == ["type"] and diff.deleteBeforeReplace  # one configuration per address
    addresses.delete(sid, outs)
    assert emulator.counters.log[-1].method == "DELETE"


def test_a_lost_create_answer_makes_one_address_configuration(
    start_provider: Start, emulator: Emulator, service: str
) -> None:
    """After a create whose answer was lost, the configuration is found by its address: no second one."""
    addresses = start(start_provider, AddressConfigurationProvider(), "AddressConfiguration")
    emulator.faults = Faults(lost_response=1.0)
    inputs, _ = addresses.check(None, {"type": "sms", "address": "+15559990001"})
    emulator.faults = Faults(lost_response=1.0)
    sid, _ = addresses.create(inputs)
    emulator.faults = Faults()
    assert [a["sid"] for a in get(emulator, "/v1/Configuration/Addresses")["address_configurations"]] == [sid]


def test_a_conversation_webhook_needs_its_target_fields_and_replaces_on_a_new_target(
    start_provider: Start, emulator: Emulator, service: str
) -> None:
    """A webhook target needs a URL; a changed URL updates in place; a new target replaces."""
    conversation = emulator.create_conversation(service, FriendlyName="x")["sid"]
    hooks = start(start_provider, ConversationWebhookProvider(), "ConversationWebhook")
    declared = {"chat_service_sid": service, "conversation_sid": conversation, "target": "webhook"}
    _, failures = hooks.check(None, declared)
    assert [name for name, _ in failures] == ["configuration_url"]
    declared = {**declared, "configuration_url": "https://backend.invalid/hook",
                "configuration_filters": ["onMessageAdded"]}  # fmt: skip
    inputs, sid, outs = hooks.up(declared)
    moved, _ = hooks.check(inputs, {**declared, "configuration_url": "https://backend.invalid/other"})
    assert hooks.diff(sid, outs, moved).changes == SOME and list(hooks.diff(sid, outs, moved).replaces) == []
    outs = hooks.update(sid, outs, moved)
    assert outs["configuration"]["url"] == "https://backend.invalid/other"
    studio, _ = hooks.check(moved, {**declared, "target": "studio", "configuration_flow_sid": "FW" + "1" * 32})
    assert list(hooks.diff(sid, outs, studio).replaces) == ["target"]
    _, _, read_inputs = hooks.read(f"{service}/{conversation}/{sid}", outs)
    assert read_inputs["configuration_url"] == "https://backend.invalid/other"


@pytest.mark.parametrize(
    "declared",
    [
        {"target": "trigger", "configuration_url": "https://backend.invalid/t", "configuration_triggers": ["help"]},
        {"target": "studio", "configuration_flow_sid": "FW" + "1" * 32, "configuration_replay_after": 3},
    ],
    ids=["trigger", "studio-replay-after"],
)
def test_an_unchanged_trigger_or_studio_webhook_diffs_to_nothing(
    start_provider: Start, emulator: Emulator, service: str, declared: dict[str, Any]
) -> None:
    """Regression: a trigger's keywords (reported as `filters`) and replay_after (never reported) diffed forever."""
    conversation = emulator.create_conversation(service)["sid"]
    hooks = start(start_provider, ConversationWebhookProvider(), "ConversationWebhook")
    declared = {"chat_service_sid": service, "conversation_sid": conversation, **declared}
    inputs, sid, outs = hooks.up(declared)
    news, _ = hooks.check(inputs, declared)
    assert hooks.diff(sid, outs, news).changes == NONE


@pytest.mark.parametrize(
    ("provider", "name", "declared"),
    [
        (
            ServiceWebhookConfigurationProvider(),
            "ServiceWebhookConfiguration",
            {"post_webhook_url": "https://backend.invalid/events", "filters": ["onMessageAdded"], "method": "GET"},
        ),
        (
            ServiceNotificationsProvider(),
            "ServiceNotifications",
            {"new_message_enabled": True, "new_message_template": "${PARTICIPANT}: ${MESSAGE}", "log_enabled": True},
        ),
    ],
)
def test_a_service_setting_is_taken_over_and_destroy_puts_the_defaults_back(
    start_provider: Start,
    emulator: Emulator,
    service: str,
    provider: object,
    name: str,
    declared: dict[str, Any],
) -> None:
    """Create writes the declared fields to the service's setting (no object made); delete restores the defaults."""
    settings = start(start_provider, provider, name)
    path = "Webhooks" if "Webhook" in name else "Notifications"
    before = get(emulator, f"/v1/Services/{service}/Configuration/{path}")
    inputs, id_, outs = settings.up({"chat_service_sid": service, **declared})
    assert id_ == service and outs != before
    news, _ = settings.check(inputs, {"chat_service_sid": service, **declared})
    assert settings.diff(id_, outs, news).changes == NONE
    settings.delete(id_, outs)
    assert get(emulator, f"/v1/Services/{service}/Configuration/{path}") == before


def test_two_webhook_settings_of_one_service_fail_naming_both(start_provider: Start, service: str) -> None:
    """A program that declares one service's webhook setting twice fails check, naming both resources."""
    settings = start(start_provider, ServiceWebhookConfigurationProvider(), "ServiceWebhookConfiguration")
    _, first = settings.check(None, {"chat_service_sid": service, "method": "POST", "resource_name": "events"})
    _, second = settings.check(None, {"chat_service_sid": service, "method": "GET", "resource_name": "again"})
    assert first == [] and "'events'" in second[0][1] and "'again'" in second[0][1]


def test_every_notification_input_reaches_twilio_and_reads_back_unchanged(
    start_provider: Start, emulator: Emulator, service: str
) -> None:
    """Each input of DESIGN.md's ServiceNotifications row is written where Twilio nests it; the next diff is empty."""
    settings = start(start_provider, ServiceNotificationsProvider(), "ServiceNotifications")
    declared = {"chat_service_sid": service, "new_message_enabled": True, "new_message_template": "new",
                "new_message_sound": "ring", "new_message_badge_count_enabled": True,
                "new_message_with_media_enabled": True, "new_message_with_media_template": "media",
                "added_to_conversation_enabled": True, "added_to_conversation_template": "added",
                "added_to_conversation_sound": "bell", "removed_from_conversation_enabled": True,
                "removed_from_conversation_template": "removed", "removed_from_conversation_sound": "horn"}  # fmt: skip
    inputs, id_, outs = settings.up(declared)
    remote = get(emulator, f"/v1/Services/{service}/Configuration/Notifications")
    assert remote["new_message"] == {"enabled": True, "template": "new", "sound": "ring", "badge_count_enabled": True,
                                     "with_media": {"enabled": True, "template": "media"}}  # fmt: skip
    assert remote["added_to_conversation"] == {"enabled": True, "template": "added", "sound": "bell"}
    assert remote["removed_from_conversation"] == {"enabled": True, "template": "removed", "sound": "horn"}
    news, _ = settings.check(inputs, declared)
    assert settings.diff(id_, outs, news).changes == NONE


def test_a_trigger_webhook_reads_its_keywords_back_and_rests(
    start_provider: Start, emulator: Emulator, service: str
) -> None:
    """Twilio reports a trigger's keywords as `configuration.filters`: they read back as the triggers, no diff."""
    conversation = emulator.create_conversation(service, FriendlyName="x")["sid"]
    hooks = start(start_provider, ConversationWebhookProvider(), "ConversationWebhook")
    declared = {"chat_service_sid": service, "conversation_sid": conversation, "target": "trigger",
                "configuration_url": "https://backend.invalid/hook",
                "configuration_triggers": ["urgent", "refund"]}  # fmt: skip
    inputs, sid, outs = hooks.up(declared)
    news, _ = hooks.check(inputs, {**declared, "configuration_triggers": ["refund", "urgent"]})
    assert hooks.diff(sid, outs, news).changes == NONE
    _, _, read_inputs = hooks.read(f"{service}/{conversation}/{sid}", outs)
    assert sorted(read_inputs["configuration_triggers"]) == ["refund", "urgent"]
    assert "configuration_filters" not in read_inputs


def test_each_input_is_an_output_under_its_own_name(start_provider: Start, emulator: Emulator, service: str) -> None:
    """Inputs Twilio nests (`auto_creation.enabled`) are outputs by their input names, as the classes declare."""
    addresses = start(start_provider, AddressConfigurationProvider(), "AddressConfiguration")
    declared = {"type": "sms", "address": "+15559990002", "auto_creation_enabled": True,
                "auto_creation_type": "default", "auto_creation_conversation_service_sid": service}  # fmt: skip
    _, _, outs = addresses.up(declared)
    assert (outs["auto_creation_enabled"], outs["auto_creation_conversation_service_sid"]) == (True, service)
    assert outs["auto_creation"]["enabled"] is True  # Twilio's answer stays as it is


WEBHOOK_DEFAULTS = {"filters": [], "method": "POST"}  # the URLs have no declarable default: left out


def test_a_never_configured_webhook_setting_already_holds_the_defaults(
    start_provider: Start, emulator: Emulator, service: str
) -> None:
    """Twilio's `null` method and filters are the defaults: declaring them, refresh and destroy write nothing."""
    path = f"/v1/Services/{service}/Configuration/Webhooks"
    assert (get(emulator, path)["method"], get(emulator, path)["filters"]) == (None, None), "Twilio's fetchEmpty"
    settings = start(start_provider, ServiceWebhookConfigurationProvider(), "ServiceWebhookConfiguration")
    declared = {"chat_service_sid": service, **WEBHOOK_DEFAULTS}
    emulator.counters.reset()
    inputs, id_, outs = settings.up(declared)
    assert outs["method"] == "POST" and not outs.get("filters"), "state says the defaults Twilio's nulls stand for"
    news, _ = settings.check(inputs, declared)
    assert settings.diff(id_, outs, news).changes == NONE
    _, refreshed, _ = settings.read(id_, outs)
    assert settings.diff(id_, refreshed, news).changes == NONE, "a refresh reads null as the default"
    settings.delete(id_, refreshed)
    assert writes(emulator) == [], "create, refresh and destroy of the defaults wrote nothing"


def test_a_participant_round_trip_against_the_emulator(start_provider: Start, emulator: Emulator, service: str) -> None:
    """A bot by identity and an SMS number: created with Twilio's form keys, unchanged diffs to nothing, attributes
    update in place (compared as JSON), a new address replaces deleting first, delete leaves none."""
    conversation = emulator.create_conversation(service)["sid"]
    members = start(start_provider, ParticipantProvider(), "Participant")
    where = {"chat_service_sid": service, "conversation_sid": conversation}
    bot_inputs, bot, bot_outs = members.up({**where, "identity": "support-bot", "attributes": '{"kind": "bot"}'})
    sms = {**where, "messaging_binding_address": "+15558675310", "messaging_binding_proxy_address": "+15017122661"}
    sms_inputs, number, sms_outs = members.up(sms)
    assert bot.startswith("MB") and sms_outs["messaging_binding"]["address"] == "+15558675310"
    same, _ = members.check(bot_inputs, {**where, "identity": "support-bot", "attributes": {"kind": "bot"}})
    assert members.diff(bot, bot_outs, same).changes == NONE
    tagged, _ = members.check(sms_inputs, {**sms, "attributes": {"role": "customer"}})
    emulator.counters.reset()
    sms_outs = members.update(number, sms_outs, tagged)
    assert posted(emulator) == [{"Attributes": '{"role":"customer"}'}]
    moved, _ = members.check(tagged, {**sms, "messaging_binding_proxy_address": "+15017120000"})
    diff = members.diff(number, sms_outs, moved)
    assert list(diff.replaces) == ["messaging_binding_proxy_address"] and diff.deleteBeforeReplace
    _, read_outs, read_inputs = members.read(f"{service}/{conversation}/{bot}", bot_outs)
    assert read_inputs["identity"] == "support-bot" and read_outs["sid"] == bot
    members.delete(bot, bot_outs)
    members.delete(number, sms_outs)
    listed = get(emulator, f"/v1/Services/{service}/Conversations/{conversation}/Participants")["participants"]
    assert listed == []


def test_a_lost_participant_create_makes_one_participant(
    start_provider: Start, emulator: Emulator, service: str
) -> None:
    """After a create whose answer was lost, the participant is found by its binding address: no second one."""
    conversation = emulator.create_conversation(service)["sid"]
    members = start(start_provider, ParticipantProvider(), "Participant")
    inputs, _ = members.check(None, {"chat_service_sid": service, "conversation_sid": conversation,
                                     "messaging_binding_address": "+15558675310",
                                     "messaging_binding_proxy_address": "+15017122661"})  # fmt: skip
    emulator.faults = Faults(lost_response=1.0)
    sid, _ = members.create(inputs)
    emulator.faults = Faults()
    listed = get(emulator, f"/v1/Services/{service}/Conversations/{conversation}/Participants")["participants"]
    assert [p["sid"] for p in listed] == [sid]
