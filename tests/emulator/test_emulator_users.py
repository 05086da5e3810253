"""Users: a service's chat users (by SID or identity), their roles, and the conversations each is in."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from test_emulator_schema import assert_answer, assert_page
from twilio.rest import Client

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api, assert_like_an_example, error, raised

USER = "conversations.v1.service.service_user"
USER_CONVERSATION = "conversations.v1.service.service_user.service_user_conversation"
ACCOUNT_USER = "conversations.v1.user"
USERS = "/v1/Services/{ChatServiceSid}/Users"


def test_user_answers_match_the_spec_and_its_examples(api: Api, service: str) -> None:
    """Create, fetch, update and list answer with the user schema and the keys of Twilio's examples."""
    users = USERS.format(ChatServiceSid=service)
    created = assert_answer(api.post(users, {"Identity": "ann", "FriendlyName": "Ann"}), 201, USER)
    assert_like_an_example(created, USERS, "post", "201")
    assert (created["attributes"], created["is_online"], created["is_notifiable"]) == ("{}", None, None)
    assert created["links"]["user_conversations"] == created["url"] + "/Conversations"
    assert assert_answer(api.get(created["url"]), 200, USER) == created
    updated = assert_answer(api.post(created["url"], {"Attributes": '{"duty": "tech"}'}), 200, USER)
    assert_like_an_example(updated, USERS + "/{Sid}", "post")
    assert (updated["attributes"], updated["friendly_name"]) == ('{"duty": "tech"}', "Ann")
    assert_page(api.get(users).json(), USERS, "users", USER)


def test_a_new_user_has_the_services_default_chat_role(api: Api, service: str) -> None:
    """Without a RoleSid, a user gets the service's `default_chat_service_role_sid`, as Twilio does."""
    configuration = api.get(f"/v1/Services/{service}/Configuration").json()
    created = api.post(f"/v1/Services/{service}/Users", {"Identity": "ann"}).json()
    assert created["role_sid"] == configuration["default_chat_service_role_sid"]
    other = api.post(f"/v1/Services/{service}/Roles", {"FriendlyName": "Mod", "Type": "service", "Permission": "a"})
    moved = api.post(created["url"], {"RoleSid": other.json()["sid"]}).json()
    assert moved["role_sid"] == other.json()["sid"]
    assert error(api.post(created["url"], {"RoleSid": "RL" + "0" * 32})) == (404, 20404)


def test_a_user_is_found_by_identity_and_an_identity_is_unique(api: Api, service: str) -> None:
    """GET …/Users/{identity} finds the user (URL-encoded); a second user with that identity is a 409 / 50201."""
    users = f"/v1/Services/{service}/Users"
    created = api.post(users, {"Identity": "ann@example.com"}).json()
    assert api.get(f"{users}/{quote('ann@example.com')}").json() == created
    assert error(api.post(users, {"Identity": "ann@example.com"})) == (409, 50201)
    assert [user["sid"] for user in api.get(users).json()["users"]] == [created["sid"]]
    assert api.delete(f"{users}/ann@example.com").status_code == 204
    assert error(api.get(created["url"])) == (404, 20404)


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({}, 20001),
        ({"Identity": ""}, 20001),
        ({"Identity": "ann", "Attributes": "{not json"}, 50304),
        ({"Identity": "ann", "FriendlyName": "x" * 257}, 50003),
        ({"Identity": "ann", "RoleSid": "admin"}, 20001),
    ],
    ids=["no-identity", "empty-identity", "attributes-not-json", "name-too-long", "role-not-a-sid"],
)
def test_a_user_breaking_a_rule_is_refused(api: Api, service: str, form: dict[str, str], code: int) -> None:
    """Identity required (1 to 256 characters), Attributes JSON, FriendlyName at most 256, RoleSid an RL SID."""
    assert error(api.post(f"/v1/Services/{service}/Users", form)) == (400, code)


def test_sdk_manages_a_user_and_the_account_level_users(client: Client, service: str) -> None:
    """Twilio's SDK creates, fetches by identity, updates, lists and deletes users, in a service and at `/v1/Users`."""
    users = client.conversations.v1.services(service).users
    created = users.create(identity="ann", friendly_name="Ann", attributes='{"a": 1}')
    assert users("ann").fetch().sid == created.sid
    assert users(created.sid).update(friendly_name="Annie").friendly_name == "Annie"
    assert [user.identity for user in users.list()] == ["ann"]
    users(created.sid).delete()
    assert raised(lambda: users("ann").fetch()).code == 20404
    account = client.conversations.v1.users.create(identity="bob")
    assert account.url.endswith(f"/v1/Users/{account.sid}")
    assert client.conversations.v1.users("bob").fetch().sid == account.sid


