"""Users: a service's chat users, and each user's conversations (those it is a participant of, by identity).

Routes: `…/Users`, `…/Users/{Sid}`, `…/Users/{UserSid}/Conversations` and
`…/Users/{UserSid}/Conversations/{ConversationSid}` (the service's). A user is found by SID or by
identity (the spec: "This value can be either the `sid` or the `identity`"); an identity is unique in its
service (409 / 50201, "User already exists"). A new user's role is the service's
`default_chat_service_role_sid` unless one is given. `is_online` is `null` unless the service has
reachability on (then `false`: the emulator has no connected SDK); `is_notifiable` is `null` (no push
registration). A user conversation is the conversation seen by the participant with the user's
identity: its update sets that participant's read horizon and the user's notification level there, its
delete makes the participant leave.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from werkzeug.wrappers import Response

from ..errors import ApiError, invalid_parameter, not_found
from ..records import JsonObject, links, new_sid, when
from ..routing import Call, Family, Route, no_content
from ..rules import (
    check_attributes,
    check_choice,
    check_friendly_name,
    check_sid,
    either,
    format_timestamp,
    is_sid,
    optional,
    parse_integer,
    parse_timestamp,
    require,
)
from ..state import Kind, State
from .conversations import Conversation, conversations, get_conversation
from .messages import MESSAGES
from .participants import PARTICIPANTS, Participant
from .roles import get_role
from .services import SERVICES, get_service

USER_EXISTS = 50201  # Twilio's "User already exists" (409)
MAX_IDENTITY = 256
NOTIFICATION_LEVELS = ("default", "muted")

# Records


@dataclass(frozen=True)
class User:
    sid: str
    chat_service_sid: str
    identity: str
    role_sid: str
    date_created: datetime
    date_updated: datetime
    seq: int
    friendly_name: str | None = None
    attributes: str = "{}"
    online: bool | None = None  # None: the service's reachability is off, so Twilio reports no presence
    muted: tuple[str, ...] = ()  # the conversations whose notification level the user set to `muted`

    def render(self, account_sid: str, base: str) -> JsonObject:
        url = f"{base}/v1/Services/{self.chat_service_sid}/Users/{self.sid}"
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "chat_service_sid": self.chat_service_sid,
            "role_sid": self.role_sid,
            "identity": self.identity,
            "friendly_name": self.friendly_name,
            "attributes": self.attributes,
            "is_online": self.online,
            "is_notifiable": None,
            "date_created": when(self.date_created),
            "date_updated": when(self.date_updated),
            "url": url,
            "links": links(url, (("user_conversations", "Conversations"),)),
        }


USERS: Kind[User] = Kind("users", User, SERVICES, lambda user: user.chat_service_sid)


@dataclass(frozen=True)
class UserConversation:
    """A conversation as one of its users sees it (rendered, never stored: it is the participant's)."""

    user: User
    conversation: Conversation
    participant: Participant
    unread: int | None

    @property
    def sid(self) -> str:
        return self.conversation.sid

    @property
    def seq(self) -> int:
        return self.conversation.seq

    def render(self, account_sid: str, base: str) -> JsonObject:
        found, member = self.conversation, self.participant
        conversation = f"{base}/v1/Services/{found.chat_service_sid}/Conversations/{found.sid}"
        return {
            "account_sid": account_sid,
            "chat_service_sid": found.chat_service_sid,
            "conversation_sid": found.sid,
            "unread_messages_count": self.unread,
            "last_read_message_index": member.last_read_message_index,
            "participant_sid": member.sid,
            "user_sid": self.user.sid,
            "friendly_name": found.friendly_name,
            "conversation_state": found.state,
            "timers": found.timers(),
            "attributes": found.attributes,
            "date_created": when(found.date_created),
            "date_updated": when(found.date_updated),
            "created_by": None,  # the emulator does not record who created a conversation
            "notification_level": "muted" if found.sid in self.user.muted else "default",
            "unique_name": found.unique_name,
            "url": f"{base}/v1/Services/{found.chat_service_sid}/Users/{self.user.sid}/Conversations/{found.sid}",
            "links": {"participant": f"{conversation}/Participants/{member.sid}", "conversation": conversation},
        }


# Rules


@dataclass(frozen=True)
class UserInput:
    """The fields one create or update set; None means not given."""

    identity: str | None = None
    friendly_name: str | None = None
    attributes: str | None = None
    role_sid: str | None = None


def _identity(text: str) -> str:
    if not 0 < len(text) <= MAX_IDENTITY:
        raise invalid_parameter("Identity", f"it must be 1 to {MAX_IDENTITY} characters long")
    return text


def parse_user_form(form: Mapping[str, str], *, creating: bool) -> UserInput:
    """Identity (required on create, 1 to 256 characters), FriendlyName, Attributes (JSON), RoleSid (an RL SID)."""
    return UserInput(
        identity=_identity(require(form, "Identity")) if creating else None,
        friendly_name=optional(form, "FriendlyName", check_friendly_name),
        attributes=optional(form, "Attributes", check_attributes),
        role_sid=optional(form, "RoleSid", lambda text: check_sid(text, "RL", "RoleSid")),
    )


@dataclass(frozen=True)
class ReadInput:
    """A user conversation update: the notification level, the read horizon (index or moment)."""

    notification_level: str | None = None
    last_read_message_index: int | None = None
    last_read_timestamp: str | None = None


def parse_read_form(form: Mapping[str, str]) -> ReadInput:
    timestamp = optional(form, "LastReadTimestamp", lambda text: parse_timestamp(text, "LastReadTimestamp"))
    return ReadInput(
        notification_level=optional(
            form, "NotificationLevel", lambda text: check_choice(text, "NotificationLevel", NOTIFICATION_LEVELS)
        ),
        last_read_message_index=optional(
            form, "LastReadMessageIndex", lambda text: parse_integer(text, "LastReadMessageIndex")
        ),
        last_read_timestamp=None if timestamp is None else format_timestamp(timestamp),
    )


# Operations (`get_user`, `_user_conversation` with the lock held; the others take it)


def get_user(state: State, service_sid: str, key: str) -> User:
    """By SID or identity, else a 404."""
    get_service(state, service_sid, "Users")
    rows = state.rows(USERS, service_sid)
    found = rows.get(key) if is_sid(key, "US") else next((u for u in rows.values() if u.identity == key), None)
    if found is None:
        raise not_found(f"/v1/Services/{service_sid}/Users/{key}")
    return found


def create_user(state: State, service_sid: str, form: Mapping[str, str]) -> User:
    given = parse_user_form(form, creating=True)
    assert given.identity is not None, "required on create"
    with state.lock:
        service = get_service(state, service_sid, "Users")
        if any(user.identity == given.identity for user in state.rows(USERS, service_sid).values()):
            raise ApiError(409, USER_EXISTS, f"User with identity {given.identity!r} already exists")
        if given.role_sid is not None:
            get_role(state, service_sid, given.role_sid)
        now = state.now()
        user = User(
            sid=new_sid("US"),
            chat_service_sid=service_sid,
            identity=given.identity,
            role_sid=given.role_sid or service.configuration.default_chat_service_role_sid,
            date_created=now,
            date_updated=now,
            seq=state.next_seq(),
            friendly_name=given.friendly_name,
            attributes=given.attributes or "{}",
            online=False if service.configuration.reachability_enabled else None,
        )
        state.add(USERS, user)
        state.commit()
        return user


def user(state: State, service_sid: str, key: str) -> User:
    with state.lock:
        return get_user(state, service_sid, key)


def users(state: State, service_sid: str) -> list[User]:
    with state.lock:
        get_service(state, service_sid, "Users")
        return list(state.rows(USERS, service_sid).values())


def update_user(state: State, service_sid: str, key: str, form: Mapping[str, str]) -> User:
    given = parse_user_form(form, creating=False)
    with state.lock:
        current = get_user(state, service_sid, key)
        if given.role_sid is not None:
            get_role(state, service_sid, given.role_sid)
        updated = replace(
            current,
            friendly_name=either(given.friendly_name, current.friendly_name),
            attributes=given.attributes or current.attributes,
            role_sid=given.role_sid or current.role_sid,
            date_updated=state.now(),
        )
        state.add(USERS, updated)
        state.commit()
        return updated


def delete_user(state: State, service_sid: str, key: str) -> None:
    with state.lock:
        state.remove(USERS, get_user(state, service_sid, key))
        state.commit()


def _seen_by(state: State, found: User, conversation: Conversation) -> UserConversation | None:
    """The conversation as `found` sees it, if the user is one of its participants."""
    members = state.rows(PARTICIPANTS, conversation.sid).values()
    member = next((p for p in members if p.identity == found.identity), None)
    if member is None:
        return None
    read = member.last_read_message_index
    unread = None if read is None else sum(1 for m in state.rows(MESSAGES, conversation.sid).values() if m.index > read)
    return UserConversation(found, conversation, member, unread)


def _user_conversation(state: State, service_sid: str, user_key: str, key: str) -> UserConversation:
    found = get_user(state, service_sid, user_key)
    seen = _seen_by(state, found, get_conversation(state, service_sid, key))
    if seen is None:
        raise not_found(f"/v1/Services/{service_sid}/Users/{user_key}/Conversations/{key}")
    return seen


def user_conversations(state: State, service_sid: str, user_key: str) -> list[UserConversation]:
    every = conversations(state, service_sid)
    with state.lock:
        found = get_user(state, service_sid, user_key)
        seen = (_seen_by(state, found, conversation) for conversation in every)
        return [item for item in seen if item is not None]


def user_conversation(state: State, service_sid: str, user_key: str, key: str) -> UserConversation:
    with state.lock:
        return _user_conversation(state, service_sid, user_key, key)


def update_user_conversation(
    state: State, service_sid: str, user_key: str, key: str, form: Mapping[str, str]
) -> UserConversation:
    given = parse_read_form(form)
    with state.lock:
        seen = _user_conversation(state, service_sid, user_key, key)
        member = seen.participant
        state.add(
            PARTICIPANTS,
            replace(
                member,
                last_read_message_index=either(given.last_read_message_index, member.last_read_message_index),
                last_read_timestamp=either(given.last_read_timestamp, member.last_read_timestamp),
            ),
        )
        if given.notification_level is not None:
            others = tuple(sid for sid in seen.user.muted if sid != seen.sid)
            muted = (*others, seen.sid) if given.notification_level == "muted" else others
            state.add(USERS, replace(seen.user, muted=muted))
        state.commit()
        return _user_conversation(state, service_sid, user_key, seen.sid)


def leave_user_conversation(state: State, service_sid: str, user_key: str, key: str) -> None:
    """The user's participant leaves the conversation."""
    with state.lock:
        state.remove(PARTICIPANTS, _user_conversation(state, service_sid, user_key, key).participant)
        state.commit()


# Routes


def _list(call: Call) -> Response:
    return call.page("users", users(call.state, call.service))


def _create(call: Call) -> Response:
    return call.record(create_user(call.state, call.service, call.form), 201)


def _fetch(call: Call) -> Response:
    return call.record(user(call.state, call.service, call.args["Sid"]))


def _update(call: Call) -> Response:
    return call.record(update_user(call.state, call.service, call.args["Sid"], call.form))


def _delete(call: Call) -> Response:
    delete_user(call.state, call.service, call.args["Sid"])
    return no_content()


def _list_conversations(call: Call) -> Response:
    return call.page("conversations", user_conversations(call.state, call.service, call.args["UserSid"]))


def _fetch_conversation(call: Call) -> Response:
    args = call.args
    return call.record(user_conversation(call.state, call.service, args["UserSid"], args["ConversationSid"]))


def _update_conversation(call: Call) -> Response:
    args = call.args
    updated = update_user_conversation(call.state, call.service, args["UserSid"], args["ConversationSid"], call.form)
    return call.record(updated)


def _leave_conversation(call: Call) -> Response:
    leave_user_conversation(call.state, call.service, call.args["UserSid"], call.args["ConversationSid"])
    return no_content()


FAMILY = Family(
    "users",
    kinds=(USERS,),
    service_routes=(
        Route("/Users", "GET", _list),
        Route("/Users", "POST", _create),
        Route("/Users/<Sid>", "GET", _fetch),
        Route("/Users/<Sid>", "POST", _update),
        Route("/Users/<Sid>", "DELETE", _delete),
        Route("/Users/<UserSid>/Conversations", "GET", _list_conversations),
        Route("/Users/<UserSid>/Conversations/<ConversationSid>", "GET", _fetch_conversation),
        Route("/Users/<UserSid>/Conversations/<ConversationSid>", "POST", _update_conversation),
        Route("/Users/<UserSid>/Conversations/<ConversationSid>", "DELETE", _leave_conversation),
    ),
)
