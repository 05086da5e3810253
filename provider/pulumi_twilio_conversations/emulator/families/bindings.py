"""Bindings: a service's push-notification registrations (an identity's device, for APN, FCM, GCM or twilsock).

Routes: `…/Bindings` (list, filtered by `BindingType` and `Identity`, each repeatable) and `…/Bindings/{Sid}`
(fetch, delete) of the service; Twilio serves them at no account-level path. Twilio's client SDKs create
bindings (the REST API has no create), so the emulator has its own: `POST /emulator/bindings` with
`ChatServiceSid`, `Identity`, `BindingType`, `Endpoint` and optionally `CredentialSid` and `MessageTypes`
(repeated), the same as `Emulator.create_binding`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from werkzeug.wrappers import Response

from ..errors import not_found
from ..records import JsonObject, new_sid, when
from ..routing import Call, Family, Route, no_content
from ..rules import check_choice, check_sid, optional, require
from ..state import Kind, State
from .services import SERVICES, get_service

BINDING_TYPES = ("apn", "gcm", "fcm", "twilsock")
# what a binding subscribes to unless told otherwise: Conversations' push types, in the order of Twilio's example
DEFAULT_MESSAGE_TYPES = ("removed_from_conversation", "new_message", "added_to_conversation")

# Records


@dataclass(frozen=True)
class Binding:
    sid: str
    chat_service_sid: str
    identity: str
    binding_type: str
    endpoint: str
    date_created: datetime
    date_updated: datetime
    seq: int
    credential_sid: str | None = None
    message_types: tuple[str, ...] = DEFAULT_MESSAGE_TYPES

    def render(self, account_sid: str, base: str) -> JsonObject:
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "chat_service_sid": self.chat_service_sid,
            "date_created": when(self.date_created),
            "date_updated": when(self.date_updated),
            "endpoint": self.endpoint,
            "identity": self.identity,
            "binding_type": self.binding_type,
            "credential_sid": self.credential_sid,
            "message_types": list(self.message_types),
            "url": f"{base}/v1/Services/{self.chat_service_sid}/Bindings/{self.sid}",
        }


BINDINGS: Kind[Binding] = Kind("bindings", Binding, SERVICES, lambda b: b.chat_service_sid)

# Operations (`get_binding` with the lock held; the others take it)


def get_binding(state: State, service_sid: str, sid: str) -> Binding:
    get_service(state, service_sid, "Bindings")
    check_sid(sid, "BS", "Sid")
    found = state.rows(BINDINGS, service_sid).get(sid)
    if found is None:
        raise not_found(f"/v1/Services/{service_sid}/Bindings/{sid}")
    return found


def create_binding(
    state: State,
    service_sid: str,
    identity: str,
    binding_type: str,
    endpoint: str,
    credential_sid: str | None = None,
    message_types: Sequence[str] = DEFAULT_MESSAGE_TYPES,
) -> Binding:
    """Register a device as a client SDK does (the REST API has no create)."""
    chosen = check_choice(binding_type, "BindingType", BINDING_TYPES)
    if credential_sid is not None:
        check_sid(credential_sid, "CR", "CredentialSid")
    with state.lock:
        get_service(state, service_sid, "Bindings")
        now = state.now()
        binding = Binding(
            sid=new_sid("BS"),
            chat_service_sid=service_sid,
            identity=identity,
            binding_type=chosen,
            endpoint=endpoint,
            date_created=now,
            date_updated=now,
            seq=state.next_seq(),
            credential_sid=credential_sid,
            message_types=tuple(message_types),
        )
        state.add(BINDINGS, binding)
        state.commit()
        return binding


def binding(state: State, service_sid: str, sid: str) -> Binding:
    with state.lock:
        return get_binding(state, service_sid, sid)


def bindings(
    state: State, service_sid: str, binding_types: Sequence[str] = (), identities: Sequence[str] = ()
) -> list[Binding]:
    """The service's bindings in creation order; a filter given keeps those of any of its values."""
    chosen = {check_choice(text, "BindingType", BINDING_TYPES) for text in binding_types}
    with state.lock:
        get_service(state, service_sid, "Bindings")
        found = list(state.rows(BINDINGS, service_sid).values())
    return [
        item
        for item in found
        if (not chosen or item.binding_type in chosen) and (not identities or item.identity in identities)
    ]


def delete_binding(state: State, service_sid: str, sid: str) -> None:
    with state.lock:
        state.remove(BINDINGS, get_binding(state, service_sid, sid))
        state.commit()


# Routes


def _list(call: Call) -> Response:
    types, identities = call.query_lists.get("BindingType", []), call.query_lists.get("Identity", [])
    found = bindings(call.state, call.service, types, identities)
    filters = [("BindingType", value) for value in types] + [("Identity", value) for value in identities]
    return call.page("bindings", found, filters=filters)


def _fetch(call: Call) -> Response:
    return call.record(binding(call.state, call.service, call.args["Sid"]))


def _delete(call: Call) -> Response:
    delete_binding(call.state, call.service, call.args["Sid"])
    return no_content()


def _create(call: Call) -> Response:
    """`POST /emulator/bindings`: a binding as a client SDK would register it."""
    form = call.form
    created = create_binding(
        call.state,
        require(form, "ChatServiceSid"),
        require(form, "Identity"),
        require(form, "BindingType"),
        require(form, "Endpoint"),
        optional(form, "CredentialSid", lambda text: text),
        call.lists.get("MessageTypes") or DEFAULT_MESSAGE_TYPES,
    )
    return call.record(created, 201)


FAMILY = Family(
    "bindings",
    kinds=(BINDINGS,),
    service_routes=(
        Route("/Bindings", "GET", _list, account_level=False),
        Route("/Bindings/<Sid>", "GET", _fetch, account_level=False),
        Route("/Bindings/<Sid>", "DELETE", _delete, account_level=False),
    ),
    emulator_routes=(Route("/bindings", "POST", _create),),
)
