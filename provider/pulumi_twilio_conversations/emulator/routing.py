"""What a family's route table is made of, and the answers its handlers give.

A family lists its routes relative to where they are mounted: `Route("/Conversations/<Sid>", "GET", …)`.
A `Scope` mounts a table under a prefix and says which service the routes act on: `SERVICE` takes it
from the path (`/v1/Services/<ChatServiceSid>/…`); `ACCOUNT` routes are the account's own
(`/v1/Services`, `/v1/Configuration/Addresses`). Twilio serves the service tree a second time at the
account level (`/v1/Conversations/…`, `/v1/Roles`, acting on the service `/v1/Configuration` names):
that is the same table mounted again, under a scope whose `service` reads the account's default, not a
copy of the handlers: `EmulatorApp(service_scopes=(SERVICE, ACCOUNT_LEVEL))`, as the `Emulator` mounts it
(`families.account`). Its answers are those of the service tree with the URLs of `/v1/…` (`Call.answer`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Response

from .paging import PageRequest, Position, paginate
from .records import JsonObject, Record
from .state import Kind, Seed, State, TargetFinder

Handler = Callable[["Call"], Response]


@dataclass(frozen=True)
class Route:
    path: str  # under its scope, in werkzeug's spelling: `/Conversations/<Sid>`
    method: str
    handler: Handler
    account_level: bool = True  # a service route Twilio also serves at the account level, on the default service


@dataclass(frozen=True)
class Scope:
    """Where a route table is mounted, and how the service its routes act on is found.

    A scope that is not `full` takes only the service routes Twilio also serves at the account level
    (`/v1/Conversations` is the default service's; `/v1/Configuration` is the account's, not a service's).
    A scope that `rebases` answers with the URLs of its own prefix (`…/v1/Conversations/CH…`, as Twilio's
    account-level tree does), not those of the service tree (`…/v1/Services/IS…/Conversations/CH…`).
    """

    prefix: str
    service: Callable[[Mapping[str, str], State], str | None]
    full: bool = True
    rebases: bool = False


ACCOUNT = Scope("/v1", lambda args, state: None)
SERVICE = Scope("/v1/Services/<ChatServiceSid>", lambda args, state: args["ChatServiceSid"])
EMULATOR = Scope("/emulator", lambda args, state: None)  # the emulator's own routes, which Twilio does not have


@dataclass(frozen=True)
class Family:
    """One resource family as the application collects it: its kinds of record, its routes, and what it adds to
    the writes of others (the seeds of a new record, the targets of an event)."""

    name: str
    kinds: tuple[Kind[Any], ...] = ()
    service_routes: tuple[Route, ...] = ()  # mounted under every service scope (see `Scope.full`)
    account_routes: tuple[Route, ...] = ()
    emulator_routes: tuple[Route, ...] = ()
    seeds: tuple[Seed[Any], ...] = ()
    targets: tuple[TargetFinder, ...] = ()


@dataclass(frozen=True)
class Call:
    """One routed request, as the handlers need it."""

    state: State
    account_sid: str
    service_sid: str | None  # the service the scope names; None for the account's own routes
    args: dict[str, str]
    form: dict[str, str]  # a repeated key keeps its last value
    source: str | None  # `API` when the request asks for webhooks (X-Twilio-Webhook-Enabled: true), else None
    lists: dict[str, list[str]]  # every value of every key, for the repeated ones (`Filters`, `Permission`)
    query: dict[str, str]
    base: str  # scheme://host the client used, for `url`, `links` and paging links
    path: str  # the path the client asked for (a list's `url` in paging)
    mount: str | None = None  # where the service tree is mounted again (`/v1`), when the route is served there

    def answer(self, body: JsonObject, status: int = 200) -> Response:
        """`body` as JSON; under a mount of the service tree, its URLs as that mount serves them (see `rebased`)."""
        if self.mount is not None and self.service_sid is not None:
            body = rebased(body, f"{self.base}/v1/Services/{self.service_sid}/", f"{self.base}{self.mount}/")
            body = unscoped_below(body, f"{self.base}{self.mount}/Conversations/")
        return json_answer(body, status)

    @property
    def service(self) -> str:
        """The service a service-scoped route acts on."""
        assert self.service_sid is not None, "a route mounted where no service is named"
        return self.service_sid

    def record(self, record: Record, status: int = 200) -> Response:
        return self.answer(record.render(self.account_sid, self.base), status)

    def page(
        self,
        key: str,
        items: Sequence[Record],
        position: Callable[[Any], Position] | None = None,
        filters: Sequence[tuple[str, str]] = (),
    ) -> Response:
        """A list answer: the requested page of `items` (in creation order unless `position` says otherwise)."""
        chosen, meta = paginate(
            items,
            position or by_creation,
            PageRequest.from_query(self.query),
            key=key,
            url=self.base + self.path,
            filters=filters,
        )
        return self.answer({key: [item.render(self.account_sid, self.base) for item in chosen], "meta": meta})


def by_creation(record: Record) -> Position:
    return (record.seq,)


def rebased(value: Any, old: str, new: str) -> Any:
    """`value` with every text that starts with `old` starting with `new` instead, however deep.

    Twilio answers a record with the URLs of the tree it was asked under: the conversation fetched at
    `/v1/Conversations/CH…` has `url` `…/v1/Conversations/CH…` and links under it (the spec's examples).
    """
    if isinstance(value, str):
        return new + value[len(old) :] if value.startswith(old) else value
    if isinstance(value, dict):
        return {key: rebased(item, old, new) for key, item in value.items()}
    if isinstance(value, list):
        return [rebased(item, old, new) for item in value]
    return value


def unscoped_below(value: Any, conversations: str) -> Any:
    """`value` without `chat_service_sid` in the records that belong to a conversation served at `conversations`.

    Twilio's account-level schemas of what is below a conversation (`/v1/Conversations/CH…/Participants/…`,
    `…/Messages/…`, `…/Webhooks/…`, receipts) have no `chat_service_sid`, where the service tree's have one; the
    conversation itself, roles, users and a user's conversations keep it (the spec's schemas and examples).
    """
    if isinstance(value, list):
        return [unscoped_below(item, conversations) for item in value]
    if not isinstance(value, dict):
        return value
    url = value.get("url")
    below = isinstance(url, str) and url.startswith(conversations) and "/" in url[len(conversations) :]
    return {
        key: unscoped_below(item, conversations)
        for key, item in value.items()
        if not (below and key == "chat_service_sid")
    }


def json_answer(body: JsonObject, status: int = 200) -> Response:
    return Response(json.dumps(body), status, content_type="application/json")


def no_content() -> Response:
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


def template(rule: str) -> str:
    """`/v1/Services/<Sid>` -> `/v1/Services/{Sid}`, the spec's spelling."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)
