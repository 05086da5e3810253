"""Helpers for the emulator's tests: an HTTP client for it, and the spec's schemas as JSON Schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import requests
from jsonschema import Draft202012Validator, FormatChecker
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

SPEC = Path(__file__).with_name("spec") / "twilio_conversations_v1.json"  # Twilio's OpenAPI, see spec/SOURCE.md
TWILIO_HOST = "https://conversations.twilio.com"


class EmulatorHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """The SDK's own HTTP client, sending what it would send to Twilio to the emulator instead."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        return super().request(method, url.replace(TWILIO_HOST, self.base_url, 1), *args, **kwargs)


def sdk_client(emulator: Emulator, password: str = DEFAULT_AUTH_TOKEN) -> Client:
    """Twilio's official `Client`, unchanged but for the host it talks to (unset TWILIO_REGION / TWILIO_EDGE)."""
    return Client(DEFAULT_ACCOUNT_SID, password, http_client=EmulatorHttpClient(emulator.base_url))


class Api:
    """A `requests.Session` authenticated against the emulator, taking paths instead of URLs."""

    def __init__(self, emulator: Emulator, auth: tuple[str, str] = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)) -> None:
        self.emulator = emulator
        self.session = requests.Session()
        self.session.auth = auth

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.emulator.base_url + path

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.url(path), timeout=10, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> requests.Response:
        """POST a form; a list value repeats its key (`Filters=a&Filters=b`), as Twilio's clients send it."""
        return self.session.post(self.url(path), data=data or {}, timeout=10, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.delete(self.url(path), timeout=10, **kwargs)


def raised(call: Callable[[], Any]) -> TwilioRestException:
    """The Twilio error the SDK raised for `call`."""
    with pytest.raises(TwilioRestException) as caught:
        call()
    return caught.value


def error(response: requests.Response) -> tuple[int, int]:
    """(status, code) of a Twilio error answer, after checking its body has Twilio's shape."""
    body = response.json()
    assert set(body) == {"code", "message", "more_info", "status"}, body
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{body['code']}"
    assert body["status"] == response.status_code
    return body["status"], body["code"]


@cache
def _spec() -> dict[str, Any]:
    return load_spec()


def load_spec() -> dict[str, Any]:
    """Twilio's OpenAPI, with the one erratum Twilio's own examples show.

    A service's webhook configuration never configured answers `"method": null` (the spec's `fetchEmpty`
    example), which the schema's method enum does not allow: the example, Twilio's answer, wins.
    """
    spec: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    method = spec["components"]["schemas"]["service_webhook_configuration_enum_method"]
    method.update(nullable=True, enum=[*method["enum"], None])
    return spec


def json_schema(node: Any) -> Any:
    """OpenAPI 3.0 -> JSON Schema: `nullable: true` becomes a type union with "null"."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") and "type" in node:
        converted["type"] = [node["type"], "null"]
    return converted


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    """A validator for `schema`, resolving `#/components/...` references against the spec."""
    root = {**json_schema(schema), "components": json_schema(_spec()["components"])}
    return Draft202012Validator(root, format_checker=FormatChecker())


def component(name: str) -> dict[str, Any]:
    """A named schema (`conversations.v1.service.service_conversation`) as a reference."""
    return {"$ref": f"#/components/schemas/{name}"}


def response_schema(path: str, method: str, status: str = "200") -> dict[str, Any]:
    """The schema the spec gives for an operation's answer (for lists: the page envelope)."""
    schema: dict[str, Any] = _spec()["paths"][path][method]["responses"][status]["content"]["application/json"][
        "schema"
    ]
    return schema


def properties(name: str) -> dict[str, Any]:
    """The properties of a named schema: a resource carries every one of them."""
    found: dict[str, Any] = _spec()["components"]["schemas"][name]["properties"]
    return found


def examples(path: str, method: str, status: str = "200") -> list[dict[str, Any]]:
    """The example answers the spec gives for an operation (Twilio's own, from its docs)."""
    content = _spec()["paths"][path][method]["responses"][status]["content"]["application/json"]
    return [example["value"] for example in content.get("examples", {}).values()]


def shape(value: Any) -> Any:
    """The keys of nested objects, without the values: what two answers must share to have one form."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    return type(value).__name__ if isinstance(value, list) else None


def wire_inbound(api: Api, service: str, *, address: str, post_url: str, filters: list[str]) -> None:
    """The demo's wiring: `address` opens conversations in `service`, whose post-action events go to `post_url`."""
    form = {"Type": "sms", "Address": address, "AutoCreation.Enabled": "true"}
    api.post("/v1/Configuration/Addresses", {**form, "AutoCreation.ConversationServiceSid": service}).raise_for_status()
    hooks = {"PostWebhookUrl": post_url, "Filters": filters, "Method": "POST"}
    api.post(f"/v1/Services/{service}/Configuration/Webhooks", hooks).raise_for_status()


def assert_like_an_example(body: dict[str, Any], path: str, method: str, status: str = "200") -> None:
    """`body` has the keys, nested as they are, of one of the spec's examples for the operation (or of one item of
    a list example's page, for a record of a list)."""
    found = examples(path, method, status)
    assert found, f"the spec has no example for {method} {path}"
    assert shape(body) in [shape(example) for example in found], (shape(body), [shape(e) for e in found])
