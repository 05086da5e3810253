"""`Store`: the emulator's state with the families' operations by name, for what calls them without HTTP.

The `Emulator`'s direct methods (and a test, or a page that shows the state) read and write through it:
`services()`, `conversations(service)`, `participants(service, conversation)`, `messages(…)`, `roles(service)`,
`addresses()`, … are the families' own operations over one `State` (see `state` and `families`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime

from .events import Dispatcher
from .families import FAMILIES
from .families import addresses as _addresses
from .families import bindings as _bindings
from .families import conversation_webhooks as _webhooks
from .families import conversations as _conversations
from .families import inbound as _inbound
from .families import media as _media
from .families import messages as _messages
from .families import participants as _participants
from .families import receipts as _receipts
from .families import roles as _roles
from .families import services as _services
from .families.addresses import AddressConfiguration
from .families.bindings import Binding
from .families.conversation_webhooks import ConversationWebhook
from .families.conversations import Conversation
from .families.media import Media
from .families.messages import Message, Receipt
from .families.participants import Participant
from .families.roles import Role
from .families.services import Service
from .state import State, utc_now


class Store:
    """Every service and conversation of the one emulated account."""

    def __init__(
        self,
        state_file: str | os.PathLike[str] | None = None,
        clock: Callable[[], datetime] = utc_now,
        dispatcher: Dispatcher | None = None,
    ) -> None:
        self.state = State(
            kinds=[kind for family in FAMILIES for kind in family.kinds],
            seeds=[seed for family in FAMILIES for seed in family.seeds],
            targets=[find for family in FAMILIES for find in family.targets],
            state_file=state_file,
            clock=clock,
            dispatcher=dispatcher,
        )

    def reset(self) -> None:
        """Forget everything (and say so in the state file)."""
        self.state.reset()

    def create_service(self, form: Mapping[str, str]) -> Service:
        return _services.create_service(self.state, form)

    def service(self, sid: str) -> Service:
        return _services.service(self.state, sid)

    def services(self) -> list[Service]:
        return _services.services(self.state)

    def create_conversation(self, service_sid: str, form: Mapping[str, str], source: str | None = None) -> Conversation:
        return _conversations.create_conversation(self.state, service_sid, form, source)

    def conversation(self, service_sid: str, sid_or_unique_name: str) -> Conversation:
        return _conversations.conversation(self.state, service_sid, sid_or_unique_name)

    def conversations(
        self, service_sid: str, *, state: str | None = None, start: str | None = None, end: str | None = None
    ) -> list[Conversation]:
        """A service's conversations in creation order; with a date filter, newest first (as Twilio lists them)."""
        return _conversations.conversations(self.state, service_sid, status=state, start=start, end=end)

    def roles(self, service_sid: str) -> list[Role]:
        return _roles.roles(self.state, service_sid)

    def webhooks(self, service_sid: str, conversation: str) -> list[ConversationWebhook]:
        return _webhooks.webhooks(self.state, service_sid, conversation)

    def participants(self, service_sid: str, conversation: str) -> list[Participant]:
        return _participants.participants(self.state, service_sid, conversation)

    def messages(self, service_sid: str, conversation: str) -> list[Message]:
        return _messages.messages(self.state, service_sid, conversation)

    def addresses(self, address_type: str | None = None) -> list[AddressConfiguration]:
        return _addresses.addresses(self.state, address_type)

    def inbound(self, channel: str, sender: str, to: str, body: str) -> Conversation:
        """Deliver a message from `sender` to the address `to`; the conversation it landed in (see `inbound`)."""
        return _inbound.inbound(self.state, channel, sender, to, body)

    def create_binding(
        self, service_sid: str, identity: str, binding_type: str, endpoint: str, credential_sid: str | None = None
    ) -> Binding:
        return _bindings.create_binding(self.state, service_sid, identity, binding_type, endpoint, credential_sid)

    def upload_media(self, service_sid: str, content: bytes, filename: str, content_type: str) -> Media:
        return _media.upload_media(self.state, service_sid, content, filename, content_type)

    def set_receipt_status(self, sid: str, status: str, error_code: int = 0) -> Receipt:
        return _receipts.set_receipt_status(self.state, sid, status, error_code)
