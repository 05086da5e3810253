"""Participant conversations: every conversation of a service that one participant is in.

Route: `GET …/ParticipantConversations` with `Identity` (a chat participant) or `Address` (a messaging
binding's address; Twilio asks for one of them), the service's and the account's. Each item pairs a
conversation with the participant's membership in it, in the order the participant joined. A
participant that is also a Conversation User would name the user (`participant_user_sid`); the emulator
has no users here, so that is null. A conversation made through the REST API was created by `system`.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.wrappers import Response

from ..records import JsonObject, when
from ..routing import Call, Family, Route
from ..rules import missing
from ..state import State
from .conversations import Conversation, conversations
from .participants import PARTICIPANTS, Participant

# Records (views of a conversation and a participant, not stored)


@dataclass(frozen=True)
class ParticipantConversation:
    conversation: Conversation
    participant: Participant

    @property
    def sid(self) -> str:
        return self.participant.sid

    @property
    def seq(self) -> int:
        return self.participant.seq

    def render(self, account_sid: str, base: str) -> JsonObject:
        conversation, member = self.conversation, self.participant
        url = f"{base}/v1/Services/{conversation.chat_service_sid}/Conversations/{conversation.sid}"
        return {
            "account_sid": account_sid,
            "chat_service_sid": conversation.chat_service_sid,
            "conversation_sid": conversation.sid,
            "participant_sid": member.sid,
            "conversation_friendly_name": conversation.friendly_name,
            "conversation_state": conversation.state,
            "conversation_timers": conversation.timers(),
            "conversation_attributes": conversation.attributes,
            "conversation_date_created": when(conversation.date_created),
            "conversation_date_updated": when(conversation.date_updated),
            "conversation_created_by": "system",
            "conversation_unique_name": conversation.unique_name,
            "participant_user_sid": None,
            "participant_identity": member.identity,
            "participant_messaging_binding": _binding(member),
            "links": {"participant": f"{url}/Participants/{member.sid}", "conversation": url},
        }


def _binding(member: Participant) -> JsonObject | None:
    """As Twilio's example shows it here: every key, null where the binding has nothing."""
    if member.binding_type is None:
        return None
    return {
        "address": member.binding_address,
        "proxy_address": member.binding_proxy_address,
        "type": member.binding_type,
        "level": None,
        "name": None,
        "projected_address": member.binding_projected_address,
    }


# Operations (the lock taken)


def participant_conversations(
    state: State, service_sid: str, identity: str | None, address: str | None
) -> list[ParticipantConversation]:
    """The conversations a participant is in, by identity or binding address (either one matching)."""
    if identity is None and address is None:
        raise missing("Identity or Address", "in the query")
    with state.lock:
        found = [
            ParticipantConversation(conversation, member)
            for conversation in conversations(state, service_sid)
            for member in state.rows(PARTICIPANTS, conversation.sid).values()
            if (identity is not None and member.identity == identity)
            or (address is not None and address in (member.binding_address, member.binding_projected_address))
        ]
    return sorted(found, key=lambda item: item.seq)


# Routes


def _list(call: Call) -> Response:
    identity, address = call.query.get("Identity"), call.query.get("Address")
    found = participant_conversations(call.state, call.service, identity, address)
    filters = [(name, call.query[name]) for name in ("Identity", "Address") if name in call.query]
    return call.page("conversations", found, filters=filters)


FAMILY = Family("participant_conversations", service_routes=(Route("/ParticipantConversations", "GET", _list),))
