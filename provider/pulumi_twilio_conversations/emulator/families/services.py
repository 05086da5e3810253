"""Services: the Conversation Service, its configuration and its two settings (webhooks, push notifications).

Routes: `/v1/Services` and `/v1/Services/{Sid}` (the account's); `…/Configuration`,
`…/Configuration/Webhooks`, `…/Configuration/Notifications` (the service's). A service's settings are part
of its record: one of each per service, Twilio's defaults until set. The service's webhooks are also where
its events go: `ask` calls the pre-action webhook, `post_targets` finds the post-action one.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from werkzeug.wrappers import Response

from .. import errors
from ..errors import ApiError, not_found
from ..events import Target
from ..records import JsonObject, links, new_sid, parse_when, record_from_state, record_to_state, when
from ..routing import Call, Family, Route, json_answer, no_content
from ..rules import (
    WEBHOOK_METHODS,
    Lists,
    check_choice,
    check_friendly_name,
    check_sid,
    check_url,
    cleared,
    listed,
    optional,
    parse_boolean,
)
from ..state import Event, Kind, Params, State

SERVICE_LINKS = (
    ("conversations", "Conversations"),
    ("users", "Users"),
    ("roles", "Roles"),
    ("bindings", "Bindings"),
    ("configuration", "Configuration"),
    ("participant_conversations", "ParticipantConversations"),
    ("conversation_with_participants", "ConversationWithParticipants"),
)
CONFIGURATION_LINKS = (("notifications", "Notifications"), ("webhooks", "Webhooks"))

# Records


@dataclass(frozen=True)
class Configuration:
    """A service's configuration; Twilio creates the three default roles with the service."""

    default_conversation_creator_role_sid: str
    default_conversation_role_sid: str
    default_chat_service_role_sid: str
    reachability_enabled: bool = False

    @classmethod
    def with_new_roles(cls) -> Configuration:
        return cls(new_sid("RL"), new_sid("RL"), new_sid("RL"))

    def render(self, service_sid: str, base: str) -> JsonObject:
        url = f"{base}/v1/Services/{service_sid}/Configuration"
        return {
            "chat_service_sid": service_sid,
            "default_conversation_creator_role_sid": self.default_conversation_creator_role_sid,
            "default_conversation_role_sid": self.default_conversation_role_sid,
            "default_chat_service_role_sid": self.default_chat_service_role_sid,
            "reachability_enabled": self.reachability_enabled,
            "url": url,
            "links": links(url, CONFIGURATION_LINKS),
        }


@dataclass(frozen=True)
class ServiceWebhooks:
    """A service's webhook settings (`Configuration/Webhooks`); a new service has none of them.

    Twilio's answer for a service never configured is all `null`, method too (the spec's `fetchEmpty`
    example); once configured, the method is the one set, else POST (Twilio's documented default, and
    its examples of a configured service). Settings put back to the defaults (no URL, no filter, POST)
    read as never configured again: the emulator's reading, which is what `pulumi destroy` of the
    setting relies on to leave the service as a new one.
    """

    pre_webhook_url: str | None = None
    post_webhook_url: str | None = None
    filters: tuple[str, ...] | None = None
    method: str | None = None

    def settled(self) -> ServiceWebhooks:
        """These settings, or the never-configured ones when they are Twilio's defaults."""
        defaults = not (self.pre_webhook_url or self.post_webhook_url or self.filters) and self.method in (None, "POST")
        return ServiceWebhooks() if defaults else self

    def target(self, url: str) -> Target:
        return Target(url, self.method or "POST")

    def render(self, account_sid: str, service_sid: str, base: str) -> JsonObject:
        return {
            "account_sid": account_sid,
            "chat_service_sid": service_sid,
            "pre_webhook_url": self.pre_webhook_url,
            "post_webhook_url": self.post_webhook_url,
            "filters": None if self.filters is None else list(self.filters),
            "method": self.method,
            "url": f"{base}/v1/Services/{service_sid}/Configuration/Webhooks",
        }


