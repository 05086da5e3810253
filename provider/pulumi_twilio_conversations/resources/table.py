"""Cores written as a table: one row per input (form key, where Twilio reports it, replace or update,
Twilio's default), and the CRUD every such resource shares.

Two kinds: `ObjectCore`, a Twilio object with a SID (roles, address configurations, conversation
webhooks), and `SettingCore`, a setting every service already has (its webhook and push notification
configuration): creating one writes what is declared, deleting one puts Twilio's defaults back.
A resource module gives its table, its paths, its pydantic model and, for objects, how an object is
found again after a create whose answer was lost.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import AdoptError, AdoptNotFoundError, AmbiguousWriteError, NotFoundError
from ..inputs import json_ints
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
    """string, boolean, integer, list (a repeated form key, compared as a set) or method (GET/POST, any case)."""
    description: str
    reported: str | None = None
    """Where Twilio's answer holds its value, dotted (`configuration.url`); None: `name` at the top level."""
    required: bool = False
    replaces: bool = False
    """A change replaces the resource (Twilio has no update for it, or it is part of the path)."""
    default: Any = KEEP
    """Twilio's value when it was never set; removing the input writes it (KEEP: Twilio keeps its value)."""
    imported: bool = True

    @property
    def field(self) -> Field:
        schema_kind = {"list": "string-list", "integer": "number", "method": "string"}.get(self.kind, self.kind)
        return Field(
            self.name, schema_kind, self.description, required=self.required, replaces=self.replaces,
            imported=self.imported, always=self.required,
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
    return bool(json_ints(new) == json_ints(old))


def form_value(wire: Wire, value: Any) -> str | list[str]:
    if wire.kind == "list":
        return [str(item) for item in value] or [""]  # an empty repeated key clears Twilio's list
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(json_ints(value))


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
        seen = {wire.name: dig(outputs, wire.reported or wire.name) for wire in self.wires}
        return {**{name: outputs.get(name) for name in self.kept}, **seen, DECLARED_KEY: outputs.get(DECLARED_KEY)}

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
    """A setting each service has once: create writes the declared fields, delete writes Twilio's defaults."""

    _claimed: ClassVar[dict[tuple[str, str], str]]
    setting: ClassVar[str]
    """The last part of its path: `/v1/Services/{ChatServiceSid}/Configuration/<setting>`."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._claimed = {}  # (kind, service) → resource name, per provider process: one program's checks

    def claim(self, resource_name: str | None, news: Mapping[str, Any]) -> list[tuple[str, str]]:
        service = news.get("chat_service_sid")
        if not isinstance(resource_name, str) or not isinstance(service, str) or is_unknown(service):
            return []
        holder = self._claimed.setdefault((self.kind, service), resource_name)
        if holder == resource_name:
            return []
        return [
            (
                "chat_service_sid",
                f"{service} already has its {self.kind} declared by {holder!r}; {resource_name!r} declares it "
                "again, and a service has one: declare it once",
            )
        ]

    def path(self, props: Mapping[str, Any], id_: str) -> str:
        return f"/v1/Services/{id_}/Configuration/{self.setting}"

    def create(self, client: TwilioClient, props: dict[str, Any]) -> Created:
        service = props["chat_service_sid"]
        current = self.fetch(client, service, props)
        changed = self.diff(service, current, props).changed
        answer = client.post(self.path(props, service), self.form(props, changed)) if changed else current
        return Created(service, self.outputs(props, answer))

    def delete(self, client: TwilioClient, id_: str, props: dict[str, Any]) -> None:
        """Put back Twilio's default of every field that differs from it (a deleted service: nothing to do)."""
        try:
            current = self.view(self.fetch(client, id_, props))
        except NotFoundError:
            return
        defaults = {
            wire.name: wire.default for wire in self.wires if wire.default is not KEEP and wire.form_key is not None
        }
        changed = [name for name, value in defaults.items() if not self.same(name, value, current.get(name))]
        if changed:
            with contextlib.suppress(NotFoundError):
                client.post(self.path(props, id_), self.form(defaults, changed))


def named(project: str, stack: str, resource_name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """A setting's program inputs: the declared ones and the resource's name (see `SettingCore.claim`)."""
    return {**inputs, RESOURCE_NAME_KEY: resource_name}


def removal_rules(kind_wires: tuple[Wire, ...], **rules: Any) -> RemovalRules:
    """A table's removal rules: every input with a default resets to it; the rest are kept."""
    return RemovalRules(
        compared=tuple(wire.name for wire in kind_wires),
        resets={wire.name: wire.default for wire in kind_wires if wire.default is not KEEP},
        **rules,
    )
