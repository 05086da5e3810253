"""The account's address configurations: one per type and address, fetched by SID or by address."""

from __future__ import annotations

from pathlib import Path

import pytest
from twilio.rest import Client

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api, error, raised

PHONE = "+15005550006"
ADDRESSES_ROUTE = "/v1/Configuration/Addresses"


def test_sdk_manages_an_address_configuration_from_create_to_delete(client: Client, service: str) -> None:
    """Create with every field, fetch by SID and by address, update, delete; then it is gone."""
    addresses = client.conversations.v1.address_configurations
    created = addresses.create(
        type="sms",
        address=PHONE,
        friendly_name="Front desk",
        auto_creation_enabled=True,
        auto_creation_type="webhook",
        auto_creation_conversation_service_sid=service,
        auto_creation_webhook_url="https://hooks.example.com/inbound",
        auto_creation_webhook_method="post",
        auto_creation_webhook_filters=["onMessageAdded", "onParticipantAdded"],
        address_country="US",
    )
    assert created.sid.startswith("IG") and (created.type, created.address) == ("sms", PHONE)
    assert (created.friendly_name, created.address_country) == ("Front desk", "US")
    assert created.auto_creation == {
        "enabled": True,
        "type": "webhook",
        "conversation_service_sid": service,
        "webhook_url": "https://hooks.example.com/inbound",
        "webhook_method": "POST",
        "webhook_filters": ["onMessageAdded", "onParticipantAdded"],
    }
    assert addresses(created.sid).fetch().auto_creation == created.auto_creation
    assert addresses(PHONE).fetch().sid == created.sid

    updated = addresses(created.sid).update(
        friendly_name="Studio desk",
        auto_creation_type="studio",
        auto_creation_studio_flow_sid="FW" + "a" * 32,
        auto_creation_studio_retry_count=3,
    )
    assert updated.friendly_name == "Studio desk"
    assert updated.auto_creation == {
        "enabled": True,
        "type": "studio",
        "conversation_service_sid": service,
        "studio_flow_sid": "FW" + "a" * 32,
        "studio_retry_count": 3,
    }
    assert (updated.type, updated.address) == ("sms", PHONE), "type and address stay"

    assert addresses(PHONE).delete() is True
    gone = raised(addresses(created.sid).fetch)
    assert (gone.status, gone.code) == (404, 20404)


def test_an_address_without_auto_creation_has_it_off(client: Client) -> None:
    """Auto-creation not asked for is disabled, of the default type."""
    created = client.conversations.v1.address_configurations.create(type="email", address="help@example.com")
    assert created.auto_creation == {"enabled": False, "type": "default"}
    assert (created.friendly_name, created.address_country) == (None, None)


def test_a_second_configuration_of_the_same_address_is_refused(client: Client) -> None:
    """The same type and address again (in any case of the type) is a 409; the same address as another type is not."""
    addresses = client.conversations.v1.address_configurations
    addresses.create(type="whatsapp", address=PHONE)
    for address_type in ("whatsapp", "WhatsApp"):
        taken = raised(lambda address_type=address_type: addresses.create(type=address_type, address=PHONE))
        assert (taken.status, taken.code) == (409, 20001)
    assert addresses.create(type="sms", address=PHONE).type == "sms"
    assert len(addresses.list()) == 2


def test_addresses_are_listed_by_type_across_pages(client: Client, emulator: Emulator) -> None:
    """The Type filter keeps one kind, matched without regard to case; pages of 2 walk them all in creation order."""
    addresses = client.conversations.v1.address_configurations
    for number in range(3):
        addresses.create(type="sms", address=f"+1500555000{number}")
    addresses.create(type="email", address="help@example.com")
    emulator.counters.reset()
    listed = addresses.list(type="SMS", page_size=2)
    assert [item.address for item in listed] == ["+15005550000", "+15005550001", "+15005550002"]
    assert emulator.counters.requests[("GET", ADDRESSES_ROUTE)] == 2
    assert [item.type for item in addresses.list()] == ["sms", "sms", "sms", "email"]


