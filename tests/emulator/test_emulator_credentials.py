"""Credentials: the account's push credentials, their rules, and key material that is kept but never answered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_emulator_schema import assert_answer, assert_page
from twilio.rest import Client

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api, assert_like_an_example, error, examples, raised

CREDENTIAL = "conversations.v1.credential"
KEY_MATERIAL = {"Certificate": "-----BEGIN CERTIFICATE-----c", "PrivateKey": "-----BEGIN KEY-----k", "Secret": "s3"}


def test_credential_answers_match_the_spec_and_its_examples(api: Api) -> None:
    """Create, fetch, update and list answer with the credential schema and the keys of Twilio's examples."""
    created = assert_answer(api.post("/v1/Credentials", {"Type": "apn", "FriendlyName": "iOS"}), 201, CREDENTIAL)
    assert_like_an_example(created, "/v1/Credentials", "post", "201")
    assert created["sandbox"] == "False", "as the spec's examples write it"
    instance = f"/v1/Credentials/{created['sid']}"
    assert assert_answer(api.get(instance), 200, CREDENTIAL) == created
    updated = assert_answer(api.post(instance, {"Sandbox": "true"}), 200, CREDENTIAL)
    assert_like_an_example(updated, "/v1/Credentials/{Sid}", "post")
    listed = api.get("/v1/Credentials").json()
    assert_page(listed, "/v1/Credentials", "credentials", CREDENTIAL)
    [page] = [e for e in examples("/v1/Credentials", "get") if e["credentials"]]
    assert set(listed["credentials"][0]) == set(page["credentials"][0])


def test_key_material_is_kept_but_never_answered(api: Api, emulator: Emulator) -> None:
    """Certificate, PrivateKey, ApiKey and Secret never appear in an answer, a list or an error."""
    created = api.post("/v1/Credentials", {"Type": "fcm", "ApiKey": "api-key-value", **KEY_MATERIAL})
    answers = [created.text, api.get(created.json()["url"]).text, api.get("/v1/Credentials").text]
    answers.append(api.post(created.json()["url"], {"Secret": "rotated", "Type": "bogus"}).text)
    for text in answers:
        for secret in (*KEY_MATERIAL.values(), "api-key-value", "rotated"):
            assert secret not in text


def test_sdk_manages_a_credential_from_create_to_delete(client: Client) -> None:
    """Twilio's SDK creates, reads, updates, lists and deletes a credential; a deleted one is a 404."""
    credentials = client.conversations.v1.credentials
    created = credentials.create(type="apn", friendly_name="iOS", certificate="c", private_key="k", sandbox=True)
    assert (created.type, created.friendly_name, created.sandbox) == ("apn", "iOS", "True")
    renamed = credentials(created.sid).update(friendly_name="iOS (prod)", sandbox=False)
    assert (renamed.friendly_name, renamed.sandbox, renamed.type) == ("iOS (prod)", "False", "apn")
    assert [c.sid for c in credentials.list()] == [created.sid]
    assert credentials(created.sid).delete() is True
    assert raised(lambda: credentials(created.sid).fetch()).code == 20404


@pytest.mark.parametrize(
    "form",
    [{}, {"Type": "voip"}, {"Type": "apn", "Sandbox": "maybe"}, {"Type": "gcm", "FriendlyName": "x" * 65}],
    ids=["no-type", "unknown-type", "sandbox-not-boolean", "name-too-long"],
)
def test_a_credential_breaking_a_rule_is_refused(api: Api, form: dict[str, str]) -> None:
    """Type is required and one of apn, gcm, fcm; Sandbox a boolean; FriendlyName at most 64 characters."""
    status, code = error(api.post("/v1/Credentials", form))
    assert status == 400 and code in (20001, 50003)
    assert api.get("/v1/Credentials").json()["credentials"] == []


def test_an_unknown_credential_is_a_404(api: Api) -> None:
    """Fetch, update and delete of a credential that does not exist answer 404 / 20404."""
    path = "/v1/Credentials/CR" + "0" * 32
    assert (
        error(api.get(path))
        == error(api.post(path, {"FriendlyName": "x"}))
        == error(api.delete(path))
        == (
            404,
            20404,
        )
    )


def test_credentials_are_kept_in_the_state_file(tmp_path: Path) -> None:
    """A credential comes back after a restart, its key material with it but still unanswered."""
    state = tmp_path / "state.json"
    with Emulator(state_file=state) as first:
        before = Api(first).post("/v1/Credentials", {"Type": "apn", **KEY_MATERIAL}).json()
    data = json.loads(state.read_text(encoding="utf-8"))
    assert data["credentials"][0]["private_key"] == KEY_MATERIAL["PrivateKey"]
    with Emulator(state_file=state) as second:
        [after] = Api(second).get("/v1/Credentials").json()["credentials"]
    assert {**after, "url": None} == {**before, "url": None}  # the second emulator listens on another port
