"""What both dynamic providers share: configuration, the client, check failures, progress lines,
what removing an input means, and how errors reach the user.

Nothing is stored on a provider object in the program process: dill pickles these classes by
reference (they live in an importable module), so the serialized provider stays under 100 bytes
and holds no credential. In the provider process `configure` keeps the stack config's lookup
function, and the client is built from it on first use.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import pulumi
import pulumi.dynamic
from pulumi.output import Unknown

from .errors import TwilioError
from .settings import Settings

if TYPE_CHECKING:  # imported on first use: the program and `pulumi preview` never need requests
    from pydantic import BaseModel

    from .twilio import TwilioClient

# Where the SDK's server keeps the pickled provider in every property bag; not an input of ours.
PROVIDER_KEY = "__provider"
# The output (state only, never registered by a program) that lists the inputs the program declared:
# `read` gets the old outputs, not the old inputs, and must give back only the declared ones.
DECLARED_KEY = "declared_inputs"

_Method = TypeVar("_Method", bound=Callable[..., Any])


def is_unknown(value: Any) -> bool:
    """True for a value that preview cannot know yet (an output of a resource not yet created)."""
    return isinstance(value, Unknown)


class TwilioProvider(pulumi.dynamic.ResourceProvider):
    """Base of this package's providers: settings from `configure`, one shared client per process."""

    _config_get: Callable[[str], str | None] | None = None
    # The pickled provider holds no value at all (a class reference), so it need not be a secret:
    # plain, it is ~115 bytes a copy in state instead of ~285 of ciphertext, and nothing to decrypt.
    # The SDK still makes it secret if a program ever captures a secret Output in it.
    serialize_as_secret_always = False

    def configure(self, req: pulumi.dynamic.ConfigureRequest) -> None:
        # Settings are read lazily, so `pulumi preview` (check and diff only) needs no credentials.
        self._config_get = req.config.get

    @property
    def client(self) -> TwilioClient:
        from .twilio import client_for  # deferred: importing requests costs ~55 ms per process

        return client_for(Settings.load(self._config_get))

    @staticmethod
    def inputs_model() -> type[BaseModel]:
        """The pydantic model of the resource's input rules (imported here, so only `check` loads pydantic)."""
        raise NotImplementedError

    def failures(self, news: Mapping[str, Any], olds: Mapping[str, Any]) -> list[pulumi.dynamic.CheckFailure]:
        """One CheckFailure per input that breaks a rule; inputs unknown in preview are not judged.

        Every rule judges one input alone, and `olds` are inputs this check accepted before: when each
        input is unchanged from them, there is nothing new to judge, and a no-op `pulumi preview` or
        `pulumi up` never loads pydantic (~75 ms per provider process).
        """
        if olds and news.items() <= olds.items():
            return []
        from .validation import validation_failures

        unknown = [name for name, value in news.items() if is_unknown(value)]
        failed = validation_failures(self.inputs_model(), news, unknown)
        return [pulumi.dynamic.CheckFailure(name, reason) for name, reason in failed]


def surfaced(method: _Method) -> _Method:
    """Raise this package's errors from the provider method itself, without the frames below it.

    The SDK's server shows the user `traceback.format_exc()` of whatever escapes; an error raised
    here carries the server's two frames and this one, so its message stays the last line and is
    not buried under the client's and the retry loop's frames, nor under a chained cause.
    """

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except TwilioError as exc:
            raise exc.with_traceback(None) from None

    return wrapper  # type: ignore[return-value]


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
            say(f"{kind}: {name} is no longer declared; Twilio's default {resets[name]!r} is written back")
            continue
        if changing or name in rules.always_kept:
            checked[name] = olds[name]
            carried.add(name)
        if name not in rules.always_kept | rules.internal | rules.resets.keys():
            say(f"{kind}: {name} is no longer declared; Twilio keeps {olds[name]!r}")
    return checked, carried


def declared_names(outputs: Mapping[str, Any], legacy: Iterable[str]) -> list[str]:
    """The inputs the program declared, as create and update recorded them; `legacy` for older states."""
    recorded = outputs.get(DECLARED_KEY)
    return list(recorded) if isinstance(recorded, list | tuple) else [name for name in legacy if name in outputs]


def resource_props(
    kind: str,
    resource_name: str,
    args: Mapping[str, Any] | None,
    kwargs: Mapping[str, Any],
    opts: pulumi.ResourceOptions | None,
    required: str,
    names: Iterable[str],
) -> dict[str, Any]:
    """The property bag a resource registers: inputs from `args` and keywords (keywords win), and every
    other name in `names` as None, which makes it an output attribute of the resource."""
    props = {**(args if args is not None else {}), **kwargs}
    if props.get(required) is None and not (opts and opts.id):
        raise TypeError(f"{kind} {resource_name!r}: {required} is required")
    return {**dict.fromkeys(names), **props}


def say(message: str) -> None:
    """A line the Pulumi CLI shows as an info diagnostic (the provider's stdout is forwarded)."""
    print(message, flush=True)


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
