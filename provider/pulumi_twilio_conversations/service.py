"""The ConversationService resource and its dynamic provider.

Twilio has no update for a Conversation Service (`/v1/Services/{Sid}` is GET and DELETE only), so
a new friendly_name replaces it; its configuration is updated in place through
`/v1/Services/{Sid}/Configuration`. Deleting a service deletes every conversation in it, so delete
refuses a service that still holds conversations unless `force_destroy` is set.

Removing an input does what the preview shows (`RULES`, and docs/reference.md): `reachability_enabled`
goes back to Twilio's default `false`; a default role cannot be unset, so `check` carries it forward.

Annotations are evaluated, as in conversation.py (why: its docstring).
"""

import contextlib
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi.dynamic
from typing_extensions import Required, TypedDict, Unpack

from .errors import AdoptError, AdoptNotFoundError, NotFoundError, TwilioError
from .inputs import SERVICE_CONFIG_FORM_KEYS, SERVICE_INPUT_NAMES, same_value, to_form
from .provider import (
    DECLARED_KEY,
    PROVIDER_KEY,
    RemovalRules,
    TwilioProvider,
    carry_forward,
    declared_names,
    resource_props,
    say,
    surfaced,
    to_write,
)

if TYPE_CHECKING:  # requests and pydantic are imported on first use, never by the program
    from pydantic import BaseModel

    from .twilio import Json, TwilioClient

_SERVICE_FIELDS = ("sid", "account_sid", "friendly_name", "date_created", "date_updated", "url")
_CONFIG_FIELDS = tuple(SERVICE_CONFIG_FORM_KEYS)
_LIST_PAGE_SIZE = "1000"  # Twilio's largest page: counting conversations takes the fewest requests
RULES = RemovalRules(
    compared=("friendly_name", *_CONFIG_FIELDS, "force_destroy"),
    # Twilio's service configuration: "reachability_enabled ... The default is false."
    resets={"reachability_enabled": False},
    create_only=frozenset({"adopt"}),
    request_only=frozenset({"force_destroy"}),
)
# An older state kept no DECLARED_KEY; these it holds only when they were declared.
_LEGACY_DECLARED = ("friendly_name", "force_destroy", "adopt")


def _service(sid: str) -> str:
    return f"/v1/Services/{sid}"


def _configuration(sid: str) -> str:
    return f"/v1/Services/{sid}/Configuration"


def _outputs(
    declared: dict[str, Any], service: "Json", config: "Json", names: "list[str] | None" = None
) -> dict[str, Any]:
    """State: the inputs only we know (force_destroy, adopt), the service, its configuration, and the
    names of the declared inputs (`names`, else those set in `declared`)."""
    return {
        **{name: declared[name] for name in ("force_destroy", "adopt") if declared.get(name) is not None},
        **{name: service[name] for name in _SERVICE_FIELDS if service.get(name) is not None},
        **{name: config[name] for name in _CONFIG_FIELDS if config.get(name) is not None},
        DECLARED_KEY: names
        if names is not None
        else [name for name in SERVICE_INPUT_NAMES if declared.get(name) is not None],
    }


