"""The emulator's dashboard: a page at `/emulator/` that shows what happened and replays it.

Services with their settings, roles and address configurations; conversations with their participants
and messages (newest first, paged); every webhook delivery with its signed form and the receiver's
answer; filters by service, conversation and event type. A form sends an inbound message (it posts to
`POST /emulator/inbound`, the same route a test calls), a button replays a delivery, and the page
polls `GET /emulator/dashboard/changes` every second for new deliveries, conversations and messages.

How it stays safe to look at: it sits behind the API's Basic auth (browsers prompt for it); the auth
token is never in a page or a script; every string from the state goes through `html.escape` here, and
the script writes data with `textContent` only, into row templates this module renders (so each row's
markup is written once, here); a Content-Security-Policy admits only the page's own script and style, so
even an escaping slip could not run an injected script. A replay is a POST that must carry the page's
token, which a page of another origin cannot read (so it cannot make a signed-in browser replay).

What the dashboard reads of the emulator's state goes through `dashboard_state.StateView`, its one adapter.
"""

from __future__ import annotations

import html
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlencode

from werkzeug.wrappers import Response

from . import errors
from .dashboard_state import JsonObject, Record, StateView
from .errors import ApiError
from .events import POST_EVENTS, PRE_EVENTS, Delivery
from .families.addresses import ADDRESS_TYPES
from .routing import EMULATOR, Call, Family, Handler, Route

PAGE = EMULATOR.prefix + "/"
CHANGES = EMULATOR.prefix + "/dashboard/changes"
REPLAY = EMULATOR.prefix + "/deliveries/<int:Number>/replay"
SCRIPT = EMULATOR.prefix + "/static/dashboard.js"
STYLE = EMULATOR.prefix + "/static/dashboard.css"

MESSAGES_PER_PAGE = 20
DELIVERIES_PER_PAGE = 50
POLL_MILLISECONDS = 1000

Fields = Mapping[str, str]
"""One row as the page shows it: slot name -> text (the same dict fills a row here and in the script)."""


@dataclass(frozen=True)
class _View:
    """What the page shows: the filters and the pages asked for in its query."""

    service: str = ""
    conversation: str = ""
    event: str = ""
    page: int = 1  # of each conversation's messages
    deliveries_page: int = 1

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> _View:
        return cls(
            service=query.get("service", ""),
            conversation=query.get("conversation", ""),
            event=query.get("event", ""),
            page=max(1, _number(query.get("page"))),
            deliveries_page=max(1, _number(query.get("deliveries_page"))),
        )

    def link(self, **changes: str | int) -> str:
        """This view's query with `changes`, as a relative link to the page."""
        given: dict[str, str | int] = {
            "service": self.service,
            "conversation": self.conversation,
            "event": self.event,
            "page": self.page,
            "deliveries_page": self.deliveries_page,
        }
        given.update(changes)
        defaults: dict[str, str | int] = {"page": 1, "deliveries_page": 1}
        return "?" + urlencode({key: value for key, value in given.items() if value and value != defaults.get(key)})

    def chosen_services(self, services: list[JsonObject]) -> list[JsonObject]:
        return [service for service in services if not self.service or service["sid"] == self.service]

    def shows_delivery(self, delivery: Delivery) -> bool:
        form = delivery.form
        return (
            (not self.service or form.get("ChatServiceSid") == self.service)
            and (not self.conversation or form.get("ConversationSid") == self.conversation)
            and (not self.event or delivery.event_type == self.event)
        )


def _number(text: str | None) -> int:
    """A count from the query; 0 when absent or not a number."""
    return int(text) if text is not None and text.isdigit() else 0


@dataclass(frozen=True)
class _Conversation:
    record: Record
    participants: list[Record]
    messages: list[Record]  # oldest first

    @property
    def newest_seq(self) -> int:
        return max([self.record.seq, *(r.seq for r in self.participants), *(r.seq for r in self.messages)])


