"""The Participant core: `/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Participants` (MB…).

A fixed member of a conversation: a chat user by `identity` (a bot, an agent), or an SMS or WhatsApp
number by `messaging_binding_address` with the Twilio number it talks to
(`messaging_binding_proxy_address`); a chat participant of a Group MMS may have a projected address.
Who the participant is cannot change: identity and the three addresses replace it, and a replacement
of the same member deletes the old one first (Twilio holds one participant per identity or address in
a conversation). After a create whose answer was lost, the participant is found again in the
conversation's list by its identity or its binding address (and proxy address).

Twilio reports an SMS participant's identity as the text `"null"` (the spec's `createSms` example);
that is no identity: it reads back as none, and state has no `identity` output for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..ids import parse_scoped_id
from .base import ACCOUNT_FIELD, ADOPT_WORDS, DATE_FIELDS, SID_FIELD, URL_FIELD, Field, ResourceSpec
from .table import ObjectCore, Wire, removal_rules
from .user import ATTRIBUTES_WORDS

if TYPE_CHECKING:
    from ..twilio import Json, TwilioClient

_BINDING = "messaging_binding."
WIRES = (
    Wire("chat_service_sid", None, "string", "The Conversation Service (IS…) of the conversation.", required=True,
         replaces=True),
    Wire("conversation_sid", None, "string", "The conversation (CH…) the participant is in.", required=True,
         replaces=True),
    Wire("identity", "Identity", "string", "A chat participant's identity (a User's); a change replaces it.",
         replaces=True),
    Wire("messaging_binding_address", "MessagingBinding.Address", "string",
         "An SMS or WhatsApp participant's address (e.g. +15558675310, whatsapp:+1…); a change replaces it.",
         reported=_BINDING + "address", replaces=True),
    Wire("messaging_binding_proxy_address", "MessagingBinding.ProxyAddress", "string",
         "The Twilio number that participant talks to; a change replaces it.", reported=_BINDING + "proxy_address",
         replaces=True),
    Wire("messaging_binding_projected_address", "MessagingBinding.ProjectedAddress", "string",
         "For a chat participant of a Group MMS: the Twilio number shown for it; a change replaces it.",
         reported=_BINDING + "projected_address", replaces=True),
    Wire("attributes", "Attributes", "json", ATTRIBUTES_WORDS, default="{}"),
    Wire("role_sid", "RoleSid", "string", "The conversation-level role (RL…) of the participant (a Role's sid)."),
)  # fmt: skip


class ParticipantCore(ObjectCore):
    """Fixed participants of a conversation: created, read, updated (attributes, role), deleted."""

    kind = "Participant"
    wires = WIRES
    model = "ParticipantInputs"
    rules = removal_rules(WIRES, create_only=frozenset({"adopt"}))

    def collection(self, props: Mapping[str, Any]) -> str:
        return f"/v1/Services/{props['chat_service_sid']}/Conversations/{props['conversation_sid']}/Participants"

    def path(self, props: Mapping[str, Any], id_: str) -> str:
        service, conversation, sid = parse_scoped_id(
            id_, ("IS", "CH", "MB"), props.get("chat_service_sid"), props.get("conversation_sid")
        )
        return f"{self.collection({'chat_service_sid': service, 'conversation_sid': conversation})}/{sid}"

    def view(self, outputs: Mapping[str, Any]) -> dict[str, Any]:
        seen = super().view(outputs)
        if seen.get("identity") == "null":  # Twilio's word for an SMS participant's missing identity
            seen["identity"] = None
        return seen

    def outputs(self, declared: Mapping[str, Any], answer: Json, names: list[str] | None = None) -> dict[str, Any]:
        outs = super().outputs(declared, answer, names)
        if outs.get("identity") == "null":  # not the output `identity` of an SMS participant
            del outs["identity"]
        return outs

    def find(self, client: TwilioClient, props: Mapping[str, Any]) -> Json | None:
        for page in client.pages(self.collection(props), "participants", {"PageSize": "100"}):
            for participant in page:
                if self._same_member(self.view(participant), props):
                    return participant
        return None

    def collides(self, current: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
        """The same identity, or the same own address (whatever the proxy), in the same conversation."""
        keys = ("chat_service_sid", "conversation_sid")
        member = "identity" if news.get("identity") else "messaging_binding_address"
        return all(current.get(k) == news.get(k) for k in (*keys, member)) and bool(news.get(member))

    @staticmethod
    def _same_member(seen: Mapping[str, Any], declared: Mapping[str, Any]) -> bool:
        """Whether two participants are one member: the same identity, or the same binding address and proxy."""
        if declared.get("identity"):
            return bool(seen.get("identity") == declared["identity"])
        keys = ("messaging_binding_address", "messaging_binding_proxy_address")
        return bool(declared.get(keys[0])) and all(seen.get(key) == declared.get(key) for key in keys)

    def cross_rules(self, news: Mapping[str, Any]) -> list[tuple[str, str]]:
        identity, address = news.get("identity"), news.get("messaging_binding_address")
        if identity and address:
            return [("messaging_binding_address", "cannot be declared with identity: a participant is either a "
                     "chat user (identity) or an SMS/WhatsApp address")]  # fmt: skip
        if not identity and not address:
            return [("identity", "or messaging_binding_address is required: a fixed participant is a chat user "
                     "(identity) or an SMS/WhatsApp address")]  # fmt: skip
        if news.get("messaging_binding_proxy_address") and not address:
            return [("messaging_binding_proxy_address", "needs messaging_binding_address (the participant's own)")]
        if news.get("messaging_binding_projected_address") and not identity:
            return [("messaging_binding_projected_address", "is for a chat participant (with identity) only")]
        return []


SPEC = ResourceSpec(
    name="Participant",
    description="A fixed participant of a conversation, such as a bot identity or an SMS number "
    "(`…/Conversations/{ConversationSid}/Participants`).",
    core=ParticipantCore(),
    import_id="IS…/CH…/MB… (the service, conversation and participant SIDs, joined by slashes)",
    fields=(
        *(wire.field for wire in WIRES),
        Field("adopt", "string", f"An existing participant SID (MB…) to {ADOPT_WORDS}."),
        SID_FIELD,
        ACCOUNT_FIELD,
        URL_FIELD,
        Field("messaging_binding", "json", "Its messaging binding, as Twilio reports it (null for chat).", input=False),
        Field("last_read_message_index", "number", "The index of the last message it read.", input=False),
        Field("last_read_timestamp", "string", "When it last read a message.", input=False),
        *DATE_FIELDS,
    ),
)
