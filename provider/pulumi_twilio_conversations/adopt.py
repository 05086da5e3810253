"""Adopting a whole Conversation Service: list what it holds and write the program that adopts it.

`python -m pulumi_twilio_conversations adopt --service IS…` (see `__main__.py`) runs
`list_conversations`, `declarations`, `wiring` and one of `render_python` / `render_yaml`. Each resource
is declared with the fields Twilio reports, so the first `pulumi up` fetches each one and finds nothing
to change (no create, no update) and the second `pulumi up` is a no-op:
- each conversation (of `--state` only, when given), with `adopt=<its SID>`;
- each role of the service, with `adopt=<RL…>`. The three roles the service's configuration names
  (`default_*_role_sid`) are adopted like the others, so their permissions are managed too, but with
  `retain_on_delete`: `pulumi destroy` must not leave the configuration naming roles that are gone;
- the service's webhook and notification settings, with only the fields that differ from Twilio's
  defaults (each table's `Wire.default`), and not at all when every field is a default; a setting needs
  no `adopt` (create takes it over, and writes nothing when the declared fields hold);
- each webhook of those conversations, with `adopt=<WH…>`, its conversation referenced by the
  `Conversation` resource (Python) or by its SID (YAML);
- with `addresses`, each address configuration of the account that opens conversations in the
  service (`auto_creation.conversation_service_sid`), with `adopt=<IG…>`;
- with `users`, the service's members: each user, with `adopt=<US…>`, and each participant of those
  conversations that is a fixed member (an identity or a binding address), with `adopt=<MB…>`, under its
  conversation as its webhooks are. They are opt-in: most services' users are their apps' end users,
  made at run time by the thousand, which a program should not own unless asked to.

Two of a conversation's fields are not declared, on purpose:
- timers: Twilio reports when they fire (`date_inactive`, `date_closed`), not the durations that were
  set; declaring a duration would restart the timer. The Python output names the dates in a comment.
- state `initializing`: not a state a program may declare.

The output is deterministic (resources sorted by name, lists compared as sets sorted, no timestamps), so
running the generator again on an unchanged service gives the same bytes and a diff of two runs shows
what changed in Twilio.
"""

from __future__ import annotations

import json
import keyword
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .resources.address_configuration import AddressConfigurationCore
from .resources.conversation_webhook import ConversationWebhookCore
from .resources.participant import ParticipantCore
from .resources.role import RoleCore
from .resources.service_settings import ServiceNotificationsCore, ServiceWebhooksCore
from .resources.table import KEEP, ObjectCore, TableCore, same
from .resources.user import UserCore
from .twilio import Json, TwilioClient

# Twilio documents 100 as the largest page of this list; fewer requests for big services.
PAGE_SIZE = 100
STATES = ("active", "inactive", "closed")
# Fields copied from Twilio's answer into the declaration, in the order they are written.
_COPIED = ("friendly_name", "unique_name", "attributes", "state", "messaging_service_sid")
_NOT_IN_NAMES = re.compile(r"[^A-Za-z0-9_]+")
# The configuration fields naming the service's default roles, and what each role is for (a comment).
DEFAULT_ROLES = {
    "default_chat_service_role_sid": "a user's role in the service",
    "default_conversation_role_sid": "a participant's role in a conversation",
    "default_conversation_creator_role_sid": "the role of a conversation's creator",
}
# Each kind besides Conversation, in the order the program declares them, and the YAML section it goes in.
CORES: dict[str, TableCore] = {
    "ServiceWebhookConfiguration": ServiceWebhooksCore(),
    "ServiceNotifications": ServiceNotificationsCore(),
    "Role": RoleCore(),
    "ConversationWebhook": ConversationWebhookCore(),
    "AddressConfiguration": AddressConfigurationCore(),
}
# The service's members, declared with `users` only.
MEMBERS: dict[str, TableCore] = {"User": UserCore(), "Participant": ParticipantCore()}
KINDS = {**CORES, **MEMBERS}
# The kinds declared under their conversation, referring to it.
UNDER_CONVERSATIONS = ("ConversationWebhook", "Participant")
SECTIONS = {
    "ServiceWebhookConfiguration": "service_webhook_configuration",
    "ServiceNotifications": "service_notifications",
    "Role": "roles",
    "ConversationWebhook": "conversation_webhooks",
    "AddressConfiguration": "address_configurations",
    "User": "users",
    "Participant": "participants",
}
# The resource name of each setting (there is one per service).
SETTING_NAMES = {"ServiceWebhookConfiguration": "webhooks", "ServiceNotifications": "notifications"}


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
    """One declaration per conversation, sorted by resource name (see `_unique_names`)."""
    ordered = sorted(conversations, key=lambda c: str(c["sid"]))
    bases = [_base_name(c) for c in ordered]
    names = _unique_names([(b, b in (c.get("unique_name"), c["sid"])) for b, c in zip(bases, ordered, strict=True)])
    result = [Declaration(n, c["sid"], _inputs(c), _timers(c)) for n, c in zip(names, ordered, strict=True)]
    return sorted(result, key=lambda d: d.name)


