"""Conversation Services over HTTP: create, fetch, list, delete (with their conversations) and Configuration."""

from __future__ import annotations

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, Emulator

from emulator_support import Api, error

UNKNOWN_SERVICE = "IS" + "f" * 32


def test_a_service_is_created_fetched_listed_and_deleted(api: Api) -> None:
    """A created service can be fetched and listed until it is deleted; then it is a 404 everywhere."""
    created = api.post("/v1/Services", {"FriendlyName": "Support"})
    assert created.status_code == 201
    service = created.json()
    assert service["sid"].startswith("IS") and len(service["sid"]) == 34
    assert (service["friendly_name"], service["account_sid"]) == ("Support", DEFAULT_ACCOUNT_SID)
    assert service["url"] == api.url(f"/v1/Services/{service['sid']}")
    assert api.get(f"/v1/Services/{service['sid']}").json() == service
    assert api.get("/v1/Services").json()["services"] == [service]

    deleted = api.delete(f"/v1/Services/{service['sid']}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert error(api.get(f"/v1/Services/{service['sid']}")) == (404, 20404)
    assert error(api.delete(f"/v1/Services/{service['sid']}")) == (404, 20404)
    assert api.get("/v1/Services").json()["services"] == []


def test_services_are_listed_in_creation_order_with_paging(api: Api, emulator: Emulator) -> None:
    """The services list pages like every Twilio list: PageSize, then next_page_url to the end."""
    for name in ("a", "b", "c"):
        emulator.create_service(name)
    first = api.get("/v1/Services", params={"PageSize": 2}).json()
    assert [s["friendly_name"] for s in first["services"]] == ["a", "b"]
    last = api.get(first["meta"]["next_page_url"]).json()
    assert [s["friendly_name"] for s in last["services"]] == ["c"] and last["meta"]["next_page_url"] is None


def test_a_service_needs_a_valid_friendly_name(api: Api, emulator: Emulator) -> None:
    """FriendlyName is required and at most 256 characters; a refused create creates nothing."""
    assert error(api.post("/v1/Services")) == (400, 20001)
    assert error(api.post("/v1/Services", {"FriendlyName": "x" * 257})) == (400, 50003)
    assert emulator.services() == []
    assert api.post("/v1/Services", {"FriendlyName": "x" * 256}).status_code == 201


def test_deleting_a_service_deletes_its_conversations(api: Api, emulator: Emulator, service: str) -> None:
    """After a service is deleted its conversations are gone (404 by SID and by unique name); others stay."""
    doomed = [emulator.create_conversation(service, UniqueName=f"c{n}")["sid"] for n in range(3)]
    other = emulator.create_service("Other")["sid"]
    kept = emulator.create_conversation(other, UniqueName="c0")["sid"]

    assert api.delete(f"/v1/Services/{service}").status_code == 204
    for sid in doomed:
        assert error(api.get(f"/v1/Services/{service}/Conversations/{sid}")) == (404, 20404)
    assert error(api.get(f"/v1/Services/{service}/Conversations/c0")) == (404, 20404)
    assert error(api.get(f"/v1/Services/{service}/Conversations")) == (404, 20404)
    assert api.get(f"/v1/Services/{other}/Conversations/c0").json()["sid"] == kept


def test_a_service_cannot_be_updated(api: Api, service: str) -> None:
    """Twilio has no service update: POST to a service is 405 / 20004 with Allow, and the service is unchanged."""
    answer = api.post(f"/v1/Services/{service}", {"FriendlyName": "Renamed"})
    assert error(answer) == (405, 20004)
    assert answer.json()["message"] == "Method not allowed"
    assert answer.headers["Allow"] == "DELETE, GET, HEAD"
    assert api.get(f"/v1/Services/{service}").json()["friendly_name"] == "Support"


def test_unknown_and_malformed_service_sids(api: Api) -> None:
    """A well-formed unknown service SID is a 404 on fetch and delete; a malformed one is a 400."""
    assert error(api.get(f"/v1/Services/{UNKNOWN_SERVICE}")) == (404, 20404)
    assert error(api.delete(f"/v1/Services/{UNKNOWN_SERVICE}")) == (404, 20404)
    assert error(api.get("/v1/Services/IS123")) == (400, 20001)


def test_configuration_has_defaults_and_keeps_updates(api: Api, service: str) -> None:
    """A new service has three role SIDs and reachability off; an update changes only what it sends, and lasts."""
    path = f"/v1/Services/{service}/Configuration"
    initial = api.get(path).json()
    assert initial["chat_service_sid"] == service and initial["reachability_enabled"] is False
    roles = ["default_conversation_creator_role_sid", "default_conversation_role_sid", "default_chat_service_role_sid"]
    assert all(initial[role].startswith("RL") and len(initial[role]) == 34 for role in roles)
    assert initial["url"] == api.url(path)

    role = "RL" + "c" * 32
    updated = api.post(path, {"ReachabilityEnabled": "true", "DefaultConversationRoleSid": role})
    assert updated.status_code == 200
    expected = {**initial, "reachability_enabled": True, "default_conversation_role_sid": role}
    assert updated.json() == expected
    assert api.get(path).json() == expected
    assert api.post(path, {"ReachabilityEnabled": "false"}).json()["reachability_enabled"] is False


def test_configuration_updates_are_validated(api: Api, service: str) -> None:
    """A malformed role SID or boolean is a 400 and changes nothing; an unknown service is a 404."""
    path = f"/v1/Services/{service}/Configuration"
    before = api.get(path).json()
    assert error(api.post(path, {"DefaultConversationRoleSid": "RL123"})) == (400, 20001)
    assert error(api.post(path, {"ReachabilityEnabled": "maybe"})) == (400, 20001)
    assert api.get(path).json() == before
    assert error(api.get(f"/v1/Services/{UNKNOWN_SERVICE}/Configuration")) == (404, 20404)
    assert error(api.post(f"/v1/Services/{UNKNOWN_SERVICE}/Configuration", {"ReachabilityEnabled": "true"})) == (
        404,
        20404,
    )
