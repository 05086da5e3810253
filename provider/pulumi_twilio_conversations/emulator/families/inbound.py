"""Inbound messages: what a phone sends to a Twilio address, routed into Conversations as Twilio routes it.

Route: `POST /emulator/inbound` with `Type`, `From`, `To`, `Body` (the emulator's own; Twilio has none).
It uses the families below it, one way: addresses (auto-creation), conversations, participants (bindings),
conversation webhooks (the one auto-creation attaches) and messages.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from .. import errors
from ..errors import ApiError
from ..routing import Call, Family, Route, json_answer
from ..rules import check_choice, require
from ..state import State
from .addresses import ADDRESS_TYPES, AddressConfiguration, find_address
from .conversation_webhooks import attach
from .conversations import Conversation, create_conversation
from .messages import create_message
from .participants import bound_conversation, create_participant


def inbound(state: State, channel: str, sender: str, to: str, body: str) -> Conversation:
    """Deliver a message from `sender` to the address `to`; the conversation it landed in.

    Twilio's routing: the (sender, Twilio address) pair belongs to at most one conversation that is
    not closed, and a message from the pair goes there. Otherwise the address's configuration, when
    its auto-creation is enabled, makes a new conversation in its service: the sender joins with a
    messaging binding (address = sender, proxy address = `to`), the configured webhook (type
    `webhook`) or Studio flow (type `studio`) is attached to it, the service's webhooks apply, and
    the message is added. An address nothing routes is refused.
    """
    source = channel.upper()
    with state.lock:
        bound = bound_conversation(state, sender, to)
        config = None if bound is not None else _inbound_address(state, channel, to)
    target = bound if bound is not None else _auto_create(state, channel, sender, to, body, config, source)
    create_message(state, target.chat_service_sid, target.sid, {"Author": sender, "Body": body}, source)
    return target


def _inbound_address(state: State, channel: str, to: str) -> AddressConfiguration | None:
    """The configuration of the address a message was sent to, with or without its channel prefix (`whatsapp:`)."""
    bare = to.partition(":")[2] if to.lower().startswith(f"{channel.lower()}:") else to
    for candidate in (to, bare, f"{channel}:{bare}"):
        found = find_address(state, channel, candidate)
        if found is not None:
            return found
    return None


def _auto_create(
    state: State, channel: str, sender: str, to: str, body: str, config: AddressConfiguration | None, source: str
) -> Conversation:
    if config is None or not config.auto_enabled:
        why = "has no address configuration" if config is None else "has auto-creation disabled"
        raise ApiError(
            404,
            errors.NO_ROUTE,
            f"The {channel} address {to} {why}, and no open conversation binds {sender} to it: "
            "the message reaches no conversation",
        )
    service_sid = config.auto_conversation_service_sid
    if service_sid is None:
        raise ApiError(
            400,
            errors.INVALID_PARAMETER,
            f"The address configuration {config.sid} names no AutoCreation.ConversationServiceSid, and the "
            "emulator has no default Conversation Service to create the conversation in",
        )
    binding = {"MessagingBinding.Address": sender, "MessagingBinding.ProxyAddress": to}
    conversation = create_conversation(state, service_sid, {}, source, {**binding, "MessageBody": body})
    with state.lock:
        _attach_auto_creation_webhook(state, config, conversation)
        state.commit()
    create_participant(state, service_sid, conversation.sid, binding, source)
    return conversation


def _attach_auto_creation_webhook(state: State, config: AddressConfiguration, conversation: Conversation) -> None:
    """The conversation-scoped webhook an auto-creation of type webhook or studio gives a new conversation."""
    if config.auto_type == "webhook":
        attach(
            state,
            conversation,
            "webhook",
            url=config.auto_webhook_url,
            method=config.auto_webhook_method,
            filters=config.auto_webhook_filters,
        )
    elif config.auto_type == "studio":
        attach(state, conversation, "studio", method=config.auto_webhook_method, flow_sid=config.auto_studio_flow_sid)


def _inbound(call: Call) -> Response:
    """`POST /emulator/inbound` with `Type`, `From`, `To`, `Body`: a message arrives at a Twilio address."""
    channel = check_choice(require(call.form, "Type"), "Type", ADDRESS_TYPES)
    landed = inbound(
        call.state, channel, require(call.form, "From"), require(call.form, "To"), call.form.get("Body", "")
    )
    return json_answer({"conversation_sid": landed.sid, "chat_service_sid": landed.chat_service_sid}, 201)


FAMILY = Family("inbound", emulator_routes=(Route("/inbound", "POST", _inbound),))
