"""Cores written as a table: one row per input (form key, where Twilio reports it, replace or update,
Twilio's default), and the CRUD every such resource shares.

Two kinds: `ObjectCore`, a Twilio object with a SID (roles, address configurations, conversation
webhooks, credentials, users, participants), and `SettingCore`, a setting that exists once in its scope
and is never created or deleted, only taken over: a service's webhook and push notification settings
(`ServiceSettingCore`: destroy puts Twilio's defaults back) and the account's configuration and webhooks
(`AccountSettingCore`: create records what was there, destroy puts that back). A resource module gives
its table, its paths, its pydantic model and, for objects, how an object is found again after a create
whose answer was lost.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import AdoptError, AdoptNotFoundError, AmbiguousWriteError, NotFoundError
from ..inputs import attributes_text, json_ints, parse_duration, same_value
from .base import (
    DECLARED_KEY,
    PROVIDER_KEY,
    Checked,
    Created,
    Diffed,
    Field,
    Found,
    RemovalRules,
    ResourceCore,
    carry_forward,
    changed_inputs,
    declared_names,
    is_unknown,
    say,
    to_write,
)

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..twilio import Json, TwilioClient

# What a program passes under this key is the resource's name, so that `check` can tell two
# declarations of one service's setting apart; it never reaches the inputs.
RESOURCE_NAME_KEY = "resource_name"
KEEP = object()
"""A `Wire.default` for a field Twilio cannot put back: removing the input keeps Twilio's value."""


@dataclass(frozen=True)
class Wire:
    """One input: its form key, where Twilio's answer reports it, and how a change is applied."""

    name: str
    form_key: str | None
    """The form key of the create and update requests; None for an input that is part of the path."""
    kind: str
    """string, boolean, integer, list (a repeated form key, compared as a set), method (GET/POST, any case),
    json (an object or JSON text, compared as JSON; Twilio answers JSON text) or duration (ISO 8601, compared
    as a length of time)."""
    description: str
    reported: str | None = None
    """Where Twilio's answer holds its value, dotted (`configuration.url`); None: `name` at the top level."""
    required: bool = False
    replaces: bool = False
    """A change replaces the resource (Twilio has no update for it, or it is part of the path)."""
    default: Any = KEEP
    """Twilio's value when it was never set; removing the input writes it (KEEP: Twilio keeps its value)."""
    imported: bool = True
    secret: bool = False
    """Write-only key material: Twilio never reports it, state keeps it as declared (a secret), no message shows it."""

    @property
    def field(self) -> Field:
        schema_kind = {"list": "string-list", "integer": "number", "method": "string", "duration": "string"}.get(
            self.kind, "string" if self.kind == "json" else self.kind
        )
        return Field(
            self.name, schema_kind, self.description, required=self.required, replaces=self.replaces,
            imported=self.imported and not self.secret, always=self.required, secret=self.secret,
            input_type="json" if self.kind == "json" else None,
        )  # fmt: skip


def same(wire: Wire, new: Any, old: Any) -> bool:
    """Whether a declared value already holds: lists as sets, methods in any case, numbers as ints, and
    an empty text or list as Twilio's unset (null)."""
    if new in (None, "", []) and old in (None, "", []):
        return True
    if wire.kind == "list":
        return sorted(new or []) == sorted(old or [])
    if wire.kind == "method" and isinstance(new, str) and isinstance(old, str):
        return new.upper() == old.upper()
    if wire.kind == "json":
        return same_value("attributes", new, old)
    if wire.kind == "duration" and isinstance(new, str) and isinstance(old, str):
        try:
            return parse_duration(new) == parse_duration(old)
        except ValueError:
            return new == old
    return bool(json_ints(new) == json_ints(old))


def form_value(wire: Wire, value: Any) -> str | list[str]:
    if wire.kind == "list":
        return [str(item) for item in value] or [""]  # an empty repeated key clears Twilio's list
    if wire.kind == "json":
        return attributes_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(json_ints(value))


def reported_value(wire: Wire, value: Any) -> Any:
    """Twilio's answer as the input's kind: a boolean Twilio writes as text (a credential's `"False"`) as a bool."""
    if wire.kind == "boolean" and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def dig(answer: Mapping[str, Any], path: str) -> Any:
    value: Any = answer
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


