"""Every route the emulator serves answers in the form of Twilio's recorded examples in the spec, key for key.

For each served route whose success answer has examples, the request is the spec's own request example
(each of them, for a write) against a world of one record of every kind (`populate`); the answer must
have the keys, nesting and value types of Twilio's examples of its resource (from any route: a fetch's,
a create's, a page's items), see `mismatch`. Null, and an empty object where Twilio sets keys only when
it has them (`timers: {}`), fit anywhere: Twilio's examples show both. A new
route is covered as soon as it is served; one the world cannot answer fails here until it can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

from emulator_support import WORLD_PHONE, load_spec, populate, real_parameters

SPEC = load_spec()["paths"]
SUCCESS = ("200", "201")
# a list that needs a filter: the query that names the world's records
QUERIES = {"/v1/Services/{ChatServiceSid}/ParticipantConversations": {"Address": WORLD_PHONE}}
# where an answer may have keys Twilio's example for the route lacks, and why
EXTRA_KEYS = {
    # the answer is the conversation, which reads back as itself: its own examples have `links.export`
    ("POST", "/v1/Services/{ChatServiceSid}/ConversationWithParticipants"): {"links.export"},
}
# the account-level tree (`/v1/ParticipantConversations`, …) is the service's: the same queries and keys
QUERIES |= {path.replace("/v1/Services/{ChatServiceSid}", "/v1", 1): query for path, query in QUERIES.items()}
EXTRA_KEYS |= {
    (method, path.replace("/v1/Services/{ChatServiceSid}", "/v1", 1)): keys
    for (method, path), keys in EXTRA_KEYS.items()
}
# request examples whose answer is not compared, and why (a known difference from Twilio)
SKIPPED = {
    # the emulator refuses it: an SMS participant of a group MMS needs no proxy address; the emulator asks for one
    # (the fuzzer's table)
    "createGmmsSmsNoAttributes",
}
_PLACEHOLDER = re.compile(r"([A-Z]{2})a{32}")  # the spec's stand-in SIDs: `RLaaaa…`


@dataclass(frozen=True)
class Answer:
    """What the spec says a route answers with: its status, one resource (`key` None) or a page of them."""

    status: str
    ref: str  # the resource's schema
    key: str | None
    examples: tuple[Any, ...]


def _answer(method: str, path: str) -> Answer | None:
    responses = SPEC[path][method.lower()]["responses"]
    for status in SUCCESS:
        content = responses.get(status, {}).get("content", {}).get("application/json", {})
        schema = content.get("schema", {})
        if "$ref" in schema:
            ref, key = schema["$ref"], None
        else:
            key = next((k for k, v in schema.get("properties", {}).items() if v.get("type") == "array"), None)
            ref = schema.get("properties", {}).get(key, {}).get("items", {}).get("$ref", "")
        if content.get("examples") and ref:
            return Answer(status, ref, key, tuple(example["value"] for example in content["examples"].values()))
    return None


def _pool() -> dict[str, list[Any]]:
    """Every example of each resource Twilio gives, from any route: a fetch's, a create's, a page's items."""
    pool: dict[str, list[Any]] = {}
    for path, operations in SPEC.items():
        for method in operations:
            found = _answer(method, path) if method in ("get", "post") else None
            if found is not None:
                items = [i for e in found.examples for i in e[found.key]] if found.key else list(found.examples)
                pool.setdefault(found.ref, []).extend(items)
    return pool


POOL = _pool()
ROUTES = [(method, path) for method, path in Emulator().routes if _answer(method, path) is not None]


def _requests(method: str, path: str) -> list[dict[str, Any]]:
    """The forms to send: the spec's request examples for a write (or none), nothing for a read."""
    if method != "POST":
        return [{}]
    body = SPEC[path]["post"].get("requestBody", {}).get("content", {})
    found = body.get("application/x-www-form-urlencoded", {}).get("examples", {})
    return [example["value"] for name, example in found.items() if name not in SKIPPED] or [{}]


