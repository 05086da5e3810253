"""Roles: a service's roles and their permissions, the three defaults Twilio creates with every service among them.

Routes: `…/Roles` and `…/Roles/{Sid}` (the service's).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from werkzeug.wrappers import Response

from ..errors import not_found
from ..records import JsonObject, new_sid, when
from ..routing import Call, Family, Route, no_content
from ..rules import Lists, check_choice, check_friendly_name, check_sid, listed, missing, require
from ..state import Kind, Seed, State
from .services import SERVICES, Service, get_service

ROLE_TYPES = ("conversation", "service")
MAX_ROLE_FRIENDLY_NAME = 64


@dataclass(frozen=True)
class Role:
    sid: str
    chat_service_sid: str
    friendly_name: str
    type: str
    permissions: tuple[str, ...]
    date_created: datetime
    date_updated: datetime
    seq: int

    def render(self, account_sid: str, base: str) -> JsonObject:
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "chat_service_sid": self.chat_service_sid,
            "friendly_name": self.friendly_name,
            "type": self.type,
            "permissions": list(self.permissions),
            "date_created": when(self.date_created),
            "date_updated": when(self.date_updated),
            "url": f"{base}/v1/Services/{self.chat_service_sid}/Roles/{self.sid}",
        }


ROLES: Kind[Role] = Kind("roles", Role, SERVICES, lambda role: role.chat_service_sid)

# The roles Twilio creates with every service, the ones its Configuration names. Names and service
# permissions follow Twilio's documented Chat defaults (Service User; Channel User / Channel Admin,
# channel read as conversation); the conversation user's permissions are the spec's Role example, the
# admin's add what Twilio documents for a conversation admin (Flex's Conversations roles page).
_CONVERSATION_USER = ("sendMessage", "leaveConversation", "editOwnMessage", "deleteOwnMessage")
DEFAULT_ROLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # Configuration field -> (friendly name, type, permissions)
    "default_chat_service_role_sid": ("Service User", "service", ("joinConversation", "editOwnUserInfo")),
    "default_conversation_role_sid": ("Conversation User", "conversation", _CONVERSATION_USER),
    "default_conversation_creator_role_sid": (
        "Conversation Admin",
        "conversation",
        (
            *_CONVERSATION_USER,
            "sendMediaMessage",
            "editOwnMessageAttributes",
            "editConversationAttributes",
            "editAnyMessage",
            "editAnyMessageAttributes",
            "deleteAnyMessage",
            "addParticipant",
            "removeParticipant",
        ),
    ),
}


def _add_default_roles(state: State, service: Service) -> None:
    """The roles its configuration names, with Twilio's default permissions, unless the service has them."""
    roles = state.rows(ROLES, service.sid)
    for field_name, (friendly_name, role_type, permissions) in DEFAULT_ROLES.items():
        sid = getattr(service.configuration, field_name)
        if sid not in roles:
            created = service.date_created
            state.add(
                ROLES, Role(sid, service.sid, friendly_name, role_type, permissions, created, created, state.next_seq())
            )


# Rules


@dataclass(frozen=True)
class RoleInput:
    friendly_name: str
    type: str
    permissions: tuple[str, ...]


def _permissions(lists: Lists) -> tuple[str, ...]:
    permissions = listed(lists, "Permission")
    if not permissions:  # not sent, or sent empty: a role grants at least one permission
        raise missing("Permission")
    return permissions


def parse_role_form(form: Mapping[str, str], lists: Lists) -> RoleInput:
    """A new role: FriendlyName (at most 64 characters), Type `conversation` or `service`, one Permission or more."""
    friendly_name = check_friendly_name(require(form, "FriendlyName"), MAX_ROLE_FRIENDLY_NAME)
    role_type = check_choice(require(form, "Type"), "Type", ROLE_TYPES)
    return RoleInput(friendly_name, role_type, _permissions(lists))


# Operations


def get_role(state: State, service_sid: str, sid: str) -> Role:
    """The role, else a 404 (lock held)."""
    get_service(state, service_sid, "Roles")
    check_sid(sid, "RL", "Sid")
    role = state.rows(ROLES, service_sid).get(sid)
    if role is None:
        raise not_found(f"/v1/Services/{service_sid}/Roles/{sid}")
    return role


def create_role(state: State, service_sid: str, form: Mapping[str, str], lists: Lists) -> Role:
    given = parse_role_form(form, lists)
    with state.lock:
        get_service(state, service_sid, "Roles")
        now = state.now()
        role = Role(
            new_sid("RL"), service_sid, given.friendly_name, given.type, given.permissions, now, now, state.next_seq()
        )
        state.add(ROLES, role)
        state.commit()
        return role


def role(state: State, service_sid: str, sid: str) -> Role:
    with state.lock:
        return get_role(state, service_sid, sid)


def roles(state: State, service_sid: str) -> list[Role]:
    with state.lock:
        get_service(state, service_sid, "Roles")
        return list(state.rows(ROLES, service_sid).values())


def update_role(state: State, service_sid: str, sid: str, lists: Lists) -> Role:
    """A role's permissions are replaced by those given (one or more); its name and type stay."""
    permissions = _permissions(lists)
    with state.lock:
        updated = replace(get_role(state, service_sid, sid), permissions=permissions, date_updated=state.now())
        state.add(ROLES, updated)
        state.commit()
        return updated


def delete_role(state: State, service_sid: str, sid: str) -> None:
    with state.lock:
        state.remove(ROLES, get_role(state, service_sid, sid))
        state.commit()


# Routes


def _list(call: Call) -> Response:
    return call.page("roles", roles(call.state, call.service))


def _create(call: Call) -> Response:
    return call.record(create_role(call.state, call.service, call.form, call.lists), 201)


def _fetch(call: Call) -> Response:
    return call.record(role(call.state, call.service, call.args["Sid"]))


def _update(call: Call) -> Response:
    return call.record(update_role(call.state, call.service, call.args["Sid"], call.lists))


def _delete(call: Call) -> Response:
    delete_role(call.state, call.service, call.args["Sid"])
    return no_content()


FAMILY = Family(
    "roles",
    kinds=(ROLES,),
    service_routes=(
        Route("/Roles", "GET", _list),
        Route("/Roles", "POST", _create),
        Route("/Roles/<Sid>", "GET", _fetch),
        Route("/Roles/<Sid>", "POST", _update),
        Route("/Roles/<Sid>", "DELETE", _delete),
    ),
    seeds=(Seed(SERVICES, _add_default_roles),),
)