# Push notification settings of a new service: every kind off ("The default is `false`", says the spec),
# no template or sound of its own.
_NOTIFICATION_DEFAULTS: JsonObject = {
    "log_enabled": False,
    "new_message": {
        "enabled": False,
        "template": None,
        "sound": None,
        "badge_count_enabled": False,
        "with_media": {"enabled": False, "template": None},
    },
    "added_to_conversation": {"enabled": False, "template": None, "sound": None},
    "removed_from_conversation": {"enabled": False, "template": None, "sound": None},
}


@dataclass(frozen=True)
class Notifications:
    """A service's push notification settings (`Configuration/Notifications`): what was set over the defaults."""

    given: dict[str, bool | str | None] = field(default_factory=dict)  # `new_message.enabled` -> True; never mutated

    def updated(self, changes: dict[str, bool | str | None]) -> Notifications:
        return Notifications({**self.given, **changes})

    def render(self, account_sid: str, service_sid: str, base: str) -> JsonObject:
        settings = copy.deepcopy(_NOTIFICATION_DEFAULTS)
        for path, value in self.given.items():
            *groups, name = path.split(".")
            node = settings
            for group in groups:
                node = node[group]
            node[name] = value
        return {
            "account_sid": account_sid,
            "chat_service_sid": service_sid,
            **settings,
            "url": f"{base}/v1/Services/{service_sid}/Configuration/Notifications",
        }


@dataclass(frozen=True)
class Service:
    sid: str
    friendly_name: str
    date_created: datetime
    date_updated: datetime
    configuration: Configuration
    seq: int
    webhooks: ServiceWebhooks = ServiceWebhooks()
    notifications: Notifications = field(default_factory=Notifications)

    def render(self, account_sid: str, base: str) -> JsonObject:
        url = f"{base}/v1/Services/{self.sid}"
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "friendly_name": self.friendly_name,
            "date_created": when(self.date_created),
            "date_updated": when(self.date_updated),
            "url": url,
            "links": links(url, SERVICE_LINKS),
        }

    def to_state(self) -> JsonObject:
        return {
            "sid": self.sid,
            "friendly_name": self.friendly_name,
            "date_created": when(self.date_created),
            "date_updated": when(self.date_updated),
            "seq": self.seq,
            "configuration": record_to_state(self.configuration),
            "webhooks": record_to_state(self.webhooks),
            "notifications": dict(self.notifications.given),
        }

    @classmethod
    def from_state(cls, data: JsonObject) -> Service:
        created = parse_when(data["date_created"])
        updated = parse_when(data["date_updated"])
        assert created is not None and updated is not None, "a service always has its dates"
        return cls(
            sid=data["sid"],
            friendly_name=data["friendly_name"],
            date_created=created,
            date_updated=updated,
            configuration=Configuration(**data["configuration"]),
            seq=data["seq"],
            # a file from before never-configured webhooks read `null` keeps their defaults as `POST`
            webhooks=record_from_state(ServiceWebhooks, data.get("webhooks", {})).settled(),
            notifications=Notifications(data.get("notifications", {})),
        )


SERVICES: Kind[Service] = Kind("services", Service, to_state=Service.to_state, from_state=Service.from_state)

# Rules


def parse_service_form(form: Mapping[str, str]) -> str:
    """The FriendlyName of a new service (required, at most 256 characters)."""
    name = form.get("FriendlyName")
    if name is None:
        raise ApiError(400, errors.INVALID_PARAMETER, "Missing required parameter FriendlyName in the post body")
    return check_friendly_name(name)


@dataclass(frozen=True)
class ConfigurationInput:
    """The fields one configuration update set; None means not given."""

    reachability_enabled: bool | None = None
    default_conversation_creator_role_sid: str | None = None
    default_conversation_role_sid: str | None = None
    default_chat_service_role_sid: str | None = None


def parse_configuration_form(form: Mapping[str, str]) -> ConfigurationInput:
    def role(name: str) -> str | None:
        return optional(form, name, lambda text: check_sid(text, "RL", name))

    return ConfigurationInput(
        reachability_enabled=optional(
            form, "ReachabilityEnabled", lambda text: parse_boolean(text, "ReachabilityEnabled")
        ),
        default_conversation_creator_role_sid=role("DefaultConversationCreatorRoleSid"),
        default_conversation_role_sid=role("DefaultConversationRoleSid"),
        default_chat_service_role_sid=role("DefaultChatServiceRoleSid"),
    )


