"""Benchmark 6: the emulator's latency and throughput, so it is never what benchmarks 2-3 measure.

A few threads, each with its own keep-alive `requests.Session` (as the provider's pooled client
does), alternate a create (POST) and a read of what they created (GET) for a fixed time. The load
is then compared with the fastest rate the engine asked of the emulator in benchmark 2, when that
ran in the same invocation.

The same load runs once more with webhooks on: every create asks for them (X-Twilio-Webhook-Enabled)
and the service posts onConversationAdded to a receiver that takes 2 s to answer. Delivery runs on the
emulator's worker threads, so the API's throughput should not move; the row says by how much it did.
"""

from __future__ import annotations

import threading
import time

import requests

from common import Context, Figure, median, percentile, reproduce
from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

NAME = "emulator"
THREADS = 4
DEMAND_SHARE_TARGET = 0.25
RECEIVER_DELAY = 2.0  # seconds the webhook receiver takes to answer
WEBHOOK_SLOWDOWN_TARGET = 1.10  # throughput without webhooks / with them


def _client(collection: str, until: float, timings: list[float], headers: dict[str, str]) -> None:
    with requests.Session() as session:
        session.auth = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
        session.headers.update(headers)
        while time.monotonic() < until:
            started = time.perf_counter()
            created = session.post(collection, data={"FriendlyName": "Load"})
            middle = time.perf_counter()
            session.get(f"{collection}/{created.json()['sid']}").raise_for_status()
            timings += [middle - started, time.perf_counter() - middle]


def _load(collection: str, duration: float, headers: dict[str, str]) -> tuple[list[float], float]:
    """Every request's latency (ms) and the requests per second served, `THREADS` clients for `duration` s."""
    timings: list[list[float]] = [[] for _ in range(THREADS)]
    until = time.monotonic() + duration
    threads = [threading.Thread(target=_client, args=(collection, until, mine, headers)) for mine in timings]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    every = [t * 1000 for mine in timings for t in mine]
    return every, len(every) / elapsed


def _with_slow_webhooks(emulator: Emulator, service: str, duration: float) -> tuple[list[float], float, int]:
    """The load again, every create firing onConversationAdded at a receiver that takes 2 s; deliveries made."""
    collection = f"{emulator.base_url}/v1/Services/{service}/Conversations"
    settings = f"{emulator.base_url}/v1/Services/{service}/Configuration/Webhooks"
    auth = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
    with emulator.receiver(delay=RECEIVER_DELAY) as slow:
        form = {"PostWebhookUrl": slow.url, "Filters": "onConversationAdded"}
        requests.post(settings, data=form, auth=auth, timeout=10).raise_for_status()
        every, throughput = _load(collection, duration, {"X-Twilio-Webhook-Enabled": "true"})
        answered = len(slow.requests)
    # the receiver is gone: what is still queued fails fast (connection refused) and the queue drains
    emulator.wait_for_deliveries(timeout=60)
    requests.post(settings, data={"PostWebhookUrl": "", "Filters": ""}, auth=auth, timeout=10).raise_for_status()
    return every, throughput, answered


def run(context: Context) -> list[Figure]:
    duration = 2.0 if context.quick else 5.0
    collection = f"{context.emulator.base_url}/v1/Services/{context.service()}/Conversations"
    every, throughput = _load(collection, duration, {})
    command = reproduce(NAME)
    detail = f"{THREADS} keep-alive sessions, POST + GET alternating, {duration:g} s"
    hooked, hooked_throughput, answered = _with_slow_webhooks(context.emulator, context.service(), duration)
    figures = [
        Figure("emulator p50 latency", median(every), "ms", command, detail=detail),
        Figure("emulator p99 latency", percentile(every, 0.99), "ms", command, detail=detail),
        Figure("emulator throughput", throughput, "req/s", command, detail=detail),
        Figure(
            "emulator throughput, webhooks to a 2 s receiver",
            hooked_throughput,
            "req/s",
            command,
            detail=f"the same load, every create posting onConversationAdded to a receiver that sleeps "
            f"{RECEIVER_DELAY:g} s ({answered} answered meanwhile); p50 {median(hooked):.1f} ms, "
            f"p99 {percentile(hooked, 0.99):.1f} ms",
        ),
        Figure(
            "emulator slowdown from a slow webhook receiver",
            throughput / hooked_throughput,
            "x",
            command,
            WEBHOOK_SLOWDOWN_TARGET,
            f"{throughput:.0f} req/s without webhooks / {hooked_throughput:.0f} req/s with them",
        ),
    ]
    if context.peak_demand:
        figures.append(
            Figure(
                "emulator load: busiest up / capacity",
                context.peak_demand / throughput,
                "x",
                command,
                DEMAND_SHARE_TARGET,
                f"{context.peak_demand:.0f} req/s (mean of the busiest `pulumi up`) / {throughput:.0f} req/s served",
            )
        )
    return figures
