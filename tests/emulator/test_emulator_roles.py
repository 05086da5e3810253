"""A service's roles: the defaults it is created with, and create / fetch / update / delete / list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from twilio.rest import Client

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api, error, raised

ROLES_ROUTE = "/v1/Services/{ChatServiceSid}/Roles"


def test_a_new_service_has_the_roles_its_configuration_names(client: Client, service: str) -> None:
    """The three default roles are real records: the configuration's role SIDs fetch, with their scope."""
    services = client.conversations.v1.services(service)
    configuration = services.configuration().fetch()
    expected = {
        configuration.default_chat_service_role_sid: "service",
        configuration.default_conversation_role_sid: "conversation",
        configuration.default_conversation_creator_role_sid: "conversation",
    }
    assert {role.sid: role.type for role in services.roles.list()} == expected
    for sid in expected:
        role = services.roles(sid).fetch()
        assert role.chat_service_sid == service and role.permissions and role.friendly_name


def test_default_permissions_give_the_creator_more_than_a_member(client: Client, service: str) -> None:
    """A conversation's creator may do all a member may, and more (edit or delete anyone's messages)."""
    services = client.conversations.v1.services(service)
    configuration = services.configuration().fetch()
    member = set(services.roles(configuration.default_conversation_role_sid).fetch().permissions)
    creator = set(services.roles(configuration.default_conversation_creator_role_sid).fetch().permissions)
    assert {"sendMessage", "leaveConversation"} <= member < creator
    assert {"editAnyMessage", "deleteAnyMessage"} <= creator - member


def test_sdk_manages_a_role_from_create_to_delete(client: Client, service: str) -> None:
    """Create with repeated Permission, fetch, update (replacing the permissions), delete; then it is gone."""
    roles = client.conversations.v1.services(service).roles
    created = roles.create(friendly_name="Moderator", type="conversation", permission=["sendMessage", "editAnyMessage"])
    assert created.sid.startswith("RL") and created.type == "conversation"
    assert created.permissions == ["sendMessage", "editAnyMessage"]
    assert roles(created.sid).fetch().permissions == ["sendMessage", "editAnyMessage"]

    updated = roles(created.sid).update(permission=["deleteAnyMessage"])
    assert (updated.permissions, updated.friendly_name, updated.type) == (
        ["deleteAnyMessage"],
        "Moderator",
        "conversation",
    )
    assert roles(created.sid).fetch().permissions == ["deleteAnyMessage"]

    assert roles(created.sid).delete() is True
    gone = raised(roles(created.sid).fetch)
    assert (gone.status, gone.code) == (404, 20404)


def test_roles_are_listed_in_creation_order_across_pages(client: Client, emulator: Emulator, service: str) -> None:
    """Listing with a page size of 2 walks every role, the defaults first, page by page."""
    roles = client.conversations.v1.services(service).roles
    for number in range(3):
        roles.create(friendly_name=f"extra-{number}", type="service", permission=["joinConversation"])
    emulator.counters.reset()
    names = [role.friendly_name for role in roles.list(page_size=2)]
    assert names[3:] == ["extra-0", "extra-1", "extra-2"] and len(names) == 6
    assert emulator.counters.requests[("GET", ROLES_ROUTE)] == 3, "six roles, two per page"


@pytest.mark.parametrize(
    ("form", "code", "named"),
    [
        ({"Type": "service", "Permission": "joinConversation"}, 20001, "FriendlyName"),
        ({"FriendlyName": "x", "Permission": "joinConversation"}, 20001, "Type"),
        ({"FriendlyName": "x", "Type": "service"}, 20001, "Permission"),
        ({"FriendlyName": "x", "Type": "service", "Permission": ""}, 20001, "Permission"),
        ({"FriendlyName": "x", "Type": "channel", "Permission": "joinConversation"}, 20001, "Type"),
        ({"FriendlyName": "x" * 65, "Type": "service", "Permission": "joinConversation"}, 50003, "FriendlyName"),
    ],
    ids=["no-name", "no-type", "no-permission", "empty-permission", "bad-type", "name-over-64"],
)
def test_a_role_create_missing_or_breaking_a_rule_is_refused(
    api: Api, service: str, form: dict[str, str], code: int, named: str
) -> None:
    """FriendlyName (at most 64 characters), Type (conversation or service) and a Permission are required."""
    refused = api.post(f"/v1/Services/{service}/Roles", form)
    assert error(refused) == (400, code) and named in refused.json()["message"]
    assert len(api.get(f"/v1/Services/{service}/Roles").json()["roles"]) == 3, "nothing was created"


def test_a_role_update_needs_a_permission(client: Client, service: str) -> None:
    """An update without Permission is a 400 / 20001 and leaves the role as it was."""
    roles = client.conversations.v1.services(service).roles
    created = roles.create(friendly_name="Moderator", type="service", permission=["joinConversation"])
    refused = raised(lambda: roles(created.sid).update(permission=[]))
    assert (refused.status, refused.code) == (400, 20001)
    assert roles(created.sid).fetch().permissions == ["joinConversation"]


def test_roles_go_with_their_service(client: Client, emulator: Emulator) -> None:
    """Deleting a service deletes its roles; a role of another service is not found under this one."""
    first, second = emulator.create_service("First")["sid"], emulator.create_service("Second")["sid"]
    role = client.conversations.v1.services(first).roles.create(friendly_name="r", type="service", permission=["x"])
    elsewhere = raised(client.conversations.v1.services(second).roles(role.sid).fetch)
    assert (elsewhere.status, elsewhere.code) == (404, 20404)
    client.conversations.v1.services(first).delete()
    gone = raised(client.conversations.v1.services(first).roles(role.sid).fetch)
    assert (gone.status, gone.code) == (404, 20404)


def test_roles_are_kept_in_the_state_file(tmp_path: Path) -> None:
    """Created roles and the default ones come back after a restart on the same state file."""
    state = tmp_path / "state.json"
    with Emulator(state_file=state) as first:
        sid = first.create_service("Support")["sid"]
        api = Api(first)
        api.post(f"/v1/Services/{sid}/Roles", {"FriendlyName": "Mod", "Type": "service", "Permission": ["a", "b"]})
        before = api.get(f"/v1/Services/{sid}/Roles").json()["roles"]
    with Emulator(state_file=state) as second:
        after = Api(second).get(f"/v1/Services/{sid}/Roles").json()["roles"]
    assert [(r["sid"], r["permissions"]) for r in after] == [(r["sid"], r["permissions"]) for r in before]
    assert after[-1]["permissions"] == ["a", "b"]


def test_a_state_file_from_before_roles_gets_the_default_roles(tmp_path: Path) -> None:
    """A state file written before roles were kept loads, and its services have the roles their configuration names."""
    state = tmp_path / "state.json"
    with Emulator(state_file=state) as first:
        sid = first.create_service("Support")["sid"]
        configuration = Api(first).get(f"/v1/Services/{sid}/Configuration").json()
    data = json.loads(state.read_text(encoding="utf-8"))
    for service in data["services"]:
        del service["roles"], service["webhooks"], service["notifications"]
    del data["addresses"]
    state.write_text(json.dumps(data), encoding="utf-8")
    with Emulator(state_file=state) as second:
        roles = Api(second).get(f"/v1/Services/{sid}/Roles").json()["roles"]
    named = {configuration[key] for key in configuration if key.endswith("_role_sid")}
    assert {role["sid"] for role in roles} == named
