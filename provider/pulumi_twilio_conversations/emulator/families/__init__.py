"""The emulator's resource families, one module each: its records, rules, operations and routes.

A family imports only the shared modules (`state`, `routing`, `rules`, `records`, `errors`, `events`,
`paging`) and the families it builds on, one way: services ← roles ← conversations ← participants ←
messages ← conversation webhooks; addresses stand alone; inbound uses them all. A new family is a module
and one line in `FAMILIES` (after those it builds on: the order is that of the state file and of events).
"""

from __future__ import annotations

from ..routing import Family
from . import addresses, conversation_webhooks, conversations, inbound, messages, participants, roles, services

FAMILIES: tuple[Family, ...] = (
    services.FAMILY,
    roles.FAMILY,
    conversations.FAMILY,
    conversation_webhooks.FAMILY,
    participants.FAMILY,
    messages.FAMILY,
    addresses.FAMILY,
    inbound.FAMILY,
)