@dataclass(frozen=True)
class ServiceWebhooksInput:
    """The fields one `Configuration/Webhooks` update set; None means not given, "" in a URL clears it."""

    pre_webhook_url: str | None = None
    post_webhook_url: str | None = None
    filters: tuple[str, ...] | None = None
    method: str | None = None


def parse_service_webhooks_form(form: Mapping[str, str], lists: Lists) -> ServiceWebhooksInput:
    def url(key: str) -> str | None:
        return optional(form, key, lambda text: text and check_url(text, key))  # empty clears the URL

    return ServiceWebhooksInput(
        pre_webhook_url=url("PreWebhookUrl"),
        post_webhook_url=url("PostWebhookUrl"),
        filters=listed(lists, "Filters"),
        method=optional(form, "Method", lambda text: check_choice(text, "Method", WEBHOOK_METHODS)),
    )


# form key of `Configuration/Notifications` -> the setting's path in the answer; the *Enabled ones are booleans
NOTIFICATION_FIELDS = {
    "LogEnabled": "log_enabled",
    "NewMessage.Enabled": "new_message.enabled",
    "NewMessage.Template": "new_message.template",
    "NewMessage.Sound": "new_message.sound",
    "NewMessage.BadgeCountEnabled": "new_message.badge_count_enabled",
    "NewMessage.WithMedia.Enabled": "new_message.with_media.enabled",
    "NewMessage.WithMedia.Template": "new_message.with_media.template",
    "AddedToConversation.Enabled": "added_to_conversation.enabled",
    "AddedToConversation.Template": "added_to_conversation.template",
    "AddedToConversation.Sound": "added_to_conversation.sound",
    "RemovedFromConversation.Enabled": "removed_from_conversation.enabled",
    "RemovedFromConversation.Template": "removed_from_conversation.template",
    "RemovedFromConversation.Sound": "removed_from_conversation.sound",
}


def parse_notifications_form(form: Mapping[str, str]) -> dict[str, bool | str | None]:
    """Setting path (`new_message.enabled`) -> value, for every setting the form carries; an empty text clears it."""
    given: dict[str, bool | str | None] = {}
    for key, path in NOTIFICATION_FIELDS.items():
        if key in form:
            given[path] = parse_boolean(form[key], key) if key.endswith("Enabled") else form[key] or None
    return given


# Operations (`get_service` with the lock held; the others take it)


def get_service(state: State, sid: str, below: str = "") -> Service:
    """The service `sid`, else the 404 of the path asked for (`below` it: `Conversations`, `Roles`, …)."""
    check_sid(sid, "IS", "ChatServiceSid" if below else "Sid")
    service = state.rows(SERVICES).get(sid)
    if service is None:
        raise not_found(f"/v1/Services/{sid}" + (f"/{below}" if below else ""))
    return service


def create_service(state: State, form: Mapping[str, str]) -> Service:
    friendly_name = parse_service_form(form)
    with state.lock:
        now = state.now()
        service = Service(new_sid("IS"), friendly_name, now, now, Configuration.with_new_roles(), state.next_seq())
        state.created(SERVICES, service)
        state.commit()
        return service


def service(state: State, sid: str) -> Service:
    with state.lock:
        return get_service(state, sid)


def services(state: State) -> list[Service]:
    with state.lock:
        return list(state.rows(SERVICES).values())


def delete_service(state: State, sid: str) -> None:
    """Delete a service and, as Twilio does, everything in it."""
    with state.lock:
        state.remove(SERVICES, get_service(state, sid))
        state.commit()


def update_configuration(state: State, service_sid: str, form: Mapping[str, str]) -> Configuration:
    changes = parse_configuration_form(form)
    with state.lock:
        current = get_service(state, service_sid, "Configuration")
        given = {key: value for key, value in vars(changes).items() if value is not None}
        updated = state.add(SERVICES, replace(current, configuration=replace(current.configuration, **given)))
        state.commit()
        return updated.configuration


