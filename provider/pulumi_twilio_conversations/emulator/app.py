"""The emulator's WSGI application: routing, Basic auth, faults, Twilio's error bodies and paging.

A request goes: read the body, wait the injected latency, route, authenticate, maybe refuse it with
an injected 429/5xx (nothing applied), apply it to the store, maybe lose the answer (applied, but
`DropResponse` tells the server to close the connection without a byte), record it. Routes are the
spec's paths; their templates (`/v1/Services/{ChatServiceSid}/Conversations`) name them in `Counters`.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect, Rule
from werkzeug.wrappers import Request, Response

from . import errors
from .counters import WRITE_METHODS, Counters, RecordedRequest
from .dashboard import Dashboard, StateView
from .errors import ApiError, not_found
from .events import Dispatcher
from .faults import FaultInjector
from .paging import PageRequest, Position, paginate
from .resources import (
    AddressConfiguration,
    Conversation,
    ConversationWebhook,
    JsonObject,
    Message,
    Participant,
    Role,
    Service,
)
from .rules import ADDRESS_TYPES, check_choice, parse_message_order, require
from .store import Store

_log = logging.getLogger(__name__)

SERVICES = "/v1/Services"
SERVICE = "/v1/Services/<Sid>"
CONFIGURATION = "/v1/Services/<ChatServiceSid>/Configuration"
CONVERSATIONS = "/v1/Services/<ChatServiceSid>/Conversations"
CONVERSATION = "/v1/Services/<ChatServiceSid>/Conversations/<Sid>"
SERVICE_WEBHOOKS = "/v1/Services/<ChatServiceSid>/Configuration/Webhooks"
NOTIFICATIONS = "/v1/Services/<ChatServiceSid>/Configuration/Notifications"
ROLES = "/v1/Services/<ChatServiceSid>/Roles"
ROLE = "/v1/Services/<ChatServiceSid>/Roles/<Sid>"
ADDRESSES = "/v1/Configuration/Addresses"
ADDRESS = "/v1/Configuration/Addresses/<Sid>"
WEBHOOKS = "/v1/Services/<ChatServiceSid>/Conversations/<ConversationSid>/Webhooks"
WEBHOOK = "/v1/Services/<ChatServiceSid>/Conversations/<ConversationSid>/Webhooks/<Sid>"
PARTICIPANTS = "/v1/Services/<ChatServiceSid>/Conversations/<ConversationSid>/Participants"
PARTICIPANT = "/v1/Services/<ChatServiceSid>/Conversations/<ConversationSid>/Participants/<Sid>"
MESSAGES = "/v1/Services/<ChatServiceSid>/Conversations/<ConversationSid>/Messages"
MESSAGE = "/v1/Services/<ChatServiceSid>/Conversations/<ConversationSid>/Messages/<Sid>"
# The emulator's own routes, outside Twilio's /v1 (and outside `routes`, which lists the spec's)
INBOUND = "/emulator/inbound"
DELIVERIES = "/emulator/deliveries"


class DropResponse(Exception):
    """Raised after a write committed when its answer is to be lost: the server closes the connection."""


@dataclass(frozen=True)
class Credentials:
    """Who may call: the account SID with its auth token, and an API key with its secret when given."""

    account_sid: str
    auth_token: str
    api_key: str | None = None
    api_secret: str | None = None

    def accept(self, username: str, password: str) -> bool:
        pairs = [(self.account_sid, self.auth_token)]
        if self.api_key is not None and self.api_secret is not None:
            pairs.append((self.api_key, self.api_secret))
        # compare every pair in full, so timing says nothing about which part was wrong
        matches = [_same(username, user) & _same(password, secret) for user, secret in pairs]
        return any(matches)


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


Handler = Callable[["_Call"], Response]


@dataclass(frozen=True)
class _Call:
    """One routed request, as the handlers need it."""

    args: dict[str, str]
    form: dict[str, str]  # a repeated key keeps its last value
    source: str | None  # `API` when the request asks for webhooks (X-Twilio-Webhook-Enabled: true), else None
    lists: dict[str, list[str]]  # every value of every key, for the repeated ones (`Filters`, `Permission`)
    query: dict[str, str]
    base: str  # scheme://host the client used, for `url`, `links` and paging links


class EmulatorApp:
    """Twilio Conversations' endpoints over a `Store`: services and their configuration, webhooks, push
    notifications and roles; conversations and their webhooks; the account's address configurations."""

    def __init__(
        self,
        store: Store,
        credentials: Credentials,
        injector: FaultInjector,
        counters: Counters,
        sleep: Callable[[float], None] = time.sleep,
        dispatcher: Dispatcher | None = None,
    ) -> None:
        self.store = store
        self.dispatcher = dispatcher
        self.credentials = credentials
        self.injector = injector
        self.counters = counters
        self._sleep = sleep
        self._handlers: dict[tuple[str, str], Handler] = {
            (SERVICES, "GET"): self._list_services,
            (SERVICES, "POST"): self._create_service,
            (SERVICE, "GET"): self._fetch_service,
            (SERVICE, "DELETE"): self._delete_service,
            (CONFIGURATION, "GET"): self._fetch_configuration,
            (CONFIGURATION, "POST"): self._update_configuration,
            (CONVERSATIONS, "GET"): self._list_conversations,
            (CONVERSATIONS, "POST"): self._create_conversation,
            (CONVERSATION, "GET"): self._fetch_conversation,
            (CONVERSATION, "POST"): self._update_conversation,
            (CONVERSATION, "DELETE"): self._delete_conversation,
            (SERVICE_WEBHOOKS, "GET"): self._fetch_service_webhooks,
            (SERVICE_WEBHOOKS, "POST"): self._update_service_webhooks,
            (NOTIFICATIONS, "GET"): self._fetch_notifications,
            (NOTIFICATIONS, "POST"): self._update_notifications,
            (ROLES, "GET"): self._list_roles,
            (ROLES, "POST"): self._create_role,
            (ROLE, "GET"): self._fetch_role,
            (ROLE, "POST"): self._update_role,
            (ROLE, "DELETE"): self._delete_role,
            (ADDRESSES, "GET"): self._list_addresses,
            (ADDRESSES, "POST"): self._create_address,
            (ADDRESS, "GET"): self._fetch_address,
            (ADDRESS, "POST"): self._update_address,
            (ADDRESS, "DELETE"): self._delete_address,
            (WEBHOOKS, "GET"): self._list_webhooks,
            (WEBHOOKS, "POST"): self._create_webhook,
            (WEBHOOK, "GET"): self._fetch_webhook,
            (WEBHOOK, "POST"): self._update_webhook,
            (WEBHOOK, "DELETE"): self._delete_webhook,
            (PARTICIPANTS, "GET"): self._list_participants,
            (PARTICIPANTS, "POST"): self._create_participant,
            (PARTICIPANT, "GET"): self._fetch_participant,
            (PARTICIPANT, "POST"): self._update_participant,
            (PARTICIPANT, "DELETE"): self._delete_participant,
            (MESSAGES, "GET"): self._list_messages,
            (MESSAGES, "POST"): self._create_message,
            (MESSAGE, "GET"): self._fetch_message,
            (MESSAGE, "POST"): self._update_message,
            (MESSAGE, "DELETE"): self._delete_message,
            (INBOUND, "POST"): self._inbound,
            (DELIVERIES, "GET"): self._deliveries,
        }
        self._handlers.update(Dashboard(StateView(store, dispatcher, credentials.account_sid)).routes)
        paths = dict.fromkeys(path for path, _ in self._handlers)
        self._map = Map(
            [Rule(path, endpoint=path, methods=[m for p, m in self._handlers if p == path]) for path in paths],
            merge_slashes=False,
        )

    @property
    def routes(self) -> list[tuple[str, str]]:
        """Twilio's routes served, (method, template), as the spec has it: `("GET", "/v1/Services/{Sid}")`."""
        return [(method, _template(path)) for path, method in self._handlers if path.startswith("/v1/")]

    @property
    def emulator_routes(self) -> list[tuple[str, str]]:
        """The emulator's own routes (inbound messages, webhook deliveries), which Twilio does not have."""
        return [(method, path) for path, method in self._handlers if not path.startswith("/v1/")]

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        response = self.respond(Request(environ))
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        """Twilio's answer to one request (raises `DropResponse` when a fault loses it)."""
        fault: str | None = None
        own = False
        form: dict[str, str] = {}
        rule = request.path
        try:
            form = _last_values(request.form)
            if self.injector.latency > 0:
                self._sleep(self.injector.latency)
            rule, args = self._route(request)
            self._authenticate(request)
            own = rule.startswith("/emulator/")  # the emulator's own routes are the test's, and never fault
            refusal = None if own else self.injector.before_applying()
            if refusal is not None:
                fault = refusal.kind
                raise refusal.error
            method = "GET" if request.method == "HEAD" else request.method
            lists = request.form.to_dict(flat=False)
            enabled = request.headers.get("X-Twilio-Webhook-Enabled", "").strip().lower() == "true"
            base = request.host_url.rstrip("/")
            call = _Call(args, form, "API" if enabled else None, lists, _last_values(request.args), base)
            response = self._handlers[(rule, method)](call)
        except ApiError as exc:
            response = _error(exc)
        except HTTPException as exc:  # the body could not be read (too large, malformed)
            response = _error(ApiError(exc.code or 400, errors.INVALID_PARAMETER, exc.description or exc.name))
        except Exception:
            _log.exception("unexpected error answering %s %s", request.method, request.path)
            response = _error(ApiError(500, errors.INTERNAL_SERVER_ERROR, "Internal Server Error"))
        lost = (
            fault is None
            and not own
            and request.method in WRITE_METHODS
            and response.status_code < 300
            and self.injector.loses_response()
        )
        if lost:
            fault = "lost_response"
        self.counters.record(
            RecordedRequest(
                method=request.method,
                path=request.path,
                route=_template(rule),
                form=form,
                query=_last_values(request.args),
                headers={key: value for key, value in request.headers.items() if key.lower() != "authorization"},
                status=0 if lost else response.status_code,
            ),
            fault,
        )
        if lost:
            raise DropResponse
        return response

    def _route(self, request: Request) -> tuple[str, dict[str, str]]:
        """The matched rule (a path with `<Name>` parts) and its arguments; 404 or 405 when none fits."""
        adapter = self._map.bind_to_environ(request.environ)
        try:
            rule, args = adapter.match(return_rule=True)
        except MethodNotAllowed as exc:
            allowed = sorted(exc.valid_methods or [])
            raise ApiError(
                405, errors.METHOD_NOT_ALLOWED, "Method not allowed", {"Allow": ", ".join(allowed)}
            ) from None
        except (NotFound, RequestRedirect):
            raise not_found(request.path) from None
        return str(rule.rule), dict(args)

    def _authenticate(self, request: Request) -> None:
        auth = request.authorization
        if (
            auth is None
            or auth.type != "basic"
            or not self.credentials.accept(auth.username or "", auth.password or "")
        ):
            raise ApiError(401, errors.AUTHENTICATE, "Authenticate", {"WWW-Authenticate": 'Basic realm="Twilio API"'})

    # Services

    def _list_services(self, call: _Call) -> Response:
        return self._page(call, self.store.services(), _by_creation, "services", f"{call.base}/v1/Services", [])

    def _create_service(self, call: _Call) -> Response:
        return self._json(self.store.create_service(call.form).render(self.credentials.account_sid, call.base), 201)

    def _fetch_service(self, call: _Call) -> Response:
        return self._json(self.store.service(call.args["Sid"]).render(self.credentials.account_sid, call.base))

    def _delete_service(self, call: _Call) -> Response:
        self.store.delete_service(call.args["Sid"])
        return _no_content()

    def _fetch_configuration(self, call: _Call) -> Response:
        sid = call.args["ChatServiceSid"]
        return self._json(self.store.configuration(sid).render(sid, call.base))

    def _update_configuration(self, call: _Call) -> Response:
        sid = call.args["ChatServiceSid"]
        return self._json(self.store.update_configuration(sid, call.form).render(sid, call.base))

    # Conversations

    def _list_conversations(self, call: _Call) -> Response:
        service = call.args["ChatServiceSid"]
        filters = [(name, call.query[name]) for name in ("State", "StartDate", "EndDate") if name in call.query]
        found = self.store.conversations(
            service, state=call.query.get("State"), start=call.query.get("StartDate"), end=call.query.get("EndDate")
        )
        newest_first = "StartDate" in call.query or "EndDate" in call.query
        position = _newest_first if newest_first else _by_creation
        url = f"{call.base}/v1/Services/{service}/Conversations"
        return self._page(call, found, position, "conversations", url, filters)

    def _create_conversation(self, call: _Call) -> Response:
        created = self.store.create_conversation(call.args["ChatServiceSid"], call.form, call.source)
        return self._json(created.render(self.credentials.account_sid, call.base), 201)

    def _fetch_conversation(self, call: _Call) -> Response:
        found = self.store.conversation(call.args["ChatServiceSid"], call.args["Sid"])
        return self._json(found.render(self.credentials.account_sid, call.base))

    def _update_conversation(self, call: _Call) -> Response:
        updated = self.store.update_conversation(call.args["ChatServiceSid"], call.args["Sid"], call.form, call.source)
        return self._json(updated.render(self.credentials.account_sid, call.base))

    def _delete_conversation(self, call: _Call) -> Response:
        self.store.delete_conversation(call.args["ChatServiceSid"], call.args["Sid"], call.source)
        return _no_content()

    # Service settings

    def _fetch_service_webhooks(self, call: _Call) -> Response:
        sid = call.args["ChatServiceSid"]
        return self._json(self.store.service_webhooks(sid).render(self.credentials.account_sid, sid, call.base))

    def _update_service_webhooks(self, call: _Call) -> Response:
        sid = call.args["ChatServiceSid"]
        updated = self.store.update_service_webhooks(sid, call.form, call.lists)
        return self._json(updated.render(self.credentials.account_sid, sid, call.base))

    def _fetch_notifications(self, call: _Call) -> Response:
        sid = call.args["ChatServiceSid"]
        return self._json(self.store.notifications(sid).render(self.credentials.account_sid, sid, call.base))

    def _update_notifications(self, call: _Call) -> Response:
        sid = call.args["ChatServiceSid"]
        updated = self.store.update_notifications(sid, call.form)
        return self._json(updated.render(self.credentials.account_sid, sid, call.base))

    # Roles

    def _list_roles(self, call: _Call) -> Response:
        service = call.args["ChatServiceSid"]
        url = f"{call.base}/v1/Services/{service}/Roles"
        return self._page(call, self.store.roles(service), _by_creation, "roles", url, [])

    def _create_role(self, call: _Call) -> Response:
        created = self.store.create_role(call.args["ChatServiceSid"], call.form, call.lists)
        return self._json(created.render(self.credentials.account_sid, call.base), 201)

    def _fetch_role(self, call: _Call) -> Response:
        found = self.store.role(call.args["ChatServiceSid"], call.args["Sid"])
        return self._json(found.render(self.credentials.account_sid, call.base))

    def _update_role(self, call: _Call) -> Response:
        updated = self.store.update_role(call.args["ChatServiceSid"], call.args["Sid"], call.lists)
        return self._json(updated.render(self.credentials.account_sid, call.base))

    def _delete_role(self, call: _Call) -> Response:
        self.store.delete_role(call.args["ChatServiceSid"], call.args["Sid"])
        return _no_content()

    # Address configurations

    def _list_addresses(self, call: _Call) -> Response:
        found = self.store.addresses(call.query.get("Type"))
        filters = [("Type", call.query["Type"])] if "Type" in call.query else []
        url = f"{call.base}/v1/Configuration/Addresses"
        return self._page(call, found, _by_creation, "address_configurations", url, filters)

    def _create_address(self, call: _Call) -> Response:
        created = self.store.create_address(call.form, call.lists)
        return self._json(created.render(self.credentials.account_sid, call.base), 201)

    def _fetch_address(self, call: _Call) -> Response:
        return self._json(self.store.address(call.args["Sid"]).render(self.credentials.account_sid, call.base))

    def _update_address(self, call: _Call) -> Response:
        updated = self.store.update_address(call.args["Sid"], call.form, call.lists)
        return self._json(updated.render(self.credentials.account_sid, call.base))

    def _delete_address(self, call: _Call) -> Response:
        self.store.delete_address(call.args["Sid"])
        return _no_content()

    # Conversation-scoped webhooks

    def _list_webhooks(self, call: _Call) -> Response:
        service, conversation = call.args["ChatServiceSid"], call.args["ConversationSid"]
        url = f"{call.base}/v1/Services/{service}/Conversations/{conversation}/Webhooks"
        return self._page(call, self.store.webhooks(service, conversation), _by_creation, "webhooks", url, [])

    def _create_webhook(self, call: _Call) -> Response:
        service, conversation = call.args["ChatServiceSid"], call.args["ConversationSid"]
        created = self.store.create_webhook(service, conversation, call.form, call.lists)
        return self._json(created.render(self.credentials.account_sid, call.base), 201)

    def _fetch_webhook(self, call: _Call) -> Response:
        found = self.store.webhook(call.args["ChatServiceSid"], call.args["ConversationSid"], call.args["Sid"])
        return self._json(found.render(self.credentials.account_sid, call.base))

    def _update_webhook(self, call: _Call) -> Response:
        service, conversation = call.args["ChatServiceSid"], call.args["ConversationSid"]
        updated = self.store.update_webhook(service, conversation, call.args["Sid"], call.form, call.lists)
        return self._json(updated.render(self.credentials.account_sid, call.base))

    def _delete_webhook(self, call: _Call) -> Response:
        self.store.delete_webhook(call.args["ChatServiceSid"], call.args["ConversationSid"], call.args["Sid"])
        return _no_content()

    # Participants and messages

    def _list_participants(self, call: _Call) -> Response:
        service, conversation = call.args["ChatServiceSid"], call.args["ConversationSid"]
        url = f"{call.base}/v1/Services/{service}/Conversations/{conversation}/Participants"
        found = self.store.participants(service, conversation)
        return self._page(call, found, _by_creation, "participants", url, [])

    def _create_participant(self, call: _Call) -> Response:
        service, conversation = call.args["ChatServiceSid"], call.args["ConversationSid"]
        created = self.store.create_participant(service, conversation, call.form, call.source)
        return self._json(created.render(self.credentials.account_sid, call.base), 201)

    def _fetch_participant(self, call: _Call) -> Response:
        found = self.store.participant(call.args["ChatServiceSid"], call.args["ConversationSid"], call.args["Sid"])
        return self._json(found.render(self.credentials.account_sid, call.base))

    def _update_participant(self, call: _Call) -> Response:
        service, conversation, sid = call.args["ChatServiceSid"], call.args["ConversationSid"], call.args["Sid"]
        updated = self.store.update_participant(service, conversation, sid, call.form, call.source)
        return self._json(updated.render(self.credentials.account_sid, call.base))

    def _delete_participant(self, call: _Call) -> Response:
        service, conversation, sid = call.args["ChatServiceSid"], call.args["ConversationSid"], call.args["Sid"]
        self.store.delete_participant(service, conversation, sid, call.source)
        return _no_content()

    def _list_messages(self, call: _Call) -> Response:
        service, conversation = call.args["ChatServiceSid"], call.args["ConversationSid"]
        order = parse_message_order(call.query)
        url = f"{call.base}/v1/Services/{service}/Conversations/{conversation}/Messages"
        found = self.store.messages(service, conversation)
        if order == "desc":
            found.reverse()
        position = _newest_message_first if order == "desc" else _by_creation
        filters = [("Order", order)] if "Order" in call.query else []
        return self._page(call, found, position, "messages", url, filters)

    def _create_message(self, call: _Call) -> Response:
        service, conversation = call.args["ChatServiceSid"], call.args["ConversationSid"]
        created = self.store.create_message(service, conversation, call.form, call.source)
        return self._json(created.render(self.credentials.account_sid, call.base), 201)

    def _fetch_message(self, call: _Call) -> Response:
        found = self.store.message(call.args["ChatServiceSid"], call.args["ConversationSid"], call.args["Sid"])
        return self._json(found.render(self.credentials.account_sid, call.base))

    def _update_message(self, call: _Call) -> Response:
        service, conversation, sid = call.args["ChatServiceSid"], call.args["ConversationSid"], call.args["Sid"]
        updated = self.store.update_message(service, conversation, sid, call.form, call.source)
        return self._json(updated.render(self.credentials.account_sid, call.base))

    def _delete_message(self, call: _Call) -> Response:
        service, conversation, sid = call.args["ChatServiceSid"], call.args["ConversationSid"], call.args["Sid"]
        self.store.delete_message(service, conversation, sid, call.source)
        return _no_content()

    # The emulator's own: inbound messages and the record of webhook deliveries

    def _inbound(self, call: _Call) -> Response:
        """`POST /emulator/inbound` with `Type`, `From`, `To`, `Body`: a message arrives at a Twilio address."""
        channel = check_choice(require(call.form, "Type"), "Type", ADDRESS_TYPES)
        landed = self.store.inbound(
            channel, require(call.form, "From"), require(call.form, "To"), call.form.get("Body", "")
        )
        return self._json({"conversation_sid": landed.sid, "chat_service_sid": landed.chat_service_sid}, 201)

    def _deliveries(self, call: _Call) -> Response:
        """`GET /emulator/deliveries`: every webhook delivery attempt so far, oldest first."""
        deliveries = self.dispatcher.deliveries if self.dispatcher is not None else []
        return self._json({"deliveries": [delivery.to_json() for delivery in deliveries]})

    # Shared

    def _page(
        self,
        call: _Call,
        items: list[Any],
        position: Callable[[Any], Position],
        key: str,
        url: str,
        filters: Sequence[tuple[str, str]],
    ) -> Response:
        chosen, meta = paginate(items, position, PageRequest.from_query(call.query), key=key, url=url, filters=filters)
        account = self.credentials.account_sid
        return self._json({key: [item.render(account, call.base) for item in chosen], "meta": meta})

    @staticmethod
    def _json(body: JsonObject, status: int = 200) -> Response:
        return Response(json.dumps(body), status, content_type="application/json")


def _no_content() -> Response:
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


def _error(exc: ApiError) -> Response:
    return Response(json.dumps(exc.body()), exc.status, headers=exc.headers, content_type="application/json")


def _by_creation(
    record: Service | Conversation | Role | AddressConfiguration | ConversationWebhook | Participant | Message,
) -> Position:
    return (record.seq,)


def _newest_message_first(record: Message) -> Position:
    return (-record.seq,)


def _newest_first(record: Conversation) -> Position:
    return (-int(record.date_created.timestamp()), -record.seq)


def _template(rule: str) -> str:
    """`/v1/Services/<Sid>` -> `/v1/Services/{Sid}`, the spec's spelling."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def _last_values(values: MultiDict[str, str]) -> dict[str, str]:
    """Form or query as a plain dict; a repeated key keeps its last value, as Twilio reads it."""
    return dict(values.items(multi=True))
