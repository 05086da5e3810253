"""Schemathesis fuzzes every route the emulator serves, generated from Twilio's own OpenAPI description.

Each route gets requests that fit the spec (positive) and requests that break it (negative), a fixed
number of each with a derandomized Hypothesis, so a run takes seconds and CI sees the same requests
every time. The path parameters name, most of the time, records that exist (a service, a conversation,
...), so the requests get past the lookup and reach the field rules. Every answer must:

- never be a 5xx;
- on success carry a status the spec documents for the operation, with a body valid against the
  spec's schema for that status and the spec's content type;
- on refusal be Twilio's error body (`code`, `message`, `more_info`, `status`), as JSON, with 401 /
  20003 and a Basic challenge when the credentials are missing or wrong;
- be read back at once: a created or updated resource fetched at its `url` is what the write answered,
  a deleted one is gone (404 / 20404);
- accept what the spec allows, except where Twilio is stricter than its spec (the table below): there
  the emulator keeps Twilio's behaviour, and a positive request may be refused with that code only.

Twilio is stricter than its spec here; the emulator keeps Twilio's rule (`C…` = `/v1/Services/{S}/Conversations`):

| operation             | field                  | Twilio's rule (the spec says less)                 | code         |
|-----------------------|------------------------|----------------------------------------------------|--------------|
| POST /v1/Services     | FriendlyName           | required; at most 256 characters                   | 20001, 50003 |
| POST …/Configuration  | Default*RoleSid        | an RL SID                                          | 20001        |
| POST C…               | State                  | `initializing` is listed, but can't be set         | 50378        |
| POST C…               | State                  | `closed` is no initial state                       | 50384        |
| POST C…               | Timers.*               | a timer needs a State on create                    | 50382        |
| POST C…, C…/{Sid}     | Timers.Inactive        | an ISO 8601 duration of at least 1 minute          | 50379, 50375 |
| POST C…, C…/{Sid}     | Timers.Closed          | an ISO 8601 duration of at least 10 minutes        | 50380, 50376 |
| POST C…, C…/{Sid}     | Attributes             | a string holding JSON, at most 16 KB               | 50304, 50303 |
| POST C…, C…/{Sid}     | FriendlyName           | at most 256 characters                             | 50003        |
| POST C…, C…/{Sid}     | UniqueName             | unique, and not shaped like a conversation SID     | 50353, 50390 |
| POST C…, C…/{Sid}     | MessagingServiceSid    | an MG SID                                          | 20001        |
| POST C…, C…/{Sid}     | Bindings.Email.Address | an email address                                   | 20001        |
| POST C…/{Sid}         | any                    | a closed conversation can't be updated             | 50377        |
| GET C…                | StartDate, EndDate     | an ISO 8601 date-time (the spec: any string)       | 20001        |
| GET (any list)        | PageToken              | a token this API issued                            | 20001        |
| POST …/Conf/Webhooks  | Method                 | GET or POST (the spec: any string)                 | 20001        |
| POST …/Conf/Webhooks  | Pre/PostWebhookUrl     | an absolute http(s) URL                            | 20001        |
| POST …/Roles          | FriendlyName           | at most 64 characters (said in prose only)         | 50003        |
| POST …/Roles(/{Sid})  | Permission             | at least one                                       | 20001        |
| POST A…(/{Sid})       | AutoCreation.*         | `webhook` needs WebhookUrl, `studio` StudioFlowSid | 20001        |
| POST A…(/{Sid})       | …WebhookUrl            | an absolute http(s) URL                            | 20001        |
| POST A…(/{Sid})       | StudioRetryCount       | not negative                                       | 20001        |
| POST A…(/{Sid})       | FriendlyName           | at most 256 characters                             | 50003        |
| POST W…(/{Sid})       | Target                 | `webhook` needs Configuration.Url, `trigger` too   | 20001        |
| POST W…(/{Sid})       | Target                 | and Triggers, `studio` Configuration.FlowSid       | 20001        |
| POST W…               | (any)                  | at most five webhooks per conversation             | 20001        |
| POST W…(/{Sid})       | Configuration.Url      | an absolute http(s) URL                            | 20001        |
| POST W…(/{Sid})       | ReplayAfter            | not negative                                       | 20001        |
| POST P…               | Identity, …Address     | one of them; an address needs its ProxyAddress     | 20001        |
| POST P…(/{Sid})       | Identity               | 1 to 256 characters                                | 20001        |
| POST P…(/{Sid})       | RoleSid                | an RL SID (of a role of the service, else 404)     | 20001        |
| POST P…(/{Sid})       | Attributes             | a string holding JSON, at most 16 KB               | 50304, 50303 |
| POST M…               | Body, MediaSid, …      | a Body, a MediaSid (ME) or a ContentSid (HX)       | 20001        |
| POST M…(/{Sid})       | Body, Subject          | at most 1,600 / 256 characters                     | 20001        |
| POST M…(/{Sid})       | Attributes             | a string holding JSON, at most 16 KB               | 50304, 50303 |
| POST /v1/Credentials… | Type, FriendlyName     | required on create; at most 64 characters          | 20001, 50003 |
| POST /v1/Configuration| Default*Sid            | an IS / MG SID (the IS of a service, else 404)     | 20001        |
| POST /v1/Configuration| Default*Timer          | as Timers.Inactive / Timers.Closed above           | 50375-50380  |
| POST …/Users(/{Sid})  | Identity, RoleSid      | 1 to 256 characters; an RL SID (of the service)    | 20001        |
| POST …/Users(/{Sid})  | Attributes             | a string holding JSON, at most 16 KB               | 50304, 50303 |
| POST …/Users(/{Sid})  | FriendlyName           | at most 256 characters                             | 50003        |
| POST …/Users/…/Conv…  | LastReadMessageIndex   | a 32-bit whole number, not negative                | 20001        |

(`A…` = `/v1/Configuration/Addresses`, `W…`, `P…`, `M…` = `C…/{ConversationSid}/Webhooks`, `/Participants`,
`/Messages`; each rule of the service tree holds on the account-level tree too (`/v1/Conversations`, `/v1/Users`);
a second configuration of an address, a taken identity or a bound number pair is a 409, an
answer like any conflict.)

Found and fixed: webhook URLs were stored unchecked (`PreWebhookUrl=r`), now an absolute http(s) URL or
400; a timestamp before year 1000 (`0291-04-06T20:10:38Z`) came back with a three-digit year, now
rendered as RFC 3339; `Permission=""` and unbounded integers were accepted; far timestamps and
durations (`P99999999999D`) crashed with a 500, now refused.

The spec documents only the success status of each operation, so schemathesis' own
`status_code_conformance` would flag every refusal; the success status is checked instead (a 2xx must
be the documented one) and refusals are checked for Twilio's error body.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import Case, CheckContext, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
)

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

from budget import examples
from emulator_support import SPEC, error, load_spec

ROUTES = Emulator().routes  # (method, template): every route the emulator serves
SCHEMA = schemathesis.openapi.from_dict(load_spec())
AUTHORIZATION = "Basic " + base64.b64encode(f"{DEFAULT_ACCOUNT_SID}:{DEFAULT_AUTH_TOKEN}".encode()).decode()
EXAMPLES_PER_ROUTE = 20
UNIQUE_NAME = "fuzz"
ADDRESS = "+15005550006"

# operation -> the Twilio codes a request the spec allows may still be refused with (the table above)
_SCOPED = "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}"
_CONVERSATION_FIELDS = {20001, 50003, 50303, 50304, 50375, 50376, 50378, 50379, 50380, 50390}
STRICTER: dict[tuple[str, str], set[int]] = {
    ("POST", "/v1/Services"): {20001, 50003},
    ("POST", "/v1/Services/{ChatServiceSid}/Configuration"): {20001},
    ("POST", "/v1/Services/{ChatServiceSid}/Configuration/Webhooks"): {20001},
    ("POST", "/v1/Services/{ChatServiceSid}/Roles"): {20001, 50003},
    ("POST", "/v1/Services/{ChatServiceSid}/Roles/{Sid}"): {20001},
    ("POST", "/v1/Configuration/Addresses"): {20001, 50003},
    ("POST", "/v1/Configuration/Addresses/{Sid}"): {20001, 50003},
    ("POST", "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks"): {20001},
    ("POST", "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks/{Sid}"): {20001},
    ("POST", "/v1/Services/{ChatServiceSid}/Conversations"): _CONVERSATION_FIELDS | {50353, 50382, 50384},
    ("POST", "/v1/Services/{ChatServiceSid}/Conversations/{Sid}"): _CONVERSATION_FIELDS | {50353, 50377},
    ("GET", "/v1/Services/{ChatServiceSid}/Conversations"): {20001},
    ("POST", f"{_SCOPED}/Participants"): {20001, 50303, 50304},
    ("POST", f"{_SCOPED}/Participants/{{Sid}}"): {20001, 50303, 50304},
    ("POST", f"{_SCOPED}/Messages"): {20001, 50303, 50304},
    ("POST", f"{_SCOPED}/Messages/{{Sid}}"): {20001, 50303, 50304},
    ("POST", "/v1/Credentials"): {20001, 50003},
    ("POST", "/v1/Credentials/{Sid}"): {20001, 50003},
    ("POST", "/v1/Configuration"): {20001, 50375, 50376, 50379, 50380},
    ("POST", "/v1/Configuration/Webhooks"): {20001},
    ("POST", "/v1/Services/{ChatServiceSid}/Users"): {20001, 50003, 50303, 50304},
    ("POST", "/v1/Services/{ChatServiceSid}/Users/{Sid}"): {20001, 50003, 50303, 50304},
    ("POST", "/v1/Services/{ChatServiceSid}/Users/{UserSid}/Conversations/{ConversationSid}"): {20001},
}
# the account-level tree (`/v1/Conversations/…`, `/v1/Users/…`) is the service's, with its rules
STRICTER.update(
    {
        (method, path.replace("/v1/Services/{ChatServiceSid}", "/v1", 1)): codes
        for (method, path), codes in STRICTER.items()
    }
)


def _route_id(route: tuple[str, str]) -> str:
    return f"{route[0]} {route[1]}"


def _world(emulator: Emulator, session: requests.Session) -> dict[str, list[str]]:
    """Fresh records for one request to name: collection segment of the path -> ids that exist.

    A conversation is also found by its unique name, an address configuration by its address, a
    participant by its identity.
    """
    emulator.reset()
    service = emulator.create_service("Fuzzed")["sid"]
    conversation = emulator.create_conversation(service, UniqueName=UNIQUE_NAME, State="active")["sid"]
    base = emulator.base_url
    roles = session.get(f"{base}/v1/Services/{service}/Roles", timeout=10).json()["roles"]
    webhook = session.post(
        f"{base}/v1/Services/{service}/Conversations/{conversation}/Webhooks",
        data={"Target": "webhook", "Configuration.Url": "https://hooks.example.com/fuzz"},
        timeout=10,
    ).json()
    address = session.post(
        f"{base}/v1/Configuration/Addresses", data={"Type": "sms", "Address": ADDRESS}, timeout=10
    ).json()
    scoped = f"{base}/v1/Services/{service}/Conversations/{conversation}"
    participant = session.post(f"{scoped}/Participants", data={"Identity": "fuzz-agent"}, timeout=10).json()
    message = session.post(f"{scoped}/Messages", data={"Author": "fuzz-agent", "Body": "hi"}, timeout=10).json()
    # the account-level tree acts on the same records; the user is the participant, so it has a conversation
    session.post(f"{base}/v1/Configuration", data={"DefaultChatServiceSid": service}, timeout=10).raise_for_status()
    user = session.post(f"{base}/v1/Services/{service}/Users", data={"Identity": "fuzz-agent"}, timeout=10).json()
    credential = session.post(f"{base}/v1/Credentials", data={"Type": "apn"}, timeout=10).json()
    return {
        "Services": [service],
        "Conversations": [conversation, UNIQUE_NAME],
        "Roles": [roles[0]["sid"]],
        "Webhooks": [webhook["sid"]],
        "Addresses": [address["sid"], ADDRESS],
        "Participants": [participant["sid"], "fuzz-agent"],
        "Messages": [message["sid"]],
        "Users": [user["sid"], "fuzz-agent"],
        "Credentials": [credential["sid"]],
    }


def _real_parameters(path: str, world: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """For each `{Name}` of the path, the ids of records that exist (the segment before names the collection)."""
    return {name: world.get(collection, []) for collection, name in re.findall(r"/(\w+)/\{(\w+)\}", path)}


# Checks of our own, in schemathesis' signature (ctx, response, case); a failed assert is a finding.


def _header(response: Any, name: str) -> str:
    """A header of a schemathesis response (its names are lower case, each with a list of values)."""
    values: list[str] = response.headers.get(name.lower(), [""])
    return values[0]


def documented_success_status(ctx: CheckContext, response: Any, case: Case) -> None:
    """A 2xx is the status the spec documents for the operation (201 for a create, 204 for a delete)."""
    if 200 <= response.status_code < 300:
        documented = {int(code) for code in case.operation.responses.status_codes if code.isdigit()}
        assert response.status_code in documented, f"{response.status_code}, the spec documents {documented}"


def twilio_error_body(ctx: CheckContext, response: Any, case: Case) -> None:
    """A refusal is Twilio's JSON error body; 401 carries 20003 and a Basic challenge, 404 20404."""
    if response.status_code < 400:
        return
    assert _header(response, "Content-Type").startswith("application/json"), response.headers
    body = json.loads(response.content)
    assert set(body) == {"code", "message", "more_info", "status"}, body
    assert body["status"] == response.status_code and isinstance(body["code"], int), body
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{body['code']}", body
    expected = {401: 20003, 404: 20404, 405: 20004}.get(response.status_code)
    assert expected is None or body["code"] == expected, body
    if response.status_code == 401:
        assert _header(response, "WWW-Authenticate").startswith("Basic realm="), response.headers


