"""The HTTP client for Twilio's Conversations API: one pooled session, auth, timeouts, retries.

Retries live here and nowhere else. urllib3's `Retry` is not used because it can bound neither the
total time spent nor tell a create POST (never blindly repeated: it could duplicate) from an update
POST (idempotent: it sets fields to values).

| failure                                  | idempotent request | create (idempotent=False) |
|------------------------------------------|--------------------|---------------------------|
| 429 (not processed, safe to retry)       | retry              | retry                     |
| connection failed before sending         | retry              | retry                     |
| 500/502/503/504                          | retry              | ServerWriteError          |
| lost response, read timeout              | retry              | LostResponseError         |
| any other 4xx                            | TwilioApiError     | TwilioApiError            |

When the time bound is spent, the last error is raised: a `TwilioConnectionError` when no answer came,
a `TwilioApiError` when one did; a POST that may have been applied is raised as an `AmbiguousWriteError`
(`LostResponseError` or `ServerWriteError`), whichever way it was retried.
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any, TypeVar

import requests
import urllib3.exceptions

from .errors import (
    LostResponseError,
    NotFoundError,
    ServerWriteError,
    TwilioApiError,
    TwilioConnectionError,
    TwilioRequestError,
)
from .settings import Settings

_RETRY_STATUS_ALWAYS = frozenset({429})
_RETRY_STATUS_IF_IDEMPOTENT = frozenset({500, 502, 503, 504})
_AUTH_HINT = (
    "Twilio did not accept the credentials: check twilio:accountSid and twilio:authToken "
    "(or twilio:apiKey/twilio:apiSecret, or the TWILIO_* variables)"
)

Json = dict[str, Any]
Form = Mapping[str, str | list[str]]
"""A form body; a list is sent as a repeated key (`Filters=a&Filters=b`), as Twilio takes lists."""
_Error = TypeVar("_Error", bound=TwilioRequestError)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, bounded by total time rather than by count."""

    max_elapsed: float = 60.0
    base_delay: float = 0.25
    max_delay: float = 8.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        backoff = random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))
        return max(backoff, retry_after or 0.0)


class Backoff:
    """The attempts of one logical operation: sleeps between them until the policy's time is spent."""

    def __init__(self, policy: RetryPolicy, sleep: Callable[[float], None]) -> None:
        self._policy = policy
        self._sleep = sleep
        self._deadline = time.monotonic() + policy.max_elapsed
        self.attempts = 1

    def wait(self, retry_after: float | None = None) -> bool:
        """Sleep before the next attempt and return True, or return False when it would end too late."""
        delay = self._policy.delay(self.attempts - 1, retry_after)
        if time.monotonic() + delay > self._deadline:
            return False
        self._sleep(delay)
        self.attempts += 1
        return True

    def exhausted(self, error: _Error) -> _Error:
        """`error`, saying how long was tried and which setting sets the limit."""
        return error.with_hint(
            f"Gave up after {self.attempts} attempts in {self._policy.max_elapsed:g} s "
            "(twilio:maxRetrySeconds sets the limit)"
        )


def _user_agent() -> str:
    try:
        own = version("pulumi-twilio-conversations")
    except PackageNotFoundError:  # running from a source tree that was never installed
        own = "0+unknown"
    return f"pulumi-twilio-conversations/{own} {requests.utils.default_user_agent()}"


