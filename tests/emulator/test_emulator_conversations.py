"""Conversations over HTTP: Twilio's defaults, its validation rules and error codes, lookup and paging."""

from __future__ import annotations

import json

import pytest

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api, error

MG = "MG" + "0123456789abcdef" * 2
CH_LIKE = "CH" + "0123456789abcdef" * 2


def test_a_bare_conversation_gets_twilios_defaults(api: Api, conversations_path: str, service: str) -> None:
    """A conversation created with no fields is active, has `{}` attributes, no timers and no bindings."""
    created = api.post(conversations_path)
    assert created.status_code == 201
    body = created.json()
    assert body["state"] == "active" and body["attributes"] == "{}"
    assert body["timers"] == {} and body["bindings"] == {}
    assert body["friendly_name"] is None and body["unique_name"] is None and body["messaging_service_sid"] is None
    assert body["chat_service_sid"] == service and body["date_created"] == body["date_updated"]
    assert body["url"] == api.url(f"{conversations_path}/{body['sid']}")
    assert set(body["links"]) == {"participants", "messages", "webhooks", "export"}


def test_every_documented_field_is_stored(api: Api, conversations_path: str) -> None:
    """Each create field comes back as Twilio reports it; given dates are honoured, timers count from now."""
    created = api.post(
        conversations_path,
        {
            "FriendlyName": "Support",
            "UniqueName": "support",
            "Attributes": '{"tier": 1}',
            "MessagingServiceSid": MG,
            "State": "inactive",
            "Timers.Inactive": "PT1M",
            "Timers.Closed": "PT10M",
            "DateCreated": "2020-01-02T03:04:05Z",
            "DateUpdated": "2020-01-02T04:05:06+01:00",
            "Bindings.Email.Address": "help@example.com",
            "Bindings.Email.Name": "Help",
        },
        headers={"X-Twilio-Webhook-Enabled": "true"},
    ).json()
    assert (created["friendly_name"], created["unique_name"], created["attributes"]) == (
        "Support",
        "support",
        '{"tier": 1}',
    )
    assert (created["messaging_service_sid"], created["state"]) == (MG, "inactive")
    assert (created["date_created"], created["date_updated"]) == ("2020-01-02T03:04:05Z", "2020-01-02T03:05:06Z")
    assert created["bindings"] == {"email": {"name": "Help", "projected_address": "help@example.com"}}
    assert set(created["timers"]) == {"date_inactive", "date_closed"}
    assert created["timers"]["date_inactive"] < created["timers"]["date_closed"]


def test_fetch_update_and_delete_accept_the_sid_or_the_unique_name(
    api: Api, conversations_path: str, emulator: Emulator, service: str
) -> None:
    """The {Sid} path segment takes either the SID or the unique name, for every method."""
    sid = emulator.create_conversation(service, UniqueName="desk")["sid"]
    assert api.get(f"{conversations_path}/desk").json()["sid"] == sid
    updated = api.post(f"{conversations_path}/desk", {"Attributes": '{"a": 1}', "UniqueName": "desk-2"})
    assert updated.status_code == 200 and updated.json()["unique_name"] == "desk-2"
    assert error(api.get(f"{conversations_path}/desk")) == (404, 20404)
    assert api.delete(f"{conversations_path}/desk-2").status_code == 204
    assert error(api.get(f"{conversations_path}/{sid}")) == (404, 20404)
    assert error(api.delete(f"{conversations_path}/{sid}")) == (404, 20404)


def test_update_changes_only_the_fields_sent(
    api: Api, conversations_path: str, emulator: Emulator, service: str
) -> None:
    """Fields absent from an update keep their values; date_updated moves, date_created does not."""
    original = emulator.create_conversation(
        service, FriendlyName="a", UniqueName="u", Attributes='{"x": 1}', DateCreated="2020-01-01T00:00:00Z"
    )
    updated = api.post(f"{conversations_path}/{original['sid']}", {"FriendlyName": "b"}).json()
    assert (updated["friendly_name"], updated["unique_name"], updated["attributes"]) == ("b", "u", '{"x": 1}')
    assert updated["date_created"] == "2020-01-01T00:00:00Z" and updated["date_updated"] > "2020-01-01T00:00:00Z"


def test_an_empty_unique_name_removes_it(api: Api, conversations_path: str, emulator: Emulator, service: str) -> None:
    """Updating UniqueName to "" removes the name, which another conversation may then take."""
    sid = emulator.create_conversation(service, UniqueName="u")["sid"]
    assert api.post(f"{conversations_path}/{sid}", {"UniqueName": ""}).json()["unique_name"] is None
    assert api.post(conversations_path, {"UniqueName": "u"}).status_code == 201