def _unique_names(wanted: Sequence[tuple[str, bool]]) -> list[str]:
    """A unique resource name for each (base name, whether the base is exactly the item's own name).

    A base shared by several (`team a` and `team-a` both give `team-a`) stays with the item whose own name
    it is exactly; the others get `-1`, `-2`, … in the order given, skipping names already in use."""
    shared = Counter(base for base, _ in wanted)
    keeps = [shared[base] == 1 or exact for base, exact in wanted]
    used = {base for (base, _), kept in zip(wanted, keeps, strict=True) if kept}
    names = []
    for (base, _), kept in zip(wanted, keeps, strict=True):
        name = base
        if not kept:
            number = 1
            while (name := f"{base}-{number}") in used:
                number += 1
            used.add(name)
        names.append(name)
    return names


def _safe(text: str) -> str:
    """Text made safe for a resource name: each run of other characters than letters, digits and `_` is `-`."""
    return _NOT_IN_NAMES.sub("-", text).strip("-")


def _base_name(conversation: Json) -> str:
    """The unique name made safe for a resource name (letters, digits, `_`, `-`), else the SID."""
    return _safe(conversation.get("unique_name") or "") or str(conversation["sid"])


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
    if email.get("name"):  # Twilio reports no address to declare, only one it projects from it
        inputs["bindings_email_name"] = email["name"]
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


@dataclass(frozen=True)
class Wired:
    """One resource of the generated program besides the conversations (its kind is a key of `KINDS`)."""

    kind: str
    name: str
    """The Pulumi resource name, unique among those of its kind."""
    inputs: dict[str, Any]
    """The inputs to declare besides `chat_service_sid`: a webhook's or participant's `conversation_sid` and
    `adopt` (objects) first, then Twilio's current fields."""
    conversation: str | None = None
    """For a ConversationWebhook or a Participant: the resource name of its conversation."""
    default_role: str | None = None
    """For a role the service's configuration names: that configuration field (`default_conversation_role_sid`)."""