def _refuses_only_as_twilio_does(mode: GenerationMode) -> Callable[[CheckContext, Any, Case], None]:
    def spec_valid_requests_are_accepted(ctx: CheckContext, response: Any, case: Case) -> None:
        """A request the spec allows is answered, or refused only for a reason in the table of stricter rules.

        404 (an id that names nothing) and 409 (the world's unique name) are answers, not refusals.
        """
        if mode is not GenerationMode.POSITIVE or response.status_code < 400 or response.status_code in (404, 409):
            return
        body = json.loads(response.content)
        allowed = STRICTER.get((case.operation.method.upper(), case.operation.path), set())
        if "PageToken" in (case.query or {}):  # every list takes one, which must be a token the API issued
            allowed = allowed | {20001}
        assert response.status_code == 400 and body["code"] in allowed, f"a spec-valid request was refused: {body}"

    return spec_valid_requests_are_accepted


def _read_back(session: requests.Session) -> Callable[[CheckContext, Any, Case], None]:
    def written_is_read(ctx: CheckContext, response: Any, case: Case) -> None:
        """A created or updated resource reads back as the write answered it; a deleted one is gone."""
        method = case.operation.method.upper()
        if method == "POST" and response.status_code in (200, 201):
            written = json.loads(response.content)
            fetched = session.get(written["url"], timeout=10)
            assert fetched.status_code == 200, fetched.text
            assert fetched.json() == written
        elif method == "DELETE" and response.status_code == 204:
            gone = session.get(response.request.url, timeout=10)
            assert error(gone) == (404, 20404)

    return written_is_read


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda mode: mode.value)
@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
def test_fuzzed_requests_get_the_answers_twilio_describes(
    emulator: Emulator, route: tuple[str, str], mode: GenerationMode
) -> None:
    """Spec-generated requests, valid and invalid, get no 5xx, spec-valid bodies, Twilio errors and read-back."""
    method, path = route
    operation = SCHEMA[path][method]
    session = requests.Session()
    session.headers["Authorization"] = AUTHORIZATION
    checks = [
        not_a_server_error,
        response_schema_conformance,
        content_type_conformance,
        ignored_auth,
        documented_success_status,
        twilio_error_body,
        _refuses_only_as_twilio_does(mode),
        _read_back(session),
    ]

    @settings(
        max_examples=examples(EXAMPLES_PER_ROUTE),
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def fuzz(case: Case, data: st.DataObject) -> None:
        world = _world(emulator, session)
        for name, ids in _real_parameters(path, world).items():
            # mostly a record that exists, sometimes what schemathesis generated
            choice = data.draw(st.sampled_from([*ids, ids[0], None]) if ids else st.none(), label=name)
            if choice is not None and case.path_parameters is not None:
                case.path_parameters[name] = choice
        case.call_and_validate(base_url=emulator.base_url, headers={"Authorization": AUTHORIZATION}, checks=checks)

    try:
        fuzz()
    finally:
        session.close()


def test_every_served_route_is_in_the_spec() -> None:
    """The emulator serves no route that Twilio's description lacks (so the fuzzer reaches them all)."""
    spec = json.loads(SPEC.read_text(encoding="utf-8"))["paths"]
    assert ROUTES and all(method.lower() in spec.get(path, {}) for method, path in ROUTES)


@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
def test_every_route_refuses_requests_without_valid_credentials(emulator: Emulator, route: tuple[str, str]) -> None:
    """No credentials, a wrong token or another scheme get 401 / 20003 with a Basic challenge, on every route."""
    method, path = route
    session = requests.Session()
    session.headers["Authorization"] = AUTHORIZATION
    world = _world(emulator, session)
    url = emulator.base_url + path.format(**{name: ids[0] for name, ids in _real_parameters(path, world).items()})
    wrong = "Basic " + base64.b64encode(f"{DEFAULT_ACCOUNT_SID}:not-the-token".encode()).decode()
    for headers in ({}, {"Authorization": wrong}, {"Authorization": f"Bearer {DEFAULT_AUTH_TOKEN}"}):
        refused = requests.request(method, url, headers=headers, timeout=10)
        assert error(refused) == (401, 20003), (headers, refused.text)
        assert refused.headers["WWW-Authenticate"].startswith("Basic realm=")
    assert session.request(method, url, timeout=10).status_code != 401, "the right credentials pass"
    session.close()
