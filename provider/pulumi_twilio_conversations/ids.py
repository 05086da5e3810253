"""Twilio SIDs and this package's composite ids, parsed in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_KIND = {
    "IS": "Conversation Service",
    "CH": "conversation",
    "MG": "Messaging Service",
    "RL": "role",
    "AC": "account",
    "FW": "Studio flow",
    "IG": "address configuration",
    "WH": "webhook",
    "CR": "credential",
    "US": "user",
    "MB": "participant",
}


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


def parse_scoped_id(id_: str, prefixes: tuple[str, ...], *known: str | None) -> tuple[str, ...]:
    """`IS…/RL…` or `IS…/CH…/WH…` → its SIDs in order; the last SID alone when the inputs know the rest."""
    parts = id_.split("/")
    if len(parts) == 1:
        parts = [*(part or "" for part in known[: len(prefixes) - 1]), parts[0]]
    valid = len(parts) == len(prefixes) and all(
        sid_rule(prefix).matches(part) for prefix, part in zip(prefixes, parts, strict=True)
    )
    if not valid:
        form = "/".join(f"{prefix}<32 hex>" for prefix in prefixes)
        raise ValueError(f"id {id_!r} must have the form {form} (the SIDs, from the service down, joined by slashes)")
    return tuple(parts)