class TwilioClient:
    """Thread-safe client for one account and endpoint; share it (see `client_for`)."""

    def __init__(
        self,
        settings: Settings,
        *,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.retry = retry or RetryPolicy(max_elapsed=settings.max_retry_seconds)
        self.timeout = timeout
        self._sleep = sleep
        self._session = session or self._new_session(settings.base_url)

    @staticmethod
    def _new_session(base_url: str) -> requests.Session:
        session = requests.Session()
        # requests reads the proxy and CA-bundle variables from the environment on every request (a
        # scan of os.environ, ~0.2 ms each time); this session only ever talks to `base_url`, so read
        # them once here, the way requests would (netrc is not needed: every request carries auth).
        session.trust_env = False
        session.proxies.update(requests.utils.get_environ_proxies(base_url))
        session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        # The provider server runs 4 RPCs at once; keep a connection for each and some spare.
        adapter = requests.adapters.HTTPAdapter(pool_connections=2, pool_maxsize=8, max_retries=0)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.headers["User-Agent"] = _user_agent()
        session.headers["Accept"] = "application/json"
        return session

    def __repr__(self) -> str:
        return f"TwilioClient(base_url={self.settings.base_url!r}, account_sid={self.settings.account_sid!r})"

    def backoff(self) -> Backoff:
        """A fresh retry budget: `request` uses one per call, and so does a caller that repeats itself."""
        return Backoff(self.retry, self._sleep)

    def url(self, path: str) -> str:
        return self.settings.base_url + path

    def get(self, path: str, params: Mapping[str, str] | None = None) -> Json:
        return self.request("GET", path, params=params) or {}

    def pages(self, path: str, key: str, params: Mapping[str, str] | None = None) -> Iterator[list[Json]]:
        """Each page of a Twilio list, following `meta.next_page_url` to the end."""
        url: str | None = path
        while url:
            page = self.get(url, params)
            yield page.get(key) or []
            next_url = (page.get("meta") or {}).get("next_page_url")
            # next_page_url is absolute and already carries the query: keep only its path and query
            url = "/" + next_url.split("/", 3)[3] if next_url else None
            params = None

    def post(
        self,
        path: str,
        data: Form,
        headers: Mapping[str, str] | None = None,
        *,
        idempotent: bool = True,
    ) -> Json:
        return self.request("POST", path, data=data, headers=headers, idempotent=idempotent) or {}

    def delete(self, path: str, headers: Mapping[str, str] | None = None) -> None:
        self.request("DELETE", path, headers=headers)

    def request(
        self,
        method: str,
        path: str,
        *,
        data: Form | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = True,
    ) -> Json | None:
        """Send one logical request, retrying per the table in this module's docstring."""
        url = self.url(path)
        backoff = self.backoff()
        while True:
            retry_after: float | None = None
            error: TwilioRequestError
            try:
                response = self._session.request(
                    method,
                    url,
                    data=data,
                    params=params,
                    headers=headers,
                    auth=self.settings.auth,
                    timeout=self.timeout,
                )
            except requests.RequestException as exc:
                error = _transport_error(method, url, exc, self.timeout)
                if not (idempotent or _never_sent(exc)):
                    raise error from None
            else:
                if response.status_code < 400:
                    return response.json() if response.content else None
                error = _api_error(method, url, response)
                retryable = response.status_code in _RETRY_STATUS_ALWAYS or (
                    response.status_code in _RETRY_STATUS_IF_IDEMPOTENT and idempotent
                )
                if not retryable:
                    raise error
                retry_after = _retry_after(response)
            if not backoff.wait(retry_after):
                raise backoff.exhausted(error)


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the connection failed before any byte of the request left this machine."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError)


def _transport_error(
    method: str, url: str, exc: requests.RequestException, timeout: tuple[float, float]
) -> TwilioConnectionError:
    reason = _reason(exc, timeout)
    if _never_sent(exc):
        return TwilioConnectionError(method=method, url=url, reason=reason, sent=False)
    if method == "POST":
        return LostResponseError(method=method, url=url, reason=reason)
    return TwilioConnectionError(method=method, url=url, reason=reason, sent=True)


# urllib3 starts its connection errors with the repr of the connection object: no use to a reader.
_OBJECT_REPR = re.compile(r"^<[^>]*>: ")


def _reason(exc: requests.RequestException, timeout: tuple[float, float]) -> str:
    """Why no answer came, in words (the exception's class name last, for searching)."""
    if isinstance(exc, requests.ConnectTimeout):
        words = f"no connection within {timeout[0]:g} s"
    elif isinstance(exc, requests.ReadTimeout):
        words = f"none within {timeout[1]:g} s"
    else:
        cause = exc.args[0] if exc.args else None
        cause = getattr(cause, "reason", None) or cause  # a MaxRetryError holds the real one
        if isinstance(cause, urllib3.exceptions.NewConnectionError):
            words = _OBJECT_REPR.sub("", str(cause))
        elif isinstance(cause, urllib3.exceptions.ProtocolError):
            words = "the connection was closed"
        else:
            words = "the connection failed"
    return f"{words}: {type(exc).__name__}"


def _api_error(method: str, url: str, response: requests.Response) -> TwilioApiError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    status = response.status_code
    error_type: type[TwilioApiError] = TwilioApiError
    if status == 404:
        error_type = NotFoundError
    elif status in _RETRY_STATUS_IF_IDEMPOTENT and method == "POST":
        error_type = ServerWriteError
    return error_type(
        method=method,
        url=url,
        status=status,
        code=body.get("code"),
        message=str(body.get("message") or response.reason or ""),
        more_info=body.get("more_info"),
        hint=_AUTH_HINT if status == 401 else None,
    )


def _retry_after(response: requests.Response) -> float | None:
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return None


_clients: dict[Settings, TwilioClient] = {}
_clients_lock = threading.Lock()


def client_for(settings: Settings) -> TwilioClient:
    """The process-wide client for these settings, so every resource shares one connection pool."""
    with _clients_lock:
        client = _clients.get(settings)
        if client is None:
            client = _clients[settings] = TwilioClient(settings)
        return client
