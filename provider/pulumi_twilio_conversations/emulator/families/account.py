"""The account's Conversations settings, and the account-level tree that acts on its default service.

Routes: `/v1/Configuration` (the default chat and messaging services, the default conversation timers)
and `/v1/Configuration/Webhooks` (the account's webhook settings), both the account's.

A real Twilio account always has a default Conversation Service, which `/v1/Configuration` names and
the account-level tree (`/v1/Conversations/…`, `/v1/Roles`, `/v1/Users`, …) acts on. Here it is made
lazily, the first time something needs it: a request to an account-level route or to
`/v1/Configuration` creates a service named "Default Conversations Service" and names it there. So an
emulator nobody asked about the account has no service at all (what tests of the service tree count on),
and one that was asked answers as Twilio does, never `null`. When the service the configuration names
is deleted (Twilio refuses that; the emulator lets a test delete any service), the next account-level
request makes a new default the same way. `ACCOUNT_LEVEL` is the scope that mounts the service tree
under `/v1` on that service (see `routing`).

The webhook settings of an account never configured answer method `POST`, target `webhook`, no URL and
no filter: the schema allows no `null` method or target, and these are Twilio's documented defaults. They
are the global webhooks of the default service's conversations: with target `webhook`, the post-action
events the filters name go to `post_webhook_url` too (the pre-action URL is kept, not called).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta

from werkzeug.wrappers import Response

from ..events import Target
from ..records import JsonObject
from ..routing import Call, Family, Route, Scope
from ..rules import WEBHOOK_METHODS, Lists, check_choice, check_sid, check_url, cleared, either, listed, optional
from ..state import Event, Kind, State
from .conversations import parse_closed_timer, parse_inactive_timer
from .services import SERVICES, create_service, get_service

DEFAULT_SERVICE_NAME = "Default Conversations Service"
WEBHOOK_TARGETS = ("webhook", "flex")
_KEY = "account"  # the one record of its kind


@dataclass(frozen=True)
class AccountSettings:
    """`/v1/Configuration` and `/v1/Configuration/Webhooks`: one record, the account's."""

    seq: int
    sid: str = _KEY
    default_chat_service_sid: str | None = None
    default_messaging_service_sid: str | None = None
    default_inactive_timer: str | None = None
    default_closed_timer: str | None = None
    method: str = "POST"
    filters: tuple[str, ...] = ()
    pre_webhook_url: str | None = None
    post_webhook_url: str | None = None
    target: str = "webhook"

    def render(self, account_sid: str, base: str) -> JsonObject:
        url = f"{base}/v1/Configuration"
        service = self.default_chat_service_sid
        return {
            "account_sid": account_sid,
            "default_chat_service_sid": service,
            "default_messaging_service_sid": self.default_messaging_service_sid,
            "default_inactive_timer": self.default_inactive_timer,
            "default_closed_timer": self.default_closed_timer,
            "url": url,
            "links": {
                "service": f"{base}/v1/Services/{service}/Configuration",
                "webhooks": f"{url}/Webhooks",
            },
        }

    def render_webhooks(self, account_sid: str, base: str) -> JsonObject:
        return {
            "account_sid": account_sid,
            "pre_webhook_url": self.pre_webhook_url,
            "post_webhook_url": self.post_webhook_url,
            "method": self.method,
            "filters": list(self.filters),
            "target": self.target,
            "url": f"{base}/v1/Configuration/Webhooks",
        }


ACCOUNT_SETTINGS: Kind[AccountSettings] = Kind("account", AccountSettings)

# Rules


@dataclass(frozen=True)
class ConfigurationInput:
    """The fields one `/v1/Configuration` update set; None means not given."""

    default_chat_service_sid: str | None = None
    default_messaging_service_sid: str | None = None
    default_inactive_timer: str | None = None
    default_closed_timer: str | None = None


def parse_configuration_form(form: Mapping[str, str]) -> ConfigurationInput:
    """An IS and an MG SID; the timers ISO 8601 durations of at least 1 and 10 minutes, as a conversation's."""

    def timer(key: str, parse: Callable[[str, str], timedelta]) -> str | None:
        text = form.get(key)
        if text is not None:
            parse(text, key)  # checked, and kept as given (Twilio answers the duration it was sent)
        return text

    return ConfigurationInput(
        default_chat_service_sid=optional(
            form, "DefaultChatServiceSid", lambda text: check_sid(text, "IS", "DefaultChatServiceSid")
        ),
        default_messaging_service_sid=optional(
            form, "DefaultMessagingServiceSid", lambda text: check_sid(text, "MG", "DefaultMessagingServiceSid")
        ),
        default_inactive_timer=timer("DefaultInactiveTimer", parse_inactive_timer),
        default_closed_timer=timer("DefaultClosedTimer", parse_closed_timer),
    )


