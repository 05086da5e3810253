"""Helpers for the emulator's tests: an HTTP client for it, and the spec's schemas as JSON Schema."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import requests
from jsonschema import Draft202012Validator, FormatChecker

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

SPEC = Path(__file__).with_name("spec") / "twilio_conversations_v1.json"  # Twilio's OpenAPI, see spec/SOURCE.md


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

    def post(self, path: str, data: dict[str, str] | None = None, **kwargs: Any) -> requests.Response:
        return self.session.post(self.url(path), data=data or {}, timeout=10, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.delete(self.url(path), timeout=10, **kwargs)


def error(response: requests.Response) -> tuple[int, int]:
    """(status, code) of a Twilio error answer, after checking its body has Twilio's shape."""
    body = response.json()
    assert set(body) == {"code", "message", "more_info", "status"}, body
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{body['code']}"
    assert body["status"] == response.status_code
    return body["status"], body["code"]


@cache
def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
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
