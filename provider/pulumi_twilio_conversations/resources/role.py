"""The Role core: `/v1/Services/{ChatServiceSid}/Roles`, a service's named set of permissions (RL…).

Twilio updates only a role's permissions: a new name or type replaces it, and as a name is unique in
its service, a replacement that keeps the name deletes the old role first. After a create whose
answer was lost, the role is found again by its name in the service's list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..ids import parse_scoped_id
from .base import ACCOUNT_FIELD, ADOPT_WORDS, DATE_FIELDS, SID_FIELD, URL_FIELD, Field, ResourceSpec
from .table import ObjectCore, Wire, removal_rules

if TYPE_CHECKING:
    from ..twilio import Json, TwilioClient

WIRES = (
    Wire("chat_service_sid", None, "string", "The Conversation Service (IS…) of the role.", required=True,
         replaces=True),
    Wire("friendly_name", "FriendlyName", "string", "Its name, unique in the service, at most 64 characters.",
         required=True, replaces=True),
    Wire("type", "Type", "string", "conversation (a participant's role) or service (a user's role).",
         required=True, replaces=True),
    Wire("permissions", "Permission", "list", "What it allows (Twilio's permission names); updated in place.",
         required=True),
)  # fmt: skip


class RoleCore(ObjectCore):
    """Roles of a service: created, read, updated (permissions), deleted."""

    kind = "Role"
    wires = WIRES
    model = "RoleInputs"
    rules = removal_rules(WIRES, create_only=frozenset({"adopt"}))

    def collection(self, props: Mapping[str, Any]) -> str:
        return f"/v1/Services/{props['chat_service_sid']}/Roles"

    def path(self, props: Mapping[str, Any], id_: str) -> str:
        service, sid = parse_scoped_id(id_, ("IS", "RL"), props.get("chat_service_sid"))
        return f"/v1/Services/{service}/Roles/{sid}"

    def find(self, client: TwilioClient, props: Mapping[str, Any]) -> Json | None:
        for page in client.pages(self.collection(props), "roles", {"PageSize": "100"}):
            for role in page:
                if role.get("friendly_name") == props["friendly_name"]:
                    return role
        return None

    def collides(self, current: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
        return bool(current.get("friendly_name") == news.get("friendly_name"))


SPEC = ResourceSpec(
    name="Role",
    description="A role of a Conversation Service: a named set of permissions (`/v1/Services/{ChatServiceSid}/Roles`).",
    core=RoleCore(),
    import_id="IS…/RL… (the service SID, a slash, the role SID)",
    fields=(
        *(wire.field for wire in WIRES),
        Field("adopt", "string", f"An existing role SID (RL…) to {ADOPT_WORDS}."),
        SID_FIELD,
        ACCOUNT_FIELD,
        URL_FIELD,
        *DATE_FIELDS,
    ),
)
