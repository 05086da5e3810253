"""Adopting a whole Conversation Service: list its conversations and write the program that adopts them.

`python -m pulumi_twilio_conversations adopt --service IS…` (see `__main__.py`) runs
`list_conversations`, `declarations` and one of `render_python` / `render_yaml`. Each conversation is
declared with `adopt=<its SID>` and the fields Twilio reports, so the first `pulumi up` fetches each one
and finds nothing to change (no create, no update) and the second `pulumi up` is a no-op.

Two of Twilio's fields are not declared, on purpose:
- timers: Twilio reports when they fire (`date_inactive`, `date_closed`), not the durations that were
  set; declaring a duration would restart the timer. The Python output names the dates in a comment.
- state `initializing`: not a state a program may declare.

The output is deterministic (resources sorted by name, no timestamps), so running the generator again
on an unchanged service gives the same bytes and a diff of two runs shows what changed in Twilio.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .twilio import Json, TwilioClient

# Twilio documents 100 as the largest page of this list; fewer requests for big services.
PAGE_SIZE = 100
STATES = ("active", "inactive", "closed")
# Fields copied from Twilio's answer into the declaration, in the order they are written.
_COPIED = ("friendly_name", "unique_name", "attributes", "state", "messaging_service_sid")
_NOT_IN_NAMES = re.compile(r"[^A-Za-z0-9_]+")


@dataclass(frozen=True)
class Declaration:
    """One `Conversation` of the generated program."""

    name: str
    """The Pulumi resource name: the sanitized unique name, else the SID; unique in the program."""
    sid: str
    inputs: dict[str, Any]
    """The inputs to declare besides `chat_service_sid`: `adopt` first, then Twilio's current fields."""
    timers: dict[str, str]
    """Twilio's `timers` ({date_inactive, date_closed} or {}), for a comment: they are not inputs."""


def list_conversations(
    client: TwilioClient,
    service_sid: str,
    *,
    state: str | None = None,
    page_size: int = PAGE_SIZE,
    progress: Callable[[int], None] | None = None,
) -> list[Json]:
    """Every conversation of the service (only those in `state` when given), following Twilio's paging.

    `progress` is called with the running count after each page."""
    params = {"PageSize": str(page_size), **({"State": state} if state else {})}
    found: list[Json] = []
    for page in client.pages(f"/v1/Services/{service_sid}/Conversations", "conversations", params):
        found.extend(page)
        if progress is not None:
            progress(len(found))
    return found


def declarations(conversations: Iterable[Json]) -> list[Declaration]:
    """One declaration per conversation, sorted by resource name.

    A name shared after sanitizing (`team a` and `team-a`) stays with the conversation whose unique name
    it is exactly; the others get `-1`, `-2`, … in SID order, skipping names already in use."""
    wanted = [(_base_name(c), c) for c in sorted(conversations, key=lambda c: str(c["sid"]))]
    shared = Counter(base for base, _ in wanted)
    keeps = [shared[base] == 1 or _named_exactly(c, base) for base, c in wanted]
    used = {base for (base, _), kept in zip(wanted, keeps, strict=True) if kept}
    result = []
    for (base, conversation), kept in zip(wanted, keeps, strict=True):
        name = base
        if not kept:
            number = 1
            while (name := f"{base}-{number}") in used:
                number += 1
            used.add(name)
        result.append(Declaration(name, conversation["sid"], _inputs(conversation), _timers(conversation)))
    return sorted(result, key=lambda d: d.name)


def _named_exactly(conversation: Json, name: str) -> bool:
    return name in (conversation.get("unique_name"), conversation["sid"])


def _base_name(conversation: Json) -> str:
    """The unique name made safe for a resource name (letters, digits, `_`, `-`), else the SID."""
    readable = _NOT_IN_NAMES.sub("-", conversation.get("unique_name") or "").strip("-")
    return readable or str(conversation["sid"])


