"""A scripted stand-in for Twilio's HTTP side, passed to `TwilioClient` through its `session` seam.

For what the emulator cannot produce (Twilio's own spellings and errors, from the spec's examples).
Each test scripts the exchanges it expects, in order: the method, the path, the
form (checked key for key when given) and Twilio's answer, written from the spec's schemas and examples
(`/work/shared/twilio/twilio_conversations_v1.json`). A request not scripted fails the test at once and
lists what was expected; `done()` fails when a scripted exchange was never asked for.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from pulumi_twilio_conversations.resources.table import TableCore
from pulumi_twilio_conversations.settings import Settings
from pulumi_twilio_conversations.twilio import RetryPolicy, TwilioClient

ACCOUNT = "AC" + "a" * 32
BASE = "https://conversations.twilio.invalid"


@dataclass
class Exchange:
    method: str
    path: str
    answer: Any
    """Twilio's JSON body (an error's with `status`)."""
    form: Mapping[str, Any] | None = None
    """The form the request must carry, exactly; None: not checked."""
    status: int = 200


@dataclass
class FakeTwilio:
    """The transport: `request` answers the next scripted exchange or fails the test."""

    script: list[Exchange] = field(default_factory=list)
    sent: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    """Every request made: (method, path, form), forms with repeated keys as lists."""
    records: dict[str, tuple[dict[str, Any], TableCore]] = field(default_factory=dict)
    """Paths held as Twilio records (`hold`): a GET answers the record, a POST writes its form into it."""

    def hold(
        self, path: str, record: dict[str, Any], core: TableCore, *, created_at: str | None = None
    ) -> dict[str, Any]:
        """Serve `record` at `path` as Twilio would: each form key of `core`'s table lands where Twilio reports it
        (key material nowhere: Twilio never returns it). With `created_at`, a POST there creates it."""
        self.records[path] = (record, core)
        if created_at is not None:
            self.records[created_at] = (record, core)
        return record

    def _serve(self, method: str, path: str, form: dict[str, Any]) -> Any:
        record, core = self.records[path]
        if method == "POST":
            wires = {wire.form_key: wire for wire in core.wires if wire.form_key}
            for key, value in form.items():
                wire = wires[key]
                if wire.secret:
                    continue
                *parents, last = (wire.reported or wire.name).split(".")
                target = record
                for part in parents:
                    nested = target.get(part)
                    if not isinstance(nested, dict):
                        nested = target[part] = {}
                    target = nested
                target[last] = _as_twilio(wire.kind, value)
        return record

    def expect(
        self, method: str, path: str, answer: Any, form: Mapping[str, Any] | None = None, status: int = 200
    ) -> FakeTwilio:
        self.script.append(Exchange(method, path, answer, form, status))
        return self

    def client(self) -> TwilioClient:
        settings = Settings(ACCOUNT, "token-never-shown", base_url_override=BASE)
        retry = RetryPolicy(max_elapsed=2.0, base_delay=0.0, max_delay=0.0)
        return TwilioClient(settings, session=self, retry=retry, sleep=lambda _: None)  # type: ignore[arg-type]

    def request(self, method: str, url: str, *, data: Any = None, **_: Any) -> requests.Response:
        path = urlsplit(url).path
        form = dict(data or {})
        self.sent.append((method, path, form))
        if path in self.records and method in ("GET", "POST") and not self.script:
            return _response(url, 200, self._serve(method, path, form))
        if not self.script:
            raise AssertionError(f"unexpected {method} {path} {form}: nothing more was expected")
        expected = self.script.pop(0)
        if (expected.method, expected.path) != (method, path) or (
            expected.form is not None and dict(expected.form) != form
        ):
            raise AssertionError(
                f"unexpected {method} {path} {form}; expected {expected.method} {expected.path} {expected.form}"
            )
        return _response(url, expected.status, expected.answer)

    def done(self) -> None:
        assert not self.script, f"never asked for: {[(e.method, e.path) for e in self.script]}"


def _response(url: str, status: int, body: Any) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode() if body is not None else b""
    response.url = url
    return response


def _as_twilio(kind: str, value: Any) -> Any:
    """A form value as Twilio's JSON has it: lists as lists (an empty key clears), booleans and numbers typed."""
    if kind == "list":
        items = value if isinstance(value, list) else [value]
        return [item for item in items if item != ""]
    if kind == "boolean":
        return value == "true"
    if kind == "integer":
        return int(value)
    return value if value != "" else None


def twilio_error(status: int, code: int, message: str) -> dict[str, Any]:
    """Twilio's error body (DESIGN.md: code, message, more_info, status)."""
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
