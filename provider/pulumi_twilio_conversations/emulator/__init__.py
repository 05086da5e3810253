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

Modules: `server` (Emulator, the HTTP server), `app` (routing, auth, answers), `store` (state),
`rules` (Twilio's validation), `resources` (records and their JSON), `events` (webhook delivery),
`receiver` (a backend stand-in for tests), `dashboard` (the page at /emulator/), `background` (serving from a
thread), `paging`, `faults`, `counters`, `errors` (Twilio's error codes).
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
