"""Conversation webhooks: the webhooks scoped to one conversation, a URL (`webhook`), keywords (`trigger`) or a
Studio flow (`studio`).

Routes: `…/Conversations/{ConversationSid}/Webhooks` and `…/Webhooks/{Sid}` (the service's). Each
conversation has at most five. They are targets of the conversation's post-action events (`scoped_targets`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from werkzeug.wrappers import Response

from .. import errors
from ..errors import ApiError, not_found
from ..events import Target
from ..records import JsonObject, new_sid, when
from ..routing import Call, Family, Route, no_content
from ..rules import (
    WEBHOOK_METHODS,
    Lists,
    check_choice,
    check_sid,
    check_url,
    either,
    listed,
    optional,
    parse_integer,
    require,
)
from ..state import Event, Kind, State
from .conversations import CONVERSATIONS, Conversation, conversation_rows, get_conversation
from .messages import Message

WEBHOOK_TARGETS = ("webhook", "trigger", "studio")
MAX_CONVERSATION_WEBHOOKS = 5  # "Each individual Conversation can have as many as five such webhooks" (Twilio's docs)

# Records


@dataclass(frozen=True)
class ConversationWebhook:
    """A webhook scoped to one conversation: a URL (`webhook`), keywords (`trigger`) or a Studio flow."""

    sid: str
    chat_service_sid: str
    conversation_sid: str
    target: str
    date_created: datetime
    date_updated: datetime
    seq: int
    url: str | None = None
    method: str = "POST"  # Twilio's documented default for a conversation webhook's method
    filters: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    flow_sid: str | None = None
    replay_after: int | None = None

    def render(self, account_sid: str, base: str) -> JsonObject:
        conversation = f"{base}/v1/Services/{self.chat_service_sid}/Conversations/{self.conversation_sid}"
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "chat_service_sid": self.chat_service_sid,
            "conversation_sid": self.conversation_sid,
            "target": self.target,
            "url": f"{conversation}/Webhooks/{self.sid}",
            "configuration": self.configuration(),
            "date_created": when(self.date_created),
            "date_updated": when(self.date_updated),
        }

    def configuration(self) -> JsonObject:
        """What the target uses, as the spec's examples show it (a trigger's keywords come back as `filters`)."""
        if self.target == "studio":
            return {"flow_sid": self.flow_sid}
        filters = self.triggers if self.target == "trigger" else self.filters
        return {"url": self.url, "method": self.method.lower(), "filters": list(filters)}


WEBHOOKS: Kind[ConversationWebhook] = Kind("webhooks", ConversationWebhook, CONVERSATIONS, lambda w: w.conversation_sid)

# Rules


@dataclass(frozen=True)
class WebhookInput:
    """The `Target` and `Configuration.*` fields one request set; None means not given."""

    target: str | None = None
    url: str | None = None
    method: str | None = None
    filters: tuple[str, ...] | None = None
    triggers: tuple[str, ...] | None = None
    flow_sid: str | None = None
    replay_after: int | None = None


def parse_webhook_form(form: Mapping[str, str], lists: Lists, *, creating: bool) -> WebhookInput:
    """A conversation webhook's create (Target required) or update (the target stays) form."""
    target = check_choice(require(form, "Target"), "Target", WEBHOOK_TARGETS) if creating else None
    return WebhookInput(
        target=target,
        url=optional(form, "Configuration.Url", lambda text: text and check_url(text, "Configuration.Url")),
        method=optional(
            form, "Configuration.Method", lambda text: check_choice(text, "Configuration.Method", WEBHOOK_METHODS)
        ),
        filters=listed(lists, "Configuration.Filters"),
        triggers=listed(lists, "Configuration.Triggers"),
        flow_sid=optional(form, "Configuration.FlowSid", lambda text: check_sid(text, "FW", "Configuration.FlowSid")),
        replay_after=optional(
            form, "Configuration.ReplayAfter", lambda text: parse_integer(text, "Configuration.ReplayAfter")
        ),
    )


def check_webhook_target(target: str, url: str | None, triggers: tuple[str, ...], flow_sid: str | None) -> None:
    """What each target needs: `webhook` a URL, `trigger` a URL and keywords, `studio` a flow SID."""
    needed = [
        ("Configuration.Url", target in ("webhook", "trigger") and not url),
        ("Configuration.Triggers", target == "trigger" and not triggers),
        ("Configuration.FlowSid", target == "studio" and not flow_sid),
    ]
    for key, lacking in needed:
        if lacking:
            raise ApiError(400, errors.INVALID_PARAMETER, f"Missing required parameter {key} for target {target}")


# Operations (`get_webhook`, `attach` with the lock held; the others take it)


def get_webhook(state: State, service_sid: str, conversation: str, sid: str) -> ConversationWebhook:
    found = get_conversation(state, service_sid, conversation)
    check_sid(sid, "WH", "Sid")
    webhook = state.rows(WEBHOOKS, found.sid).get(sid)
    if webhook is None:
        raise not_found(f"/v1/Services/{service_sid}/Conversations/{conversation}/Webhooks/{sid}")
    return webhook


def attach(state: State, conversation: Conversation, target: str, **configuration: Any) -> ConversationWebhook:
    """Give a conversation a new webhook (the checks of a request are the caller's)."""
    now = state.now()
    hook = ConversationWebhook(
        sid=new_sid("WH"),
        chat_service_sid=conversation.chat_service_sid,
        conversation_sid=conversation.sid,
        target=target,
        date_created=now,
        date_updated=now,
        seq=state.next_seq(),
        **configuration,
    )
    return state.add(WEBHOOKS, hook)


