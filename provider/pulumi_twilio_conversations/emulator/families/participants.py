"""Participants: the members of a conversation, a chat identity or a messaging binding (an address and its proxy).

Routes: `…/Conversations/{ConversationSid}/Participants` and `…/Participants/{Sid}` (the service's). A
participant is found by SID or identity. A binding (address, proxy address) belongs to at most one
conversation that is not closed: that is how an inbound message finds its conversation (`inbound`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from werkzeug.wrappers import Response

from .. import errors
from ..errors import ApiError, invalid_parameter, not_found
from ..records import JsonObject, new_sid, when
from ..routing import Call, Family, Route, no_content
from ..rules import (
    check_attributes,
    check_sid,
    cleared,
    either,
    format_timestamp,
    missing,
    optional,
    parse_integer,
    parse_timestamp,
)
from ..state import Kind, State
from .conversations import CONVERSATIONS, Conversation, conversation_rows, event, get_conversation, params
from .roles import get_role
from .services import ask, get_service

MAX_IDENTITY = 256
# a binding's channel, from its address prefix (`whatsapp:+1…`); a bare number is SMS
_CHANNEL_PREFIXES = ("whatsapp", "messenger", "gbm", "rcs", "apple")

# Records


@dataclass(frozen=True)
class Participant:
    """A member of one conversation: a chat identity, or a messaging binding (an address and the proxy it uses)."""

    sid: str
    chat_service_sid: str
    conversation_sid: str
    date_created: datetime
    date_updated: datetime
    seq: int
    identity: str | None = None
    attributes: str = "{}"
    role_sid: str | None = None
    binding_type: str | None = None  # `sms`, `whatsapp`, …: the channel of a messaging binding
    binding_address: str | None = None
    binding_proxy_address: str | None = None
    binding_projected_address: str | None = None
    last_read_message_index: int | None = None
    last_read_timestamp: str | None = None

    def render(self, account_sid: str, base: str) -> JsonObject:
        conversation = f"{base}/v1/Services/{self.chat_service_sid}/Conversations/{self.conversation_sid}"
        return {
            "account_sid": account_sid,
            "chat_service_sid": self.chat_service_sid,
            "conversation_sid": self.conversation_sid,
            "sid": self.sid,
            "identity": self.identity,
            "attributes": self.attributes,
            "messaging_binding": self.messaging_binding(),
            "role_sid": self.role_sid,
            "date_created": when(self.date_created),
            "date_updated": when(self.date_updated),
            "url": f"{conversation}/Participants/{self.sid}",
            "last_read_message_index": self.last_read_message_index,
            "last_read_timestamp": self.last_read_timestamp,
        }

    def messaging_binding(self) -> JsonObject | None:
        """`null` for a chat participant; else its type and addresses, as the spec's examples show them."""
        if self.binding_type is None:
            return None
        binding: JsonObject = {"type": self.binding_type}
        addresses = {
            "address": self.binding_address,
            "proxy_address": self.binding_proxy_address,
            "projected_address": self.binding_projected_address,
        }
        binding.update({key: value for key, value in addresses.items() if value is not None})
        return binding


PARTICIPANTS: Kind[Participant] = Kind("participants", Participant, CONVERSATIONS, lambda p: p.conversation_sid)

# Rules


def binding_type(address: str) -> str:
    """The channel of a messaging address: `whatsapp:+15550001111` is whatsapp, `+15550001111` is sms."""
    prefix, _, rest = address.partition(":")
    return prefix.lower() if rest and prefix.lower() in _CHANNEL_PREFIXES else "sms"


@dataclass(frozen=True)
class ParticipantInput:
    """The fields one participant create or update set; None means not given ("" clears a proxy or projection)."""

    identity: str | None = None
    address: str | None = None
    proxy_address: str | None = None
    projected_address: str | None = None
    attributes: str | None = None
    role_sid: str | None = None
    date_created: datetime | None = None
    date_updated: datetime | None = None
    last_read_message_index: int | None = None
    last_read_timestamp: str | None = None


def _identity(text: str) -> str:
    if not text or len(text) > MAX_IDENTITY:
        raise invalid_parameter("Identity", f"it must be 1 to {MAX_IDENTITY} characters")
    return text


def _removable(text: str) -> str:
    """A proxy or projected address on update: the text `null` (or nothing) removes it, as the spec says."""
    return "" if text in ("", "null") else text


