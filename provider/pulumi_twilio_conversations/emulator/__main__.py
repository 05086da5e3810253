"""`python -m pulumi_twilio_conversations.emulator` (console script `twilio-conversations-emulator`).

Serves until SIGINT or SIGTERM, then stops cleanly and exits 0. The one line on stdout,
`Twilio Conversations emulator listening on http://HOST:PORT (account AC…)`, says where (with the real
port when started on port 0), so a script can start it and read where to connect.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from .faults import Faults
from .server import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None


def _share(text: str) -> float:
    """A probability flag: a number from 0 to 1 (argparse names the flag when this refuses it)."""
    share = _number(text)
    if not 0.0 <= share <= 1.0:
        raise argparse.ArgumentTypeError(f"must be a share between 0 and 1, got {text!r}")
    return share


def _non_negative(text: str) -> float:
    value = _number(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    env = os.environ
    parser = argparse.ArgumentParser(
        prog="python -m pulumi_twilio_conversations.emulator",
        description="Run a local Twilio Conversations API (services, conversations, participants, messages, "
        "webhooks delivered to loopback) for tests and demos.",
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    add("--port", type=int, default=8089, help="port to listen on; 0 picks a free one (default: %(default)s)")
    add(
        "--account-sid",
        default=env.get("TWILIO_ACCOUNT_SID") or DEFAULT_ACCOUNT_SID,
        help=f"account SID clients authenticate as (default: $TWILIO_ACCOUNT_SID, else {DEFAULT_ACCOUNT_SID})",
    )
    # secrets: the help names where the default comes from, never the value itself
    add(
        "--auth-token",
        default=env.get("TWILIO_AUTH_TOKEN") or DEFAULT_AUTH_TOKEN,
        help=f"auth token for the account (default: $TWILIO_AUTH_TOKEN, else {DEFAULT_AUTH_TOKEN!r})",
    )
    add("--api-key", default=env.get("TWILIO_API_KEY"), help="also accept this API key SID (default: $TWILIO_API_KEY)")
    add("--api-secret", default=env.get("TWILIO_API_SECRET"), help="its secret (default: $TWILIO_API_SECRET)")
    add("--state-file", help="keep the state in this JSON file across restarts (default: in memory only)")
    faults = parser.add_argument_group("fault injection (deterministic for a given seed)")
    add = faults.add_argument
    add("--seed", type=int, default=0, help="seed of the fault sequence (default: %(default)s)")
    add("--rate-limit", type=_share, default=0.0, help="share of requests answered 429 (default: %(default)s)")
    add(
        "--retry-after", type=_non_negative, default=1.0, help="Retry-After of a 429, in seconds (default: %(default)s)"
    )
    add("--server-error", type=_share, default=0.0, help="share of requests answered 500/503 (default: %(default)s)")
    add(
        "--latency-ms",
        type=_non_negative,
        default=0.0,
        help="milliseconds added to every request (default: %(default)s)",
    )
    add(
        "--lost-response",
        type=_share,
        default=0.0,
        help="share of successful writes applied but answered by a closed connection (default: %(default)s)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr (default: off)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.rate_limit + args.server_error > 1:
        parser.error("--rate-limit plus --server-error must not exceed 1")
    try:
        faults = Faults(
            seed=args.seed,
            rate_limit=args.rate_limit,
            retry_after=args.retry_after,
            server_error=args.server_error,
            latency=args.latency_ms / 1000,
            lost_response=args.lost_response,
        )
        emulator = Emulator(
            host=args.host,
            port=args.port,
            account_sid=args.account_sid,
            auth_token=args.auth_token,
            api_key=args.api_key,
            api_secret=args.api_secret,
            state_file=args.state_file,
            faults=faults,
            verbose=args.verbose,
        )
    except ValueError as exc:
        parser.error(str(exc))
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        emulator.start()
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    try:
        banner = f"Twilio Conversations emulator listening on {emulator.base_url} (account {args.account_sid})"
        print(banner, flush=True)
        # stdout keeps its one line for scripts; the page is for people
        print(f"Dashboard: {emulator.dashboard_url} (sign in with the account SID and auth token)", file=sys.stderr)
        stopping.wait()
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