def create_webhook(
    state: State, service_sid: str, conversation: str, form: Mapping[str, str], lists: Lists
) -> ConversationWebhook:
    given = parse_webhook_form(form, lists, creating=True)
    assert given.target is not None, "required on create"
    check_webhook_target(given.target, given.url, given.triggers or (), given.flow_sid)
    with state.lock:
        found = get_conversation(state, service_sid, conversation)
        if len(state.rows(WEBHOOKS, found.sid)) >= MAX_CONVERSATION_WEBHOOKS:
            raise ApiError(
                400,
                errors.TOO_MANY_WEBHOOKS,
                f"A conversation can have at most {MAX_CONVERSATION_WEBHOOKS} webhooks",
            )
        created = attach(
            state,
            found,
            given.target,
            url=given.url,
            method=given.method or "POST",
            filters=given.filters or (),
            triggers=given.triggers or (),
            flow_sid=given.flow_sid,
            replay_after=given.replay_after,
        )
        state.commit()
        return created


def webhook(state: State, service_sid: str, conversation: str, sid: str) -> ConversationWebhook:
    with state.lock:
        return get_webhook(state, service_sid, conversation, sid)


def webhooks(state: State, service_sid: str, conversation: str) -> list[ConversationWebhook]:
    return conversation_rows(state, WEBHOOKS, service_sid, conversation)


def update_webhook(
    state: State, service_sid: str, conversation: str, sid: str, form: Mapping[str, str], lists: Lists
) -> ConversationWebhook:
    """The configuration fields given replace the webhook's; its target stays and must still be served."""
    given = parse_webhook_form(form, lists, creating=False)
    with state.lock:
        current = get_webhook(state, service_sid, conversation, sid)
        updated = replace(
            current,
            url=either(given.url, current.url),
            method=given.method or current.method,
            filters=either(given.filters, current.filters) or (),
            triggers=either(given.triggers, current.triggers) or (),
            flow_sid=either(given.flow_sid, current.flow_sid),
            date_updated=state.now(),
        )
        check_webhook_target(updated.target, updated.url, updated.triggers, updated.flow_sid)
        state.add(WEBHOOKS, updated)
        state.commit()
        return updated


def delete_webhook(state: State, service_sid: str, conversation: str, sid: str) -> None:
    with state.lock:
        state.remove(WEBHOOKS, get_webhook(state, service_sid, conversation, sid))
        state.commit()


def scoped_targets(state: State, event: Event) -> list[Target]:
    """Where the conversation's webhooks send a post-action event, those that take it.

    `webhook` takes the events its filters name; `trigger` takes a new message whose body holds one of
    its keywords as a word; `studio` takes every new message, at the flow's Twilio URL (never called: not
    loopback, so the delivery is recorded as refused; Studio is not emulated).
    """
    found = []
    for hook in state.rows(WEBHOOKS, event.conversation_sid).values():
        target = _target(state, hook, event)
        if target is not None:
            found.append(target)
    return found


def _target(state: State, hook: ConversationWebhook, event: Event) -> Target | None:
    if hook.target == "webhook" and event.name in hook.filters and hook.url:
        return Target(hook.url, hook.method)
    message = event.message
    if event.name != "onMessageAdded" or not isinstance(message, Message):
        return None
    if hook.target == "trigger" and hook.url:
        words = {word.strip(".,!?;:").lower() for word in (message.body or "").split()}
        if words & {keyword.lower() for keyword in hook.triggers}:
            return Target(hook.url, hook.method)
    if hook.target == "studio" and hook.flow_sid and state.dispatcher is not None:
        account = state.dispatcher.account_sid
        return Target(f"https://webhooks.twilio.com/v1/Accounts/{account}/Flows/{hook.flow_sid}", "POST")
    return None


# Routes


def _list(call: Call) -> Response:
    return call.page("webhooks", webhooks(call.state, call.service, call.args["ConversationSid"]))


def _create(call: Call) -> Response:
    created = create_webhook(call.state, call.service, call.args["ConversationSid"], call.form, call.lists)
    return call.record(created, 201)


def _fetch(call: Call) -> Response:
    return call.record(webhook(call.state, call.service, call.args["ConversationSid"], call.args["Sid"]))


def _update(call: Call) -> Response:
    conversation, sid = call.args["ConversationSid"], call.args["Sid"]
    return call.record(update_webhook(call.state, call.service, conversation, sid, call.form, call.lists))


def _delete(call: Call) -> Response:
    delete_webhook(call.state, call.service, call.args["ConversationSid"], call.args["Sid"])
    return no_content()


FAMILY = Family(
    "conversation_webhooks",
    kinds=(WEBHOOKS,),
    service_routes=(
        Route("/Conversations/<ConversationSid>/Webhooks", "GET", _list),
        Route("/Conversations/<ConversationSid>/Webhooks", "POST", _create),
        Route("/Conversations/<ConversationSid>/Webhooks/<Sid>", "GET", _fetch),
        Route("/Conversations/<ConversationSid>/Webhooks/<Sid>", "POST", _update),
        Route("/Conversations/<ConversationSid>/Webhooks/<Sid>", "DELETE", _delete),
    ),
    targets=(scoped_targets,),
)
