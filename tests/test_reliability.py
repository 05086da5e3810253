"""Retries, lost responses and concurrency: no duplicate, no orphan, no retry storm, no leaked token."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from pulumi.runtime.proto import provider_pb2

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator, Faults
from pulumi_twilio_conversations.errors import TwilioApiError
from pulumi_twilio_conversations.settings import Settings
from pulumi_twilio_conversations.twilio import RetryPolicy, TwilioClient

from harness import ProviderError, ProviderServer

pytestmark = pytest.mark.sdk

COLLECTION = "/v1/Services/{ChatServiceSid}/Conversations"


def _client(emulator: Emulator, sleep: Callable[[float], None], max_elapsed: float = 30.0) -> TwilioClient:
    settings = Settings(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, base_url_override=emulator.base_url)
    return TwilioClient(settings, retry=RetryPolicy(max_elapsed=max_elapsed, base_delay=0.01), sleep=sleep)


def test_rate_limits_are_retried_honouring_retry_after(emulator: Emulator, service: str) -> None:
    """A 429 is retried after at least Retry-After seconds, and the request then succeeds once."""
    delays: list[float] = []

    def sleep(seconds: float) -> None:
        delays.append(seconds)
        if len(delays) == 2:
            emulator.faults = Faults()

    emulator.faults = Faults(rate_limit=1.0, retry_after=3)
    created = _client(emulator, sleep).post(
        f"/v1/Services/{service}/Conversations", {"FriendlyName": "x"}, idempotent=False
    )
    assert created["friendly_name"] == "x" and len(emulator.conversations(service)) == 1
    assert len(delays) == 2 and min(delays) >= 3
    assert emulator.counters.faults["rate_limit"] == 2


def test_retries_stop_at_the_time_bound_with_a_clear_error(emulator: Emulator, service: str) -> None:
    """When Twilio keeps answering 503, the client gives up within its time bound and says so."""
    emulator.faults = Faults(server_error=1.0)
    start = time.monotonic()
    with pytest.raises(TwilioApiError, match=r"HTTP 50[03].*Gave up after \d+ attempts in 0.5 s") as error:
        _client(emulator, time.sleep, max_elapsed=0.5).get(f"/v1/Services/{service}")
    assert time.monotonic() - start < 2 and error.value.code in (20500, 20503)


def test_a_create_is_not_repeated_blindly_after_a_5xx(
    emulator: Emulator, service: str, start_provider: Callable[..., ProviderServer]
) -> None:
    """Without a unique name to look for, a create answered 500/503 is not posted twice."""
    provider = start_provider()
    inputs, _ = provider.check(None, {"chat_service_sid": service, "friendly_name": "once"})  # no auto_name
    emulator.faults = Faults(server_error=1.0)
    with pytest.raises(ProviderError, match="may or may not have created it"):
        provider.create(inputs)
    assert emulator.counters.requests[("POST", COLLECTION)] == 1


def test_a_lost_create_response_is_recovered_without_a_duplicate(
    emulator: Emulator, service: str, start_provider: Callable[..., ProviderServer]
) -> None:
    """A create whose answer is lost after Twilio applied it is found by unique name, not created again."""
    provider = start_provider()
    inputs, _ = provider.check(None, {"chat_service_sid": service, "friendly_name": "lost", "unique_name": "lost"})
    emulator.faults = Faults(lost_response=1.0)
    sid, outs = provider.create(inputs)
    assert [c["sid"] for c in emulator.conversations(service)] == [sid] and outs["friendly_name"] == "lost"
    assert emulator.counters.requests[("POST", COLLECTION)] == 1 and emulator.counters.faults["lost_response"] == 1


def test_a_create_in_doubt_is_bounded_by_time_and_never_posted_blindly(
    emulator: Emulator, service: str, start_provider: Callable[..., ProviderServer]
) -> None:
    """A named create answered 5xx, whose lookup keeps failing too, gives up at twilio:maxRetrySeconds.

    While the lookup cannot say whether the first POST was applied, it is not posted again.
    """
    provider = start_provider(TWILIO_MAX_RETRY_SECONDS="1.5")
    inputs, _ = provider.check(None, {"chat_service_sid": service, "friendly_name": "busy", "unique_name": "busy"})
    emulator.faults = Faults(server_error=1.0)
    with pytest.raises(ProviderError, match=r"HTTP 50[03].*Gave up after \d+ attempts in 1.5 s"):
        provider.create(inputs)
    assert emulator.counters.requests[("POST", COLLECTION)] == 1 and emulator.conversations(service) == []
    emulator.faults = Faults()
    sid, _ = provider.create(inputs)  # the engine retries the step: exactly one conversation
    assert [c["sid"] for c in emulator.conversations(service)] == [sid]


@pytest.mark.heavy
def test_a_hundred_creates_under_faults_converge_exactly(
    emulator: Emulator, service: str, start_provider: Callable[..., ProviderServer]
) -> None:
    """100 creates, 4 at a time, under 30 % 429/503 and 10 % lost responses: exactly 100 conversations, no-op after."""
    provider = start_provider()
    checked = [
        provider.check(
            None,
            {
                "chat_service_sid": service,
                "friendly_name": f"c{i}",
                "auto_name": f"c{i}-0000{i:04d}",
                "attributes": {"i": i},
            },
        )[0]
        for i in range(100)
    ]
    emulator.faults = Faults(seed=7, rate_limit=0.15, server_error=0.15, lost_response=0.10, retry_after=0)
    with ThreadPoolExecutor(4) as pool:
        created = list(pool.map(provider.create, checked))
    emulator.faults = Faults()
    held = {c["sid"]: c for c in emulator.conversations(service)}
    assert sorted(held) == sorted(sid for sid, _ in created)  # no duplicate, no orphan
    assert sorted(c["unique_name"] for c in held.values()) == sorted(i["unique_name"] for i in checked)
    assert emulator.counters.faults["lost_response"] > 0 and emulator.counters.faults["server_error"] > 0
    emulator.counters.reset()
    for inputs, (sid, outs) in zip(checked, created, strict=True):
        again, _ = provider.check(inputs, {**inputs, "attributes": outs["attributes"]})
        assert provider.diff(sid, outs, again).changes == provider_pb2.DiffResponse.DIFF_NONE
    assert emulator.counters.writes() == 0


def test_concurrent_calls_share_one_client_safely(emulator: Emulator, service: str) -> None:
    """Many threads on one client (as the provider's 4 workers are) each get their own correct answer."""
    client = _client(emulator, time.sleep)
    names = [f"t{i}" for i in range(40)]
    with ThreadPoolExecutor(8) as pool:
        results = list(
            pool.map(
                lambda n: client.post(f"/v1/Services/{service}/Conversations", {"UniqueName": n}, idempotent=False),
                names,
            )
        )
    assert [r["unique_name"] for r in results] == names and len(emulator.conversations(service)) == 40


def test_provider_output_never_shows_the_token(
    emulator: Emulator, service: str, start_provider: Callable[..., ProviderServer]
) -> None:
    """Across creates, failures and retries, the provider process prints no credential."""
    secret = "tok-SENTINEL-do-not-print-51d3"
    provider = start_provider(TWILIO_AUTH_TOKEN=secret)
    inputs, _ = provider.check(None, {"chat_service_sid": service, "unique_name": "s"})
    with pytest.raises(ProviderError) as error:
        provider.create(inputs)
    provider.close()
    assert secret not in str(error.value) and all(secret not in line for line in provider.output)
