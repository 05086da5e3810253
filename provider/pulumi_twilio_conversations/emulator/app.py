"""The emulator's WSGI application: it collects the families' route tables, and does Basic auth, faults and
Twilio's error bodies for all of them.

A request goes: read the body, wait the injected latency, route, authenticate, maybe refuse it with
an injected 429/5xx (nothing applied), apply it to the state, maybe lose the answer (applied, but
`DropResponse` tells the server to close the connection without a byte), record it. Routes are the
spec's paths; their templates (`/v1/Services/{ChatServiceSid}/Conversations`) name them in `Counters`.
Each family's table is mounted under its scopes (see `routing`): the account's routes under `/v1`, the
service's under `/v1/Services/<ChatServiceSid>`.
"""

from __future__ import annotations

import hmac
import json
import logging
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
from .dashboard import Dashboard
from .errors import ApiError, not_found
from .families import FAMILIES
from .faults import FaultInjector
from .routing import ACCOUNT, EMULATOR, SERVICE, Call, Family, Handler, Route, Scope, json_answer, template
from .state import State

_log = logging.getLogger(__name__)


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


def _deliveries(call: Call) -> Response:
    """`GET /emulator/deliveries`: every webhook delivery attempt so far, oldest first."""
    dispatcher = call.state.dispatcher
    deliveries = dispatcher.deliveries if dispatcher is not None else []
    return json_answer({"deliveries": [delivery.to_json() for delivery in deliveries]})


# The application's own: the record of webhook deliveries
_OWN = Family("deliveries", emulator_routes=(Route("/deliveries", "GET", _deliveries),))


def mounted(
    families: Sequence[Family], service_scopes: Sequence[Scope]
) -> dict[tuple[str, str], tuple[Handler, Scope]]:
    """(path, method) -> handler and the scope it is mounted under, for every family's routes: the service routes
    once under each service scope (all of them, or those Twilio serves at the account level too)."""
    tables: list[tuple[Scope, tuple[Route, ...]]] = []
    for family in families:
        tables += [(ACCOUNT, family.account_routes), (EMULATOR, family.emulator_routes)]
        for scope in service_scopes:
            tables.append((scope, tuple(route for route in family.service_routes if scope.full or route.account_level)))
    return {
        (scope.prefix + route.path, route.method): (route.handler, scope)
        for scope, routes in tables
        for route in routes
    }


class EmulatorApp:
    """Twilio Conversations' endpoints over a `State`, as the families serve them."""

    def __init__(
        self,
        state: State,
        credentials: Credentials,
        injector: FaultInjector,
        counters: Counters,
        sleep: Callable[[float], None] = time.sleep,
        families: Sequence[Family] = FAMILIES,
        service_scopes: Sequence[Scope] = (SERVICE,),
    ) -> None:
        """`service_scopes`: where the families' service routes are served (a service's own prefix, by default)."""
        self.state = state
        self.credentials = credentials
        self.injector = injector
        self.counters = counters
        self._sleep = sleep
        self._handlers = mounted([*families, _OWN, Dashboard().family], service_scopes)
        paths = dict.fromkeys(path for path, _ in self._handlers)
        self._map = Map(
            [Rule(path, endpoint=path, methods=[m for p, m in self._handlers if p == path]) for path in paths],
            merge_slashes=False,
        )

    @property
    def routes(self) -> list[tuple[str, str]]:
        """Twilio's routes served, (method, template), as the spec has it: `("GET", "/v1/Services/{Sid}")`."""
        return [(method, template(path)) for path, method in self._handlers if path.startswith("/v1/")]

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
            own = rule.startswith(EMULATOR.prefix + "/")  # the emulator's own routes are the test's, and never fault
            refusal = None if own else self.injector.before_applying()
            if refusal is not None:
                fault = refusal.kind
                raise refusal.error
            method = "GET" if request.method == "HEAD" else request.method
            handler, scope = self._handlers[(rule, method)]
            enabled = request.headers.get("X-Twilio-Webhook-Enabled", "").strip().lower() == "true"
            call = Call(
                state=self.state,
                account_sid=self.credentials.account_sid,
                service_sid=scope.service(args, self.state),
                args=args,
                form=form,
                source="API" if enabled else None,
                lists=request.form.to_dict(flat=False),
                query=_last_values(request.args),
                base=request.host_url.rstrip("/"),
                path=request.path,
                mount=scope.prefix if scope.rebases else None,
            )
            response = handler(call)
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
                route=template(rule),
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


def _error(exc: ApiError) -> Response:
    return Response(json.dumps(exc.body()), exc.status, headers=exc.headers, content_type="application/json")


def _last_values(values: MultiDict[str, str]) -> dict[str, str]:
    """Form or query as a plain dict; a repeated key keeps its last value, as Twilio reads it."""
    return dict(values.items(multi=True))