def wiring(
    client: TwilioClient,
    service_sid: str,
    conversations: Sequence[Declaration],
    *,
    addresses: bool = False,
    users: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[Wired]:
    """The service's settings and roles, the webhooks of `conversations`, with `addresses` the address
    configurations opening conversations in the service, and with `users` its users and the fixed participants
    of `conversations`; each kind sorted by resource name.

    A conversation's webhooks take one request each (and its participants one more): `progress` is called with
    the running count of conversations whose webhooks were listed."""
    service = f"/v1/Services/{service_sid}"
    result = [*_setting("ServiceWebhookConfiguration", client.get(f"{service}/Configuration/Webhooks"))]
    result += _setting("ServiceNotifications", client.get(f"{service}/Configuration/Notifications"))
    defaults = {sid: name for name, sid in client.get(f"{service}/Configuration").items() if name in DEFAULT_ROLES}
    roles = _listed(client, f"{service}/Roles", "roles")
    bases = [_safe(role.get("friendly_name") or "") or role["sid"] for role in roles]
    names = _unique_names([(b, b in (r.get("friendly_name"), r["sid"])) for b, r in zip(bases, roles, strict=True)])
    found = [
        Wired("Role", name, _fields("Role", role), default_role=defaults.get(role["sid"]))
        for name, role in zip(names, roles, strict=True)
    ]
    result += sorted(found, key=lambda w: w.name)
    if users:
        result += _users(client, service_sid)
    for count, conversation in enumerate(conversations, 1):
        for hook in _listed(client, f"{service}/Conversations/{conversation.sid}/Webhooks", "webhooks"):
            inputs = {"conversation_sid": conversation.sid, **_fields("ConversationWebhook", hook)}
            result.append(Wired("ConversationWebhook", f"{conversation.name}-{hook['sid']}", inputs, conversation.name))
        if users:
            result += _participants(client, service_sid, conversation)
        if progress is not None:
            progress(count)
    if addresses:
        result += _addresses(client, service_sid)
    return result


def _addresses(client: TwilioClient, service_sid: str) -> list[Wired]:
    """The account's address configurations whose auto-creation opens conversations in the service."""
    listed = _listed(client, "/v1/Configuration/Addresses", "address_configurations")
    ours = [c for c in listed if (c.get("auto_creation") or {}).get("conversation_service_sid") == service_sid]
    names = _unique_names([(_safe(f"{c['type']}-{c['address']}"), False) for c in ours])
    found = [
        Wired("AddressConfiguration", n, _fields("AddressConfiguration", c)) for n, c in zip(names, ours, strict=True)
    ]
    return sorted(found, key=lambda w: w.name)


def _users(client: TwilioClient, service_sid: str) -> list[Wired]:
    """The service's users, each named after its identity."""
    listed = _listed(client, f"/v1/Services/{service_sid}/Users", "users")
    bases = [_safe(u.get("identity") or "") or u["sid"] for u in listed]
    names = _unique_names([(b, b in (u.get("identity"), u["sid"])) for b, u in zip(bases, listed, strict=True)])
    found = [Wired("User", name, _fields("User", u)) for name, u in zip(names, listed, strict=True)]
    return sorted(found, key=lambda w: w.name)


def _participants(client: TwilioClient, service_sid: str, conversation: Declaration) -> list[Wired]:
    """The conversation's fixed members: the participants with an identity or a binding address."""
    path = f"/v1/Services/{service_sid}/Conversations/{conversation.sid}/Participants"
    members = []
    for participant in _listed(client, path, "participants"):
        inputs = _fields("Participant", participant)
        if inputs.get("identity") or inputs.get("messaging_binding_address"):
            name = f"{conversation.name}-{participant['sid']}"
            members.append(
                Wired("Participant", name, {"conversation_sid": conversation.sid, **inputs}, conversation.name)
            )
    return members


def _listed(client: TwilioClient, path: str, key: str) -> list[Json]:
    """Every item of a Twilio list, in SID order (so that numbered names do not depend on Twilio's order)."""
    found = [item for page in client.pages(path, key, {"PageSize": str(PAGE_SIZE)}) for item in page]
    return sorted(found, key=lambda item: str(item["sid"]))


def _fields(kind: str, answer: Json) -> dict[str, Any]:
    """Twilio's answer as the inputs of `kind`, `adopt` first; unset values (null, "", [], and Twilio's default
    where a field has one: a setting's, `"{}"` attributes) left out, lists sorted."""
    core = KINDS[kind]
    seen = core.view(answer)
    fields: dict[str, Any] = {"adopt": answer["sid"]} if isinstance(core, ObjectCore) else {}
    for wire in core.wires:
        value = seen.get(wire.name)
        if wire.form_key is None or not wire.imported or value in (None, "", []):
            continue
        if wire.default is not KEEP and same(wire, wire.default, value):
            continue
        fields[wire.name] = sorted(value) if wire.kind == "list" else value
    return fields


def _setting(kind: str, answer: Json) -> list[Wired]:
    """The setting with the fields that differ from Twilio's defaults; none when all are defaults."""
    fields = _fields(kind, answer)
    return [Wired(kind, SETTING_NAMES[kind], fields)] if fields else []


def _header(service_sid: str, state: str | None, addresses: bool, users: bool, command: str) -> list[str]:
    only = f" in state {state}" if state else ""
    also = [
        *(["its users and the fixed participants of its conversations,"] if users else []),
        *(["the address configurations that open conversations in it,"] if addresses else []),
    ]
    if also:
        also[-1] = "and " + also[-1].removesuffix(",") + "."
    return [
        f"Conversation Service {service_sid}, each part adopted as it is:",
        f"its settings, its roles, its conversations{only} and their webhooks" + ("," if also else "."),
        *also,
        "",
        f"Written by `{command}`.",
        "The first `pulumi up` adopts them (no create, no change); from then on this program manages them.",
        "`pulumi destroy` deletes them (the service's default roles excepted) and puts the settings back to",
        "Twilio's defaults, unless a resource has `opts=pulumi.ResourceOptions(retain_on_delete=True)`.",
        "Timers are not declared: Twilio reports when they fire, not their durations.",
    ]


def render_python(
    service_sid: str,
    items: Iterable[Declaration],
    wired: Sequence[Wired] = (),
    *,
    state: str | None = None,
    addresses: bool = False,
    users: bool = False,
) -> str:
    """A Pulumi Python program (`__main__.py`): the settings, the roles, the users, each conversation followed
    by its webhooks and participants (which refer to it by variable), then the address configurations."""
    items = list(items)
    command = _command(service_sid, state, addresses, users, "python")
    hooks: dict[str, list[Wired]] = {}
    for hook in (w for w in wired if w.kind in UNDER_CONVERSATIONS):
        hooks.setdefault(hook.conversation or "", []).append(hook)
    variables = _identifiers(name for name in (d.name for d in items) if name in hooks)
    kinds = sorted({"Conversation", *(w.kind for w in wired)})
    lines = ['"""' + "\n".join(_header(service_sid, state, addresses, users, command)) + '\n"""', ""]
    if any(w.default_role for w in wired):
        lines.append("import pulumi")
    imports = f"from pulumi_twilio_conversations import {', '.join(kinds)}"
    if len(imports) > 100:
        imports = "from pulumi_twilio_conversations import (\n" + "".join(f"    {k},\n" for k in kinds) + ")"
    lines += [imports, "", f"SERVICE = {_py(service_sid)}"]
    for resource in (w for w in wired if w.kind not in (*UNDER_CONVERSATIONS, "AddressConfiguration")):
        lines += ["", "", *_python_wired(service_sid, resource)]
    for item in items:
        lines += ["", ""]
        if item.timers:
            fires = ", ".join(f"{key.removeprefix('date_')} at {value}" for key, value in sorted(item.timers.items()))
            lines.append(f"# Twilio's timers: {fires}")
        assign = f"{variables[item.name]} = " if item.name in variables else ""
        lines += [f"{assign}Conversation(", f"    {_py(item.name)},", "    chat_service_sid=SERVICE,"]
        lines += [f"    {name}={_py(value, 4)}," for name, value in item.inputs.items()]
        lines.append(")")
        for hook in hooks.get(item.name, []):
            lines += _python_wired(service_sid, hook, conversation=variables[item.name])
    for resource in (w for w in wired if w.kind == "AddressConfiguration"):
        lines += ["", "", *_python_wired(service_sid, resource)]
    return "\n".join(lines) + "\n"


def _python_wired(service_sid: str, resource: Wired, *, conversation: str | None = None) -> list[str]:
    """One call: the service as SERVICE and a webhook's conversation by its variable."""
    lines = []
    if resource.default_role:
        lines.append(
            f"# The service's {resource.default_role} ({DEFAULT_ROLES[resource.default_role]}): kept on destroy."
        )
    lines += [f"{resource.kind}(", f"    {_py(resource.name)},"]
    if "chat_service_sid" in KINDS[resource.kind].by_name():
        lines.append("    chat_service_sid=SERVICE,")
    for name, value in resource.inputs.items():
        if name == "conversation_sid" and conversation is not None:
            lines.append(f"    conversation_sid={conversation}.sid,")
        else:
            lines.append(f"    {name}={'SERVICE' if value == service_sid else _py(value, 4)},")
    if resource.default_role:
        lines.append("    opts=pulumi.ResourceOptions(retain_on_delete=True),")
    return [*lines, ")"]


def _identifiers(names: Iterable[str]) -> dict[str, str]:
    """A distinct Python variable for each resource name (`team-a` → `team_a`), avoiding keywords and the
    program's own names."""
    taken = {"SERVICE", "pulumi", "Conversation", *KINDS}
    result = {}
    for name in names:
        base = name.replace("-", "_")
        if not base.isidentifier() or keyword.iskeyword(base):
            base = f"conversation_{base}"
        variable, number = base, 1
        while variable in taken:
            number += 1
            variable = f"{base}_{number}"
        taken.add(variable)
        result[name] = variable
    return result


def render_yaml(
    service_sid: str,
    items: Iterable[Declaration],
    wired: Sequence[Wired] = (),
    *,
    state: str | None = None,
    addresses: bool = False,
    users: bool = False,
) -> str:
    """The data file of `examples/data-driven`: `service`, `conversations` (resource name → inputs), and a
    section per other kind (`SECTIONS`): a setting's inputs, or resource name → inputs. A webhook's or
    participant's `conversation_sid` is its conversation's SID; a default role has `retain_on_delete: true`.

    Needs PyYAML, which `pulumi` itself depends on; imported here so the Python output never needs it."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - pulumi requires pyyaml; this guards a broken environment
        raise RuntimeError("--format yaml needs PyYAML: pip install pyyaml") from None
    data: dict[str, Any] = {"service": service_sid, "conversations": {item.name: item.inputs for item in items}}
    for resource in wired:
        section = SECTIONS[resource.kind]
        if resource.kind in SETTING_NAMES:
            data[section] = resource.inputs
        else:
            retained = {"retain_on_delete": True} if resource.default_role else {}
            data.setdefault(section, {})[resource.name] = {**resource.inputs, **retained}
    command = _command(service_sid, state, addresses, users, "yaml")
    lines = _header(service_sid, state, addresses, users, command)
    header = "".join(f"# {line}".rstrip() + "\n" for line in lines)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=120)
    return header + body


def _command(service_sid: str, state: str | None, addresses: bool, users: bool, output_format: str) -> str:
    only = f" --state {state}" if state else ""
    also = (" --users" if users else "") + (" --addresses" if addresses else "")
    return f"pulumi-twilio-conversations adopt --service {service_sid}{only}{also} --format {output_format}"


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
