"""What every resource's core is made of, and the outcomes it gives its front doors.

A core holds one Twilio resource's knowledge: its input rules, form keys, what removing an input
means, diff decisions, and its reads and writes over `TwilioClient`. It speaks no engine protocol:
the dynamic provider (`provider.TwilioProvider`) and the plugin (`plugin/`) translate requests into
calls of these methods and the outcomes below into their own answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pulumi.output import Unknown

if TYPE_CHECKING:  # imported on first use: a program and `pulumi preview` never need pydantic or requests
    from pydantic import BaseModel

    from ..twilio import TwilioClient

# The plugin's package: its type tokens are `twilio-conversations:index:<Name>`.
PACKAGE = "twilio-conversations"
MODULE = "index"
# Where the dynamic provider's server keeps the pickled provider in every property bag; never an input.
PROVIDER_KEY = "__provider"
# The output (state only, never registered by a program) that lists the inputs the program declared:
# `read` gets the old outputs, not the old inputs, and must give back only the declared ones.
DECLARED_KEY = "declared_inputs"


def is_unknown(value: Any) -> bool:
    """True for a value that preview cannot know yet (an output of a resource not yet created)."""
    return isinstance(value, Unknown)


def say(message: str) -> None:
    """A line the Pulumi CLI shows as an info diagnostic (the provider's stdout is forwarded)."""
    print(message, flush=True)


@dataclass(frozen=True)
class Checked:
    """`check`: the inputs to store and diff, and one (input, reason) per broken rule."""

    inputs: dict[str, Any]
    failures: list[tuple[str, str]]


@dataclass(frozen=True)
class Diffed:
    """`diff`: the inputs the update writes (or that replace), which of them replace, and whether to delete first."""

    changed: list[str]
    replaces: list[str] = field(default_factory=list)
    delete_before_replace: bool = False
    changes_state: bool = False
    """Only stored inputs changed (e.g. `force_destroy`): an update, with nothing sent to Twilio."""

    @property
    def changes(self) -> bool:
        return bool(self.changed) or self.changes_state


@dataclass(frozen=True)
class Created:
    """`create`: the new resource's id and its outputs."""

    id: str
    outputs: dict[str, Any]


@dataclass(frozen=True)
class Found:
    """`read`: the id (None when the resource is gone), its outputs, and the declared inputs as Twilio has them."""

    id: str | None
    outputs: dict[str, Any]
    inputs: dict[str, Any] | None = None


@dataclass(frozen=True)
class Field:
    """One property of a resource."""

    name: str
    """The core's name (snake_case)."""
    type: str
    """The value's kind in state: a key of `schema.TYPES` (string, boolean, number, json, string-map)."""
    description: str
    input: bool = True
    """Declared by the program (else Twilio sets it)."""
    output: bool = True
    """Kept in the resource's state."""
    required: bool = False
    replaces: bool = False
    """A change replaces the resource instead of updating it."""
    secret: bool = False
    imported: bool = False
    """`pulumi import` declares it from what Twilio reports."""
    input_type: str | None = None
    """The kind a program may give when it differs from the kind in state (attributes: object or JSON text)."""
    always: bool = False
    """Always in state once created (so the SDKs' output type is not optional)."""


@dataclass(frozen=True)
class ResourceSpec:
    """One resource type of the package."""

    name: str
    """The type token's last part: `twilio-conversations:index:<name>`."""
    description: str
    fields: tuple[Field, ...]
    core: ResourceCore
    """What does the work, for both front doors."""
    import_id: str
    """The id form `pulumi import` takes, for the description."""
    defaults: Callable[[str, str, str, dict[str, Any]], dict[str, Any]] | None = None
    """What a program adds to the declared inputs, given (project, stack, resource name): the Python
    resource class calls it, the plugin calls it in `check` (its programs are in other languages)."""

    @property
    def token(self) -> str:
        return f"{PACKAGE}:{MODULE}:{self.name}"

    @property
    def inputs(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.input)

    @property
    def outputs(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.output)


# Fields every object resource has, and how `adopt` is described.
SID_FIELD = Field("sid", "string", "The SID; also the resource id.", input=False, always=True)
ACCOUNT_FIELD = Field("account_sid", "string", "The account (AC…) that owns it.", input=False, always=True)
URL_FIELD = Field("url", "string", "Its absolute API URL.", input=False, always=True)
DATE_FIELDS = (
    Field("date_created", "string", "When it was created (ISO 8601).", input=False),
    Field("date_updated", "string", "When it was last updated (ISO 8601).", input=False),
)
ADOPT_WORDS = "take over on create instead of creating one; ignored afterwards"


class ResourceCore:
    """One Twilio resource. Subclasses set `kind` and `rules` and implement the six methods."""

    kind: ClassVar[str]
    rules: ClassVar[RemovalRules]

    def inputs_model(self) -> type[BaseModel]:
        """The pydantic model of the resource's input rules (imported here, so only `check` loads pydantic)."""
        raise NotImplementedError

    def failures(self, news: Mapping[str, Any], olds: Mapping[str, Any]) -> list[tuple[str, str]]:
        """One (input, reason) per input that breaks a rule; inputs unknown in preview are not judged.

        Every rule judges one input alone, and `olds` are inputs this check accepted before: when each
        input is unchanged from them, there is nothing new to judge, and a no-op `pulumi preview` or
        `pulumi up` never loads pydantic (~75 ms per provider process).
        """
        if olds and news.items() <= olds.items():
            return []
        from ..validation import validation_failures

        unknown = [name for name, value in news.items() if is_unknown(value)]
        return validation_failures(self.inputs_model(), news, unknown)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> Checked:
        raise NotImplementedError

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> Diffed:
        raise NotImplementedError

    def create(self, client: TwilioClient, props: dict[str, Any]) -> Created:
        raise NotImplementedError

    def read(self, client: TwilioClient, id_: str, props: dict[str, Any]) -> Found:
        raise NotImplementedError

    def update(self, client: TwilioClient, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def delete(self, client: TwilioClient, id_: str, props: dict[str, Any]) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class RemovalRules:
    """What removing an input from the program means for one resource (docs/reference.md has the table).

    An input not named here is one Twilio cannot put back: `check` carries its last value forward, so a
    preview shows no removal that `pulumi up` would not make, and says so in an info line.
    """

    compared: tuple[str, ...]
    """The inputs whose change makes an update or a replacement (what `diff` compares)."""
    resets: Mapping[str, Any] = field(default_factory=dict)
    """Inputs Twilio can put back to its default, and that default: removing one writes it."""
    always_kept: frozenset[str] = frozenset()
    """Carried forward whenever the program leaves them out, silently (e.g. a unique name once given)."""
    create_only: frozenset[str] = frozenset()
    """Used on create only (`adopt`): a later change or removal is ignored, so the old value stays."""
    request_only: frozenset[str] = frozenset()
    """Not stored by Twilio (a header, a delete guard): removing one is its default, nothing to keep."""
    internal: frozenset[str] = frozenset()
    """Names earlier versions kept in the inputs (`auto_name`): never shown, dropped when nothing else changes."""
    hidden: frozenset[str] = frozenset()
    """Secrets (a credential's key material): a message may name one, never show its value."""


def carry_forward(
    kind: str, rules: RemovalRules, olds: Mapping[str, Any], news: dict[str, Any], same: Callable[[str, Any, Any], bool]
) -> tuple[dict[str, Any], set[str]]:
    """The checked inputs after applying `rules` to what the program removed, and the names carried.

    The engine shows a preview as the old inputs against these; `diff` then compares these against
    Twilio. So an input that Twilio keeps is carried forward whenever the step is an update or a
    replacement (it would show as removed, and nothing would remove it); when nothing else changes
    it is dropped, which no preview shows and no request follows, so the inputs lose it quietly.
    A removed input Twilio can reset takes Twilio's default, which the update writes.
    """
    if not olds:
        return news, set()
    checked = dict(news)
    carried: set[str] = set()
    for name in rules.create_only:
        if name in checked and not (name in olds and same(name, checked[name], olds[name])):
            say(f"{kind}: {name} applies when the resource is created only; the new value is ignored")
        checked.pop(name, None)
        if name in olds:
            checked[name] = olds[name]
            carried.add(name)
    removed = [name for name in olds if name not in checked and name != PROVIDER_KEY and name not in rules.request_only]
    resets = {
        name: rules.resets[name]
        for name in removed
        if name in rules.resets and not same(name, rules.resets[name], olds[name])
    }
    changing = bool(resets) or bool(changed_inputs(rules.compared, checked, olds, same))
    for name in removed:
        if name in resets:  # Twilio can put it back: the update writes its default
            checked[name] = resets[name]
            carried.add(name)  # Twilio's own value: no rule to judge
            say(f"{kind}: {name} is no longer declared; Twilio's default {resets[name]!r} is written back")
            continue
        if changing or name in rules.always_kept:
            checked[name] = olds[name]
            carried.add(name)
        if name not in rules.always_kept | rules.internal | rules.resets.keys():
            kept = "the value it has (a secret, not shown)" if name in rules.hidden else repr(olds[name])
            say(f"{kind}: {name} is no longer declared; Twilio keeps {kept}")
    return checked, carried


def declared_names(outputs: Mapping[str, Any], legacy: Iterable[str]) -> list[str]:
    """The inputs the program declared, as create and update recorded them; `legacy` for older states."""
    recorded = outputs.get(DECLARED_KEY)
    return list(recorded) if isinstance(recorded, list | tuple) else [name for name in legacy if name in outputs]


def imported_names(spec: ResourceSpec, current: Mapping[str, Any]) -> list[str]:
    """What an import (`pulumi import`, a lookup by id) declares: the importable inputs Twilio reports."""
    return [f.name for f in spec.inputs if f.imported and current.get(f.name) is not None]


def changed_inputs(
    names: Iterable[str], declared: Mapping[str, Any], current: Mapping[str, Any], same: Callable[[str, Any, Any], bool]
) -> list[str]:
    """The declared inputs whose value differs from `current`; an unknown value counts as changed."""
    return [
        name
        for name in names
        if declared.get(name) is not None
        and (is_unknown(declared[name]) or not same(name, declared[name], current.get(name)))
    ]


def to_write(
    names: Iterable[str],
    declared: Mapping[str, Any],
    current: Mapping[str, Any],
    same: Callable[[str, Any, Any], bool],
) -> list[str]:
    """The declared inputs an update sends: those Twilio does not hold yet, and those newly declared.

    A preview lists an input the program adds as added, so it is sent even when Twilio holds that
    value already. `current` is the old state (whose DECLARED_KEY says what was declared before) or,
    for a resource just fetched, Twilio's answer (then only values count).
    """
    before = current.get(DECLARED_KEY)
    changed = set(changed_inputs(names, declared, current, same))
    return [
        name
        for name in names
        if declared.get(name) is not None and (name in changed or (isinstance(before, list) and name not in before))
    ]