class Dashboard:
    """The dashboard's routes, as a `Family` of the emulator's own routes (`family`), over each call's state."""

    def __init__(self) -> None:
        self._token = secrets.token_urlsafe(16)  # what a replay must carry: only the page knows it
        static = resources.files(__package__) / "static"
        self._script = (static / "dashboard.js").read_bytes()
        self._style = (static / "dashboard.css").read_bytes()

    @property
    def family(self) -> Family:
        def route(path: str, handler: Handler, method: str = "GET") -> Route:
            return Route(path.removeprefix(EMULATOR.prefix), method, handler)

        return Family(
            "dashboard",
            emulator_routes=(
                route(PAGE, self._page),
                route(CHANGES, self._changes),
                route(REPLAY, self._replay, "POST"),
                route(SCRIPT, lambda call: _static(self._script, "text/javascript")),
                route(STYLE, lambda call: _static(self._style, "text/css")),
            ),
        )

    # Handlers

    def _page(self, call: Call) -> Response:
        state, view = StateView(call.state, call.account_sid), _View.from_query(call.query)
        services = state.services(call.base)
        shown = view.chosen_services(services)
        conversations = self._conversations(state, view, shown, call.base)
        addresses = state.addresses(call.base)
        deliveries = state.deliveries()
        page = _document(
            view=view,
            base=call.base,
            account_sid=state.account_sid,
            token=self._token,
            cursor=_cursor(deliveries, conversations),
            head=_filters(view, services, conversations) + _inbound_form(addresses),
            sections=(
                _services_section(state, shown, call.base)
                + _addresses_section(addresses, view)
                + _conversations_section(view, conversations)
                + _deliveries_section(view, deliveries)
            ),
        )
        return _secured(Response(page, content_type="text/html; charset=utf-8"))

    def _changes(self, call: Call) -> Response:
        """What is new since the page's cursor (`delivery`, `seq`): rows to add, oldest first, and the next cursor."""
        state, view = StateView(call.state, call.account_sid), _View.from_query(call.query)
        since_delivery, since_seq = _number(call.query.get("delivery")), _number(call.query.get("seq"))
        conversations = self._conversations(state, view, view.chosen_services(state.services(call.base)), call.base)
        deliveries = state.deliveries()
        changed = [c for c in conversations if c.newest_seq > since_seq]
        # new rows go on top of the first pages only (a later page keeps what it showed)
        messages = [
            (message.seq, {**_message_fields(message), "conversation": c.record.data["sid"]})
            for c in changed
            for message in c.messages
            if message.seq > since_seq and view.page == 1
        ]
        body = {
            "cursor": _cursor(deliveries, conversations),
            "conversations": [_conversation_fields(c) for c in reversed(changed)],
            "messages": [fields for _, fields in sorted(messages, key=lambda pair: pair[0])],
            "deliveries": [
                _delivery_fields(delivery)
                for delivery in deliveries
                if delivery.number > since_delivery and view.shows_delivery(delivery) and view.deliveries_page == 1
            ],
        }
        return _secured(Response(json.dumps(body), content_type="application/json"))

    def _replay(self, call: Call) -> Response:
        """`POST /emulator/deliveries/{Number}/replay` (with the page's `Token`): the new delivery, 201."""
        if not secrets.compare_digest(call.form.get("Token", ""), self._token):
            raise ApiError(403, errors.FORBIDDEN, "A replay must come from the dashboard: Token is missing or wrong")
        try:
            replayed = StateView(call.state, call.account_sid).replay(int(call.args["Number"]))
        except LookupError as exc:
            raise ApiError(404, errors.NOT_FOUND, str(exc)) from None
        return _secured(Response(json.dumps(replayed.to_json()), 201, content_type="application/json"))

    @staticmethod
    def _conversations(state: StateView, view: _View, services: list[JsonObject], base: str) -> list[_Conversation]:
        """The conversations the view shows, newest first, with their participants and messages."""
        found = [
            _Conversation(
                record,
                state.participants(service["sid"], record.data["sid"], base),
                state.messages(service["sid"], record.data["sid"], base),
            )
            for service in services
            for record in state.conversations(service["sid"], base)
            if not view.conversation or record.data["sid"] == view.conversation
        ]
        return sorted(found, key=lambda conversation: conversation.record.seq, reverse=True)


def _cursor(deliveries: list[Delivery], conversations: list[_Conversation]) -> dict[str, int]:
    """Where the page's knowledge ends: the last delivery's number and the newest record's seq in view."""
    return {
        "delivery": deliveries[-1].number if deliveries else 0,
        "seq": max((c.newest_seq for c in conversations), default=0),
    }


