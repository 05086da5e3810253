"""Seeded fault injection (429, 5xx, latency, lost answers) and the counters that say what reached the server."""

from __future__ import annotations

import time
from collections import Counter

import pytest
import requests

from pulumi_twilio_conversations.emulator import Emulator, Faults

from emulator_support import Api, error

CONVERSATIONS = "/v1/Services/{ChatServiceSid}/Conversations"
CONVERSATION = "/v1/Services/{ChatServiceSid}/Conversations/{Sid}"


def test_rate_limit_answers_429_with_retry_after_and_applies_nothing(
    api: Api, emulator: Emulator, service: str, conversations_path: str
) -> None:
    """A rate-limited request gets 429 / 20429 and Retry-After in whole seconds; creates, updates, deletes nothing."""
    sid = emulator.create_conversation(service, FriendlyName="before")["sid"]
    emulator.faults = Faults(rate_limit=1.0, retry_after=2.5)
    answers = [
        api.post(conversations_path, {"FriendlyName": "new"}),
        api.post(f"{conversations_path}/{sid}", {"FriendlyName": "after"}),
        api.delete(f"{conversations_path}/{sid}"),
        api.get(conversations_path),
    ]
    for answer in answers:
        assert error(answer) == (429, 20429)
        assert answer.headers["Retry-After"] == "3"
    assert [c["friendly_name"] for c in emulator.conversations(service)] == ["before"]
    assert emulator.counters.faults == {"rate_limit": 4}

    emulator.faults = Faults()
    assert api.post(conversations_path, {"FriendlyName": "new"}).status_code == 201


def test_server_errors_answer_500_or_503_and_apply_nothing(
    api: Api, emulator: Emulator, service: str, conversations_path: str
) -> None:
    """With server_error=1 every request fails with 500 / 20500 or 503 / 20503, and no write is applied."""
    sid = emulator.create_conversation(service, FriendlyName="before")["sid"]
    emulator.faults = Faults(seed=3, server_error=1.0)
    answers = [api.post(conversations_path, {"FriendlyName": str(n)}) for n in range(12)]
    answers += [
        api.post(f"{conversations_path}/{sid}", {"FriendlyName": "after"}),
        api.delete(f"{conversations_path}/{sid}"),
    ]
    seen = {error(answer) for answer in answers}
    assert seen == {(500, 20500), (503, 20503)}, "both kinds, and nothing else"
    assert [c["friendly_name"] for c in emulator.conversations(service)] == ["before"]
    assert emulator.counters.faults == {"server_error": 14}


def test_a_lost_response_commits_the_write_but_drops_the_connection(
    api: Api, emulator: Emulator, service: str, conversations_path: str
) -> None:
    """The client sees a dropped connection, yet the create, update and delete all happened (seen by later GETs)."""
    emulator.faults = Faults(lost_response=1.0)
    with pytest.raises(requests.ConnectionError):
        api.post(conversations_path, {"UniqueName": "desk", "FriendlyName": "created"})
    assert api.get(f"{conversations_path}/desk").json()["friendly_name"] == "created", "reads are never lost"
    with pytest.raises(requests.ConnectionError):
        api.post(f"{conversations_path}/desk", {"FriendlyName": "updated"})
    assert api.get(f"{conversations_path}/desk").json()["friendly_name"] == "updated"
    with pytest.raises(requests.ConnectionError):
        api.delete(f"{conversations_path}/desk")
    assert error(api.get(f"{conversations_path}/desk")) == (404, 20404)

    assert error(api.post(conversations_path, {"State": "paused"})) == (400, 50378), "a refused write is answered"
    assert emulator.counters.faults == {"lost_response": 3}
    assert [r.status for r in emulator.counters.log if r.method in ("POST", "DELETE")] == [0, 0, 0, 400]


def _outcomes(emulator: Emulator, faults: Faults, count: int = 40) -> list[int | str]:
    """What a client sees for `count` creates under `faults`: the status, or "lost" for a dropped connection."""
    emulator.faults = faults
    service = emulator.create_service("Faults")["sid"]
    api = Api(emulator)
    seen: list[int | str] = []
    try:
        for number in range(count):
            try:
                seen.append(
                    api.post(f"/v1/Services/{service}/Conversations", {"FriendlyName": str(number)}).status_code
                )
            except requests.ConnectionError:
                seen.append("lost")
    finally:
        api.session.close()
    return seen


def test_the_same_seed_gives_the_same_decisions(emulator: Emulator) -> None:
    """Replaying a seed (here or on a fresh emulator) repeats every 429, 5xx and lost answer; another seed differs."""
    faults = Faults(seed=11, rate_limit=0.2, server_error=0.2, lost_response=0.3)
    first = _outcomes(emulator, faults)
    assert {201, 429, "lost"} <= set(first) and {500, 503} & set(first), first
    assert _outcomes(emulator, Faults(seed=11, rate_limit=0.2, server_error=0.2, lost_response=0.3)) == first
    with Emulator(faults=faults) as fresh:
        assert _outcomes(fresh, faults) == first
    assert _outcomes(emulator, Faults(seed=12, rate_limit=0.2, server_error=0.2, lost_response=0.3)) != first


def test_counted_faults_match_what_the_client_saw(emulator: Emulator) -> None:
    """Counters.faults tallies each kind exactly as often as the client met it."""
    seen = Counter(_outcomes(emulator, Faults(seed=5, rate_limit=0.3, server_error=0.3, lost_response=0.3)))
    assert dict(emulator.counters.faults) == {
        "rate_limit": seen[429],
        "server_error": seen[500] + seen[503],
        "lost_response": seen["lost"],
    }
    assert emulator.counters.requests[("POST", CONVERSATIONS)] == 40, "faulted requests reached the server too"


def test_latency_delays_every_answer(api: Api, emulator: Emulator) -> None:
    """With latency set, each answer (including errors) takes at least that long."""
    emulator.faults = Faults(latency=0.15)
    for path in ("/v1/Services", "/v1/Nothing"):
        started = time.monotonic()
        api.get(path)
        assert time.monotonic() - started >= 0.15


def test_counters_count_requests_by_route_and_reset_empties_them(
    api: Api, emulator: Emulator, service: str, conversations_path: str
) -> None:
    """Requests are counted by (method, spec route); reset() empties requests, faults and the log."""
    sid = api.post(conversations_path, {"FriendlyName": "a"}).json()["sid"]
    api.get(conversations_path)
    api.get(conversations_path)
    api.get(f"{conversations_path}/{sid}")
    api.delete(f"{conversations_path}/{sid}")
    api.get("/v1/Nothing")
    emulator.faults = Faults(rate_limit=1.0)
    api.get("/v1/Services")
    assert dict(emulator.counters.requests) == {
        ("POST", CONVERSATIONS): 1,
        ("GET", CONVERSATIONS): 2,
        ("GET", CONVERSATION): 1,
        ("DELETE", CONVERSATION): 1,
        ("GET", "/v1/Nothing"): 1,
        ("GET", "/v1/Services"): 1,
    }
    assert emulator.counters.faults == {"rate_limit": 1}
    assert emulator.counters.writes() == 2 and len(emulator.counters.log) == 7

    emulator.counters.reset()
    assert not emulator.counters.requests and not emulator.counters.faults and emulator.counters.log == []
    assert emulator.counters.writes() == 0
    api.get("/v1/Services")
    assert dict(emulator.counters.requests) == {("GET", "/v1/Services"): 1}, "counting goes on after a reset"
