"""`Receiver`: a backend stand-in on loopback that takes the emulator's webhooks and checks their signatures.

    with emulator.receiver(status=200, body="", delay=0.0) as backend:
        ...  # point a service's PostWebhookUrl (or any webhook) at backend.url
        [call] = backend.wait(1)
        assert call.signature_valid and call.form["EventType"] == "onMessageAdded"

It answers every request with the configured status and body after the configured delay (both can be
changed while it runs), and records what it got. The signature check is Twilio's algorithm (see
`events.sign`) keyed by the auth token given, so a test can also check with Twilio's own validator.
"""

from __future__ import annotations

import hmac
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .background import serve_in_background, stop_serving
from .events import sign


@dataclass(frozen=True)
class ReceivedRequest:
    """One webhook request as the receiver got it."""

    method: str
    url: str
    """The URL the request was made to, as a signature covers it (with the query of a GET)."""
    form: dict[str, str]
    """The POST body's parameters, or a GET's query parameters."""
    headers: dict[str, str]
    signature_valid: bool


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self._take()

    def do_GET(self) -> None:
        self._take()

    def _take(self) -> None:
        receiver = self.server.receiver
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        url = f"http://{self.headers.get('Host', '')}{self.path}"
        query = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        form = dict(parse_qsl(body, keep_blank_values=True)) if self.command == "POST" else query
        signed = sign(receiver.auth_token, url, form if self.command == "POST" else {})
        valid = hmac.compare_digest(signed, self.headers.get("X-Twilio-Signature", ""))
        receiver.record(ReceivedRequest(self.command, url, form, dict(self.headers.items()), valid))
        if receiver.delay:
            time.sleep(receiver.delay)
        payload = receiver.body.encode()
        self.send_response(receiver.status)
        content_type = "application/json" if receiver.body.lstrip().startswith("{") else "text/plain"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the receiver's record is what tests read."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, receiver: Receiver) -> None:
        self.receiver = receiver
        super().__init__(("127.0.0.1", 0), _Handler)


class Receiver:
    """A loopback HTTP server that answers webhooks with `status` and `body` after `delay` seconds."""

    def __init__(self, auth_token: str, *, status: int = 200, body: str = "", delay: float = 0.0, path: str = "/hook"):
        self.auth_token = auth_token
        self.status = status
        self.body = body
        self.delay = delay
        self.path = path
        self._lock = threading.Condition()
        self._requests: list[ReceivedRequest] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>/hook`: where to point a webhook."""
        if self._server is None:
            raise RuntimeError("the receiver is not running: call start() first")
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.path}"

    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._lock:
            return list(self._requests)

    def record(self, request: ReceivedRequest) -> None:
        with self._lock:
            self._requests.append(request)
            self._lock.notify_all()

    def wait(self, count: int, timeout: float = 10.0) -> list[ReceivedRequest]:
        """The first `count` requests, waiting up to `timeout` seconds for them; fewer when time ran out."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self._requests) < count and (left := deadline - time.monotonic()) > 0:
                self._lock.wait(left)
            return list(self._requests[:count])

    def start(self) -> Receiver:
        if self._server is not None:
            raise RuntimeError("the receiver is already running")
        self._server = _Server(self)
        self._thread = serve_in_background(self._server, "webhook-receiver")
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            stop_serving(server, thread)

    def __enter__(self) -> Receiver:
        return self if self._server is not None else self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