LONG = "x" * 257
ATTRIBUTES_16K = json.dumps({"a": "x" * (16 * 1024 - 9)})


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"Attributes": "{not json"}, (400, 50304)),
        ({"Attributes": ATTRIBUTES_16K + " "}, (400, 50303)),
        ({"State": "paused"}, (400, 50378)),
        ({"State": "initializing"}, (400, 50378)),
        ({"State": "closed"}, (400, 50384)),
        ({"Timers.Inactive": "PT5M"}, (400, 50382)),
        ({"Timers.Closed": "PT1H"}, (400, 50382)),
        ({"State": "active", "Timers.Inactive": "PT59S"}, (400, 50375)),
        ({"State": "active", "Timers.Closed": "PT9M"}, (400, 50376)),
        ({"State": "active", "Timers.Inactive": "5 minutes"}, (400, 50379)),
        ({"State": "active", "Timers.Closed": "P"}, (400, 50380)),
        ({"UniqueName": CH_LIKE}, (400, 50390)),
        ({"FriendlyName": LONG}, (400, 50003)),
        ({"MessagingServiceSid": "MG123"}, (400, 20001)),
        ({"DateCreated": "yesterday"}, (400, 20001)),
        ({"Bindings.Email.Address": "not-an-address"}, (400, 20001)),
    ],
    ids=lambda value: None if isinstance(value, dict) else f"{value[0]}-{value[1]}",
)
def test_create_is_validated_as_twilio_does(
    api: Api, conversations_path: str, emulator: Emulator, service: str, form: dict[str, str], expected: tuple[int, int]
) -> None:
    """A create breaking one of Twilio's rules is refused with Twilio's status and code, and creates nothing."""
    assert error(api.post(conversations_path, form)) == expected
    assert emulator.conversations(service) == []


def test_limits_are_inclusive(api: Api, conversations_path: str) -> None:
    """Exactly 256 characters of name, 16 KB of attributes, 1 and 10 minutes of timers are accepted."""
    assert len(ATTRIBUTES_16K.encode()) == 16 * 1024
    form = {
        "FriendlyName": "x" * 256,
        "Attributes": ATTRIBUTES_16K,
        "State": "active",
        "Timers.Inactive": "PT60S",
        "Timers.Closed": "PT0H10M",
    }
    assert api.post(conversations_path, form).status_code == 201


def test_updates_of_a_closed_conversation_are_refused(
    api: Api, conversations_path: str, emulator: Emulator, service: str
) -> None:
    """Closing by update works; afterwards every update is refused with 50377, while fetch and delete work."""
    sid = emulator.create_conversation(service, State="inactive", **{"Timers.Closed": "P1D"})["sid"]
    closed = api.post(f"{conversations_path}/{sid}", {"State": "closed"}).json()
    assert closed["state"] == "closed" and closed["timers"] == {}
    assert error(api.post(f"{conversations_path}/{sid}", {"FriendlyName": "again"})) == (400, 50377)
    assert error(api.post(f"{conversations_path}/{sid}", {"State": "active"})) == (400, 50377)
    assert api.get(f"{conversations_path}/{sid}").json()["state"] == "closed"
    assert api.delete(f"{conversations_path}/{sid}").status_code == 204


def test_timers_may_be_set_by_update_without_state(
    api: Api, conversations_path: str, emulator: Emulator, service: str
) -> None:
    """The 'timers need a state' rule (50382) applies to create only; an inactive conversation can be reactivated."""
    sid = emulator.create_conversation(service, State="inactive")["sid"]
    updated = api.post(f"{conversations_path}/{sid}", {"Timers.Inactive": "PT2M"}).json()
    assert set(updated["timers"]) == {"date_inactive"}
    assert api.post(f"{conversations_path}/{sid}", {"State": "active"}).json()["state"] == "active"


def test_unique_names_are_unique_per_service(api: Api, emulator: Emulator, service: str) -> None:
    """A taken unique name is refused with 409 / 50353 on create and update; another service may use it."""
    emulator.create_conversation(service, UniqueName="taken")
    other = emulator.create_conversation(service, UniqueName="free")["sid"]
    path = f"/v1/Services/{service}/Conversations"
    assert error(api.post(path, {"UniqueName": "taken"})) == (409, 50353)
    assert error(api.post(f"{path}/{other}", {"UniqueName": "taken"})) == (409, 50353)
    second = emulator.create_service("Other")["sid"]
    assert api.post(f"/v1/Services/{second}/Conversations", {"UniqueName": "taken"}).status_code == 201


def test_service_sids_in_the_path_are_checked(api: Api) -> None:
    """A malformed service SID is a 400; a well-formed unknown one is a 404."""
    assert error(api.get("/v1/Services/IS123/Conversations")) == (400, 20001)
    unknown = "IS" + "f" * 32
    assert error(api.get(f"/v1/Services/{unknown}/Conversations")) == (404, 20404)
    assert error(api.post(f"/v1/Services/{unknown}/Conversations")) == (404, 20404)
    assert api.get(f"/v1/Services/{unknown}/Conversations").json()["message"] == (
        f"The requested resource /v1/Services/{unknown}/Conversations was not found"
    )