@pytest.mark.parametrize(
    ("form", "named"),
    [
        ({"Address": PHONE}, "Type"),
        ({"Type": "sms"}, "Address"),
        ({"Type": "fax", "Address": PHONE}, "Type"),
        ({"Type": "sms", "Address": PHONE, "AutoCreation.Type": "webhook"}, "AutoCreation.WebhookUrl"),
        ({"Type": "sms", "Address": PHONE, "AutoCreation.Type": "studio"}, "AutoCreation.StudioFlowSid"),
        ({"Type": "sms", "Address": PHONE, "AutoCreation.ConversationServiceSid": "IS1"}, "ConversationServiceSid"),
        ({"Type": "sms", "Address": PHONE, "AutoCreation.StudioRetryCount": "-1"}, "StudioRetryCount"),
        ({"Type": "sms", "Address": PHONE, "AutoCreation.Enabled": "yes"}, "AutoCreation.Enabled"),
    ],
    ids=[
        "no-type",
        "no-address",
        "bad-type",
        "webhook-no-url",
        "studio-no-flow",
        "bad-service",
        "negative-retries",
        "bad-enabled",
    ],
)
def test_an_address_create_missing_or_breaking_a_rule_is_refused(api: Api, form: dict[str, str], named: str) -> None:
    """Type (a known kind) and Address are required; each auto-creation type needs what it uses."""
    refused = api.post(ADDRESSES_ROUTE, form)
    assert error(refused) == (400, 20001) and named in refused.json()["message"]
    assert api.get(ADDRESSES_ROUTE).json()["address_configurations"] == []


def test_an_update_cannot_leave_auto_creation_incomplete(client: Client) -> None:
    """Switching auto-creation to webhook without a URL is refused, and the configuration stays as it was."""
    created = client.conversations.v1.address_configurations.create(type="sms", address=PHONE)
    refused = raised(
        lambda: client.conversations.v1.address_configurations(created.sid).update(auto_creation_type="webhook")
    )
    assert (refused.status, refused.code) == (400, 20001)
    assert client.conversations.v1.address_configurations(created.sid).fetch().auto_creation["type"] == "default"


def test_addresses_are_kept_in_the_state_file(tmp_path: Path) -> None:
    """Address configurations come back unchanged after a restart on the same state file."""
    state = tmp_path / "state.json"
    form = {
        "Type": "sms",
        "Address": PHONE,
        "AutoCreation.Type": "webhook",
        "AutoCreation.WebhookUrl": "https://x.example",
    }
    with Emulator(state_file=state) as first:
        api = Api(first)
        created = api.post(ADDRESSES_ROUTE, {**form, "AutoCreation.WebhookFilters": ["onMessageAdded"]}).json()
    with Emulator(state_file=state) as second:
        fetched = Api(second).get(f"{ADDRESSES_ROUTE}/{created['sid']}").json()
    assert {**fetched, "url": None} == {**created, "url": None}


def test_auto_creation_can_go_back_to_the_default(api: Api) -> None:
    """Type default with the webhook URL sent empty answers as an address never given auto-creation, once disabled."""
    form = {
        "Type": "sms",
        "Address": PHONE,
        "AutoCreation.Type": "webhook",
        "AutoCreation.WebhookUrl": "https://x.example",
    }
    created = api.post(ADDRESSES_ROUTE, {**form, "AutoCreation.Enabled": "true"}).json()
    reset = {"AutoCreation.Type": "default", "AutoCreation.WebhookUrl": "", "AutoCreation.Enabled": "false"}
    updated = api.post(f"{ADDRESSES_ROUTE}/{created['sid']}", reset).json()
    assert updated["auto_creation"] == {"enabled": False, "type": "default"}