def _in_world(form: dict[str, Any], world: dict[str, list[str]]) -> dict[str, Any]:
    """The form with each stand-in SID (`RLaaaa…`) of a kind the world has replaced by the world's record."""
    ids = [sid for sids in world.values() for sid in sids]

    def real(value: Any) -> Any:
        match = _PLACEHOLDER.fullmatch(value) if isinstance(value, str) else None
        return next((sid for sid in ids if match and sid.startswith(match.group(1))), value)

    return {key: [real(v) for v in value] if isinstance(value, list) else real(value) for key, value in form.items()}


def mismatch(answer: Any, shown: list[Any], where: str = "", extra: frozenset[str] = frozenset()) -> str | None:
    """Where `answer` departs from the form of every one of Twilio's values `shown` at its place, or None.

    An object must have the keys of one of the objects shown, each of its values fitting theirs; a list's
    items must fit their items; a value, the type of one shown. Null, or `{}`, fits any place; a place
    Twilio shows only null at takes any value.
    """
    given = [value for value in shown if value is not None and value != {}]
    if answer is None or answer == {} or not given:
        return None
    here = where or "the answer"
    if isinstance(answer, dict):
        keys = {key for key in answer if f"{where}.{key}".lstrip(".") not in extra}
        same = [value for value in given if isinstance(value, dict) and set(value) == keys]
        if not same:
            return f"{here}: keys {sorted(keys)}, Twilio's are {[sorted(v) for v in given if isinstance(v, dict)]}"
        for key in keys:
            found = mismatch(answer[key], [value[key] for value in same], f"{where}.{key}".lstrip("."), extra)
            if found is not None:
                return found
        return None
    if isinstance(answer, list):
        lists = [value for value in given if isinstance(value, list)]
        if not lists:
            return f"{here}: a list, Twilio's is {given[0]!r}"
        items = [item for value in lists for item in value]
        return next((m for m in (mismatch(item, items, f"{where}[]", extra) for item in answer) if m), None)
    if not any(_kind(answer) == _kind(value) for value in given):
        return f"{here}: {answer!r}, Twilio's is {given[0]!r}"
    return None


def _kind(value: Any) -> str:
    return "number" if isinstance(value, (int, float)) and not isinstance(value, bool) else type(value).__name__


def _resource_mismatch(answer: Any, ref: str, extra: frozenset[str]) -> str | None:
    return mismatch(answer, POOL[ref], extra=extra)


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: f"{route[0]} {route[1]}")
def test_answers_have_the_form_of_twilios_examples(emulator: Emulator, route: tuple[str, str]) -> None:
    """A served route answers with the keys, nesting and types of Twilio's examples of its resource."""
    method, path = route
    spec = _answer(method, path)
    assert spec is not None
    extra = frozenset(EXTRA_KEYS.get(route, set()))
    session = requests.Session()
    session.auth = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
    try:
        for form in _requests(method, path):
            world = populate(emulator, session)
            parameters = real_parameters(path, world)
            assert all(parameters.values()), f"the world has no record for {path}: add one to populate()"
            url = emulator.base_url + path.format(**{name: ids[0] for name, ids in parameters.items()})
            answer = session.request(method, url, data=_in_world(form, world), params=QUERIES.get(path), timeout=10)
            assert answer.status_code == int(spec.status), (form, answer.text)
            body = answer.json()
            if spec.key is None:
                assert _resource_mismatch(body, spec.ref, extra) is None, (
                    form,
                    _resource_mismatch(body, spec.ref, extra),
                )
                continue
            page = spec.examples[0]
            assert set(body) == set(page) and mismatch(body["meta"], [page["meta"]]) is None, body
            assert body[spec.key], f"an empty page says nothing: the world should have a record for {path}"
            for item in body[spec.key]:
                assert _resource_mismatch(item, spec.ref, extra) is None, _resource_mismatch(item, spec.ref, extra)
    finally:
        session.close()