def update_service_webhooks(state: State, service_sid: str, form: Mapping[str, str], lists: Lists) -> ServiceWebhooks:
    given = parse_service_webhooks_form(form, lists)
    with state.lock:
        current = get_service(state, service_sid, "Configuration/Webhooks")
        hooks = current.webhooks
        webhooks = ServiceWebhooks(
            pre_webhook_url=cleared(given.pre_webhook_url, hooks.pre_webhook_url),
            post_webhook_url=cleared(given.post_webhook_url, hooks.post_webhook_url),
            filters=hooks.filters if given.filters is None else given.filters or None,  # sent empty: no filters
            method=given.method or hooks.method or "POST",
        ).settled()
        state.add(SERVICES, replace(current, webhooks=webhooks))
        state.commit()
        return webhooks


def update_notifications(state: State, service_sid: str, form: Mapping[str, str]) -> Notifications:
    changes = parse_notifications_form(form)
    with state.lock:
        current = get_service(state, service_sid, "Configuration/Notifications")
        notifications = current.notifications.updated(changes)
        state.add(SERVICES, replace(current, notifications=notifications))
        state.commit()
        return notifications


# The service's webhooks as events use them (see `events`)


def ask(state: State, source: str | None, service_sid: str, event: str, params: Params) -> dict[str, str]:
    """Call the service's pre-action webhook for `event` (call without the lock): the changes it answered."""
    if source is None or state.dispatcher is None:
        return {}
    with state.lock:
        hooks = get_service(state, service_sid).webhooks
    if not hooks.pre_webhook_url or event not in (hooks.filters or ()):
        return {}
    return state.dispatcher.pre(event, {**params, "Source": source}, hooks.target(hooks.pre_webhook_url))


def _post_targets(state: State, event: Event) -> list[Target]:
    hooks = state.rows(SERVICES)[event.service_sid].webhooks
    if hooks.post_webhook_url and event.name in (hooks.filters or ()):
        return [hooks.target(hooks.post_webhook_url)]
    return []


# Routes


def _list(call: Call) -> Response:
    return call.page("services", services(call.state))


def _create(call: Call) -> Response:
    return call.record(create_service(call.state, call.form), 201)


def _fetch(call: Call) -> Response:
    return call.record(service(call.state, call.args["Sid"]))


def _delete(call: Call) -> Response:
    delete_service(call.state, call.args["Sid"])
    return no_content()


def _fetch_configuration(call: Call) -> Response:
    return json_answer(service(call.state, call.service).configuration.render(call.service, call.base))


def _update_configuration(call: Call) -> Response:
    return json_answer(update_configuration(call.state, call.service, call.form).render(call.service, call.base))


def _fetch_webhooks(call: Call) -> Response:
    with call.state.lock:
        webhooks = get_service(call.state, call.service, "Configuration/Webhooks").webhooks
    return json_answer(webhooks.render(call.account_sid, call.service, call.base))


def _update_webhooks(call: Call) -> Response:
    updated = update_service_webhooks(call.state, call.service, call.form, call.lists)
    return json_answer(updated.render(call.account_sid, call.service, call.base))


def _fetch_notifications(call: Call) -> Response:
    with call.state.lock:
        notifications = get_service(call.state, call.service, "Configuration/Notifications").notifications
    return json_answer(notifications.render(call.account_sid, call.service, call.base))


def _update_notifications(call: Call) -> Response:
    updated = update_notifications(call.state, call.service, call.form)
    return json_answer(updated.render(call.account_sid, call.service, call.base))


FAMILY = Family(
    "services",
    kinds=(SERVICES,),
    account_routes=(
        Route("/Services", "GET", _list),
        Route("/Services", "POST", _create),
        Route("/Services/<Sid>", "GET", _fetch),
        Route("/Services/<Sid>", "DELETE", _delete),
    ),
    # at the account level, `/v1/Configuration…` is the account's configuration, not the default service's
    service_routes=(
        Route("/Configuration", "GET", _fetch_configuration, account_level=False),
        Route("/Configuration", "POST", _update_configuration, account_level=False),
        Route("/Configuration/Webhooks", "GET", _fetch_webhooks, account_level=False),
        Route("/Configuration/Webhooks", "POST", _update_webhooks, account_level=False),
        Route("/Configuration/Notifications", "GET", _fetch_notifications, account_level=False),
        Route("/Configuration/Notifications", "POST", _update_notifications, account_level=False),
    ),
    targets=(_post_targets,),
)