def test_unknown_paths_and_methods(api: Api, conversations_path: str) -> None:
    """Unknown paths answer 404 / 20404; unsupported methods 405 / 20004 with an Allow header."""
    assert error(api.get("/v1/Nothing")) == (404, 20404)
    put = api.session.put(api.url(conversations_path), timeout=10)
    assert error(put) == (405, 20004) and put.headers["Allow"] == "GET, HEAD, POST"
    assert error(api.delete(conversations_path)) == (405, 20004)


def _names(page: dict[str, object]) -> list[str]:
    return [c["friendly_name"] for c in page["conversations"]]  # type: ignore[attr-defined]


def test_paging_follows_next_page_url_to_the_end(
    api: Api, conversations_path: str, emulator: Emulator, service: str
) -> None:
    """PageSize splits the list; next_page_url and previous_page_url walk it; meta describes each page."""
    for number in range(5):
        emulator.create_conversation(service, FriendlyName=str(number))
    first = api.get(conversations_path, params={"PageSize": 2}).json()
    assert _names(first) == ["0", "1"]
    assert first["meta"]["page"] == 0 and first["meta"]["page_size"] == 2 and first["meta"]["previous_page_url"] is None
    assert first["meta"]["first_page_url"] == api.url(f"{conversations_path}?PageSize=2&Page=0")
    second = api.get(first["meta"]["next_page_url"]).json()
    third = api.get(second["meta"]["next_page_url"]).json()
    assert (_names(second), _names(third), third["meta"]["next_page_url"]) == (["2", "3"], ["4"], None)
    assert third["meta"]["page"] == 2
    assert _names(api.get(third["meta"]["previous_page_url"]).json()) == ["2", "3"]
    assert _names(api.get(conversations_path, params={"PageSize": 2, "Page": 1}).json()) == ["2", "3"]
    assert len(api.get(conversations_path).json()["conversations"]) == 5
    assert api.get(conversations_path).json()["meta"]["page_size"] == 50


def test_a_page_token_survives_deletes_between_pages(
    api: Api, conversations_path: str, emulator: Emulator, service: str
) -> None:
    """Deleting listed conversations between pages neither skips nor repeats the ones not yet seen."""
    sids = [emulator.create_conversation(service, FriendlyName=str(n))["sid"] for n in range(4)]
    first = api.get(conversations_path, params={"PageSize": 2}).json()
    for sid in sids[:2]:
        api.delete(f"{conversations_path}/{sid}")
    assert _names(api.get(first["meta"]["next_page_url"]).json()) == ["2", "3"]


@pytest.mark.parametrize(
    "query", [{"PageSize": "0"}, {"PageSize": "1001"}, {"PageSize": "x"}, {"Page": "-1"}, {"PageToken": "zz"}]
)
def test_bad_paging_parameters_are_refused(api: Api, conversations_path: str, query: dict[str, str]) -> None:
    """PageSize outside 1..1000, a negative Page or a foreign PageToken is a 400."""
    assert error(api.get(conversations_path, params=query)) == (400, 20001)


def test_list_filters_by_state_and_creation_date(
    api: Api, conversations_path: str, emulator: Emulator, service: str
) -> None:
    """State filters; StartDate / EndDate bound date_created and list newest first; filters stay in page links."""
    for day, state in [(1, "active"), (2, "inactive"), (3, "active"), (4, "active")]:
        emulator.create_conversation(
            service, FriendlyName=str(day), State=state, DateCreated=f"2024-01-0{day}T12:00:00Z"
        )
    assert _names(api.get(conversations_path, params={"State": "active"}).json()) == ["1", "3", "4"]
    dated = api.get(
        conversations_path, params={"StartDate": "2024-01-02T00:00:00Z", "EndDate": "2024-01-03T23:59:59Z"}
    ).json()
    assert _names(dated) == ["3", "2"]
    paged = api.get(conversations_path, params={"State": "active", "StartDate": "2024-01-01", "PageSize": 1}).json()
    assert _names(paged) == ["4"] and "State=active" in paged["meta"]["next_page_url"]
    assert _names(api.get(paged["meta"]["next_page_url"]).json()) == ["3"]
    assert error(api.get(conversations_path, params={"State": "sleeping"})) == (400, 50378)
    assert error(api.get(conversations_path, params={"StartDate": "soon"})) == (400, 20001)


def test_the_webhook_header_is_recorded_not_stored(api: Api, conversations_path: str, emulator: Emulator) -> None:
    """X-Twilio-Webhook-Enabled reaches the request log; the resource has no such field."""
    body = api.post(conversations_path, {"FriendlyName": "x"}, headers={"X-Twilio-Webhook-Enabled": "true"}).json()
    assert "webhook_enabled" not in json.dumps(body)
    [recorded] = emulator.counters.log
    assert recorded.headers["X-Twilio-Webhook-Enabled"] == "true" and recorded.form == {"FriendlyName": "x"}
    assert recorded.status == 201 and "Authorization" not in recorded.headers