def parse_participant_form(form: Mapping[str, str], *, creating: bool) -> ParticipantInput:
    """A participant: a chat Identity, or a MessagingBinding.Address with its ProxyAddress (or a projected one)."""
    given = ParticipantInput(
        identity=optional(form, "Identity", _identity),
        address=optional(form, "MessagingBinding.Address", lambda text: text) if creating else None,
        proxy_address=optional(form, "MessagingBinding.ProxyAddress", lambda t: t if creating else _removable(t)),
        projected_address=optional(
            form, "MessagingBinding.ProjectedAddress", lambda t: t if creating else _removable(t)
        ),
        attributes=optional(form, "Attributes", check_attributes),
        role_sid=optional(form, "RoleSid", lambda text: check_sid(text, "RL", "RoleSid")),
        date_created=optional(form, "DateCreated", lambda text: parse_timestamp(text, "DateCreated")),
        date_updated=optional(form, "DateUpdated", lambda text: parse_timestamp(text, "DateUpdated")),
        last_read_message_index=None
        if creating
        else optional(form, "LastReadMessageIndex", lambda text: parse_integer(text, "LastReadMessageIndex")),
        last_read_timestamp=None if creating else form.get("LastReadTimestamp"),
    )
    if creating:
        if given.address is not None and not given.address:
            raise invalid_parameter("MessagingBinding.Address", "it must not be empty")
        if given.identity is None and given.address is None and given.projected_address is None:
            raise missing("Identity or MessagingBinding.Address")
        if given.address is not None and given.identity is not None:
            raise invalid_parameter("Identity", "a participant is either a chat identity or a messaging binding")
        if given.address is not None and not given.proxy_address:
            raise missing("MessagingBinding.ProxyAddress", "for a participant with a MessagingBinding.Address")
    return given


# Operations (`get_participant`, `bound_conversation` with the lock held; the others take it)


def get_participant(state: State, service_sid: str, conversation: str, key: str) -> Participant:
    """By SID, or by identity ("Alternatively, you can pass a Participant's `identity`": the spec)."""
    found = get_conversation(state, service_sid, conversation)
    members = state.rows(PARTICIPANTS, found.sid)
    participant = members.get(key) or next((p for p in members.values() if p.identity == key), None)
    if participant is None:
        raise not_found(f"/v1/Services/{service_sid}/Conversations/{conversation}/Participants/{key}")
    return participant


def bound_conversation(state: State, address: str, proxy_address: str) -> Conversation | None:
    """The conversation, not closed, in which `address` talks through `proxy_address` (at most one)."""
    for stored in state.every(CONVERSATIONS):
        members = state.rows(PARTICIPANTS, stored.sid).values()
        if any((p.binding_address, p.binding_proxy_address) == (address, proxy_address) for p in members):
            current = stored.advanced_to(state.now())
            if current.state != "closed":
                return current
    return None


def create_participant(
    state: State, service_sid: str, conversation: str, form: Mapping[str, str], source: str | None = None
) -> Participant:
    given = parse_participant_form(form, creating=True)
    with state.lock:
        found = get_conversation(state, service_sid, conversation)
    ask(state, source, service_sid, "onParticipantAdd", {**params(found), **_form_params(given)})
    with state.lock:
        found = get_conversation(state, service_sid, found.sid)
        members = state.rows(PARTICIPANTS, found.sid)
        if given.identity is not None and any(p.identity == given.identity for p in members.values()):
            raise ApiError(409, errors.IDENTITY_TAKEN, f"Participant {given.identity!r} is already in the conversation")
        if given.address is not None and given.proxy_address is not None:
            bound = bound_conversation(state, given.address, given.proxy_address)
            if bound is not None:
                raise ApiError(
                    409,
                    errors.BINDING_TAKEN,
                    f"A binding for this participant and proxy address already exists in Conversation {bound.sid}",
                )
        if given.role_sid is not None:
            get_role(state, service_sid, given.role_sid)
        created = given.date_created or state.now()
        binding = given.address or given.projected_address
        participant = Participant(
            sid=new_sid("MB"),
            chat_service_sid=service_sid,
            conversation_sid=found.sid,
            date_created=created,
            date_updated=given.date_updated or created,
            seq=state.next_seq(),
            identity=given.identity,
            attributes=given.attributes or "{}",
            role_sid=given.role_sid or get_service(state, service_sid).configuration.default_conversation_role_sid,
            binding_type=None if binding is None else binding_type(binding),
            binding_address=given.address,
            binding_proxy_address=given.proxy_address or None,
            binding_projected_address=given.projected_address or None,
        )
        state.add(PARTICIPANTS, participant)
        state.commit()
        state.emit(source, event(found, "onParticipantAdded"), _params(participant))
        return participant