class TableCore(ResourceCore):
    """What both kinds share: the view of Twilio's answer as inputs, comparison, forms, check and read."""

    wires: ClassVar[tuple[Wire, ...]]
    model: ClassVar[str]
    """The name of its pydantic model in `validation` (imported by `check` only)."""
    kept: ClassVar[tuple[str, ...]] = ()
    """Inputs Twilio does not report, kept in state as declared (a setting for the provider, `adopt`)."""

    @classmethod
    def by_name(cls) -> dict[str, Wire]:
        return {wire.name: wire for wire in cls.wires}

    def same(self, name: str, new: Any, old: Any) -> bool:
        wire = self.by_name().get(name)
        return same(wire, new, old) if wire is not None else bool(new == old)

    def view(self, outputs: Mapping[str, Any]) -> dict[str, Any]:
        """State (or Twilio's answer) seen as inputs; the declared names come along."""
        seen = {wire.name: reported_value(wire, dig(outputs, wire.reported or wire.name)) for wire in self.wires}
        kept = {name: outputs.get(name) for name in self.kept}
        reported = {name: value for name, value in seen.items() if value is not None or name not in kept}
        return {**kept, **reported, DECLARED_KEY: outputs.get(DECLARED_KEY)}

    def form(self, values: Mapping[str, Any], names: list[str] | None = None) -> dict[str, str | list[str]]:
        """The form body for `names` (default: every set input with a form key)."""
        wires = self.by_name()
        chosen = names if names is not None else [name for name in wires if values.get(name) is not None]
        return {
            wires[name].form_key: form_value(wires[name], values[name])  # type: ignore[misc]
            for name in chosen
            if wires[name].form_key is not None and values.get(name) is not None
        }

    def outputs(self, declared: Mapping[str, Any], answer: Json, names: list[str] | None = None) -> dict[str, Any]:
        """State: the kept inputs, Twilio's answer, each input's value in it under the input's name (an output
        of the resource, such as `configuration_url`), and the names of the declared inputs."""
        wires = self.by_name()
        seen = self.view(answer)
        return {
            **{name: declared[name] for name in self.kept if declared.get(name) is not None},
            **{key: value for key, value in answer.items() if value is not None},
            **{name: seen[name] for name in wires if seen[name] is not None},
            DECLARED_KEY: names
            if names is not None
            else [name for name in dict.fromkeys((*wires, *self.kept)) if declared.get(name) is not None],
        }

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> Checked:
        news = {key: value for key, value in news.items() if value is not None and key != PROVIDER_KEY}
        name = news.pop(RESOURCE_NAME_KEY, None)
        news, carried = carry_forward(self.kind, self.rules, olds, news, self.same)
        for key, value in news.items():  # the same value spelled anew (JSON, a duration, a list's order) keeps
            if key in olds and not is_unknown(value) and value != olds[key] and self.same(key, value, olds[key]):
                news[key] = olds[key]  # its old spelling: the preview lists no change, and no update writes one
        failures = self.failures({k: v for k, v in news.items() if k not in carried}, olds)
        if not failures and not any(is_unknown(value) for value in news.values()):
            failures = self.cross_rules(news)
        failures += self.claim(name, news)
        return Checked(news, failures)

    def cross_rules(self, news: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Failures of rules across inputs (a target and the fields it needs), judged once all are known."""
        return []

    def claim(self, resource_name: str | None, news: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Failures for a declaration that collides with another in the same program (settings only)."""
        return []

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> Diffed:
        current = self.view(olds)
        replacing = [wire.name for wire in self.wires if wire.replaces]
        updatable = [wire.name for wire in self.wires if not wire.replaces and wire.form_key is not None]
        replaces = changed_inputs(replacing, news, current, self.same)
        changed = [*replaces, *to_write(updatable, news, current, self.same)]
        if replaces:
            say(f"{self.kind} {id_}: {', '.join(replaces)} cannot change in place, so it is replaced")
        return Diffed(changed, replaces, bool(replaces) and self.collides(current, news))

    def collides(self, current: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
        """Whether the replacement would collide with the old one, so the old one is deleted first."""
        return False

    def read(self, client: TwilioClient, id_: str, props: dict[str, Any]) -> Found:
        try:
            answer = self.fetch(client, id_, props)
        except NotFoundError:
            return Found(None, {})
        importing = not props.keys() - {PROVIDER_KEY}
        legacy = [name for name in self.by_name() if name in props]
        outs = self.outputs(props, answer, [] if importing else declared_names(props, legacy))
        current = self.view(outs)
        if importing:
            outs[DECLARED_KEY] = [w.name for w in self.wires if w.imported and current.get(w.name) is not None]
        return Found(id_, outs, {name: current[name] for name in outs[DECLARED_KEY] if current.get(name) is not None})

    def update(self, client: TwilioClient, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        changed = self.diff(id_, olds, news).changed
        answer = client.post(self.path(news, id_), self.form(news, changed)) if changed else olds
        return self.outputs(news, {k: v for k, v in answer.items() if k not in (DECLARED_KEY, *self.kept)})

    def fetch(self, client: TwilioClient, id_: str, props: Mapping[str, Any]) -> Json:
        return client.get(self.path(props, id_))

    def path(self, props: Mapping[str, Any], id_: str) -> str:
        """The URL path of the resource with this id."""
        raise NotImplementedError

    def inputs_model(self) -> type[BaseModel]:
        from .. import validation

        model: type[BaseModel] = getattr(validation, self.model)
        return model


class ObjectCore(TableCore):
    """A Twilio object with a SID: created by a POST to its collection, deleted by a DELETE."""

    kept: ClassVar[tuple[str, ...]] = ("adopt",)

    def collection(self, props: Mapping[str, Any]) -> str:
        raise NotImplementedError

    def find(self, client: TwilioClient, props: Mapping[str, Any]) -> Json | None:
        """The object a lost create answer may have made, or None: how it is found again (see each resource)."""
        raise NotImplementedError

    def unfindable(self, props: Mapping[str, Any]) -> str | None:
        """Why an object these inputs create could not be found again, so a lost create is not posted again."""
        return None

    def create(self, client: TwilioClient, props: dict[str, Any]) -> Created:
        if props.get("adopt"):
            try:
                found = self.fetch(client, props["adopt"], props)
            except NotFoundError:
                raise AdoptNotFoundError(
                    f"adopt: there is no {self.kind} {props['adopt']!r}; nothing was created"
                ) from None
            return self._converge(client, found, props)
        backoff = client.backoff()
        while True:
            try:
                answer = client.post(self.collection(props), self.form(props), idempotent=False)
                return Created(answer["sid"], self.outputs(props, answer))
            except AmbiguousWriteError as exc:
                reason = self.unfindable(props)
                if reason is not None:
                    raise exc.with_hint(reason) from None
                made = self.find(client, props)
                if made is not None:  # the lost answer's create did happen: take it, do not make a second
                    return self._converge(client, made, props)
                if not backoff.wait():
                    raise backoff.exhausted(exc) from None

    def _converge(self, client: TwilioClient, found: Json, props: dict[str, Any]) -> Created:
        """An existing object brought to what the program declares, with one POST of the differences."""
        diffed = self.diff(found["sid"], found, props)
        if diffed.replaces:
            raise AdoptError(
                f"adopt: {self.kind} {found['sid']} differs in {', '.join(diffed.replaces)}, which Twilio cannot "
                "change in place; declare what it has to adopt it"
            )
        changed = diffed.changed
        answer = client.post(self.path(props, found["sid"]), self.form(props, changed)) if changed else found
        return Created(found["sid"], self.outputs(props, answer))

    def delete(self, client: TwilioClient, id_: str, props: dict[str, Any]) -> None:
        with contextlib.suppress(NotFoundError):  # already gone: the goal is reached
            client.delete(self.path(props, id_))


class SettingCore(TableCore):
    """A setting that exists once in its scope: create takes it over (writes the declared fields), delete
    writes back what `restored` says; two declarations of one in a program fail `check`, naming both."""

    _claimed: ClassVar[dict[tuple[str, str], str]]
    scope: ClassVar[str]
    """What has the setting once, in words: `service`, `account`."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._claimed = {}  # (kind, scope) → resource name, per provider process: one program's checks

    def scope_of(self, news: Mapping[str, Any]) -> tuple[str, str] | None:
        """The input naming the scope and the scope's key, or None while it is unknown."""
        raise NotImplementedError

    def id_of(self, props: Mapping[str, Any], answer: Json) -> str:
        raise NotImplementedError

    def restored(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """What delete writes back, by input name."""
        raise NotImplementedError

    def claim(self, resource_name: str | None, news: Mapping[str, Any]) -> list[tuple[str, str]]:
        scope = self.scope_of(news)
        if not isinstance(resource_name, str) or scope is None:
            return []
        name, key = scope
        holder = self._claimed.setdefault((self.kind, key), resource_name)
        if holder == resource_name:
            return []
        owner = key if name else f"the {self.scope}"
        return [
            (
                name,
                f"{owner} already has its {self.kind} declared by {holder!r}; {resource_name!r} declares it "
                f"again, and there is one per {self.scope}: declare it once",
            )
        ]

    def create(self, client: TwilioClient, props: dict[str, Any]) -> Created:
        current = self.fetch(client, self.id_of(props, {}), props)
        id_ = self.id_of(props, current)
        changed = self.diff(id_, current, props).changed
        answer = client.post(self.path(props, id_), self.form(props, changed)) if changed else current
        return Created(id_, self.taken_over(current, self.outputs(props, answer)))

    def taken_over(self, before: Json, outputs: dict[str, Any]) -> dict[str, Any]:
        """The outputs of a create, given what Twilio held before it (a record of it, where delete needs one)."""
        return outputs

    def delete(self, client: TwilioClient, id_: str, props: dict[str, Any]) -> None:
        """Write back `restored` where it differs from what Twilio holds (a deleted service: nothing to do)."""
        try:
            current = self.view(self.fetch(client, id_, props))
        except NotFoundError:
            return
        restored = self.restored(props)
        changed = [name for name, value in restored.items() if not self.same(name, value, current.get(name))]
        if changed:
            with contextlib.suppress(NotFoundError):
                client.post(self.path(props, id_), self.form(restored, changed))

    def defaults(self) -> dict[str, Any]:
        """Twilio's value of each field it can put back, for a setting never configured."""
        return {
            wire.name: wire.default for wire in self.wires if wire.default is not KEEP and wire.form_key is not None
        }


class ServiceSettingCore(SettingCore):
    """A setting each service has once (`/v1/Services/{ChatServiceSid}/Configuration/<setting>`); its id is
    the service SID, and delete puts Twilio's defaults back."""

    scope = "service"
    setting: ClassVar[str]
    """The last part of its path."""

    def scope_of(self, news: Mapping[str, Any]) -> tuple[str, str] | None:
        service = news.get("chat_service_sid")
        return ("chat_service_sid", service) if isinstance(service, str) and not is_unknown(service) else None

    def id_of(self, props: Mapping[str, Any], answer: Json) -> str:
        return str(props["chat_service_sid"])

    def path(self, props: Mapping[str, Any], id_: str) -> str:
        return f"/v1/Services/{id_}/Configuration/{self.setting}"

    def restored(self, props: Mapping[str, Any]) -> dict[str, Any]:
        return self.defaults()


PREVIOUS_KEY = "previous"
"""The output of an account setting that records what the account held before Pulumi took it over."""


class AccountSettingCore(SettingCore):
    """A setting the account has once (`/v1/Configuration…`); its id is the account SID.

    Create records what was there (`previous`, in state); delete writes that back, so `pulumi destroy`
    leaves the account as Pulumi found it (`retain_on_delete` skips delete: the declared values stay).
    An import records what it finds, as a create would have."""

    scope = "account"
    setting_path: ClassVar[str]

    def scope_of(self, news: Mapping[str, Any]) -> tuple[str, str] | None:
        return ("", "account")

    def id_of(self, props: Mapping[str, Any], answer: Json) -> str:
        return str(answer.get("account_sid") or "")

    def path(self, props: Mapping[str, Any], id_: str) -> str:
        return self.setting_path

    def record(self, answer: Json) -> dict[str, Any]:
        """What Twilio holds, by input name (unset as Twilio's default, where Twilio has one to write back)."""
        seen = self.view(answer)
        defaults = self.defaults()
        recorded = {
            wire.name: seen[wire.name] if seen.get(wire.name) is not None else defaults.get(wire.name)
            for wire in self.wires
            if wire.form_key is not None
        }
        return {name: value for name, value in recorded.items() if value is not None}

    def taken_over(self, before: Json, outputs: dict[str, Any]) -> dict[str, Any]:
        """The outputs and the record of what was there; a declared field the account had not set (Twilio has no
        way to unset it) is said to stay as declared after destroy."""
        previous = self.record(before)
        for name in outputs.get(DECLARED_KEY) or []:
            if name not in previous and name in self.by_name():
                say(f"{self.kind}: the account had no {name}, and Twilio cannot unset it: destroy leaves "
                    f"{outputs.get(name)!r}")  # fmt: skip
        return {**outputs, PREVIOUS_KEY: previous}

    def restored(self, props: Mapping[str, Any]) -> dict[str, Any]:
        previous = props.get(PREVIOUS_KEY)
        return dict(previous) if isinstance(previous, Mapping) else {}

    def read(self, client: TwilioClient, id_: str, props: dict[str, Any]) -> Found:
        found = super().read(client, id_, props)
        if found.id is None:
            return found
        previous = props.get(PREVIOUS_KEY)
        outputs = {**found.outputs, PREVIOUS_KEY: previous if previous is not None else self.record(found.outputs)}
        return Found(found.outputs.get("account_sid") or id_, outputs, found.inputs)

    def update(self, client: TwilioClient, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        outputs = super().update(client, id_, olds, news)
        outputs.pop(PREVIOUS_KEY, None)
        return {**outputs, **({PREVIOUS_KEY: olds[PREVIOUS_KEY]} if olds.get(PREVIOUS_KEY) is not None else {})}


def named(project: str, stack: str, resource_name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """A setting's program inputs: the declared ones and the resource's name (see `SettingCore.claim`)."""
    return {**inputs, RESOURCE_NAME_KEY: resource_name}


def removal_rules(kind_wires: tuple[Wire, ...], **rules: Any) -> RemovalRules:
    """A table's removal rules: every input with a default resets to it; the rest are kept."""
    return RemovalRules(
        compared=tuple(wire.name for wire in kind_wires),
        resets={wire.name: wire.default for wire in kind_wires if wire.default is not KEEP},
        hidden=frozenset(wire.name for wire in kind_wires if wire.secret),
        **rules,
    )