class ConversationServiceProvider(TwilioProvider):
    """CRUD for `/v1/Services` and its configuration, as the Pulumi engine drives it."""

    @staticmethod
    def inputs_model() -> "type[BaseModel]":
        from .validation import ServiceInputs

        return ServiceInputs

    @surfaced
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.CheckResult:
        news = {key: value for key, value in news.items() if value is not None and key != PROVIDER_KEY}
        news, carried = carry_forward("ConversationService", RULES, olds, news, same_value)
        failures = self.failures({k: v for k, v in news.items() if k not in carried}, olds)
        if not olds and isinstance(news.get("adopt"), str) and not failures:
            say(f"ConversationService will adopt the existing service {news['adopt']} instead of creating one")
        return pulumi.dynamic.CheckResult(news, failures)

    @surfaced
    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.DiffResult:
        changed = to_write(("friendly_name", *_CONFIG_FIELDS), news, olds, same_value)
        replaces = [name for name in changed if name == "friendly_name"]
        if replaces:
            say(
                f"ConversationService {id_}: Twilio cannot rename a service, so the new friendly_name replaces it; "
                "its conversations are replaced too and the old service is deleted"
            )
        force_destroy_changed = bool(news.get("force_destroy")) != bool(olds.get("force_destroy"))
        return pulumi.dynamic.DiffResult(changes=bool(changed) or force_destroy_changed, replaces=replaces)

    @surfaced
    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        client = self.client
        if props.get("adopt"):
            service = self._adopt(client, props)
        else:
            service = client.post("/v1/Services", {"FriendlyName": props["friendly_name"]}, idempotent=False)
        try:
            config = self._configure(client, service["sid"], props, client.get(_configuration(service["sid"])))
        except TwilioError:
            if not props.get("adopt"):  # leave nothing behind that state does not know of
                with contextlib.suppress(TwilioError):
                    client.delete(_service(service["sid"]))
            raise
        return pulumi.dynamic.CreateResult(service["sid"], _outputs(props, service, config))

    @surfaced
    def read(self, id_: str, props: dict[str, Any]) -> pulumi.dynamic.ReadResult:
        client = self.client
        try:
            service = client.get(_service(id_))
            config = client.get(_configuration(id_))
        except NotFoundError:
            return pulumi.dynamic.ReadResult(None, {})
        names = declared_names(props, _LEGACY_DECLARED)
        outs = _outputs(props, service, config, names)
        inputs = {name: outs[name] for name in names if name in outs}
        return pulumi.dynamic.ReadResult(id_, outs, inputs)

    @surfaced
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.UpdateResult:
        config = self._configure(self.client, id_, news, olds)
        outs = {**_outputs(news, olds, config), "force_destroy": bool(news.get("force_destroy"))}
        return pulumi.dynamic.UpdateResult(outs)

    @surfaced
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        client = self.client
        if not props.get("force_destroy"):
            try:
                held = sum(
                    len(page)
                    for page in client.pages(
                        f"{_service(id_)}/Conversations", "conversations", {"PageSize": _LIST_PAGE_SIZE}
                    )
                )
            except NotFoundError:
                return
            if held:
                raise TwilioError(
                    f"ConversationService {id_} still holds {held} conversation(s), and deleting the service "
                    "would delete them too. Remove them first, or set force_destroy=True on the service "
                    "(then `pulumi up`) to allow it"
                )
        with contextlib.suppress(NotFoundError):
            client.delete(_service(id_))

    @staticmethod
    def _adopt(client: "TwilioClient", props: dict[str, Any]) -> "Json":
        try:
            service = client.get(_service(props["adopt"]))
        except NotFoundError:
            raise AdoptNotFoundError(
                f"adopt: there is no Conversation Service {props['adopt']}; nothing was created. "
                "Check the SID, or remove adopt to create a new service"
            ) from None
        if service.get("friendly_name") != props["friendly_name"]:
            raise AdoptError(
                f"adopt: service {props['adopt']} is named {service.get('friendly_name')!r} and Twilio cannot "
                f"rename a service; declare friendly_name={service.get('friendly_name')!r} to adopt it"
            )
        return service

    @staticmethod
    def _configure(client: "TwilioClient", sid: str, declared: dict[str, Any], current: "Json") -> "Json":
        """One POST of the configuration fields that differ from `current`; none differ, no request."""
        changed = to_write(_CONFIG_FIELDS, declared, current, same_value)
        if not changed:
            return current
        return client.post(
            _configuration(sid), to_form({name: declared[name] for name in changed}, SERVICE_CONFIG_FORM_KEYS)
        )


class ConversationServiceArgs(TypedDict, total=False):
    """The inputs of a `ConversationService` (each a `pulumi.Input`)."""

    friendly_name: Required[pulumi.Input[str]]
    """Its name, at most 256 characters. Twilio cannot rename a service: a change replaces it."""
    reachability_enabled: pulumi.Input[bool]
    """Whether the Reachability Indicator is on (configuration; updated in place)."""
    default_conversation_creator_role_sid: pulumi.Input[str]
    """Role (RL…) given to a conversation's creator (configuration; updated in place)."""
    default_conversation_role_sid: pulumi.Input[str]
    """Role (RL…) given to users added to a conversation (configuration; updated in place)."""
    default_chat_service_role_sid: pulumi.Input[str]
    """Service-level role (RL…) given to users (configuration; updated in place)."""
    force_destroy: pulumi.Input[bool]
    """Allow `pulumi destroy` to delete the service while it still holds conversations (default False)."""
    adopt: pulumi.Input[str]
    """An existing service SID (IS…) to take over on create instead of creating one."""


class ConversationService(pulumi.dynamic.Resource, module="twilio", name="ConversationService"):
    """A Twilio Conversation Service (`pulumi-python:dynamic/twilio:ConversationService`).

    Consider `pulumi.ResourceOptions(protect=True)` for a service that carries real traffic: a rename
    replaces it, and replacing a service deletes its conversations.
    """

    sid: pulumi.Output[str]
    """The service SID (IS…); also the resource id."""
    account_sid: pulumi.Output[str]
    """The account (AC…) that owns it."""
    friendly_name: pulumi.Output[str]
    """Its name."""
    date_created: pulumi.Output[str]
    """When it was created (ISO 8601)."""
    date_updated: pulumi.Output[str]
    """When it was last updated (ISO 8601)."""
    url: pulumi.Output[str]
    """Its absolute API URL."""
    reachability_enabled: pulumi.Output[bool]
    """Whether the Reachability Indicator is on, as Twilio reports it."""
    default_conversation_creator_role_sid: pulumi.Output[str]
    """Role given to a conversation's creator, as Twilio reports it."""
    default_conversation_role_sid: pulumi.Output[str]
    """Role given to users added to a conversation, as Twilio reports it."""
    default_chat_service_role_sid: pulumi.Output[str]
    """Service-level role given to users, as Twilio reports it."""
    force_destroy: pulumi.Output[bool]
    """Whether destroy may delete it while it holds conversations."""
    adopt: pulumi.Output[str]
    """The adopted service, when this resource took one over."""

    def __init__(
        self,
        resource_name: str,
        args: ConversationServiceArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[ConversationServiceArgs],
    ) -> None:
        """Declare a service: `ConversationService("support", friendly_name="Support")`."""
        props = resource_props(
            "ConversationService",
            resource_name,
            args,
            kwargs,
            opts,
            "friendly_name",
            (*SERVICE_INPUT_NAMES, *_SERVICE_FIELDS, *_CONFIG_FIELDS),
        )
        super().__init__(ConversationServiceProvider(), resource_name, props, opts)
