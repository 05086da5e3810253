"""Push bindings: registered for a test as a client SDK would, then listed, filtered, fetched and deleted."""

from __future__ import annotations

from twilio.rest import Client

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api, error, raised

CREDENTIAL = "CR" + "a" * 32


def test_bindings_are_listed_filtered_fetched_and_deleted(api: Api, emulator: Emulator, service: str) -> None:
    """A service lists its bindings, filtered by any of several types and identities; a deleted one is gone."""
    alice = emulator.create_binding(service, "alice", "fcm", CREDENTIAL)
    bob = emulator.create_binding(service, "bob", "apn", endpoint="bob-phone")
    carol = emulator.create_binding(service, "carol", "twilsock")
    bindings = f"/v1/Services/{service}/Bindings"

    def sids(**query: list[str]) -> list[str]:
        return [item["sid"] for item in api.get(bindings, params=query).json()["bindings"]]

    assert sids() == [alice["sid"], bob["sid"], carol["sid"]]
    assert sids(BindingType=["apn", "twilsock"]) == [bob["sid"], carol["sid"]]
    assert sids(Identity=["alice", "carol"], BindingType=["fcm"]) == [alice["sid"]]
    page = api.get(bindings, params={"Identity": ["bob"], "BindingType": ["apn"]}).json()["meta"]
    assert page["url"].endswith("/Bindings?BindingType=apn&Identity=bob&PageSize=50&Page=0"), page
    fetched = api.get(f"{bindings}/{bob['sid']}").json()
    assert (fetched["endpoint"], fetched["credential_sid"], fetched["binding_type"]) == ("bob-phone", None, "apn")
    assert api.get(f"{bindings}/{alice['sid']}").json()["credential_sid"] == CREDENTIAL
    assert api.delete(f"{bindings}/{bob['sid']}").status_code == 204
    assert error(api.get(f"{bindings}/{bob['sid']}")) == (404, 20404)
    assert sids() == [alice["sid"], carol["sid"]]


def test_binding_lookups_refuse_what_twilio_refuses(api: Api, emulator: Emulator, service: str) -> None:
    """An unknown binding type is a 400, a malformed SID a 400, an unknown one or service a 404."""
    bindings = f"/v1/Services/{service}/Bindings"
    assert error(api.get(bindings, params={"BindingType": "sms"})) == (400, 20001)
    assert error(api.get(f"{bindings}/nope")) == (400, 20001)
    assert error(api.delete(f"{bindings}/BS{'0' * 32}")) == (404, 20404)
    assert error(api.get(f"/v1/Services/IS{'0' * 32}/Bindings")) == (404, 20404)


def test_the_emulator_route_registers_a_binding(api: Api, service: str) -> None:
    """`POST /emulator/bindings` registers one, with the message types it subscribes to; a field missing is a 400."""
    form = {
        "ChatServiceSid": service,
        "Identity": "dave",
        "BindingType": "gcm",
        "Endpoint": "dave-endpoint",
        "MessageTypes": ["new_message"],
    }
    created = api.post("/emulator/bindings", form)
    assert created.status_code == 201, created.text
    listed = api.get(f"/v1/Services/{service}/Bindings").json()["bindings"]
    assert [(b["identity"], b["message_types"]) for b in listed] == [("dave", ["new_message"])]
    assert error(api.post("/emulator/bindings", {**form, "Endpoint": None})) == (400, 20001)


def test_sdk_lists_fetches_and_deletes_bindings(client: Client, emulator: Emulator, service: str) -> None:
    """Twilio's SDK reads the bindings (filters included) and deletes one."""
    binding = emulator.create_binding(service, "alice", "fcm", CREDENTIAL)
    emulator.create_binding(service, "bob", "apn")
    bindings = client.conversations.v1.services(service).bindings
    assert [b.identity for b in bindings.list(binding_type=["fcm"])] == ["alice"]
    fetched = bindings(binding["sid"]).fetch()
    assert fetched.message_types == ["removed_from_conversation", "new_message", "added_to_conversation"]
    assert bindings(binding["sid"]).delete() is True
    assert raised(lambda: bindings(binding["sid"]).fetch()).status == 404
