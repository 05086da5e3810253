"""The command line: `python -m pulumi_twilio_conversations adopt --service IS…` (or `pulumi-twilio-conversations`).

Credentials and endpoint come from the environment only (TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or
TWILIO_API_KEY with TWILIO_API_SECRET; TWILIO_REGION, TWILIO_EDGE, TWILIO_CONVERSATIONS_BASE_URL): the
command does not read a Pulumi stack's config, even when run inside a project, because its secrets can
only be decrypted by the `pulumi` CLI.

Every failure is one line on stderr, without a traceback or a credential: exit code 2 for a wrong
command line (argparse's convention), 1 for missing credentials, a Twilio error or an unwritable file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NoReturn

from .adopt import PAGE_SIZE, STATES, declarations, list_conversations, render_python, render_yaml, wiring
from .errors import SettingsError, TwilioError
from .ids import sid_rule
from .settings import Settings
from .twilio import client_for

PROG = "pulumi-twilio-conversations"


def _service_sid(text: str) -> str:
    try:
        return sid_rule("IS").check(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _version() -> str:
    try:
        return version("pulumi-twilio-conversations")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (without the usage block), exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Tools for Twilio Conversations under Pulumi.")
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    adopt = commands.add_parser(
        "adopt",
        help="write a Pulumi program that adopts a service's existing conversations and their wiring",
        description="List a Conversation Service's conversations, their webhooks, its roles and its webhook and "
        "notification settings, and write a Pulumi program (or the data file of examples/data-driven) that "
        "adopts each one: the first `pulumi up` creates nothing and changes nothing. Credentials come from "
        "TWILIO_* environment variables, not from stack config.",
    )
    adopt.add_argument("--service", required=True, type=_service_sid, metavar="IS…", help="the Conversation Service")
    adopt.add_argument("--state", choices=STATES, help="only conversations in this state (and their webhooks)")
    adopt.add_argument(
        "--addresses",
        action="store_true",
        help="also the account's address configurations that open conversations in this service",
    )
    adopt.add_argument(
        "--users",
        action="store_true",
        help="also the service's users and the fixed participants (an identity or an address) of its conversations",
    )
    adopt.add_argument(
        "--format", choices=("python", "yaml"), default="python", help="a __main__.py, or conversations.yaml"
    )
    adopt.add_argument("--output", type=Path, metavar="FILE", help="write here instead of standard output")
    return parser


def _adopt(args: argparse.Namespace) -> None:
    def progress(what: str, every: int) -> Callable[[int], None]:
        """A report of every `every`-th count, from the first full page on (the listing may take a while)."""

        def report(count: int) -> None:
            if count >= PAGE_SIZE and count % every == 0:
                print(f"listed {what.format(count)} of {args.service}…", file=sys.stderr, flush=True)

        return report

    try:
        settings = Settings.load()
    except SettingsError as exc:
        raise SettingsError(f"{exc} (this command reads only the TWILIO_* environment variables)") from None
    client = client_for(settings)
    found = declarations(
        list_conversations(client, args.service, state=args.state, progress=progress("{} conversations", 1))
    )
    wired = wiring(
        client,
        args.service,
        found,
        addresses=args.addresses,
        users=args.users,
        progress=progress("the webhooks of {} conversations", PAGE_SIZE),
    )
    render = render_yaml if args.format == "yaml" else render_python
    text = render(args.service, found, wired, state=args.state, addresses=args.addresses, users=args.users)
    if args.output is None:
        sys.stdout.write(text)
        return
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {len(found)} conversations and {len(wired)} other resources to {args.output}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        _adopt(args)
    except (TwilioError, OSError, RuntimeError) as exc:
        print(f"{PROG} {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
