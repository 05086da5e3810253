"""`Emulator`: the WSGI app served by werkzeug's threaded server in a background thread.

werkzeug's own request handler answers every request with `Connection: close` (it cannot tell where
one request body ends and the next request begins). The handler here bounds each body by its
Content-Length and drains it, so connections stay open (HTTP/1.1 keep-alive); it sets TCP_NODELAY and
writes each answer in one piece, so Nagle's algorithm and delayed ACKs never hold an answer back;
and it can close a connection without answering, which is how a lost response is injected.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from types import TracebackType
from typing import IO, Any, cast

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler, select_address_family
from werkzeug.wsgi import LimitedStream

from .app import Credentials, DropResponse, EmulatorApp
from .background import serve_in_background, stop_serving
from .counters import Counters
from .dashboard import PAGE
from .errors import ApiError
from .events import TIMEOUT_SECONDS, Delivery, Dispatcher
from .families.account import ACCOUNT_LEVEL
from .faults import FaultInjector, Faults
from .receiver import Receiver
from .records import JsonObject
from .routing import SERVICE
from .rules import is_sid
from .store import Store

DEFAULT_ACCOUNT_SID = "AC" + "0" * 31 + "1"
"""The account the emulator serves unless told otherwise: `AC00000000000000000000000000000001`."""
DEFAULT_AUTH_TOKEN = "emulator-auth-token"
"""Its auth token (a fixed, public value: the emulator listens on loopback and guards nothing)."""

_HEADERLESS_STATUSES = ("204", "304")


class _Handler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def run_wsgi(self) -> None:
        """Serve one request; the connection stays open unless the client or a dropped answer closes it."""
        if self.headers.get("Expect", "").lower().strip() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        environ = self.environ = self.make_environ()
        body: LimitedStream | None = None
        if environ.get("wsgi.input_terminated"):  # chunked: werkzeug reads it to its end; then close
            self.close_connection = True
        else:
            body = LimitedStream(cast(IO[bytes], self.rfile), int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = body
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started[:] = [status, headers]
            return None

        try:
            chunks = self.server.app(environ, start_response)
            try:
                payload = b"".join(chunks)
            finally:
                getattr(chunks, "close", lambda: None)()
        except DropResponse:
            self.close_connection = True  # socketserver then shuts the socket: the client reads nothing
            return
        if body is not None:
            body.exhaust()  # an unread body would be taken for the next request
        status, headers = started
        self._answer(status, headers, payload)

    def _answer(self, status: str, headers: list[tuple[str, str]], payload: bytes) -> None:
        code = status.split(" ", 1)[0]
        names = {name.lower() for name, _ in headers}
        lines = [f"{self.protocol_version} {status}", *(f"{name}: {value}" for name, value in headers)]
        if code not in _HEADERLESS_STATUSES and "content-length" not in names:
            lines.append(f"Content-Length: {len(payload)}")
        lines.append(f"Date: {self.date_time_string()}")
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head if self.command == "HEAD" else head + payload)
        self.log_request(code, len(payload))

    def log(self, type: str, message: str, *args: Any) -> None:
        if self.server.verbose or type == "error":
            super().log(type, message, *args)


class _Server(ThreadedWSGIServer):
    """werkzeug's threaded server (what `make_server(threaded=True)` builds), knowing its open connections."""

    def __init__(self, listener: socket.socket, host: str, app: EmulatorApp, verbose: bool) -> None:
        self.verbose = verbose
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        port = listener.getsockname()[1]
        super().__init__(host, port, app, handler=_Handler, fd=listener.fileno())

    def track(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.discard(connection)

    def close_connections(self) -> None:
        """End kept-alive connections, so a stopped emulator answers no one."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the client
                connection.shutdown(socket.SHUT_RDWR)


class Emulator:
    """Twilio Conversations on loopback: `with Emulator() as twilio: ... twilio.base_url ...`."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        account_sid: str = DEFAULT_ACCOUNT_SID,
        auth_token: str = DEFAULT_AUTH_TOKEN,
        api_key: str | None = None,
        api_secret: str | None = None,
        state_file: str | os.PathLike[str] | None = None,
        faults: Faults | None = None,
        verbose: bool = False,
        webhook_timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        """`webhook_timeout` bounds each webhook call (Twilio's is 5 s); a pre-action call waits at most that long."""
        if not is_sid(account_sid, "AC"):
            raise ValueError(f"account_sid must be 'AC' followed by 32 hex digits, got {account_sid!r}")
        if (api_key is None) != (api_secret is None):
            raise ValueError("api_key and api_secret go together: give both or neither")
        self.host = host
        self.port = port
        self.verbose = verbose
        self.account_sid = account_sid
        self.counters = Counters()
        self._injector = FaultInjector(faults)
        self._dispatcher = Dispatcher(account_sid, auth_token, timeout=webhook_timeout)
        self._store = Store(state_file, dispatcher=self._dispatcher)
        self._credentials = Credentials(account_sid, auth_token, api_key, api_secret)
        self._app = EmulatorApp(
            self._store.state,
            self._credentials,
            self._injector,
            self.counters,
            service_scopes=(SERVICE, ACCOUNT_LEVEL),  # the service tree, and again under `/v1` (see `account`)
        )
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def faults(self) -> Faults:
        return self._injector.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        """New faults take effect with the next request; their seeded sequence starts afresh."""
        self._injector.faults = faults

    @property
    def base_url(self) -> str:
        """`http://host:port` of the running server (the real port when started on port 0)."""
        if self._server is None:
            raise RuntimeError("the emulator is not running: call start() first")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._server.port}"

    @property
    def dashboard_url(self) -> str:
        """The dashboard page (behind the same Basic auth as the API)."""
        return self.base_url + PAGE

    @property
    def routes(self) -> list[tuple[str, str]]:
        """Every (method, path template) this emulator serves, as the spec names them."""
        return self._app.routes

    def client_env(self) -> dict[str, str]:
        """The TWILIO_* variables that point a client (this package's provider among them) at this emulator."""
        return {
            "TWILIO_ACCOUNT_SID": self.account_sid,
            "TWILIO_AUTH_TOKEN": self._credentials.auth_token,
            "TWILIO_CONVERSATIONS_BASE_URL": self.base_url,
        }

    def start(self) -> Emulator:
        if self._server is not None:
            raise RuntimeError("the emulator is already running")
        family = select_address_family(self.host, self.port)
        with socket.create_server((self.host, self.port), family=family) as listener:
            # werkzeug gets its own duplicate of the socket: a port in use is our OSError, not its sys.exit
            self._server = _Server(listener, self.host, self._app, self.verbose)
        self._thread = serve_in_background(self._server, "twilio-emulator")
        return self

    def stop(self) -> None:
        """Stop serving, end open connections and wait for the server thread; stopping twice is fine."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        stop_serving(server, thread, server.close_connections)
        self._dispatcher.stop()

    def __enter__(self) -> Emulator:
        return self if self._server is not None else self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget every service and conversation, the counters and the deliveries (the faults stay as they are)."""
        self._dispatcher.wait()
        self._store.reset()
        self.counters.reset()
        self._dispatcher.reset()

    # Inbound messages and webhooks

    def inbound(
        self, *, type: str = "sms", from_: str = "+15550001111", to: str = "+15559990000", body: str = "hi"
    ) -> str:
        """A message from `from_` arrives at the Twilio address `to`: the SID of the conversation it landed in.

        Routed as Twilio routes it (see `families.inbound`); an address nothing routes raises ValueError.
        The same as `POST /emulator/inbound` with `Type`, `From`, `To`, `Body`.
        """
        try:
            return self._store.inbound(type, from_, to, body).sid
        except ApiError as exc:
            raise ValueError(exc.message) from None

    @property
    def deliveries(self) -> list[Delivery]:
        """Every webhook delivery attempt so far (event_type, url, form, status, outcome, attempt, …)."""
        return self._dispatcher.deliveries

    def wait_for_deliveries(self, timeout: float = 10.0) -> list[Delivery]:
        """The deliveries, once every queued one has been attempted (or `timeout` seconds passed)."""
        self._dispatcher.wait(timeout)
        return self._dispatcher.deliveries

    def receiver(self, *, status: int = 200, body: str = "", delay: float = 0.0) -> Receiver:
        """A started backend stand-in on loopback that checks this emulator's signatures (stop it, or use `with`)."""
        return Receiver(self._credentials.auth_token, status=status, body=body, delay=delay).start()

    # Direct access for tests: no HTTP, no faults, no counters.

    def create_service(self, friendly_name: str) -> JsonObject:
        return self._store.create_service({"FriendlyName": friendly_name}).render(self.account_sid, self._base())

    def create_conversation(self, service_sid: str, **fields: str) -> JsonObject:
        """Create as `POST …/Conversations` would, with Twilio's form keys: `FriendlyName="x"`, `State="active"`.

        Keys that are not Python names (`Timers.Inactive`) go in with `**{"Timers.Inactive": "PT5M"}`.
        """
        created = self._store.create_conversation(service_sid, fields)
        return created.render(self.account_sid, self._base())

    def conversations(self, service_sid: str) -> list[JsonObject]:
        """The service's conversations as Twilio would list them, in creation order."""
        return [c.render(self.account_sid, self._base()) for c in self._store.conversations(service_sid)]

    def services(self) -> list[JsonObject]:
        return [s.render(self.account_sid, self._base()) for s in self._store.services()]

    def _base(self) -> str:
        return self.base_url if self._server is not None else f"http://{self.host}:{self.port}"
