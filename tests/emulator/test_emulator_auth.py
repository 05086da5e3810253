"""HTTP Basic auth as Twilio does it: the account SID + auth token, or an API key + secret when configured."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

from emulator_support import Api, error

API_KEY = "SK" + "5" * 32
API_SECRET = "key-secret-that-must-stay-hidden"


@pytest.fixture
def keyed_emulator() -> Iterator[Emulator]:
    """An emulator of its own that also accepts API_KEY / API_SECRET."""
    with Emulator(api_key=API_KEY, api_secret=API_SECRET) as server:
        yield server


def assert_refused(response: requests.Response) -> None:
    assert error(response) == (401, 20003)
    assert response.headers["WWW-Authenticate"].startswith("Basic realm=")


@pytest.mark.parametrize(
    "auth",
    [
        None,
        (DEFAULT_ACCOUNT_SID, "wrong-token"),
        ("AC" + "f" * 32, DEFAULT_AUTH_TOKEN),
        (DEFAULT_ACCOUNT_SID, ""),
        (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN + "x"),
        (API_KEY, API_SECRET),
    ],
    ids=["missing", "wrong-token", "wrong-account", "empty-token", "token-prefix", "key-not-configured"],
)
def test_bad_credentials_are_refused_with_401(emulator: Emulator, service: str, auth: tuple[str, str] | None) -> None:
    """Missing or wrong credentials get 401 / 20003 with WWW-Authenticate on reads and writes; nothing changes."""
    url = emulator.base_url + f"/v1/Services/{service}/Conversations"
    assert_refused(requests.get(url, auth=auth, timeout=10))
    assert_refused(requests.post(url, data={"FriendlyName": "x"}, auth=auth, timeout=10))
    assert_refused(requests.delete(emulator.base_url + f"/v1/Services/{service}", auth=auth, timeout=10))
    assert emulator.conversations(service) == [] and len(emulator.services()) == 1


def test_a_bearer_token_is_not_basic_auth(emulator: Emulator) -> None:
    """Only HTTP Basic is understood: another scheme with the right token is refused."""
    headers = {"Authorization": f"Bearer {DEFAULT_AUTH_TOKEN}"}
    assert_refused(requests.get(emulator.base_url + "/v1/Services", headers=headers, timeout=10))


def test_an_api_key_and_secret_are_accepted_when_configured(keyed_emulator: Emulator) -> None:
    """With api_key/api_secret, the key works like the account; the account's token still works too."""
    with_key = Api(keyed_emulator, auth=(API_KEY, API_SECRET))
    created = with_key.post("/v1/Services", {"FriendlyName": "Keyed"})
    assert created.status_code == 201 and created.json()["account_sid"] == DEFAULT_ACCOUNT_SID
    assert with_key.get(f"/v1/Services/{created.json()['sid']}").status_code == 200
    assert Api(keyed_emulator).get("/v1/Services").json()["services"][0]["friendly_name"] == "Keyed"
    assert_refused(Api(keyed_emulator, auth=(API_KEY, "wrong-secret")).get("/v1/Services"))
    assert_refused(Api(keyed_emulator, auth=(API_KEY, DEFAULT_AUTH_TOKEN)).get("/v1/Services"))
    assert_refused(Api(keyed_emulator, auth=(DEFAULT_ACCOUNT_SID, API_SECRET)).get("/v1/Services"))


def test_a_key_needs_its_secret() -> None:
    """Configuring an API key without its secret (or the reverse) is refused up front."""
    with pytest.raises(ValueError, match="together"):
        Emulator(api_key=API_KEY)
    with pytest.raises(ValueError, match="together"):
        Emulator(api_secret=API_SECRET)


def test_secrets_never_appear_in_answers(keyed_emulator: Emulator) -> None:
    """No answer (success, 4xx, 401, list, 405) echoes the auth token or the API secret, body or headers."""
    api = Api(keyed_emulator, auth=(API_KEY, API_SECRET))
    service = api.post("/v1/Services", {"FriendlyName": "Support"}).json()["sid"]
    conversations = f"/v1/Services/{service}/Conversations"
    answers = [
        api.post(conversations, {"FriendlyName": "Desk", "UniqueName": "u"}),
        api.post(conversations, {"UniqueName": "u"}),
        api.post(conversations, {"State": "paused"}),
        api.get(conversations),
        api.get(f"{conversations}/nobody"),
        api.get(f"/v1/Services/{service}/Configuration"),
        api.session.put(api.url(conversations), timeout=10),
        Api(keyed_emulator, auth=(API_KEY, "wrong")).get("/v1/Services"),
        Api(keyed_emulator, auth=(DEFAULT_ACCOUNT_SID, "wrong")).get("/v1/Services"),
        requests.get(keyed_emulator.base_url + "/v1/Services", timeout=10),
    ]
    assert [answer.status_code for answer in answers] == [201, 409, 400, 200, 404, 200, 405, 401, 401, 401]
    for answer in answers:
        seen = answer.text + repr(dict(answer.headers))
        assert API_SECRET not in seen and DEFAULT_AUTH_TOKEN not in seen, (answer.status_code, seen)