def test_account_level_users_answer_as_twilio_examples(api: Api) -> None:
    """`/v1/Users` answers with the account-level user schema, the keys of its example and `/v1/…` URLs, a user's
    conversations included."""
    created = assert_answer(api.post("/v1/Users", {"Identity": "ann"}), 201, ACCOUNT_USER)
    assert_like_an_example(created, "/v1/Users", "post", "201")
    assert created["links"]["user_conversations"] == api.url(f"/v1/Users/{created['sid']}/Conversations")
    conversation = api.post("/v1/Conversations", {"FriendlyName": "desk"}).json()
    member = api.post(f"{conversation['url']}/Participants", {"Identity": "ann"}).json()
    seen = api.get(f"/v1/Users/ann/Conversations/{conversation['sid']}").json()
    assert seen["url"] == api.url(f"/v1/Users/{created['sid']}/Conversations/{conversation['sid']}")
    assert seen["links"] == {"participant": member["url"], "conversation": conversation["url"]}, "all at `/v1/…`"


def test_a_users_conversations_are_those_it_takes_part_in(api: Api, service: str) -> None:
    """A user's conversations are the ones with a participant of its identity; update and leave act on that one."""
    user = api.post(f"/v1/Services/{service}/Users", {"Identity": "ann"}).json()
    conversations = f"/v1/Services/{service}/Conversations"
    timers = {"State": "active", "Timers.Inactive": "PT1H", "Timers.Closed": "PT2H"}  # as Twilio's example has them
    mine = api.post(conversations, {"FriendlyName": "mine", "UniqueName": "mine", **timers}).json()
    api.post(conversations, {"FriendlyName": "not mine"}).raise_for_status()
    member = api.post(f"{mine['url']}/Participants", {"Identity": "ann"}).json()
    for body in ("one", "two", "three"):
        api.post(f"{mine['url']}/Messages", {"Author": "bob", "Body": body}).raise_for_status()
    route = USERS + "/{UserSid}/Conversations"
    listed = api.get(user["links"]["user_conversations"]).json()
    assert_page(listed, route, "conversations", USER_CONVERSATION)
    [seen] = listed["conversations"]
    assert_like_an_example(seen, route + "/{ConversationSid}", "get")
    assert (seen["conversation_sid"], seen["participant_sid"], seen["notification_level"]) == (
        mine["sid"],
        member["sid"],
        "default",
    )
    assert seen["links"] == {"participant": member["url"], "conversation": mine["url"]}
    updated = api.post(seen["url"], {"LastReadMessageIndex": "0", "NotificationLevel": "muted"}).json()
    assert (updated["last_read_message_index"], updated["unread_messages_count"]) == (0, 2)
    assert updated["notification_level"] == "muted"
    assert api.get(member["url"]).json()["last_read_message_index"] == 0, "the participant's read horizon"
    assert api.get(f"{user['url']}/Conversations/mine").json() == updated, "by unique name too"
    assert error(api.post(seen["url"], {"NotificationLevel": "loud"})) == (400, 20001)
    assert api.delete(seen["url"]).status_code == 204
    assert api.get(f"{mine['url']}/Participants").json()["participants"] == []
    assert error(api.get(seen["url"])) == (404, 20404)


def test_sdk_reads_a_users_conversations(client: Client, service: str) -> None:
    """Twilio's SDK lists, fetches and updates a user's conversations."""
    chat = client.conversations.v1.services(service)
    user = chat.users.create(identity="ann")
    conversation = chat.conversations.create(friendly_name="desk")
    chat.conversations(conversation.sid).participants.create(identity="ann")
    [seen] = chat.users(user.sid).user_conversations.list()
    assert (seen.conversation_sid, seen.friendly_name) == (conversation.sid, "desk")
    muted = chat.users(user.sid).user_conversations(conversation.sid).update(notification_level="muted")
    assert muted.notification_level == "muted"


def test_users_are_kept_in_the_state_file(tmp_path: Path) -> None:
    """Users come back after a restart; a state file from before users still loads."""
    state = tmp_path / "state.json"
    with Emulator(state_file=state) as first:
        sid = first.create_service("Support")["sid"]
        before = Api(first).post(f"/v1/Services/{sid}/Users", {"Identity": "ann"}).json()
    with Emulator(state_file=state) as second:
        after = Api(second).get(f"/v1/Services/{sid}/Users/ann").json()
    assert {**after, "url": None, "links": None} == {**before, "url": None, "links": None}
    data = json.loads(state.read_text(encoding="utf-8"))
    for service in data["services"]:
        del service["users"]
    state.write_text(json.dumps(data), encoding="utf-8")
    with Emulator(state_file=state) as third:
        assert Api(third).get(f"/v1/Services/{sid}/Users").json()["users"] == []
