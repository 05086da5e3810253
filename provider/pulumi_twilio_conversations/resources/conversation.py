"""The Conversation core: `/v1/Services/{ChatServiceSid}/Conversations` and every rule before a request.

A conversation that declares no `chat_service_sid` is made at the account level (`/v1/Conversations`),
which Twilio puts in the account's default service (`AccountConfiguration.default_chat_service_sid`);
its state then holds the service Twilio reports, and every later request goes to that service's tree.

Removing an input does what the preview shows (`RULES`, and the table in docs/reference.md):
`attributes` goes back to Twilio's unset value `"{}"`, written by the update; every other field is
one Twilio cannot unset, so `check` carries its last value forward and says so. `webhook_enabled`
acts on requests only and `adopt` on create only: neither is ever written as a field.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import AdoptNotFoundError, AmbiguousWriteError, NotFoundError, TwilioApiError, TwilioRequestError
from ..ids import parse_lookup_id
from ..inputs import INPUT_NAMES, attributes_text, same_value, to_form, webhook_headers
from .base import (
    ACCOUNT_FIELD,
    ADOPT_WORDS,
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

UNIQUE_NAME_TAKEN = 50353
CLOSED_IS_FINAL = 50377
# Inputs Twilio reports back under the same name: on refresh, its answer replaces ours.
_REPORTED = frozenset(
    {
        "chat_service_sid",
        "friendly_name",
        "unique_name",
        "attributes",
        "state",
        "date_created",
        "date_updated",
        "messaging_service_sid",
    }
)
_UPDATABLE = tuple(name for name in INPUT_NAMES if name not in ("chat_service_sid", "webhook_enabled", "adopt"))
# Every property a Conversation registers: its inputs, then the outputs only Twilio sets.
PROPERTY_NAMES = (*INPUT_NAMES, "sid", "account_sid", "timers", "bindings", "url", "links")
_SCHEME = "://"
# The program passes `<resource name>-<hash of project/stack/name>` under this key; `check` makes it
# the unique name of a new conversation that declares none. It is never an input of the resource.
AUTO_NAME = "auto_name"
# Auto-names that `check` gave in this provider process. The engine checks a resource before it
# creates it, in the same process, so `create` knows a unique name taken by an earlier attempt of
# its own (a run cut short) from one the user chose, without keeping anything in the inputs.
_GIVENAUTO_NAMES: set[str] = set()
RULES = RemovalRules(
    compared=("chat_service_sid", *_UPDATABLE),
    resets={"attributes": "{}"},  # Twilio: "if the attributes are not set "{}" will be returned"
    always_kept=frozenset({"unique_name"}),
    create_only=frozenset({"adopt"}),
    request_only=frozenset({"webhook_enabled"}),
    internal=frozenset({AUTO_NAME}),
)
# The inputs an older state proves were declared (it kept no DECLARED_KEY): those Twilio does not
# report, which state holds only when declared, and the two every conversation has.
_KEPT = tuple(name for name in INPUT_NAMES if name not in _REPORTED)
_LEGACY_DECLARED = ("chat_service_sid", "unique_name", *_KEPT)


def _collection(service_sid: str | None) -> str:
    """A service's conversations, or with no service the account's (its default service's)."""
    return f"/v1/Services/{service_sid}/Conversations" if service_sid else "/v1/Conversations"


def _instance(service_sid: str | None, sid: str) -> str:
    return f"{_collection(service_sid)}/{sid}"


def _current(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """The remote side seen as inputs: Twilio's fields plus the email binding's name unfolded. Twilio reports
    no address (only one it projects from it), so the declared address stands for itself."""
    email = (outputs.get("bindings") or {}).get("email") or {}
    return {**outputs, "bindings_email_name": email.get("name", outputs.get("bindings_email_name"))}


def _outputs(declared: Mapping[str, Any], remote: Json, names: list[str] | None = None) -> dict[str, Any]:
    """What goes into state: the inputs Twilio does not report, everything Twilio returned, and the names
    of the declared inputs (`names`, else those set in `declared`).

    `links` is kept relative to `url` (`Conversation.links` gives the absolute URLs back): the engine
    rewrites the whole state after every step, and four absolute URLs were a sixth of a conversation's.
    """
    kept = {name: declared[name] for name in _KEPT if declared.get(name) is not None}
    outs = {**kept, **_twilio_fields(remote)}
    outs[DECLARED_KEY] = (
        names if names is not None else [name for name in INPUT_NAMES if declared.get(name) is not None]
    )
    if isinstance(outs.get("links"), dict) and isinstance(outs.get("url"), str):
        outs["links"] = _relative_links(outs["url"], outs["links"])
    return outs


def _twilio_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """What Twilio reported, without what state adds to it (kept inputs, the declared names)."""
    return {
        key: value
        for key, value in values.items()
        if value is not None and key not in _KEPT and key not in (DECLARED_KEY, PROVIDER_KEY)
    }


def _relative_links(url: str, links: Mapping[str, Any]) -> dict[str, Any]:
    """Each link under `url/` as the rest of its path; any other link as it is (`absolute_links` undoes it)."""
    prefix = f"{url}/"
    return {
        name: link[len(prefix) :]
        if isinstance(link, str) and link.startswith(prefix) and _SCHEME not in link[len(prefix) :]
        else link
        for name, link in links.items()
    }


def absolute_links(url: str, links: Mapping[str, Any]) -> dict[str, Any]:
    """The links as Twilio returned them; absolute ones (states written before links were kept relative) and
    anything `_relative_links` kept as it was pass unchanged."""
    return {
        name: f"{url}/{link}" if isinstance(link, str) and _SCHEME not in link else link for name, link in links.items()
    }


class ConversationCore(ResourceCore):
    """`/v1/Services/{ChatServiceSid}/Conversations`: create, read, update, delete, and the rules before them."""

    kind = "Conversation"
    rules = RULES

    @staticmethod
    def inputs_model() -> type[BaseModel]:
        from ..validation import ConversationInputs

        return ConversationInputs

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> Checked:
        news = {key: value for key, value in news.items() if value is not None and key != PROVIDER_KEY}
        auto_name = news.pop(AUTO_NAME, None)
        creating = not olds
        if creating and "unique_name" not in news and auto_name and "adopt" not in news:
            # A create whose answer was lost, or cut short by a crash, can be found again by this name.
            news["unique_name"] = auto_name
            _GIVENAUTO_NAMES.add(auto_name)
        news, carried = carry_forward("Conversation", RULES, olds, news, same_value)
        failures = self.failures({k: v for k, v in news.items() if k not in carried}, olds)
        if creating and news.get("state") == "closed" and "adopt" not in news:  # adopting a closed one is fine
            failures.append(
                (
                    "state",
                    "cannot be 'closed' when the conversation is created (Twilio 50384); "
                    "create it active and close it with a later update",
                )
            )
        if creating and isinstance(news.get("adopt"), str) and not failures:
            say(
                f"Conversation will adopt the existing conversation {news['adopt']!r} "
                f"in {news.get('chat_service_sid') or 'the account default service'} instead of creating one"
            )
        return Checked(news, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> Diffed:
        current = _current(olds)
        replaces = changed_inputs(("chat_service_sid",), news, current, same_value)
        changed = [*replaces, *to_write(_UPDATABLE, news, current, same_value)]
        if changed and not replaces and olds.get("state") == "closed":
            say(
                f"Conversation {id_} is closed, and Twilio allows no update of a closed conversation "
                f"(50377): changing {', '.join(changed)} replaces it"
            )
            replaces = changed
        keeps_name = news.get("unique_name") is not None and news.get("unique_name") == olds.get("unique_name")
        return Diffed(changed, replaces, bool(replaces) and keeps_name)

    def create(self, client: TwilioClient, props: dict[str, Any]) -> Created:
        service = props.get("chat_service_sid")
        adopting = bool(props.get("adopt"))
        remote = self._adopt(client, service, props) if adopting else self._post_new(client, service, props)
        return Created(remote["sid"], _outputs(props, remote))

    def read(self, client: TwilioClient, id_: str, props: dict[str, Any]) -> Found:
        known = props.get("chat_service_sid")
        service, sid = (None, id_) if "/" not in id_ and not known else parse_lookup_id(id_, known)
        try:
            remote = client.get(_instance(service, sid))
        except NotFoundError:
            return Found(None, {})  # gone: refresh drops it from state
        importing = not props.keys() - {PROVIDER_KEY}
        outs = _outputs(props, remote, [] if importing else declared_names(props, _LEGACY_DECLARED))
        current = _current(outs)
        if importing:
            outs[DECLARED_KEY] = imported_names(SPEC, current)
        inputs = {name: current[name] for name in outs[DECLARED_KEY] if current.get(name) is not None}
        return Found(id_, outs, inputs)

    def update(self, client: TwilioClient, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        remote = self._converge(client, {**olds, "sid": id_}, news)
        return _outputs(news, remote)

    def delete(self, client: TwilioClient, id_: str, props: dict[str, Any]) -> None:
        with contextlib.suppress(NotFoundError):  # already gone: the goal is reached
            client.delete(_instance(props.get("chat_service_sid"), id_), webhook_headers(props))

    def _post_new(self, client: TwilioClient, service: str | None, props: Mapping[str, Any]) -> Json:
        """One POST; after an ambiguous failure, look the unique name up before posting again."""
        form = to_form(props)
        closing = form.get("State") == "closed"  # only a replacement gets here with state closed
        if closing or (("Timers.Inactive" in form or "Timers.Closed" in form) and "State" not in form):
            form["State"] = "active"  # Twilio: timers need a state (50382); closed is no initial state (50384)
        unique_name = props.get("unique_name")
        doubt: TwilioRequestError | None = None
        backoff = client.backoff()  # the same time bound as one request (twilio:maxRetrySeconds)
        while True:
            if doubt is not None and unique_name:
                found = self._find(client, service, unique_name)
                if found is not None:
                    return self._converge(client, found, props)
            try:
                remote = client.post(_collection(service), form, webhook_headers(props), idempotent=False)
                break
            except AmbiguousWriteError as exc:
                if not unique_name:
                    raise exc.with_hint(
                        "Twilio may or may not have created it; without a unique_name the provider "
                        "cannot tell, so it does not post again. Check the service before retrying"
                    ) from None
                doubt = exc
            except TwilioApiError as exc:
                if exc.code != UNIQUE_NAME_TAKEN:
                    raise
                # Our own name taken: an earlier attempt of ours (lost answer, or a run cut short) holds it.
                if doubt is None and unique_name not in _GIVENAUTO_NAMES:
                    raise exc.with_hint(
                        f"unique_name {unique_name!r} is already used by another conversation of "
                        f"{service or 'the account'}; choose another, or take that one over with adopt={unique_name!r}"
                    ) from None
                doubt = exc
            if not backoff.wait():
                raise backoff.exhausted(doubt)
        if closing:
            remote = client.post(_instance(service, remote["sid"]), {"State": "closed"}, webhook_headers(props))
        return remote

    def _adopt(self, client: TwilioClient, service: str | None, props: Mapping[str, Any]) -> Json:
        found = self._find(client, service, props["adopt"])
        if found is None:
            raise AdoptNotFoundError(
                f"adopt: there is no conversation {props['adopt']!r} in {service or 'the account'}; nothing was "
                "created. Check the SID or unique name, or remove adopt to create a new conversation"
            )
        return self._converge(client, found, props)

    @staticmethod
    def _find(client: TwilioClient, service: str | None, sid_or_unique_name: str) -> Json | None:
        try:
            return client.get(_instance(service, sid_or_unique_name))
        except NotFoundError:
            return None

    @staticmethod
    def _converge(client: TwilioClient, remote: Json, declared: Mapping[str, Any]) -> Json:
        """Bring an existing conversation to what the program declares, with one POST of the differences."""
        changed = to_write(_UPDATABLE, declared, _current(remote), same_value)
        if not changed:
            return remote
        try:
            return client.post(
                _instance(remote["chat_service_sid"], remote["sid"]),
                to_form({name: declared[name] for name in changed}),
                webhook_headers(declared),
            )
        except TwilioApiError as exc:
            if exc.code == CLOSED_IS_FINAL:
                raise exc.with_hint(
                    "the conversation was closed on Twilio's side; run `pulumi up --refresh` so the "
                    "provider sees that and replaces it"
                ) from None
            raise


def program_inputs(project: str, stack: str, resource_name: str, declared: dict[str, Any]) -> dict[str, Any]:
    """What a program adds to a Conversation's declared inputs: attributes as JSON text (the type of the
    output Twilio returns), and, unless a unique name is declared or one is adopted, the auto-name
    `<resource name>-<8 hex>` that `check` turns into the unique name of a new conversation."""
    inputs = dict(declared)
    if isinstance(inputs.get("attributes"), Mapping):
        inputs["attributes"] = attributes_text(dict(inputs["attributes"]))
    if inputs.get("unique_name") is None and inputs.get("adopt") is None:
        stable = hashlib.sha256(f"{project}/{stack}/{resource_name}".encode())
        inputs[AUTO_NAME] = f"{resource_name}-{stable.hexdigest()[:8]}"
    return inputs


SPEC = ResourceSpec(
    name="Conversation",
    description="A Twilio conversation in a Conversation Service (`/v1/Services/{ChatServiceSid}/Conversations`), "
    "or, without chatServiceSid, in the account's default service (`/v1/Conversations`).",
    core=ConversationCore(),
    import_id="IS…/CH… (the service SID, a slash, the conversation SID), or CH… for one in the default service",
    defaults=program_inputs,
    fields=(
        Field(
            "chat_service_sid",
            "string",
            "The Conversation Service (IS…) it belongs to; left out, the account's default service "
            "(Twilio's `/v1/Conversations`). A change replaces the conversation.",
            replaces=True,
            imported=True,
            always=True,
        ),
        Field("friendly_name", "string", "A human-readable name, at most 256 characters.", imported=True),
        Field(
            "unique_name",
            "string",
            "An application-defined name, unique in the service. Defaults to `<resource name>-<8 hex>`, "
            "stable for the project, stack and resource name.",
            imported=True,
        ),
        Field(
            "attributes",
            "string",
            "Metadata as JSON text (an object is accepted too), at most 16 KB; compared as JSON. "
            'In state, the JSON string Twilio returns ("{}" when unset).',
            input_type="json",
            imported=True,
        ),
        Field(
            "state",
            "string",
            "inactive, active or closed (Twilio may also report initializing); a new conversation cannot start closed.",
            imported=True,
        ),
        Field("timers_inactive", "string", "ISO 8601 duration, at least PT1M, after which Twilio makes it inactive."),
        Field("timers_closed", "string", "ISO 8601 duration, at least PT10M, after which Twilio closes it."),
        Field("date_created", "string", "When it was created (ISO 8601); may be declared to record another date."),
        Field("date_updated", "string", "When it was last updated (ISO 8601); may be declared to record another date."),
        Field("messaging_service_sid", "string", "The Messaging Service (MG…) it uses.", imported=True),
        Field("bindings_email_address", "string", "Default address for outbound email (Bindings.Email.Address)."),
        Field("bindings_email_name", "string", "Default sender name for outbound email (Bindings.Email.Name)."),
        Field(
            "webhook_enabled",
            "boolean",
            "Sent as X-Twilio-Webhook-Enabled on create, update and delete; not a stored field.",
        ),
        Field("adopt", "string", f"A conversation SID (CH…) or unique name to {ADOPT_WORDS}."),
        SID_FIELD,
        ACCOUNT_FIELD,
        Field(
            "timers",
            "string-map",
            "When it will become inactive or closed: {date_inactive, date_closed}, or {}.",
            input=False,
        ),
        Field(
            "bindings",
            "json",
            "Its bindings (e.g. the default email address and name), as Twilio reports them.",
            input=False,
        ),
        URL_FIELD,
        Field(
            "links",
            "string-map",
            "Its participants, messages and webhooks URLs, relative to url.",
            input=False,
        ),
    ),
)