def _inputs(conversation: Json) -> dict[str, Any]:
    inputs: dict[str, Any] = {"adopt": conversation["sid"]}
    for name in _COPIED:
        value = conversation.get(name)
        if name == "attributes":
            value = _attributes(value)
        elif name == "state" and value not in STATES:
            value = None
        if value is not None:
            inputs[name] = value
    email = (conversation.get("bindings") or {}).get("email") or {}
    for key in ("address", "name"):
        if email.get(key):
            inputs[f"bindings_email_{key}"] = email[key]
    return inputs


def _timers(conversation: Json) -> dict[str, str]:
    return {key: value for key, value in (conversation.get("timers") or {}).items() if value}


def _attributes(text: Any) -> Any:
    """Twilio's JSON string as a value (`{}` is left out: it is what an undeclared input compares to)."""
    if not isinstance(text, str):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return text  # not JSON: kept verbatim, and the provider's check will say so
    if value == {}:
        return None
    return value if isinstance(value, dict) else text


def _header(service_sid: str, state: str | None, command: str) -> list[str]:
    only = f" in state {state}" if state else ""
    return [
        f"Conversations of {service_sid}{only}, each adopted by its SID.",
        "",
        f"Written by `{command}`.",
        "The first `pulumi up` adopts them (no create, no change); from then on this program manages them,",
        "and `pulumi destroy` deletes them unless a resource has",
        "`opts=pulumi.ResourceOptions(retain_on_delete=True)`.",
        "Timers are not declared: Twilio reports when they fire, not their durations.",
    ]


def render_python(service_sid: str, items: Iterable[Declaration], *, state: str | None = None) -> str:
    """A Pulumi Python program (`__main__.py`) declaring each conversation."""
    command = _command(service_sid, state, "python")
    lines = ['"""' + "\n".join(_header(service_sid, state, command)) + '\n"""', ""]
    lines += ["from pulumi_twilio_conversations import Conversation", "", f"SERVICE = {_py(service_sid)}"]
    for item in items:
        lines += ["", ""]
        if item.timers:
            fires = ", ".join(f"{key.removeprefix('date_')} at {value}" for key, value in sorted(item.timers.items()))
            lines.append(f"# Twilio's timers: {fires}")
        lines += ["Conversation(", f"    {_py(item.name)},", "    chat_service_sid=SERVICE,"]
        lines += [f"    {name}={_py(value, 4)}," for name, value in item.inputs.items()]
        lines.append(")")
    return "\n".join(lines) + "\n"


def render_yaml(service_sid: str, items: Iterable[Declaration], *, state: str | None = None) -> str:
    """The data file of `examples/data-driven`: `service` and `conversations` (resource name → inputs).

    Needs PyYAML, which `pulumi` itself depends on; imported here so the Python output never needs it."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - pulumi requires pyyaml; this guards a broken environment
        raise RuntimeError("--format yaml needs PyYAML: pip install pyyaml") from None
    data = {"service": service_sid, "conversations": {item.name: item.inputs for item in items}}
    command = _command(service_sid, state, "yaml")
    header = "".join(f"# {line}".rstrip() + "\n" for line in _header(service_sid, state, command))
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=120)
    return header + body


def _command(service_sid: str, state: str | None, output_format: str) -> str:
    only = f" --state {state}" if state else ""
    return f"pulumi-twilio-conversations adopt --service {service_sid}{only} --format {output_format}"


def _py(value: Any, indent: int = 0) -> str:
    """A JSON value as Python source starting on a line indented by `indent`: on one line when it fits in
    100 columns, else one item per line (as black would format it)."""
    flat = _py_flat(value)
    if indent + len(flat) <= 100 or not isinstance(value, Mapping | list):
        return flat
    inner, close = " " * (indent + 4), " " * indent
    if isinstance(value, Mapping):
        items = "".join(f"{inner}{_py_flat(str(k))}: {_py(v, indent + 4)},\n" for k, v in value.items())
        return "{\n" + items + close + "}"
    return "[\n" + "".join(f"{inner}{_py(v, indent + 4)},\n" for v in value) + close + "]"


def _py_flat(value: Any) -> str:
    """A JSON value as Python source on one line, strings double-quoted."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_py_flat(str(k))}: {_py_flat(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_py_flat(v) for v in value) + "]"
    if value is None or isinstance(value, bool):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)
