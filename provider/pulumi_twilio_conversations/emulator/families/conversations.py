"""Conversations: a service's conversations, their states and timers, unique names and email bindings.

Routes: `…/Conversations` and `…/Conversations/{Sid}` (the service's). A conversation is found by SID or
unique name. Twilio runs conversation timers on its side; here they are applied lazily: whenever a
conversation is read, it is first moved to the state its timers say it has reached by now.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from werkzeug.wrappers import Response

from .. import errors
from ..errors import ApiError, bad_request, invalid_parameter, not_found
from ..paging import Position
from ..records import JsonObject, links, new_sid, when
from ..routing import Call, Family, Route, no_content
from ..rules import (
    check_attributes,
    check_friendly_name,
    check_sid,
    either,
    format_timestamp,
    is_sid,
    optional,
    parse_date_bound,
    parse_duration,
    parse_timestamp,
)
from ..state import Event, Kind, Params, R, State
from .services import SERVICES, ask, get_service

CONVERSATION_LINKS = (
    ("participants", "Participants"),
    ("messages", "Messages"),
    ("webhooks", "Webhooks"),
    ("export", "Export"),
)
LISTABLE_STATES = ("inactive", "active", "closed", "initializing")
SETTABLE_STATES = ("inactive", "active", "closed")
MIN_INACTIVE_TIMER = timedelta(minutes=1)
MIN_CLOSED_TIMER = timedelta(minutes=10)
# Email: local-part@domain, no white space, a domain of at least two non-empty labels.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")

# Records


@dataclass(frozen=True)
class Conversation:
    sid: str
    chat_service_sid: str
    date_created: datetime
    date_updated: datetime
    seq: int
    friendly_name: str | None = None
    unique_name: str | None = None
    attributes: str = "{}"
    messaging_service_sid: str | None = None
    state: str = "active"
    date_inactive: datetime | None = None
    date_closed: datetime | None = None
    email_address: str | None = None
    email_name: str | None = None
    next_message_index: int = 0  # the index its next message gets (see `messages`); not part of Twilio's answer

    def render(self, account_sid: str, base: str) -> JsonObject:
        url = f"{base}/v1/Services/{self.chat_service_sid}/Conversations/{self.sid}"
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "chat_service_sid": self.chat_service_sid,
            "messaging_service_sid": self.messaging_service_sid,
            "friendly_name": self.friendly_name,
            "unique_name": self.unique_name,
            "attributes": self.attributes,
            "date_created": when(self.date_created),
            "date_updated": when(self.date_updated),
            "state": self.state,
            "timers": self.timers(),
            "bindings": self.bindings(),
            "url": url,
            "links": links(url, CONVERSATION_LINKS),
        }

    def timers(self) -> dict[str, str]:
        """`{}`, or the moments the pending timers fire (only those that are set)."""
        moments = {"date_inactive": self.date_inactive, "date_closed": self.date_closed}
        return {key: format_timestamp(moment) for key, moment in moments.items() if moment is not None}

    def bindings(self) -> JsonObject:
        """As Twilio's recorded email conversation reports them: the name, and the address as `projected_address`
        (Twilio projects one from the posted Bindings.Email.Address; the emulator reports the posted one)."""
        email = {"name": self.email_name, "projected_address": self.email_address}
        given = {key: value for key, value in email.items() if value is not None}
        return {"email": given} if given else {}

    def advanced_to(self, now: datetime) -> Conversation:
        """This conversation as its timers have moved it by `now` (Twilio runs them on its side)."""
        result = self
        if result.date_inactive is not None and result.date_inactive <= now:
            state = "inactive" if result.state == "active" else result.state
            result = replace(result, state=state, date_updated=result.date_inactive, date_inactive=None)
        if result.date_closed is not None and result.date_closed <= now:
            closed_at = result.date_closed
            result = replace(result, state="closed", date_updated=closed_at, date_inactive=None, date_closed=None)
        return result


CONVERSATIONS: Kind[Conversation] = Kind("conversations", Conversation, SERVICES, lambda c: c.chat_service_sid)


def timer_moment(now: datetime, duration: timedelta | None, current: datetime | None) -> datetime | None:
    """When a timer set now fires; an absent duration keeps the current moment."""
    return current if duration is None else now + duration


# Rules (cross-field rules that only hold on create live in `parse_conversation_form`, the one reader of the form)


def check_state(text: str) -> str:
    if text not in SETTABLE_STATES:
        raise bad_request(
            errors.INVALID_STATE,
            f"State {text!r} is invalid: supported values are 'active', 'inactive', 'closed'",
        )
    return text


def check_unique_name(text: str) -> str | None:
    """A unique name, or None when empty (which removes it); a name shaped like a SID is refused."""
    if is_sid(text, "CH"):
        raise bad_request(
            errors.UNIQUE_NAME_LIKE_SID,
            'Unique name should not match conversation SID pattern "CH[0-9a-f]{32}"',
        )
    return text or None


def _timer(text: str, minimum: timedelta, format_code: int, minimum_code: int, words: str) -> timedelta:
    try:
        duration = parse_duration(text)
    except ValueError as exc:
        raise bad_request(format_code, f"{words}: {exc}") from None
    if duration < minimum:
        raise bad_request(minimum_code, f"{words} should be greater or equal to {_minutes(minimum)}")
    return duration


def parse_inactive_timer(text: str, name: str) -> timedelta:
    """An ISO 8601 duration of at least a minute (`Timers.Inactive`, the account's `DefaultInactiveTimer`)."""
    return _timer(
        text,
        MIN_INACTIVE_TIMER,
        errors.INACTIVE_TIMER_NOT_DURATION,
        errors.INACTIVE_TIMER_TOO_SHORT,
        f"{name} (TimeToInactive)",
    )


def parse_closed_timer(text: str, name: str) -> timedelta:
    """An ISO 8601 duration of at least ten minutes (`Timers.Closed`, the account's `DefaultClosedTimer`)."""
    return _timer(
        text,
        MIN_CLOSED_TIMER,
        errors.CLOSED_TIMER_NOT_DURATION,
        errors.CLOSED_TIMER_TOO_SHORT,
        f"{name} (TimeToClosed)",
    )


def _minutes(span: timedelta) -> str:
    count = int(span.total_seconds() // 60)
    return f"{count} minute" if count == 1 else f"{count} minutes"


def check_email(text: str) -> str:
    if _EMAIL.fullmatch(text) is None:
        raise invalid_parameter("Bindings.Email.Address", f"{text!r} is not an email address")
    return text


@dataclass(frozen=True)
class ConversationInput:
    """The fields one create or update request set, parsed; None means the form did not carry it."""

    friendly_name: str | None = None
    unique_name: str | None = None
    clears_unique_name: bool = False
    attributes: str | None = None
    messaging_service_sid: str | None = None
    state: str | None = None
    timer_inactive: timedelta | None = None
    timer_closed: timedelta | None = None
    date_created: datetime | None = None
    date_updated: datetime | None = None
    email_address: str | None = None
    email_name: str | None = None


def parse_conversation_form(form: Mapping[str, str], *, creating: bool) -> ConversationInput:
    """Read a Conversation create/update form as Twilio does; unknown keys are ignored, as Twilio does."""
    state = optional(form, "State", check_state)
    inactive = optional(form, "Timers.Inactive", lambda text: parse_inactive_timer(text, "Timers.Inactive"))
    closed = optional(form, "Timers.Closed", lambda text: parse_closed_timer(text, "Timers.Closed"))
    if creating and state == "closed":
        raise bad_request(errors.CLOSED_AS_INITIAL_STATE, "Initial state can't be 'closed'")
    if creating and state is None and (inactive is not None or closed is not None):
        raise bad_request(errors.TIMER_WITHOUT_STATE, "Timer can't be set without state")
    unique_name = form.get("UniqueName")
    return ConversationInput(
        friendly_name=optional(form, "FriendlyName", check_friendly_name),
        unique_name=check_unique_name(unique_name) if unique_name is not None else None,
        clears_unique_name=unique_name == "",
        attributes=optional(form, "Attributes", check_attributes),
        messaging_service_sid=optional(
            form, "MessagingServiceSid", lambda text: check_sid(text, "MG", "MessagingServiceSid")
        ),
        state=state,
        timer_inactive=inactive,
        timer_closed=closed,
        date_created=optional(form, "DateCreated", lambda text: parse_timestamp(text, "DateCreated")),
        date_updated=optional(form, "DateUpdated", lambda text: parse_timestamp(text, "DateUpdated")),
        email_address=optional(form, "Bindings.Email.Address", check_email),
        email_name=form.get("Bindings.Email.Name"),
    )


# Operations (`get_conversation` with the lock held; the others take it)


def get_conversation(state: State, service_sid: str, key: str) -> Conversation:
    """By SID or unique name, moved on by its timers; else a 404."""
    get_service(state, service_sid, "Conversations")
    rows = state.rows(CONVERSATIONS, service_sid)
    stored = rows.get(key) if is_sid(key, "CH") else next((c for c in rows.values() if c.unique_name == key), None)
    if stored is None:
        raise not_found(f"/v1/Services/{service_sid}/Conversations/{key}")
    return state.add(CONVERSATIONS, stored.advanced_to(state.now()))


def conversation_rows(state: State, kind: Kind[R], service_sid: str, conversation: str) -> list[R]:
    """The records of one kind that belong to a conversation (by SID or unique name), in creation order."""
    with state.lock:
        return list(state.rows(kind, get_conversation(state, service_sid, conversation).sid).values())


def create_conversation(
    state: State, service_sid: str, form: Mapping[str, str], source: str | None = None, context: Params | None = None
) -> Conversation:
    """Create a conversation; `source` (`API`, `SMS`, …) fires its webhooks, None keeps them quiet.

    `context` adds to the events' parameters (an auto-created conversation names the message that made it).
    """
    parse_conversation_form(form, creating=True)
    with state.lock:
        get_service(state, service_sid, "Conversations")
    asked = {"ChatServiceSid": service_sid, **_form_params(form), **(context or {})}
    form = {**form, **ask(state, source, service_sid, "onConversationAdd", asked)}
    given = parse_conversation_form(form, creating=True)
    with state.lock:
        get_service(state, service_sid, "Conversations")
        if given.unique_name is not None:
            _claim(state, service_sid, given.unique_name, None)
        now = state.now()
        created = given.date_created or now
        conversation = Conversation(
            sid=new_sid("CH"),
            chat_service_sid=service_sid,
            date_created=created,
            date_updated=given.date_updated or created,
            seq=state.next_seq(),
            friendly_name=given.friendly_name,
            unique_name=given.unique_name,
            attributes=given.attributes or "{}",
            messaging_service_sid=given.messaging_service_sid,
            state=given.state or "active",
            date_inactive=timer_moment(now, given.timer_inactive, None),
            date_closed=timer_moment(now, given.timer_closed, None),
            email_address=given.email_address,
            email_name=given.email_name,
        )
        state.add(CONVERSATIONS, conversation)
        state.commit()
        state.emit(source, event(conversation, "onConversationAdded"), {**params(conversation), **(context or {})})
        return conversation


def conversation(state: State, service_sid: str, sid_or_unique_name: str) -> Conversation:
    with state.lock:
        return get_conversation(state, service_sid, sid_or_unique_name)


def update_conversation(
    state: State, service_sid: str, sid_or_unique_name: str, form: Mapping[str, str], source: str | None = None
) -> Conversation:
    parse_conversation_form(form, creating=False)
    with state.lock:
        current = get_conversation(state, service_sid, sid_or_unique_name)
    asked = {**params(current), **_form_params(form)}
    form = {**form, **ask(state, source, service_sid, "onConversationUpdate", asked)}
    with state.lock:
        current = get_conversation(state, service_sid, current.sid)
        if current.state == "closed":
            raise ApiError(400, errors.CLOSED_IS_FINAL, "Can't update conversation as it's in final closed state")
        given = parse_conversation_form(form, creating=False)
        unique_name = None if given.clears_unique_name else given.unique_name or current.unique_name
        if unique_name is not None and unique_name != current.unique_name:
            _claim(state, service_sid, unique_name, current.sid)
        now = state.now()
        moved = given.state or current.state
        closing = moved == "closed"
        updated = replace(
            current,
            date_created=given.date_created or current.date_created,
            date_updated=given.date_updated or now,
            friendly_name=either(given.friendly_name, current.friendly_name),
            unique_name=unique_name,
            attributes=given.attributes or current.attributes,
            messaging_service_sid=given.messaging_service_sid or current.messaging_service_sid,
            state=moved,
            date_inactive=None if closing else timer_moment(now, given.timer_inactive, current.date_inactive),
            date_closed=None if closing else timer_moment(now, given.timer_closed, current.date_closed),
            email_address=either(given.email_address, current.email_address),
            email_name=either(given.email_name, current.email_name),
        )
        state.add(CONVERSATIONS, updated)
        state.commit()
        state.emit(source, event(updated, "onConversationUpdated"), params(updated))
        if updated.state != current.state:
            change = {"StateFrom": current.state, "StateTo": updated.state, "Reason": "API"}
            state.emit(source, event(updated, "onConversationStateUpdated"), {**params(updated), **change})
        return updated


def delete_conversation(state: State, service_sid: str, sid_or_unique_name: str, source: str | None = None) -> None:
    with state.lock:
        current = get_conversation(state, service_sid, sid_or_unique_name)
    ask(state, source, service_sid, "onConversationRemove", params(current))
    with state.lock:
        current = get_conversation(state, service_sid, current.sid)
        state.emit(source, event(current, "onConversationRemoved"), params(current))
        state.remove(CONVERSATIONS, current)
        state.commit()


def conversations(
    state: State, service_sid: str, *, status: str | None = None, start: str | None = None, end: str | None = None
) -> list[Conversation]:
    """A service's conversations in creation order; with a date filter, newest first (as Twilio lists them)."""
    if status is not None and status not in LISTABLE_STATES:
        raise ApiError(400, errors.INVALID_STATE, f"State {status!r} is invalid")
    after = parse_date_bound(start, "StartDate") if start is not None else None
    before = parse_date_bound(end, "EndDate") if end is not None else None
    with state.lock:
        get_service(state, service_sid, "Conversations")
        now = state.now()
        found = [
            state.add(CONVERSATIONS, stored.advanced_to(now))
            for stored in list(state.rows(CONVERSATIONS, service_sid).values())
        ]
    found = [
        c
        for c in found
        if (status is None or c.state == status)
        and (after is None or c.date_created >= after)
        and (before is None or c.date_created <= before)
    ]
    if after is not None or before is not None:
        found.sort(key=lambda c: (c.date_created, c.seq), reverse=True)
    return found


def _claim(state: State, service_sid: str, unique_name: str, owner: str | None) -> None:
    holder = next(
        (c.sid for c in state.rows(CONVERSATIONS, service_sid).values() if c.unique_name == unique_name), None
    )
    if holder is not None and holder != owner:
        raise ApiError(409, errors.UNIQUE_NAME_TAKEN, "Conversation with provided unique name already exists")


# The parameters of its events, in Twilio's names (its Conversations webhooks guide)


def event(conversation: Conversation, name: str, message: object = None) -> Event:
    return Event(name, conversation.chat_service_sid, conversation.sid, message)


def params(conversation: Conversation) -> dict[str, str | None]:
    return {
        "ChatServiceSid": conversation.chat_service_sid,
        "ConversationSid": conversation.sid,
        "FriendlyName": conversation.friendly_name,
        "UniqueName": conversation.unique_name,
        "Attributes": conversation.attributes,
        "State": conversation.state,
        "MessagingServiceSid": conversation.messaging_service_sid,
        "DateCreated": format_timestamp(conversation.date_created),
        "DateUpdated": format_timestamp(conversation.date_updated),
    }


def _form_params(form: Mapping[str, str]) -> dict[str, str | None]:
    """What a conversation write asks for, as a pre-action webhook is told."""
    return {key: form.get(key) for key in ("FriendlyName", "UniqueName", "Attributes", "State") if key in form}


# Routes


def _newest_first(record: Conversation) -> Position:
    return (-int(record.date_created.timestamp()), -record.seq)


def _list(call: Call) -> Response:
    query = call.query
    filters = [(name, query[name]) for name in ("State", "StartDate", "EndDate") if name in query]
    found = conversations(
        call.state, call.service, status=query.get("State"), start=query.get("StartDate"), end=query.get("EndDate")
    )
    newest_first = "StartDate" in query or "EndDate" in query
    return call.page("conversations", found, _newest_first if newest_first else None, filters)


def _create(call: Call) -> Response:
    return call.record(create_conversation(call.state, call.service, call.form, call.source), 201)


def _fetch(call: Call) -> Response:
    return call.record(conversation(call.state, call.service, call.args["Sid"]))


def _update(call: Call) -> Response:
    return call.record(update_conversation(call.state, call.service, call.args["Sid"], call.form, call.source))


def _delete(call: Call) -> Response:
    delete_conversation(call.state, call.service, call.args["Sid"], call.source)
    return no_content()


FAMILY = Family(
    "conversations",
    kinds=(CONVERSATIONS,),
    service_routes=(
        Route("/Conversations", "GET", _list),
        Route("/Conversations", "POST", _create),
        Route("/Conversations/<Sid>", "GET", _fetch),
        Route("/Conversations/<Sid>", "POST", _update),
        Route("/Conversations/<Sid>", "DELETE", _delete),
    ),
)
