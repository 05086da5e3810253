"""Webhook delivery as Twilio Conversations does it: signed form posts, pre-action and post-action.

What Twilio documents, and what is emulated here (sources named; where a detail is the emulator's
reading rather than Twilio's words, it says so):

- Post-action events (`onMessageAdded`, …) go to the service's PostWebhookUrl when its Filters name
  them ("Events not configured here will not fire": the spec, `Configuration/Webhooks` Filters), and
  to every conversation-scoped webhook whose filters match; pre-action events (`onMessageAdd`, …) go
  to the PreWebhookUrl. Pre-action webhooks "fire before an action has been committed ..., blocking
  publication until a response is received. This gives your backend the opportunity to intercept,
  modify, or reject any action" (Twilio's Programmable Chat "Webhook Events", which Conversations'
  webhooks continue).
- A 2xx answer to a pre-action webhook lets the action go on; anything else blocks it, and so does no
  answer in time (the emulator fails closed). A 200 whose body is a JSON object may change what is about
  to be written: for `onMessageAdd` / `onMessageUpdate` its `body`, `author` and `attributes`; for
  `onConversationAdd` / `onConversationUpdate` its `friendly_name`, `unique_name` and `attributes`;
  other keys are ignored (the emulator's reading of "modify": these are the fields Twilio's examples
  change). A blocked action is answered 403 / 20403.
- Actions over the REST API fire webhooks only when the request carries `X-Twilio-Webhook-Enabled:
  true`, the header the spec offers on every write for this; inbound messages always fire them.
- Timeouts: "Conversations webhooks have a maximum timeout of 5 seconds" (Twilio's Conversations
  Webhooks guide); here the same bound is the connect timeout and the read timeout.
- Retries: Twilio's webhook connection defaults ("Webhooks: Connection Overrides") are a retry count
  `rc` of 1, under the retry policy `rp`, whose default (`ct`, as read there) retries a failed
  connection only: an HTTP answer, even a 5xx, and a read timeout are not retried. Every attempt is
  recorded; the retry carries `RetryCount=1` and the same `I-Twilio-Idempotency-Token`.
- Signature: `X-Twilio-Signature` is base64(HMAC-SHA1(auth token, URL + every POST parameter's name
  and value, sorted by name)); for GET the parameters are in the URL's query and the URL alone is signed
  (Twilio's webhook security guide; `twilio.request_validator.RequestValidator` checks it).

What is the emulator's own: it only calls loopback. A URL whose host is not a literal loopback address
(127.0.0.0/8, ::1) or `localhost` is never called and never resolved (no DNS, so a name under `.invalid`
costs nothing), and the delivery is recorded as `refused`; a refused pre-action webhook does not block
the action. Post-action deliveries run on a worker thread per target URL (in order for each receiver),
so a slow or dead receiver never slows the API; pre-action ones are synchronous by nature and bounded by
the timeout.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode, urlsplit

from . import errors
from .errors import ApiError

_log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5.0  # "Conversations webhooks have a maximum timeout of 5 seconds"
RETRIES_ON_CONNECT_FAILURE = 1  # Twilio's default connection override rc=1, retry policy ct
USER_AGENT = "TwilioProxy/1.1"  # what Twilio's webhook requests say they are
MAX_DELIVERIES = 10_000  # the record keeps the latest ones, so a long-running emulator does not grow without end

PRE_EVENTS = (
    "onConversationAdd",
    "onConversationUpdate",
    "onConversationRemove",
    "onMessageAdd",
    "onMessageUpdate",
    "onMessageRemove",
    "onParticipantAdd",
    "onParticipantUpdate",
    "onParticipantRemove",
)
POST_EVENTS = (
    "onConversationAdded",
    "onConversationUpdated",
    "onConversationRemoved",
    "onConversationStateUpdated",
    "onMessageAdded",
    "onMessageUpdated",
    "onMessageRemoved",
    "onParticipantAdded",
    "onParticipantUpdated",
    "onParticipantRemoved",
)
# what a pre-action answer may change: event -> JSON key of the answer -> form key it replaces
CHANGEABLE: dict[str, dict[str, str]] = {
    "onMessageAdd": {"body": "Body", "author": "Author", "attributes": "Attributes"},
    "onMessageUpdate": {"body": "Body", "author": "Author", "attributes": "Attributes"},
    "onConversationAdd": {"friendly_name": "FriendlyName", "unique_name": "UniqueName", "attributes": "Attributes"},
    "onConversationUpdate": {"friendly_name": "FriendlyName", "unique_name": "UniqueName", "attributes": "Attributes"},
}


def sign(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """Twilio's X-Twilio-Signature of a request to `url` carrying the POST parameters `params`."""
    payload = url + "".join(name + params[name] for name in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def loopback_host(url: str) -> str | None:
    """The address to connect to when `url` names a loopback host, else None; never resolves a name."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if host is None:
        return None
    if host.lower() == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None  # a name: resolving it could reach the network, so it is not called
    return host if address.is_loopback else None


@dataclass(frozen=True)
class Target:
    """Where one event goes: a URL and the method to call it with (GET puts the form in the query)."""

    url: str
    method: str = "POST"


@dataclass(frozen=True)
class Delivery:
    """One attempt to deliver one event to one URL, as it went."""

    event_type: str
    url: str
    method: str
    form: dict[str, str]
    status: int | None
    """The HTTP status the receiver answered; None when there was no answer (refused, unreachable, timed out)."""
    outcome: str
    """`delivered` (2xx), `failed` (another status), `error` (no answer) or `refused` (not a loopback target)."""
    attempt: int
    date_created: datetime
    reason: str = ""
    signature: str = ""
    body: str = ""
    """What the receiver answered (the start of it)."""
    number: int = 0
    """Its place in the record, from 1 (what `Dispatcher.replay` takes)."""
    replay_of: int | None = None
    """The number of the delivery this one replayed, when it is a replay."""
    duration: float = 0.0
    """Seconds from connecting to the end of the answer (0 when nothing was called)."""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date_created"] = self.date_created.isoformat().replace("+00:00", "Z")
        return data


@dataclass(frozen=True)
class _Answer:
    status: int | None
    body: str
    error: str = ""
    connect_failed: bool = False
    seconds: float = 0.0


@dataclass
class _Job:
    event_type: str
    target: Target
    form: dict[str, str]
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    replay_of: int | None = None


class Dispatcher:
    """Sends events: post-action ones from a queue on worker threads, pre-action ones in the caller's thread."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        timeout: float = TIMEOUT_SECONDS,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self.account_sid = account_sid
        self._auth_token = auth_token
        self.timeout = timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._deliveries: collections.deque[Delivery] = collections.deque(maxlen=MAX_DELIVERIES)
        self._recorded = 0  # deliveries recorded so far: the last one's number
        # target URL -> its queue and worker: deliveries to one receiver keep their order, and a slow
        # receiver holds up only its own
        self._queues: dict[str, queue.Queue[_Job | None]] = {}
        self._workers: list[threading.Thread] = []

    @property
    def deliveries(self) -> list[Delivery]:
        """Every attempt so far (the latest MAX_DELIVERIES), in the order they ended."""
        with self._lock:
            return list(self._deliveries)

    def reset(self) -> None:
        with self._lock:
            self._deliveries.clear()
            self._recorded = 0

    def post(self, event_type: str, params: Mapping[str, str | None], targets: list[Target]) -> None:
        """Queue a post-action event for each target; returns at once."""
        if not targets:
            return
        form = self._form(event_type, params)
        with self._lock:
            self._pending += len(targets)
            for target in targets:
                self._queue_for(target.url).put(_Job(event_type, target, form))

    def pre(self, event_type: str, params: Mapping[str, str | None], target: Target) -> dict[str, str]:
        """Call a pre-action webhook and wait: the form fields its answer changes, or ApiError when it blocks."""
        job = _Job(event_type, target, self._form(event_type, params))
        delivery = self._deliver(job)
        if delivery.outcome == "refused":
            return {}
        if delivery.outcome != "delivered":
            why = f"answered {delivery.status}" if delivery.status is not None else delivery.reason
            raise ApiError(
                403,
                errors.WEBHOOK_REJECTED,
                f"The pre-action webhook {target.url} blocked {event_type}: it {why}",
            )
        return _changes(event_type, delivery.body)

    def replay(self, number: int) -> Delivery:
        """Deliver the recorded delivery `number` again and wait: the same form and target, a fresh signature
        and idempotency token, recorded as a new delivery (a pre-action answer changes nothing now).
        LookupError when the record does not hold it."""
        with self._lock:
            first = self._deliveries[0].number if self._deliveries else 1
            if not 0 <= number - first < len(self._deliveries):
                raise LookupError(f"no delivery #{number} in the record")
            original = self._deliveries[number - first]
        target = Target(original.url, original.method)
        return self._deliver(_Job(original.event_type, target, original.form, replay_of=number))

    def wait(self, timeout: float = 10.0) -> bool:
        """Wait until every queued delivery has been attempted; False when `timeout` passed first."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def stop(self) -> None:
        """End the workers once the queue is empty (each finishes the delivery it is in)."""
        with self._lock:
            workers, self._workers = self._workers, []
            queues, self._queues = self._queues, {}
        for waiting in queues.values():
            waiting.put(None)
        for worker in workers:
            worker.join(self.timeout * (RETRIES_ON_CONNECT_FAILURE + 1) + 1)

    # Internals

    def _form(self, event_type: str, params: Mapping[str, str | None]) -> dict[str, str]:
        """Twilio's form for an event: its type, the account, the parameters that have a value, RetryCount."""
        given = {key: value for key, value in params.items() if value is not None}
        return {"EventType": event_type, "AccountSid": self.account_sid, **given, "RetryCount": "0"}

    def _queue_for(self, url: str) -> queue.Queue[_Job | None]:
        """The queue of one target URL, its worker started on first use (call with the lock held)."""
        found = self._queues.get(url)
        if found is None:
            found = self._queues[url] = queue.Queue()
            worker = threading.Thread(target=self._work, args=(found,), name="twilio-emulator-webhooks", daemon=True)
            worker.start()
            self._workers.append(worker)
        return found

    def _work(self, jobs: queue.Queue[_Job | None]) -> None:
        while True:
            job = jobs.get()
            if job is None:
                return
            try:
                self._deliver(job)
            except Exception:  # a bug must not kill the worker and leave the queue unserved
                _log.exception("delivering %s to %s", job.event_type, job.target.url)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _deliver(self, job: _Job) -> Delivery:
        """Every attempt for one job (a retry only after a failed connection); the last one is returned."""
        host = loopback_host(job.target.url)
        if host is None:
            return self._record(job, job.form, 1, _Answer(None, "", "not a loopback address: never called"), "")
        attempt = 0
        while True:
            attempt += 1
            form = {**job.form, "RetryCount": str(attempt - 1)}
            url, body, signature = self._request(job.target, form)
            answer = self._call(host, job.target.method, url, body, signature, job.token)
            delivery = self._record(job, form, attempt, answer, signature)
            if not answer.connect_failed or attempt > RETRIES_ON_CONNECT_FAILURE:
                return delivery

    def _request(self, target: Target, form: dict[str, str]) -> tuple[str, bytes | None, str]:
        """The URL to call, the body, and the signature Twilio would send with them."""
        url = target.url.split("#", 1)[0]  # a fragment carries Twilio's connection overrides, not sent
        if target.method == "GET":
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(form)}"
            return url, None, sign(self._auth_token, url, {})
        return url, urlencode(form).encode(), sign(self._auth_token, url, form)

    def _call(self, host: str, method: str, url: str, body: bytes | None, signature: str, token: str) -> _Answer:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        headers = {
            "Host": parts.netloc,
            "User-Agent": USER_AGENT,
            "X-Twilio-Signature": signature,
            "I-Twilio-Idempotency-Token": token,
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(host, port, timeout=self.timeout)
        started = time.monotonic()
        try:
            try:
                connection.connect()
            except OSError as exc:
                return _Answer(None, "", f"could not connect: {exc}", True, time.monotonic() - started)
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                text = response.read(64 * 1024).decode("utf-8", "replace")
            except TimeoutError:
                return _Answer(None, "", f"no answer within {self.timeout:g} s", seconds=time.monotonic() - started)
            except (OSError, http.client.HTTPException) as exc:
                return _Answer(None, "", f"the connection failed: {exc}", seconds=time.monotonic() - started)
            return _Answer(response.status, text, seconds=time.monotonic() - started)
        finally:
            with contextlib.suppress(OSError):
                connection.close()

    def _record(self, job: _Job, form: dict[str, str], attempt: int, answer: _Answer, signature: str) -> Delivery:
        if answer.status is None:
            outcome = "error" if signature else "refused"
        else:
            outcome = "delivered" if 200 <= answer.status < 300 else "failed"
        with self._lock:
            self._recorded += 1
            delivery = Delivery(
                event_type=job.event_type,
                url=job.target.url,
                method=job.target.method,
                form=form,
                status=answer.status,
                outcome=outcome,
                attempt=attempt,
                date_created=self._clock(),
                reason=answer.error,
                signature=signature,
                body=answer.body[:1024],
                number=self._recorded,
                replay_of=job.replay_of,
                duration=answer.seconds,
            )
            self._deliveries.append(delivery)
        return delivery


def _changes(event_type: str, body: str) -> dict[str, str]:
    """The form fields a pre-action answer's JSON object changes (only those the event allows)."""
    allowed = CHANGEABLE.get(event_type, {})
    if not allowed or not body.strip():
        return {}
    try:
        answer = json.loads(body)
    except ValueError:
        return {}
    if not isinstance(answer, dict):
        return {}
    changes: dict[str, str] = {}
    for key, form_key in allowed.items():
        value = answer.get(key)
        if isinstance(value, str):
            changes[form_key] = value
        elif isinstance(value, dict) and key == "attributes":
            changes[form_key] = json.dumps(value)
    return changes