def participant(state: State, service_sid: str, conversation: str, sid: str) -> Participant:
    with state.lock:
        return get_participant(state, service_sid, conversation, sid)


def participants(state: State, service_sid: str, conversation: str) -> list[Participant]:
    return conversation_rows(state, PARTICIPANTS, service_sid, conversation)


def update_participant(
    state: State, service_sid: str, conversation: str, sid: str, form: Mapping[str, str], source: str | None = None
) -> Participant:
    given = parse_participant_form(form, creating=False)
    with state.lock:
        current = get_participant(state, service_sid, conversation, sid)
    ask(state, source, service_sid, "onParticipantUpdate", {**_params(current), **_form_params(given)})
    with state.lock:
        current = get_participant(state, service_sid, conversation, sid)
        if given.role_sid is not None:
            get_role(state, service_sid, given.role_sid)
        updated = replace(
            current,
            identity=either(given.identity, current.identity),
            attributes=given.attributes or current.attributes,
            role_sid=given.role_sid or current.role_sid,
            binding_proxy_address=cleared(given.proxy_address, current.binding_proxy_address),
            binding_projected_address=cleared(given.projected_address, current.binding_projected_address),
            date_created=given.date_created or current.date_created,
            date_updated=given.date_updated or state.now(),
            last_read_message_index=either(given.last_read_message_index, current.last_read_message_index),
            last_read_timestamp=either(given.last_read_timestamp, current.last_read_timestamp),
        )
        state.add(PARTICIPANTS, updated)
        state.commit()
        found = get_conversation(state, service_sid, current.conversation_sid)
        state.emit(source, event(found, "onParticipantUpdated"), _params(updated))
        return updated


def delete_participant(state: State, service_sid: str, conversation: str, sid: str, source: str | None = None) -> None:
    with state.lock:
        current = get_participant(state, service_sid, conversation, sid)
    ask(state, source, service_sid, "onParticipantRemove", _params(current))
    with state.lock:
        current = get_participant(state, service_sid, conversation, sid)
        state.remove(PARTICIPANTS, current)
        state.commit()
        found = get_conversation(state, service_sid, current.conversation_sid)
        state.emit(source, event(found, "onParticipantRemoved"), _params(current))


def _params(member: Participant) -> dict[str, str | None]:
    return {
        "ChatServiceSid": member.chat_service_sid,
        "ConversationSid": member.conversation_sid,
        "ParticipantSid": member.sid,
        "Identity": member.identity,
        "RoleSid": member.role_sid,
        "Attributes": member.attributes,
        "MessagingBinding.Type": member.binding_type,
        "MessagingBinding.Address": member.binding_address,
        "MessagingBinding.ProxyAddress": member.binding_proxy_address,
        "MessagingBinding.ProjectedAddress": member.binding_projected_address,
        "DateCreated": format_timestamp(member.date_created),
        "DateUpdated": format_timestamp(member.date_updated),
    }


def _form_params(given: ParticipantInput) -> dict[str, str | None]:
    return {
        "Identity": given.identity,
        "Attributes": given.attributes,
        "RoleSid": given.role_sid,
        "MessagingBinding.Address": given.address,
        "MessagingBinding.ProxyAddress": given.proxy_address or None,
        "MessagingBinding.ProjectedAddress": given.projected_address or None,
    }


# Routes


def _list(call: Call) -> Response:
    return call.page("participants", participants(call.state, call.service, call.args["ConversationSid"]))


def _create(call: Call) -> Response:
    created = create_participant(call.state, call.service, call.args["ConversationSid"], call.form, call.source)
    return call.record(created, 201)


def _fetch(call: Call) -> Response:
    return call.record(participant(call.state, call.service, call.args["ConversationSid"], call.args["Sid"]))


def _update(call: Call) -> Response:
    conversation, sid = call.args["ConversationSid"], call.args["Sid"]
    return call.record(update_participant(call.state, call.service, conversation, sid, call.form, call.source))


def _delete(call: Call) -> Response:
    delete_participant(call.state, call.service, call.args["ConversationSid"], call.args["Sid"], call.source)
    return no_content()


FAMILY = Family(
    "participants",
    kinds=(PARTICIPANTS,),
    service_routes=(
        Route("/Conversations/<ConversationSid>/Participants", "GET", _list),
        Route("/Conversations/<ConversationSid>/Participants", "POST", _create),
        Route("/Conversations/<ConversationSid>/Participants/<Sid>", "GET", _fetch),
        Route("/Conversations/<ConversationSid>/Participants/<Sid>", "POST", _update),
        Route("/Conversations/<ConversationSid>/Participants/<Sid>", "DELETE", _delete),
    ),
)
