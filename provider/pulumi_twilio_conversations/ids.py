"""Twilio SIDs and this package's composite ids, parsed in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_KIND = {"IS": "Conversation Service", "CH": "conversation", "MG": "Messaging Service", "RL": "role", "AC": "account"}


@dataclass(frozen=True)
class SidRule:
    """`prefix` + 32 hex digits."""

    prefix: str

    def matches(self, text: str) -> bool:
        return re.fullmatch(self.prefix + r"[0-9a-fA-F]{32}", text) is not None

    def check(self, text: str) -> str:
        if not self.matches(text):
            what = _KIND.get(self.prefix, "")
            raise ValueError(f"must be a {what} SID: '{self.prefix}' followed by 32 hex digits, got {text!r}")
        return text


@cache
def sid_rule(prefix: str) -> SidRule:
    return SidRule(prefix)


def parse_lookup_id(id_: str, service_sid: str | None = None) -> tuple[str, str]:
    """`IS…/CH…` (or `CH…` with the service known) → (service SID, conversation SID or unique name)."""
    service, sep, conversation = id_.rpartition("/")
    service = service if sep else service_sid or ""
    if not (sid_rule("IS").matches(service) and conversation):
        raise ValueError(
            f"conversation id {id_!r} must have the form IS<32 hex>/CH<32 hex> "
            "(the Conversation Service SID, a slash, the conversation SID)"
        )
    return service, conversation
