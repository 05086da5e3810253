"""Benchmark 6: the emulator's latency and throughput, so it is never what benchmarks 2-3 measure.

A few threads, each with its own keep-alive `requests.Session` (as the provider's pooled client
does), alternate a create (POST) and a read of what they created (GET) for a fixed time. The load
is then compared with the fastest rate the engine asked of the emulator in benchmark 2, when that
ran in the same invocation.
"""

from __future__ import annotations

import threading
import time

import requests

from common import Context, Figure, median, percentile, reproduce
from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN

NAME = "emulator"
THREADS = 4
DEMAND_SHARE_TARGET = 0.25


def _client(collection: str, until: float, timings: list[float]) -> None:
    with requests.Session() as session:
        session.auth = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
        while time.monotonic() < until:
            started = time.perf_counter()
            created = session.post(collection, data={"FriendlyName": "Load"})
            middle = time.perf_counter()
            session.get(f"{collection}/{created.json()['sid']}").raise_for_status()
            timings += [middle - started, time.perf_counter() - middle]


def run(context: Context) -> list[Figure]:
    duration = 2.0 if context.quick else 5.0
    collection = f"{context.emulator.base_url}/v1/Services/{context.service()}/Conversations"
    timings: list[list[float]] = [[] for _ in range(THREADS)]
    until = time.monotonic() + duration
    threads = [threading.Thread(target=_client, args=(collection, until, mine)) for mine in timings]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    every = [t * 1000 for mine in timings for t in mine]
    throughput = len(every) / elapsed
    command = reproduce(NAME)
    detail = f"{THREADS} keep-alive sessions, POST + GET alternating, {duration:g} s"
    figures = [
        Figure("emulator p50 latency", median(every), "ms", command, detail=detail),
        Figure("emulator p99 latency", percentile(every, 0.99), "ms", command, detail=detail),
        Figure("emulator throughput", throughput, "req/s", command, detail=detail),
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