def _secured(response: Response) -> Response:
    """Answers of the dashboard: never cached, never framed, never sniffed; only its own script and style run."""
    response.headers.update(
        {
            "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        }
    )
    return response


def _static(content: bytes, content_type: str) -> Response:
    return _secured(Response(content, content_type=f"{content_type}; charset=utf-8"))


# Rows: one function per kind renders it filled (from its fields) or empty (the script's template)


def _text(value: object) -> str:
    """A value as the page shows it: None as nothing, a list joined, anything else as text."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _slot(tag: str, name: str, fields: Fields, css: str = "") -> str:
    """An element the script fills by name (`data-field`), holding the field's text, escaped."""
    classes = f' class="{css}"' if css else ""
    return f'<{tag} data-field="{name}"{classes}>{html.escape(fields.get(name, ""))}</{tag}>'


def _message_fields(message: Record) -> dict[str, str]:
    data = message.data
    return {
        "key": data["sid"],
        "index": _text(data.get("index")),
        "date_created": _text(data.get("date_created")),
        "author": _text(data.get("author")),
        "body": _text(data.get("body")),
        "media": ", ".join(_text(item.get("filename") or item.get("sid")) for item in data.get("media") or []),
        "delivery": _delivery_text(data.get("delivery")),
    }


def _delivery_text(delivery: JsonObject | None) -> str:
    """`2: sent all, delivered some` (the statuses some or all receipts reached); empty without receipts."""
    if not delivery:
        return ""
    reached = [f"{status} {share}" for status, share in delivery.items() if status != "total" and share != "none"]
    return f"{delivery['total']}: {', '.join(reached)}"


def _message_row(fields: Fields) -> str:
    cells = "".join(_slot("td", name, fields) for name in ("index", "date_created", "author"))
    after = "".join(_slot("td", name, fields) for name in ("media", "delivery"))
    return (
        f'<tr data-key="{html.escape(fields.get("key", ""))}">{cells}{_slot("td", "body", fields, "body")}{after}</tr>'
    )


def _participant_text(participant: JsonObject) -> str:
    binding = participant.get("messaging_binding") or {}
    if participant.get("identity"):
        return str(participant["identity"])
    address, proxy = binding.get("address"), binding.get("proxy_address")
    return f"{address} via {proxy}" if proxy else _text(address or binding.get("projected_address"))


def _conversation_fields(conversation: _Conversation) -> dict[str, str]:
    data = conversation.record.data
    participants = [_participant_text(p.data) for p in conversation.participants]
    return {
        "key": data["sid"],
        "title": _text(data.get("friendly_name") or data.get("unique_name") or "unnamed conversation"),
        "sid": data["sid"],
        "service": _text(data.get("chat_service_sid")),
        "state": _text(data.get("state")),
        "participants": ", ".join(participants) if participants else "no participants",
    }


def _conversation_card(fields: Fields, rows: str = "", pager: str = "") -> str:
    """A conversation: its title, SIDs and state, participants, and its messages table (newest first)."""
    return (
        f'<article class="conversation" data-key="{html.escape(fields.get("key", ""))}">'
        f"<h3>{_slot('span', 'title', fields)} <small>{_slot('code', 'sid', fields)}</small></h3>"
        f'<p class="meta">service {_slot("code", "service", fields)} · state {_slot("span", "state", fields)}'
        f" · participants: {_slot('span', 'participants', fields)}</p>"
        '<table class="messages"><thead><tr><th>#</th><th>created</th><th>author</th><th>body</th>'
        "<th>media</th><th>delivery</th></tr></thead>"
        f"<tbody data-rows>{rows}</tbody></table>{pager}</article>"
    )


def _delivery_fields(delivery: Delivery) -> dict[str, str]:
    status = f"{delivery.status} {delivery.outcome}" if delivery.status is not None else delivery.outcome
    notes = [f"replay of #{delivery.replay_of}" if delivery.replay_of is not None else ""]
    notes += [f"attempt {delivery.attempt}" if delivery.attempt > 1 else "", delivery.reason]
    return {
        "key": str(delivery.number),
        "number": f"#{delivery.number}",
        "date_created": delivery.date_created.isoformat(sep=" ", timespec="milliseconds").replace("+00:00", "Z"),
        "event_type": delivery.event_type,
        "target": f"{delivery.method} {delivery.url}",
        "status": status,
        "duration": f"{delivery.duration * 1000:.0f} ms",
        "note": "; ".join(note for note in notes if note),
        "form": "\n".join(f"{name}={value}" for name, value in delivery.form.items()),
        "signature": delivery.signature or "(not signed: never sent)",
        "answer": delivery.body or "(empty)",
    }


def _delivery_row(fields: Fields) -> str:
    cells = "".join(
        _slot("td", name, fields) for name in ("number", "date_created", "event_type", "target", "status", "duration")
    )
    details = (
        "<details><summary>form and answer</summary>"
        f"<h4>signed form</h4>{_slot('pre', 'form', fields)}"
        f"<h4>X-Twilio-Signature</h4>{_slot('pre', 'signature', fields)}"
        f"<h4>the receiver's answer</h4>{_slot('pre', 'answer', fields)}</details>"
    )
    return (
        f'<tr data-key="{html.escape(fields.get("key", ""))}">{cells}<td>{_slot("span", "note", fields)}{details}</td>'
        '<td><button type="button" data-replay>Replay</button></td></tr>'
    )


# Sections


def _document(
    *, view: _View, base: str, account_sid: str, token: str, cursor: Mapping[str, int], head: str, sections: str
) -> str:
    data = {
        "data-delivery": cursor["delivery"],
        "data-seq": cursor["seq"],
        "data-token": token,
        "data-poll": POLL_MILLISECONDS,
        "data-query": view.link()[1:],
    }
    attributes = " ".join(f'{name}="{html.escape(str(value))}"' for name, value in data.items())
    templates = (
        f'<template id="message-row">{_message_row({})}</template>'
        f'<template id="conversation-card">{_conversation_card({})}</template>'
        f'<template id="delivery-row">{_delivery_row({})}</template>'
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>Twilio Conversations emulator</title><link rel="stylesheet" href="{STYLE}"></head>'
        f"<body><main {attributes}><header><h1>Twilio Conversations emulator</h1>"
        f"<p>Account <code>{html.escape(account_sid)}</code> · API at <code>{html.escape(base)}</code> · "
        '<span id="live" role="status">live updates start…</span></p></header>'
        f'{head}{sections}</main>{templates}<script src="{SCRIPT}"></script></body></html>'
    )


def _options(choices: Iterable[tuple[str, str]], chosen: str) -> str:
    return "".join(
        f'<option value="{html.escape(value)}"{" selected" if value == chosen else ""}>{html.escape(label)}</option>'
        for value, label in choices
    )


def _filters(view: _View, services: list[JsonObject], conversations: list[_Conversation]) -> str:
    service_choices = [("", "every service"), *((s["sid"], f"{s['friendly_name']} ({s['sid']})") for s in services)]
    conversation_choices = [("", "every conversation")]
    for conversation in conversations:
        fields = _conversation_fields(conversation)
        conversation_choices.append((fields["sid"], f"{fields['title']} ({fields['sid']})"))
    if view.conversation and all(value != view.conversation for value, _ in conversation_choices):
        conversation_choices.append((view.conversation, view.conversation))
    event_choices = [("", "every event"), *((event, event) for event in (*POST_EVENTS, *PRE_EVENTS))]
    return (
        '<form id="filters" method="get" action=""><fieldset><legend>Show</legend>'
        f'<label>Service <select name="service">{_options(service_choices, view.service)}</select></label>'
        f'<label>Conversation <select name="conversation">{_options(conversation_choices, view.conversation)}'
        "</select></label>"
        f'<label>Event type <select name="event">{_options(event_choices, view.event)}</select></label>'
        '<button type="submit">Apply</button> <a href="?">clear</a></fieldset></form>'
    )


def _inbound_form(addresses: list[JsonObject]) -> str:
    """The form that sends an inbound message; `To` suggests the configured addresses."""
    suggestions = "".join(f'<option value="{html.escape(str(a["address"]))}">' for a in addresses)
    first = html.escape(str(addresses[0]["address"])) if addresses else ""
    return (
        '<form id="inbound" method="post" action="inbound"><fieldset><legend>Send an inbound message</legend>'
        f'<label>Type <select name="Type">{_options(((t, t) for t in ADDRESS_TYPES), "sms")}</select></label>'
        '<label>From <input name="From" required value="+15550001111"></label>'
        f'<label>To <input name="To" required list="addresses" value="{first}"></label>'
        f'<datalist id="addresses">{suggestions}</datalist>'
        '<label class="wide">Body <input name="Body" value="hi"></label>'
        '<button type="submit">Send</button> <output id="inbound-result" role="status"></output></fieldset></form>'
    )


def _settings_list(settings: JsonObject, prefix: str = "") -> list[tuple[str, str]]:
    """A settings object as (name, text) pairs, nested objects flattened (`new_message.enabled`)."""
    pairs: list[tuple[str, str]] = []
    for name, value in settings.items():
        if name in ("url", "links", "account_sid", "chat_service_sid"):
            continue
        if isinstance(value, dict):
            pairs += _settings_list(value, f"{prefix}{name}.")
        else:
            pairs.append((prefix + name, _text(value)))
    return pairs


def _definitions(pairs: list[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{html.escape(name)}</dt><dd>{html.escape(value)}</dd>" for name, value in pairs)
    return f"<dl>{items}</dl>"


def _table(headings: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f"<th>{html.escape(heading)}</th>" for heading in headings)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _services_section(state: StateView, services: list[JsonObject], base: str) -> str:
    cards = []
    for service in services:
        sid = service["sid"]
        settings = state.settings(sid, base)
        roles = state.roles(sid, base)
        names = {role["sid"]: role["friendly_name"] for role in roles}
        configuration = [
            (name, f"{names[text]} ({text})" if text in names else text)
            for name, text in _settings_list(settings.get("configuration", {}))
        ]
        role_rows = [(r["friendly_name"], r["type"], _text(r["permissions"]), r["sid"]) for r in roles]
        cards.append(
            f'<article class="service" data-key="{html.escape(sid)}">'
            f"<h3>{html.escape(service['friendly_name'])} <small><code>{html.escape(sid)}</code></small></h3>"
            f'<div class="settings"><section><h4>Configuration</h4>{_definitions(configuration)}</section>'
            f"<section><h4>Webhooks</h4>{_definitions(_settings_list(settings.get('webhooks', {})))}</section>"
            "<section><details><summary>Push notifications</summary>"
            f"{_definitions(_settings_list(settings.get('notifications', {})))}</details></section></div>"
            f"<h4>Roles</h4>{_table(('name', 'type', 'permissions', 'sid'), role_rows)}</article>"
        )
    body = "".join(cards) or "<p>No services yet.</p>"
    return f'<section id="services"><h2>Services</h2>{body}</section>'


def _addresses_section(addresses: list[JsonObject], view: _View) -> str:
    def routed_to(address: JsonObject) -> str | None:
        return (address.get("auto_creation") or {}).get("conversation_service_sid")

    shown = [address for address in addresses if not view.service or routed_to(address) == view.service]
    rows = [
        (
            a["type"],
            a["address"],
            _text(a.get("friendly_name")),
            "; ".join(f"{name}={text}" for name, text in _settings_list(a.get("auto_creation") or {}) if text),
            a["sid"],
        )
        for a in shown
    ]
    table = _table(("type", "address", "name", "auto-creation", "sid"), rows) if rows else "<p>None yet.</p>"
    return f'<section id="addresses"><h2>Address configurations</h2>{table}</section>'


def _pager(view: _View, param: str, page: int, total: int, size: int, **extra: str) -> str:
    """Links to the newer and older pages of a list shown newest first."""
    links = []
    if page > 1:
        links.append(f'<a href="{html.escape(view.link(**{param: page - 1}, **extra))}">← newer</a>')
    if page * size < total:
        links.append(f'<a href="{html.escape(view.link(**{param: page + 1}, **extra))}">older →</a>')
    pages = max(1, -(-total // size))
    return f'<nav class="pager">page {page} of {pages} · {" ".join(links)}</nav>' if links else ""


def _conversations_section(view: _View, conversations: list[_Conversation]) -> str:
    cards = []
    for conversation in conversations:
        newest_first = conversation.messages[::-1]
        start = (view.page - 1) * MESSAGES_PER_PAGE
        rows = "".join(_message_row(_message_fields(m)) for m in newest_first[start : start + MESSAGES_PER_PAGE])
        sid = conversation.record.data["sid"]
        pager = _pager(view, "page", view.page, len(newest_first), MESSAGES_PER_PAGE, conversation=sid)
        cards.append(_conversation_card(_conversation_fields(conversation), rows, pager))
    return f'<section><h2>Conversations</h2><div id="conversations">{"".join(cards)}</div></section>'


def _deliveries_section(view: _View, deliveries: list[Delivery]) -> str:
    shown = [delivery for delivery in reversed(deliveries) if view.shows_delivery(delivery)]
    start = (view.deliveries_page - 1) * DELIVERIES_PER_PAGE
    rows = "".join(_delivery_row(_delivery_fields(d)) for d in shown[start : start + DELIVERIES_PER_PAGE])
    pager = _pager(view, "deliveries_page", view.deliveries_page, len(shown), DELIVERIES_PER_PAGE)
    return (
        '<section><h2>Webhook deliveries</h2><table id="deliveries"><thead><tr><th>#</th><th>at</th><th>event</th>'
        "<th>target</th><th>status</th><th>took</th><th>notes, form and answer</th><th></th></tr></thead>"
        f"<tbody data-rows>{rows}</tbody></table>{pager}</section>"
    )
