"""A local stand-in for Twilio Conversations on loopback: services (configuration, webhook and
notification settings, roles), service-scoped conversations with their participants, messages and
webhooks, address configurations; inbound messages routed as Twilio routes them, and webhooks delivered,
signed, to loopback receivers.

    with Emulator() as twilio:          # http://127.0.0.1:<free port>
        service = twilio.create_service("Support")
        ...  # point a client at twilio.base_url with DEFAULT_ACCOUNT_SID / DEFAULT_AUTH_TOKEN

It follows Twilio's OpenAPI description and Twilio's unwritten rules (error codes, states and timers,
paging), can keep its state in a file, and injects faults (429, 5xx, latency, lost answers) from a
seed. It imports nothing from the rest of the package, and the package never imports it.
`python -m pulumi_twilio_conversations.emulator --help` runs it on its own.

Modules. One per resource family, in `families/`, each holding its records, its rules, its operations and its
route table: `services` (with their configuration and settings), `roles`, `conversations`, `participants`,
`messages` (with their receipts), `receipts` (their routes), `media`, `bindings`, `participant_conversations`,
`conversation_with_participants`, `conversation_webhooks`, `addresses`, and `inbound` (messages arriving at an
address). What they share, once: `state` (the records, the lock, the state file), `records` (SIDs, JSON, the
state-file form of a record), `routing` (routes, scopes, answers, paging links), `rules` (the field rules
every form uses), `errors` (Twilio's error codes and bodies), `paging`, `events` (webhook delivery), `faults`,
`counters`. Around them: `app` (the WSGI app: it collects the families' tables, and does auth and faults),
`server` (Emulator, the HTTP server), `store` (the families' operations by name, for direct calls),
`dashboard` (the page at /emulator/; it reads the state through `dashboard_state`), `receiver` (a backend
stand-in for tests), `background` (serving from a thread).
"""

from .counters import Counters, RecordedRequest
from .events import Delivery
from .faults import Faults
from .receiver import ReceivedRequest, Receiver
from .server import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

__all__ = [
    "DEFAULT_ACCOUNT_SID",
    "DEFAULT_AUTH_TOKEN",
    "Counters",
    "Delivery",
    "Emulator",
    "Faults",
    "ReceivedRequest",
    "Receiver",
    "RecordedRequest",
]
