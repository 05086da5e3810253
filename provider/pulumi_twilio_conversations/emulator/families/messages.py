"""Messages: a conversation's messages, with the media they carry and their delivery receipts.

Routes: `…/Conversations/{ConversationSid}/Messages` and `…/Messages/{Sid}` (the service's). A message's
`index` counts up from 0 in its conversation and is never reused; its author names a participant by
identity or messaging address, else it has none (`system`).

A message names at most one file by `MediaSid` (see `media`); it reports what the upload recorded of it
(a SID nothing uploaded is reported with its SID alone, the other fields null). A message to a conversation
with non-chat participants (SMS, WhatsApp, …) has one delivery receipt for each of them but its author,
born `sent`, kept in the message (they go with it); its `delivery` sums them up (see `receipts`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from werkzeug.wrappers import Response

from ..errors import invalid_parameter, not_found
from ..paging import Position
from ..records import JsonObject, links, new_sid, record_from_state, record_to_state, when
from ..routing import Call, Family, Route, no_content
from ..rules import (
    check_attributes,
    check_choice,
    check_json,
    check_sid,
    either,
    format_timestamp,
    missing,
    optional,
    parse_timestamp,
)
from ..state import Kind, State
from .conversations import CONVERSATIONS, conversation_rows, event, get_conversation, params
from .media import find_media
from .participants import PARTICIPANTS
from .services import ask

MAX_MESSAGE_BODY = 1600  # "can be up to 1,600 characters long" (the spec)
MAX_SUBJECT = 256
MESSAGE_ORDERS = ("asc", "desc")
MESSAGE_LINKS = (("delivery_receipts", "Receipts"), ("channel_metadata", "ChannelMetadata"))
RECEIPT_STATUSES = ("sent", "delivered", "read", "undelivered", "failed")
# what a status counts towards in `delivery`: a delivered message was sent, a read one delivered
_REACHED = {
    "sent": ("sent", "delivered", "read"),
    "delivered": ("delivered", "read"),
    "read": ("read",),
    "failed": ("failed",),
    "undelivered": ("undelivered",),
}

# Records


@dataclass(frozen=True)
class Receipt:
    """The delivery of one message to one non-chat participant."""

    sid: str
    chat_service_sid: str
    conversation_sid: str
    message_sid: str
    participant_sid: str
    channel_message_sid: str  # the channel's own message (`SM…`)
    date_created: datetime
    date_updated: datetime
    seq: int
    status: str = "sent"
    error_code: int = 0

    def render(self, account_sid: str, base: str) -> JsonObject:
        conversation = f"{base}/v1/Services/{self.chat_service_sid}/Conversations/{self.conversation_sid}"
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "chat_service_sid": self.chat_service_sid,
            "conversation_sid": self.conversation_sid,
            "message_sid": self.message_sid,
            "channel_message_sid": self.channel_message_sid,
            "status": self.status,
            "error_code": self.error_code,
            "participant_sid": self.participant_sid,
            "date_created": when(self.date_created),
            "date_updated": when(self.date_updated),
            "url": f"{conversation}/Messages/{self.message_sid}/Receipts/{self.sid}",
        }


@dataclass(frozen=True)
class Message:
    """A message of one conversation; `index` counts up from 0 in its conversation and is never reused."""

    sid: str
    chat_service_sid: str
    conversation_sid: str
    index: int
    date_created: datetime
    date_updated: datetime
    seq: int
    author: str = "system"
    body: str | None = None
    attributes: str = "{}"
    participant_sid: str | None = None
    subject: str | None = None
    media_sid: str | None = None
    media_size: int | None = None  # what the upload of `media_sid` recorded (None: nothing uploaded it)
    media_content_type: str | None = None
    media_filename: str | None = None
    content_sid: str | None = None
    receipts: tuple[Receipt, ...] = ()

    def render(self, account_sid: str, base: str) -> JsonObject:
        conversation = f"{base}/v1/Services/{self.chat_service_sid}/Conversations/{self.conversation_sid}"
        url = f"{conversation}/Messages/{self.sid}"
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "chat_service_sid": self.chat_service_sid,
            "conversation_sid": self.conversation_sid,
            "body": self.body,
            "media": self.media(),
            "author": self.author,
            "participant_sid": self.participant_sid,
            "attributes": self.attributes,
            "date_created": when(self.date_created),
            "date_updated": when(self.date_updated),
            "index": self.index,
            "delivery": self.delivery(),
            "content_sid": self.content_sid,
            "url": url,
            "links": links(url, MESSAGE_LINKS),
        }

    def media(self) -> list[JsonObject] | None:
        if self.media_sid is None:
            return None
        return [
            {
                "sid": self.media_sid,
                "size": self.media_size,
                "content_type": self.media_content_type,
                "filename": self.media_filename,
            }
        ]

    def delivery(self) -> JsonObject | None:
        """`null` without receipts; else how many, and whether all, some or none reached each status."""
        if not self.receipts:
            return None
        statuses = [receipt.status for receipt in self.receipts]

        def share(status: str) -> str:
            count = sum(reached in _REACHED[status] for reached in statuses)
            return "none" if count == 0 else "all" if count == len(statuses) else "some"

        return {"total": len(statuses), **{status: share(status) for status in _REACHED}}


def _message_to_state(message: Message) -> JsonObject:
    return {
        **record_to_state(replace(message, receipts=())),
        "receipts": [record_to_state(receipt) for receipt in message.receipts],
    }


def _message_from_state(data: JsonObject) -> Message:
    """A message as `_message_to_state` wrote it (one from an older state file has no receipts)."""
    message = record_from_state(Message, {key: value for key, value in data.items() if key != "receipts"})
    receipts = tuple(record_from_state(Receipt, entry) for entry in data.get("receipts", []))
    return replace(message, receipts=receipts)


MESSAGES: Kind[Message] = Kind(
    "messages", Message, CONVERSATIONS, lambda m: m.conversation_sid, _message_to_state, _message_from_state
)

# Rules


@dataclass(frozen=True)
class MessageInput:
    """The fields one message create or update set; None means not given."""

    author: str | None = None
    body: str | None = None
    attributes: str | None = None
    subject: str | None = None
    media_sid: str | None = None
    content_sid: str | None = None
    date_created: datetime | None = None
    date_updated: datetime | None = None


def _bounded(text: str, name: str, limit: int) -> str:
    if len(text) > limit:
        raise invalid_parameter(name, f"{len(text)} characters, at most {limit} are allowed")
    return text


def parse_message_form(form: Mapping[str, str], *, creating: bool) -> MessageInput:
    """A message: a Body (at most 1,600 characters), a MediaSid or a ContentSid on create; any field on update."""
    given = MessageInput(
        author=form.get("Author") or None,
        body=optional(form, "Body", lambda text: _bounded(text, "Body", MAX_MESSAGE_BODY)),
        attributes=optional(form, "Attributes", check_attributes),
        subject=optional(form, "Subject", lambda text: _bounded(text, "Subject", MAX_SUBJECT)),
        media_sid=optional(form, "MediaSid", lambda text: check_sid(text, "ME", "MediaSid")) if creating else None,
        content_sid=optional(form, "ContentSid", lambda text: check_sid(text, "HX", "ContentSid"))
        if creating
        else None,
        date_created=optional(form, "DateCreated", lambda text: parse_timestamp(text, "DateCreated")),
        date_updated=optional(form, "DateUpdated", lambda text: parse_timestamp(text, "DateUpdated")),
    )
    if creating and not (given.body or given.media_sid or given.content_sid):
        raise missing("Body, MediaSid or ContentSid")
    if creating and "ContentVariables" in form:
        check_json(form["ContentVariables"], "ContentVariables")
    return given


def parse_message_order(query: Mapping[str, str]) -> str:
    """`asc` (the default) or `desc`, in any case (the spec's examples send `AsC`)."""
    return check_choice(query.get("Order", "asc"), "Order", MESSAGE_ORDERS)


# Operations (`get_message` with the lock held; the others take it)


def get_message(state: State, service_sid: str, conversation: str, sid: str, name: str = "Sid") -> Message:
    """The message `sid` of the conversation; `name` is the path parameter that gave it (for a 400)."""
    found = get_conversation(state, service_sid, conversation)
    check_sid(sid, "IM", name)
    message = state.rows(MESSAGES, found.sid).get(sid)
    if message is None:
        raise not_found(f"/v1/Services/{service_sid}/Conversations/{conversation}/Messages/{sid}")
    return message


def _author_sid(state: State, conversation_sid: str, author: str) -> str | None:
    """The participant a message's author names (by identity or messaging address); None for `system`."""
    for member in state.rows(PARTICIPANTS, conversation_sid).values():
        if author in (member.identity, member.binding_address):
            return member.sid
    return None


def _receipts(
    state: State, service_sid: str, conversation_sid: str, message_sid: str, author_sid: str | None, now: datetime
) -> tuple[Receipt, ...]:
    """A new message's receipts: one `sent` for each non-chat participant but its author."""
    return tuple(
        Receipt(
            sid=new_sid("DY"),
            chat_service_sid=service_sid,
            conversation_sid=conversation_sid,
            message_sid=message_sid,
            participant_sid=member.sid,
            channel_message_sid=new_sid("SM"),
            date_created=now,
            date_updated=now,
            seq=state.next_seq(),
        )
        for member in state.rows(PARTICIPANTS, conversation_sid).values()
        if member.binding_type is not None and member.sid != author_sid
    )


def create_message(
    state: State, service_sid: str, conversation: str, form: Mapping[str, str], source: str | None = None
) -> Message:
    """Add a message; a pre-action webhook may block it, or change its body, author and attributes."""
    parse_message_form(form, creating=True)
    with state.lock:
        found = get_conversation(state, service_sid, conversation)
    # a new message's author is `system` unless given, as Twilio defaults it
    asked = {**params(found), "Author": "system", **_form_params(form)}
    form = {**form, **ask(state, source, service_sid, "onMessageAdd", asked)}
    given = parse_message_form(form, creating=True)
    with state.lock:
        found = get_conversation(state, service_sid, found.sid)
        created = given.date_created or state.now()
        index = found.next_message_index
        state.add(CONVERSATIONS, replace(found, next_message_index=index + 1))
        author = given.author or "system"
        sid = new_sid("IM")
        author_sid = _author_sid(state, found.sid, author)
        media = None if given.media_sid is None else find_media(state, service_sid, given.media_sid)
        message = Message(
            sid=sid,
            chat_service_sid=service_sid,
            conversation_sid=found.sid,
            index=index,
            date_created=created,
            date_updated=given.date_updated or created,
            seq=state.next_seq(),
            author=author,
            body=given.body,
            attributes=given.attributes or "{}",
            participant_sid=author_sid,
            subject=given.subject,
            media_sid=given.media_sid,
            media_size=None if media is None else media.size,
            media_content_type=None if media is None else media.content_type,
            media_filename=None if media is None else media.filename,
            content_sid=given.content_sid,
            receipts=_receipts(state, service_sid, found.sid, sid, author_sid, created),
        )
        state.add(MESSAGES, message)
        state.commit()
        state.emit(source, event(found, "onMessageAdded", message), _params(message))
        return message


def message(state: State, service_sid: str, conversation: str, sid: str) -> Message:
    with state.lock:
        return get_message(state, service_sid, conversation, sid)


def messages(state: State, service_sid: str, conversation: str) -> list[Message]:
    """A conversation's messages, oldest first."""
    return conversation_rows(state, MESSAGES, service_sid, conversation)


def update_message(
    state: State, service_sid: str, conversation: str, sid: str, form: Mapping[str, str], source: str | None = None
) -> Message:
    parse_message_form(form, creating=False)
    with state.lock:
        current = get_message(state, service_sid, conversation, sid)
    form = {**form, **ask(state, source, service_sid, "onMessageUpdate", {**_params(current), **_form_params(form)})}
    given = parse_message_form(form, creating=False)
    with state.lock:
        current = get_message(state, service_sid, conversation, sid)
        author = given.author or current.author
        updated = replace(
            current,
            author=author,
            participant_sid=_author_sid(state, current.conversation_sid, author),
            body=either(given.body, current.body),
            attributes=given.attributes or current.attributes,
            subject=either(given.subject, current.subject),
            date_created=given.date_created or current.date_created,
            date_updated=given.date_updated or state.now(),
        )
        state.add(MESSAGES, updated)
        state.commit()
        found = get_conversation(state, service_sid, current.conversation_sid)
        state.emit(source, event(found, "onMessageUpdated", updated), _params(updated))
        return updated


def delete_message(state: State, service_sid: str, conversation: str, sid: str, source: str | None = None) -> None:
    with state.lock:
        current = get_message(state, service_sid, conversation, sid)
    ask(state, source, service_sid, "onMessageRemove", _params(current))
    with state.lock:
        current = get_message(state, service_sid, conversation, sid)
        state.remove(MESSAGES, current)
        state.commit()
        found = get_conversation(state, service_sid, current.conversation_sid)
        state.emit(source, event(found, "onMessageRemoved", current), _params(current))


def _params(item: Message) -> dict[str, str | None]:
    return {
        "ChatServiceSid": item.chat_service_sid,
        "ConversationSid": item.conversation_sid,
        "MessageSid": item.sid,
        "Index": str(item.index),
        "Author": item.author,
        "Body": item.body,
        "Attributes": item.attributes,
        "ParticipantSid": item.participant_sid,
        "DateCreated": format_timestamp(item.date_created),
        "DateUpdated": format_timestamp(item.date_updated),
    }


def _form_params(form: Mapping[str, str]) -> dict[str, str | None]:
    """What a message write asks for."""
    return {key: form[key] for key in ("Author", "Body", "Attributes") if form.get(key)}


# Routes


def _newest_first(record: Message) -> Position:
    return (-record.seq,)


def _list(call: Call) -> Response:
    order = parse_message_order(call.query)
    found = messages(call.state, call.service, call.args["ConversationSid"])
    if order == "desc":
        found.reverse()
    filters = [("Order", order)] if "Order" in call.query else []
    return call.page("messages", found, _newest_first if order == "desc" else None, filters)


def _create(call: Call) -> Response:
    created = create_message(call.state, call.service, call.args["ConversationSid"], call.form, call.source)
    return call.record(created, 201)


def _fetch(call: Call) -> Response:
    return call.record(message(call.state, call.service, call.args["ConversationSid"], call.args["Sid"]))


def _update(call: Call) -> Response:
    conversation, sid = call.args["ConversationSid"], call.args["Sid"]
    return call.record(update_message(call.state, call.service, conversation, sid, call.form, call.source))


def _delete(call: Call) -> Response:
    delete_message(call.state, call.service, call.args["ConversationSid"], call.args["Sid"], call.source)
    return no_content()


FAMILY = Family(
    "messages",
    kinds=(MESSAGES,),
    service_routes=(
        Route("/Conversations/<ConversationSid>/Messages", "GET", _list),
        Route("/Conversations/<ConversationSid>/Messages", "POST", _create),
        Route("/Conversations/<ConversationSid>/Messages/<Sid>", "GET", _fetch),
        Route("/Conversations/<ConversationSid>/Messages/<Sid>", "POST", _update),
        Route("/Conversations/<ConversationSid>/Messages/<Sid>", "DELETE", _delete),
    ),
)
