"""The ConversationService core: `/v1/Services`, its configuration, and every rule before a request.

Twilio has no update for a Conversation Service (`/v1/Services/{Sid}` is GET and DELETE only), so
a new friendly_name replaces it; its configuration is updated in place through
`/v1/Services/{Sid}/Configuration`. Deleting a service deletes every conversation in it, so delete
refuses a service that still holds conversations unless `force_destroy` is set.

Removing an input does what the preview shows (`RULES`, and docs/reference.md): `reachability_enabled`
goes back to Twilio's default `false`; a default role cannot be unset, so `check` carries it forward.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from ..errors import AdoptError, AdoptNotFoundError, NotFoundError, TwilioError
from ..inputs import SERVICE_CONFIG_FORM_KEYS, SERVICE_INPUT_NAMES, same_value, to_form
from .base import (
    ACCOUNT_FIELD,
    ADOPT_WORDS,
    DATE_FIELDS,
    DECLARED_KEY,
    PROVIDER_KEY,
    SID_FIELD,
    URL_FIELD,
    Checked,
    Created,
    Diffed,
    Field,
    Found,
    RemovalRules,
    ResourceCore,
    ResourceSpec,
    carry_forward,
    changed_inputs,
    declared_names,
    imported_names,
    say,
    to_write,
)

if TYPE_CHECKING:  # requests and pydantic are imported on first use, never by the program
    from pydantic import BaseModel

    from ..twilio import Json, TwilioClient

SERVICE_FIELDS = ("sid", "account_sid", "friendly_name", "date_created", "date_updated", "url")
CONFIG_FIELDS = tuple(SERVICE_CONFIG_FORM_KEYS)
_LIST_PAGE_SIZE = "1000"  # Twilio's largest page: counting conversations takes the fewest requests
RULES = RemovalRules(
    compared=("friendly_name", *CONFIG_FIELDS, "force_destroy"),
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


def _outputs(declared: dict[str, Any], service: Json, config: Json, names: list[str] | None = None) -> dict[str, Any]:
    """State: the inputs only we know (force_destroy, adopt), the service, its configuration, and the
    names of the declared inputs (`names`, else those set in `declared`)."""
    return {
        **{name: declared[name] for name in ("force_destroy", "adopt") if declared.get(name) is not None},
        **{name: service[name] for name in SERVICE_FIELDS if service.get(name) is not None},
        **{name: config[name] for name in CONFIG_FIELDS if config.get(name) is not None},
        DECLARED_KEY: names
        if names is not None
        else [name for name in SERVICE_INPUT_NAMES if declared.get(name) is not None],
    }


class ServiceCore(ResourceCore):
    """`/v1/Services` and its configuration: create, read, update, delete, and the rules before them."""

    kind = "ConversationService"
    rules = RULES

    @staticmethod
    def inputs_model() -> type[BaseModel]:
        from ..validation import ServiceInputs

        return ServiceInputs

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> Checked:
        news = {key: value for key, value in news.items() if value is not None and key != PROVIDER_KEY}
        news, carried = carry_forward("ConversationService", RULES, olds, news, same_value)
        failures = self.failures({k: v for k, v in news.items() if k not in carried}, olds)
        if not olds and isinstance(news.get("adopt"), str) and not failures:
            say(f"ConversationService will adopt the existing service {news['adopt']} instead of creating one")
        return Checked(news, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> Diffed:
        replaces = changed_inputs(("friendly_name",), news, olds, same_value)
        changed = [*replaces, *to_write(CONFIG_FIELDS, news, olds, same_value)]
        if replaces:
            say(
                f"ConversationService {id_}: Twilio cannot rename a service, so the new friendly_name replaces it; "
                "its conversations are replaced too and the old service is deleted"
            )
        force_destroy_changed = bool(news.get("force_destroy")) != bool(olds.get("force_destroy"))
        return Diffed(changed, replaces, changes_state=force_destroy_changed)

    def create(self, client: TwilioClient, props: dict[str, Any]) -> Created:
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
        return Created(service["sid"], _outputs(props, service, config))

    def read(self, client: TwilioClient, id_: str, props: dict[str, Any]) -> Found:
        try:
            service = client.get(_service(id_))
            config = client.get(_configuration(id_))
        except NotFoundError:
            return Found(None, {})
        importing = not props.keys() - {PROVIDER_KEY}
        outs = _outputs(props, service, config, [] if importing else declared_names(props, _LEGACY_DECLARED))
        if importing:
            outs[DECLARED_KEY] = imported_names(SPEC, outs)
        inputs = {name: outs[name] for name in outs[DECLARED_KEY] if name in outs}
        return Found(id_, outs, inputs)

    def update(self, client: TwilioClient, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        config = self._configure(client, id_, news, olds)
        outs = {**_outputs(news, olds, config), "force_destroy": bool(news.get("force_destroy"))}
        return outs

    def delete(self, client: TwilioClient, id_: str, props: dict[str, Any]) -> None:
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
    def _adopt(client: TwilioClient, props: dict[str, Any]) -> Json:
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
    def _configure(client: TwilioClient, sid: str, declared: dict[str, Any], current: Json) -> Json:
        """One POST of the configuration fields that differ from `current`; none differ, no request."""
        changed = to_write(CONFIG_FIELDS, declared, current, same_value)
        if not changed:
            return current
        return client.post(
            _configuration(sid), to_form({name: declared[name] for name in changed}, SERVICE_CONFIG_FORM_KEYS)
        )


SPEC = ResourceSpec(
    name="ConversationService",
    description=(
        "A Twilio Conversation Service (`/v1/Services`). Twilio cannot rename a service: a new friendlyName "
        "replaces it, and replacing a service deletes its conversations; consider `protect`."
    ),
    core=ServiceCore(),
    import_id="IS… (the service SID)",
    fields=(
        Field(
            "friendly_name",
            "string",
            "Its name, at most 256 characters. Twilio cannot rename a service: a change replaces it.",
            required=True,
            replaces=True,
            imported=True,
            always=True,
        ),
        Field("reachability_enabled", "boolean", "Whether the Reachability Indicator is on.", imported=True),
        Field(
            "default_conversation_creator_role_sid",
            "string",
            "Role (RL…) given to a conversation's creator.",
            imported=True,
        ),
        Field(
            "default_conversation_role_sid",
            "string",
            "Role (RL…) given to users added to a conversation.",
            imported=True,
        ),
        Field("default_chat_service_role_sid", "string", "Service-level role (RL…) given to users.", imported=True),
        Field(
            "force_destroy",
            "boolean",
            "Allow destroy to delete the service while it still holds conversations (default false).",
        ),
        Field("adopt", "string", f"An existing service SID (IS…) to {ADOPT_WORDS}."),
        SID_FIELD,
        ACCOUNT_FIELD,
        *DATE_FIELDS,
        URL_FIELD,
    ),
)