@dataclass(frozen=True)
class WebhooksInput:
    """The fields one `/v1/Configuration/Webhooks` update set; None means not given, "" in a URL clears it."""

    method: str | None = None
    filters: tuple[str, ...] | None = None
    pre_webhook_url: str | None = None
    post_webhook_url: str | None = None
    target: str | None = None


def parse_webhooks_form(form: Mapping[str, str], lists: Lists) -> WebhooksInput:
    def url(key: str) -> str | None:
        return optional(form, key, lambda text: text and check_url(text, key))  # empty clears the URL

    return WebhooksInput(
        method=optional(form, "Method", lambda text: check_choice(text, "Method", WEBHOOK_METHODS)),
        filters=listed(lists, "Filters"),
        pre_webhook_url=url("PreWebhookUrl"),
        post_webhook_url=url("PostWebhookUrl"),
        target=optional(form, "Target", lambda text: check_choice(text, "Target", WEBHOOK_TARGETS)),
    )


# Operations (`settings` with the lock held; the others take it)


def settings(state: State, chosen: str | None = None) -> AccountSettings:
    """The account's settings, with a default service that exists: `chosen` (an existing service) if given, else
    the one named, else one made now (lock held)."""
    current = state.rows(ACCOUNT_SETTINGS).get(_KEY) or AccountSettings(state.next_seq())
    named = chosen or current.default_chat_service_sid
    if named is None or named not in state.rows(SERVICES):
        named = create_service(state, {"FriendlyName": DEFAULT_SERVICE_NAME}).sid
    if named != current.default_chat_service_sid:
        current = state.add(ACCOUNT_SETTINGS, replace(current, default_chat_service_sid=named))
        state.commit()
    return current


def default_service(state: State) -> str:
    """The SID of the account's default service (created on first need)."""
    with state.lock:
        service = settings(state).default_chat_service_sid
        assert service is not None, "settings() names one"
        return service


def account_settings(state: State) -> AccountSettings:
    with state.lock:
        return settings(state)


def update_configuration(state: State, form: Mapping[str, str]) -> AccountSettings:
    given = parse_configuration_form(form)
    with state.lock:
        if given.default_chat_service_sid is not None:
            get_service(state, given.default_chat_service_sid)
        current = settings(state, given.default_chat_service_sid)
        updated = replace(
            current,
            default_messaging_service_sid=either(
                given.default_messaging_service_sid, current.default_messaging_service_sid
            ),
            default_inactive_timer=either(given.default_inactive_timer, current.default_inactive_timer),
            default_closed_timer=either(given.default_closed_timer, current.default_closed_timer),
        )
        state.add(ACCOUNT_SETTINGS, updated)
        state.commit()
        return updated


def update_webhooks(state: State, form: Mapping[str, str], lists: Lists) -> AccountSettings:
    given = parse_webhooks_form(form, lists)
    with state.lock:
        current = settings(state)
        updated = replace(
            current,
            method=given.method or current.method,
            filters=current.filters if given.filters is None else given.filters,
            pre_webhook_url=cleared(given.pre_webhook_url, current.pre_webhook_url),
            post_webhook_url=cleared(given.post_webhook_url, current.post_webhook_url),
            target=given.target or current.target,
        )
        state.add(ACCOUNT_SETTINGS, updated)
        state.commit()
        return updated


def _post_targets(state: State, event: Event) -> list[Target]:
    """The account's post-action webhook, for an event of a conversation in the default service (lock held)."""
    found = state.rows(ACCOUNT_SETTINGS).get(_KEY)
    if found is None or found.default_chat_service_sid != event.service_sid or found.target != "webhook":
        return []
    return (
        [Target(found.post_webhook_url, found.method)] if found.post_webhook_url and event.name in found.filters else []
    )


# Routes


def _fetch(call: Call) -> Response:
    return call.answer(account_settings(call.state).render(call.account_sid, call.base))


def _update(call: Call) -> Response:
    return call.answer(update_configuration(call.state, call.form).render(call.account_sid, call.base))


def _fetch_webhooks(call: Call) -> Response:
    return call.answer(account_settings(call.state).render_webhooks(call.account_sid, call.base))


def _update_webhooks(call: Call) -> Response:
    return call.answer(update_webhooks(call.state, call.form, call.lists).render_webhooks(call.account_sid, call.base))


# The service tree again under `/v1`, on the default service: the routes flagged `account_level`.
ACCOUNT_LEVEL = Scope("/v1", lambda args, state: default_service(state), full=False, rebases=True)

FAMILY = Family(
    "account",
    kinds=(ACCOUNT_SETTINGS,),
    account_routes=(
        Route("/Configuration", "GET", _fetch),
        Route("/Configuration", "POST", _update),
        Route("/Configuration/Webhooks", "GET", _fetch_webhooks),
        Route("/Configuration/Webhooks", "POST", _update_webhooks),
    ),
    targets=(_post_targets,),
)
