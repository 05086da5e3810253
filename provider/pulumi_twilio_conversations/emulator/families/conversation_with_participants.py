"""A conversation created with its participants in one call: `POST …/ConversationWithParticipants`.

The form is a conversation's (see `conversations`) plus `Participant`, repeated, each a JSON object with a
participant's fields in Twilio's JSON names (`{"identity": "user1"}`, `{"messaging_binding": {"address":
"+1…", "proxy_address": "+1…"}}`), at most ten. Every participant is checked before anything is created;
should one still be refused (an identity given twice, a binding another conversation holds), the
conversation goes again and the refusal is the answer. The answer is the conversation. Served by the
service and at the account level.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from werkzeug.wrappers import Response

from ..errors import ApiError, invalid_parameter
from ..routing import Call, Family, Route
from ..state import State
from .conversations import Conversation, create_conversation, delete_conversation
from .participants import create_participant, parse_participant_form

MAX_PARTICIPANTS = 10
# a participant's JSON name -> its form key on `…/Participants`
_FIELDS = {
    "identity": "Identity",
    "attributes": "Attributes",
    "role_sid": "RoleSid",
    "date_created": "DateCreated",
    "date_updated": "DateUpdated",
}
_BINDING_FIELDS = {
    "address": "MessagingBinding.Address",
    "proxy_address": "MessagingBinding.ProxyAddress",
    "projected_address": "MessagingBinding.ProjectedAddress",
}


def _text(value: Any, name: str) -> str:
    """A field's value as the form carries it: a string as it is, attributes given as an object as JSON."""
    if isinstance(value, str):
        return value
    if name == "attributes" and isinstance(value, (dict, list)):
        return json.dumps(value)
    raise invalid_parameter("Participant", f"{name} must be a string")


def _object(text: str, where: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        raise invalid_parameter("Participant", f"{where} must be a JSON object") from None
    if not isinstance(value, dict):
        raise invalid_parameter("Participant", f"{where} must be a JSON object")
    return value


def participant_form(text: str) -> dict[str, str]:
    """One `Participant` item as the form `POST …/Participants` takes, checked as that create checks it."""
    given = _object(text, "each item")
    form: dict[str, str] = {}
    for name, value in given.items():
        if name == "messaging_binding":
            binding = value if isinstance(value, dict) else _object(_text(value, name), name)
            for part, part_value in binding.items():
                if part not in _BINDING_FIELDS:
                    raise invalid_parameter("Participant", f"messaging_binding has no field {part!r}")
                form[_BINDING_FIELDS[part]] = _text(part_value, f"messaging_binding.{part}")
        elif name in _FIELDS:
            form[_FIELDS[name]] = _text(value, name)
        else:
            raise invalid_parameter("Participant", f"a participant has no field {name!r}")
    parse_participant_form(form, creating=True)
    return form


def create_with_participants(
    state: State,
    service_sid: str,
    form: Mapping[str, str],
    participants: list[str],
    source: str | None = None,
) -> Conversation:
    if len(participants) > MAX_PARTICIPANTS:
        raise invalid_parameter("Participant", f"{len(participants)} given, at most {MAX_PARTICIPANTS} are allowed")
    forms = [participant_form(text) for text in participants]
    created = create_conversation(state, service_sid, form, source)
    try:
        for member in forms:
            create_participant(state, service_sid, created.sid, member, source)
    except ApiError:
        delete_conversation(state, service_sid, created.sid)
        raise
    return created


def _create(call: Call) -> Response:
    participants = call.lists.get("Participant", [])
    return call.record(create_with_participants(call.state, call.service, call.form, participants, call.source), 201)


FAMILY = Family(
    "conversation_with_participants", service_routes=(Route("/ConversationWithParticipants", "POST", _create),)
)
