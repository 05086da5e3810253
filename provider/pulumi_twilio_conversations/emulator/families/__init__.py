"""The emulator's resource families, one module each: its records, rules, operations and routes.

A family imports only the shared modules (`state`, `routing`, `rules`, `records`, `errors`, `events`,
`paging`) and the families it builds on, one way: roles and conversations build on services;
participants on conversations and roles; messages on participants; conversation webhooks on messages
(a new message is what a trigger matches); users on participants and messages (a user's conversations are
its participants'); credentials and addresses on none; the account on services and conversations (its
default service, its default timers); inbound on all of them. A new family is a
module and one line in `FAMILIES` (its order is that of the state file's lists and of an event's targets).
"""

from __future__ import annotations

from ..routing import Family
from . import (
    account,
    addresses,
    conversation_webhooks,
    conversations,
    credentials,
    inbound,
    messages,
    participants,
    roles,
    services,
    users,
)

FAMILIES: tuple[Family, ...] = (
    services.FAMILY,
    roles.FAMILY,
    conversations.FAMILY,
    conversation_webhooks.FAMILY,
    participants.FAMILY,
    messages.FAMILY,
    users.FAMILY,
    addresses.FAMILY,
    credentials.FAMILY,
    account.FAMILY,
    inbound.FAMILY,
)
